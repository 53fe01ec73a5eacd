"""Write a trained model folder as a TensorFlow SavedModel, atomically."""

import tensorflow as tf

from rnn_keras.compat import portable_copy
from rnn_keras.export.destination import check_destination
from rnn_keras.files import write_folder
from rnn_keras.layers import fused_gates


def export_saved_model(task, model, path, overwrite=False, xla_loops=False):
    """Exports the task's serving module (`task.serving_module`) to `path`.

    The SavedModel is written to a temporary folder beside `path` and
    renamed into place, so a crash never leaves a half-written export; an
    existing `path` is replaced only with `overwrite=True`. The model is
    traced through a copy whose LSTM and GRU layers take no cuDNN kernel,
    so an export made on a GPU machine also runs on CPU-only servers, and
    whose fused loops are not XLA-compiled unless asked: compiled loops
    answer a little faster (about 8% on the main job's model) but compile
    each new input shape on its first request (about 0.2 s there;
    `benchmarks/README.md`). Each loop runs the whole batch
    (`fused_gates.whole_batch`): how many slices of a batch a server's
    cores would run side by side is not the exporting machine's to say.

    Args:
        task: a trained `rnn_keras.tasks.Task`.
        model: its Keras model.
        path: `str.` The export folder, e.g. `saved_models/NAME/1` (the
            numbered layout TensorFlow Serving reads).
        overwrite: `bool.` Replace an existing export. Defaults to `False`.
        xla_loops: `bool.` Keep the fused layers' loops XLA-compiled.
            Defaults to `False`.

    Returns:
        `dict` from signature name to its function.
    """
    check_destination(path, "saved_model", overwrite)
    task.check_export("saved_model", model)
    copy = portable_copy(model, xla_loops=xla_loops)
    module = task.serving_module(copy)
    # Keras's recurrent layers draw their dropout masks on every call, inference too,
    # so a layer with dropout captures its seed generator's state, which Keras does not
    # track for a SavedModel ("references an 'untracked' resource"): track every
    # variable of the model, seed states included.
    module.model_variables = list(copy.variables)

    def write(folder):
        tf.saved_model.save(module, folder, signatures=signatures)

    # Every trace (the signatures, and what saving traces) runs whole batches.
    with fused_gates.whole_batch():
        signatures = module.signatures()
        # Remote: `saved_model.pb` last, so a server never loads a half-copied version.
        write_folder(path, write, overwrite=True, last=("saved_model.pb",))
    return signatures
