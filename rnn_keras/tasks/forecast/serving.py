"""The forecast task's exports: the SavedModel and the numeric signature are the same.

| signature | inputs | outputs |
|---|---|---|
| `serving_default` | `history` `(batch, steps)` float32, at least 1 step (a history shorter than `window` is padded with its first value) | `forecast` `(batch, horizon)` in original units; with an interval, `lower` and `upper` `(batch, horizon)` too |
"""

import tensorflow as tf

from rnn_keras.tasks.common import float32


def forecast_outputs(model, history, window, quantiles, widening=0.0):
    """The signature's outputs for `(batch, steps)` histories (any length from 1).

    The interval is widened by `widening` times each window's level (the
    conformal correction of `ForecastTask.calibrate`).
    """
    # `window` copies of the first value in front, then the last `window` values
    # (a fixed tile: the ONNX and TFLite converters take no zero-length repeats).
    padding = tf.tile(history[:, :1], [1, window])
    inputs = tf.concat([padding, history], axis=1)[:, -window:, None]
    outputs = float32(model(inputs, training=False))[:, :, 0]
    if not quantiles:
        return {"forecast": outputs}
    outputs = tf.sort(outputs, axis=-1)  # quantiles never cross
    level = tf.reduce_mean(tf.abs(inputs), axis=[1, 2]) + 1e-6
    margin = widening * level[:, None]
    return {
        "forecast": outputs[..., 1],
        "lower": outputs[..., 0] - margin,
        "upper": outputs[..., 2] + margin,
    }


class ForecastServing(tf.Module):
    """A trained forecaster whose `serve` takes a history of values."""

    def __init__(self, task, model):
        super().__init__(name="forecast_serving")
        self.model = model
        self.window = task.config.window
        self.quantiles = task.quantiles
        self.widening = task.state.get("interval_widening", 0.0)
        self.serve = tf.function(
            self._serve, input_signature=[tf.TensorSpec((None, None), tf.float32, name="history")]
        )

    def signatures(self):
        return {"serving_default": self.serve}

    def _serve(self, history):
        tf.debugging.assert_greater(
            tf.shape(history)[1], 0, message="`history` needs at least one value"
        )
        return forecast_outputs(self.model, history, self.window, self.quantiles, self.widening)


def numeric_signatures(task, model, batch):
    """A history in, the forecast (and the interval's bounds) out."""
    window, quantiles = task.config.window, task.quantiles
    widening = task.state.get("interval_widening", 0.0)

    def serve(history):
        return forecast_outputs(model, history, window, quantiles, widening)

    return {"serving_default": (serve, [tf.TensorSpec((batch, None), tf.float32, name="history")])}
