"""Forecasting data: a collection of series and, per series, where the scored part begins."""

import dataclasses
import datetime
import itertools

import numpy as np

from rnn_keras.data import json_series
from rnn_keras.data import readers
from rnn_keras.data import series_readers
from rnn_keras.data.columns import TIME_COLUMNS
from rnn_keras.data.columns import VALUE_COLUMNS
from rnn_keras.data.readers import DataError
from rnn_keras.data.series_readers import SeriesCollection
from rnn_keras.tasks.common import logger

# The most of a series' values that may be missing (a gap in its timestamps,
# an empty cell, `?`): up to this share is filled by linear interpolation; a
# series missing more leaves a collection, and alone is refused.
MAX_MISSING_SHARE = 0.2
# The suffixes of GluonTS's JSON lines (`json_series.read_json_lines`), `.gz` or not.
JSON_SUFFIXES = (".json", ".jsonl")
# How many data rows tell a long file's columns by their cells (`_unnamed_long_layout`).
_LAYOUT_ROWS = 20


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


def read_series(path, column=None, encoding="utf-8", missing="interpolate", id_column=None,
                time_column=None, covariates=None, past_covariates=None,
                static_covariates=None):
    """The series of a forecasting file, as a `SeriesCollection`.

    `.tsf` files (Monash), GluonTS's JSON lines (`.json`, `.jsonl`:
    `json_series.read_json_lines`) and timestamped CSV files
    (`series_readers.read_timestamp_csv`; frequency inferred) keep their
    names, start times and frequency: a wide CSV, whose first column holds
    timestamps, or a long one, whose header names its series-id, timestamp
    and value columns in any order (`series_readers.long_layout`;
    `id_column`, `time_column` and `column` name them otherwise; a wide
    file's timestamps may be in `time_column`, and are in the second
    column after one numbering the rows, as pandas writes its index
    (unnamed) and Rdatasets R's row names (`rownames`), and in a column of
    bare years beside the date's other parts
    wherever it stands: `series_readers.year_beside_parts`), or one with
    its timestamps across the header, a series a row
    (`series_readers.header_times`). The M4 competition's CSV
    (`V1,...,Vn`, a series a row) is read by `series_readers.read_m4_csv`,
    without timestamps. A long file whose columns no name tells is read
    by its cells where they tell (`_unnamed_long_layout`: Our World in
    Data's `Entity,Code,Year,<indicator>`), with a warning naming them.
    R's times of a `ts` (`time,value`: `1949`, `1949.0833`, ..., as
    Rdatasets' CSVs and statsmodels' `get_rdataset` give them) are dates
    where the frequency is 1, 2, 4 or 12 (`series_readers.r_time_frequency`);
    of any other (7 days a week) or counted from 1, the values are read
    without timestamps, with a warning (`_untimed_r_values`). Any other
    CSV is read as one numeric `column` without timestamps (`_one_column`;
    a first column numbering the rows, as R's `write.csv` writes a `ts`,
    not counted), or, with no column named, where the rows are numbered
    and two or more columns of numbers follow (R's multivariate `ts`, as
    Rdatasets writes fpp2's `visnights`), each as a series without
    timestamps, with a warning (`_untimed_collection`). A `column` naming
    several columns, separated by commas, reads the table whole and keeps
    those series (`_named_columns`); of a `.tsf` or JSON lines file,
    `column` names its series to keep, one or several. A collection's
    series that steps once from one value to another (a column marking an
    event) is named in a warning (`_warn_indicators`). `covariates`, the
    names of a table's columns separated by commas, gives each series those
    columns' values at its steps: of a wide table, read whole, to every
    series forecast (`column`'s, else every other one: `_with_covariates`);
    of a long file, the rows of each series' id (`_with_long_covariates`);
    of GluonTS's JSON lines, those fields of each line (`feat_dynamic_real`:
    `json_series.read_json_lines`).
    `past_covariates` names columns read so too, as values observed with
    the series (up to its last value), not known ahead
    (`SeriesCollection.past_covariates`). `static_covariates` names
    categories that hold for a whole series (`_with_static`): a long
    file's columns of one value per series (`state,gender`), fields of
    GluonTS's JSON lines (`feat_static_cat`), attributes of a `.tsf` file.

    Missing values (`?` in a `.tsf`, an empty cell or a gap in the
    timestamps of a CSV) are filled as `missing` says, with a warning:
    `"interpolate"`, linearly, up to `MAX_MISSING_SHARE` of a series, a
    series missing more left out of a collection and refused alone
    (`_completed`); `"zero"`, with zeros (sales or counts listed only
    where there are some), however many.
    """
    suffix = readers.format_suffix(path)
    csv = suffix not in (".tsf", *JSON_SUFFIXES)
    # The header and first data rows, read once: two choose the reader, more the
    # columns of a long file told by its cells.
    table = _first_rows(path, encoding, _LAYOUT_ROWS + 1) if csv else []
    chosen = _named_columns(path, table, column, encoding)
    if not csv and column is not None:  # a .tsf or JSON file's series by their names
        chosen = [name.strip() for name in column.split(",")]
    tsf = suffix == ".tsf"
    covariate_names = _covariate_names(path, covariates, tsf)
    past_names = _covariate_names(path, past_covariates, tsf, "--past-covariates")
    known = _every_covariate(path, covariate_names, past_names)
    # A long file, each series' covariates its own: its columns named, or told by its cells.
    long_file = csv and bool(known) and (
        id_column is not None or _is_long(table[:2], column)
        or (time_column is None and _unnamed_long_layout(table, column) is not None)
    )
    targets = None
    if known and csv and not long_file:  # the table read whole, its series then told apart
        targets = chosen or ([column.strip()] if column is not None else None)
        chosen, column = None, None
    if chosen:  # several named: the file read whole, those series kept
        column = None
    # What a table is read for, told already: its series named, then its covariates.
    named = [*(chosen or targets or ()), *known]
    rows = table[:2]
    r_time = _r_time_column(table)
    if time_column is None and r_time is not None:
        if series_readers.r_calendar(_cells(table, r_time)):
            time_column = table[0][r_time].strip()
        elif column is None:
            column = _untimed_r_values(path, table, r_time)
    # Before the timestamps after the row numbers: a long file (fpp3's
    # `rownames,Quarter,Origin,Arrivals`) has them there too.
    layout = None
    if id_column is None and time_column is None:
        layout = _unnamed_long_layout(table, column)
    if layout is None and time_column is None and _row_number_then_time(rows):
        time_column = rows[0][1].strip()
    if time_column is None and len(rows) == 2 and not _first_column_is_time(rows):
        time_column = series_readers.year_beside_parts(*rows)
    if suffix in JSON_SUFFIXES:  # covariates fields of each line
        collection = json_series.read_json_lines(
            path, encoding, covariate_names or (), past_names or ()
        )
    elif not csv:
        collection = series_readers.read_tsf(path, encoding)
    elif rows and series_readers.is_m4_header(rows[0]) and column is None:
        collection = series_readers.read_m4_csv(path, encoding)
    elif r_time is not None and time_column is None:  # R's times without dates
        collection = _one_column(path, rows, column, encoding, named)
    # With a column named, a file of a column per year is read as that column
    # (a table of a row per day of the year).
    elif (_first_column_is_time(rows) or id_column or time_column or _is_long(rows, column)
          or (column is None and _times_across(rows))):
        collection = series_readers.read_timestamp_csv(
            path, encoding, value_column=column, id_column=id_column, time_column=time_column
        )
    elif layout:
        collection = _read_long_by_cells(path, encoding, *layout)
    else:
        two_columns = column is None and rows and len(rows[0]) == 2
        sections = series_readers.read_sections(path, encoding) if two_columns else None
        collection = sections or _one_column(path, rows, column, encoding, named)
    if chosen:
        collection = _chosen_series(path, collection, chosen)
    collection = _without_markers(path, collection)
    if missing == "zero":
        collection = _zero_filled(path, collection)
    else:
        # A covariate missing too many values is refused, not left out as a series is.
        collection = _completed(path, collection, () if long_file else known)
    if long_file:
        def read(name):  # a covariate's values, filled as the series' are
            if layout:  # the columns told by the cells, as the series'
                known, _ = _long_by_cells(path, encoding, *layout[:2], name)
            else:
                known = series_readers.read_timestamp_csv(
                    path, encoding, value_column=name, id_column=id_column,
                    time_column=time_column,
                )
            return _zero_filled(path, known) if missing == "zero" else _completed(path, known)

        header = [name.strip() for name in table[0]]
        collection = _with_long_covariates(path, collection, known, header, read, past_names)
    elif known and csv:
        collection = _with_covariates(path, collection, known, targets, past_names)
    if static_covariates is not None:
        ids = _id_candidates(path, encoding, table, id_column, layout, column) if csv else None
        collection = _with_static(path, encoding, collection, static_covariates, ids)
    _warn_indicators(path, collection)
    return collection


