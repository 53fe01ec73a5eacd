"""Graphs that run anywhere: no cuDNN kernels, optionally no variables.

Keras 3's `LSTM` and `GRU` call the cuDNN kernel (`CudnnRNNV3`) whenever a
GPU is visible while they are traced. A SavedModel traced on a GPU then
holds ops that have no CPU kernel, and fails on a CPU-only server
(keras-team/keras#18504). `portable_recurrence(model)` switches those
layers to the generic loop for as long as the export traces them; the
weights are the same, only the kernel differs.

`frozen_variables(model)` makes every variable read inside the traced
functions a constant (through `keras.StatelessScope`), as converters that
cannot follow resource variables into loops need (TFLite, ONNX).
"""

import contextlib

import keras
import tensorflow as tf

from rnn_keras.layers.vanilla_rnn import VanillaRNN


def recurrent_layers(layer):
    """Every Keras layer reachable from `layer`, itself included, once each."""
    found, stack, seen = [], [layer], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.append(current)
        for value in vars(current).values():
            values = value if isinstance(value, (list, tuple)) else [value]
            stack.extend(v for v in values if isinstance(v, keras.layers.Layer))
    return found


@contextlib.contextmanager
def portable_recurrence(model, fused_vanilla=True):
    """Traces `model`'s recurrent layers with kernels every device has.

    Inside the context, `LSTM` and `GRU` layers use the generic loop
    instead of cuDNN; with `fused_vanilla=False`, `VanillaRNN` layers also
    leave their fused `tf.custom_gradient` loop for the generic one (TFLite
    cannot lower its `TensorArray`s). Settings are restored on exit.

    Args:
        model: a Keras model.
        fused_vanilla: `bool.` Keep `VanillaRNN`'s fused loop. Defaults to
            `True`.
    """
    changed = []
    for layer in recurrent_layers(model):
        if isinstance(layer, (keras.layers.LSTM, keras.layers.GRU)):
            changed.append((layer, "use_cudnn", layer.use_cudnn))
            layer.use_cudnn = False
        elif isinstance(layer, VanillaRNN) and not fused_vanilla:
            changed.append((layer, "fast_path", layer.fast_path))
            layer.fast_path = False
    try:
        yield
    finally:
        for layer, attribute, value in changed:
            setattr(layer, attribute, value)


def frozen_variables(model):
    """A `keras.StatelessScope` in which `model`'s variables read as constants."""
    mapping = [(v, tf.constant(v.numpy(), dtype=v.dtype)) for v in model.variables]
    return keras.StatelessScope(state_mapping=mapping)
