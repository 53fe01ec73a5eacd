"""Rolling-origin backtests: held-out ends of series, their windows and the baselines.

A backtest holds out the last `horizon + origins - 1` values of every
series and forecasts `horizon` steps from each of `origins` consecutive
forecast origins (stride 1), every time from the true history up to the
origin: no value at or after an origin is ever an input, and no held-out
value is ever a training target. A series too short for `origins` origins
gets as many as it allows while keeping `keep` values to train on.

Baselines on the very same windows: the naive forecast (the last value,
repeated), the seasonal-naive forecast (the value one `season` earlier) and,
with statsforecast installed (the `series` extra), AutoETS and AutoTheta
fitted on each window's whole history (refitted at every few origins of a
series of many: `STATISTICAL_FITS`), with their own prediction intervals, so
that the model's interval coverage has a reference on the same values.
"""

import collections
import math
import warnings

import numpy as np

from rnn_keras.metrics.scores import forecast_scores
from rnn_keras.metrics.scores import mase_scale


def hold_out(data, horizon, origins, keep):
    """`(rest, held)`: the series without their held-out ends, and the whole series scored there.

    Args:
        data: `ForecastData`.
        horizon: `int.` Steps forecast from each origin.
        origins: `int.` Forecast origins per series, at most.
        keep: `int.` Values every series keeps to train on.

    Returns:
        Two `ForecastData`: the kept values (nothing scored), and the
        series up to their current end scored from their first origin (a
        series too short for one origin is not scored).
    """
    rest, scored = [], []
    for values in data.values:
        count = min(origins, len(values) - horizon - keep + 1)
        cut = len(values) - (horizon + count - 1) if count >= 1 else len(values)
        rest.append(values[:cut])
        scored.append(cut)
    return (
        data.replace(rest, [len(v) for v in rest]),
        data.replace(data.values, scored),
    )


def window(values, origin, length):
    """The `length` values before `origin`, padded at the front with the first value.

    `values` may have more axes than one (a series' covariates, a row a step).
    """
    context = np.asarray(values[max(0, origin - length) : origin], "float64")
    if len(context) < length:
        context = np.concatenate([np.repeat(context[:1], length - len(context), 0), context])
    return context


def training_origins(length, window_length, horizon):
    """The origins of a training series: every one with a full target, full windows first.

    Origins start at `window_length` (or, for a series shorter than a window
    and a horizon, at the latest one that leaves a full target, with a
    padded window), so every series of a collection trains the model.
    """
    last = length - horizon
    if last < 1:
        return range(0)
    return range(min(window_length, last), last + 1)


def collection_origins(lengths, window_length, horizon, most=None, seed=0):
    """`[(series, origin), ...]`: the training windows of series of `lengths`.

    Every window (`training_origins`), or where there are more than `most`,
    `most` of them drawn at random without replacement (seeded by `seed`),
    in the same order.
    """
    ranges = [training_origins(length, window_length, horizon) for length in lengths]
    counts = np.array([len(r) for r in ranges], "int64")
    total = int(counts.sum())
    if most is None or total <= most:
        return [(i, o) for i, r in enumerate(ranges) for o in r]
    chosen = np.sort(np.random.default_rng(seed).choice(total, size=most, replace=False))
    ends = np.cumsum(counts)
    series = np.searchsorted(ends, chosen, side="right")
    steps = chosen - (ends - counts)[series]
    return [(int(i), ranges[i][int(k)]) for i, k in zip(series, steps)]


def scored_origins(data, horizon):
    """`[(series, origin), ...]` of the scored windows of `ForecastData`, stride 1."""
    return [
        (index, origin)
        for index, (values, first) in enumerate(zip(data.values, data.scored_from))
        for origin in range(first, len(values) - horizon + 1)
    ]