def _covariate_names(path, covariates, tsf, option="--covariates"):
    """The names `covariates` lists (`a,b`), or `None`; a `.tsf` file is refused."""
    if covariates is None:
        return None
    names = [name.strip() for name in covariates.split(",")]
    if tsf:
        raise DataError(
            path, None,
            f"{option} {covariates}: covariates are columns of a table (a CSV file, a column "
            "per series and covariate) or fields of GluonTS's JSON lines (feat_dynamic_real), "
            "not series of a .tsf file",
        )
    if not all(names) or len(set(names)) < len(names):
        raise DataError(
            path, None,
            f"{option} {covariates}: expected column names separated by commas, each once",
        )
    return names


def _every_covariate(path, known, past):
    """The covariates known ahead, then those observed with the series; a name in both refused."""
    known, past = known or [], past or []
    both = [name for name in known if name in past]
    if both:
        raise DataError(
            path, None,
            f"column {both[0]!r} is named both a covariate known ahead (--covariates) and one "
            "observed with the series (--past-covariates)",
        )
    return [*known, *past]


def _with_covariates(path, collection, names, targets, past=None):
    """`collection`'s series `targets` (default: all but `names`), with covariates `names`.

    The covariates are series of the same wide table, shared by every
    series forecast (`_attach_covariates`); those of `past` observed with
    the series, not known ahead.
    """
    past = past or ()
    _refuse_unknown(path, collection, [name for name in names if name not in past],
                    "--covariates")
    _refuse_unknown(path, collection, past, "--past-covariates")
    _refuse_unknown(path, collection, targets or (), "--column")
    if targets is None:
        targets = [name for name in collection.names if name not in names]
    both = [name for name in targets if name in names]
    if both or not targets:
        raise DataError(
            path, None,
            f"column {both[0]!r} is named both a series to forecast and a covariate" if both
            else f"every series of this file is a covariate ({', '.join(names)}): "
                 "none is left to forecast; name the series to forecast (--column NAME)",
        )
    index = {name: collection.names.index(name) for name in [*names, *targets]}
    shared = [(collection.starts[index[name]], collection.values[index[name]]) for name in names]
    chosen = _subset(collection, [index[name] for name in targets])
    return _attach_covariates(path, chosen, names, [shared] * len(targets), past)


def _with_long_covariates(path, collection, names, header, read, past=None):
    """`collection` with covariates `names`, columns of its long file beside the value column.

    Each series' covariates are the rows of its id (statsforecast's
    exogenous columns beside `unique_id,ds,y`), read as values are:
    `read(column)` is the collection of that column's values; those of
    `past` observed with the series, not known ahead.
    """
    past = past or ()
    _refuse_absent(path, header, {
        name: "--past-covariates" if name in past else "--covariates" for name in names
    })
    known = [read(name) for name in names]
    columns = []
    for series in collection.names:
        missing = [name for name, values in zip(names, known) if series not in values.names]
        if missing:
            raise DataError(
                path, None,
                f"series {series!r} has no values of covariate {missing[0]!r}: a covariate needs "
                "a value at every step of the series it goes with",
            )
        rows = [values.names.index(series) for values in known]
        columns.append([(values.starts[row], values.values[row])
                        for values, row in zip(known, rows)])
    return _attach_covariates(path, collection, names, columns, past)


