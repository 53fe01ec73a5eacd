"""Series as GluonTS writes them: JSON lines of `{"start": ..., "target": [...]}`.

GluonTS's `FileDataset` and its datasets on disk (`<name>/train/data.json`,
`<name>/test/data.json`, gzipped or not, beside `<name>/metadata.json`) hold a
series a line; the frequency and the forecast horizon are in the metadata
(`"freq": "H"`, `"prediction_length": 48`), as pandas names frequencies.
"""

import json
import math
import os
import re

import numpy as np

from rnn_keras.data.readers import DataError
from rnn_keras.data.readers import _lines
from rnn_keras.data.series_readers import SeriesCollection
from rnn_keras.data.series_readers import _tsf_trimmed
from rnn_keras.data.series_readers import parse_timestamp

# pandas' frequency aliases (`H`, `30min`, `W-SUN`, `MS`, `QE-DEC`) by their unit, in
# lower case, as the names the season tables use (`series_readers.SEASONAL_PERIODS`).
_PANDAS_UNITS = {
    "h": "hourly", "d": "daily", "b": "business_daily", "w": "weekly",
    "m": "monthly", "ms": "monthly", "me": "monthly",
    "q": "quarterly", "qs": "quarterly", "qe": "quarterly",
    "a": "yearly", "as": "yearly", "y": "yearly", "ys": "yearly", "ye": "yearly",
}
# Steps of minutes with a name of their own.
_PANDAS_MINUTES = {5: "5_minutes", 10: "10_minutes", 15: "15_minutes", 30: "half_hourly"}
_PANDAS_ALIAS = re.compile(r"\s*(?P<count>\d*)\s*(?P<unit>[a-z]+)(-\w+)?\s*", re.IGNORECASE)
# What a file of one JSON document (an array of records, an object over several
# lines) is told.
_DOCUMENT = (
    "one JSON document over the file, not a series a line: records (pandas' "
    '`to_json(orient="records")`) are not read; write them as a CSV'
)
# The names of a series' id in a line (GluonTS's `item_id`, then others seen in exports).
_ID_KEYS = ("item_id", "id", "series_name", "name")


def pandas_frequency(alias):
    """The frequency name of a pandas alias (`"H"`: `"hourly"`, `"30min"`: `"half_hourly"`).

    `None` for an alias of another step (`"2H"`, `"7D"`): the frequency is
    then unknown, and the season is found in the values.
    """
    match = _PANDAS_ALIAS.fullmatch(str(alias))
    if match is None:
        return None
    count, unit = int(match["count"] or 1), match["unit"].lower()
    if unit in ("min", "t"):
        return _PANDAS_MINUTES.get(count)
    return _PANDAS_UNITS.get(unit) if count == 1 else None


def read_json_lines(path, encoding="utf-8", covariates=(), past_covariates=()):
    """Reads series from GluonTS's JSON lines: a series a line, `start` and `target`.

    Each line not blank is an object with `start` (a timestamp) and
    `target` (numbers; `null`, `NaN` or `"NaN"` missing), named by
    `item_id` (or `id`, `series_name`, `name`; else `T1`, `T2`, ...). The
    missing values before a series' first value and after its last are
    not part of it. The frequency and horizon come from `metadata.json`
    (`freq`, `prediction_length`) in the file's folder or the one above
    it, as GluonTS lays its datasets out; without one, both are unknown.

    `covariates` and `past_covariates` name fields of each line read as
    the series' covariates (`SeriesCollection.covariates`,
    `past_covariates`), aligned with `target` from `start`: GluonTS's
    `feat_dynamic_real` (known ahead, running past the target over the
    horizon to forecast) and `past_feat_dynamic_real` (observed with it),
    or any other field of numbers. A field of several rows (`[[...],
    [...]]`, as GluonTS writes them) gives a covariate a row, named
    `field[0]`, `field[1]`, ...; a flat list one, named as the field.

    Raises:
        DataError: naming the file and line of a line that is no such
            object, a target of several dimensions, a value that is no
            number, or a start that is no timestamp; of a covariate field
            the line lacks, whose rows differ in number from the first
            line's, miss a value or stop before the target.
    """
    frequency, horizon = _metadata(path)
    names, starts, values, attributes = [], [], [], []
    fields = {"--covariates": list(covariates), "--past-covariates": list(past_covariates)}
    known = {option: [] for option in fields}
    labels = {option: None for option in fields}
    for number, line in _lines(path, encoding):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            if not names and line.strip() in ("[", "{"):
                raise DataError(path, number, _DOCUMENT) from None
            raise DataError(
                path, number, f"not a JSON object ({error.msg}); expected a series a line, "
                '{"start": ..., "target": [...]}, as GluonTS writes them'
            ) from None
        if isinstance(entry, list) and all(isinstance(record, dict) for record in entry):
            raise DataError(path, number, _DOCUMENT)
        if not isinstance(entry, dict) or "target" not in entry or "start" not in entry:
            raise DataError(path, number, 'expected {"start": ..., "target": [...]} on each line')
        start = parse_timestamp(str(entry["start"]))
        if start is None:
            raise DataError(path, number, f"'start' is not a timestamp: {entry['start']!r}")
        series = _target(path, number, entry["target"])
        observed = np.flatnonzero(~np.isnan(series))
        first = int(observed[0]) if observed.size else 0
        start, series = _tsf_trimmed(start, series, frequency)
        for option, chosen in fields.items():
            if not chosen:
                continue
            rows, found = _covariate_rows(path, number, entry, chosen, option)
            if labels[option] is not None and found != labels[option]:
                raise DataError(
                    path, number, f"covariates {', '.join(found)} ({option}); the first line's "
                    f"are {', '.join(labels[option])}: each line needs the same"
                )
            labels[option] = found
            rows = rows[first:]
            if len(rows) < len(series):
                raise DataError(
                    path, number, f"covariates ({option} {','.join(chosen)}) have {len(rows)} "
                    f"values from the target's first, the target {len(series)}: a covariate "
                    "needs a value at every step of its series"
                )
            # Observed with the series: none after its last value.
            known[option].append(rows[: len(series)] if option == "--past-covariates" else rows)
        key = next((key for key in _ID_KEYS if key in entry), None)
        names.append(str(entry[key]) if key else f"T{len(names) + 1}")
        starts.append(start)
        values.append(series)
        attributes.append({k: v for k, v in entry.items()
                           if k not in ("start", "target", key, *covariates, *past_covariates)})
    if not values:
        raise DataError(path, None, "the file holds no series")
    ahead, past = known["--covariates"], known["--past-covariates"]
    return SeriesCollection(
        names, starts, values, frequency, horizon, attributes,
        covariates=ahead or None, covariate_names=tuple(labels["--covariates"] or ()),
        past_covariates=past or None,
        past_covariate_names=tuple(labels["--past-covariates"] or ()),
    )


