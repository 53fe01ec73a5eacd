"""Metrics: entity F1 of taggings, macro-F1 of classes, the error of a quantile forecast."""

from rnn_keras.metrics.entity_f1 import EntityF1
from rnn_keras.metrics.macro_f1 import MacroF1
from rnn_keras.metrics.quantile_error import QuantileError
