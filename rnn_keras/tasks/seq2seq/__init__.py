"""N→M encoder-decoder translation of strings: options, task, serving."""

from rnn_keras import lazy

# The options import without TensorFlow (the command line's parser); the
# task on first use.
__getattr__, __dir__, __all__ = lazy.attach(
    __name__,
    members={
        "Seq2SeqConfig": "rnn_keras.tasks.seq2seq.config",
        "Seq2SeqTask": "rnn_keras.tasks.seq2seq.task",
    },
)
