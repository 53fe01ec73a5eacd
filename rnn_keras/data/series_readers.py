"""Readers for time-series files: classification archives and forecasting collections.

Every malformed line stops the read with a `DataError` that names the file and
the line number; nothing is dropped silently.

| format | reader |
|---|---|
| sktime/aeon `.ts` (UCR/UEA classification): `@` header, a series a line `c1:c2:label` | `read_ts` |
| Weka `.arff` as the UEA archive writes it: numeric attributes (or one relational for the channels), a nominal class last | `read_arff` |
| Monash forecasting `.tsf`: `@attribute` header, one series a line `a1:a2:v1,v2,...` | `read_tsf` |
| CSV with a header and timestamps, wide (series in columns), long (`id,time,value`) or across (timestamps in the header, a series a row) | `read_timestamp_csv` |
| the M4 competition's CSV: header `V1,...,Vn`, a series a row, no timestamps | `read_m4_csv` |

`read_ts` and `read_arff` return arrays shaped `(steps, channels)` with their labels;
`read_tsf` and `read_timestamp_csv` return a `SeriesCollection` of
univariate series with their names, start times and frequency.
`infer_frequency`, `seasonal_periods` and `default_horizon` turn a
frequency into the numbers a forecaster needs.

Files are read in `encoding` (UTF-8 by default), as in `readers.py`.
"""

import calendar
import collections
import dataclasses
import datetime
import itertools
import math
import os
import re

import numpy as np

from rnn_keras.data.columns import ID_COLUMNS
from rnn_keras.data.columns import TIME_COLUMNS
from rnn_keras.data.columns import VALUE_COLUMNS
from rnn_keras.data.readers import CSV_MISSING
from rnn_keras.data.readers import DataError
from rnn_keras.data.readers import _lines
from rnn_keras.data.readers import _number
from rnn_keras.data.readers import csv_rows
from rnn_keras.data.readers import is_number
from rnn_keras.data.readers import logger

# Missing-value spellings of the `.ts` format (`@missing true`).
_TS_MISSING = ("?", "nan")

_TS_KEYS = (
    "problemname", "timestamps", "missing", "univariate", "dimensions", "equallength",
    "serieslength", "classlabel", "targetlabel", "data",
)
_TS_FLAGS = ("timestamps", "missing", "univariate", "equallength", "classlabel", "targetlabel")

_TSF_KEYS = ("relation", "attribute", "frequency", "horizon", "missing", "equallength", "data")
_TSF_TYPES = ("numeric", "string", "date")
_TSF_DATE = "%Y-%m-%d %H-%M-%S"


_TIMESTAMP_FORMATS = (
    "%Y-%m-%d", "%Y-%m", "%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M", "%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m",
    # Months as R's tsibble writes them (`yearmonth`: "1991 Jul").
    "%Y %b", "%Y %B",
)
# Dates with the month by its English name, as spreadsheets and R write them
# ("Jan 1 2000", "1 January 2000", "01-Jan-2000", "Jan-1-2000", "Jan 2000"): the
# year in four digits, so that none reads two ways.
_MONTH_NAME_FORMATS = tuple(
    shape.replace("%b", month)
    for shape in ("%b %d %Y", "%b %d, %Y", "%d %b %Y", "%d-%b-%Y", "%b-%d-%Y", "%b %Y", "%b-%Y")
    for month in ("%b", "%B")
)
# A quarter as pandas (`1959Q1`), R's zoo (`1959 Q1`) or ISO-like (`1959-Q1`) write it,
# or with the quarter first (`Q1 1959`).
_QUARTER = re.compile(r"(\d{4})[- ]?[Qq]([1-4])")
_QUARTER_FIRST = re.compile(r"[Qq]([1-4])[- ]?(\d{4})")
# A week as ISO 8601 (`2019-W06`) and R's tsibble (`yearweek`: `2019 W06`) write it:
# its Monday.
_ISO_WEEK = re.compile(r"(\d{4})[- ]?W(\d{2})")
# R's time of a `ts` (`time(x)`: the year and the share of it passed, `1949`,
# `1949.08333333333`, ...; `1949.0` as pandas writes it), as its data frame, the
# Rdatasets CSVs and statsmodels' `get_rdataset` give it (`_r_times`).
_R_TIME = re.compile(r"\d+(?:\.\d*)?")
# The months of a step of the R frequencies that are steps of the calendar (a
# `ts` of frequency 12 is monthly); others (7, 24, 52, 336, ...) give no dates.
_R_FREQUENCY_MONTHS = {1: 12, 2: 6, 4: 3, 12: 1}
_R_FREQUENCY_NAMES = {1: "yearly", 2: "half-yearly", 4: "quarterly", 12: "monthly"}
# A month as Eurostat and the IMF write it (`2019M01`, `2019M1`), or as month and
# year (`01/2019`, `1-2019`; not with a point, which reads as a number).
_YEAR_M_MONTH = re.compile(r"(\d{4})M(\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/-](\d{4})")
# A month of a year counted from the first (`1-01`, ..., `3-12`), as the shampoo
# sales of Makridakis, Wheelwright and Hyndman (1998) are written in the copies
# tutorials read (Brownlee's `shampoo.csv`): no calendar year is given.
_COUNTED_MONTH = re.compile(r"(\d{1,2})-(0[1-9]|1[0-2])")
# A month as six digits, as NOAA's and many statistics offices' series write it
# (`189512`), its year 1800-2099: not a number of another kind.
_YEAR_MONTH_DIGITS = re.compile(r"(1[89]\d\d|20\d\d)(0[1-9]|1[0-2])")
# A date of numbers with the year last, as spreadsheets write it in the US
# (`1/31/2019`, `1/31/19`: month first) and much of the world (`31/01/2019`,
# `31.01.2019`: day first), perhaps with a time of day (`1/31/2019 12:00:00 AM`, as
# US spreadsheets and data portals write it, 12 hours twice a day). Which comes
# first is the column's (`_day_first`); alone, a value reads day first where its
# first number is over 12 or it is written with points, else month first.
_NUMERIC_DATE = re.compile(
    r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?"
)
# A month named, its year in two digits, perhaps after the day, as Excel writes
# its `mmm-yy` and `dd-mmm-yy` cells (`Jan-19`, `31-Jan-19`).
_MONTH_SHORT_YEAR = re.compile(r"(?:(\d{1,2})-)?([A-Za-z]{3,9})-(\d{2})")
# Two-digit years as Excel reads them: 00-29 in the 2000s, 30-99 in the 1900s.
_CENTURY_PIVOT = 30
_TIMESTAMP_SHAPES = (
    "YYYY, YYYY-MM, YYYY-MM-DD, YYYY/MM/DD, YYYYQn, Qn YYYY, YYYY-Www, YYYYMmm, MM/YYYY, "
    "YYYYMM, "
    "MM/DD/YYYY or DD/MM/YYYY (or DD.MM.YYYY; the year in two digits too), Jan 1 2000, "
    "1 Jan 2000, Jan-1-2000, Jan 2000, 2000 Jan, Jan-00, 1-Jan-00, "
    "YYYY-MM-DD HH:MM[:SS] or "
    "YYYY-MM-DDTHH:MM[:SS], the last two with fractions of a second or a UTC offset (+HH:MM) "
    "as ISO 8601 allows, or UTC after them; a date of numbers with HH:MM[:SS] [AM|PM]"
)

# Columns beside bare years that hold the rest of each row's timestamp, by header
# name (lower case), as pandas' `to_datetime` assembles a frame's columns
# (`year,month,day,hour`: the UCI archive's Beijing PM2.5): each part in the
# order below, and only where the one before it is there too. A quarter may stand
# for the month (statsmodels' `macrodata`: `year,quarter,...`), and so may the US
# Bureau of Labor Statistics' `period` (`_BLS_PERIOD`). Each part with its names;
# the least and greatest value of those after the month in `_PART_RANGES`.
_DATE_PARTS = (
    ("month", ("month", "months", "mon", "quarter", "qtr", "period")),
    ("day", ("day", "days")),
    ("hour", ("hour", "hours", "hr")),
    ("minute", ("minute", "minutes")),
    ("second", ("second", "seconds")),
)
_QUARTER_COLUMNS = ("quarter", "qtr")
# The US Bureau of Labor Statistics' periods of a year (its downloads and
# `time.series` files: `series_id,year,period,value`): a month `M01`-`M12`, a
# quarter `Q01`-`Q04`, a half `S01`-`S02`, the year `A01`; `M13`, `Q05` and `S03`
# are the year's average, no step of the series. Months each code's first covers.
_BLS_PERIOD = re.compile(r"(?P<kind>[MQSA])(?P<index>\d{2})", re.IGNORECASE)
_BLS_MONTHS = {"M": 1, "Q": 3, "S": 6, "A": 12}
_BLS_AVERAGES = ("M13", "Q05", "S03")
_YEAR_COLUMNS = ("year", "years", "yr")
# Header names of a column numbering the rows (`_row_numbers_column`), in lower case:
# none (pandas' index, R's `write.csv`), a row number's (the UCI archive's `No`), or
# R's row names as Rdatasets writes them (`rownames`, the CSVs statsmodels'
# `get_rdataset` reads).
_ROW_NUMBER_COLUMNS = ("", "no", "index", "#", "unnamed: 0", "rownames")
_PART_RANGES = {"day": (1, 31), "hour": (0, 23), "minute": (0, 59), "second": (0, 59)}

# The time of day in a column of its own beside dates (`_clock_column`): `HH:MM[:SS]`,
# or whole hours in a column named so.
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_HOUR_COLUMNS = ("hour", "hr")

# Other spellings of the frequencies that the tables below know.
_FREQUENCY_ALIASES = {
    "annual": "yearly", "annually": "yearly", "year": "yearly", "quarter": "quarterly",
    "month": "monthly", "week": "weekly", "day": "daily", "hour": "hourly",
    "halfhourly": "half_hourly", "half_hour": "half_hourly", "30_minutes": "half_hourly",
}


# Seasonal cycles per frequency, as the Monash archive and Hyndman & Athanasopoulos,
# "Forecasting: Principles and Practice" use them: a day and a week of hours,
# half-hours or steps of minutes, a week and a year of days, a year of weeks,
# months or quarters; a week and a year of business days (pandas' "B", whose
# seasonality statsforecast takes as 5; 52 weeks and a day of them, 261, as the
# daily year is 365).
SEASONAL_PERIODS = {
    "5_minutes": (288, 2016),
    "10_minutes": (144, 1008),
    "15_minutes": (96, 672),
    "half_hourly": (48, 336),
    "hourly": (24, 168),
    "daily": (7, 365),
    "business_daily": (5, 261),
    "weekly": (52,),
    "monthly": (12,),
    "quarterly": (4,),
    "yearly": (),
}

# The M4 competition's horizons (Makridakis, Spiliotis & Assimakopoulos, "The M4
# Competition: 100,000 time series and 61 forecasting methods", International
# Journal of Forecasting 36(1), 2020, table 1). M4 has no half-hourly series:
# 96 half-hours are the two days of its hourly horizon, as 192, 288 and 576 are of
# steps of 15, 10 and 5 minutes; nor business days: 10 are the two weeks of its
# daily horizon.
DEFAULT_HORIZONS = {
    "yearly": 6,
    "quarterly": 8,
    "monthly": 18,
    "weekly": 13,
    "daily": 14,
    "business_daily": 10,
    "hourly": 48,
    "half_hourly": 96,
    "15_minutes": 192,
    "10_minutes": 288,
    "5_minutes": 576,
}


