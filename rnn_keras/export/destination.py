"""Where an export may be written: never over a model folder or files that are not an export."""

from rnn_keras.files import remote

# A file an export of each format holds (a name, or a name's ending).
MARKERS = {"saved_model": "saved_model.pb", "tflite": "model.tflite", "onnx": ".onnx"}


def check_destination(path, export_format, overwrite=False):
    """Raises `FileExistsError` unless an export of `export_format` may be written to `path`.

    A new folder may always be written; an existing one only with
    `overwrite`, and only if it is empty or an earlier export of the same
    format: a model folder, or a folder of other files, is never replaced.
    Called before the (slow) conversion, so a refused export fails at once.
    """
    if not remote.exists(path):
        return
    if not remote.isdir(path):
        raise FileExistsError(f"{path} is a file; give a folder to export to")
    names = remote.listdir(path)
    if "model.keras" in names:
        raise FileExistsError(
            f"{path} is a model folder; an export never replaces one: choose another --output"
        )
    if not names:
        return
    if not overwrite:
        raise FileExistsError(f"{path} exists; pass --overwrite to replace it")
    marker = MARKERS[export_format]
    if not any(name == marker or name.endswith(marker) for name in names):
        raise FileExistsError(
            f"{path} holds files that are not a {export_format} export; nothing there is "
            "replaced: choose another --output"
        )