def _covariate_rows(path, number, entry, names, option):
    """`((steps, k) values, k names)` of a line's covariate fields `names`, from `start`.

    Each field a list of numbers (one covariate, named as the field) or of
    lists (a covariate a row, `field[i]`), of equal lengths; none missing.
    """
    columns, found = [], []
    for name in names:
        if name not in entry:
            raise DataError(
                path, number, f"no field {name!r} ({option}) on this line; it holds "
                f"{', '.join(repr(key) for key in entry)}"
            )
        field = entry[name]
        nested = isinstance(field, list) and bool(field) and all(
            isinstance(row, list) for row in field)
        for index, row in enumerate(field if nested else [field]):
            label = f"{name}[{index}]" if nested else name
            column = _target(path, number, row, label)
            if np.isnan(column).any():
                raise DataError(
                    path, number, f"{label!r} misses value {int(np.argmax(np.isnan(column)))}: a "
                    "covariate needs a value at every step"
                )
            columns.append(column)
            found.append(label)
    if len({len(column) for column in columns}) > 1:
        raise DataError(
            path, number, f"covariates of {sorted({len(c) for c in columns})} values ({option}): "
            "each needs as many as the others"
        )
    return np.stack(columns, axis=1), found


def _target(path, number, target, field="target"):
    """A line's `target` (or other `field`) as float64 values (`nan` where missing)."""
    if not isinstance(target, list):
        raise DataError(
            path, number, f"{field!r} is not a list of numbers: {str(target)[:40]!r}"
        )
    if any(isinstance(value, list) for value in target):
        raise DataError(
            path, number, f"{field!r} holds several dimensions (a list of lists): each is a "
            "series of its own; write them a line each"
        )
    values = []
    for index, value in enumerate(target):
        if value is None or isinstance(value, str) and value.strip().lower() == "nan":
            values.append(math.nan)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            values.append(float(value))
        else:
            raise DataError(
                path, number, f"{field!r} value {index} is not a number: {str(value)[:40]!r}"
            )
    if not np.isfinite(np.asarray(values)[~np.isnan(values)]).all():
        raise DataError(path, number, f"{field!r} holds an infinite value")
    return np.asarray(values, "float64")


def _metadata(path):
    """`(frequency, horizon)` of GluonTS's `metadata.json` beside `path` or a folder up."""
    folder = os.path.dirname(os.path.abspath(path))
    for candidate in (folder, os.path.dirname(folder)):
        metadata = os.path.join(candidate, "metadata.json")
        if os.path.isfile(metadata):
            break
    else:
        return None, None
    try:
        with open(metadata, encoding="utf-8") as f:
            spec = json.load(f)
    except (OSError, ValueError) as error:
        raise DataError(metadata, None, f"not readable as JSON ({error})") from None
    horizon = spec.get("prediction_length")
    if horizon is not None and (not isinstance(horizon, int) or horizon < 1):
        raise DataError(metadata, None, f"'prediction_length' is not a count: {horizon!r}")
    frequency = spec.get("freq")
    return (None if frequency is None else pandas_frequency(frequency)), horizon
