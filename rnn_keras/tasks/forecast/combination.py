"""The network's forecast combined with the seasonal naive forecast, weighted on validation.

`ForecastTask.calibrate` fits one weight on the validation forecasts (those
the interval's calibration reads) and keeps it in the task's state; the
task's forecasts and every export apply it through `combined`, in NumPy or
TensorFlow alike:

    forecast = (1 - weight) * network + weight * seasonal naive

the interval moving with the point forecast (its width is the network's).
The weight is the one of `WEIGHTS` whose combination has the least error on
the validation values (0, the network alone, on a tie): a forecast
combination fitted on a hold-out, as forecasters weigh their methods. Both
forecasts err differently, so their mix often errs less than either; on
eighteen series (4 shared, 14 public; seed 0) the combination never scored
worse than the network alone, and took airline's backtest MASE from 0.622 to
0.509 and wineind's from 1.156 to 0.935 (`benchmarks/README.md`).

An ensemble of models takes the mean of its members' weights (an average
trained by `--seeds` then fits its interval's stretch on its own forecasts:
`ForecastTask.calibrate(averaged=True)`).
"""

import numpy as np

from rnn_keras.tasks.forecast.intervals import step_weights

# The task state's key of the seasonal naive forecast's weight.
COMBINATION_KEY = "seasonal_naive_weight"
# The weights tried, from the network alone (0) to the seasonal naive forecast alone.
WEIGHTS = tuple(round(0.05 * step, 2) for step in range(21))


def combination_weight(state):
    """The seasonal naive forecast's weight in a task's `state` (0: not combined)."""
    return float(state.get(COMBINATION_KEY, 0.0))


def seasonal_naive_steps(window, horizon, season):
    """The positions in a window of `window` values whose values forecast the `horizon` steps.

    The value one `season` before each step; the last value (the naive
    forecast) where there is no season or the window holds less than one,
    as `backtest.seasonal_naive` forecasts before a series' first season.
    """
    if season <= 1 or window < season:
        return [window - 1] * horizon
    return [window - season + step % season for step in range(horizon)]


def seasonal_naive(history, horizon, season):
    """The seasonal naive forecasts `(windows, horizon)` of `(windows, window)` NumPy histories."""
    return history[:, seasonal_naive_steps(history.shape[1], horizon, season)]


def combined(weight, baseline, point, lower=None, upper=None):
    """`(point, lower, upper)` moved `weight` of the way to `baseline` (bounds `None` stay so).

    NumPy arrays or tensors alike, `(windows, horizon)` each.
    """
    shift = weight * (baseline - point)
    return (
        point + shift,
        None if lower is None else lower + shift,
        None if upper is None else upper + shift,
    )


def fit_weight(actual, network, baseline, level, scored):
    """The seasonal naive forecast's weight (of `WEIGHTS`) of least error on the `scored` values.

    The error is the mean absolute error in window levels (each window on
    its own scale, as the loss), each step of the horizon weighing alike
    (`intervals.step_weights`). On a tie the smaller weight.

    Args:
        actual, network, baseline: `(windows, horizon)` values and forecasts.
        level: `(windows,)` each window's level.
        scored: `(windows, horizon)` boolean, the values to weigh on.

    Returns:
        `(weight, errors)`: the weight, and the error of each of `WEIGHTS`.
    """
    weights = step_weights(scored)
    scale = np.maximum(level, 1e-12)[:, None]
    errors = []
    for weight in WEIGHTS:
        forecast = combined(weight, baseline, network)[0]
        error = (np.abs(actual - forecast) / scale)[scored]
        errors.append(float(np.sum(error * weights) / np.sum(weights)))
    return WEIGHTS[int(np.argmin(errors))], errors
