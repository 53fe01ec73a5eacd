"""What the fused `LSTM` and `GRU` layers share: which path runs, which masks, the call around the loop."""

import keras


class FusedGatedLayer:
    """Mixed in before `keras.layers.LSTM`/`GRU`: the fused path around a subclass's loop.

    Adds the `fast_path` and `jit_compile` arguments and, where the fused
    path applies, replaces Keras's `inner_loop`: states cast to the compute
    dtype, dropout masks drawn as Keras's cell draws them, time-major inputs
    in processing order, the subclass's `_fused_recurrence`, and outputs as
    `keras.layers.RNN` returns them under a mask.
    """

    def __init__(self, units, fast_path=True, jit_compile=True, **kwargs):
        super().__init__(units, **kwargs)
        self.fast_path = fast_path
        self.jit_compile = jit_compile

    def uses_fast_path(self):
        """Whether calls run the fused recurrence (else Keras's own call)."""
        return uses_fast_path(self)

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if not self.uses_fast_path():
            return super().inner_loop(sequences, initial_state, mask, training=training)
        # Imported here so that the layers also load on other backends.
        import tensorflow as tf

        from rnn_keras.layers import fused_sequences

        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        dtype = self.cell.compute_dtype
        states = [tf.cast(state, dtype) for state in initial_state]
        input_masks, recurrent_masks = dropout_masks(self.cell, sequences, states[0], training)
        sequences, mask = fused_sequences.time_major(
            tf.cast(sequences, dtype), mask, self.go_backwards
        )
        h, last_states = self._fused_recurrence(
            sequences,
            states,
            mask,
            input_masks,
            fused_sequences.gate_masks(recurrent_masks),
            # Inference saves no activations (a gradient taken anyway
            # runs the forward loop again to save them).
            save_for_backward=training is not False,
        )
        last_output, outputs = fused_sequences.rnn_outputs(
            h, mask, self.return_sequences, self.zero_output_for_mask
        )
        return last_output, outputs, last_states

    def get_config(self):
        config = {
            "use_cudnn": self.use_cudnn,
            "fast_path": self.fast_path,
            "jit_compile": self.jit_compile,
        }
        base_config = super().get_config()
        return {**base_config, **config}


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
