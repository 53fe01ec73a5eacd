"""The forecast task's exports: the SavedModel and the numeric signature are the same.

| signature | inputs | outputs |
|---|---|---|
| `serving_default` | `history` `(batch, steps)` float32, at least `window` steps | `forecast` `(batch, horizon)` in original units |
"""

import tensorflow as tf

from rnn_keras.tasks.common import float32


class ForecastServing(tf.Module):
    """A trained forecaster whose `serve` takes a history of values."""

    def __init__(self, task, model):
        super().__init__(name="forecast_serving")
        self.model = model
        self.window = task.config.window
        self.serve = tf.function(
            self._serve, input_signature=[tf.TensorSpec((None, None), tf.float32, name="history")]
        )

    def signatures(self):
        return {"serving_default": self.serve}

    def _serve(self, history):
        tf.debugging.assert_greater_equal(
            tf.shape(history)[1], self.window, message="`history` is shorter than the window"
        )
        window = history[:, -self.window :, None]
        forecast = float32(self.model(window, training=False))
        return {"forecast": forecast[:, :, 0]}


def numeric_signatures(task, model, batch):
    """The last `window` values of a history in, the forecast out."""
    window = task.config.window

    def serve(history):
        return {"forecast": float32(model(history[:, -window:, None]))[:, :, 0]}

    return {"serving_default": (serve, [tf.TensorSpec((batch, None), tf.float32, name="history")])}
