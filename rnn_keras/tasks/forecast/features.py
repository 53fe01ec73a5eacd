"""What a forecaster may know of a window besides its values: its series, calendar, covariates.

**Series identity**: each training series gets an id, 1 to N in the order
of the training file (`series_vocabulary`); a name training never saw, and
a history given without a name, read 0 (unknown).

**Calendar**: the position in the season of a window's first forecast
step. Where the series' start time and frequency are known and the season
is one of the frequency's cycles (`series_readers.seasonal_periods`), it
is a place in the calendar:

| frequency | season | position |
|---|---|---|
| monthly | 12 | month of the year (January 0) |
| quarterly | 4 | quarter of the year (January-March 0) |
| weekly | 52 | week of the year (days 1-7 of the year 0; days after the 364th 51) |
| daily | 7 | day of the week (Monday 0) |
| daily | 365 | day of the year (January 1st 0; December 31st of a leap year 364) |
| business_daily | 5 | day of the week (Monday 0, Friday 4) |
| business_daily | 261 | weekday of the year (the year's first weekday 0; a 262nd 260) |
| hourly | 24, 168 | hour of the day; hour of the week (Monday 0:00 0) |
| half_hourly | 48, 336 | half-hour of the day; of the week |
| 5_minutes, 10_minutes, 15_minutes | a day, a week of steps | step of the day; of the week |

Otherwise (no start time, another frequency or season) it is the value's
index in its series modulo the season: consistent within a series, not
across series. The model reads positions as ids, `position + 1`, with 0
for unknown (`calendar_ids`).

**Covariates**: columns of the series' table known at every step, those of
the window and those of the horizon after it (working days, a price set
ahead, a temperature forecast): `covariate_windows`. Darts calls them
future covariates, statsforecast exogenous variables. **Past covariates**:
columns observed with the series up to its last value, not known ahead
(another measurement, a related series; Darts' past covariates): those of
the window alone, `covariate_windows` with no horizon. **Static
covariates**: categories that hold for a whole series (its state, store,
product group: GluonTS's `feat_static_cat`), each value an id, 1 to N in
the sorted order of the values training saw, 0 for one it never saw or
a missing one (`static_ids`).
"""

import datetime

import numpy as np

from rnn_keras.data.readers import DataError
from rnn_keras.data.series_readers import fixed_step
from rnn_keras.data.series_readers import seasonal_periods
from rnn_keras.tasks.forecast import backtest

# Months per step of the frequencies counted in months.
_STEP_MONTHS = {"monthly": 1, "quarterly": 3}
_MINUTES_PER_DAY = 1440


def has_calendar(frequency, season):
    """Whether series at `frequency` have a calendar position for `season` (else index-based)."""
    counted = fixed_step(frequency) is not None or frequency in (*_STEP_MONTHS, "business_daily")
    return counted and season in seasonal_periods(frequency)