def _id_candidates(path, encoding, table, id_column, layout, column):
    """The columns that may tell a CSV's series apart, each a list of header names, in order.

    `id_column` (one, or several by commas), SDMX-CSV's (`KEY`, or the
    dimensions that differ: `series_readers.sdmx_columns`), the columns of
    text its cells tell (`layout`: the first alone, then all together), the
    one named as an id (`series_readers.long_layout`), then each column
    alone (the name column of a file with its timestamps across the header).
    """
    header = [name.strip() for name in table[0]] if table else []
    candidates = []
    if id_column is None and column is None and series_readers.is_sdmx_header(header):
        rows = itertools.islice(readers.csv_rows(path, encoding, warn=False), 1, None)
        sdmx, _, _ = series_readers.sdmx_columns(header, list(rows))
        if sdmx is not None:
            candidates.append([name.strip() for name in sdmx.split(",")])
    if id_column is not None:
        candidates.append([id_column] if id_column in header
                          else [name.strip() for name in id_column.split(",")])
    if layout is not None:
        candidates += [[layout[0][0]], list(layout[0])]
    named = series_readers.long_layout(header, column) if header else None
    if named is not None:
        candidates.append([header[named[0]]])
    return candidates + [[name] for name in header]


def _with_static(path, encoding, collection, option, ids):
    """`collection` with the static covariates `option` names (`static_covariates`).

    Of a CSV (`ids`: `_id_candidates`), columns holding one value per
    series, read from the rows of each series' id (a value differing
    within a series is refused, naming its line; missing cells are
    passed over); of GluonTS's JSON lines or a `.tsf` file, the fields or
    attributes of each series (`attributes`), a field of a list
    (`feat_static_cat: [3, 0]`) one covariate an entry
    (`feat_static_cat[0]`, ...). Values are categories, read as text
    (`_category`: `3` and `3.0` alike).
    """
    names = _covariate_names(path, option, False, "--static-covariates")
    if ids is None:
        return _static_attributes(path, collection, names, option)
    return _static_columns(path, encoding, collection, names, ids)


def _static_attributes(path, collection, names, option):
    """`_with_static` of JSON lines' fields or a `.tsf` file's attributes."""
    labels, rows = None, []
    for series, attributes in zip(collection.names, collection.attributes):
        found, values = [], []
        for name in names:
            if name not in attributes:
                raise DataError(
                    path, None,
                    f"series {series!r} has no field {name!r} (--static-covariates {option}); its "
                    f"fields are {', '.join(repr(key) for key in attributes) or 'none'}",
                )
            value = attributes[name]
            entries = value if isinstance(value, list) else [value]
            if isinstance(value, list):
                found += [f"{name}[{index}]" for index in range(len(value))]
            else:
                found.append(name)
            for entry in entries:
                if isinstance(entry, (list, dict)):
                    raise DataError(
                        path, None,
                        f"series {series!r}: field {name!r} (--static-covariates) holds "
                        f"{entry!r}; expected a category (a number or text) or a list of them",
                    )
                values.append(_category(path, None, entry, name, series))
        if labels is not None and found != labels:
            raise DataError(
                path, None,
                f"series {series!r} has static covariates {', '.join(found)}; the first "
                f"series' are {', '.join(labels)}: each series needs the same",
            )
        labels = found
        rows.append(tuple(values))
    return dataclasses.replace(
        collection, static_covariates=rows, static_covariate_names=tuple(labels)
    )


def _category(path, line, value, name, series):
    """A category's text: `3` for 3, 3.0 and `"3.0"`, as files write ids; other text stripped.

    A number with a fraction (`3.7`) is refused, naming static covariate
    `name` and `series`: categories are no measurements (GluonTS's
    `feat_static_real` is not read).
    """
    text = str(value).strip()
    if readers.is_number(text):
        number = float(text)
        if not number.is_integer():
            raise DataError(
                path, line,
                f"static covariate {name!r} (--static-covariates) holds {text} for series "
                f"{series!r}: static covariates are categories (a state, a store, a group's "
                "id); a real-valued static feature (feat_static_real) is not read",
            )
        if abs(number) < 2**53:
            return str(int(number))
    return text


def _static_columns(path, encoding, collection, names, ids):
    """`_with_static` of a CSV's columns: each series' one value of each.

    Each row goes to the series its id columns name: the first of `ids`
    whose values (joined by `/`) name every series of `collection`. The
    file is read twice, row by row: once to choose them, once for the values.
    """
    header_line, header = next(readers.csv_rows(path, encoding, warn=False))
    header = [name.strip() for name in header]
    _refuse_absent(path, header, {name: "--static-covariates" for name in names})
    wanted = set(collection.names)

    def rows(columns):  # (line, the series each of `columns` names, fields) of full rows
        data = itertools.islice(readers.csv_rows(path, encoding, warn=False), 1, None)
        for number, fields in data:
            if len(fields) == len(header):
                keys = ["/".join(fields[i].strip() for i in indices) for indices in columns]
                yield number, keys, fields

    candidates = [[header.index(name) for name in candidate] for candidate in ids
                  if all(name in header for name in candidate)]
    found = [set() for _ in candidates]
    for _, keys, _ in rows(candidates):
        for key, seen in zip(keys, found):
            if key in wanted:
                seen.add(key)
    columns = next((indices for indices, seen in zip(candidates, found) if seen == wanted), None)
    if columns is None:
        raise DataError(
            path, header_line,
            f"--static-covariates {','.join(names)}: static covariates are columns of one value "
            "per series, the series told apart by a column of ids (a long file's, a row per "
            "series and time); none of this file's columns names its series (--id-column NAME)",
        )
    chosen = [header.index(name) for name in names]
    values = {}
    for number, (key,), fields in rows([columns]):
        if key not in wanted:
            continue
        known = values.setdefault(key, [(None, None)] * len(names))
        for index, (name, column) in enumerate(zip(names, chosen)):
            cell = fields[column].strip()
            if cell.lower() in readers.CSV_MISSING:
                continue
            value = _category(path, number, cell, name, key)
            before, line = known[index]
            if before is None:
                known[index] = (value, number)
            elif before != value:
                raise DataError(
                    path, number,
                    f"column {name!r} (--static-covariates) holds {value!r} for series {key!r}, "
                    f"{before!r} on line {line}: a static covariate holds one value per series",
                )
    return dataclasses.replace(
        collection,
        # A series whose cells are all missing: "" (a value of its own).
        static_covariates=[tuple("" if value is None else value for value, _ in values[name])
                           for name in collection.names],
        static_covariate_names=tuple(names),
    )


