"""Forecasting data: a collection of series and, per series, where the scored part begins."""

import csv
import dataclasses
import itertools

import numpy as np

from rnn_keras.data import readers
from rnn_keras.data import series_readers
from rnn_keras.data.readers import DataError
from rnn_keras.data.series_readers import MAX_MISSING_SHARE
from rnn_keras.data.series_readers import SeriesCollection
from rnn_keras.tasks.common import logger


@dataclasses.dataclass(frozen=True)
class ForecastData:
    """Series to forecast, each scored from `scored_from[i]` on (the values before are context).

    Training data are scored nowhere (`scored_from` is each length); a
    backtest split holds every series whole with `scored_from` at its
    first forecast origin.

    Args:
        series: a `SeriesCollection` (names, start times, values, frequency).
        scored_from: `tuple` of `int`, one per series.
    """

    series: SeriesCollection
    scored_from: tuple

    def __len__(self):
        return len(self.series)

    @property
    def values(self):
        return self.series.values

    @property
    def scored_values(self):
        """How many values of all series are scored."""
        return int(sum(len(v) - s for v, s in zip(self.values, self.scored_from)))

    def describe(self):
        """How much the data hold, in words (for the log)."""
        total = sum(len(v) for v in self.values)
        scored = self.scored_values
        kind = f"{len(self)} series" if len(self) > 1 else "1 series"
        if not scored:
            return f"{kind}, {total:,} values"
        return f"{kind}, {scored:,} values scored (after {total - scored:,} of context)"

    def replace(self, values, scored_from):
        """The same series (names, starts, frequency) with other values and scored parts."""
        series = dataclasses.replace(self.series, values=[np.asarray(v) for v in values])
        return ForecastData(series, tuple(int(s) for s in scored_from))


def training_data(series):
    """`ForecastData` of a `SeriesCollection` to train on (nothing scored)."""
    return ForecastData(series, tuple(len(v) for v in series.values))


def read_series(path, column=None, encoding="utf-8"):
    """The series of a forecasting file, as a `SeriesCollection`.

    `.tsf` files (Monash) and CSV files whose first column holds timestamps
    (`series_readers.read_timestamp_csv`, wide or long; frequency inferred)
    keep their names, start times and frequency; any other CSV is read as
    one numeric `column` without timestamps (a CSV of one column: that one).

    Missing values (`?` in a `.tsf`, an empty cell or a gap in the
    timestamps of a CSV) are filled by linear interpolation, with a
    warning, up to `MAX_MISSING_SHARE` of a series; more is an error.
    """
    tsf = str(path).lower().endswith(".tsf")
    rows = [] if tsf else _first_rows(path, encoding)
    if tsf:
        collection = series_readers.read_tsf(path, encoding)
    elif _first_column_is_time(rows):
        collection = series_readers.read_timestamp_csv(path, encoding, value_column=column)
    else:
        if column is None:
            column = _only_column(rows)
        if column is None:
            raise DataError(
                path, 1,
                "the first column holds no timestamps (YYYY, YYYY-MM, YYYY-MM-DD, ...): name "
                "the column to forecast (--column NAME)",
            )
        values = np.asarray(readers.read_csv_column(path, column, encoding), "float64")
        collection = SeriesCollection([str(column)], [None], [values])
    values, notes = [], []
    for name, series in zip(collection.names, collection.values):
        filled, missing = _filled(path, name, series)
        values.append(filled)
        if missing.any():
            notes.append(f"{name!r} {int(missing.sum())} of {len(series)} (the first at step "
                         f"{int(np.argmax(missing))})")
    if notes:
        logger.warning(
            "forecast: %s: missing values filled by linear interpolation in %d series: %s%s",
            path, len(notes), ", ".join(notes[:3]), ", ..." if len(notes) > 3 else "",
        )
    return dataclasses.replace(collection, values=values)


def _filled(path, name, values):
    """`(values, missing)`: `values`, those `missing` linearly interpolated (ends: the nearest).

    More than `MAX_MISSING_SHARE` of a series missing is refused by name.
    """
    missing = ~np.isfinite(values)
    count = int(missing.sum())
    if not count:
        return values, missing
    if count > MAX_MISSING_SHARE * len(values):
        raise DataError(
            path, None,
            f"series {name!r} misses {count} of its {len(values)} values, more than the "
            f"{MAX_MISSING_SHARE:.0%} filled by interpolation; fill them before forecasting",
        )
    known = np.flatnonzero(~missing)
    filled = values.copy()
    filled[missing] = np.interp(np.flatnonzero(missing), known, values[known])
    return filled, missing


def _first_rows(path, encoding):
    """The fields of the file's first two lines: its header and first data row."""
    lines = itertools.islice(readers.iter_lines(path, encoding), 2)
    return [next(csv.reader([line]), []) for line in lines]


def _first_column_is_time(rows):
    """Whether the first field of the first data row is a timestamp, beside other columns.

    `rows` are `_first_rows`. A single column is values, whatever they look
    like (1687 reads as a year).
    """
    fields = rows[-1] if len(rows) == 2 else []
    return len(fields) >= 2 and series_readers.is_timestamp(fields[0])


def _only_column(rows):
    """The header's one column name (`rows` are `_first_rows`), or `None` where it has several."""
    return rows[0][0].strip() if rows and len(rows[0]) == 1 else None
