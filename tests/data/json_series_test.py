"""GluonTS's JSON lines: a series a line, the frequency and horizon from `metadata.json`."""

import datetime
import gzip
import json

import numpy as np
import pytest

from rnn_keras.data.json_series import pandas_frequency
from rnn_keras.data.json_series import read_json_lines
from rnn_keras.data.readers import DataError
from rnn_keras.tasks.forecast.series import read_series


def write_lines(path, entries):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(entry) + "\n" for entry in entries))
    return path


def test_a_dataset_laid_out_as_gluonts_writes_it(tmp_path):
    # `<name>/metadata.json` above `<name>/train/data.json`, as `get_dataset` saves them.
    dataset = tmp_path / "m4_hourly"
    dataset.mkdir()
    (dataset / "metadata.json").write_text(
        json.dumps({"freq": "H", "prediction_length": 48, "feat_static_cat": []}))
    entries = [
        {"start": "2015-01-01 00:00:00", "target": [1, 2.5, 3, 4], "item_id": "H1",
         "feat_static_cat": [0]},
        # Missing values: null, NaN, "NaN"; those before the first value are no part of it.
        {"start": "2015-01-01 00:00:00",
         "target": [None, None, 5, float("nan"), "NaN", *range(8, 17)],
         "item_id": "H2", "feat_static_cat": [1]},
    ]
    path = write_lines(dataset / "train" / "data.json", entries)
    collection = read_json_lines(str(path))
    assert collection.names == ["H1", "H2"]
    assert collection.frequency == "hourly" and collection.horizon == 48
    hour = datetime.datetime(2015, 1, 1, 0)
    assert collection.starts == [hour, hour + datetime.timedelta(hours=2)]
    np.testing.assert_array_equal(collection.values[0], [1, 2.5, 3, 4])
    np.testing.assert_array_equal(collection.values[1], [5, np.nan, np.nan, *range(8, 17)])
    assert collection.attributes == [{"feat_static_cat": [0]}, {"feat_static_cat": [1]}]
    # Through the forecast reader: the gap filled, gzipped the same.
    with gzip.open(dataset / "train" / "data.json.gz", "wt") as f:
        f.write(path.read_text())
    for name in ("data.json", "data.json.gz"):
        series = read_series(str(dataset / "train" / name))
        np.testing.assert_allclose(series.values[1], range(5, 17))
        assert series.horizon == 48


def test_without_metadata_the_frequency_is_unknown_and_series_are_numbered(tmp_path):
    path = write_lines(tmp_path / "series.jsonl", [
        {"start": "2020-01", "target": [1, 2, 3]}, {"start": "2020-03", "target": [4, 5]},
    ])
    collection = read_json_lines(str(path))
    assert collection.names == ["T1", "T2"]
    assert collection.frequency is None and collection.horizon is None
    assert collection.starts[1] == datetime.datetime(2020, 3, 1)


@pytest.mark.parametrize(
    "alias, name",
    [("H", "hourly"), ("h", "hourly"), ("1H", "hourly"), ("30min", "half_hourly"),
     ("30T", "half_hourly"), ("15min", "15_minutes"), ("D", "daily"), ("B", "business_daily"),
     ("W", "weekly"), ("W-SUN", "weekly"), ("M", "monthly"), ("MS", "monthly"),
     ("ME", "monthly"), ("Q", "quarterly"), ("QE-DEC", "quarterly"), ("A-DEC", "yearly"),
     ("Y", "yearly"), ("2H", None), ("7D", None), ("45min", None), ("?", None)],
)
def test_pandas_frequency_aliases(alias, name):
    assert pandas_frequency(alias) == name


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"start": "2020-01-01", "target": [1, 2]}\n[1, 2]\n',
         r"bad\.json:2: expected \{\"start\": \.\.\., \"target\": \[\.\.\.\]\} on each line"),
        ('{"start": "2020-01-01", "target": [1, 2]\n', r"bad\.json:1: not a JSON object"),
        ('\n{"start": "2020-01-01", "target": [[1, 2], [3, 4]]}\n',
         r"bad\.json:2: 'target' holds several dimensions"),
        ('{"start": "2020-01-01", "target": [1, "x"]}\n',
         r"bad\.json:1: 'target' value 1 is not a number: 'x'"),
        ('{"start": "soon", "target": [1, 2]}\n', r"bad\.json:1: 'start' is not a timestamp"),
        ("\n\n", r"bad\.json: the file holds no series"),
        # A document of records, as vega_datasets' `crimea.json` and pandas write them.
        ('[\n  {"date": "1854-04-01", "wounds": 0},\n  {"date": "1854-05-01", "wounds": 1}\n]\n',
         r"bad\.json:1: one JSON document over the file, not a series a line: records"),
        ('[{"date": "1854-04-01", "wounds": 0}, {"date": "1854-05-01", "wounds": 1}]\n',
         r"bad\.json:1: one JSON document over the file"),
        ('{\n  "freq": "H"\n}\n', r"bad\.json:1: one JSON document over the file"),
    ],
)
def test_errors_name_file_and_line(tmp_path, text, message):
    (tmp_path / "bad.json").write_text(text)
    with pytest.raises(DataError, match=message):
        read_json_lines(str(tmp_path / "bad.json"))


