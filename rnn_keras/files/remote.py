"""Model folders on the file systems TensorFlow reaches (`gs://`, `s3://`, `hdfs://`, `ram://`).

A path with a scheme (`SCHEME://...`) goes through `tf.io.gfile`; a local
path through `os`, as before (and without importing TensorFlow). Object
stores have no atomic rename of a folder, and no exclusive file creation
for a lock, so a run whose `--output` is remote works in a local staging
folder (`local_mirror`, under `~/.cache/rnn_keras/remote/`, where an
interrupted run resumes) and publishes it at the end with `upload_folder`:
file by file (each object write is atomic), the file that marks the folder
complete (`metrics.json` for a model folder, `saved_model.pb` for an
export) last, so a reader never takes a half-copied folder for a finished
one. One machine writes a remote folder at a time: the lock is local.
"""

import hashlib
import os
import posixpath
import shutil

CACHE = os.path.join(os.path.expanduser("~"), ".cache", "rnn_keras", "remote")


def is_remote(path):
    """Whether `path` names a file system by scheme (`gs://bucket/x`, `ram://x`)."""
    return "://" in os.fspath(path)


def _gfile():
    import tensorflow as tf

    return tf.io.gfile


def join(path, *names):
    """`os.path.join` for local paths, `/`-joined for remote ones."""
    path = os.fspath(path)
    return posixpath.join(path, *names) if is_remote(path) else os.path.join(path, *names)


def absolute(path):
    """`os.path.abspath` of a local path; a remote path as it is."""
    path = os.fspath(path)
    return path.rstrip("/") if is_remote(path) else os.path.abspath(path)


def exists(path):
    return _gfile().exists(path) if is_remote(path) else os.path.lexists(path)


def isdir(path):
    return _gfile().isdir(path) if is_remote(path) else os.path.isdir(path)


def isfile(path):
    if is_remote(path):
        gfile = _gfile()
        return gfile.exists(path) and not gfile.isdir(path)
    return os.path.isfile(path)


def listdir(path):
    """The names in folder `path` (no trailing `/` on sub-folders); `[]` if it is not a folder."""
    if not isdir(path):
        return []
    if is_remote(path):
        return sorted({name.rstrip("/") for name in _gfile().listdir(path)})
    return os.listdir(path)


def read_text(path):
    """The text of a UTF-8 file, local or remote (`FileNotFoundError` if there is none)."""
    if is_remote(path):
        if not _gfile().exists(path):
            raise FileNotFoundError(path)
        with _gfile().GFile(path, "rb") as f:
            return f.read().decode("utf-8")
    with open(path, encoding="utf-8") as f:
        return f.read()


def remove(path):
    """Removes the remote file or folder `path`, if there is one."""
    gfile = _gfile()
    if gfile.isdir(path):
        gfile.rmtree(path)
    elif gfile.exists(path):
        gfile.remove(path)


def local_mirror(path, suffix=""):
    """The local folder a remote `path` is written through, the same on every run.

    Named by a hash of the path, so the same command finds it again (an
    interrupted run resumes from it).
    """
    digest = hashlib.sha1(path.encode("utf-8")).hexdigest()[:16]
    name = posixpath.basename(path.rstrip("/")) or "root"
    return os.path.join(CACHE, f"{name}-{digest}{suffix}")


def upload_folder(local, remote, last=()):
    """Copies the local folder `local` to `remote`, file by file, the names in `last` at the end.

    Existing files of the same names are replaced; nothing else in
    `remote` is touched.

    Args:
        local: `str.` A local folder.
        remote: `str.` The destination folder (any file system `tf.io.gfile` reaches).
        last: names of files (relative to `local`) copied after all the others.
    """
    gfile = _gfile()
    files = []
    for root, _, names in os.walk(local):
        for name in names:
            files.append(os.path.relpath(os.path.join(root, name), local))
    files.sort(key=lambda relative: (relative in last, relative))
    gfile.makedirs(remote)
    for relative in files:
        destination = posixpath.join(remote, *relative.split(os.sep))
        gfile.makedirs(posixpath.dirname(destination))
        gfile.copy(os.path.join(local, relative), destination, overwrite=True)


def write_folder_remote(path, write, last=()):
    """Calls `write(folder)` on a local temporary folder, then uploads it to the remote `path`.

    Returns:
        What `write` returned.
    """
    folder = local_mirror(path, f".{os.getpid()}.export")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    try:
        result = write(folder)
        if exists(path):
            remove(path)
        upload_folder(folder, path, last=last)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return result