@dataclasses.dataclass(frozen=True)
class SeriesCollection:
    """Univariate series with their names and start times (forecasting data).

    Args:
        names: list of `str`, one per series.
        starts: list of `datetime.datetime` or `None`, the time of each
            series' first value (`None` where the file gives none).
        values: list of 1-D float64 `np.ndarray`, the series (`nan` where a
            value is missing).
        frequency: `str` or `None.` The normalised frequency (`"yearly"`,
            `"quarterly"`, `"monthly"`, `"weekly"`, `"daily"`, `"hourly"`,
            `"half_hourly"`, or what the file says, lower case), `None` when
            unknown. Defaults to `None`.
        horizon: `int` or `None.` The forecast horizon the file asks for.
            Defaults to `None`.
        attributes: list of `dict`, the other per-series values of the file.
            Defaults to an empty dict per series.
        covariates: list of 2-D float64 `np.ndarray` or `None.` Per series,
            the values of `covariate_names` at its steps, `(steps, k)` from
            its first value on; as long as the series or longer (the steps
            after its end known ahead). Defaults to `None`: none.
        covariate_names: `tuple` of `str`, the covariates' names. Defaults
            to `()`.
        past_covariates: list of 2-D float64 `np.ndarray` or `None.` Per
            series, the values of `past_covariate_names` at its steps,
            `(steps, k)`, as long as the series: values observed with it,
            not known ahead. Defaults to `None`: none.
        past_covariate_names: `tuple` of `str`. Defaults to `()`.
        static_covariates: list of `tuple` of `str`, or `None.` Per series,
            its value of each of `static_covariate_names`: categories that
            hold for the whole series (GluonTS's `feat_static_cat`, a long
            file's column of its state or store). Defaults to `None`: none.
        static_covariate_names: `tuple` of `str`. Defaults to `()`.
    """

    names: list
    starts: list
    values: list
    frequency: str | None = None
    horizon: int | None = None
    attributes: list | None = None
    covariates: list | None = None
    covariate_names: tuple = ()
    past_covariates: list | None = None
    past_covariate_names: tuple = ()
    static_covariates: list | None = None
    static_covariate_names: tuple = ()

    def __post_init__(self):
        if self.attributes is None:
            object.__setattr__(self, "attributes", [{} for _ in self.values])
        fields = ("names", "starts", "attributes")
        fields += tuple(field for field in ("covariates", "past_covariates", "static_covariates")
                        if getattr(self, field) is not None)
        for field in fields:
            entries = len(getattr(self, field))
            if entries != len(self.values):
                raise ValueError(
                    f"Invalid value for argument `{field}`. Expected {len(self.values)} "
                    f"entries, one per series. Received: {entries} entries."
                )

    def __len__(self):
        return len(self.values)


def _data_lines(rows, comments=("#",)):
    """`(line_number, stripped text)` of the lines neither blank nor comments.

    A comment starts with one of `comments`.
    """
    for number, line in rows:
        line = line.strip()
        if line and not line.startswith(comments):
            yield number, line


def _flag(path, number, name, args):
    value = args[0].lower() if args else ""
    if value not in ("true", "false"):
        shown = " ".join(args)
        raise DataError(path, number, f"expected {name} true or false, got {shown!r}")
    return value == "true"


def _count(path, number, name, args):
    try:
        count = int(args[0]) if len(args) == 1 else 0
    except ValueError:
        count = 0
    if count < 1:
        shown = " ".join(args)
        raise DataError(path, number, f"expected {name} to be a positive integer, got {shown!r}")
    return count


def _after_data(path, number, line):
    name = line.split()[0]
    return DataError(path, number, f"header line {name!r} after @data; the header comes first")


def _header_line(path, number, line):
    """`(name, key, arguments)` of a header line: `@Key a b` → `("@Key", "key", ["a", "b"])`."""
    if not line.startswith("@"):
        raise DataError(
            path, number, f"expected a header line (@...) before @data, got {line[:80]!r}"
        )
    name, *args = line.split()
    return name, name[1:].lower(), args


def _ts_header(path, rows):
    """Reads a `.ts` header from `rows` up to and including `@data`; returns its settings.

    Counts and label lists come with the line that declared them, for messages.
    """
    spec = {"missing": False, "univariate": None, "equallength": False, "dimensions": None,
            "serieslength": None, "classlabel": None}
    for number, line in rows:
        name, key, args = _header_line(path, number, line)
        if key not in _TS_KEYS:
            raise DataError(
                path, number,
                f"unknown header {name!r}; expected one of @problemName, @timeStamps, @missing, "
                f"@univariate, @dimensions, @equalLength, @seriesLength, @classLabel, @data",
            )
        if key == "data":
            break
        if key == "problemname":
            continue
        if key in ("dimensions", "serieslength"):
            spec[key] = (_count(path, number, name, args), number)
            continue
        flag = _flag(path, number, name, args[:1])
        if key == "timestamps" and flag:
            raise DataError(
                path, number,
                f"{name} true: timestamped values are not supported; give the values only",
            )
        if key == "targetlabel" and flag:
            raise DataError(
                path, number,
                f"{name} true: regression targets are not supported; the reader reads "
                f"classification files (@classLabel)",
            )
        if key == "classlabel":
            if flag and not args[1:]:
                raise DataError(path, number, f"{name} true lists no labels")
            spec[key] = (args[1:], number) if flag else None
        elif key != "targetlabel":
            spec[key] = flag
    else:
        raise DataError(path, None, "no @data line: the header never ends")
    dimensions = spec["dimensions"]
    if spec["univariate"] and dimensions and dimensions[0] != 1:
        raise DataError(
            path, dimensions[1], f"@dimensions {dimensions[0]} contradicts @univariate true"
        )
    return spec


def _ts_channel(path, number, channel, text, missing):
    text = text.strip()
    if not text:
        raise DataError(path, number, f"channel {channel} is empty")
    values = []
    for index, raw in enumerate(text.split(","), start=1):
        raw = raw.strip()
        if raw.lower() in _TS_MISSING:
            if not missing:
                raise DataError(
                    path, number,
                    f"channel {channel}, value {index} is missing ({raw!r}); missing values "
                    f"need @missing true in the header",
                )
            values.append(math.nan)
        else:
            values.append(_number(path, number, raw, f"channel {channel}, value {index}"))
    return values


def read_ts(path, encoding="utf-8"):
    """Reads an sktime/aeon `.ts` file (UCR/UEA time-series classification).

    The header (`@problemName`, `@missing`, `@univariate`, `@dimensions`,
    `@equalLength`, `@seriesLength`, `@classLabel true l1 l2 ...`; keys in
    any case) ends with `@data`; then each line is one series, its channels
    separated by `:`, the values of a channel by `,`, and, with
    `@classLabel true`, the label after the last `:`. `?` and `NaN` are
    missing values, read as `nan`, where the header says `@missing true`.
    Lines starting with `#`, or with `%` as in the ARFF files many `.ts`
    files were converted from (sktime's own `UnitTest` set), are comments.
    Timestamped values
    (`@timeStamps true`) and regression targets (`@targetLabel true`) are
    not supported.

    Every series has the channel count of `@dimensions` (or of the first
    series), its channels one length, and with `@equalLength true` every
    series the length of `@seriesLength` (or of the first series).

    Args:
        path: the file.
        encoding: its text encoding. Defaults to `"utf-8"`.

    Returns:
        `(series, labels)`: a list of float32 arrays shaped
        `(steps, channels)` (a univariate series has 1 channel), and a list
        of `str` labels, one per series; `labels` is `None` when the file
        has no labels (`@classLabel false`).
    """
    rows = _data_lines(_lines(path, encoding), comments=("#", "%"))
    spec = _ts_header(path, rows)
    classes = spec["classlabel"]
    if spec["dimensions"]:
        channels_expected = (spec["dimensions"][0], f"@dimensions, line {spec['dimensions'][1]}")
    else:
        channels_expected = (1, "@univariate true") if spec["univariate"] else None
    steps_expected = None
    if spec["equallength"] and spec["serieslength"]:
        length, line = spec["serieslength"]
        steps_expected = (length, f"@seriesLength, line {line}")
    series, labels = [], []
    for number, line in rows:
        if line.startswith("@"):
            raise _after_data(path, number, line)
        fields = line.split(":")
        if classes:
            if len(fields) < 2:
                raise DataError(
                    path, number, "expected the channels and a label separated by ':', got no ':'"
                )
            label = fields.pop().strip()
            if label not in classes[0]:
                raise DataError(
                    path, number,
                    f"label {label!r} is not one of the @classLabel labels {classes[0]} "
                    f"(line {classes[1]})",
                )
            labels.append(label)
        channels = [
            _ts_channel(path, number, index, text, spec["missing"])
            for index, text in enumerate(fields, start=1)
        ]
        if channels_expected is None:
            channels_expected = (len(channels), f"as on line {number}")
        elif len(channels) != channels_expected[0]:
            raise DataError(
                path, number,
                f"expected {channels_expected[0]} channels ({channels_expected[1]}), "
                f"got {len(channels)}",
            )
        lengths = [len(channel) for channel in channels]
        if len(set(lengths)) > 1:
            raise DataError(
                path, number, f"the channels of a series differ in length: {lengths} values"
            )
        if spec["equallength"]:
            if steps_expected is None:
                steps_expected = (lengths[0], f"as on line {number}")
            elif lengths[0] != steps_expected[0]:
                raise DataError(
                    path, number,
                    f"expected {steps_expected[0]} steps ({steps_expected[1]}, @equalLength "
                    f"true), got {lengths[0]}",
                )
        series.append(np.ascontiguousarray(np.asarray(channels, dtype=np.float32).T))
    if not series:
        raise DataError(path, None, "no series after @data")
    return series, (labels if classes else None)


def read_arff(path, encoding="utf-8"):
    """Reads a Weka `.arff` file as the UCR/UEA archive writes its classification sets.

    The header (`@relation`, `@attribute NAME TYPE`, keys in any case,
    `%` comments) ends with `@data`. A univariate set has a `numeric`
    attribute per step, then the class, a nominal attribute (`{a,b,c}`),
    last: each data line is `v1,...,vT,label`. A multivariate set has one
    `relational` attribute holding a channel's steps (`@attribute X
    relational`, its numeric attributes, `@end X`), then the class: each
    data line is `'c1 values\\nc2 values...',label`, the channels
    separated by a written `\\n`. `?` is a missing value, read as `nan`;
    the steps missing in every channel at a series' end pad it to the
    file's length and are dropped (variable-length sets).

    Args:
        path: the file.
        encoding: its text encoding. Defaults to `"utf-8"`.

    Returns:
        `(series, labels)` as `read_ts` returns them: float32 arrays shaped
        `(steps, channels)` and `str` labels (`None` without a nominal
        last attribute).
    """
    rows = iter(_data_lines(_lines(path, encoding), comments=("%",)))
    attributes, nested, data = [], None, False
    for number, line in rows:
        key, rest = (line.split(None, 1) + [""])[:2]
        key = key.lower()
        if key == "@data":
            data = True
            break
        if key == "@end":
            nested = None
        elif key == "@attribute":
            name, kind = _arff_attribute(path, number, rest)
            if nested is None:
                attributes.append((name, kind, number))
                nested = name if kind.lower() == "relational" else None
        elif key != "@relation":
            raise DataError(
                path, number,
                f"unknown header {key!r}; expected @relation, @attribute, @end or @data",
            )
    if not data or not attributes:
        raise DataError(path, None, "expected @attribute lines, then @data")
    classes = None
    if attributes[-1][1].startswith("{"):
        name, kind, _ = attributes.pop()
        classes = [label.strip().strip("'\"") for label in kind.strip("{}").split(",")]
    relational = [a for a in attributes if a[1].lower() == "relational"]
    if relational and len(attributes) > 1:
        raise DataError(path, relational[0][2], "expected the relational attribute (the "
                        "channels) alone beside the class")
    series, labels, channel_count = [], [], None
    for number, line in rows:
        if classes is not None:
            line, _, label = line.rpartition(",")
            label = label.strip().strip("'\"")
            if label not in classes:
                raise DataError(path, number, f"label {label!r} is not one of the class "
                                f"attribute's {classes}")
            labels.append(label)
        if relational:
            texts = line.strip().strip("'\"").split("\\n")
        else:
            texts = [line]
        channels = [
            [math.nan if v.strip() == "?" else _number(path, number, v, f"channel {c}, value {i}")
             for i, v in enumerate(text.split(","), start=1)]
            for c, text in enumerate(texts, start=1)
        ]
        expected = 1 if not relational else channel_count or len(channels)
        channel_count = expected
        lengths = {len(channel) for channel in channels}
        if len(channels) != expected or len(lengths) > 1:
            raise DataError(path, number, f"expected {expected} channel(s) of one length (as "
                            f"the first series), got {[len(channel) for channel in channels]} "
                            "values")
        if not relational and len(channels[0]) != len(attributes):
            raise DataError(path, number, f"expected {len(attributes)} values as the "
                            f"@attribute lines declare, got {len(channels[0])}")
        values = np.asarray(channels, dtype=np.float32).T
        known = np.flatnonzero(~np.isnan(values).all(axis=1))
        if not known.size:
            raise DataError(path, number, "the series holds only missing values (?)")
        series.append(np.ascontiguousarray(values[: known[-1] + 1]))
    if not series:
        raise DataError(path, None, "no series after @data")
    return series, labels if classes is not None else None


