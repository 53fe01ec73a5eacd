"""Quiet by default: what dependencies print is kept out of the way unless it matters.

TensorFlow's C++ start-up lines, the TFLite and ONNX converters' chatter and
TFDS's dataset building messages are captured (`captured`) and shown only
on failure, or always at verbosity 2 (`rnn-keras ... --verbose 2`, or
`RNN_KERAS_VERBOSE=2` in the environment, which also shows TensorFlow's
start-up).
"""

import contextlib
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
