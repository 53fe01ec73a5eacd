"""Datasets: plain-format readers, vocabularies, pipelines, TFDS and generated sources."""

from rnn_keras import lazy

# The column names the series readers know (`columns`) import without NumPy (the
# command line's help); the readers on first use.
__getattr__, __dir__, __all__ = lazy.attach(
    __name__,
    submodules=(
        "columns",
        "detokenize",
        "generated",
        "json_series",
        "pipeline",
        "readers",
        "series_readers",
        "sources",
        "splits",
        "synthetic",
        "tfds_builders",
        "vocabulary",
        "word_vectors",
        "wordpiece",
    ),
    members={
        "generate_pairs": "rnn_keras.data.generated",
        "make_dataset": "rnn_keras.data.pipeline",
        "DataError": "rnn_keras.data.readers",
        "read_classification_tsv": "rnn_keras.data.readers",
        "read_conll": "rnn_keras.data.readers",
        "read_csv_column": "rnn_keras.data.readers",
        "read_seq2seq_tsv": "rnn_keras.data.readers",
        "read_text": "rnn_keras.data.readers",
        "read_ucr_tsv": "rnn_keras.data.readers",
        "pandas_frequency": "rnn_keras.data.json_series",
        "read_json_lines": "rnn_keras.data.json_series",
        "SeriesCollection": "rnn_keras.data.series_readers",
        "default_horizon": "rnn_keras.data.series_readers",
        "infer_frequency": "rnn_keras.data.series_readers",
        "read_m4_csv": "rnn_keras.data.series_readers",
        "read_timestamp_csv": "rnn_keras.data.series_readers",
        "read_ts": "rnn_keras.data.series_readers",
        "read_tsf": "rnn_keras.data.series_readers",
        "seasonal_periods": "rnn_keras.data.series_readers",
        "load_examples": "rnn_keras.data.sources",
        "shuffled_split": "rnn_keras.data.splits",
        "stratified_split": "rnn_keras.data.splits",
        "long_range_classification": "rnn_keras.data.synthetic",
        "Vocabulary": "rnn_keras.data.vocabulary",
        "pretrained_embeddings": "rnn_keras.data.word_vectors",
        "read_word_vectors": "rnn_keras.data.word_vectors",
    },
)