def _arff_attribute(path, number, text):
    """`(name, type)` of an `@attribute` line's rest: a name (quoted, perhaps) and a type."""
    text = text.strip()
    if text and text[0] in "'\"":
        name, _, kind = text[1:].partition(text[0])
    else:
        name, kind = (text.split(None, 1) + ["", ""])[:2]
    if not name or not kind.strip():
        raise DataError(path, number, f"expected '@attribute NAME TYPE', got {text!r}")
    return name, kind.strip()


def _normalise_frequency(frequency):
    """The frequency name the tables here use: lower case, `_` between words."""
    if frequency is None:
        return None
    key = frequency.strip().lower().replace("-", "_").replace(" ", "_")
    return _FREQUENCY_ALIASES.get(key, key)


def _tsf_header(path, rows):
    """Reads a `.tsf` header from `rows` up to and including `@data`; returns its settings."""
    spec = {"attributes": [], "frequency": None, "horizon": None, "missing": False,
            "equallength": False}
    for number, line in rows:
        name, key, args = _header_line(path, number, line)
        if key == "data":
            return spec
        if key == "relation":
            continue
        if key == "attribute":
            if len(args) != 2:
                raise DataError(path, number, f"expected '@attribute NAME TYPE', got {line!r}")
            attribute, kind = args[0], args[1].lower()
            if kind not in _TSF_TYPES:
                raise DataError(
                    path, number,
                    f"attribute {attribute!r} has the unknown type {args[1]!r}; expected one of "
                    f"{', '.join(_TSF_TYPES)}",
                )
            if attribute in [known for known, _ in spec["attributes"]]:
                raise DataError(path, number, f"attribute {attribute!r} is declared twice")
            spec["attributes"].append((attribute, kind))
        elif key == "frequency":
            if len(args) != 1:
                raise DataError(path, number, f"expected '@frequency NAME', got {line!r}")
            spec["frequency"] = _normalise_frequency(args[0])
        elif key == "horizon":
            spec["horizon"] = _count(path, number, name, args)
        elif key in ("missing", "equallength"):
            spec[key] = _flag(path, number, name, args)
        else:
            raise DataError(
                path, number,
                f"unknown header {name!r}; expected one of "
                f"{', '.join('@' + known for known in _TSF_KEYS)}",
            )
    raise DataError(path, None, "no @data line: the header never ends")


def _tsf_attribute(path, number, attribute, kind, text):
    if not text:
        raise DataError(path, number, f"attribute {attribute!r} is empty")
    if kind == "string":
        return text
    if kind == "date":
        try:
            return datetime.datetime.strptime(text, _TSF_DATE)
        except ValueError:
            raise DataError(
                path, number,
                f"attribute {attribute!r} is not a date like '1972-01-01 00-00-00': {text!r}",
            ) from None
    try:
        return int(text)
    except ValueError:
        return _number(path, number, text, f"attribute {attribute!r}")


def _tsf_values(path, number, text, missing):
    text = text.strip()
    if not text:
        raise DataError(path, number, "the series is empty")
    values = []
    for index, raw in enumerate(text.split(","), start=1):
        raw = raw.strip()
        if raw == "?":
            if not missing:
                raise DataError(
                    path, number,
                    f"value {index} is missing ('?'); missing values need @missing true",
                )
            values.append(math.nan)
        else:
            values.append(_number(path, number, raw, f"value {index}"))
    return np.asarray(values, dtype=np.float64)


def read_tsf(path, encoding="utf-8"):
    """Reads a Monash forecasting archive `.tsf` file.

    The header (`@relation`, `@attribute NAME TYPE` with types `string`,
    `numeric` and `date`, `@frequency`, `@horizon`, `@missing`,
    `@equallength`) ends with `@data`; then each line is one series: the
    attribute values in declared order and the comma-separated values, all
    separated by `:`. Dates read `1972-01-01 00-00-00`; `?` is a missing
    value, read as `nan`, where the header says `@missing true`. The `?`s
    before a series' first value and after its last are not part of it:
    its start moves to its first value (`advanced`); a series of `?`
    alone is kept whole, all `nan` (the forecast task leaves it out).
    Lines starting with `#` are comments.

    Args:
        path: the file.
        encoding: its text encoding. Defaults to `"utf-8"`.

    Returns:
        a `SeriesCollection`: names from the `series_name` attribute (else
        the first string attribute, else `"T1"`, `"T2"`, ...), starts from
        the first date attribute (else `None`), float64 values, the
        normalised frequency, the horizon, and the remaining attributes of
        each series in a dict.
    """
    rows = _data_lines(_lines(path, encoding))
    spec = _tsf_header(path, rows)
    attributes = spec["attributes"]
    records, values = [], []
    for number, line in rows:
        if line.startswith("@"):
            raise _after_data(path, number, line)
        fields = line.split(":")
        if len(fields) != len(attributes) + 1:
            expected = " ".join(name for name, _ in attributes)
            raise DataError(
                path, number,
                f"expected {len(attributes)} attribute values ({expected or 'none'}) and the "
                f"series separated by ':', got {len(fields)} fields",
            )
        records.append({
            name: _tsf_attribute(path, number, name, kind, text.strip())
            for (name, kind), text in zip(attributes, fields)
        })
        series = _tsf_values(path, number, fields[-1], spec["missing"])
        if spec["equallength"] and values and len(series) != len(values[0]):
            raise DataError(
                path, number,
                f"expected {len(values[0])} values like the first series (@equallength true), "
                f"got {len(series)}",
            )
        values.append(series)
    if not values:
        raise DataError(path, None, "no series after @data")
    names = [name for name, _ in attributes]
    strings = [name for name, kind in attributes if kind == "string"]
    dates = [name for name, kind in attributes if kind == "date"]
    name_key = "series_name" if "series_name" in names else (strings[0] if strings else None)
    start_key = dates[0] if dates else None
    starts, values = zip(*(
        _tsf_trimmed(record[start_key] if start_key else None, series, spec["frequency"])
        for record, series in zip(records, values)
    ))
    return SeriesCollection(
        names=[
            record[name_key] if name_key else f"T{index}"
            for index, record in enumerate(records, start=1)
        ],
        starts=list(starts),
        values=list(values),
        frequency=spec["frequency"],
        horizon=spec["horizon"],
        attributes=[
            {key: value for key, value in record.items() if key not in (name_key, start_key)}
            for record in records
        ],
    )


def _tsf_trimmed(start, values, frequency):
    """`(start, values)` without the missing values before the first value and after the last.

    The start moves to the first value (`None` where `frequency` has no
    step `advanced` knows). A series without any value is kept whole.
    """
    known = np.flatnonzero(~np.isnan(values))
    if not known.size:
        return start, values
    first, last = int(known[0]), int(known[-1])
    if first and start is not None:
        start = advanced(start, first, frequency)
    return start, values[first : last + 1]


def advanced(start, steps, frequency):
    """`start` moved on by `steps` steps of `frequency` (`steps_between`'s inverse), or `None`.

    `None` where the frequency has no fixed step here (`"10_minutes"`, an
    unknown one). A month end stays a month end (Jan 31, Feb 29, Mar 31),
    as `infer_frequency` reads monthly steps.
    """
    if frequency in _STEP_OF:
        return start + steps * _STEP_OF[frequency]
    if frequency == "business_daily":
        day = np.busday_offset(start.date(), steps, roll="forward").astype(datetime.date)
        return datetime.datetime.combine(day, start.time())
    if frequency not in _MONTHS_OF:
        return None
    months = start.month - 1 + steps * _MONTHS_OF[frequency]
    year, month = start.year + months // 12, months % 12 + 1
    end = _days_in_month(datetime.date(year, month, 1))
    day = end if start.day == _days_in_month(start) else min(start.day, end)
    return start.replace(year=year, month=month, day=day)


def is_counted_month_start(text):
    """Whether `text` is a month of the first counted year (`_COUNTED_MONTH`: `1-01`, `1-12`)."""
    match = _COUNTED_MONTH.fullmatch(text.strip())
    return bool(match) and int(match[1]) == 1


def starts_timestamps(text):
    """Whether `text`, a column's first cell, may start a column of timestamps.

    A timestamp (`is_timestamp`), or the first month of years counted from
    1 (`is_counted_month_start`), which only the whole column tells apart
    (`_counted_months`).
    """
    return is_timestamp(text) or is_counted_month_start(text)


def _counted_months(texts):
    """The months of a column's `texts` counted from year 1 (`1-01`, ..., `3-12`), or `None`.

    Each is a `_COUNTED_MONTH`, the first in year 1, and each the month
    after the one above it: written so, day and month (1 January, 1
    February, ...) would not be in time order. They are read as the first
    of those months of the years 1, 2, ... (`_row_times`, with a warning):
    the calendar features then know the month, not the year.
    """
    matches = [_COUNTED_MONTH.fullmatch(text.strip()) for text in texts]
    if not matches or not all(matches) or not is_counted_month_start(texts[0]):
        return None
    months = [12 * int(match[1]) + int(match[2]) for match in matches]
    if any(after != before + 1 for before, after in zip(months, months[1:])):
        return None
    return [datetime.datetime(int(match[1]), int(match[2]), 1) for match in matches]


def r_time_frequency(texts):
    """The frequency of a column of R's `ts` times (`_R_TIME`: `1949`, `1949.0833`, ...), or `None`.

    The times step evenly (within a hundredth of a step, as R's 15 digits
    or a few fewer write them) by `1 / frequency`, at most a year: a whole
    number where it is one within a thousandth, else to two places (R's
    weekly `ts`, 365.25 / 7 = 52.18 a year). `None` for any other column,
    and for bare years alone (`1871`, `1872`: timestamps already). Only a
    frequency of the calendar from a year gives dates (`_r_times`); a `ts`
    counted from 1 (`1`, `2`, ...; `1.1429`, ... of a week's days) has none.
    """
    if len(texts) < 2 or not all(_R_TIME.fullmatch(text.strip()) for text in texts):
        return None
    if all(text.strip().isdigit() and len(text.strip()) == 4 for text in texts):
        return None
    times = np.array([float(text) for text in texts])
    step = (times[-1] - times[0]) / (len(times) - 1)
    if step <= 0 or step > 1:
        return None
    if np.max(np.abs(times - times[0] - np.arange(len(times)) * step)) > 0.01 * step:
        return None
    frequency = 1 / step
    whole = round(frequency)
    return whole if abs(frequency - whole) <= 0.001 * whole else round(float(frequency), 2)


