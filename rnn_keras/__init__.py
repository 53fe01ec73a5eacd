"""rnn_keras: recurrent neural networks for Keras 3 on TensorFlow.

The subpackages are imported on first use (`rnn_keras.layers`,
`rnn_keras.models`, ...), so that the command line answers `--help` without
starting TensorFlow. TensorFlow's start-up lines (CUDA stubs, cuInit on a
machine without a GPU) are noise to a user: whichever import starts it, it
starts with them held back (`rnn_keras.quiet`), and its C++ warnings stay
off unless the environment asks for them (`TF_CPP_MIN_LOG_LEVEL`).
"""

from rnn_keras import lazy
from rnn_keras import quiet
from rnn_keras.version import __version__

quiet.import_tensorflow_quietly()

__getattr__, __dir__, _names = lazy.attach(
    __name__,
    submodules=(
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
        "tasks",
        "tuning",
    ),
)
__all__ = [*_names, "__version__"]
