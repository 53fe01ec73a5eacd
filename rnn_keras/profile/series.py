"""What a set of series looks like: size, scale, level stationarity and seasonality."""

import math

import numpy as np

from rnn_keras.profile.text import quantiles

# A series counts as normalised (z-normalised, as the UCR archive ships
# them) when its mean is within this of 0 and its standard deviation within
# this of 1.
NORMALISED_TOLERANCE = 0.05
# The KPSS test's 5% critical value for stationarity around a level
# (Kwiatkowski et al. 1992, table 1), and the fewest values it is computed on.
KPSS_CRITICAL_5 = 0.463
KPSS_MIN_LENGTH = 10
# `find_season` tries periods from 2 up to a quarter of a typical series
# (four cycles at least) and `MAX_FOUND_PERIOD` (a week of half-hours), on at
# most `FOUND_SERIES` series (or channels) of at most their last
# `FOUND_VALUES` values each.
MAX_FOUND_PERIOD = 400
FOUND_SERIES = 20
FOUND_VALUES = 2000
# The season is the shortest period whose seasonal strength is within
# `FOUND_MARGIN` of the strongest (a cycle of 12 repeats at 24 and 36 as
# strongly), where it reaches `FOUND_STRENGTH` in the values and
# `FOUND_CHANGE_STRENGTH` in their first differences. A random walk's slow
# wiggles look like a long cycle in its values (seed 2, 225 values: 0.74 at
# period 42) but not in its steps, which are noise. Measured on the first
# three quarters of each series: the strongest periods of noise, random walks
# and AR(1) (0.9) series of 224 steps (7 seeds) reached 0.23 in their
# differences; the seasonal series 0.33-0.87 there (weekly CO2 0.33 at 52,
# half-hourly solar power 0.60 at 48, seatbelts' KSI 0.59 and airline 0.79 at
# 12) and 0.77-0.97 in their values (`benchmarks/README.md`).
#
# A cycle in as much noise fails that test (a sine of period 12: 0.57 in its
# values, 0.18 in its steps: differencing shrinks a slow cycle and doubles
# noise), so a period is also kept where it is **sharp**: its strength reaches
# `FOUND_SHARP_STRENGTH` and exceeds that of every period within two steps of
# it by `FOUND_SHARPNESS / sqrt(n)`, `n` values. A true cycle drifts out of
# phase at a period beside it over many cycles; a wiggle, noise or a random
# walk scores alike at periods close together. On 2,100 null series (random
# walks, AR(1) 0.9 and noise, 48-1,500 values, 100 seeds each) it added no
# season to the 24 short ones the first test keeps, and kept one alone (noise,
# 90 values) in a second draw; sines of periods 4-52 in as much noise are found
# from about ten cycles on (`benchmarks/README.md`).
FOUND_STRENGTH = 0.5
FOUND_CHANGE_STRENGTH = 0.25
FOUND_SHARP_STRENGTH = 0.4
FOUND_SHARPNESS = 4.0
FOUND_MARGIN = 0.05
# A period that only a few of its cycles span measures strong by chance: its
# position means average few values each, and a slow wander (a year's
# temperatures under a week's cycle of demand) fits them beyond what the
# strength's allowance for noise removes. Where the period found spans fewer
# than `FEW_CYCLES` cycles of a typical series, the shortest period dividing
# it that qualifies itself and comes within `DIVISOR_MARGIN` of its strength
# is the season (a cycle of 7 repeats at 84). fpp2's daily electricity demand
# alone: 84 (0.73 over 4 cycles) found, 7 (0.66) now. On 125 public monthly,
# quarterly, weekly, half-hourly and hourly series read without their
# frequency, no period found changes (each spans 8 or more cycles, or no
# divisor comes within 0.1); without the cycles' condition three monthly
# series found 12 would get 6 at a margin of 0.15 (`benchmarks/README.md`).
FEW_CYCLES = 8
DIVISOR_MARGIN = 0.1