def r_calendar(texts):
    """Whether `texts` are R's `ts` times that `_r_times` reads as dates."""
    return _r_times(texts, r_time_frequency(texts)) is not None


def _r_times(texts, frequency):
    """The dates of a column of R's `ts` times of a calendar frequency (1, 2, 4, 12), or `None`.

    `frequency` is the column's (`r_time_frequency`). Each date the first
    day of its step: `1949.0833` of a monthly `ts` is February 1949. The
    first time is a year of a thousand or more and a whole number of steps
    into it; a `ts` counted from 1 (`1.4286`, a week's days) has no dates.
    """
    if frequency not in _R_FREQUENCY_MONTHS or float(texts[0]) < 1000:
        return None
    first = round(float(texts[0]) * frequency)
    if abs(float(texts[0]) * frequency - first) > 0.01:
        return None
    months = _R_FREQUENCY_MONTHS[frequency]
    stamps = []
    for step in range(first, first + len(texts)):
        year, position = divmod(step, frequency)
        stamps.append(datetime.datetime(year, position * months + 1, 1))
    return stamps


def is_timestamp(text):
    """Whether `text` reads as a timestamp in one of the shapes `read_timestamp_csv` takes."""
    return parse_timestamp(text) is not None


def parse_timestamp(text, day_first=None):
    """`text` as a naive `datetime` (in UTC where it carries an offset), or `None`.

    Every shape holds a four-digit year, but for a date of numbers or a
    month named as spreadsheets write them (`1/31/19`, `Jan-19`), whose
    two-digit year reads as Excel reads it (00-29 in the 2000s, 30-99 in
    the 1900s): a row number (`1`, `2`, ...) is no timestamp, though
    `strptime` reads it as the year 1. A date of numbers
    with the year last (`_NUMERIC_DATE`) reads day first where `day_first`
    is `True`, month first where `False`, and where `None` as the value
    alone says: day first where its first number is over 12 or it is
    written with points.
    """
    text = text.strip()
    numeric = _NUMERIC_DATE.fullmatch(text)
    if numeric:
        return _numeric_date(numeric, day_first)
    for pattern, year, month in ((_YEAR_M_MONTH, 1, 2), (_MONTH_YEAR, 2, 1),
                                 (_YEAR_MONTH_DIGITS, 1, 2)):
        match = pattern.fullmatch(text)
        if match:
            return _date(int(match[year]), int(match[month]), 1)
    quarter = _QUARTER_FIRST.fullmatch(text)
    if quarter:
        return datetime.datetime(int(quarter[2]), 3 * int(quarter[1]) - 2, 1)
    if text[:1].isalpha() or (text[:1].isdigit() and not text[:4].isdigit()):
        return _month_named(text)
    if not (len(text) >= 4 and text[:4].isdigit()):
        return None
    quarter = _QUARTER.fullmatch(text)
    if quarter:
        return datetime.datetime(int(quarter[1]), 3 * int(quarter[2]) - 2, 1)
    week = _ISO_WEEK.fullmatch(text)
    if week:
        try:
            return datetime.datetime.fromisocalendar(int(week[1]), int(week[2]), 1)
        except ValueError:  # week 0, or 53 of a year of 52
            return None
    for shape in _TIMESTAMP_FORMATS:
        try:
            return datetime.datetime.strptime(text, shape)
        except ValueError:
            pass
    # ISO 8601 with a UTC offset or fractions of a second, as pandas writes a
    # time-zone-aware index ("2021-05-01 00:00:00+00:00"). Offsets are taken
    # out, so that a daylight-saving change leaves the steps even.
    try:  # BigQuery writes "2021-05-01 00:00:00 UTC"
        stamp = datetime.datetime.fromisoformat(text.removesuffix(" UTC"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return stamp


def _numeric_date(match, day_first):
    """The `datetime` of a `_NUMERIC_DATE` match, day or month first (`parse_timestamp`)."""
    first, separator, second, year, hour, minute, second_of_minute, half = match.groups()
    if day_first is None:
        day_first = int(first) > 12 or separator == "."
    day, month = (first, second) if day_first else (second, first)
    date = _date(_full_year(year), int(month), int(day))
    if date is None or hour is None:
        return date
    hour = int(hour)
    if half:  # 12:30 AM is 00:30, 12:30 PM 12:30, 1:00 PM 13:00
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    if hour > 23 or int(minute) > 59 or int(second_of_minute or 0) > 59:
        return None
    return date.replace(hour=hour, minute=int(minute), second=int(second_of_minute or 0))


def _full_year(text):
    """The year `text` writes in four digits, or in two as Excel reads them (`_CENTURY_PIVOT`)."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < _CENTURY_PIVOT else 1900
    return year


def _date(year, month, day):
    """`datetime(year, month, day)`, or `None` where there is no such day."""
    try:
        return datetime.datetime(year, month, day)
    except ValueError:
        return None


def _day_first(path, column, cells):
    """Whether the numeric dates (`_NUMERIC_DATE`) of a column read day first; `None` if none.

    `cells` are `(line number, text)`. Day first where a first number is
    over 12 or the dates are written with points (`31.01.2019`), month
    first where a second number is; where every number is 12 or less, the
    one that stays the same is the day (monthly dates on the 1st:
    `01/02/2019` day first, `2/1/2019` month first). A single date reads
    as `parse_timestamp` reads it alone.

    Raises:
        DataError: naming the line, where both numbers go over 12 somewhere,
            or both change and neither does.
    """
    matches = [(number, match) for number, text in cells
               if (match := _NUMERIC_DATE.fullmatch(text.strip()))]
    if not matches:
        return None
    over = [next((number for number, match in matches if int(match[place]) > 12), None)
            for place in (1, 3)]
    if over[0] and over[1]:
        raise DataError(
            path, max(over),
            f"column {column!r}: dates read day first at line {over[0]} and month first at "
            f"line {over[1]}; write them one way (YYYY-MM-DD reads one way only)",
        )
    if over[0] or any(match[2] == "." for _, match in matches):
        return True
    if over[1]:
        return False
    kinds = [len({int(match[place]) for _, match in matches}) for place in (1, 3)]
    if kinds == [1, 1]:  # one date, perhaps repeated: as the value says
        return None
    if (kinds[0] == 1) == (kinds[1] == 1):
        number, match = matches[0]
        raise DataError(
            path, number,
            f"column {column!r}: {match[0]!r} and the other dates read as well day first as "
            "month first; write them YYYY-MM-DD",
        )
    return kinds[0] == 1


def _month_named(text):
    """`text` as a date with its month named, or `None`.

    As `_MONTH_NAME_FORMATS` write it, or Excel's cells with a two-digit
    year (`_MONTH_SHORT_YEAR`: `Jan-19`, `31-Jan-19`).
    """
    for shape in _MONTH_NAME_FORMATS:
        try:
            return datetime.datetime.strptime(text, shape)
        except ValueError:
            pass
    match = _MONTH_SHORT_YEAR.fullmatch(text)
    month = match and _month_number(match[2])
    if not month:
        return None
    return _date(_full_year(match[3]), month, int(match[1] or 1))


def _timestamp(path, number, text, column, day_first=None):
    stamp = parse_timestamp(text, day_first)
    if stamp is None:
        raise DataError(
            path, number,
            f"column {column!r}: {text.strip()!r} is not a timestamp; expected "
            f"{_TIMESTAMP_SHAPES}",
        )
    return stamp


# A value below a limit, as Google Trends writes a share under 1 (`<1`) and
# laboratories a concentration under what they detect (`<0.5`).
_CENSORED = re.compile(r"\s*<\s*(?P<limit>\d+(?:\.\d+)?)\s*")


def _uncensored(path, data):
    """`data` (`(line number, fields)` rows) with each value below a limit (`<1`) half of it.

    Half the limit is the usual stand-in for a value known only to lie
    below it (between 0 and the limit). One warning names how many and
    the first line.
    """
    rows, first, count = [], None, 0
    for number, fields in data:
        found = [_CENSORED.fullmatch(field) if "<" in field else None for field in fields]
        if any(found):
            count += sum(map(bool, found))
            if first is None:
                first = number, next(field for field, f in zip(fields, found) if f)
            fields = [f"{float(f['limit']) / 2:g}" if f else field
                      for f, field in zip(found, fields)]
        rows.append((number, fields))
    if count:
        logger.warning(
            "%s: %d value(s) below a limit (%r, line %d, the first) read as half the limit",
            path, count, first[1].strip(), first[0],
        )
    return rows


def _cell(path, number, text, column):
    """A value of a timestamped CSV: a number, or `nan` for a missing one (`CSV_MISSING`)."""
    text = text.strip()
    if text.lower() in CSV_MISSING:
        return math.nan
    return _number(path, number, text, f"column {column!r}")


def _wide_cell(path, number, text, column):
    """`_cell` of a wide file, where a word says which columns would make the file long."""
    try:
        return _cell(path, number, text, column)
    except ValueError:
        if is_number(text) or not any(c.isalpha() for c in text):  # a word's cell only
            raise
        raise DataError(
            path, number,
            f"column {column!r} is not a number: {text.strip()!r}. A wide file holds a series "
            "per column (name the one to forecast: --column NAME); a long one (a row per "
            "series and time) names its columns, in any case: the series id one of "
            f"{', '.join(ID_COLUMNS)}; the time one of {', '.join(TIME_COLUMNS)}; the value one "
            f"of {', '.join(VALUE_COLUMNS)}",
        ) from None


class _Series:
    """The timestamps and values of one series as a CSV is read, with their lines."""

    def __init__(self, name):
        self.name = name
        self.lines, self.stamps, self.values = [], [], []

    def add(self, number, stamp, value):
        self.lines.append(number)
        self.stamps.append(stamp)
        self.values.append(value)

    def in_order(self, path):
        """The series with its timestamps increasing: reversed, sorted or refused.

        Newest first, as many financial downloads come, is reversed. Rows out
        of time order without a time twice (Kaggle's PJM hourly loads come in
        blocks) are sorted, with a warning naming the first out of order, as
        pandas-based tools sort them. Local times that repeat where daylight
        saving time ends (`_daylight_saving_repeats`) read as the mean of
        their two values, with a warning; the hour skipped where it begins
        is a gap, missing.

        Raises:
            DataError: naming the line of the first timestamp out of order,
                where a time repeats otherwise (several series in one column).
        """
        pairs = list(itertools.pairwise(self.stamps))
        if all(later > earlier for earlier, later in pairs):
            return self
        if pairs and all(later < earlier for earlier, later in pairs):
            for entries in (self.lines, self.stamps, self.values):
                entries.reverse()
            return self
        counts = collections.Counter(self.stamps)
        if any(count > 1 for count in counts.values()):
            if not _daylight_saving_repeats(counts):
                self._refuse_order(path, pairs)
            self._merge_repeats(path, counts)
            return self.in_order(path)
        index = next(i for i, (earlier, later) in enumerate(pairs, start=1) if later < earlier)
        logger.warning(
            "%s: series %r: its rows are not in time order (line %d, %s, comes after %s): read "
            "sorted by time", path, self.name, self.lines[index], self.stamps[index],
            self.stamps[index - 1],
        )
        order = sorted(range(len(self.stamps)), key=self.stamps.__getitem__)
        self.lines, self.stamps, self.values = (
            [entries[i] for i in order] for entries in (self.lines, self.stamps, self.values)
        )
        return self

    def _merge_repeats(self, path, counts):
        """Each timestamp that `counts` twice as one row: the mean of its values, its first line."""
        rows = {}
        for number, stamp, value in zip(self.lines, self.stamps, self.values):
            rows.setdefault(stamp, []).append((number, value))
        repeated = [stamp for stamp in rows if counts[stamp] > 1]
        first = rows[repeated[0]]
        logger.warning(
            "%s: series %r: %d local time(s) repeat where daylight saving time ends (%s, lines "
            "%d and %d, the first): each read as the mean of its two values", path, self.name,
            len(repeated), repeated[0], first[0][0], first[1][0],
        )
        self.lines = [entries[0][0] for entries in rows.values()]
        self.stamps = list(rows)
        self.values = [_mean_of([value for _, value in entries]) for entries in rows.values()]

    def _refuse_order(self, path, pairs):
        """Raises the `DataError` of the first timestamp out of order (`pairs` of neighbours)."""
        for index, (earlier, later) in enumerate(pairs, start=1):
            if later > earlier:
                continue
            how = "repeats" if later == earlier else "comes before"
            clock = ""
            if later.time() != datetime.time():
                clock = (" (local times repeat an hour where daylight saving time ends: write "
                         "them in UTC, or with their offset, +01:00)")
            elif later == earlier:
                clock = (". Rows of several series at each time make a long file: name the "
                         "columns that tell the series apart (--id-column NAME, or NAME,NAME) "
                         "and the value column (--column NAME)")
            raise DataError(
                path, self.lines[index],
                f"timestamp {later} {how} {earlier} (line {self.lines[index - 1]}) in series "
                f"{self.name!r}; timestamps must increase (or all decrease){clock}",
            )


def _daylight_saving_repeats(counts):
    """Whether the times that repeat in `counts` (`{timestamp: rows}`) are daylight saving's.

    Where it ends, local clocks go back an hour, early on a Sunday (Europe
    at 03:00, North America at 02:00, Australia at 03:00): the times of that
    hour come twice. So: each repeated time comes exactly twice, on a Sunday
    between 00:00 and 03:59 but not at midnight, the repeats of a year lie
    within one hour, and the series has times of day (not a day a row).
    """
    repeated = [stamp for stamp, count in counts.items() if count > 1]
    if any(counts[stamp] != 2 for stamp in repeated):
        return False
    if not all(stamp.weekday() == 6 and stamp.hour <= 3 and stamp.time() != datetime.time()
               for stamp in repeated):
        return False
    years = collections.defaultdict(list)
    for stamp in repeated:
        years[stamp.year].append(stamp)
    return all(max(day) - min(day) < datetime.timedelta(hours=1) for day in years.values())


def _mean_of(values):
    """The mean of the values that are not missing (`nan` where all are)."""
    present = [value for value in values if not math.isnan(value)]
    return sum(present) / len(present) if present else math.nan


# The letter of an M4 series' id (`Y1`, `M42`), its frequency.
_M4_LETTERS = {
    "Y": "yearly", "Q": "quarterly", "M": "monthly", "W": "weekly", "D": "daily", "H": "hourly",
}


def is_m4_header(header):
    """Whether `header` is the M4 competition's CSV header: `V1, V2, ..., Vn` (n of 3 or more)."""
    return len(header) >= 3 and [name.strip() for name in header] == [
        f"V{number}" for number in range(1, len(header) + 1)
    ]


def read_m4_csv(path, encoding="utf-8"):
    """Reads a CSV as the M4 competition's data come: a series a row, without timestamps.

    The header is `V1, V2, ..., Vn` (`is_m4_header`); each row is a
    series' id (`Y1`, `M42`, ...), then its values, the shorter series'
    rows ending in empty cells (`"Y1",5172.1,...,,`). Missing values
    inside a series are empty cells, `NA` or another of `readers.CSV_MISSING`.

    Returns:
        a `SeriesCollection` of float64 values and no start times. The
        frequency is that of the ids' letter where all share one, as M4
        names its series (`Y1`: yearly; `Q`, `M`, `W`, `D`, `H`), else
        `None` (the task then finds a season in the values).
    """
    rows = list(csv_rows(path, encoding))
    if not rows:
        raise DataError(path, None, "the file is empty")
    (header_line, header), *data = rows
    names, values, lines = [], [], {}
    for number, fields in data:
        if len(fields) > len(header):
            raise DataError(
                path, number, f"expected at most {len(header)} fields as in the header, got "
                f"{len(fields)}",
            )
        name = fields[0].strip()
        if not name:
            raise DataError(path, number, "the series id (V1) is empty")
        if name in lines:
            raise DataError(path, number, f"series {name!r} again (first on line {lines[name]})")
        lines[name] = number
        cells = [field.strip() for field in fields[1:]]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) < 2:
            raise DataError(
                path, number, f"expected at least 2 values for series {name!r}, got {len(cells)}"
            )
        names.append(name)
        values.append(np.array([
            _cell(path, number, cell, f"V{index}") for index, cell in enumerate(cells, start=2)
        ]))
    if not names:
        raise DataError(path, header_line, "no series after the header")
    letters = {re.sub(r"\d+$", "", name) for name in names}
    frequency = _M4_LETTERS.get(letters.pop()) if len(letters) == 1 else None
    return SeriesCollection(
        names=names, starts=[None] * len(names), values=values, frequency=frequency
    )


def header_times(header):
    """`[(index, timestamp)]` of the header names that are timestamps, if 3 or more; else `None`.

    Such a file holds a series a row, a column a time (the World Bank's
    downloads: `Country Name,Country Code,...,1960,1961,...`).
    """
    found = [(index, parse_timestamp(name)) for index, name in enumerate(header)]
    found = [(index, stamp) for index, stamp in found if stamp is not None]
    return found if len(found) >= 3 else None


def _rows_across(path, header_line, header, across, id_column, records):
    """The `_Series` of a file with its timestamps across the header (`header_times`).

    Each row is a series named by `id_column`, else by the first column that
    is not a timestamp (else `T1`, `T2`, ...); the other columns are ignored.
    """
    for (before, earlier), (index, later) in zip(across, across[1:]):
        if later <= earlier:
            raise DataError(
                path, header_line,
                f"the timestamps across the header must increase: {header[index]!r} comes after "
                f"{header[before]!r}",
            )
    times = {index for index, _ in across}
    if id_column is not None:
        label = header.index(id_column)
    else:
        label = next((i for i in range(len(header)) if i not in times), None)
    series, lines = [], {}
    for count, (number, fields) in enumerate(records, start=1):
        name = fields[label].strip() if label is not None else ""
        name = name or f"T{count}"
        if name in lines:
            raise DataError(
                path, number,
                f"series {name!r} again (first on line {lines[name]}): a row per series",
            )
        lines[name] = number
        one = _Series(name)
        for index, stamp in across:
            one.add(number, stamp, _cell(path, number, fields[index], header[index]))
        series.append(one)
    return series


def is_row_number_name(name):
    """Whether a header's `name` is a row number's (`_ROW_NUMBER_COLUMNS`: none, `rownames`)."""
    return name.strip().lower() in _ROW_NUMBER_COLUMNS


def _row_numbers_column(header, data):
    """The column numbering the rows (`0, 1, 2, ...` or from 1), or `None`.

    Unnamed, as pandas' `to_csv` writes a frame's default index (sktime's
    `Uschange.csv`: `,Quarter,Consumption,...`), or named as a row number
    (`_ROW_NUMBER_COLUMNS`: the UCI archive's `No,year,month,...`): it is no
    series.
    """
    for column, name in enumerate(header):
        if not is_row_number_name(name):
            continue
        if _counts_rows([fields[column] for _, fields in data]):
            return column
    return None


def _counts_rows(cells):
    """Whether `cells` count the rows: `0, 1, 2, ...` or `1, 2, 3, ...`."""
    cells = [cell.strip() for cell in cells]
    return any(cells == [str(row) for row in range(first, first + len(cells))] for first in (0, 1))


def _time_counter_column(path, header, data, taken):
    """A column named `time` or `t` that counts the rows (`1, 2, ...` or from 0), or `None`.

    Beside the timestamps (in a column of `taken`), such a column is a
    regression's trend term, no series (statsmodels' `copper`:
    `YEAR,...,TIME` with `TIME` 1 to 25): left out, with a warning. (A
    `month` column counting 1, 2, 3 beside dates from January is the
    month, and stays a series.)
    """
    for column, name in enumerate(header):
        if column in taken or name.lower() not in ("time", "t"):
            continue
        cells = [fields[column].strip() for _, fields in data]
        if len(cells) > 1 and _counts_rows(cells):
            logger.warning(
                "%s: column %r counts the rows (%s, %s, ...): no series, left out", path, name,
                cells[0], cells[1],
            )
            return column
    return None


def _year_table(header, columns, data, time):
    """Months per column where `columns` are a year's months or quarters in order, else `None`.

    A table of a row per year (bare years in column `time`) and a column per
    month (`JAN`, ..., `DEC`, or the names in full) or quarter (`Q1`, ...,
    `Q4`) is one series: statsmodels' `elnino`.
    """
    if not _bare_years(data, time):
        return None
    names = [header[column] for column in columns]
    if [_month_number(name) for name in names] == list(range(1, 13)):
        return 1
    if [name.strip().upper() for name in names] == ["Q1", "Q2", "Q3", "Q4"]:
        return 3
    return None


def _bare_years(data, time):
    """Whether the first row of `data` (`(line, fields)`) holds a bare year in column `time`."""
    return bool(data) and _is_bare_year(data[0][1][time])


def _is_bare_year(text):
    """Whether `text` is a year alone, `YYYY`."""
    return re.fullmatch(r"\d{4}", text.strip()) is not None


def year_beside_parts(header, fields):
    """The name of a column of bare years beside the parts of a date, or `None`.

    `header` and `fields` are a CSV's header and first data row: a column
    named as years (`year`, `yr`) holding a bare year, beside a month or
    quarter column (`_date_parts`), wherever it stands (the UCI archive's
    `No,year,month,day,hour,...`).
    """
    for index, name in enumerate(header):
        if name.strip().lower() in _YEAR_COLUMNS and index < len(fields):
            if _date_parts([n.strip() for n in header], index, [(None, fields)]):
                return name.strip()
    return None


def _date_parts(header, time, data, taken=()):
    """`[(column, part)]`: the columns beside bare years that complete each row's timestamp.

    Only beside bare years: those of the first row of `data` (`(line,
    fields)`) in column `time`. Each part (`_DATE_PARTS`: `month` or a
    quarter, `day`, `hour`, `minute`, `second`) is the first column named
    as it (not `time` nor one of `taken`), and counts only after the parts
    before it; beside dates, a `month` column is a series.
    """
    if not _bare_years(data, time):
        return []
    parts = []
    for part, names in _DATE_PARTS:
        column = next(
            (index for index, name in enumerate(header)
             if index != time and index not in taken and name.lower() in names
             and (name.lower() != "period" or _bls_periods(data, index))),
            None,
        )
        if column is None:
            break
        parts.append((column, part))
    return parts


def _assembled(path, number, header, time, parts, shift, fields):
    """The timestamp of a row whose year is in column `time`, its other `parts` beside it.

    `parts` are `_date_parts`; `shift` is -1 where the hours run 1-24 (the
    hour ending, as power grids write it).
    """
    named, year = header[parts[0][0]], fields[time].strip()
    if not _is_bare_year(year):
        raise DataError(
            path, number,
            f"column {named!r} places rows in their year, but the timestamp {year!r} is not a "
            "bare year (YYYY)",
        )
    stamp = {"year": int(year), "month": 1, "day": 1}
    for column, part in parts:
        text, name = fields[column].strip(), header[column]
        if part == "month":
            stamp[part] = _part_of_year(path, number, text, name)
            continue
        low, high = _PART_RANGES[part]
        if part == "hour" and shift:
            low, high = low + 1, high + 1
        if not (text.isdigit() and low <= int(text) <= high):
            raise DataError(
                path, number, f"column {name!r}: {text!r} is not a whole number {low}-{high}"
            )
        stamp[part] = int(text) + (shift if part == "hour" else 0)
    month = stamp.pop("month")
    moment = _date(stamp.pop("year"), month, stamp.pop("day"))
    if moment is None:
        raise DataError(
            path, number,
            f"column {header[parts[1][0]]!r}: {fields[parts[1][0]].strip()!r} is no day of "
            f"{year}-{month:02d}",
        )
    return moment.replace(**stamp)


def _bls_periods(data, column):
    """Whether the first row of `data` holds a BLS period (`_BLS_PERIOD`) in `column`."""
    return bool(data) and bool(_BLS_PERIOD.fullmatch(data[0][1][column].strip()))


def _without_year_averages(path, header, data):
    """`data` without the rows of a year's average (`_BLS_AVERAGES`), with a warning.

    Only where a `period` column holds BLS periods (`_bls_periods`) beside
    a column of years: the US Bureau of Labor Statistics lists each year's
    average (`M13`) after its months, a value that is no step of the series.
    """
    lower = [name.lower() for name in header]
    if "period" not in lower or not any(name in _YEAR_COLUMNS for name in lower):
        return data
    column = lower.index("period")
    if not _bls_periods(data, column):
        return data
    kept = [row for row in data if row[1][column].strip().upper() not in _BLS_AVERAGES]
    if len(kept) < len(data):
        first = next(row for row in data if row[1][column].strip().upper() in _BLS_AVERAGES)
        logger.warning(
            "%s: %d row(s) of a year's average (period %r, line %d, the first) left out: no "
            "step of the series", path, len(data) - len(kept), first[1][column].strip(), first[0],
        )
    return kept


def _part_of_year(path, number, text, column):
    """The first month of the quarter or month `text` (1, 2, ... or a month's name) names.

    In a `period` column, a BLS period (`_BLS_PERIOD`: `M01`, `Q01`, ...).
    """
    if column.lower() == "period":
        period = _BLS_PERIOD.fullmatch(text.strip())
        months = _BLS_MONTHS[period["kind"].upper()] if period else 0
        if not period or not 1 <= int(period["index"]) <= 12 // months:
            raise DataError(
                path, number,
                f"column {column!r}: {text.strip()!r} is not a period of the year as the US "
                "Bureau of Labor Statistics writes them (M01-M12, Q01-Q04, S01-S02, A01)",
            )
        return (int(period["index"]) - 1) * months + 1
    months = 3 if column.lower() in _QUARTER_COLUMNS else 1
    count = 12 // months
    index = _month_number(text) if months == 1 else None
    if index is None:
        try:
            index = float(text)
        except ValueError:
            index = math.nan
    if not (float(index).is_integer() and 1 <= index <= count):
        named = " or a month's name" if months == 1 else ""
        raise DataError(
            path, number,
            f"column {column!r}: {text.strip()!r} is not a whole number 1-{count}{named}",
        )
    return (int(index) - 1) * months + 1


def _row_times(path, header, time, data, taken=()):
    """`(columns, stamp_of)`: how each row of `data` gives its timestamp.

    `stamp_of(number, fields)` reads column `time`: bare years with the
    parts of the date in the columns beside them (`_date_parts`), or
    dates, day or month first as the column says (`_day_first`), at the
    time of day of the clock column beside them (`_clock_column`), where
    there is one. `columns` are the other columns it reads (none of
    `taken`).
    """
    parts = _date_parts(header, time, data, taken)
    if parts:
        hours = [column for column, part in parts if part == "hour"]
        ending = bool(hours) and _hour_ending(data, hours[0])

        def assembled(number, fields):
            return _assembled(path, number, header, time, parts, -ending, fields)

        return [column for column, _ in parts], assembled
    texts = [fields[time].strip() for _, fields in data]
    counted = _counted_months(texts)
    if counted:
        logger.warning(
            "%s: column %r: %r, ..., %r read as months of the years 1 to %d counted from the "
            "first (no calendar year is given)",
            path, header[time], texts[0], texts[-1], counted[-1].year,
        )
        stamps = {number: stamp for (number, _), stamp in zip(data, counted)}

        def counted_stamp(number, fields):
            return stamps[number]

        return [], counted_stamp
    frequency = r_time_frequency(texts)
    r_times = _r_times(texts, frequency)
    if r_times:
        logger.info(
            "%s: column %r: %r, ..., %r read as R writes a ts's times: %s from %s",
            path, header[time], texts[0], texts[-1], _R_FREQUENCY_NAMES[frequency],
            r_times[0].strftime("%Y-%m"),
        )
        stamps = {number: stamp for (number, _), stamp in zip(data, r_times)}

        def r_stamp(number, fields):
            return stamps[number]

        return [], r_stamp
    day_first = _day_first(path, header[time], [(n, fields[time]) for n, fields in data])
    clock, shift = _clock_column(header, time, data, taken) or (None, 0)

    def stamp_of(number, fields):
        stamp = _timestamp(path, number, fields[time], header[time], day_first)
        if clock is None:
            return stamp
        return _at_clock(path, number, stamp, fields[clock], header[clock], shift)

    return ([] if clock is None else [clock]), stamp_of


def _clock_column(header, time, data, taken=()):
    """`(column, hour shift)` of a column giving the time of day beside dates, or `None`.

    Beside dates without a time of day (those of the first row of `data`
    in column `time`), the first other column (not in `taken`) named as a
    time (`time`, `Time of day`, `clock`: not `duration`) whose first
    value reads `HH:MM[:SS]` (the UCI archive's `Date;Time;...`), else one
    named `hour` or `hr` holding whole hours: 0-23, or 1-24 where a 24
    appears (the hour ending, as power grids write it; the shift is then
    -1).
    """
    if not data:
        return None
    first = data[0][1]
    text = first[time].strip()
    stamp = parse_timestamp(text)
    if stamp is None or stamp.time() != datetime.time() or ":" in text or _is_bare_year(text):
        return None
    others = [i for i in range(len(header)) if i != time and i not in taken]
    clock = next((i for i in others if any(w in header[i].lower() for w in ("time", "clock"))
                  and _CLOCK.fullmatch(first[i].strip())), None)
    if clock is not None:
        return clock, 0
    hour = next((i for i in others if header[i].lower() in _HOUR_COLUMNS
                 and first[i].strip().isdigit()), None)
    if hour is None:
        return None
    return hour, -1 if _hour_ending(data, hour) else 0


def _hour_ending(data, column):
    """Whether whole hours in `column` of `data` run 1-24 (a 24 appears): the hour ending."""
    return any(fields[column].strip() == "24" for _, fields in data)


def _at_clock(path, number, stamp, text, column, shift):
    """`stamp` at the time of day `text` in `column` (`_clock_column`'s, with its `shift`)."""
    text = text.strip()
    match = _CLOCK.fullmatch(text)
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    elif text.isdigit() and column.lower() in _HOUR_COLUMNS:
        hour, minute, second = int(text) + shift, 0, 0
    else:
        hour = minute = second = -1
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        hours = "0-23 (or 1-24, the hour ending)" if column.lower() in _HOUR_COLUMNS else None
        raise DataError(
            path, number,
            f"column {column!r} gives the time of day beside the dates, but {text!r} is none "
            f"(expected {hours or 'HH:MM or HH:MM:SS'})",
        )
    return stamp.replace(hour=hour, minute=minute, second=second)


def _month_number(text):
    """The month (1-12) that `text` names (`Jan`, `january`), or `None`."""
    for shape in ("%b", "%B"):
        try:
            return datetime.datetime.strptime(text.strip(), shape).month
        except ValueError:
            pass
    return None


# SDMX-CSV, the CSV of the statistical agencies' data services (Eurostat, the ECB,
# the OECD, the IMF, the BIS): the series' dimensions, then `TIME_PERIOD` and
# `OBS_VALUE`, then attributes. Columns before `TIME_PERIOD` that are no dimension
# (lower case): the dataflow, the time of the last update.
_SDMX_NOT_DIMENSIONS = (
    "dataflow", "structure", "structure_id", "structure_name", "action", "last update",
    "last_update",
)


def is_sdmx_header(header):
    """Whether a CSV's `header` is SDMX-CSV's: it names `TIME_PERIOD` and `OBS_VALUE`."""
    lower = {name.strip().lower() for name in header}
    return "time_period" in lower and "obs_value" in lower


def sdmx_columns(header, rows):
    """`(id_column, time_column, value_column)` of an SDMX-CSV file, else `(None,) * 3`.

    SDMX-CSV names its timestamp `TIME_PERIOD` and its value `OBS_VALUE`;
    the series are told apart by its `KEY` column where it has one (the
    ECB's `EXR.D.USD.EUR.SP00.A`), else by the dimensions before
    `TIME_PERIOD` whose values differ from row to row (`geo`: `DE`,
    `FR`), joined by commas as `--id-column` takes them; `None` where none
    differ (one series). `rows` are the data rows, `(number, fields)`.
    """
    if not is_sdmx_header(header):
        return None, None, None
    lower = [name.lower() for name in header]
    time = lower.index("time_period")
    time_column, value_column = header[time], header[lower.index("obs_value")]
    if "key" in lower[:time]:
        return header[lower.index("key")], time_column, value_column
    dimensions = [
        index for index in range(time)
        if lower[index] not in _SDMX_NOT_DIMENSIONS
        and len({fields[index].strip() for _, fields in rows if index < len(fields)}) > 1
    ]
    id_column = ",".join(header[index] for index in dimensions) or None
    return id_column, time_column, value_column


def _id_columns(path, number, header, id_column):
    """The indices of the series-id columns `id_column` names: one, or several by commas.

    Several (`store,item`, as Darts' `group_cols`) where the header has no
    column named `id_column` itself.
    """
    names = [name.strip() for name in id_column.split(",")]
    if id_column in header or len(names) < 2:
        return [_column_index(path, number, header, id_column)]
    indices = [_column_index(path, number, header, name) for name in names]
    if len(set(indices)) < len(indices):
        raise DataError(path, number, f"a column named twice in the series id {id_column!r}")
    return indices


def _joined(fields, indices, joined):
    """`fields` with those at `indices` replaced by one, `joined`, where the first of them was."""
    return [joined if index == indices[0] else field for index, field in enumerate(fields)
            if index == indices[0] or index not in indices]


def _column_index(path, number, header, name):
    if name not in header:
        raise DataError(path, number, f"no column {name!r}; the columns are {header}")
    return header.index(name)


def long_layout(header, value_column=None, id_column=None, time_column=None):
    """`(id, time, value)`: the columns of a long CSV with this `header`, or `None` (wide).

    Long: the header has a series-id column (`id_column`, else one named
    `series`, `series_id`, `id`, `unique_id`, `item_id` or `vector`), a
    timestamp column (`time_column`, else `timestamp`, `ds`, `date`,
    `time`, `datetime`, `month`, `year` or `ref_date`) and a value column
    (`value_column`, else `value`, `y` or `target`); the names of the lists
    in any case.
    """
    lower = [name.strip().lower().replace(" ", "_") for name in header]  # `Series id` too

    def column(given, names):
        if given is not None:
            return header.index(given) if given in header else None
        return next((index for index, name in enumerate(lower) if name in names), None)

    columns = (
        column(id_column, ID_COLUMNS),
        column(time_column, TIME_COLUMNS),
        column(value_column, VALUE_COLUMNS),
    )
    return columns if None not in columns and len(set(columns)) == 3 else None


def _untimed_layout(header, value_column, id_column, time_column):
    """`(id, value)`: the columns of a long CSV without timestamps, or `None`.

    Without timestamps: no `time_column` given, and no column named as one
    (`TIME_COLUMNS`). The value column is `value_column`, else one named as
    one (`value`, `y`, `target`), else the one column beside the id.
    """
    lower = [name.lower() for name in header]
    if time_column is not None or any(name in TIME_COLUMNS for name in lower):
        return None
    ident = header.index(id_column)
    if value_column is not None:
        value = header.index(value_column)
    else:
        others = [index for index in range(len(header)) if index != ident]
        named = [index for index in others if lower[index] in VALUE_COLUMNS]
        value = (named or others)[0] if named or len(others) == 1 else None
    return None if value is None or value == ident else (ident, value)


def _series_in_row_order(path, header, ident, value, data):
    """The series of a long CSV without timestamps (`_untimed_layout`), as a `SeriesCollection`.

    Each id's values are in the order of its rows, without start times or
    frequency.
    """
    series = {}
    for number, fields in data:
        key = fields[ident].strip()
        if not key:
            raise DataError(path, number, f"column {header[ident]!r} (the series id) is empty")
        lines, values = series.setdefault(key, ([], []))
        lines.append(number)
        values.append(_cell(path, number, fields[value], header[value]))
    if not series:
        raise DataError(path, None, "expected at least 2 data rows, got 0")
    for key, (lines, values) in series.items():
        if len(values) < 2:
            raise DataError(path, lines[-1],
                            f"expected at least 2 data rows for series {key!r}, got 1")
    return SeriesCollection(
        names=list(series), starts=[None] * len(series),
        values=[np.asarray(values, "float64") for _, values in series.values()],
    )


def _distinct(path, names):
    """`names` of a wide file's series, a repeated one numbered as pandas does (`ANOM.1`).

    statsmodels' `elnino.dat` heads four columns `ANOM`; series of one name
    would share their identity (`--series-identity`) and their lines of the
    forecasts. A warning names the repeated names.
    """
    counts = collections.Counter()
    distinct = []
    for name in names:
        distinct.append(name if not counts[name] else f"{name}.{counts[name]}")
        counts[name] += 1
    repeated = [name for name, count in counts.items() if count > 1]
    if repeated:
        logger.warning(
            "%s: the header names %s more than once: the later columns numbered as pandas "
            "numbers them (%s, ...)", path, ", ".join(repr(name) for name in repeated),
            ", ".join(repr(f"{name}.1") for name in repeated),
        )
    return distinct


def read_timestamp_csv(path, encoding="utf-8", value_column=None, id_column=None,
                       time_column=None):
    """Reads series from a CSV file with a header row and a timestamp column.

    A **long** file has a series-id, a timestamp and a value column
    (`long_layout`): each row is one value of one series, and series come
    in the order their ids first appear; other columns are ignored. So is
    SDMX-CSV, as the statistical agencies' data services write it
    (`TIME_PERIOD`, `OBS_VALUE`; the series told apart by its `KEY` or the
    dimensions that differ: `sdmx_columns`), unless a column is named. A file
    **across** has its timestamps in the header (`header_times`, 3 or
    more: the World Bank's `Country Name,...,1960,1961,...`): each row is
    a series, named by `id_column` or its first other column; other
    columns are ignored. Any other file is **wide**: its first column (or
    `time_column`) holds the timestamps (any header name, even none) and
    every other column is a series named by its header, but for one
    numbering the rows (`_row_numbers_column`: pandas' index, `No`). Bare
    years beside a column named `quarter` or `month` (`qtr`, `mon`; 1-4,
    1-12 or a month's name), or `period` holding the US Bureau of Labor
    Statistics' periods (`M01`, `Q01`, `S01`, `A01`; its rows of a year's
    average, `M13`, `Q05`, `S03`, left out with a warning), are read as
    that quarter or month of the year
    (statsmodels' `macrodata`: `year,quarter,realgdp,...`), and further
    beside `day`, `hour`, `minute` and `second` columns as pandas'
    `to_datetime` assembles them (`_date_parts`: the UCI archive's
    `No,year,month,day,hour,pm2.5,...`; hours 0-23, or 1-24 where a 24
    appears, the hour ending); dates beside a
    column of the time of day (`HH:MM[:SS]` in a column named as a time, or
    whole hours in a column named `hour`) are read at that time
    (`_clock_column`). A table of
    bare years and a column per month (`JAN`, ..., `DEC`) or quarter
    (`Q1`, ..., `Q4`), in order, is one series named after the file
    (statsmodels' `elnino`), unless `value_column` names one of its
    columns.

    Timestamps read `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY/MM/DD`, a
    quarter (`YYYYQn`, `YYYY Qn`, `YYYY-Qn`, `Qn YYYY`: its first day), a
    week (`YYYY-Www`, `YYYY Www` as tsibble writes it: its Monday), R's
    times of a monthly, quarterly, half-yearly or yearly `ts` (`1949.0833`:
    `r_time_frequency`), a
    month (`YYYYMmm` as Eurostat writes it, `MM/YYYY`), a date of numbers
    with the year last (`1/31/2019`, `31/01/2019`, `31.01.2019`: day or
    month first as the column's numbers say, `_day_first`; `1/31/19`, the
    two-digit year as Excel reads it), a date with its month named
    (`Jan 1 2000`, `1 January 2000`, `01-Jan-2000`, `Jan-1-2000`,
    `Jan 2000`, `2000 Jan`, and Excel's `Jan-00` and `1-Jan-00`), months of
    years counted from 1 (`1-01`, ..., `3-12`: `_counted_months`), `YYYY-MM-DD HH:MM[:SS]` or
    `YYYY-MM-DDTHH:MM[:SS]`, and increase within a series (or all
    decrease, newest first: the series is read reversed; rows out of order
    are sorted, local times repeated where daylight saving time ends
    averaged, both with a warning: `_Series.in_order`). Every value is
    a number, or missing: an empty cell, `NA`, `#N/A`, `..` or another of
    `readers.CSV_MISSING`. A wide file's series begins at its first value
    and ends at its last (the empty cells around it are not part of it);
    every series has at least 2 values.

    Where the frequency is known, each series holds a value for every step
    from its first timestamp: a step without a row (a gap in the
    timestamps) is `nan`, as a missing value is. So too at a step of no
    named frequency (2 minutes, 4 seconds) where every timestamp lies on
    its grid (`_grid_step`). A timestamp between the
    steps is an error naming its line.

    Args:
        path: the CSV file.
        encoding: its text encoding. Defaults to `"utf-8"`.
        value_column: `str` or `None.` The header name of the one column to
            read as values: in a wide file the only series read, in a long
            file the value column. Defaults to every series column (wide) or
            the recognised value column (long).
        id_column, time_column: `str` or `None.` The header names of a long
            file's series-id and timestamp columns, where the header names
            them otherwise than `long_layout` knows (naming the id column
            makes the file long; several id columns, separated by commas,
            tell the series apart together, each series named by their
            values joined by `/`: `store,item` names `1/7`), or of a wide
            file's timestamp column where
            it is not the first. Default to the recognised names, and the
            first column. A long file named by its `id_column` may hold no
            timestamps (`_untimed_layout`): each series' values are then in
            the order of its rows, without start times.

    Returns:
        a `SeriesCollection` with each series' first timestamp as its start,
        float64 values (`nan` where missing), the frequency `infer_frequency`
        finds (`None` when the series disagree), no horizon and empty
        attributes.
    """
    rows = csv_rows(path, encoding)
    first = next(rows, None)
    if first is None:
        raise DataError(path, None, "the file holds only blank lines; expected a header")
    header_line, header = first
    header = [name.strip() for name in header]
    width = len(header)
    if value_column is None and id_column is None and time_column is None:
        rows = list(rows)
        id_column, time_column, value_column = sdmx_columns(header, rows)
    ids = [] if id_column is None else _id_columns(path, header_line, header, id_column)
    if len(ids) > 1:  # the series told apart by several columns: one of their values
        id_column = "/".join(header[index] for index in ids)
        header = _joined(header, ids, id_column)

    def records():
        for number, fields in rows:
            if len(fields) != width:
                raise DataError(
                    path, number, f"expected {width} fields as in the header, got {len(fields)}"
                )
            if len(ids) > 1:
                fields = _joined(fields, ids, "/".join(fields[index].strip() for index in ids))
            yield number, fields

    chosen = None
    if value_column is not None:
        chosen = _column_index(path, header_line, header, value_column)
    if time_column is not None:
        _column_index(path, header_line, header, time_column)
    data = _without_year_averages(path, header, _uncensored(path, list(records())))
    # Timestamps in the header, none in the first column: a series a row.
    first_is_time = bool(data) and starts_timestamps(data[0][1][0])
    across = None if time_column or first_is_time else header_times(header)
    layout = None if across else long_layout(header, value_column, id_column, time_column)
    if across and value_column is not None:
        raise DataError(
            path, header_line,
            f"the header holds the timestamps ({header[across[0][0]]!r}, ...): each row is a "
            f"series, and there is no value column to name (--column {value_column})",
        )
    if layout is None and id_column is not None and not across:
        untimed = _untimed_layout(header, value_column, id_column, time_column)
        if untimed is not None:
            return _series_in_row_order(path, header, *untimed, data)
        raise DataError(
            path, header_line,
            f"a long file with series-id column {id_column!r} needs a value column "
            f"({', '.join(VALUE_COLUMNS)}, or --column NAME) and, where it has timestamps, "
            f"a timestamp column ({', '.join(TIME_COLUMNS)}, or --time-column NAME), each "
            "its own",
        )
    if across:
        series = _rows_across(path, header_line, header, across, id_column, data)
        last_line = header_line
    elif layout is not None:
        ident, time, value = layout
        _, stamp_of = _row_times(path, header, time, data, taken=(ident, value))
        groups = {}
        for number, fields in data:
            key = fields[ident].strip()
            if not key:
                raise DataError(path, number, f"column {header[ident]!r} (the series id) is empty")
            group = groups.setdefault(key, _Series(key))
            group.add(number, stamp_of(number, fields),
                      _cell(path, number, fields[value], header[value]))
        series = list(groups.values())
        last_line = header_line  # only named when there are no rows
    else:
        if len(header) < 2:
            raise DataError(
                path, header_line,
                f"expected a timestamp column and at least one series column, got {header}",
            )
        time = 0 if time_column is None else header.index(time_column)
        stamped, stamp_of = _row_times(path, header, time, data)
        if chosen is not None and chosen in (time, *stamped):
            raise DataError(
                path, header_line, f"column {value_column!r} is (part of) the timestamp, not a "
                "series"
            )
        row_numbers = _row_numbers_column(header, data)
        counter = _time_counter_column(path, header, data, (time, row_numbers, *stamped))
        columns = [c for c in range(len(header))
                   if c not in (time, row_numbers, counter, *stamped)]
        columns = columns if chosen is None else [chosen]
        months = None if stamped else _year_table(header, columns, data, time)
        if months:  # a row per year, a column per month or quarter: one series
            series = [_Series(os.path.splitext(os.path.basename(path))[0])]
        else:
            names = [header[column] or f"T{index}" for index, column in
                     enumerate(columns, start=1)]
            series = [_Series(name) for name in _distinct(path, names)]
        last_line = header_line
        for number, fields in data:
            stamp = stamp_of(number, fields)
            for position, column in enumerate(columns):
                value = _wide_cell(path, number, fields[column], header[column])
                if months:
                    series[0].add(number, stamp.replace(month=position * months + 1), value)
                else:
                    series[position].add(number, stamp, value)
            last_line = number
    return _stamped_collection(path, series, last_line)


def _stamped_collection(path, series, last_line):
    """The `SeriesCollection` of timestamped `_Series` as a CSV gave them.

    Each put in order (`_Series.in_order`), the missing values around it
    left out (`_trimmed`), then on the grid of the frequency they share
    (`_on_grid`). `last_line` is named where there are no rows.

    Raises:
        DataError: no series, or one of fewer than 2 values.
    """
    if not series:
        raise DataError(path, last_line, "expected at least 2 data rows, got 0")
    series = [one.in_order(path) for one in series]
    for one in series:
        if len(one.values) < 2:
            raise DataError(
                path, one.lines[-1] if one.lines else last_line,
                f"expected at least 2 data rows for series {one.name!r}, got {len(one.values)}",
            )
    series = [_trimmed(path, one) for one in series]
    frequencies = {infer_frequency(one.stamps) for one in series}
    frequency = frequencies.pop() if len(frequencies) == 1 else None
    step = _grid_step([one.stamps for one in series]) if frequency is None else None
    return SeriesCollection(
        names=[one.name for one in series],
        starts=[one.stamps[0] for one in series],
        values=[_on_grid(path, one, frequency, step) for one in series],
        frequency=frequency,
    )


# The notes whose value names a series of timestamped sections (`read_sections`),
# and how many notes may come before its data.
_TITLE_NOTES = ("title", "name", "series", "cdid")
_MAX_NOTES = 20


def read_sections(path, encoding="utf-8"):
    """One series of a file of notes, then sections of timestamped values; else `None`.

    As the UK's Office for National Statistics writes its series (its
    generator's CSV): two columns, notes first (`"Title","CPIH INDEX ..."`,
    `"CDID","L522"`, `"Unit",...`: no timestamp in the first), then the
    series once a year, once a quarter and once a month (`"1988"`,
    `"1988 Q1"`, `"1988 JAN"`), each section starting over in time (one
    section where every timestamp comes before the one above it: newest
    first, read reversed). The
    section of the most values is read (the finest), named by the note
    `Title` (else `Name`, `Series`, `CDID`; else the file's name), with a
    warning naming the notes and the sections left out.

    Returns:
        a `SeriesCollection` of one series, or `None` where the file is not
        so: not two columns throughout, no note before the first timestamp
        or more than `_MAX_NOTES`, a note that is a number or unnamed, or a
        line after the first timestamp without one.
    """
    rows = list(csv_rows(path, encoding, warn=False))
    if len(rows) < 3 or any(len(fields) != 2 for _, fields in rows):
        return None
    first = next((i for i, (_, fields) in enumerate(rows) if starts_timestamps(fields[0])), None)
    if not first or first > _MAX_NOTES:
        return None
    notes, data = rows[:first], rows[first:]
    if any(is_number(key) or not key.strip() for _, (key, _) in notes):
        return None  # notes name what they say: no row of numbers, none unnamed
    stamps = [parse_timestamp(fields[0].strip()) for _, fields in data]
    if any(stamp is None for stamp in stamps):
        return None
    newest_first = all(later < earlier for earlier, later in itertools.pairwise(stamps))
    sections = [[]]
    for index, (row, stamp) in enumerate(zip(data, stamps)):
        if index and stamp <= stamps[index - 1] and not newest_first:
            sections.append([])
        sections[-1].append((row, stamp))
    chosen = max(sections, key=len)
    titles = {key.strip().lower(): value.strip() for _, (key, value) in notes}
    name = next((titles[key] for key in _TITLE_NOTES if titles.get(key)),
                os.path.splitext(os.path.basename(path))[0])
    one = _Series(name)
    for (number, fields), stamp in chosen:
        one.add(number, stamp, _cell(path, number, fields[1], name))
    others = [
        f"{infer_frequency([s for _, s in section]) or 'irregular'} "
        f"(lines {section[0][0][0]}-{section[-1][0][0]})"
        for section in sections if section is not chosen
    ]
    logger.warning(
        "%s: %d line(s) of notes before the data skipped (%s)%s; the series read from lines "
        "%d-%d", path, len(notes), ", ".join(key.strip() for _, (key, _) in notes),
        f", and its sections of other frequencies left out: {'; '.join(others)}" if others else "",
        chosen[0][0][0], chosen[-1][0][0],
    )
    return _stamped_collection(path, [one], chosen[-1][0][0])


def _trimmed(path, one):
    """`one` without the missing values before its first value and after its last.

    A wide file's series may start and end on different rows, the cells
    around them empty. A series without any value is kept whole.
    """
    known = [index for index, value in enumerate(one.values) if not math.isnan(value)]
    if not known:
        return one
    trimmed = _Series(one.name)
    keep = slice(known[0], known[-1] + 1)
    trimmed.lines, trimmed.stamps, trimmed.values = (
        one.lines[keep], one.stamps[keep], one.values[keep]
    )
    if len(trimmed.values) < 2:
        raise DataError(
            path, trimmed.lines[0], f"expected at least 2 values for series {one.name!r}, got 1"
        )
    return trimmed


def _grid_step(stamps):
    """The step of timestamps of no named frequency, if all lie on its grid; else `None`.

    The most common difference between consecutive timestamps of all the
    series (`stamps`: a list per series), where every difference is a whole
    number of it (2 minutes, 4 seconds, 3 hours): a missing row is then a
    missing value, as at a named frequency. Irregular timestamps (events,
    or months of several lengths) give `None`: their values are read as
    they come.
    """
    differences = collections.Counter(
        later - earlier for one in stamps for earlier, later in itertools.pairwise(one)
    )
    step = _most_common(differences)
    if step is None:
        return None
    return step if all(not difference % step for difference in differences) else None


def _most_common(counts):
    """The most common key of `counts` (a `Counter`), or `None` if empty or two tie."""
    common = counts.most_common(2)
    if not common or (len(common) == 2 and common[0][1] == common[1][1]):
        return None
    return common[0][0]


def _on_grid(path, one, frequency, step=None):
    """`one`'s values at every `frequency` step from its first timestamp (`nan` where no row is).

    At no frequency, at every `step` (`_grid_step`), or as they come where
    `step` is `None`. A timestamp between the steps is an error naming its
    line.
    """
    values = np.asarray(one.values, dtype=np.float64)
    if frequency is None and step is None:
        return values
    steps = []
    for number, stamp in zip(one.lines, one.stamps):
        if frequency is None:
            steps.append((stamp - one.stamps[0]) // step)
            continue
        index = steps_between(one.stamps[0], stamp, frequency)
        if index is None:
            raise DataError(
                path, number,
                f"timestamp {stamp} of series {one.name!r} is not a whole number of "
                f"{frequency} steps after its first, {one.stamps[0]} (line {one.lines[0]})",
            )
        steps.append(index)
    length = steps[-1] + 1
    grid = np.full(length, np.nan)
    grid[steps] = values
    return grid


def steps_between(earlier, later, frequency):
    """How many `frequency` steps `later` is after `earlier`, or `None` if between steps.

    Args:
        earlier, later: `datetime.datetime`, `later` not before `earlier`.
        frequency: a frequency name `infer_frequency` gives.

    Returns:
        `int`, or `None` where `later` is no whole number of steps after
        `earlier` (or the frequency has no fixed step).
    """
    if frequency in _STEP_OF:
        steps, rest = divmod(later - earlier, _STEP_OF[frequency])
        return steps if not rest else None
    if later.time() != earlier.time():
        return None
    if frequency == "business_daily":
        if later.weekday() >= 5:
            return None
        return int(np.busday_count(earlier.date(), later.date()))
    if frequency not in _MONTHS_OF:
        return None
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    steps, rest = divmod(months, _MONTHS_OF[frequency])
    return steps if not rest and _same_day_of_month(earlier, later) else None


def _days_in_month(moment):
    return calendar.monthrange(moment.year, moment.month)[1]


def _same_day_of_month(earlier, later):
    """Whether `later` is `earlier` moved by whole months (month ends stay month ends)."""
    if earlier.day == later.day:
        return True
    # Jan 31 -> Feb 28 (clamped to the month end), Feb 28 -> Mar 31 (back from it).
    later_end = later.day == _days_in_month(later) and earlier.day > later.day
    earlier_end = earlier.day == _days_in_month(earlier) and later.day > earlier.day
    return later_end or earlier_end


_FIXED_STEPS = {
    datetime.timedelta(minutes=5): "5_minutes",
    datetime.timedelta(minutes=10): "10_minutes",
    datetime.timedelta(minutes=15): "15_minutes",
    datetime.timedelta(minutes=30): "half_hourly",
    datetime.timedelta(hours=1): "hourly",
    datetime.timedelta(days=1): "daily",
    datetime.timedelta(weeks=1): "weekly",
}
_MONTH_STEPS = {1: "monthly", 3: "quarterly", 12: "yearly"}
_STEP_OF = {name: step for step, name in _FIXED_STEPS.items()}
_MONTHS_OF = {name: months for months, name in _MONTH_STEPS.items()}


def fixed_step(frequency):
    """One step of `frequency` as a `datetime.timedelta`, where it is fixed; else `None`."""
    return _STEP_OF.get(frequency)


def _step(earlier, later):
    """The frequency name of the step from `earlier` to `later`, else the step itself."""
    difference = later - earlier
    if difference in _FIXED_STEPS:
        return _FIXED_STEPS[difference]
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if (
        months in _MONTH_STEPS
        and later.time() == earlier.time()
        and _same_day_of_month(earlier, later)
    ):
        return _MONTH_STEPS[months]
    return difference


def infer_frequency(timestamps):
    """The frequency of increasing timestamps, from their most common step.

    Steps of 5, 10, 15 and 30 minutes, an hour, a day and a week are
    `"5_minutes"`, `"10_minutes"`, `"15_minutes"` (the Monash archive's
    names), `"half_hourly"`, `"hourly"`, `"daily"` and `"weekly"`; steps
    of one, three and twelve calendar months (same day of the month, a
    month end staying a month end: Jan 31, Feb 28, Mar 31) are
    `"monthly"`, `"quarterly"` and `"yearly"`. Daily timestamps that skip
    every weekend (trading days) are `"business_daily"`. A few gaps do not
    change the answer (a reader leaves the missing steps `nan`); a tie
    between the most common steps does.

    Args:
        timestamps: list of `datetime.datetime`, in increasing order.

    Returns:
        the frequency name, or `None` when the most common step is none of
        those, there is no single most common step, or there are fewer than
        2 timestamps.
    """
    step = _most_common(collections.Counter(
        _step(a, b) for a, b in itertools.pairwise(timestamps)
    ))
    if step == "daily" and _skips_weekends(timestamps):
        return "business_daily"
    return step if isinstance(step, str) else None


def _skips_weekends(timestamps):
    """Whether timestamps fall on weekdays only, some step leaping over a weekend."""
    weekdays = [stamp.weekday() for stamp in timestamps]
    return max(weekdays) < 5 and any(
        later <= earlier or (b - a).days >= 7
        for (a, earlier), (b, later) in itertools.pairwise(zip(timestamps, weekdays))
    )


def seasonal_periods(frequency):
    """The seasonal cycle lengths, in steps, of series at `frequency`.

    Args:
        frequency: `str` or `None`, a frequency name as `read_tsf` and
            `infer_frequency` give them (other spellings such as
            `"Monthly"` or `"half-hourly"` are understood).

    Returns:
        tuple of `int`, shortest cycle first (`(24, 168)` for hourly: a day
        and a week); `()` for yearly, unknown or `None`.
    """
    return SEASONAL_PERIODS.get(_normalise_frequency(frequency), ())


def default_horizon(frequency):
    """The M4 competition's forecast horizon for series at `frequency`.

    Yearly 6, quarterly 8, monthly 18, weekly 13, daily 14, hourly 48
    (Makridakis, Spiliotis & Assimakopoulos, "The M4 Competition: 100,000
    time series and 61 forecasting methods", International Journal of
    Forecasting 36(1), 2020); half-hourly 96, the hourly horizon's two days
    (M4 has no half-hourly series), and two days of steps of 15, 10 and 5
    minutes (192, 288, 576).

    Args:
        frequency: `str` or `None`, a frequency name (see `seasonal_periods`).

    Returns:
        `int`, or `None` for other frequencies.
    """
    return DEFAULT_HORIZONS.get(_normalise_frequency(frequency))
