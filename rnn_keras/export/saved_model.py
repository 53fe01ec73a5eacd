"""Write a trained model folder as a TensorFlow SavedModel, atomically."""

import os
import shutil
import tempfile

import tensorflow as tf

from rnn_keras.export.serving import serving_module


def export_saved_model(task, model, path, overwrite=False):
    """Exports `serving_module(task, model)` to `path` with its signatures.

    The SavedModel is written to a temporary folder beside `path` and
    renamed into place, so a crash never leaves a half-written export; an
    existing `path` is replaced only with `overwrite=True`.

    Args:
        task: a trained `rnn_keras.tasks.Task`.
        model: its Keras model.
        path: `str.` The export folder, e.g. `saved_models/NAME/1` (the
            numbered layout TensorFlow Serving reads).
        overwrite: `bool.` Replace an existing export. Defaults to `False`.

    Returns:
        `dict` from signature name to its function.
    """
    path = os.path.abspath(path)
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(f"{path} exists; pass --overwrite to replace it")
    module = serving_module(task, model)
    signatures = {"serving_default": module.serve}
    if hasattr(module, "beam_search"):
        signatures["beam_search"] = module.beam_search
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    temporary = tempfile.mkdtemp(prefix=".export-", dir=parent)
    try:
        tf.saved_model.save(module, temporary, signatures=signatures)
        if os.path.exists(path):
            old = tempfile.mkdtemp(prefix=".replaced-", dir=parent)
            os.rename(path, os.path.join(old, "export"))
            os.rename(temporary, path)
            shutil.rmtree(old)
        else:
            os.rename(temporary, path)
    finally:
        if os.path.exists(temporary):
            shutil.rmtree(temporary)
    return signatures
