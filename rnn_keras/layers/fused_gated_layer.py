"""Decisions shared by the fused `LSTM` and `GRU` layers: which path runs, which masks."""

import keras


def default_activations(cell):
    """Whether the cell uses `tanh` and `sigmoid`, the activations the fused loops implement."""
    return (
        keras.activations.serialize(cell.activation) == "tanh"
        and keras.activations.serialize(cell.recurrent_activation) == "sigmoid"
    )


def cudnn_applies(layer):
    """Whether Keras's own call would take (or must try) its cuDNN kernel.

    `use_cudnn=True` always goes to Keras (which raises where cuDNN cannot
    run, as it does for its own layers); `"auto"` goes there when a GPU is
    visible and the layer's arguments fit cuDNN.
    """
    if layer.use_cudnn is True:
        return True
    if layer.use_cudnn != "auto" or layer.recurrent_dropout or layer.unroll:
        return False
    if not default_activations(layer.cell) or not layer.cell.use_bias:
        return False
    if getattr(layer.cell, "reset_after", True) is False:
        return False
    return gpu_visible()


def gpu_visible():
    """Whether TensorFlow sees a GPU (where Keras's LSTM/GRU try cuDNN)."""
    import tensorflow as tf

    return bool(tf.config.list_logical_devices("GPU"))


def uses_fast_path(layer):
    """Whether `layer` runs the fused TensorFlow recurrence."""
    return (
        layer.fast_path
        and not layer.unroll
        and keras.backend.backend() == "tensorflow"
        and default_activations(layer.cell)
        and not cudnn_applies(layer)
    )


def dropout_masks(cell, sequences, state, training):
    """`(input_masks, recurrent_masks)` drawn as Keras's cell draws them.

    The cell's own `get_dropout_mask` and `get_recurrent_dropout_mask` are
    called in the order its first step calls them, so a layer seeded like
    Keras's gets the same masks. With recurrent dropout each is a list of
    one mask per gate; without, the input mask is one tensor.
    """
    input_masks = recurrent_masks = None
    if training and 0.0 < cell.dropout < 1.0:
        input_masks = cell.get_dropout_mask(sequences[:, 0, :])
    if training and 0.0 < cell.recurrent_dropout < 1.0:
        recurrent_masks = cell.get_recurrent_dropout_mask(state)
    return input_masks, recurrent_masks
