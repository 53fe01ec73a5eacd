"""N→N tagging of tokens: options, task, serving."""

from rnn_keras import lazy

# The options import without TensorFlow (the command line's parser); the
# task on first use.
__getattr__, __dir__, __all__ = lazy.attach(
    __name__,
    members={
        "TagConfig": "rnn_keras.tasks.tag.config",
        "TagTask": "rnn_keras.tasks.tag.task",
    },
)
