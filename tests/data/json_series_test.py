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