def calibration_origins(data, horizon):
    """`(origins, unseen)`: every window whose target reaches a scored value, and where it does.

    Beside the scored origins (`scored_origins`), the `horizon - 1` origins
    before a series' first scored value forecast its first scored values
    at their later steps: a single series gets `horizon (horizon + 1) / 2`
    forecasts of its scored values where its one scored window gives
    `horizon`. Their earlier steps are values the model trained on, left
    out by `unseen`.

    Returns:
        `[(series, origin), ...]` and a `(windows, horizon)` boolean array,
        `True` where the step's value is scored.
    """
    origins = [
        (index, origin)
        for index, (values, first) in enumerate(zip(data.values, data.scored_from))
        for origin in range(max(1, first - horizon + 1), len(values) - horizon + 1)
    ]
    steps = np.arange(horizon)
    unseen = np.array(
        [origin + steps >= data.scored_from[index] for index, origin in origins], bool
    ).reshape(len(origins), horizon)
    return origins, unseen


def windows(data, origins, window_length, horizon):
    """`(inputs, targets)`: `(windows, window_length)` and `(windows, horizon)` arrays."""
    inputs = np.stack([window(data.values[i], o, window_length) for i, o in origins])
    targets = np.stack([np.asarray(data.values[i][o : o + horizon], "float64") for i, o in origins])
    return inputs, targets


def naive(data, origins, horizon):
    """The last value before each origin, repeated."""
    return np.stack([np.full(horizon, data.values[i][o - 1]) for i, o in origins])


def seasonal_naive(data, origins, horizon, season):
    """The value one `season` before each step (the naive forecast where no season is known)."""
    if season <= 1:
        return naive(data, origins, horizon)
    rows = []
    for i, o in origins:
        values = data.values[i]
        if o < season:
            rows.append(np.full(horizon, values[o - 1]))
        else:
            rows.append(np.array([values[o - season + (j % season)] for j in range(horizon)]))
    return np.stack(rows)


def scales(data, season):
    """Per series, MASE's scale from its values before its first scored origin."""
    return [mase_scale(values[:first], season) for values, first in zip(data.values, data.scored_from)]


def scores(actual, forecasts, origins, series_scales, prefix=""):
    """`forecast_scores` of one forecaster, its keys prefixed (`seasonal_naive_mase`)."""
    index = np.array([i for i, _ in origins])
    result = forecast_scores(actual, forecasts, index, series_scales)
    return {prefix + key: value for key, value in result.items()}


# The most times AutoETS and AutoTheta are fitted to one series in a backtest: a
# series of more origins is refitted at every few of them, the model fitted last
# forecasting from the origins between (statsforecast's `cross_validation` with
# `refit` a number), so that a hundred origins of a long series cost about as
# much as five.
STATISTICAL_FITS = 5
# A collection is fitted fewer times a series (at least once) where its
# histories together hold more than this many values: AutoETS and AutoTheta
# took 0.54 s a fit of an hourly series of 850 values (season 24), and five
# fits of 414 such series (M4 hourly's size) 19 minutes.
STATISTICAL_VALUES = 500_000
# AutoARIMA with covariates (`statistical_forecasts`) is fitted on at most the last
# this many values of a history, and with a season of at most `ARIMA_LONGEST_SEASON`
# steps (else none: the covariates and the ARIMA errors alone): on fpp2's half-hourly
# electricity demand, a fit of 1,000 values took 0.6 s without a season and 37 s with
# its 48, and of all 17,000 without one minutes.
ARIMA_VALUES = 1_000
ARIMA_LONGEST_SEASON = 24


Statistical = collections.namedtuple(
    "Statistical", ["forecasts", "fallbacks", "lower", "upper"]
)


