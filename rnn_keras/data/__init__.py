"""Datasets: plain-format readers, vocabularies, pipelines, TFDS and generated sources."""

from rnn_keras.data.generated import generate_pairs
from rnn_keras.data.pipeline import make_dataset
from rnn_keras.data.readers import DataError
from rnn_keras.data.readers import read_classification_tsv
from rnn_keras.data.readers import read_conll
from rnn_keras.data.readers import read_csv_column
from rnn_keras.data.readers import read_seq2seq_tsv
from rnn_keras.data.readers import read_text
from rnn_keras.data.readers import read_ucr_tsv
from rnn_keras.data.series_readers import SeriesCollection
from rnn_keras.data.series_readers import default_horizon
from rnn_keras.data.series_readers import infer_frequency
from rnn_keras.data.series_readers import read_m4_csv
from rnn_keras.data.series_readers import read_timestamp_csv
from rnn_keras.data.series_readers import read_ts
from rnn_keras.data.series_readers import read_tsf
from rnn_keras.data.series_readers import seasonal_periods
from rnn_keras.data.sources import load_examples
from rnn_keras.data.synthetic import long_range_classification
from rnn_keras.data.vocabulary import Vocabulary
from rnn_keras.data.word_vectors import pretrained_embeddings
from rnn_keras.data.word_vectors import read_word_vectors
