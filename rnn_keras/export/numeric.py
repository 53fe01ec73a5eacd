"""Numeric signatures of a trained task: token ids and floats in, numbers out.

The formats without string ops (TFLite, ONNX) serve these; each task
defines its own (`Task.numeric_signatures`, in `rnn_keras/tasks/<name>/serving.py`).
Text goes in as token ids from the vocabularies in the task's `task.json`
(`Vocabulary.from_config(...).encode`), series as raw floats; outputs are
probabilities, decoded token ids and forecasts in original units. `batch`
fixes the batch dimension (`1` for TFLite) or leaves it free (`None`);
sequence lengths are always free.
"""

import tensorflow as tf


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