def statistical_forecasts(data, origins, horizon, season, interval=0.0):
    """AutoETS and AutoTheta forecasts from each origin, fitted on the history before it.

    Of series with covariates (`SeriesCollection.covariates`), AutoARIMA's
    too, with the covariates as regressors (ARIMA errors), those of the
    horizon given as they were (as the model reads them): the statistical
    reference that knows what the model knows, fitted on the last
    `ARIMA_VALUES` of each history and, of a season over
    `ARIMA_LONGEST_SEASON` steps, without it.

    A series of up to `STATISTICAL_FITS` origins is fitted at each; one of
    more, at every `ceil(origins / STATISTICAL_FITS)`-th of them (its first
    among them), the fitted model applied to the history before each origin
    between (statsforecast's `forward`: the same parameters, the states run
    on to the origin). A collection whose histories hold more than
    `STATISTICAL_VALUES` values is fitted fewer times a series
    (`statistical_fits`).

    Args:
        interval: `float.` The coverage of the intervals to forecast too (0:
            none), as statsforecast's `level=[100 * interval]`.

    Returns:
        `{name: Statistical}` for `"auto_ets"` and `"auto_theta"` (and
        `"auto_arima_x"` of series with covariates): `forecasts`
        of shape `(windows, horizon)`; `fallbacks`, how many windows got the
        naive forecast because the model could not be fitted (statsforecast
        refuses histories of fewer than about 8 values); `lower` and `upper`,
        the interval's bounds (`nan` in the fallback windows, which have
        none), or `None` without `interval`. `{}` without statsforecast.
    """
    try:
        from statsforecast.models import AutoETS
        from statsforecast.models import AutoTheta
    except ImportError:
        return {}
    models = {"auto_ets": AutoETS, "auto_theta": AutoTheta}
    covariates = data.series.covariates
    if covariates is not None:
        from statsforecast.models import AutoARIMA

        models["auto_arima_x"] = AutoARIMA
    level = [100.0 * interval] if interval else None
    counts = collections.Counter(i for i, _ in origins)
    fits = statistical_fits(origins)
    results = {}
    for name, model in models.items():
        rows, bounds, fallbacks = [], [], 0
        seen, fitted = collections.Counter(), {}
        for i, o in origins:
            history = np.asarray(data.values[i][:o], "float64")
            refit = seen[i] % math.ceil(counts[i] / fits) == 0
            seen[i] += 1
            past = future = {}
            length = season
            if name == "auto_arima_x":
                history = history[-ARIMA_VALUES:]
                known = np.asarray(covariates[i], "float64")
                past, future = {"X": known[:o][-ARIMA_VALUES:]}, {"X": known[o : o + horizon]}
                length = season if season <= ARIMA_LONGEST_SEASON else 1
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    if refit:
                        fitted[i] = None  # a failed fit leaves none to forward
                        fitted[i] = model(season_length=length).fit(y=history, **past)
                        forecast = fitted[i].predict(h=horizon, level=level, **future)
                    else:
                        forecast = fitted[i].forward(
                            y=history, h=horizon, level=level, **past,
                            **{f"{key}_future": value for key, value in future.items()},
                        )
                sides = [forecast[f"{side}-{level[0]}"] for side in ("lo", "hi")] if level else []
                rows.append(np.asarray(forecast["mean"]))
                bounds.append(sides)
            except Exception:  # noqa: BLE001 - any failed fit is counted and replaced
                rows.append(np.full(horizon, history[-1]))
                bounds.append(np.full((2, horizon), np.nan))
                fallbacks += 1
        lower = upper = None
        if level:
            lower, upper = np.moveaxis(np.asarray(bounds, "float64"), 1, 0)
        results[name] = Statistical(np.stack(rows), fallbacks, lower, upper)
    return results


def statistical_fits(origins):
    """The fits of each series: `STATISTICAL_FITS`, fewer (at least one) in a big collection.

    As many as keep the values fitted (each series' history at its first
    origin, once a fit) within `STATISTICAL_VALUES`.
    """
    first = {}
    for i, o in origins:
        first[i] = min(o, first.get(i, o))
    values = sum(first.values())
    return max(1, min(STATISTICAL_FITS, STATISTICAL_VALUES // max(1, values)))
