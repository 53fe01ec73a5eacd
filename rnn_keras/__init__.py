"""rnn_keras: recurrent neural networks for Keras 3 on TensorFlow."""

import os

from rnn_keras import quiet

# TensorFlow's start-up lines (CUDA stubs, cuInit on a machine without a GPU)
# are noise to a user: start it with them held back (`rnn_keras.quiet`), and
# keep its C++ warnings off unless the environment asks for them.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
with quiet.captured():
    import tensorflow as _tensorflow

    _tensorflow.config.list_physical_devices()

from rnn_keras import config  # noqa: E402
from rnn_keras import data  # noqa: E402
from rnn_keras import decoding  # noqa: E402
from rnn_keras import distribute  # noqa: E402
from rnn_keras import export  # noqa: E402
from rnn_keras import layers  # noqa: E402
from rnn_keras import losses  # noqa: E402
from rnn_keras import metrics  # noqa: E402
from rnn_keras import models  # noqa: E402
from rnn_keras import optimizers  # noqa: E402
from rnn_keras import runner  # noqa: E402
from rnn_keras import tasks  # noqa: E402
from rnn_keras.version import __version__  # noqa: E402
