"""Numeric signatures of a trained task: token ids and floats in, numbers out.

The formats without string ops (TFLite, ONNX) serve these; each task
defines its own (`Task.numeric_signatures`, in `rnn_keras/tasks/<name>/serving.py`).
Text goes in as token ids from the vocabularies in the task's `task.json`
(`Vocabulary.from_config(...).encode`), series as raw floats; outputs are
probabilities, decoded token ids and forecasts in original units. `batch`
fixes the batch dimension (`1` for TFLite) or leaves it free (`None`);
sequence lengths are always free.
"""

import keras
import tensorflow as tf

from rnn_keras.compat import portable_copy


def numeric_functions(task, model, batch=None):
    """`{signature name: tf.function}` of a trained task, with input signatures.

    Args:
        task: a trained `rnn_keras.tasks.Task`.
        model: its Keras model.
        batch: `int` or `None.` The fixed batch size, or `None` for any.
            Defaults to `None`.
    """
    return {
        name: tf.function(function, input_signature=specs)
        for name, (function, specs) in task.numeric_signatures(model, batch).items()
    }


def frozen_variables(model):
    """A `keras.StatelessScope` in which `model`'s variables read as constants.

    Converters that cannot follow resource variables into loops (TFLite,
    ONNX) need the weights in the graph.
    """
    mapping = [(v, tf.constant(v.numpy(), dtype=v.dtype)) for v in model.variables]
    return keras.StatelessScope(state_mapping=mapping)


def frozen_functions(task, model, batch=None):
    """`{signature name: concrete function}` of the numeric signatures, weights as constants.

    What the converters of formats without TensorFlow's variables read
    (TFLite, ONNX): traced through a copy of `model` whose recurrent layers
    run Keras's generic loop (`portable_copy(fused=False)`: no cuDNN, and
    no fused `tf.custom_gradient` loop, which neither format lowers), each
    signature in its own `frozen_variables` scope. Keras's recurrent layers
    draw their dropout masks on every call, inference too, so a trace of a
    layer with dropout advances its seed state within its scope: a second
    trace in the same scope would read that update from the first's graph,
    and tf2onnx cannot freeze the seed state a decoder's loop reads.

    Args:
        task, model, batch: as for `numeric_functions`.
    """
    portable = portable_copy(model, fused=False)
    concrete = {}
    for name, function in numeric_functions(task, portable, batch).items():
        with frozen_variables(portable):
            concrete[name] = function.get_concrete_function()
    return concrete
