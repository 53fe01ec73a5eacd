"""Files and folders written atomically: a temporary sibling, then one rename.

A crash never leaves a half-written file or folder where a reader looks:
readers see the old one or the new one. Temporary names start with the
destination's name, so what a crash leaves behind sits beside it, is
recognisably ours (`remove_leftovers`) and never counts as the real thing.
"""

import json
import math
import os
import shutil

from rnn_keras.files import remote

# Suffix of every temporary file or folder written here.
TEMPORARY = ".tmp"


def _temporary(path, suffix=""):
    parent, name = os.path.split(os.path.abspath(path))
    return os.path.join(parent, f".{name}{TEMPORARY}-{os.getpid()}{suffix}")


def write_text(path, text):
    """Writes a UTF-8 text file atomically."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path, data):
    """Writes a file of `bytes` atomically."""
    temporary = _temporary(path)
    try:
        with open(temporary, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def write_json(path, value):
    """Writes JSON (indented, keys sorted) atomically."""
    write_text(path, json.dumps(value, indent=2, sort_keys=True) + "\n")


def read_json(path):
    """The JSON value of a UTF-8 file."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def json_safe(value):
    """`value` with NaN and infinities (which JSON lacks) replaced by `None`, at any depth."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def save_model(model, path):
    """Saves a `.keras` file atomically: a half-written file never replaces a good one."""
    temporary = _temporary(path, ".keras")
    try:
        model.save(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def save_figure(figure, path, **kwargs):
    """Saves a matplotlib figure atomically (the format from `path`'s extension)."""
    extension = os.path.splitext(path)[1]
    temporary = _temporary(path, extension)
    try:
        figure.savefig(temporary, **kwargs)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def check_destination(path, overwrite=False):
    """Raises `FileExistsError` if `path` exists and may not be replaced.

    `write_folder` checks this itself; callers with slow work before the
    write call it first, so a refused destination fails before that work.
    """
    if remote.exists(path) and not overwrite:
        raise FileExistsError(f"{path} exists; pass --overwrite to replace it")


def write_folder(path, write, overwrite=False, last=()):
    """Calls `write(folder)` on a temporary folder, then renames it to `path`.

    A remote `path` (`gs://...`, see `rnn_keras.files.remote`) is written
    locally and uploaded file by file, the files named in `last` at the end.

    Args:
        path: `str.` The destination folder.
        write: callable taking the temporary folder's path.
        overwrite: `bool.` Replace an existing `path`. Defaults to `False`.
        last: names of the files that mark the folder complete (remote
            destinations only): copied after the others.

    Returns:
        What `write` returned.
    """
    check_destination(path, overwrite)
    if remote.is_remote(path):
        return remote.write_folder_remote(path, write, last=last)
    path = os.path.abspath(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = _temporary(path)
    remove(temporary)
    os.makedirs(temporary)
    try:
        result = write(temporary)
        replace_folder(temporary, path)
    finally:
        remove(temporary)
    return result


def replace_folder(source, destination):
    """Renames the folder `source` to `destination`, replacing what was there.

    The old `destination` is first renamed aside, then removed: at no
    moment is `destination` half old and half new.
    """
    if not os.path.exists(destination):
        os.rename(source, destination)
        return
    old = _temporary(destination, ".replaced")
    remove(old)
    os.rename(destination, old)
    os.rename(source, destination)
    remove(old)


def remove(path):
    """Removes the file or folder `path`, if there is one."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


def remove_leftovers(folder):
    """Removes the temporary files and folders a crash left directly in `folder`."""
    if not os.path.isdir(folder):
        return
    for name in os.listdir(folder):
        if name.startswith(".") and TEMPORARY + "-" in name:
            remove(os.path.join(folder, name))