def _refuse_absent(path, header, options):
    """Refuses the first name of `options` (`{name: the option naming it}`) the header lacks."""
    for name, option in options.items():
        if name not in header:
            raise DataError(
                path, 1,
                f"no column {name!r} ({option}) in the header; it holds "
                f"{', '.join(repr(column) for column in header)}",
            )


def _attach_covariates(path, collection, names, columns, past=()):
    """`collection` with covariates `names` (`SeriesCollection.covariates`).

    `columns[i]`: each covariate's `(start, values)` for series `i`. A
    covariate is known at every step of its series: it starts where the
    series does, and runs as long as it or longer (the steps after its end,
    known ahead, forecast it); the series' covariates are cut to the
    shortest. Those named in `past`, observed with the series, are its
    `past_covariates`, cut to the series: the steps after its end are not
    theirs.
    """
    ahead = [index for index, name in enumerate(names) if name not in past]
    observed = [index for index, name in enumerate(names) if name in past]
    covariates, past_covariates = [], []
    for series, start, values, known in zip(
        collection.names, collection.starts, collection.values, columns
    ):
        for name, (other, _) in zip(names, known):
            if other != start:
                raise DataError(
                    path, None,
                    f"covariate {name!r} starts at {other}, series {series!r} at {start}: a "
                    "covariate needs a value at every step of the series it goes with",
                )
        lengths = [len(covariate) for _, covariate in known]
        if min(lengths) < len(values):
            short = names[int(np.argmin(lengths))]
            raise DataError(
                path, None,
                f"covariate {short!r} has {min(lengths)} values, series {series!r} "
                f"{len(values)}: a covariate needs a value at every step of the series it goes "
                "with",
            )
        shortest = min([lengths[index] for index in ahead], default=len(values))
        covariates.append(np.stack([known[index][1][:shortest] for index in ahead], axis=1)
                          if ahead else None)
        past_covariates.append(np.stack([known[index][1][: len(values)] for index in observed],
                                        axis=1) if observed else None)
    return dataclasses.replace(
        collection,
        covariates=covariates if ahead else None,
        covariate_names=tuple(names[index] for index in ahead),
        past_covariates=past_covariates if observed else None,
        past_covariate_names=tuple(names[index] for index in observed),
    )


def _named_columns(path, table, column, encoding):
    """The columns `column` names, where it names several (`a,b`), else `None`.

    As Darts' `value_cols`: the series of a table to forecast, the others
    left out (an indicator of an event, a covariate). `table` is
    `_first_rows` (empty for a file without a header). A header name
    holding a comma is one column; a name the header lacks is an error
    naming the file's header line.
    """
    if column is None or "," not in column or not table:
        return None
    header = [name.strip() for name in table[0]]
    if column.strip() in header:
        return None
    names = [name.strip() for name in column.split(",")]
    unknown = [name for name in names if name not in header]
    if unknown or len(set(names)) < len(names):
        problem = (f"no column {unknown[0]!r} in the header" if unknown
                   else "a column named twice")
        header_line = next(readers.csv_rows(path, encoding, warn=False))[0]
        raise DataError(
            path, header_line,
            f"{problem} (--column {column}: the series to forecast, separated by commas); the "
            f"header holds {', '.join(repr(name) for name in header)}",
        )
    return names


def _chosen_series(path, collection, names):
    """The series of `collection` named `names`, in that order.

    Refused where a name is a column the file holds but not one of its
    series (its timestamps; a long file's series-id or value column).
    """
    _refuse_unknown(path, collection, names, "--column")
    return _subset(collection, [collection.names.index(name) for name in names])


def _refuse_unknown(path, collection, names, option):
    """Refuses the first of `names` (given by `option`) that is not a series of `collection`."""
    for name in names:
        if name not in collection.names:
            raise DataError(
                path, None,
                f"column {name!r} ({option}) is not a series of this file; its series are "
                f"{_listed([repr(n) for n in collection.names])}",
            )


def _subset(collection, indices):
    """The series `indices` of `collection`: names, starts, attributes, covariates, static ones."""
    covariates, past = collection.covariates, collection.past_covariates
    static = collection.static_covariates
    return dataclasses.replace(
        collection,
        names=[collection.names[i] for i in indices],
        starts=[collection.starts[i] for i in indices],
        values=[collection.values[i] for i in indices],
        attributes=[collection.attributes[i] for i in indices],
        covariates=None if covariates is None else [covariates[i] for i in indices],
        past_covariates=None if past is None else [past[i] for i in indices],
        static_covariates=None if static is None else [static[i] for i in indices],
    )


def _warn_indicators(path, collection):
    """A warning naming the series of a collection that step once, from one value to another.

    A column marking an event (Seatbelts' `law`: 0 until the 1983 law, 1
    after) reads as a series: it is forecast, and scored with the others,
    its MASE scaled by its one change in the whole history, so that any
    error weighs many times another series'. A series of two values that
    changes more often (a product sold now and then) is not one, nor one
    whose first or last value stands alone (a short series that moved once).
    """
    if len(collection) < 2:
        return
    steps = [name for name, values in zip(collection.names, collection.values)
             if _steps_once(values)]
    if steps:
        logger.warning(
            "forecast: %s: %d of %d series hold one value and then another, as a column "
            "marking an event does: %s; each is forecast and scored as a series, its MASE "
            "scaled by its one change; name the series to forecast (--column A,B,...) to "
            "leave it out",
            path, len(steps), len(collection), _listed([repr(name) for name in steps]),
        )


def _steps_once(values):
    """Whether `values` hold one value for two steps or more, then another for as many."""
    changes = np.flatnonzero(np.diff(values))
    return len(changes) == 1 and 2 <= changes[0] + 1 <= len(values) - 2


def _one_column(path, rows, column, encoding, named=()):
    """The one series of a CSV without timestamps: its `column`, or its only column.

    With none named, a table of numbered rows and columns of numbers is
    read whole, a series a column (`_untimed_collection`); where the series
    to forecast are `named` (`--column A,B`, or one beside `--covariates`:
    the series, then the covariates), those columns of any table, as a
    single `column` is. A series ends at its last value
    (`_to_last_value`). `rows` are `_first_rows`. Refused: a file with
    timestamps in another column than the first
    (`_refuse_timestamps_elsewhere`), one whose rows hold several series one
    after another (`_refuse_stacked_series`), and one of several columns
    with none named and no such table.
    """
    _refuse_timestamps_elsewhere(path, rows)
    if column is None:
        column = _only_column(rows)
        columns = _untimed_columns(rows) if column is None else None
        if columns or (column is None and named):
            return _untimed_collection(path, columns, encoding, named)
        if column is None:
            raise _no_timestamps(path)
    table = list(readers.csv_rows(path, encoding))  # read once, for both
    if rows and len(rows[0]) > 1:
        _refuse_stacked_series(path, [column], table)
    values = np.asarray(readers.csv_column(path, table, column, missing=True), "float64")
    return SeriesCollection([str(column)], [None], [_to_last_value(values)])


