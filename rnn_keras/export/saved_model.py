"""Write a trained model folder as a TensorFlow SavedModel, atomically."""

import tensorflow as tf

from rnn_keras.export.atomic import write_folder
from rnn_keras.export.portable import portable_recurrence
from rnn_keras.export.serving import serving_module


def export_saved_model(task, model, path, overwrite=False):
    """Exports `serving_module(task, model)` to `path` with its signatures.

    The SavedModel is written to a temporary folder beside `path` and
    renamed into place, so a crash never leaves a half-written export; an
    existing `path` is replaced only with `overwrite=True`. LSTM and GRU
    layers are traced without cuDNN, so an export made on a GPU machine
    also runs on CPU-only servers.

    Args:
        task: a trained `rnn_keras.tasks.Task`.
        model: its Keras model.
        path: `str.` The export folder, e.g. `saved_models/NAME/1` (the
            numbered layout TensorFlow Serving reads).
        overwrite: `bool.` Replace an existing export. Defaults to `False`.

    Returns:
        `dict` from signature name to its function.
    """
    module = serving_module(task, model)
    signatures = {"serving_default": module.serve}
    if hasattr(module, "beam_search"):
        signatures["beam_search"] = module.beam_search

    def write(folder):
        with portable_recurrence(model):
            tf.saved_model.save(module, folder, signatures=signatures)

    write_folder(path, write, overwrite=overwrite)
    return signatures
