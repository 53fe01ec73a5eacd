"""rnn_keras: recurrent neural networks for Keras 3 on TensorFlow."""

from rnn_keras import config
from rnn_keras import data
from rnn_keras import decoding
from rnn_keras import distribute
from rnn_keras import export
from rnn_keras import layers
from rnn_keras import metrics
from rnn_keras import models
from rnn_keras import optimizers
from rnn_keras import runner
from rnn_keras import tasks
from rnn_keras.version import __version__