def _to_last_value(values):
    """`values` up to their last one that is not missing (a table's empty rows after a series).

    As a timestamped table's series ends at its last value: the rows after
    it are not part of it (those of covariates known ahead, `--covariates`),
    and filled they would be values never observed. Those before its first
    stay, to be filled: without timestamps, they keep its rows in line with
    the table's other columns.
    """
    observed = np.flatnonzero(~np.isnan(values))
    return values[: observed[-1] + 1] if len(observed) else values


def _no_timestamps(path):
    """The error of a file of several columns, none of timestamps, none named to read."""
    return DataError(
        path, 1,
        "the first column holds no timestamps (YYYY, YYYY-MM, YYYY-MM-DD, ...): name the column "
        "to forecast (--column NAME), or a long file's value column beside its series-id and "
        "timestamp columns (series, id, unique_id, item_id, ...; timestamp, ds, date, ...)",
    )


# Names of a column that holds times or one series' values, not a series of a table:
# such a file stays one to name the column of (treering's `rownames,time,value`).
_NO_TABLE_COLUMNS = (*TIME_COLUMNS, *VALUE_COLUMNS, "t", "day", "hour", "week", "quarter")


def _untimed_columns(rows):
    """The indices of a table of parallel series without timestamps (`rows`: `_first_rows`).

    The rows numbered in the first column, as R's `write.csv` and
    Rdatasets write a multivariate `ts` (fpp2's `visnights`: `rownames`
    then a column per region) and pandas' `to_csv` a frame, then two or more
    named columns of numbers (or missing values), none named as a time or as
    one series' values (`_NO_TABLE_COLUMNS`); else `None`.
    """
    if len(rows) < 2 or not _first_column_numbers_rows(rows):
        return None
    header, fields = rows
    columns = list(range(1, len(header)))
    if len(columns) < 2 or len(fields) != len(header):
        return None
    for index in columns:
        cell = fields[index].strip()
        name = header[index].strip()
        if not name or readers.is_number(name) or name.lower() in _NO_TABLE_COLUMNS:
            return None
        if cell.lower() not in readers.CSV_MISSING and not readers.is_number(cell):
            return None
    return columns


def _untimed_collection(path, columns, encoding, named=()):
    """The `columns` of a table without timestamps (`_untimed_columns`), each as a series.

    With a warning naming them (and, where none are `named` by `--column`
    or `--covariates`, how to choose); the season is then found in the
    values. `columns` `None`: those `named` (the table no such table, as
    R's `airquality`, its `Month` and `Day` beside the measurements).
    Refused where a column's rows hold several series in turn
    (`_refuse_stacked_series`, numbers counting as series ids: a panel's
    `store,step,sales`, store 1's steps then store 2's), and, with none
    named, as a file of columns to name (`_no_timestamps`) where one counts
    up through every row in whole numbers, as a time would (R's `BOD`:
    `Time,demand`; named, a covariate may: a trend).
    """
    table = list(readers.csv_rows(path, encoding))
    header = [name.strip() for name in table[0][1]]
    told = columns is None
    if told:
        _refuse_absent(path, header, dict.fromkeys(
            named, "--column, --covariates or --past-covariates"
        ))
        columns = [header.index(name) for name in named]
    names = [header[index] for index in columns]
    _refuse_stacked_series(path, names, table, numeric_ids=True)
    values = [_to_last_value(np.asarray(readers.csv_column(path, table, index, missing=True),
                                        "float64"))
              for index in columns]
    # Named, a column may count up (a trend among the covariates); the others not.
    if any(_counts_up(series) for name, series in zip(names, values) if name not in named):
        raise _no_timestamps(path)
    if told:
        logger.warning("%s: no timestamps; the columns named read as series without timestamps "
                       "(%s)", path, _listed([repr(name) for name in names]))
    else:
        logger.warning(
            "%s: no timestamps; the rows numbered in the first column, then %d columns of "
            "numbers: read as %d series without timestamps (%s)%s",
            path, len(names), len(names), _listed([repr(name) for name in names]),
            "" if named else "; name one to forecast it alone (--column NAME), or several "
            "(--column A,B,...)",
        )
    return SeriesCollection(names, [None] * len(names), values)


def _counts_up(values):
    """Whether `values` are whole numbers rising at every step, as a time's are."""
    return bool(np.all(np.isfinite(values)) and np.all(values == np.round(values))
                and np.all(np.diff(values) > 0))


def _zero_filled(path, collection):
    """`collection` with its missing values read as zeros, and a warning saying how many."""
    notes = [
        _missing_note(collection, index, ~np.isfinite(values))
        for index, values in enumerate(collection.values)
        if not np.isfinite(values).all()
    ]
    if notes:
        logger.warning(
            "forecast: %s: missing values read as 0 (--missing zero) in %d series: %s",
            path, len(notes), _listed(notes),
        )
    values = [np.where(np.isfinite(v), v, 0.0) for v in collection.values]
    return dataclasses.replace(collection, values=values)


# The whole parts a missing-value marker may have: 99, 999, ..., up to 15 nines.
_NINES = [10.0**digits - 1 for digits in range(2, 16)]


def is_nines(value):
    """Whether `value` is written in nines, as files mark a missing value (`-99`, `-999.9`, `9999`).

    Two or more nines before the point and none but nines after it.
    """
    whole, _, fraction = f"{abs(value):.6f}".rstrip("0").rstrip(".").partition(".")
    return len(whole) >= 2 and set(whole) == {"9"} and set(fraction) <= {"9"}


