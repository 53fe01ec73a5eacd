"""Datasets: generated tasks (and, with the data issue, file readers)."""

from rnn_keras.data.synthetic import long_range_classification
