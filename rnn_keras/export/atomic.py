"""Folders written atomically: a temporary sibling, then one rename."""

import os
import shutil
import tempfile


def check_destination(path, overwrite=False):
    """Raises `FileExistsError` if `path` exists and may not be replaced.

    `write_folder` checks this itself; callers with slow work before the
    write call it first, so a refused destination fails before that work.
    """
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(f"{path} exists; pass --overwrite to replace it")


def write_folder(path, write, overwrite=False):
    """Calls `write(folder)` on a temporary folder, then renames it to `path`.

    A crash never leaves a half-written `path`: readers see the old folder
    or the new one. An existing `path` is replaced only with `overwrite`.

    Args:
        path: `str.` The destination folder.
        write: callable taking the temporary folder's path.
        overwrite: `bool.` Replace an existing `path`. Defaults to `False`.

    Returns:
        What `write` returned.
    """
    path = os.path.abspath(path)
    check_destination(path, overwrite)
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    temporary = tempfile.mkdtemp(prefix=".export-", dir=parent)
    try:
        result = write(temporary)
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
    return result
