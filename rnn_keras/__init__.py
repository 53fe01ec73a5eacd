"""rnn_keras: recurrent neural networks for Keras 3 on TensorFlow.

Imported as a library, `import rnn_keras` imports every subpackage (and so
registers its Keras objects: `keras.models.load_model` then reads a
`.keras` file of rnn_keras layers). The command line (`rnn-keras`,
`python -m rnn_keras`) imports only what a command needs, so that it
answers `--help` without starting TensorFlow; the subpackages stay
reachable either way (`rnn_keras.layers`, imported on first use).

TensorFlow's start-up lines (CUDA stubs, cuInit on a machine without a GPU)
are noise to a user: whichever import starts it, it starts with them held
back (`rnn_keras.quiet`), and its C++ warnings stay off unless the
environment asks for them (`TF_CPP_MIN_LOG_LEVEL`).
"""

import importlib
import os
import sys

from rnn_keras import lazy
from rnn_keras import quiet
from rnn_keras.version import __version__

quiet.import_tensorflow_quietly()

SUBPACKAGES = (
    "config",
    "data",
    "decoding",
    "distribute",
    "export",
    "layers",
    "losses",
    "metrics",
    "models",
    "optimizers",
    "runner",
    "serve",
    "tasks",
    "tuning",
)

__getattr__, __dir__, _names = lazy.attach(__name__, submodules=SUBPACKAGES)
__all__ = [*_names, "__version__"]


def _started_as_the_command_line():
    """Whether this process is `rnn-keras` (the console script) or `python -m rnn_keras`."""
    argv = getattr(sys, "orig_argv", None) or sys.argv
    if "-m" in argv[:-1]:
        return argv[argv.index("-m") + 1] in ("rnn_keras", "rnn_keras.cli")
    return os.path.basename(sys.argv[0]) in ("rnn-keras", "rnn-keras.exe")


if not _started_as_the_command_line():
    for _name in SUBPACKAGES:
        importlib.import_module(f"{__name__}.{_name}")
