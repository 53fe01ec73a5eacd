"""TFLite export with builtin ops only (no Flex delegate), batch of one.

The TFLite builtin op set has no string ops and lowers TensorFlow's
`TensorList`s (the recurrent loops) only when every element shape is
static. The export therefore fixes the **batch at 1** and keeps the
**sequence length variable** (the interpreter resizes the input), which
keeps the whole-sequence loop of every cell instead of unrolling it to
one fixed length. Weights are frozen into the graph and recurrent layers
run their generic loop (no cuDNN, no fused custom gradient).

Inputs and outputs are those of `rnn_keras.export.numeric` with a batch
of one: token ids (vectorise with the vocabularies in the exported
`task.json`) or raw floats in; probabilities, decoded token ids or
forecasts out. The folder holds `model.tflite` and `task.json`.
"""

import os
import tempfile

import tensorflow as tf

from rnn_keras import quiet
from rnn_keras.export.numeric import frozen_functions
from rnn_keras.export.destination import check_destination
from rnn_keras.files import write_folder
from rnn_keras.files import write_json


def tflite_signatures(task, model):
    """Concrete functions of the TFLite export by signature name (frozen weights)."""
    task.check_export("tflite", model)
    return frozen_functions(task, model, batch=1)


def convert_tflite(task, model):
    """The TFLite flatbuffer (`bytes`) of a trained task, builtin ops only, and its signatures."""
    signatures = tflite_signatures(task, model)
    # The converter's own log lines are shown on failure only (`rnn_keras.quiet`).
    with tempfile.TemporaryDirectory() as folder, quiet.captured():
        tf.saved_model.save(tf.Module(), folder, signatures=signatures)
        converter = tf.lite.TFLiteConverter.from_saved_model(
            folder, signature_keys=list(signatures)
        )
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
        return converter.convert(), sorted(signatures)


def export_tflite(task, model, path, overwrite=False):
    """Writes `path/model.tflite` and `path/task.json`, atomically.

    Args:
        task: a trained `rnn_keras.tasks.Task`.
        model: its Keras model.
        path: `str.` The export folder.
        overwrite: `bool.` Replace an existing export. Defaults to `False`.

    Returns:
        `list` of the signature names.
    """
    check_destination(path, "tflite", overwrite)
    flatbuffer, signatures = convert_tflite(task, model)

    def write(folder):
        with open(os.path.join(folder, "model.tflite"), "wb") as f:
            f.write(flatbuffer)
        write_json(os.path.join(folder, "task.json"), task.get_config())

    write_folder(path, write, overwrite=True)
    return signatures


def tflite_interpreter(model):
    """An allocated LiteRT interpreter (`ai_edge_litert`, the `tflite` extra) of a TFLite model.

    LiteRT is TFLite's successor; TensorFlow's own `tf.lite.Interpreter` is
    deprecated, so it is not used.

    Args:
        model: `str` path of a `.tflite` file, or its `bytes`.
    """
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        raise ImportError(
            "running TFLite models needs LiteRT: pip install 'rnn-keras[tflite]'"
        ) from None
    if isinstance(model, bytes):
        interpreter = Interpreter(model_content=model)
    else:
        interpreter = Interpreter(model_path=model)
    interpreter.allocate_tensors()
    return interpreter
