"""`WindowScaling`: per-window level scaling for forecasters."""

import keras
import numpy as np
from keras import ops

from rnn_keras.profile.series import centred_average


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
        period: `int` or `None.` With `anchor`, add instead the value one
            `period` before each forecast step (the last one at its
            position in the cycle, for steps beyond a period): the forecast
            is then a change from the seasonal naive forecast. The history
            holds at least a period. Defaults to `None`.
        adjusted: `bool.` With `period`, add instead the naive forecast of
            the seasonally adjusted history, its season put back: the last
            value, less its position's seasonal index, plus each step's
            (`seasonal_anchor_matrix`; Makridakis' Naive2). The history
            holds at least two periods and has a fixed length. Defaults to
            `False`.
        default_scale: `list` of `float` (one per feature) or `None.` The
            scale of a window whose values of a feature are all 0 (a run
            of zeros in an intermittent series, or an indicator column),
            where its own level says nothing (`zero_window_scale` of the
            training windows, as GluonTS's `MeanScaler` falls back on a
            default scale). `None`: such a window's scale is `epsilon`, and
            the forecast after it is 0 whatever the network says. Defaults
            to `None`.

    Call arguments:
        inputs: `(batch, timesteps, features)` history, or with
            `invert=True` a list `[forecast, history]`, the forecast
            `(batch, horizon, targets)`.

    Reference:
        Salinas et al., 2020. DeepAR: Probabilistic forecasting with
        autoregressive recurrent networks.
    """

    def __init__(
        self,
        target_indices=None,
        invert=False,
        epsilon=1e-6,
        anchor=False,
        default_scale=None,
        period=None,
        adjusted=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if period is not None and (int(period) != period or period < 1):
            raise ValueError(
                f"Invalid value for argument `period`. Expected a positive integer or None. "
                f"Received: period={period!r}"
            )
        self.period = None if period is None else int(period)
        self.adjusted = bool(adjusted)
        if self.adjusted and self.period is None:
            raise ValueError("Argument `adjusted=True` needs a `period`. Received: period=None")
        self.anchor = bool(anchor)
        self.default_scale = None if default_scale is None else [float(v) for v in default_scale]
        self.target_indices = None if target_indices is None else [int(i) for i in target_indices]
        self.invert = bool(invert)
        self.epsilon = float(epsilon)

    def scale(self, history):
        """`(batch, 1, features)` mean absolute value over time (`window_levels` in NumPy)."""
        level = ops.mean(ops.abs(history), axis=1, keepdims=True)
        if self.default_scale is not None:
            default = ops.convert_to_tensor(self.default_scale, dtype=level.dtype)
            level = ops.where(level > 0, level, default)
        return level + self.epsilon

    def build(self, input_shape):
        # The seasonal indices' matrix, from the history's length as the layer is
        # built (a traced call, as an export's, may see the length as unknown).
        self._anchor_matrix = None
        if self.adjusted and self.invert:
            forecast_shape, history_shape = input_shape
            self._anchor_matrix = seasonal_anchor_matrix(
                history_shape[1], forecast_shape[1], self.period
            )

    def call(self, inputs):
        if not self.invert:
            return inputs / self.scale(inputs)
        forecast, history = inputs
        result = forecast * ops.cast(self._targets(self.scale(history)), forecast.dtype)
        if self.anchor:
            result = result + ops.cast(self._targets(self._anchor(history, forecast)),
                                       forecast.dtype)
        return result

    def _anchor(self, history, forecast):
        """What the forecast changes from: the last value, the seasonal naive forecast or Naive2."""
        if self.period is None:
            return history[:, -1:, :]
        if self.adjusted:
            matrix = ops.convert_to_tensor(self._anchor_matrix, dtype=history.dtype)
            return ops.einsum("hw,bwf->bhf", matrix, history[:, -matrix.shape[1]:, :])
        steps = ops.arange(forecast.shape[1]) % self.period
        return ops.take(history, ops.shape(history)[1] - self.period + steps, axis=1)

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
            "default_scale": self.default_scale,
            "period": self.period,
            "adjusted": self.adjusted,
        }
        return {**super().get_config(), **config}


def seasonal_anchor_matrix(length, horizon, period):
    """`(horizon, length)`: the Naive2 forecast of a window of `length` values, as a matrix.

    The window's seasonal indices come from classical additive
    decomposition: each value less its centred moving average over a period
    (`2 x period` for an even period), where the window holds the average's
    span, averaged position by position in the period and centred to sum
    to 0 over it. The forecast of each step is the last value, less the
    index of its position, plus the index of the step's. Linear in the
    window: `forecast = matrix @ window`; a window that repeats one season
    exactly is forecast exactly.
    """
    if length is None or length < 2 * period:
        raise ValueError(
            f"A seasonally adjusted anchor needs a fixed window of at least two periods. "
            f"Received: window={length}, period={period}"
        )
    weights = centred_average(period)
    half = period // 2
    centres = np.arange(half, length - half)
    detrended = np.zeros((len(centres), length))
    for row, centre in enumerate(centres):
        detrended[row, centre] += 1.0
        detrended[row, centre - half:centre - half + len(weights)] -= weights
    phases = centres % period
    means = np.stack([(phases == k) / np.sum(phases == k) for k in range(period)])
    indices = (np.eye(period) - 1.0 / period) @ means @ detrended  # (period, length)
    last = np.zeros(length)
    last[-1] = 1.0
    steps = (length - 1 + np.arange(1, horizon + 1)) % period
    return last + indices[steps] - indices[(length - 1) % period]


def window_levels(history, default_scale=None, epsilon=1e-6):
    """`(windows, 1, features)`: the scale `WindowScaling` divides each window by, in NumPy.

    Args:
        history: `(windows, timesteps, features)` windows.
        default_scale: the layer's `default_scale` (`None`: none).
        epsilon: the layer's `epsilon`.
    """
    level = np.abs(np.asarray(history, "float64")).mean(axis=1, keepdims=True)
    if default_scale is not None:
        level = np.where(level > 0, level, np.asarray(default_scale, "float64"))
    return level + epsilon


def zero_window_scale(history):
    """Per feature, the scale for windows of zeros: the median level of the others.

    The median over the training windows `history` (`(windows, timesteps,
    features)`) whose values of that feature are not all 0: a window of
    zeros is scaled as a typical window, so that the network, not the
    scale, decides what follows it. 1.0 for a feature that is 0 in every
    window.
    """
    level = window_levels(history, epsilon=0.0)[:, 0, :]
    return [float(np.median(column[column > 0])) if np.any(column > 0) else 1.0
            for column in level.T]