def test_metadata_that_is_no_count_is_refused(tmp_path):
    (tmp_path / "metadata.json").write_text(json.dumps({"freq": "D", "prediction_length": 0}))
    path = write_lines(tmp_path / "data.json", [{"start": "2020-01-01", "target": [1, 2]}])
    with pytest.raises(DataError, match=r"metadata\.json: 'prediction_length' is not a count: 0"):
        read_json_lines(str(path))


def test_covariate_fields_are_read_aligned_with_the_target(tmp_path):
    # GluonTS's `feat_dynamic_real` runs on over the horizon after the target;
    # `past_feat_dynamic_real` stops with it. Each row a covariate.
    entries = [
        {"start": "2020-01-01", "target": [1, 2, 3, 4], "item_id": "a",
         "feat_dynamic_real": [[10, 11, 12, 13, 14, 15], [0, 1, 0, 1, 0, 1]],
         "past_feat_dynamic_real": [[5, 6, 7, 8]], "price": [9, 9, 9, 9, 9, 9]},
        # Two missing values first: the series, and its covariates, start at the third.
        {"start": "2020-01-01", "target": [None, None, 7, 8, 9], "item_id": "b",
         "feat_dynamic_real": [[20, 21, 22, 23, 24, 25, 26], [1, 1, 1, 1, 1, 1, 1]],
         "past_feat_dynamic_real": [[1, 2, 3, 4, 5]], "price": [1, 2, 3, 4, 5, 6, 7]},
    ]
    path = write_lines(tmp_path / "data.json", entries)
    (tmp_path / "metadata.json").write_text(json.dumps({"freq": "D", "prediction_length": 2}))
    collection = read_series(str(path), covariates="feat_dynamic_real,price",
                             past_covariates="past_feat_dynamic_real")
    assert collection.covariate_names == ("feat_dynamic_real[0]", "feat_dynamic_real[1]",
                                          "price")
    assert collection.past_covariate_names == ("past_feat_dynamic_real[0]",)
    np.testing.assert_array_equal(collection.covariates[0],
                                  [[10, 0, 9], [11, 1, 9], [12, 0, 9], [13, 1, 9], [14, 0, 9],
                                   [15, 1, 9]])
    assert collection.starts[1] == datetime.datetime(2020, 1, 3)
    np.testing.assert_array_equal(collection.covariates[1][:, 0], [22, 23, 24, 25, 26])
    np.testing.assert_array_equal(collection.past_covariates[1][:, 0], [3, 4, 5])
    # The fields read as covariates are no attributes of the series.
    assert collection.attributes[0] == {}
    # An id column named (a CSV's option) leaves a JSON file's covariates as they are.
    named = read_series(str(path), id_column="item_id", covariates="price")
    np.testing.assert_array_equal(named.covariates[1][:, 0], [3, 4, 5, 6, 7])
    # `--column` keeps a series with its covariates.
    chosen = read_series(str(path), column="b", covariates="price")
    assert chosen.names == ["b"] and chosen.covariate_names == ("price",)
    np.testing.assert_array_equal(chosen.covariates[0][:, 0], [3, 4, 5, 6, 7])


@pytest.mark.parametrize("entry, options, message", [
    ({"feat": [1, 2, 3]}, {"covariates": "feat_dynamic_real"},
     r"data\.json:1: no field 'feat_dynamic_real' \(--covariates\) on this line; it holds "
     r"'start', 'target', 'feat'"),
    ({"feat": [1, 2]}, {"covariates": "feat"},
     r"data\.json:1: covariates \(--covariates feat\) have 2 values from the target's first, "
     r"the target 3"),
    ({"feat": [1, None, 3]}, {"past_covariates": "feat"},
     r"data\.json:1: 'feat' misses value 1"),
    ({"feat": [[1, 2, 3], [1, 2]]}, {"covariates": "feat"},
     r"data\.json:1: covariates of \[2, 3\] values \(--covariates\)"),
    ({"feat": [1, "x", 3]}, {"covariates": "feat"},
     r"data\.json:1: 'feat' value 1 is not a number: 'x'"),
])
def test_covariate_fields_a_line_cannot_give_are_errors_naming_its_line(
    tmp_path, entry, options, message
):
    path = write_lines(tmp_path / "data.json", [{"start": "2020-01-01", "target": [1, 2, 3],
                                                 **entry}])
    with pytest.raises(DataError, match=message):
        read_series(str(path), **options)


def test_covariate_fields_of_other_rows_than_the_first_line_s_are_refused(tmp_path):
    entries = [{"start": "2020-01-01", "target": [1, 2, 3], "feat": [[1, 2, 3], [4, 5, 6]]},
               {"start": "2020-01-01", "target": [1, 2, 3], "feat": [[1, 2, 3]]}]
    path = write_lines(tmp_path / "data.json", entries)
    with pytest.raises(DataError, match=r"data\.json:2: covariates feat\[0\] \(--covariates\); "
                       r"the first line's are feat\[0\], feat\[1\]"):
        read_series(str(path), covariates="feat")
