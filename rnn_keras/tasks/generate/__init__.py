"""1→N language models that continue a prompt: options, task, serving."""

from rnn_keras import lazy

# The options import without TensorFlow (the command line's parser); the
# task on first use.
__getattr__, __dir__, __all__ = lazy.attach(
    __name__,
    members={
        "GenerateConfig": "rnn_keras.tasks.generate.config",
        "GenerateTask": "rnn_keras.tasks.generate.task",
    },
)
