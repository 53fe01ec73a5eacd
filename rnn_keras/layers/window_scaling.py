"""`WindowScaling`: per-window level scaling for forecasters."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="rnn_keras")
class WindowScaling(keras.layers.Layer):
    """Divides a window by its own mean absolute value, or multiplies back.

    A series with a trend leaves the range of its training data; standardised
    with global statistics, a recurrent net then extrapolates into its
    saturated units. Scaling each input window by its own level (the mean
    of `|x|` over time, per feature, as DeepAR does) makes the net forecast
    relative to the recent level, and the forecast is multiplied back by
    the same scale.

    Args:
        target_indices: `list` of `int` or `None.` With `invert=True`, the
            features the forecast holds (their scales are used). Defaults
            to `None` (all features).
        invert: `bool.` `False`: `call(history)` returns the scaled window.
            `True`: `call([forecast, history])` returns the forecast times
            the scale of `history`. Defaults to `False`.
        epsilon: `float.` Added to the scale. Defaults to `1e-6`.
        anchor: `bool.` With `invert=True`, also add the history's last
            value (of the target features): the forecast is then a change
            from it. Defaults to `False`.

    Call arguments:
        inputs: `(batch, timesteps, features)` history, or with
            `invert=True` a list `[forecast, history]`, the forecast
            `(batch, horizon, targets)`.

    Reference:
        Salinas et al., 2020. DeepAR: Probabilistic forecasting with
        autoregressive recurrent networks.
    """

    def __init__(self, target_indices=None, invert=False, epsilon=1e-6, anchor=False, **kwargs):
        super().__init__(**kwargs)
        self.anchor = bool(anchor)
        self.target_indices = None if target_indices is None else [int(i) for i in target_indices]
        self.invert = bool(invert)
        self.epsilon = float(epsilon)

    def scale(self, history):
        """`(batch, 1, features)` mean absolute value over time."""
        return ops.mean(ops.abs(history), axis=1, keepdims=True) + self.epsilon

    def call(self, inputs):
        if not self.invert:
            return inputs / self.scale(inputs)
        forecast, history = inputs
        result = forecast * ops.cast(self._targets(self.scale(history)), forecast.dtype)
        if self.anchor:
            result = result + ops.cast(self._targets(history[:, -1:, :]), forecast.dtype)
        return result

    def _targets(self, values):
        """The target features of `(batch, steps, features)` values (all without indices)."""
        if self.target_indices is None:
            return values
        return ops.take(values, self.target_indices, axis=2)

    def compute_output_shape(self, input_shape):
        return input_shape[0] if self.invert else input_shape

    def get_config(self):
        config = {
            "target_indices": self.target_indices,
            "invert": self.invert,
            "epsilon": self.epsilon,
            "anchor": self.anchor,
        }
        return {**super().get_config(), **config}
