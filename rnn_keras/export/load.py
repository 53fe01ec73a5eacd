"""Load exported SavedModels, with the TensorFlow Text ops that subword models hold.

A model trained with `tokenize="subword"` splits raw strings with
TensorFlow Text's `FastWordpieceTokenizer` inside its SavedModel; those ops
exist in a process only once `tensorflow_text` is imported (TensorFlow
Serving needs a build with the TF Text ops). `load_saved_model` imports it
first when it is installed, and names the missing package otherwise.
"""

import tensorflow as tf


def register_text_ops():
    """Imports `tensorflow_text` when it is installed, which registers its ops.

    Returns:
        `bool`: whether TensorFlow Text is installed (and its ops registered).
    """
    try:
        import tensorflow_text  # noqa: F401
    except ImportError:
        return False
    return True


def load_saved_model(path, tags=None, options=None):
    """`tf.saved_model.load` that also loads SavedModels holding TensorFlow Text ops.

    Args:
        path: `str.` The SavedModel folder.
        tags: as in `tf.saved_model.load`. Defaults to `None`.
        options: as in `tf.saved_model.load`. Defaults to `None`.

    Returns:
        The loaded SavedModel (its `signatures`, ...).

    Raises:
        ImportError: the SavedModel holds TensorFlow Text ops and
            TensorFlow Text is not installed.
    """
    installed = register_text_ops()
    try:
        return tf.saved_model.load(path, tags=tags, options=options)
    except (RuntimeError, tf.errors.NotFoundError, ValueError) as error:
        # "Op type not registered 'FastWordpieceTokenizeWithOffsets' in binary ..."
        if installed or "not registered" not in str(error) or "Wordpiece" not in str(error):
            raise
        raise ImportError(
            f"{path}: the SavedModel splits text with TensorFlow Text ops (a model trained "
            'with tokenize="subword"), and TensorFlow Text is not installed; install it with '
            '`pip install "rnn-keras[subword]"`'
        ) from None
