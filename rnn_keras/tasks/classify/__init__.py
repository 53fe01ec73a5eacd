"""N→1 classification of texts and series: options, task, serving."""

from rnn_keras import lazy

# The options import without TensorFlow (the command line's parser); the
# task on first use.
__getattr__, __dir__, __all__ = lazy.attach(
    __name__,
    members={
        "ClassifyConfig": "rnn_keras.tasks.classify.config",
        "ClassifyTask": "rnn_keras.tasks.classify.task",
    },
)
