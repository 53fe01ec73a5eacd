"""The forecast interval's conformal calibration: how far it is widened, fitted and applied.

`ForecastTask.calibrate` fits one factor on the validation values and keeps
it in the task's state; the task's forecasts and every export apply it
through `interval_margin`, in NumPy or TensorFlow alike.

| state key | margin added on each side | written by |
|---|---|---|
| `interval_stretch` | the factor times the model's own interval width, at each step of each window | `calibrate` now |
| `interval_widening` | the factor times the window's level (mean absolute value) | `calibrate` until 2026-12-04; still read |
"""

import numpy as np

from rnn_keras.metrics.scores import conformal_quantile

# The keys of the task's state that hold a calibration factor.
CALIBRATION_KEYS = ("interval_stretch", "interval_widening")


def interval_calibration(state):
    """`{key: factor}` of the calibration factors in a task's `state` (empty: not calibrated)."""
    return {key: float(state[key]) for key in CALIBRATION_KEYS if key in state}


def interval_margin(calibration, lower, upper, level):
    """What is added above `upper` and taken below `lower`: `(windows, horizon)`.

    Args:
        calibration: `interval_calibration` of the task's state.
        lower, upper: `(windows, horizon)` bounds of the model's interval
            (NumPy arrays or tensors).
        level: `(windows,)` each window's level (`ForecastTask.window_level`).
    """
    stretch = calibration.get("interval_stretch", 0.0)
    widening = calibration.get("interval_widening", 0.0)
    return stretch * (upper - lower) + widening * level[:, None]


def fit_stretch(actual, lower, upper, level, scored, interval):
    """The conformal stretch of the model's interval for coverage `interval` (0 or more).

    Conformalised quantile regression with scores scaled by the interval's
    width (CQR-r, Sesia and Candès, 2020): a value's score is how far it
    lies outside its interval, as a share of the interval's width, so a
    step or window the model finds uncertain is widened more. Each step of
    the horizon weighs alike (as in the backtest, where every origin
    forecasts every step; among the validation forecasts the earlier
    origins forecast only the later steps).

    Never negative: the model's own interval is the narrowest one given.
    The validation values come before the backtest's and the future's,
    whose errors grow with the distance from the training data; narrowing
    on their evidence under-covered where it happened (realgdp and cpi,
    seeds 0-2: 0.67 and 0.58 raw, 0.48-0.50 narrowed; `benchmarks/README.md`).

    Args:
        actual, lower, upper: `(windows, horizon)` values and bounds.
        level: `(windows,)` each window's level, a floor on the width
            (a millionth of it) where the model's interval collapses.
        scored: `(windows, horizon)` boolean, the values to calibrate on.
        interval: `float.` The coverage the interval claims.

    Returns:
        `(stretch, count)`: the factor, and how many values it rests on.
    """
    scores, weights = width_scores(actual, lower, upper, level, scored)
    return max(0.0, conformal_quantile(scores, interval, weights)), scores.size


def width_scores(actual, lower, upper, level, scored):
    """`(scores, weights)` of the `scored` values, as `fit_stretch` reads them.

    Each score is how far the value lies outside its interval over the
    interval's width (floored at a millionth of the window's level); each
    weight makes every step of the horizon weigh alike.
    """
    width = np.maximum(upper - lower, 1e-6 * level[:, None])
    scores = (np.maximum(lower - actual, actual - upper) / width)[scored]
    return scores, step_weights(scored)


def step_weights(scored):
    """The weight of each `scored` value (`(windows, horizon)` boolean), in `scored`'s order.

    Each step of the horizon weighs alike: a value weighs one over how many
    values are scored at its step.
    """
    steps = np.nonzero(scored)[1]
    return 1.0 / np.bincount(steps)[steps]