def series_profile(series):
    """The profile of a list of series (each a list of numbers or of per-step vectors).

    Missing values (NaN) are left out of the statistics.

    Returns:
        `dict`: `examples`, `length` (quantiles), `channels`, `mean` and
        `std` over all values, `normalised` (whether every series already
        has mean 0 and standard deviation 1), `scale_spread` (the 90th
        percentile of the series' own standard deviations over the 10th;
        `None` where a tenth of the series are constant).
    """
    arrays = [np.asarray(s, "float64") for s in series]
    arrays = [a[:, None] if a.ndim == 1 else a for a in arrays]
    values = np.concatenate([a.reshape(-1) for a in arrays])
    values = values[np.isfinite(values)]
    means = np.array([np.nanmean(a) for a in arrays])
    stds = np.array([np.nanstd(a) for a in arrays])
    normalised = bool(
        np.all(np.abs(means) < NORMALISED_TOLERANCE)
        and np.all(np.abs(stds - 1) < NORMALISED_TOLERANCE)
    )
    low, high = np.percentile(stds, [10, 90])
    return {
        "examples": len(arrays),
        "length": quantiles([len(a) for a in arrays]),
        "channels": int(arrays[0].shape[1]),
        "mean": float(values.mean()),
        "std": float(values.std()),
        "normalised": normalised,
        "scale_spread": round(float(high / low), 1) if low > 0 else None,
    }


def kpss_level(values):
    """The KPSS statistic of `values` against stationarity around a level.

    The partial sums `S_t` of the deviations from the mean give
    `sum_t S_t^2 / (n^2 * s^2)`, with `s^2` the long-run variance (Bartlett
    weights over `trunc(3 sqrt(n) / 13)` lags, the choice of R's
    `forecast::ndiffs`). Above `KPSS_CRITICAL_5` (0.463) the test rejects a
    constant level at 5%: the series trends or wanders like a random walk.
    Missing values (NaN) are left out; a constant series scores 0.

    Args:
        values: 1-D sequence of numbers.

    Returns:
        `float`.
    """
    values = np.asarray(values, "float64")
    values = values[np.isfinite(values)]
    count = len(values)
    deviations = values - values.mean()
    variance = deviations @ deviations / count
    lags = int(3 * np.sqrt(count) / 13)
    for lag in range(1, lags + 1):
        weight = 1 - lag / (lags + 1)
        variance += 2 * weight * (deviations[lag:] @ deviations[:-lag]) / count
    if variance <= 0:
        return 0.0
    sums = np.cumsum(deviations)
    return float(sums @ sums / (count * count * variance))


def trending_share(series, held_out=0):
    """The share of series that fail the KPSS level test at 5%.

    Each series is tested without its last `held_out` values, so that what
    a backtest and a validation forecast hold out of its end does not choose
    how the model is trained. Series (or channels) with fewer than
    `KPSS_MIN_LENGTH` values left are not counted, nor constant ones (an
    indicator column that never fires, a run of zeros): they neither trend
    nor hold a level worth the name, and would vote for `window` scaling.

    Args:
        series: list of series, each a list of numbers or of per-step vectors.
        held_out: `int`, the values left out of the end of every series.

    Returns:
        `float` in [0, 1], or `None` when no series is long enough.
    """
    verdicts = [
        kpss_level(channel) > KPSS_CRITICAL_5
        for channel in _channels(series, held_out)
        if np.isfinite(channel).sum() >= KPSS_MIN_LENGTH and np.nanmax(channel) > np.nanmin(channel)
    ]
    return float(np.mean(verdicts)) if verdicts else None


