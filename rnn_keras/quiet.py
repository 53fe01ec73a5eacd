"""Quiet by default: what dependencies print is kept out of the way unless it matters.

TensorFlow's C++ start-up lines, the TFLite and ONNX converters' chatter and
TFDS's dataset building messages are captured (`captured`) and shown only
on failure, or always at verbosity 2 (`rnn-keras ... --verbose 2`, or
`RNN_KERAS_VERBOSE=2` in the environment, which also shows TensorFlow's
start-up).
"""

import contextlib
import importlib.util
import io
import os
import sys
import tempfile

_STATE = {"show": os.environ.get("RNN_KERAS_VERBOSE") == "2"}


def set_verbosity(level):
    """`level` 2 shows what dependencies print; lower levels keep it unless something fails."""
    _STATE["show"] = level == 2


def shows_dependency_output():
    return _STATE["show"]


@contextlib.contextmanager
def captured():
    """Runs the block with what it prints (Python and native code, stdout and stderr) held back.

    On an exception the held-back output is written to stderr before the
    exception propagates; at verbosity 2 nothing is held back.
    """
    if _STATE["show"]:
        yield
        return
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    with tempfile.TemporaryFile() as capture:
        saved = [os.dup(1), os.dup(2)]
        python = io.StringIO()
        try:
            os.dup2(capture.fileno(), 1)
            os.dup2(capture.fileno(), 2)
            with contextlib.redirect_stdout(python), contextlib.redirect_stderr(python):
                yield
        except BaseException:
            _restore(saved)
            capture.seek(0)
            held = capture.read().decode("utf-8", "replace") + python.getvalue()
            if held.strip():
                sys.stderr.write(held)
                sys.stderr.flush()
            raise
        else:
            _restore(saved)


def _restore(saved):
    for fd, copy in zip((1, 2), saved):
        if copy is not None:
            os.dup2(copy, fd)
            os.close(copy)
    saved[:] = [None, None]


class _QuietTensorFlowImport:
    """Imports TensorFlow with its start-up lines held back (`captured`), whoever imports it first.

    A finder on `sys.meta_path` that answers only for the top-level
    `tensorflow` module, once: it removes itself, lets the usual finders
    locate TensorFlow and wraps the loader, so that the import and the
    first device listing (where TensorFlow logs "Could not find cuda
    drivers", "failed call to cuInit") run inside `captured`.
    """

    def find_spec(self, name, path, target=None):
        del path, target
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


class _QuietLoader:
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        with captured():
            self.loader.exec_module(module)
            module.config.list_physical_devices()

    def __getattr__(self, name):
        return getattr(self.loader, name)


def import_tensorflow_quietly():
    """Makes the process's first `import tensorflow` (direct, or through Keras) quiet.

    Sets `TF_CPP_MIN_LOG_LEVEL=2` unless the environment sets it. Nothing
    changes when TensorFlow is already imported.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if "tensorflow" in sys.modules:
        return
    if not any(isinstance(finder, _QuietTensorFlowImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _QuietTensorFlowImport())