def _markers(values):
    """Where `values` hold a missing-value marker: nines far outside the other values.

    A value written in nines (`is_nines`: `-99`, `-9999`, `-99.9`,
    `9999`, as NOAA's and many weather stations' files mark a missing
    one) lying further below the least or above the greatest of the other
    values than they span. A series of fewer than 2 other values has none.
    """
    finite = np.isfinite(values)
    # Only a whole part of nines (99, 999, ...) may be one: the rest is not looked at.
    with np.errstate(invalid="ignore"):
        whole = np.isin(np.floor(np.abs(values)), _NINES)
    nines = np.zeros(len(values), bool)
    for index in np.flatnonzero(whole):
        nines[index] = is_nines(values[index])
    others = values[finite & ~nines]
    if not nines.any() or len(others) < 2:
        return np.zeros(len(values), bool)
    low, high = others.min(), others.max()
    span = high - low
    return nines & ((values < low - span) | (values > high + span))


def _without_markers(path, collection):
    """`collection` with its missing-value markers (`_markers`) read as missing, with a warning.

    A marker read as a value (NOAA's `-99` among temperatures of 50 or
    so) would be learned and scored as one.
    """
    values, marked, shown = [], [], set()
    for name, series in zip(collection.names, collection.values):
        series = np.asarray(series, "float64")
        markers = _markers(series)
        if markers.any():
            marked.append(name)
            shown.update(f"{value:g}" for value in series[markers])
            series = np.where(markers, np.nan, series)
        values.append(series)
    if not marked:
        return collection
    logger.warning(
        "forecast: %s: %s read as missing, as files mark a missing value (far outside the "
        "other values) in %d series: %s",
        path, " and ".join(sorted(shown)), len(marked), _listed([repr(name) for name in marked]),
    )
    return dataclasses.replace(collection, values=values)


def _completed(path, collection, covariates=()):
    """`collection` with its missing values filled, the series missing too many left out.

    Up to `MAX_MISSING_SHARE` of a series is filled by linear
    interpolation (the ends: the nearest value), with one warning for the
    file. A series missing more is dropped with a warning naming it (a
    Monash collection of stations, some of which were down for years), or
    refused where it is the file's only series, or every series is such,
    or one of the `covariates` named.
    """
    share = f"{MAX_MISSING_SHARE:.0%}"
    kept, filled, dropped = [], [], []
    for index, values in enumerate(collection.values):
        missing = ~np.isfinite(values)
        if not missing.any():
            kept.append((index, values))
            continue
        note = _missing_note(collection, index, missing)
        if missing.sum() > MAX_MISSING_SHARE * len(values):
            if collection.names[index] in covariates:
                raise DataError(
                    path, None,
                    f"covariate {note}: more than the {share} of a series filled by "
                    "interpolation; fill the missing values, or read them as zeros (--missing "
                    "zero)",
                )
            dropped.append(note)
            continue
        known = np.flatnonzero(~missing)
        values = values.copy()
        values[missing] = np.interp(np.flatnonzero(missing), known, values[known])
        kept.append((index, values))
        filled.append(note)
    if not kept:
        raise DataError(
            path, None,
            f"series {dropped[0]}: more than the {share} of a series filled by interpolation; "
            "fill the missing values before forecasting, or read them as zeros (--missing zero)",
        )
    if filled:
        logger.warning(
            "forecast: %s: missing values filled by linear interpolation in %d series: %s",
            path, len(filled), _listed(filled),
        )
    if dropped:
        logger.warning(
            "forecast: %s: %d of %d series left out, missing more than the %s filled by "
            "interpolation (--missing zero reads them as zeros): %s",
            path, len(dropped), len(collection), share, _listed(dropped),
        )
    completed = dict(kept)
    values = [completed.get(index, series) for index, series in enumerate(collection.values)]
    return _subset(dataclasses.replace(collection, values=values), list(completed))