def calendar_positions(start, frequency, season, steps):
    """Positions in the season, in `[0, season)`, of steps counted from a series' first value.

    Args:
        start: `datetime.datetime` of the series' first value, or `None`.
        frequency: `str` or `None`, the series' normalised frequency.
        season: `int`, 2 or more. The season length in steps.
        steps: 1-D `int` array-like: indices in the series (0: its first value).

    Returns:
        `(len(steps),)` `int64` array: the calendar position of each step
        (see the module's table), or the index modulo `season` where the
        start, the frequency or their calendar for `season` is unknown.

    Example:

    ```python
    # A monthly series from January 1949: its 15th value is March 1950.
    calendar_positions(datetime.datetime(1949, 1, 1), "monthly", 12, [14])  # [2]
    ```
    """
    steps = np.asarray(steps, "int64")
    if start is None or not has_calendar(frequency, season):
        return steps % season
    if frequency == "business_daily":  # a week of five steps
        if season == 5:
            return (start.weekday() + steps) % season
        days = np.busday_offset(np.datetime64(start.date()), steps, roll="forward")
        years = days.astype("datetime64[Y]").astype("datetime64[D]")
        return np.minimum(np.busday_count(years, days), season - 1)
    if frequency in _STEP_MONTHS:
        months = start.month - 1 + steps * _STEP_MONTHS[frequency]
        return (months // _STEP_MONTHS[frequency]) % season
    step_minutes = fixed_step(frequency) // datetime.timedelta(minutes=1)
    minutes = np.datetime64(start, "m").astype("int64") + steps * step_minutes
    days = minutes // _MINUTES_PER_DAY
    weekday = (days + 3) % 7  # 1970-01-01, day 0, was a Thursday (3; Monday 0)
    if frequency == "weekly" or season == 365:
        years = (days.astype("datetime64[D]").astype("datetime64[Y]")
                 .astype("datetime64[D]").astype("int64"))
        day_of_year = days - years
        if season == 365:
            return np.minimum(day_of_year, 364)
        return np.minimum(day_of_year // 7, 51)
    if frequency == "daily":
        return weekday
    step_of_day = (minutes % _MINUTES_PER_DAY) // step_minutes
    steps_per_day = _MINUTES_PER_DAY // step_minutes
    if season == steps_per_day:
        return step_of_day
    return weekday * steps_per_day + step_of_day


def calendar_ids(start, frequency, season, steps):
    """`calendar_positions + 1`: the ids the model embeds (0 is left for unknown)."""
    return calendar_positions(start, frequency, season, steps) + 1


def series_vocabulary(names):
    """`{name: id}` of training series, ids from 1 in order of first appearance."""
    vocabulary = {}
    for name in names:
        vocabulary.setdefault(str(name), len(vocabulary) + 1)
    return vocabulary


def series_ids(vocabulary, names):
    """`(len(names),)` `int32` ids of series `names`: their `vocabulary` id, 0 if unknown."""
    return np.array([vocabulary.get(str(name), 0) for name in names], "int32")


def static_ids(known, static, series):
    """`(len(series), k)` int32 ids of the static covariates of `series` (indices).

    Args:
        known: per static covariate, the values training saw, sorted
            (their ids 1, 2, ...): `state["static_values"]`.
        static: per series of the collection, its values
            (`SeriesCollection.static_covariates`).
        series: the series of each row, indices into `static`.
    """
    # Each series' ids once, as a series' own id is found (`series_ids`), then each row's.
    table = np.stack([
        series_ids(series_vocabulary(values), [row[index] for row in static])
        for index, values in enumerate(known)
    ], axis=1)
    return table[np.asarray(series, "int64")]


def covariate_windows(covariates, origins, window, horizon):
    """`(windows, window + horizon, k)` float32: the covariates of each window and its horizon.

    Args:
        covariates: per series, its `(steps, k)` covariates
            (`SeriesCollection.covariates`).
        origins: `[(series, origin), ...]`: each window's first forecast step.
        window, horizon: `int`, the steps before and from each origin.

    Returns:
        The covariates at steps `origin - window` to `origin + horizon - 1`
        of each series, padded at the front with their first row where the
        window starts before the series, as values are (`backtest.window`).
    """
    rows = []
    for series, origin in origins:
        known = np.asarray(covariates[series], "float64")
        if len(known) < origin + horizon:
            raise ValueError(
                f"Invalid value for argument `covariates`. Expected {origin + horizon} steps of "
                f"series {series}'s covariates (to the horizon after step {origin}). "
                f"Received: {len(known)} steps"
            )
        # The window of the values' end at the horizon's last step.
        rows.append(backtest.window(known, origin + horizon, window + horizon))
    return np.stack(rows).astype("float32")


def check_covariates_ahead(path, series, horizon):
    """Refuses a file whose covariates stop before the horizon after a series' end."""
    for name, values, known in zip(series.names, series.values, series.covariates):
        if len(known) < len(values) + horizon:
            raise DataError(
                path, None,
                f"series {name!r} ends after {len(values)} steps, its covariates "
                f"({', '.join(series.covariate_names)}) after {len(known)}: forecasting the "
                f"{horizon} steps after its end needs them for those steps too (rows whose "
                "series cells are empty)",
            )