def find_season(series, held_out=0):
    """The season of series whose frequency is unknown, found in their values.

    Each period from 2 up to a quarter of the typical series (at most
    `MAX_FOUND_PERIOD`) is scored by its mean `seasonal_strength` over the
    first `FOUND_SERIES` series, each without its last `held_out` values
    and cut to its last `FOUND_VALUES`; the season is the shortest period within
    `FOUND_MARGIN` of the strongest, where its strength reaches
    `FOUND_STRENGTH` and that of the series' first differences there
    `FOUND_CHANGE_STRENGTH`, or where it is sharp: its strength reaches
    `FOUND_SHARP_STRENGTH` and exceeds every period's within two steps by
    `FOUND_SHARPNESS / sqrt(n)` (`n` values of a typical series). A
    period spanning fewer than `FEW_CYCLES` cycles gives way to its
    shortest divisor that is found itself and within `DIVISOR_MARGIN` of
    its strength (`_divisor_found`).

    Args:
        series: list of series, each a list of numbers or of per-step vectors.
        held_out: `int`, the values left out of the end of every series.

    Returns:
        `dict`: `period` (`int`, or `None` where no period qualifies),
        `strength`, `change_strength` and `sharpness` (its strength less the
        strongest of the periods within two steps) of the strongest
        shortest period (`None` where the series are too short for any).
    """
    tested = [np.asarray(values, "float64") for values in series[:FOUND_SERIES]]
    tested = [values[: max(0, len(values) - held_out)][-FOUND_VALUES:] for values in tested]
    length = int(np.median([len(values) for values in tested])) if tested else 0
    periods = range(2, min(MAX_FOUND_PERIOD, length // 4) + 1)
    strengths = seasonal_strengths(tested, periods)
    if not strengths:
        return {"period": None, "strength": None, "change_strength": None, "sharpness": None}
    best = max(strengths.values())
    period = min(p for p, strength in strengths.items() if strength >= best - FOUND_MARGIN)
    changes = [np.diff(values, axis=0) for values in tested]
    if length < FEW_CYCLES * period:
        period = _divisor_found(strengths, changes, period)
    change = seasonal_strengths(changes, [period]).get(period, 0.0)
    beside = [strengths[p] for p in range(period - 2, period + 3) if p != period and p in strengths]
    sharpness = strengths[period] - max(beside) if beside else 0.0
    found = strengths[period] >= FOUND_STRENGTH and change >= FOUND_CHANGE_STRENGTH
    sharp = (strengths[period] >= FOUND_SHARP_STRENGTH
             and sharpness >= FOUND_SHARPNESS / math.sqrt(length))
    return {
        "period": period if found or sharp else None,
        "strength": round(strengths[period], 3),
        "change_strength": round(change, 3),
        "sharpness": round(sharpness, 3),
    }


def _divisor_found(strengths, changes, period):
    """The shortest divisor of `period` found as a season itself, else `period`.

    Found: its strength (in `strengths`, `{period: strength}`) reaches
    `FOUND_STRENGTH` and comes within `DIVISOR_MARGIN` of `period`'s, and
    its strength in the series' first differences (`changes`) reaches
    `FOUND_CHANGE_STRENGTH`.
    """
    floor = max(FOUND_STRENGTH, strengths[period] - DIVISOR_MARGIN)
    for divisor in range(2, period):
        if period % divisor or strengths.get(divisor, 0.0) < floor:
            continue
        if seasonal_strengths(changes, [divisor]).get(divisor, 0.0) >= FOUND_CHANGE_STRENGTH:
            return divisor
    return period


def _channels(series, held_out):
    """Every channel of every series, as 1-D arrays without its last `held_out` values."""
    for values in series:
        values = np.asarray(values, "float64")
        values = values[:, None] if values.ndim == 1 else values
        yield from values[: max(0, len(values) - held_out)].T


def seasonal_strength(values, period):
    """How much of a series' variation around its trend repeats every `period` steps.

    The classical decomposition: the trend is the centred moving average
    over one period (a 2 x `period` average for an even period), and the
    seasonal component the mean deviation from it at each position of the
    period. The strength is the share of the detrended variance that the
    seasonal component explains, less what position means of pure noise
    explain by chance (about `period / n` of it, `n` detrended values):
    0 for noise or no cycle at this period, near 1 for a clean cycle.

    Args:
        values: 1-D sequence of numbers, without missing values.
        period: `int`, 2 or more.

    Returns:
        `float` in [0, 1], or `None` for fewer than two periods of
        detrended values.
    """
    values = np.asarray(values, "float64")
    average = centred_average(period)
    count = len(values) - len(average) + 1  # the detrended values
    if count < 2 * period:
        return None
    trend = np.convolve(values, average, mode="valid")
    offset = (len(average) - 1) // 2
    detrended = values[offset : offset + count] - trend
    positions = (np.arange(count) + offset) % period
    means = np.bincount(positions, detrended, period) / np.bincount(positions, minlength=period)
    total = detrended.var()
    if total <= 1e-12 * values.var():  # constant, or all trend (round-off left)
        return 0.0
    explained = 1 - (detrended - means[positions]).var() / total
    chance = period / count
    return float(np.clip((explained - chance) / (1 - chance), 0.0, 1.0))


def centred_average(period):
    """The weights of the centred moving average over one `period`: a decomposition's trend.

    `period` values alike for an odd period; for an even one the `2 x
    period` average: `period + 1` values, the two ends half the others.
    """
    average = np.full(period, 1.0 / period)
    if period % 2 == 0:
        average = np.convolve(average, [0.5, 0.5])
    return average


def seasonal_strengths(series, periods, held_out=0):
    """`{period: mean seasonal_strength}` over the series, each without its last `held_out` values.

    Series (or channels) with missing values, or too short for a period,
    are not counted for it; a period no series is long enough for is left
    out.

    Args:
        series: list of series, each a list of numbers or of per-step vectors.
        periods: sequence of `int` periods.
        held_out: `int`, the values left out of the end of every series.
    """
    channels = [c for c in _channels(series, held_out) if np.isfinite(c).all()]
    strengths = {}
    for period in periods:
        measured = [seasonal_strength(c, period) for c in channels]
        measured = [s for s in measured if s is not None]
        if measured:
            strengths[int(period)] = float(np.mean(measured))
    return strengths