def _missing_note(collection, index, missing):
    """What series `index` misses, in words: `'a' misses 7 of its 13 values (...)`."""
    edges = np.diff(np.concatenate([[0], missing.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    longest = int(np.argmax(ends - starts))
    first, run = int(starts[longest]), int(ends[longest] - starts[longest])
    where = _step_name(collection, index, first)
    gap = f"{run} in a row from {where}" if run > 1 else f"the first at {where}"
    return (f"{collection.names[index]!r} misses {int(missing.sum())} of its "
            f"{len(missing)} values ({gap})")


def _step_name(collection, index, step):
    """Step `step` of series `index`: its time where the start and frequency give it."""
    start = collection.starts[index]
    moment = None if start is None else series_readers.advanced(start, step, collection.frequency)
    if moment is None:
        return f"step {step}"
    return str(moment.date() if moment.time() == datetime.time() else moment)


def _listed(notes):
    """The first three `notes`, and `...` where there are more."""
    return "; ".join(notes[:3]) + ("; ..." if len(notes) > 3 else "")


def _first_rows(path, encoding, count=2):
    """The fields of the file's first `count` lines not blank: its header and first data rows."""
    rows = readers.csv_rows(path, encoding, warn=False)  # the reader after it warns
    return [fields for _, fields in itertools.islice(rows, count)]


def _row_number_then_time(rows):
    """Whether a first column numbers the rows and the second holds timestamps.

    `rows` are `_first_rows`: as pandas' `to_csv` writes a frame with its
    default index (sktime's `Uschange.csv`: `,Quarter,...` then
    `0,1970 Q1,...`), and Rdatasets an R data frame with its row names
    (fpp3's `rownames,Quarter,Origin,Arrivals`, then `1,1981 Q1,...`). The
    timestamps are then the second column's.
    """
    if not _starts_with_row_numbers(rows):
        return False
    return series_readers.is_timestamp(rows[1][1])


def _starts_with_row_numbers(rows):
    """Whether `rows`' first column (`_first_rows`) numbers the rows, beside two more."""
    return len(rows) >= 2 and len(rows[0]) >= 3 and _first_column_numbers_rows(rows)


def _first_column_numbers_rows(rows):
    """Whether `rows`' first column (`_first_rows`) numbers the rows from 0 or 1.

    Named as row numbers (`series_readers.is_row_number_name`: unnamed, `rownames`, `No`).
    """
    return (len(rows) >= 2 and series_readers.is_row_number_name(rows[0][0])
            and rows[1][0].strip() in ("0", "1"))


def _cells(table, index):
    """Column `index`'s cells in the data rows of `table` (`_first_rows`)."""
    return [fields[index].strip() for fields in table[1:] if index < len(fields)]


def _r_time_column(table):
    """The column of R's `ts` times (`series_readers.r_time_frequency`), or `None`.

    Named `time` as R names it, first or after the row numbers: R's
    `data.frame(time = time(x), value = x)`, and Rdatasets' CSVs of a `ts`
    (`rownames,time,value`: AirPassengers, Nile, ...), which statsmodels'
    `get_rdataset` reads. `table` is `_first_rows`. (A `month` column
    counting 1, 2, ... beside others is no `ts`'s time: which column to
    read stays the user's.)
    """
    index = 1 if _starts_with_row_numbers(table) else 0
    if len(table) < 3 or len(table[0]) <= index:
        return None
    if table[0][index].strip().lower() != "time":
        return None
    return index if series_readers.r_time_frequency(_cells(table, index)) else None


def _untimed_r_values(path, table, time):
    """The one column of values beside R's `ts` times without dates, with a warning; or `None`.

    A `ts` of a frequency that is no step of the calendar (7 days a week,
    48 half-hours a day) or counted from 1 has no dates: its values are
    read without timestamps, and the season is found in them.
    """
    header = [name.strip() for name in table[0]]
    others = [name for index, name in enumerate(header)
              if index != time and not (index == 0 and time == 1)]
    if len(others) != 1:
        return None
    texts = _cells(table, time)
    logger.warning(
        "%s: column %r holds R's times of a ts of frequency %g from %s, which give no dates: "
        "column %r read without timestamps", path, header[time],
        series_readers.r_time_frequency(texts), texts[0], others[0],
    )
    return others[0]


def _first_column_is_time(rows):
    """Whether the first field of the first data row is a timestamp, beside other columns.

    `rows` are `_first_rows`. A single column is values, whatever they look
    like (1687 reads as a year).
    """
    fields = rows[-1] if len(rows) == 2 else []
    return len(fields) >= 2 and series_readers.starts_timestamps(fields[0])


def _times_across(rows):
    """Whether the header (`rows` are `_first_rows`) holds the timestamps: a series a row."""
    header = [name.strip() for name in rows[0]] if rows else []
    return series_readers.header_times(header) is not None


def _is_long(rows, column):
    """Whether the header (`rows` are `_first_rows`) is a long CSV's (`long_layout`, SDMX-CSV)."""
    header = [name.strip() for name in rows[0]] if rows else []
    sdmx = column is None and series_readers.is_sdmx_header(header)
    return sdmx or series_readers.long_layout(header, column) is not None


def _read_long_by_cells(path, encoding, ids, time, value):
    """The series of a long file whose columns `_unnamed_long_layout` told, with a warning.

    Told apart by the first column of `ids`, or, where its series repeat
    a time (prison counts by `state,gender,legal`: `ACT` holds four
    series), by all of them together, each named by their values joined by
    `/` (`ACT/Female/Remanded`).
    """
    collection, where = _long_by_cells(path, encoding, ids, time, value)
    logger.warning(
        "%s: read as a long file (a row per series and time) by its cells: series ids in %s, "
        "timestamps in %r, values in %r; name them (--id-column, --time-column, --column) to "
        "read it otherwise", path, where, time, value,
    )
    return collection


def _long_by_cells(path, encoding, ids, time, value):
    """`(collection, where its ids are, in words)` of `_read_long_by_cells`, without a warning."""
    try:
        collection = series_readers.read_timestamp_csv(
            path, encoding, value_column=value, id_column=ids[0], time_column=time
        )
        return collection, f"column {ids[0]!r}"
    except DataError as error:
        if len(ids) == 1 or any("," in name for name in ids):
            raise
        try:
            collection = series_readers.read_timestamp_csv(
                path, encoding, value_column=value, id_column=",".join(ids), time_column=time
            )
        except DataError:
            raise error from None
        return collection, (f"columns {', '.join(map(repr, ids))} together ({ids[0]!r} alone "
                            "repeats times)")


def _unnamed_long_layout(table, column):
    """`(ids, time, value)` column names of a long file known by its cells, or `None`.

    A long file whose columns `series_readers.long_layout` does not know by
    name: Our World in Data's (`Entity,Code,Year,<indicator>`),
    `country,year,gdp`, `station,date,temperature`. Of its first
    `_LAYOUT_ROWS` rows (`table`, the header first, as `_first_rows` reads
    them; three columns or more, the first no timestamp), the timestamps
    are the one column named as a time (`TIME_COLUMNS`) or, none named, the
    one whose cells are all dates (not bare numbers); the values are
    `column`, or the one other column whose cells are all numbers or
    missing; the series ids the columns of text (a tuple), of which the
    first alone tells the series apart where it can (`_read_long_by_cells`;
    others, such as a country's code beside its name, are then ignored),
    its values coming in blocks (a series after another) or sharing times
    (the series side by side). `None` where any of them is not one column
    (`symbol,date,open,close` names its value column, `--column`), or the
    text recurs without sharing times (a weekday's name beside each date).
    """
    if len(table) < 2 or len(table[0]) < 3 or _first_column_is_time(table[:2]):
        return None
    header = [name.strip() for name in table[0]]
    cells = [[fields[index].strip() for fields in table[1:] if index < len(fields)]
             for index in range(len(header))]
    # Named as a time, its cells timestamps: a `Month` of 5, 6, ... beside a `Day` is none.
    named = [i for i, name in enumerate(header) if name.lower() in TIME_COLUMNS
             and all(series_readers.is_timestamp(cell) for cell in cells[i] if cell)]
    dated = [i for i, column_cells in enumerate(cells) if column_cells and all(
        series_readers.is_timestamp(cell) and not cell.isdigit() for cell in column_cells)]
    times = named or dated
    if len(times) != 1:
        return None
    time = times[0]

    def numeric(index):
        present = [cell for cell in cells[index] if cell.lower() not in readers.CSV_MISSING]
        return bool(present) and all(readers.is_number(cell) for cell in present)

    # A first column numbering the rows is none of the three (Rdatasets' `rownames`).
    rest = range(1 if _starts_with_row_numbers(table) else 0, len(header))
    texts = [i for i in rest if i != time and not numeric(i)
             and any(cells[i]) and not any(readers.is_number(cell) for cell in cells[i])]
    if column is None:
        values = [i for i in rest if i != time and numeric(i)]
        if len(values) != 1:
            return None
        column = header[values[0]]
    if not texts or column not in header or header.index(column) in (time, texts[0]):
        return None
    ids, stamps = cells[texts[0]], cells[time]
    runs = 1 + sum(before != after for before, after in zip(ids, ids[1:]))
    if runs > len(set(ids)) and len(set(stamps)) == len(stamps):
        return None  # labels that recur without sharing times (`Mon,2020-01-06,5`): no ids
    return tuple(header[i] for i in texts), header[time], column


def _refuse_timestamps_elsewhere(path, rows):
    """Refuses a file read as one column of values whose other columns hold timestamps.

    Such a file is a long one whose columns the reader does not know by
    name (`symbol,date,price`; `country,year,gdp`): reading its values as
    one series would join every series' values end to end. A year alone
    (`1987`) reads as a number too: it counts in a column named as
    timestamps (`year`, `date`, ...) other than the first.
    """
    if len(rows) < 2:
        return
    header, fields = rows
    for index, (name, field) in enumerate(zip(header, fields)):
        named = index > 0 and name.strip().lower() in series_readers.TIME_COLUMNS
        if series_readers.is_timestamp(field) and (named or not field.strip().isdigit()):
            raise DataError(
                path, 2,
                f"column {name.strip()!r} holds timestamps ({field.strip()!r}), but not the "
                "first: name it (--time-column NAME) and, in a long file (a row per series and "
                "time), the series-id column (--id-column NAME) and value column (--column NAME)",
            )


def _refuse_stacked_series(path, columns, table, numeric_ids=False):
    """Refuses a file read as columns of values whose rows hold several series in turn.

    `columns`: the names of the columns read, each a series; `table` is the
    file's `readers.csv_rows`, its header first.

    Such a file is a long one without a timestamp column the reader knows
    (`country,period,gdp`: every country's rows, then the next's); read as
    one series, a column read would join its series end to end. A series-id
    column runs in blocks, each of its values on one run of at least two
    rows (`_blocks`), and is named as one (`id`, `series`, ...) or holds
    words, not numbers. The file is refused where another column runs as
    a series' time in each block, starting again at the next
    (`_restarts`), where there is no other column, or where no column
    runs as a time but the blocks look like a panel's (`_is_panel`). A
    column of words in blocks beside steps that run on
    (`regime,step,value`: one series in two regimes) is not a series id.
    `numeric_ids`: a column of numbers in blocks may be one too (a table
    read as parallel series: `_untimed_collection`). Each column's blocks
    are found once, however many columns are read.
    """
    (_, header), *rows = table
    header = [name.strip() for name in header]

    def cells(index):
        return [(number, row[index].strip() if index < len(row) else "") for number, row in rows]

    found = {}  # each column's blocks, by index

    def blocks_of(index):
        if index not in found:
            found[index] = _blocks(cells(index))
        return found[index]

    for column in columns:
        for index, name in enumerate(header):
            if name == column or name.lower() in series_readers.TIME_COLUMNS:
                continue
            blocks = blocks_of(index)
            if blocks is None:
                continue
            labels = [label for label, _, _ in blocks]
            if (not numeric_ids and name.lower() not in series_readers.ID_COLUMNS
                    and all(map(readers.is_number, labels))):
                continue
            others = [i for i, other in enumerate(header) if other not in (name, column)]
            time = next((header[i] for i in others if _restarts(cells(i), blocks)), None)
            if others and time is None and not _is_panel(name, blocks):
                continue
            shown = ", ".join(
                f"{label!r} lines {first}-{last}" for label, first, last in blocks[:3]
            ) + (", ..." if len(blocks) > 3 else "")
            remedy = (
                f"name the series-id column (--id-column {name}) and the timestamp column "
                f"(--time-column {time})" if time else
                f"name the series-id column (--id-column {name}) to read each block as a "
                f"series without timestamps; for one series, leave column {name!r} out of the "
                "file"
            )
            raise DataError(
                path, blocks[1][1],
                f"column {name!r} holds {len(blocks)} series one after another ({shown}): read "
                f"as one series, {column!r} would join them end to end; {remedy}",
            )


def _is_panel(name, blocks):
    """Whether a column of `blocks` (`_blocks`) names series without a time beside it.

    It does where named as a series id (`id`, `series`, ...), or where it
    runs in three or more blocks of one length: a panel of countries or
    firms, each with a row per year (`country,gdp,pop`), whose years are
    not in the file. Phases of one series (`regime`) rarely last alike.
    """
    lengths = {last - first for _, first, last in blocks}
    return name.lower() in series_readers.ID_COLUMNS or (len(blocks) >= 3 and len(lengths) == 1)


def _blocks(cells):
    """`[(value, first line, last line)]` where each value holds one run of 2+ rows, else `None`.

    `cells` are `(line number, value)` of a column. `None` too for a
    single block, and where any value is empty.
    """
    blocks = []
    for number, value in cells:
        if blocks and blocks[-1][0] == value:
            blocks[-1][2] = number
        else:
            blocks.append([value, number, number])
    labels = [label for label, _, _ in blocks]
    if (len(blocks) < 2 or "" in labels or len(set(labels)) < len(labels)
            or any(last == first for _, first, last in blocks)):
        return None
    return [tuple(block) for block in blocks]


def _restarts(cells, blocks):
    """Whether the column `cells` runs as a series' time in each of `blocks`.

    Its values (read as numbers, else as timestamps; a column of neither
    is no time) increase within each block and go back at the start of
    each block after the first.
    """
    numeric = all(readers.is_number(value) for _, value in cells)
    key = float if numeric else series_readers.parse_timestamp
    times = [key(value) for _, value in cells]
    if None in times:
        return False
    starts = {first for _, first, _ in blocks[1:]}
    lines = [number for number, _ in cells]
    return all(
        (number in starts) == (after <= before)
        for before, after, number in zip(times, times[1:], lines[1:])
    )


def _only_column(rows):
    """The header's one column name (`rows` are `_first_rows`), or `None` where it has several.

    A first column numbering the rows from 0 or 1, unnamed or named so, is
    not counted: R's `write.csv` of a `ts` (`"","x"` then `"1",112`) and
    pandas' `to_csv` of a series write one.
    """
    header = rows[0] if rows else []
    if len(header) == 2 and _first_column_numbers_rows(rows):
        return header[1].strip()
    return header[0].strip() if len(header) == 1 else None
