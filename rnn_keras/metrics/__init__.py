"""Sequence metrics."""

from rnn_keras.metrics.entity_f1 import EntityF1
