"""Typed configuration: options as dataclass fields, checked in one place."""

from rnn_keras.config.base import RENAMED
from rnn_keras.config.base import Config
from rnn_keras.config.files import read_config_file
from rnn_keras.config.option import GROUPS
from rnn_keras.config.option import ConfigError
from rnn_keras.config.option import convert
from rnn_keras.config.option import describe_range
from rnn_keras.config.option import kind
from rnn_keras.config.option import option
from rnn_keras.config.option import with_default
