"""Forecasting the next values of a series: options, task, serving."""

from rnn_keras import lazy

# The options import without TensorFlow (the command line's parser); the
# task on first use.
__getattr__, __dir__, __all__ = lazy.attach(
    __name__,
    members={
        "ForecastConfig": "rnn_keras.tasks.forecast.config",
        "ForecastTask": "rnn_keras.tasks.forecast.task",
    },
)
