"""Time-series readers (.ts, .tsf, timestamped CSV): contents, and errors naming file and line."""

import calendar
import datetime
from pathlib import Path

import numpy as np
import pytest

from rnn_keras.data.readers import DataError
from rnn_keras.data.readers import read_ucr_tsv
from rnn_keras.data.series_readers import SEASONAL_PERIODS
from rnn_keras.data.series_readers import SeriesCollection
from rnn_keras.data.series_readers import advanced
from rnn_keras.data.series_readers import read_arff
from rnn_keras.data.series_readers import default_horizon
from rnn_keras.data.series_readers import infer_frequency
from rnn_keras.data.series_readers import is_timestamp
from rnn_keras.data.series_readers import parse_timestamp
from rnn_keras.data.series_readers import read_timestamp_csv
from rnn_keras.data.series_readers import read_ts
from rnn_keras.data.series_readers import read_m4_csv
from rnn_keras.data.series_readers import r_calendar
from rnn_keras.data.series_readers import r_time_frequency
from rnn_keras.data.series_readers import read_tsf
from rnn_keras.data.series_readers import seasonal_periods
from rnn_keras.data.series_readers import steps_between

DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def day(*args):
    return datetime.datetime(*args)


# === .ts ===

UNIVARIATE_TS = """# A comment line.
@problemName Tiny
@timeStamps false
@missing false
@univariate true
@equalLength true
@seriesLength 3
@classLabel true a b
@data
1,2,3:a

4.5,5,6:b
"""


def test_ts_univariate_equal_length(tmp_path):
    series, labels = read_ts(write(tmp_path, "u.ts", UNIVARIATE_TS))
    assert labels == ["a", "b"]
    assert [s.shape for s in series] == [(3, 1), (3, 1)]
    assert all(s.dtype == np.float32 for s in series)
    np.testing.assert_array_equal(series[1][:, 0], [4.5, 5, 6])


def test_arff_univariate_and_multivariate_as_the_uea_archive_writes_them(tmp_path):
    univariate = ("% GunPoint-like\n@relation 'Toy'\n@attribute att0 numeric\n"
                  "@attribute att1 numeric\n@attribute att2 numeric\n"
                  "@attribute target {1,2}\n\n@data\n0.5,1,2,1\n3,?,?,2\n")
    series, labels = read_arff(write(tmp_path, "u.arff", univariate))
    assert labels == ["1", "2"] and [s.shape for s in series] == [(3, 1), (1, 1)]
    np.testing.assert_array_equal(series[0][:, 0], [0.5, 1, 2])
    # One relational attribute holds the channels, separated by a written
    # `\n`; labels quoted or not; `?` missing inside, padding at the end.
    multivariate = ("@relation 'Probe'\n@attribute relationalAtt relational\n"
                    "@attribute att0 numeric\n@attribute att1 numeric\n@attribute att2 numeric\n"
                    "@end relationalAtt\n@attribute activity {'Standing',Running}\n@data\n"
                    "'1,2,3\\n4,5,6',Running\n'7,?,9\\n10,11,12','Standing'\n"
                    "'1,2,?\\n3,4,?',Running\n")
    series, labels = read_arff(write(tmp_path, "m.arff", multivariate))
    assert labels == ["Running", "Standing", "Running"]
    assert [s.shape for s in series] == [(3, 2), (3, 2), (2, 2)]
    np.testing.assert_array_equal(series[0], [[1, 4], [2, 5], [3, 6]])
    assert np.isnan(series[1][1, 0]) and series[1][1, 1] == 11
    bad = {
        "@relation x\n@attribute a numeric\n@attribute c {x,y}\n@data\n1,z\n":
            r":5: label 'z' is not one of the class attribute's \['x', 'y'\]",
        "@relation x\n@attribute a numeric\n@attribute c {x,y}\n@data\n1,2,x\n":
            r":5: expected 1 values as the @attribute lines declare, got 2",
        "@relation x\n@attribute a numeric\n@attribute c {x,y}\n@data\nq,x\n":
            r":5: channel 1, value 1 is not a number",
        "@relation x\n@attributes a numeric\n": r":2: unknown header '@attributes'",
        "@relation x\n@attribute\n@data\n": r":2: expected '@attribute NAME TYPE', got ''",
        "@relation x\n@attribute a numeric\n": r": expected @attribute lines, then @data",
        multivariate.replace("'1,2,3\\n4,5,6'", "'1,2,3'"):
            r":10: expected 1 channel\(s\) of one length \(as the first series\), got \[3, 3\]",
    }
    for text, message in bad.items():
        with pytest.raises(DataError, match=r"bad\.arff" + message):
            read_arff(write(tmp_path, "bad.arff", text))


def test_ts_reads_arff_style_percent_comments(tmp_path):
    # sktime's UnitTest set opens with `%#` lines, as ARFF files comment.
    text = "%# A cut-down set.\n%\n" + UNIVARIATE_TS.replace("@data\n", "@data\n% one more\n")
    series, labels = read_ts(write(tmp_path, "u.ts", text))
    assert labels == ["a", "b"] and len(series) == 2


def test_ts_multivariate_variable_length_any_key_case(tmp_path):
    text = (
        "@PROBLEMNAME Multi\n@univariate FALSE\n@Dimensions 2\n@equallength false\n"
        "@classlabel true x y\n@DATA\n1,2,3:10,20,30:x\n4,5:40,50:y\n"
    )
    series, labels = read_ts(write(tmp_path, "m.ts", text))
    assert labels == ["x", "y"]
    assert [s.shape for s in series] == [(3, 2), (2, 2)]
    # (steps, channels): the second channel is the second column.
    np.testing.assert_array_equal(series[0], [[1, 10], [2, 20], [3, 30]])
    assert series[0].flags["C_CONTIGUOUS"]


def test_ts_channel_count_from_the_first_series_and_no_labels(tmp_path):
    text = "@classLabel false\n@data\n1,2:3,4\n5:6\n"
    series, labels = read_ts(write(tmp_path, "n.ts", text))
    assert labels is None
    assert [s.shape for s in series] == [(2, 2), (1, 2)]
    bad = write(tmp_path, "n2.ts", "@classLabel false\n@data\n1,2:3,4\n5,6\n")
    with pytest.raises(DataError, match=r"n2\.ts:4: expected 2 channels \(as on line 3\), got 1"):
        read_ts(bad)


def test_ts_missing_values(tmp_path):
    text = "@missing true\n@classLabel true a\n@data\n1,?,3:a\nNaN,2,nan:a\n"
    series, _ = read_ts(write(tmp_path, "miss.ts", text))
    assert np.isnan(series[0][1, 0]) and series[0][2, 0] == 3
    assert np.isnan(series[1][[0, 2], 0]).all()
    for value, name in (("?", "no1.ts"), ("NaN", "no2.ts")):
        text = f"@missing false\n@classLabel true a\n@data\n1,2:a\n1,{value}:a\n"
        path = write(tmp_path, name, text)
        with pytest.raises(DataError, match=rf"{name[:3]}\.ts:5: channel 1, value 2 is missing"):
            read_ts(path)


TS_HEADER = (
    "@problemName P\n@dimensions 2\n@equalLength true\n@seriesLength 2\n@classLabel true a b\n"
    "@data\n"
)


@pytest.mark.parametrize(
    "name, text, message",
    [
        (
            "stamps.ts", "@timeStamps true\n@data\n",
            r"stamps\.ts:1: @timeStamps true: timestamped values are not supported",
        ),
        (
            "target.ts", "@problemName P\n@targetLabel true\n@data\n1,2\n",
            r"target\.ts:2: @targetLabel true: regression targets are not supported",
        ),
        ("nodata.ts", "@problemName P\n@classLabel true a\n", r"nodata\.ts: no @data line"),
        (
            "after.ts", TS_HEADER + "1,2:3,4:a\n@missing true\n",
            r"after\.ts:8: header line '@missing' after @data",
        ),
        (
            "before.ts", "@problemName P\n1,2:a\n@data\n",
            r"before\.ts:2: expected a header line \(@\.\.\.\) before @data",
        ),
        (
            "dims.ts", TS_HEADER + "1,2:3,4:a\n1,2:3,4:5,6:b\n",
            r"dims\.ts:8: expected 2 channels \(@dimensions, line 2\), got 3",
        ),
        (
            "ragged.ts", TS_HEADER + "1,2:3,4:a\n1,2:3:b\n",
            r"ragged\.ts:8: the channels of a series differ in length: \[2, 1\]",
        ),
        (
            "length.ts", TS_HEADER + "1,2:3,4:a\n1,2,3:4,5,6:b\n",
            r"length\.ts:8: expected 2 steps \(@seriesLength, line 4, @equalLength true\), got 3",
        ),
        (
            "label.ts", TS_HEADER + "1,2:3,4:a\n1,2:3,4:c\n",
            r"label\.ts:8: label 'c' is not one of the @classLabel labels \['a', 'b'\] \(line 5\)",
        ),
        (
            "number.ts", TS_HEADER + "1,2:3,4:a\n1,2:3,x:b\n",
            r"number\.ts:8: channel 2, value 2 is not a number: 'x'",
        ),
        ("inf.ts", TS_HEADER + "1,2:3,inf:a\n", r"inf\.ts:7: channel 2, value 2 is not finite"),
        ("empty.ts", TS_HEADER + "1,2:3,4:a\n1,2: :b\n", r"empty\.ts:8: channel 2 is empty"),
        (
            "nolabel.ts", "@classLabel true a\n@data\n1,2\n",
            r"nolabel\.ts:3: expected the channels and a label separated by ':'",
        ),
        ("noseries.ts", TS_HEADER, r"noseries\.ts: no series after @data"),
        (
            "unknown.ts", "@problemName P\n@colour red\n@data\n",
            r"unknown\.ts:2: unknown header '@colour'",
        ),
        (
            "flag.ts", "@missing maybe\n@data\n",
            r"flag\.ts:1: expected @missing true or false, got 'maybe'",
        ),
        (
            "count.ts", "@dimensions two\n@data\n",
            r"count\.ts:1: expected @dimensions to be a positive integer, got 'two'",
        ),
        (
            "labels.ts", "@classLabel true\n@data\n",
            r"labels\.ts:1: @classLabel true lists no labels",
        ),
        (
            "uni.ts", "@univariate true\n@dimensions 3\n@data\n",
            r"uni\.ts:2: @dimensions 3 contradicts @univariate true",
        ),
    ],
)
def test_ts_errors_name_file_and_line(tmp_path, name, text, message):
    with pytest.raises(DataError, match=message):
        read_ts(write(tmp_path, name, text))


def test_ts_univariate_true_expects_one_channel(tmp_path):
    path = write(tmp_path, "one.ts", "@univariate true\n@classLabel true a\n@data\n1,2:3,4:a\n")
    message = r"one\.ts:4: expected 1 channels \(@univariate true\), got 2"
    with pytest.raises(DataError, match=message):
        read_ts(path)


# === .tsf ===

TSF = """# Three series.
@relation Test
@attribute series_name string
@attribute start_timestamp date
@attribute level numeric
@frequency Monthly
@horizon 3
@missing true
@equallength false
@data
S1:2000-01-01 00-00-00:7:1,2,3,4
S2:2001-06-01 12-30-00:2.5:5,?,7

S3:2002-01-01 00-00-00:0:8,9
"""


def test_tsf_series_starts_frequency_horizon_missing(tmp_path):
    collection = read_tsf(write(tmp_path, "t.tsf", TSF))
    assert isinstance(collection, SeriesCollection) and len(collection) == 3
    assert collection.names == ["S1", "S2", "S3"]
    assert collection.starts == [day(2000, 1, 1), day(2001, 6, 1, 12, 30), day(2002, 1, 1)]
    assert collection.frequency == "monthly" and collection.horizon == 3
    assert collection.attributes == [{"level": 7}, {"level": 2.5}, {"level": 0}]
    assert all(v.dtype == np.float64 for v in collection.values)
    np.testing.assert_array_equal(collection.values[0], [1, 2, 3, 4])
    np.testing.assert_array_equal(collection.values[1], [5, np.nan, 7])


def test_tsf_missing_values_around_a_series_are_not_part_of_it(tmp_path):
    # A station that started late and stopped early: its start moves to its first value.
    header = ("@attribute series_name string\n@attribute start_timestamp date\n"
              "@frequency {}\n@missing true\n@data\n")
    for frequency, start, moved in [
        ("monthly", "2000-01-31 00-00-00", day(2000, 3, 31)),
        ("quarterly", "2000-11-30 00-00-00", day(2001, 5, 31)),
        ("hourly", "2000-01-01 22-00-00", day(2000, 1, 2)),
        ("business_daily", "2020-01-09 09-30-00", day(2020, 1, 13, 9, 30)),  # Thursday
        ("10_minutes", "2000-01-01 00-00-00", day(2000, 1, 1, 0, 20)),
        ("4_seconds", "2000-01-01 00-00-00", None),  # no step known here
    ]:
        text = header.format(frequency) + f"a:{start}:?,?,1,?,3,?\nb:{start}:4,5\n"
        collection = read_tsf(write(tmp_path, "late.tsf", text))
        assert collection.starts[0] == moved, frequency
        np.testing.assert_array_equal(collection.values[0], [1, np.nan, 3])
        np.testing.assert_array_equal(collection.values[1], [4, 5])
    # A series without any value is kept whole, all `nan`, its start where it was.
    text = header.format("monthly") + "a:2000-01-31 00-00-00:1,2\nb:2000-01-31 00-00-00:?,?,?\n"
    collection = read_tsf(write(tmp_path, "silent.tsf", text))
    assert collection.starts[1] == day(2000, 1, 31)
    np.testing.assert_array_equal(collection.values[1], [np.nan] * 3)
    wide = read_timestamp_csv(write(tmp_path, "blank.csv", "date,v,w\n2020-01-01,1,\n"
                                                            "2020-01-02,2,NA\n"))
    assert wide.names == ["v", "w"]
    np.testing.assert_array_equal(wide.values[1], [np.nan] * 2)
    assert advanced(day(2000, 1, 31), 1, "monthly") == day(2000, 2, 29)
    assert advanced(day(2019, 2, 28), 1, "yearly") == day(2020, 2, 29)  # a month end
    assert advanced(day(2020, 1, 15), 13, "monthly") == day(2021, 2, 15)
    for frequency in ("hourly", "daily", "weekly", "monthly", "quarterly", "business_daily"):
        later = advanced(day(2020, 1, 6, 6), 17, frequency)
        assert steps_between(day(2020, 1, 6, 6), later, frequency) == 17, frequency


def test_tsf_names_without_series_name_and_no_header_extras(tmp_path):
    text = "@attribute state string\n@attribute region string\n@data\nNSW:east:1,2\nWA:west:3\n"
    collection = read_tsf(write(tmp_path, "s.tsf", text))
    assert collection.names == ["NSW", "WA"] and collection.attributes == [
        {"region": "east"}, {"region": "west"}
    ]
    assert collection.starts == [None, None]
    assert collection.frequency is None and collection.horizon is None
    bare = read_tsf(write(tmp_path, "b.tsf", "@frequency 10_minutes\n@data\n1,2\n3,4\n"))
    assert bare.names == ["T1", "T2"] and bare.frequency == "10_minutes"


TSF_HEADER = (
    "@attribute series_name string\n@attribute start_timestamp date\n@equallength true\n@data\n"
)


@pytest.mark.parametrize(
    "name, text, message",
    [
        (
            "fields.tsf", TSF_HEADER + "T1:2000-01-01 00-00-00:1,2\nT2:1,2\n",
            r"fields\.tsf:6: expected 2 attribute values \(series_name start_timestamp\) .* got 2",
        ),
        (
            "number.tsf", TSF_HEADER + "T1:2000-01-01 00-00-00:1,two\n",
            r"number\.tsf:5: value 2 is not a number: 'two'",
        ),
        (
            "date.tsf", TSF_HEADER + "T1:2000-01-01:1,2\n",
            r"date\.tsf:5: attribute 'start_timestamp' is not a date like",
        ),
        (
            "empty.tsf", TSF_HEADER + "T1:2000-01-01 00-00-00:1,2\nT2:2000-01-01 00-00-00:\n",
            r"empty\.tsf:6: the series is empty",
        ),
        (
            "type.tsf", "@relation R\n@attribute name text\n@data\n",
            r"type\.tsf:2: attribute 'name' has the unknown type 'text'",
        ),
        (
            "missing.tsf", TSF_HEADER + "T1:2000-01-01 00-00-00:1,?\n",
            r"missing\.tsf:5: value 2 is missing \('\?'\); missing values need @missing true",
        ),
        (
            "equal.tsf", TSF_HEADER + "T1:2000-01-01 00-00-00:1,2\nT2:2000-01-01 00-00-00:1,2,3\n",
            r"equal\.tsf:6: expected 2 values like the first series \(@equallength true\), got 3",
        ),
        ("nodata.tsf", "@relation R\n", r"nodata\.tsf: no @data line"),
        ("noseries.tsf", TSF_HEADER, r"noseries\.tsf: no series after @data"),
        (
            "horizon.tsf", "@horizon 0\n@data\n",
            r"horizon\.tsf:1: expected @horizon to be a positive integer, got '0'",
        ),
        ("unknown.tsf", "@colour red\n@data\n", r"unknown\.tsf:1: unknown header '@colour'"),
        (
            "twice.tsf", "@attribute a string\n@attribute a string\n@data\n",
            r"twice\.tsf:2: attribute 'a' is declared twice",
        ),
        (
            "numeric.tsf", "@attribute level numeric\n@data\nhigh:1,2\n",
            r"numeric\.tsf:3: attribute 'level' is not a number: 'high'",
        ),
        (
            "after.tsf", TSF_HEADER + "T1:2000-01-01 00-00-00:1,2\n@horizon 2\n",
            r"after\.tsf:6: header line '@horizon' after @data",
        ),
    ],
)
def test_tsf_errors_name_file_and_line(tmp_path, name, text, message):
    with pytest.raises(DataError, match=message):
        read_tsf(write(tmp_path, name, text))


# === CSV ===


def test_csv_wide_several_series_and_value_column(tmp_path):
    text = "Date,north,south\n2020-01-01,1,10\n2020-01-02,2,20\n2020-01-03,3,30\n"
    path = write(tmp_path, "wide.csv", text)
    collection = read_timestamp_csv(path)
    assert collection.names == ["north", "south"]
    assert collection.starts == [day(2020, 1, 1)] * 2
    assert collection.frequency == "daily" and collection.horizon is None
    assert collection.attributes == [{}, {}]
    np.testing.assert_array_equal(collection.values[1], [10, 20, 30])
    only = read_timestamp_csv(path, value_column="south")
    assert only.names == ["south"] and only.values[0].tolist() == [10, 20, 30]
    message = r"wide\.csv:1: no column 'east'; the columns are \['Date', 'north', 'south'\]"
    with pytest.raises(DataError, match=message):
        read_timestamp_csv(path, value_column="east")
    with pytest.raises(DataError, match=r"wide\.csv:1: column 'Date' is \(part of\) the timestamp"):
        read_timestamp_csv(path, value_column="Date")


def test_csv_wide_columns_of_one_name_are_numbered(tmp_path, caplog):
    # statsmodels' `elnino.dat` heads four columns `ANOM`: numbered as pandas does,
    # so that no two series share a name (and their identity).
    text = " YR   MON  NINO3  ANOM  NINO4  ANOM\n1950 1 23.1 -1.4 27.0 -1.1\n" \
           "1950 2 24.2 -1.7 27.2 -0.9\n1950 3 25.4 -1.0 27.4 -0.6\n"
    with caplog.at_level("WARNING", logger="rnn_keras"):
        collection = read_timestamp_csv(write(tmp_path, "elnino.dat", text))
    assert collection.names == ["NINO3", "ANOM", "NINO4", "ANOM.1"]
    assert collection.starts == [day(1950, 1, 1)] * 4 and collection.frequency == "monthly"
    np.testing.assert_array_equal(collection.values[3], [-1.1, -0.9, -0.6])
    assert "elnino.dat: the header names 'ANOM' more than once" in caplog.text


def test_csv_wide_unnamed_timestamp_column_and_quotes(tmp_path):
    lynx = read_timestamp_csv(write(tmp_path, "lynx.csv", ",0\n1821,269\n1822,321\n1823,585\n"))
    assert lynx.names == ["0"] and lynx.frequency == "yearly"
    assert lynx.starts == [day(1821, 1, 1)]
    text = '"Month","Passengers"\n"1949-01",112\n"1949-02",118\n'
    quoted = read_timestamp_csv(write(tmp_path, "q.csv", text))
    assert quoted.names == ["Passengers"] and quoted.values[0].tolist() == [112, 118]
    assert quoted.frequency == "monthly"


def test_csv_years_beside_a_quarter_or_month_column(tmp_path):
    # As statsmodels' macrodata: `"year","quarter",...`, the quarter a number.
    text = '"year","quarter","realgdp","cpi"\n1959,3,1.0,28.9\n1959,4,2.0,29.1\n1960,1,3.0,29.3\n'
    macro = read_timestamp_csv(write(tmp_path, "macro.csv", text))
    assert macro.names == ["realgdp", "cpi"] and macro.frequency == "quarterly"
    assert macro.starts == [day(1959, 7, 1)] * 2
    np.testing.assert_array_equal(macro.values[0], [1, 2, 3])
    # Months by number or name; a year without its month read as missing.
    text = "yr,month,sales\n2020,Nov,5\n2020,December,6\n2021,2,8\n2021,3,9\n2021,4,10\n"
    sales = read_timestamp_csv(write(tmp_path, "sales.csv", text), value_column="sales")
    assert sales.frequency == "monthly" and sales.starts == [day(2020, 11, 1)]
    np.testing.assert_array_equal(sales.values[0], [5, 6, np.nan, 8, 9, 10])
    for name, text, message in [
        ("q5.csv", "year,quarter,v\n2020,1,1\n2020,5,2\n",
         r"q5\.csv:3: column 'quarter': '5' is not a whole number 1-4$"),
        ("m.csv", "year,month,v\n2020,1,1\n2020,Smarch,2\n",
         r"m\.csv:3: column 'month': 'Smarch' is not a whole number 1-12 or a month's name"),
        ("dated.csv", "year,quarter,v\n2019,4,0\n2020-01-01,1,1\n2020-04-01,2,2\n",
         r"dated\.csv:3: column 'quarter' places rows in their year, but the timestamp "
         r"'2020-01-01' is not a bare year"),
    ]:
        with pytest.raises(DataError, match=message):
            read_timestamp_csv(write(tmp_path, name, text))
    # A row per year, a column per month (as statsmodels' elnino) or quarter: one
    # series named after the file; with a column named, that column.
    months = ",".join(calendar.month_abbr[1:]).upper()
    text = f'"YEAR",{months}\n1950,' + ",".join(map(str, range(1, 13))) + "\n1951,"
    text += ",".join(map(str, range(13, 25))) + "\n"
    elnino = read_timestamp_csv(write(tmp_path, "elnino.csv", text))
    assert elnino.names == ["elnino"] and elnino.frequency == "monthly"
    assert elnino.starts == [day(1950, 1, 1)]
    np.testing.assert_array_equal(elnino.values[0], np.arange(1, 25))
    january = read_timestamp_csv(tmp_path / "elnino.csv", value_column="JAN")
    assert january.frequency == "yearly" and january.values[0].tolist() == [1, 13]
    text = "year,Q1,Q2,Q3,Q4\n2000,1,2,3,4\n2001,5,6,7,8\n"
    quarters = read_timestamp_csv(write(tmp_path, "q.csv", text))
    assert quarters.frequency == "quarterly" and len(quarters.values[0]) == 8
    # Not in order, or not all of them: a series per column.
    text = "year,FEB,JAN,MAR\n2000,1,2,3\n2001,4,5,6\n2002,7,8,9\n"
    assert read_timestamp_csv(write(tmp_path, "o.csv", text)).names == ["FEB", "JAN", "MAR"]
    # Beside dates, a `month` column is a series as any other.
    dated = read_timestamp_csv(write(tmp_path, "dated.csv", "date,month,v\n2020-01-01,1,5\n"
                                                            "2020-02-01,2,6\n2020-03-01,3,7\n"))
    assert dated.names == ["month", "v"] and dated.frequency == "monthly"
    with pytest.raises(DataError, match=r"column 'quarter' is \(part of\) the timestamp"):
        read_timestamp_csv(write(tmp_path, "macro.csv", "year,quarter,v\n2020,1,1\n2020,2,2\n"),
                           value_column="quarter")


def test_csv_years_and_periods_as_the_us_bureau_of_labor_statistics_writes_them(
    tmp_path, caplog
):
    # Its `time.series` files: tabs, padded fields, a year's average (`M13`) after
    # its months. Before: the periods unread, "timestamp 2015-01-01 repeats".
    rows = ["series_id              \tyear\tperiod\t       value\tfootnote_codes"]
    for name, base in (("CUUR0000SA0", 100), ("CUUR0000SAF1", 200)):
        for year in (2015, 2016):
            rows += [f"{name}    \t{year}\tM{m:02d}\t  {base + 12 * (year - 2015) + m}\t"
                     for m in range(1, 13)]
            rows.append(f"{name}    \t{year}\tM13\t  {base + 6.5}\t")
    path = write(tmp_path, "cu.data.0.Current", "\n".join(rows) + "\n")
    with caplog.at_level("WARNING", logger="rnn_keras"):
        cpi = read_timestamp_csv(path)
    assert cpi.names == ["CUUR0000SA0", "CUUR0000SAF1"] and cpi.frequency == "monthly"
    assert cpi.starts == [day(2015, 1, 1)] * 2
    np.testing.assert_array_equal(cpi.values[1], 200 + np.arange(1, 25))
    assert ("4 row(s) of a year's average (period 'M13', line 14, the first) left out"
            in caplog.text)
    # Its downloads: notes before a header ended by a comma (as statsmodels' copy in
    # `macrodata/src/unemp.csv`), `Series id`, quarters and their average (`Q05`).
    text = ("Series Id:           LNS14000000Q\n\nSeasonally Adjusted\n"
            "Series title:        (Seas) Unemployment Rate\n\n"
            "Series id,Year,Period,Value,\nLNS14000000Q,1959,Q01,5.8\n"
            "LNS14000000Q,1959,Q02,5.1\nLNS14000000Q,1959,Q03,5.3\nLNS14000000Q,1959,Q04,5.6\n"
            "LNS14000000Q,1959,Q05,5.5\nLNS14000000Q,1960,Q01,5.2\n")
    unemp = read_timestamp_csv(write(tmp_path, "unemp.csv", text))
    assert unemp.names == ["LNS14000000Q"] and unemp.frequency == "quarterly"
    assert unemp.starts == [day(1959, 1, 1)]
    np.testing.assert_array_equal(unemp.values[0], [5.8, 5.1, 5.3, 5.6, 5.2])
    # Halves, and a wide file of one series.
    halves = read_timestamp_csv(write(tmp_path, "s.csv", "year,period,v\n2019,S01,1\n"
                                      "2019,S02,2\n2019,S03,1.5\n2020,S01,3\n"))
    assert halves.starts == [day(2019, 1, 1)] and halves.values[0].tolist() == [1, 2, 3]
    with pytest.raises(DataError, match=(
            r"p\.csv:3: column 'period': 'M14' is not a period of the year as the US Bureau of "
            r"Labor Statistics writes them \(M01-M12, Q01-Q04, S01-S02, A01\)")):
        read_timestamp_csv(write(tmp_path, "p.csv", "year,period,v\n2020,M01,1\n2020,M14,2\n"))
    # A `period` column of other values is a series as any other.
    other = read_timestamp_csv(write(tmp_path, "o.csv", "year,period,v\n2019,1,5\n2020,2,6\n"))
    assert other.names == ["period", "v"] and other.frequency == "yearly"


def test_statistical_agencies_downloads_eurostat_tsv_and_sdmx_csv(tmp_path, caplog):
    from rnn_keras.tasks.forecast.series import read_series

    # Eurostat's TSV: dimensions joined in the first column, the months across,
    # values with flags (`p` provisional, `e` estimated), `:` missing. Before:
    # "column '2020-02' is not a number: '105.9 p'".
    text = ("freq,unit,geo\\TIME_PERIOD\t2020-01 \t2020-02 \t2020-03 \t2020-04 \t2020-05 \n"
            "M,I15,DE\t105.2 \t105.9 p\t: c\t106.1 e\t106.3 \n"
            "M,I15,FR\t104.0 \t104.1 \t104.5 bep\t104.9 \t105.0 \n")
    with caplog.at_level("WARNING", logger="rnn_keras"):
        hicp = read_series(write(tmp_path, "estat_prc_hicp_midx.tsv", text))
    assert hicp.names == ["M,I15,DE", "M,I15,FR"] and hicp.frequency == "monthly"
    np.testing.assert_allclose(hicp.values[0], [105.2, 105.9, 106.0, 106.1, 106.3])  # filled
    np.testing.assert_allclose(hicp.values[1], [104.0, 104.1, 104.5, 104.9, 105.0])
    assert "4 value(s) with Eurostat's flags ('105.9 p', line 2, the first)" in caplog.text
    # Only in Eurostat's files: elsewhere `10 bn` is ten billion, no number to guess.
    with pytest.raises(DataError, match=r"column 'v' is not a number: '10 bn'"):
        read_series(write(tmp_path, "bn.csv", "t,v\n2020-01,9\n2020-02,10 bn\n"))
    # SDMX-CSV (Eurostat's, the OECD's data services): dimensions, TIME_PERIOD,
    # OBS_VALUE, attributes; the series told apart by the dimensions that differ.
    rows = ["DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"]
    for geo, base in (("DE", 100), ("FR", 200)):
        rows += [f"ESTAT:PRC_HICP_MIDX(1.0),1{m}/11/24 23:00:00,M,I15,{geo},2020-0{m},"
                 f"{base + m},{'p' if m == 2 else ''}" for m in range(1, 5)]
    sdmx = read_series(write(tmp_path, "sdmx.csv", "\n".join(rows) + "\n"))
    assert sdmx.names == ["DE", "FR"] and sdmx.frequency == "monthly"
    assert sdmx.starts == [day(2020, 1, 1)] * 2
    np.testing.assert_array_equal(sdmx.values[1], [201, 202, 203, 204])
    one = read_series(write(tmp_path, "one.csv", "\n".join(rows[:5]) + "\n"))
    assert one.names == ["OBS_VALUE"] and one.values[0].tolist() == [101, 102, 103, 104]
    # The ECB's: a KEY column names each series.
    rows = ["KEY,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE,"
            "OBS_STATUS,TITLE"]
    for currency, base in (("USD", 1.1), ("JPY", 120)):
        rows += [f"EXR.Q.{currency}.EUR.SP00.A,Q,{currency},EUR,SP00,A,2020-Q{q},{base + q},A,"
                 f"{currency}/EUR" for q in range(1, 5)]
    exr = read_series(write(tmp_path, "exr.csv", "\n".join(rows) + "\n"))
    assert exr.names == ["EXR.Q.USD.EUR.SP00.A", "EXR.Q.JPY.EUR.SP00.A"]
    assert exr.frequency == "quarterly" and exr.values[1].tolist() == [121, 122, 123, 124]
    # Statistics Canada's tables: a row per month and series, `VECTOR` naming it.
    # Before: read wide, "column 'GEO' is not a number: 'Canada'".
    rows = ['"REF_DATE","GEO","DGUID","UOM","SCALAR_FACTOR","VECTOR","COORDINATE","VALUE",'
            '"STATUS"']
    rows += [f'"2020-0{m}","{geo}","x","Persons","thousands","{vector}","1.{n}","{n}{m}",""'
             for m in (1, 2, 3) for n, (geo, vector) in enumerate(
                 [("Canada", "v2062810"), ("Quebec", "v2063000")], start=1)]
    statcan = read_series(write(tmp_path, "14100287.csv", "\n".join(rows) + "\n"))
    assert statcan.names == ["v2062810", "v2063000"] and statcan.frequency == "monthly"
    assert statcan.values[1].tolist() == [21, 22, 23]


def test_notes_then_sections_as_the_uk_office_for_national_statistics_writes_them(
    tmp_path, caplog
):
    from rnn_keras.data.series_readers import read_sections
    from rnn_keras.tasks.forecast.series import read_series

    # Its generator's CSV: notes, then the series a year, a quarter and a month at a
    # time. Before: "the first column holds no timestamps".
    rows = [("Title", "CPIH INDEX 00: ALL ITEMS 2015=100"), ("CDID", "L522"),
            ("PreUnit", ""), ("Unit", "Index, base year = 100"), ("Important notes", "")]
    rows += [(str(year), str(year - 1900)) for year in (2018, 2019)]
    rows += [(f"{year} Q{q}", str(q)) for year in (2018, 2019) for q in range(1, 5)]
    months = [m.upper() for m in calendar.month_abbr[1:]]
    rows += [(f"{year} {m}", str(12 * (year - 2018) + i)) for year in (2018, 2019)
             for i, m in enumerate(months)]
    path = write(tmp_path, "l522.csv", "".join(f'"{a}","{b}"\n' for a, b in rows))
    with caplog.at_level("WARNING", logger="rnn_keras"):
        cpih = read_series(path)
    assert cpih.names == ["CPIH INDEX 00: ALL ITEMS 2015=100"] and cpih.frequency == "monthly"
    assert cpih.starts == [day(2018, 1, 1)]
    np.testing.assert_array_equal(cpih.values[0], np.arange(24))
    assert ("5 line(s) of notes before the data skipped (Title, CDID, PreUnit, Unit, Important "
            "notes), and its sections of other frequencies left out: yearly (lines 6-7); "
            "quarterly (lines 8-15); the series read from lines 16-39") in caplog.text
    # One section, named by the file where the title is empty.
    path = write(tmp_path, "sales.csv",
                 '"Title",""\n"Unit","EUR"\n"2020 JAN","1"\n"2020 FEB","2"\n')
    assert read_series(path).names == ["sales"]
    # Newest first: one section, read reversed.
    path = write(tmp_path, "newest.csv", '"Title","Sales"\n"Unit","EUR"\n"2020 MAR","3"\n'
                 '"2020 FEB","2"\n"2020 JAN","1"\n')
    newest = read_series(path)
    assert newest.starts == [day(2020, 1, 1)] and newest.values[0].tolist() == [1, 2, 3]
    # Not so: rows of numbers before years (`1000` reads as a year), a line after
    # the timestamps without one, three columns.
    numbered = "n,value\n" + "".join(f"{i},{i}\n" for i in range(995, 1005))
    for text in (numbered, '"Unit","EUR"\n"2020 JAN","1"\n"total","3"\n',
                 '"Unit","EUR",""\n"2020 JAN","1","2"\n"2020 FEB","2","3"\n'):
        assert read_sections(write(tmp_path, "not.csv", text)) is None, text


def test_csv_date_parts_in_columns_as_pandas_assembles_them(tmp_path):
    # As the UCI archive's Beijing PM2.5: `No,year,month,day,hour,...`, the rows
    # numbered in a column of their own, hours 0-23; a missing value as `NA`.
    rows = [(2010, 1, 31, 22, "NA"), (2010, 1, 31, 23, "7"), (2010, 2, 1, 0, "8"),
            (2010, 2, 1, 2, "10"), (2010, 2, 1, 3, "11"), (2010, 2, 1, 4, "12")]
    text = "No,year,month,day,hour,pm2.5\n" + "".join(
        f"{n},{y},{m},{d},{h},{v}\n" for n, (y, m, d, h, v) in enumerate(rows, start=1)
    )
    pm = read_timestamp_csv(write(tmp_path, "pm.csv", text), time_column="year")
    assert pm.names == ["pm2.5"] and pm.frequency == "hourly"
    assert pm.starts == [datetime.datetime(2010, 1, 31, 23)]
    np.testing.assert_array_equal(pm.values[0], [7, 8, np.nan, 10, 11, 12])  # no 01:00 row
    # Daily, in any case; hours 1-24 are the hour ending; minutes too.
    text = "Year,Month,Day,v\n2019,12,31,1\n2020,1,1,2\n2020,1,2,3\n"
    daily = read_timestamp_csv(write(tmp_path, "d.csv", text))
    assert daily.frequency == "daily" and daily.starts == [day(2019, 12, 31)]
    text = "year,month,day,hour,load\n2020,1,1,23,1\n2020,1,1,24,2\n2020,1,2,1,3\n"
    load = read_timestamp_csv(write(tmp_path, "h.csv", text))
    assert load.names == ["load"] and load.starts == [datetime.datetime(2020, 1, 1, 22)]
    assert load.frequency == "hourly"
    text = "year,month,day,hour,minute,v\n2020,1,1,0,0,1\n2020,1,1,0,30,2\n2020,1,1,1,0,3\n"
    assert read_timestamp_csv(write(tmp_path, "m.csv", text)).frequency == "half_hourly"
    # A long file's timestamps in parts too.
    text = "id,year,month,value\na,2020,11,1\na,2020,12,2\nb,2020,12,3\nb,2021,1,4\n"
    long = read_timestamp_csv(write(tmp_path, "long.csv", text))
    assert long.names == ["a", "b"] and long.frequency == "monthly"
    assert long.starts == [day(2020, 11, 1), day(2020, 12, 1)]
    # A day without its month is no part of the date: a series.
    text = "year,day,v\n2020,1,1\n2021,2,2\n"
    assert read_timestamp_csv(write(tmp_path, "yd.csv", text)).names == ["day", "v"]
    for name, text, message in [
        ("feb.csv", "year,month,day,v\n2020,2,28,1\n2020,2,30,2\n",
         r"feb\.csv:3: column 'day': '30' is no day of 2020-02$"),
        ("hour.csv", "year,month,day,hour,v\n2020,2,1,0,1\n2020,2,1,25,2\n",
         r"hour\.csv:3: column 'hour': '25' is not a whole number 0-23$"),
        ("ending.csv", "year,month,day,hour,v\n2020,2,1,24,1\n2020,2,2,0,2\n",
         r"ending\.csv:3: column 'hour': '0' is not a whole number 1-24$"),
    ]:
        with pytest.raises(DataError, match=message):
            read_timestamp_csv(write(tmp_path, name, text))
    with pytest.raises(DataError, match=r"column 'hour' is \(part of\) the timestamp"):
        read_timestamp_csv(tmp_path / "h.csv", value_column="hour")


def test_csv_timestamps_across_the_header_a_series_a_row(tmp_path):
    # As the World Bank's downloads: labels, then a column per year.
    text = ('Country Name,Country Code,1960,1961,1962,1963\n'
            'Aruba,ABW,4.8,4.6,4.4,4.2\n'
            '"Korea, Rep.",KOR,,,6.0,5.7\n'
            'Nowhere,NWH,,,,\n')
    rates = read_timestamp_csv(write(tmp_path, "wb.csv", text))
    assert rates.names == ["Aruba", "Korea, Rep.", "Nowhere"] and rates.frequency == "yearly"
    assert rates.starts[:2] == [day(1960, 1, 1), day(1962, 1, 1)]
    np.testing.assert_array_equal(rates.values[1], [6.0, 5.7])
    np.testing.assert_array_equal(rates.values[2], [np.nan] * 4)  # left to the task
    coded = read_timestamp_csv(write(tmp_path, "wb.csv", text), id_column="Country Code")
    assert coded.names == ["ABW", "KOR", "NWH"]
    # Timestamps in the first column too: a wide file whose series are named by years.
    wide = read_timestamp_csv(write(tmp_path, "years.csv", "date,2019,2020,2021\n"
                                                           "2000-01-01,1,2,3\n2000-01-02,4,5,6\n"))
    assert wide.names == ["2019", "2020", "2021"] and wide.frequency == "daily"
    for name, text, kwargs, message in [
        ("back.csv", "name,2001,2000,2002\na,1,2,3\n", {},
         r"back\.csv:1: the timestamps across the header must increase: '2000' comes after "
         r"'2001'"),
        ("twice.csv", "name,2000,2001,2002\na,1,2,3\na,4,5,6\n", {},
         r"twice\.csv:3: series 'a' again \(first on line 2\): a row per series"),
        ("wb.csv", None, {"value_column": "1960"},
         r"wb\.csv:1: the header holds the timestamps \('1960', \.\.\.\): each row is a "
         r"series, and there is no value column to name \(--column 1960\)"),
    ]:
        path = write(tmp_path, name, text) if text else tmp_path / name
        with pytest.raises(DataError, match=message):
            read_timestamp_csv(path, **kwargs)


def test_csv_an_unnamed_column_numbering_the_rows_is_no_series(tmp_path):
    # As pandas' `to_csv` writes a frame's default index (sktime's Uschange.csv).
    text = ",Quarter,Consumption,Income\n0,1970 Q1,0.6,0.9\n1,1970 Q2,0.4,1.2\n2,1970 Q3,0.8,1.5\n"
    us = read_timestamp_csv(write(tmp_path, "us.csv", text), time_column="Quarter")
    assert us.names == ["Consumption", "Income"] and us.frequency == "quarterly"
    # Counting from 1 too; any other unnamed column is a series.
    text = ",date,a,\n1,2020-01,5,7\n2,2020-02,6,9\n3,2020-03,8,4\n"
    other = read_timestamp_csv(write(tmp_path, "o.csv", text), time_column="date")
    assert other.names == ["a", "T2"]
    np.testing.assert_array_equal(other.values[1], [7, 9, 4])


def test_csv_a_column_named_as_a_time_counting_the_rows_is_no_series(tmp_path, caplog):
    # statsmodels' copper: `YEAR,...,TIME`, TIME the regression's trend 1..n.
    text = "YEAR,CONSUMPTION,PRICE,TIME\n" + "".join(
        f"{1951 + k},{3000 + 10 * k},{26 + k % 3},{k + 1}\n" for k in range(6))
    with caplog.at_level("WARNING", logger="rnn_keras"):
        copper = read_timestamp_csv(write(tmp_path, "copper.csv", text))
    assert copper.names == ["CONSUMPTION", "PRICE"] and copper.frequency == "yearly"
    assert "copper.csv: column 'TIME' counts the rows (1, 2, ...): no series, left out" \
        in caplog.text
    # A count that does not start at 0 or 1, or skips, and a counter named
    # otherwise, stay series.
    for name, values in (("time", [k + 2 for k in range(6)]), ("time", [1, 2, 3, 5, 6, 7]),
                         ("trend", [k + 1 for k in range(6)])):
        text = f"date,sales,{name}\n" + "".join(
            f"2020-{k + 1:02d},{5 + k},{v}\n" for k, v in enumerate(values))
        kept = read_timestamp_csv(write(tmp_path, "kept.csv", text))
        assert kept.names == ["sales", name], (name, values)


def test_m4_csv_a_series_a_row_without_timestamps(tmp_path):
    # As the M4 competition's Yearly-train.csv: quoted header and ids, ragged rows.
    text = ('"V1","V2","V3","V4","V5","V6"\n"Y1",5172.1,5133.5,5186.9,5084.6,5182\n'
            '"Y2",2070,2104,NA,2143,\n"Y3",19,20,,,\n')
    m4 = read_m4_csv(write(tmp_path, "Yearly-train.csv", text))
    assert m4.names == ["Y1", "Y2", "Y3"] and m4.frequency == "yearly"  # M4's letters
    assert m4.starts == [None] * 3
    np.testing.assert_array_equal(m4.values[1], [2070, 2104, np.nan, 2143])
    np.testing.assert_array_equal(m4.values[2], [19, 20])
    header = '"V1","V2","V3","V4"\n'
    mixed = read_m4_csv(write(tmp_path, "mixed.csv", header + '"Y1",1,2,3\n"M1",4,5,6\n'))
    other = read_m4_csv(write(tmp_path, "other.csv", header + '"A1",1,2,3\n"A2",4,5,6\n'))
    assert mixed.frequency is None and other.frequency is None
    for name, rows, message in [
        ("twice.csv", '"Y1",1,2,3\n"Y1",4,5,6\n', r"twice\.csv:3: series 'Y1' again \(first "
         r"on line 2\)"),
        ("wide.csv", '"Y1",1,2,3,4\n', r"wide\.csv:2: expected at most 4 fields"),
        ("short.csv", '"Y1",1,,\n', r"short\.csv:2: expected at least 2 values for series 'Y1', "
         r"got 1"),
        ("word.csv", '"Y1",1,x,3\n', r"word\.csv:2: column 'V3' is not a number: 'x'"),
        ("noid.csv", ',1,2,3\n', r"noid\.csv:2: the series id \(V1\) is empty"),
    ]:
        with pytest.raises(DataError, match=message):
            read_m4_csv(write(tmp_path, name, header + rows))


def test_csv_steps_of_minutes_and_steps_of_no_name_keep_their_gaps(tmp_path):
    # Before, a step of no named frequency left a missing row out without a
    # word: every later value a step early.
    def stamps(minutes, count, skip=()):
        start = datetime.datetime(2020, 1, 1)
        return [start + datetime.timedelta(minutes=minutes * i) for i in range(count)
                if i not in skip]

    def written(name, times):
        text = "time,load\n" + "".join(f"{t:%Y-%m-%d %H:%M:%S},{i}\n" for i, t in enumerate(times))
        return write(tmp_path, name, text)

    ten = read_timestamp_csv(written("ten.csv", stamps(10, 50, skip=(20,))))
    assert ten.frequency == "10_minutes" and len(ten.values[0]) == 50
    np.testing.assert_array_equal(ten.values[0][19:22], [19, np.nan, 20])
    two = read_timestamp_csv(written("two.csv", stamps(2, 50, skip=(20, 21))))
    assert two.frequency is None and len(two.values[0]) == 50
    np.testing.assert_array_equal(two.values[0][19:23], [19, np.nan, np.nan, 20])
    # Timestamps off any one grid (events; months two apart are 59-62 days) as they come.
    months = [datetime.datetime(2020, m, 1) for m in (1, 3, 5, 7, 9, 11)]
    events = [datetime.datetime(2020, 1, 1) + datetime.timedelta(hours=h) for h in (0, 2, 5, 7)]
    for name, times in (("months.csv", months), ("events.csv", events)):
        collection = read_timestamp_csv(written(name, times))
        assert collection.frequency is None and len(collection.values[0]) == len(times)


def test_csv_timestamps_with_utc_offsets_are_read_in_utc(tmp_path):
    # As pandas writes a time-zone-aware index, unnamed: half-hourly in UTC.
    text = (",solar_gen\n2021-05-01 00:00:00+00:00,0.0\n2021-05-01 00:30:00+00:00,0.0\n"
            "2021-05-01 01:00:00.000+00:00,1.5\n")
    solar = read_timestamp_csv(write(tmp_path, "solar.csv", text))
    assert solar.names == ["solar_gen"] and solar.frequency == "half_hourly"
    assert solar.starts == [datetime.datetime(2021, 5, 1)]
    # Local times across a daylight-saving change: hourly steps in UTC.
    text = ("time,load\n2021-03-28T00:00:00+01:00,1\n2021-03-28T01:00:00+01:00,2\n"
            "2021-03-28T03:00:00+02:00,3\n2021-03-28T04:00:00+02:00,4\n")
    load = read_timestamp_csv(write(tmp_path, "load.csv", text))
    assert load.frequency == "hourly" and load.starts == [datetime.datetime(2021, 3, 27, 23)]
    # BigQuery's exports: `UTC` after the time.
    bigquery = "ts,v\n2021-05-01 00:00:00 UTC,1\n2021-05-01 01:00:00 UTC,2\n"
    assert read_timestamp_csv(write(tmp_path, "bq.csv", bigquery)).frequency == "hourly"
    # A row number is no timestamp (`strptime` reads "1" as the year 1).
    assert is_timestamp("1987") and not is_timestamp("1") and not is_timestamp("12-1")
    with pytest.raises(DataError, match=r"bad\.csv:3: column 'time': '2021-03-28T01:00\+1' "
                                        r"is not a timestamp; expected .*UTC offset"):
        read_timestamp_csv(write(tmp_path, "bad.csv", text.replace("01:00:00+01:00", "01:00+1")))


def test_csv_long_groups_rows_by_id_in_first_seen_order(tmp_path):
    text = (
        "unique_id,DS,y,extra\nb,2020-01-01 00:00,1,x\na,2020-01-01T00:00:00,5,x\n"
        "b,2020-01-01 01:00,2,x\na,2020-01-01 01:00:00,6,x\nb,2020-01-01 02:00:00,3,x\n"
    )
    collection = read_timestamp_csv(write(tmp_path, "long.csv", text))
    assert collection.names == ["b", "a"]
    assert collection.starts == [day(2020, 1, 1)] * 2
    assert [v.tolist() for v in collection.values] == [[1, 2, 3], [5, 6]]
    assert collection.frequency == "hourly"
    target = read_timestamp_csv(
        write(tmp_path, "long2.csv", "series,date,other\ns,2020/01/01,1\ns,2020/01/08,2\n"),
        value_column="other",
    )
    assert target.names == ["s"] and target.frequency == "weekly"


def test_csv_long_series_told_apart_by_several_columns(tmp_path):
    # As Kaggle's store-item demand (`date,store,item,sales`) and Darts'
    # `group_cols`: each series named by its ids' values, joined by `/`.
    rows = [("2013-01-01", 1, 1, 13), ("2013-01-01", 1, 2, 14), ("2013-01-01", 2, 1, 23),
            ("2013-01-02", 1, 1, 11), ("2013-01-02", 1, 2, 15), ("2013-01-02", 2, 1, 22)]
    text = "date,store,item,sales\n" + "".join(",".join(map(str, r)) + "\n" for r in rows)
    path = write(tmp_path, "demand.csv", text)
    demand = read_timestamp_csv(path, value_column="sales", id_column="store, item")
    assert demand.names == ["1/1", "1/2", "2/1"] and demand.frequency == "daily"
    assert [v.tolist() for v in demand.values] == [[13, 11], [14, 15], [23, 22]]
    # One of them alone repeats its times; a column not in the file is named.
    with pytest.raises(DataError, match=r"demand\.csv:3: timestamp 2013-01-01 00:00:00 repeats"):
        read_timestamp_csv(path, value_column="sales", id_column="store")
    with pytest.raises(DataError, match=r"demand\.csv:1: no column 'shop'; the columns are"):
        read_timestamp_csv(path, value_column="sales", id_column="shop,item")
    with pytest.raises(DataError, match=r"demand\.csv:1: a column named twice in the series id"):
        read_timestamp_csv(path, value_column="sales", id_column="item,item")
    # Without timestamps too, the value the one column left.
    text = "store,item,sales\n1,1,3\n1,1,4\n1,2,5\n1,2,6\n"
    untimed = read_timestamp_csv(write(tmp_path, "u.csv", text), id_column="store,item")
    assert untimed.names == ["1/1", "1/2"] and untimed.starts == [None, None]


def test_csv_missing_values_and_gaps_are_nan_on_the_frequency_grid(tmp_path):
    # A wide file: `a` ends a row early, `b` starts a row late, `NA` and NaN
    # inside; the empty cells around a series are not part of it.
    rows = ["2020-01-06,1,", "2020-01-07,NA,5", "2020-01-08,3,6", "2020-01-09,4,7",
            "2020-01-10,5,NaN", "2020-01-11,6,9", "2020-01-12,,10"]
    wide = read_timestamp_csv(write(tmp_path, "wide.csv", "date,a,b\n" + "\n".join(rows)))
    assert wide.frequency == "daily"
    assert wide.starts == [day(2020, 1, 6), day(2020, 1, 7)]
    np.testing.assert_array_equal(wide.values[0], [1, np.nan, 3, 4, 5, 6])
    np.testing.assert_array_equal(wide.values[1], [5, 6, 7, np.nan, 9, 10])
    # Missing as Excel (`#N/A`), the World Bank (`..`), Eurostat (`:`), the UCI
    # archive (`?`) and databases (`null`) write it.
    for marker in ("#N/A", "..", ":", "?", "null", "None", "n/a", "-"):
        text = f"date,a\n2020-01-06,1\n2020-01-07,{marker}\n2020-01-08,3\n"
        marked = read_timestamp_csv(write(tmp_path, "marked.csv", text))
        np.testing.assert_array_equal(marked.values[0], [1, np.nan, 3], err_msg=marker)
    # A missing month is a missing value at its place: later values keep their months.
    text = "month,v\n2020-01,1\n2020-02,2\n2020-04,4\n2020-05,5\n2020-06,6\n2020-07,7\n"
    monthly = read_timestamp_csv(write(tmp_path, "gap.csv", text))
    np.testing.assert_array_equal(monthly.values[0], [1, 2, np.nan, 4, 5, 6, 7])
    # Trading days: the weekend is no gap, the holiday (Monday 2020-01-20) is.
    stamps = [f"2020-01-{k:02d}" for k in (13, 14, 15, 16, 17, 21, 22, 23, 24, 27)]
    text = "date,close\n" + "".join(f"{s},{k}\n" for k, s in enumerate(stamps))
    trading = read_timestamp_csv(write(tmp_path, "trading.csv", text))
    assert trading.frequency == "business_daily"
    np.testing.assert_array_equal(trading.values[0], [0, 1, 2, 3, 4, np.nan, 5, 6, 7, 8, 9])


def test_steps_between_counts_calendar_steps():
    assert steps_between(day(2020, 1, 1), day(2020, 1, 3, 12), "hourly") == 60
    assert steps_between(day(2020, 1, 1), day(2020, 1, 1, 0, 30), "hourly") is None
    assert steps_between(day(2020, 1, 31), day(2020, 4, 30), "monthly") == 3
    assert steps_between(day(2020, 1, 31), day(2020, 4, 15), "monthly") is None
    assert steps_between(day(2019, 3, 31), day(2020, 3, 31), "quarterly") == 4
    assert steps_between(day(2019, 3, 31), day(2020, 2, 29), "quarterly") is None
    assert steps_between(day(1821, 1, 1), day(1934, 1, 1), "yearly") == 113
    # Friday to the Monday after next: six business days.
    assert steps_between(day(2020, 1, 10), day(2020, 1, 20), "business_daily") == 6
    assert steps_between(day(2020, 1, 10), day(2020, 1, 11), "business_daily") is None
    assert steps_between(day(2020, 1, 1), day(2020, 1, 2), None) is None


def test_csv_quarters_as_pandas_and_r_write_them(tmp_path):
    for stamps in (("1959Q1", "1959Q2", "1959Q3"), ("1959 Q1", "1959 Q2", "1959 Q3"),
                   ("1959-q1", "1959-q2", "1959-q3")):
        text = "quarter,gdp\n" + "".join(f"{s},{k}\n" for k, s in enumerate(stamps))
        collection = read_timestamp_csv(write(tmp_path, "q.csv", text))
        assert collection.frequency == "quarterly" and collection.starts == [day(1959, 1, 1)]
    assert not is_timestamp("1959Q5") and not is_timestamp("59Q1")


def test_csv_weeks_as_iso_8601_and_r_tsibble_write_them(tmp_path):
    # tsibble's `yearweek` ("1991 W06", fpp3's us_gasoline) and ISO 8601's
    # "1991-W06": the week's Monday.
    for stamps in (("1991 W06", "1991 W07", "1991 W08"), ("1991-W06", "1991-W07", "1991-W08")):
        text = "Week,Barrels\n" + "".join(f"{s},{k}\n" for k, s in enumerate(stamps))
        collection = read_timestamp_csv(write(tmp_path, "w.csv", text))
        assert collection.frequency == "weekly" and collection.starts == [day(1991, 2, 4)]
    assert parse_timestamp("2020 W53") == day(2020, 12, 28)
    assert not is_timestamp("1991 W53") and not is_timestamp("1991 W00")


def test_r_time_frequency_of_a_ts_time_column():
    # R's `time(x)`: year plus the share of it passed, 15 digits as R writes
    # them, as pandas writes floats, or rounded to four places.
    monthly = ["1949", "1949.08333333333", "1949.16666666667", "1949.25"]
    assert r_time_frequency(monthly) == 12
    assert r_time_frequency(["1949.0", "1949.0833333333333", "1949.1666666666667"]) == 12
    assert r_time_frequency(["1991.5", "1991.5833", "1991.6667", "1991.75"]) == 12
    assert r_time_frequency(["1960", "1960.25", "1960.5", "1960.75", "1961"]) == 4
    assert r_time_frequency(["1.42857142857143", "1.57142857142857", "1.71428571428571"]) == 7
    assert r_time_frequency(["1", "2", "3"]) == 1  # a ts counted from 1
    # R's weekly ts (365.25 / 7 a year; fpp2's gasoline), to two places.
    weekly = [f"{1991.1 + k * 7 / 365.25:.6f}" for k in range(20)]
    assert r_time_frequency(weekly) == 52.18
    # Dates only of a calendar frequency from a whole step of a year on.
    assert r_calendar(["1949", "1949.0833", "1949.1667"])
    assert r_calendar(["1960.5", "1960.75", "1961"])
    for texts in (["1949.04", "1949.1233", "1949.2066"], ["1.1429", "1.2857", "1.4286"],
                  ["1", "2", "3"], weekly):
        assert not r_calendar(texts), texts
    # No ts times: bare years (timestamps already), an uneven step, a step of
    # more than a year, text, one time.
    for texts in (["1871", "1872", "1873"], ["1949", "1949.0833", "1949.5"],
                  ["1950", "1952", "1954.5"], ["1949", "1949 Feb"], ["1949.5"]):
        assert r_time_frequency(texts) is None, texts


def test_csv_dates_with_the_month_named(tmp_path):
    # As spreadsheets, R (tsibble's `2000 Jan`), vega_datasets' stocks and statsmodels'
    # elec_equip write them.
    for stamps in (("Jan 1 2000", "Feb 1 2000"), ("1 January 2000", "1 February 2000"),
                   ("01-Jan-2000", "01-Feb-2000"), ("Jan 2000", "Feb 2000"),
                   ("January 1, 2000", "February 1, 2000"), ("Jan-1-2000", "Feb-1-2000"),
                   ("2000 Jan", "2000 Feb"), ("2000 January", "2000 February")):
        text = "date,price\n" + "".join(f'"{s}",{k}\n' for k, s in enumerate(stamps))
        collection = read_timestamp_csv(write(tmp_path, "m.csv", text))
        assert collection.starts == [day(2000, 1, 1)] and collection.frequency == "monthly"
    # Excel's `mmm-yy` and `dd-mmm-yy` cells: the two-digit year as Excel reads
    # it, 00-29 in the 2000s, 30-99 in the 1900s (Brownlee's copy of the
    # champagne sales, saved from Excel: `Jan-64`).
    text = "Month,Sales\n" + "".join(f"{m}-{y},{k}\n" for k, (m, y) in enumerate(
        [("Nov", 99), ("Dec", 99), ("Jan", "00"), ("Feb", "00")]))
    excel = read_timestamp_csv(write(tmp_path, "e.csv", text))
    assert excel.frequency == "monthly" and excel.starts == [day(1999, 11, 1)]
    assert [parse_timestamp(t) for t in ("Jan-29", "Jan-30", "31-Jan-64", "1-Mar-05")] == [
        day(2029, 1, 1), day(1930, 1, 1), day(1964, 1, 31), day(2005, 3, 1)]
    # Other two-digit years read two ways; a word or a number alone is no date.
    for text in ("Jan 1 00", "Jan 49", "49-Jan", "Foo-49", "MSFT", "Mar", "12", "1 Jan"):
        assert not is_timestamp(text), text


def test_csv_dates_of_numbers_day_or_month_first(tmp_path):
    # As spreadsheets write dates in the US (month first) and much of the
    # world (day first, `/`, `-` or `.`): the column's numbers over 12 tell
    # which, else the one that stays the same is the day.
    def read(stamps, header="date,v"):
        text = header + "\n" + "".join(f"{s},{k}\n" for k, s in enumerate(stamps))
        return read_timestamp_csv(write(tmp_path, "d.csv", text))

    us = read(["1/30/2019", "1/31/2019", "2/1/2019", "2/2/2019"])
    assert us.frequency == "daily" and us.starts == [day(2019, 1, 30)]
    for separator in "/.-":
        world = read([f"30{separator}01{separator}2019", f"31{separator}01{separator}2019",
                      f"01{separator}02{separator}2019"])
        assert world.frequency == "daily" and world.starts == [day(2019, 1, 30)], separator
    # Every number 12 or less: monthly on the 1st, day first and month first.
    monthly = read([f"01/{m:02d}/2019" for m in range(1, 13)] + ["01/01/2020"])
    assert monthly.frequency == "monthly" and monthly.starts == [day(2019, 1, 1)]
    quarterly = read(["1/1/2019", "4/1/2019", "7/1/2019", "10/1/2019"])
    assert quarterly.frequency == "quarterly" and quarterly.starts == [day(2019, 1, 1)]
    dotted = read(["01.03.2019", "01.04.2019", "01.05.2019"])  # points: day first
    assert dotted.frequency == "monthly" and dotted.starts == [day(2019, 3, 1)]
    hours = read(["3/31/2019 22:00", "3/31/2019 23:00", "4/1/2019 00:00"])
    assert hours.frequency == "hourly" and hours.starts == [day(2019, 3, 31, 22)]
    # Twelve hours twice a day, as US spreadsheets and data portals write them.
    halves = read(["3/31/2019 11:00:00 PM", "4/1/2019 12:00:00 AM", "4/1/2019 1:00:00 AM"])
    assert halves.frequency == "hourly" and halves.starts == [day(2019, 3, 31, 23)]
    assert [parse_timestamp(f"1/1/2019 {t}") for t in ("12:30 PM", "1:05 pm", "13:00 PM")] == [
        day(2019, 1, 1, 12, 30), day(2019, 1, 1, 13, 5), None]
    # A long file's time column too.
    long_text = "id,date,value\n" + "".join(
        f"{i},{d},{k}\n" for k, (i, d) in enumerate(
            [("A", "1/30/2019"), ("A", "1/31/2019"), ("B", "2/1/2019"), ("B", "2/2/2019")]))
    long = read_timestamp_csv(write(tmp_path, "long.csv", long_text))
    assert long.names == ["A", "B"] and long.starts == [day(2019, 1, 30), day(2019, 2, 1)]
    # Months and quarters as Eurostat, the IMF and others write them.
    for stamps, frequency in ((("2019M01", "2019M02"), "monthly"), (("2019M11", "2019M12"),
                               "monthly"), (("01/2019", "02/2019"), "monthly"),
                              (("2019/01", "2019/02"), "monthly"),
                              (("189512", "189601"), "monthly"),
                              (("Q1 2019", "Q2 2019"), "quarterly")):
        collection = read(stamps)
        assert collection.frequency == frequency, stamps
    # Both orders at once, or either as likely: refused, naming the lines.
    with pytest.raises(DataError, match=r"d\.csv:3: column 'date': dates read day first at "
                       r"line 2 and month first at line 3"):
        read(["13/01/2019", "01/14/2019"])
    with pytest.raises(DataError, match=r"d\.csv:2: column 'date': '01/02/2019' and the other "
                       r"dates read as well day first as month first; write them YYYY-MM-DD"):
        read(["01/02/2019", "02/03/2019", "03/04/2019"])
    for text in ("13/13/2019", "2/30/2019", "1/31/2019 25:00", "2019.01", "1.5", "1-01",
                 "1/31/195", "170001", "201913", "100001"):
        assert not is_timestamp(text), text
    # The year in two digits as Excel reads it (00-29: 2000s; 30-99: 1900s).
    short = read(["12/30/99", "12/31/99", "1/1/00", "1/2/00"])
    assert short.frequency == "daily" and short.starts == [day(1999, 12, 30)]
    assert parse_timestamp("31.01.64") == day(1964, 1, 31)


def test_csv_dates_beside_a_column_of_the_time_of_day(tmp_path):
    # The UCI archive's household power (`Date;Time;...`, day first, `?`
    # missing) and power grids' hours, 0-23 or 1-24 (the hour ending).
    text = "Date;Time;Power;Voltage\n" + "".join(
        f"16/12/2006;{h}:{m:02d}:00;{'?' if m == 1 else m};{h}\n" for h in (22, 23)
        for m in range(3)
    ) + "17/12/2006;00:00:00;9;0\n"
    collection = read_timestamp_csv(write(tmp_path, "household.txt", text))
    assert collection.names == ["Power", "Voltage"]
    assert collection.starts[0] == day(2006, 12, 16, 22)
    # Minutes 0-2 of two hours: the hour between is missing, on a grid of minutes.
    assert len(collection.values[0]) == 2 * 60 + 1
    np.testing.assert_array_equal(collection.values[0][:3], [0, np.nan, 2])
    assert collection.values[0][-1] == 9
    for hours, first in ((range(1, 25), 0), (range(0, 24), 0), (range(3, 9), 3)):
        text = "date,hour,load\n" + "".join(f"2020-03-0{d},{h},{h}\n" for d in (1, 2)
                                              for h in hours)
        hourly = read_timestamp_csv(write(tmp_path, "grid.csv", text))
        assert hourly.names == ["load"] and hourly.starts == [day(2020, 3, 1, first)], hours
        assert hourly.frequency == "hourly"
    text = "id,date,time,value\n" + "".join(f"A,2020-03-01,0{h}:30,{h}\n" for h in range(4))
    long = read_timestamp_csv(write(tmp_path, "long.csv", text))
    assert long.starts == [day(2020, 3, 1, 0, 30)] and long.frequency == "hourly"
    # A duration is no time of day: a series, refused as no number.
    with pytest.raises(DataError, match=r"column 'duration' is not a number: '1:05'"):
        read_timestamp_csv(write(tmp_path, "log.csv", "date,duration,steps\n2020-03-01,1:05,9\n"
                                 "2020-03-02,0:45,7\n"))
    with pytest.raises(DataError, match=r"grid\.csv:3: column 'hour' gives the time of day "
                       r"beside the dates, but '25' is none \(expected 0-23"):
        read_timestamp_csv(write(tmp_path, "grid.csv", "date,hour,v\n2020-03-01,1,1\n"
                                 "2020-03-01,25,2\n"))
    with pytest.raises(DataError, match=r"column 'hour' is \(part of\) the timestamp"):
        read_timestamp_csv(write(tmp_path, "grid.csv", "date,hour,v\n2020-03-01,1,1\n"),
                           value_column="hour")


def test_csv_newest_first_is_read_reversed(tmp_path):
    # As many financial downloads come; before, "timestamps must increase".
    text = "Date,Price\n" + "".join(f"\"Jan {d}, 2020\",{d}\n" for d in (31, 30, 29, 27))
    collection = read_timestamp_csv(write(tmp_path, "prices.csv", text))
    assert collection.starts == [day(2020, 1, 27)] and collection.frequency == "daily"
    np.testing.assert_array_equal(collection.values[0], [27, np.nan, 29, 30, 31])
    long = "id,date,value\n" + "".join(f"{i},2020-01-0{d},{d}\n" for i, days in
                                        (("a", (3, 2, 1)), ("b", (1, 2, 3))) for d in days)
    collection = read_timestamp_csv(write(tmp_path, "long.csv", long))
    for values in collection.values:
        np.testing.assert_array_equal(values, [1, 2, 3])


def test_csv_rows_out_of_time_order_are_sorted_with_a_warning(tmp_path, caplog):
    # Kaggle's PJM hourly loads come in blocks out of order; pandas-based tools sort.
    text = "date,v\n2020-01-03,3\n2020-01-04,4\n2020-01-01,1\n2020-01-02,2\n"
    with caplog.at_level("WARNING", logger="rnn_keras"):
        collection = read_timestamp_csv(write(tmp_path, "blocks.csv", text))
    assert collection.starts == [day(2020, 1, 1)]
    np.testing.assert_array_equal(collection.values[0], [1, 2, 3, 4])
    assert "blocks.csv: series 'v': its rows are not in time order (line 4, 2020-01-01 00:00:00, " \
           "comes after 2020-01-04 00:00:00): read sorted by time" in caplog.text
    long = "id,date,value\na,2020-01-02,2\nb,2020-01-01,1\na,2020-01-01,1\na,2020-01-03,3\n" \
           "b,2020-01-02,2\n"
    collection = read_timestamp_csv(write(tmp_path, "long.csv", long))
    assert collection.names == ["a", "b"]
    np.testing.assert_array_equal(collection.values[0], [1, 2, 3])


def test_csv_local_times_where_daylight_saving_time_ends(tmp_path, caplog):
    # PJM's hourly loads in local time: 01:00 twice on the first Sunday of November
    # 2002 (US), 02:00 skipped on the first Sunday of April. The repeat reads as the
    # mean of its two values, the skipped hour as missing.
    hours = [f"2002-11-03 0{hour}:00,{10 * hour}" for hour in range(5)]
    hours.insert(2, "2002-11-03 01:00,30")
    spring = [f"2003-04-06 0{hour}:00,{hour}" for hour in (0, 1, 3, 4)]
    text = "Datetime,PJME_MW\n" + "\n".join(hours) + "\n"
    with caplog.at_level("WARNING", logger="rnn_keras"):
        collection = read_timestamp_csv(write(tmp_path, "pjm.csv", text))
    np.testing.assert_array_equal(collection.values[0], [0, 20, 20, 30, 40])
    assert collection.frequency == "hourly"
    assert "pjm.csv: series 'PJME_MW': 1 local time(s) repeat where daylight saving time ends " \
           "(2002-11-03 01:00:00, lines 3 and 4, the first): each read as the mean" in caplog.text
    spring_file = write(tmp_path, "spring.csv", "Datetime,MW\n" + "\n".join(spring) + "\n")
    assert np.isnan(read_timestamp_csv(spring_file).values[0][2])
    # Newest first, with the repeat: reversed, as before.
    newest = "Datetime,MW\n" + "\n".join(reversed(hours)) + "\n"
    np.testing.assert_array_equal(
        read_timestamp_csv(write(tmp_path, "newest.csv", newest)).values[0], [0, 20, 20, 30, 40])
    # Repeats that no clock explains stay errors: a day a row, three times, two hours
    # apart in a year.
    refused = {
        "daily.csv": "date,v\n2002-11-02,1\n2002-11-03,2\n2002-11-03,3\n",
        "thrice.csv": "t,v\n2002-11-03 01:00,1\n2002-11-03 01:00,2\n2002-11-03 01:00,3\n",
        "apart.csv": "t,v\n2002-11-03 01:00,1\n2002-11-03 01:00,2\n2002-11-03 03:00,3\n"
                     "2002-11-03 03:00,4\n",
    }
    for name, text in refused.items():
        pattern = rf"{name.replace('.', '[.]')}:\d+: timestamp .* repeats"
        with pytest.raises(DataError, match=pattern):
            read_timestamp_csv(write(tmp_path, name, text))


def test_csv_long_series_disagreeing_on_frequency(tmp_path):
    text = "id,date,value\na,2020-01-01,1\na,2020-01-02,2\nb,2020-01-01,1\nb,2020-02-01,2\n"
    assert read_timestamp_csv(write(tmp_path, "mix.csv", text)).frequency is None


@pytest.mark.parametrize(
    "name, text, message",
    [
        (
            "stamp.csv", "date,v\n2020-01-01,1\n2020-01-32,2\n",
            r"stamp\.csv:3: column 'date': '2020-01-32' is not a timestamp; expected YYYY",
        ),
        (
            "repeat.csv", "date,v\n2020-01-01,1\n2020-01-02,2\n2020-01-02,3\n",
            r"repeat\.csv:4: timestamp 2020-01-02 00:00:00 repeats .* \(line 3\) in series 'v'; "
            r"timestamps must increase \(or all decrease\)\. Rows of several series at each "
            r"time make a long file: name the columns that tell the series apart \(--id-column "
            r"NAME, or NAME,NAME\) and the value column \(--column NAME\)$",
        ),
        # A time that repeats on a Saturday is no clock going back (`_daylight_saving_repeats`).
        (
            "autumn.csv",
            "time,load\n2021-10-30 01:00,1\n2021-10-30 02:00,2\n2021-10-30 02:00,3\n",
            r"autumn\.csv:4: timestamp 2021-10-30 02:00:00 repeats .*; timestamps must increase "
            r"\(or all decrease\) \(local times repeat an hour where daylight saving time ends: "
            r"write them in UTC",
        ),
        # Out of order and repeated: the first out of order named, as before.
        (
            "order.csv", "date,v\n2020-01-02,1\n2020-01-01,2\n2020-01-02,3\n",
            r"order\.csv:3: timestamp 2020-01-01 00:00:00 comes before",
        ),
        (
            "number.csv", "date,v\n2020-01-01,1\n2020-01-02,many\n",
            r"number\.csv:3: column 'v' is not a number: 'many'",
        ),
        # A long file whose columns are not named as one: the names that make it long.
        (
            "store.csv", "date,store,sales\n2020-01-01,A,1\n2020-01-01,B,2\n",
            r"store\.csv:2: column 'store' is not a number: 'A'\. A wide file holds a series per "
            r"column \(name the one to forecast: --column NAME\); a long one .* the series id "
            r"one of series, series_id, id, unique_id",
        ),
        # Empty cells around a series are not part of it.
        (
            "empty.csv", "date,v\n2020-01-01,1\n2020-01-02,\n",
            r"empty\.csv:2: expected at least 2 values for series 'v', got 1",
        ),
        (
            "between.csv",
            "date,v\n2020-01-01,1\n2020-02-01,2\n2020-03-01,3\n2020-03-15,3\n2020-04-01,4\n",
            r"between\.csv:5: timestamp 2020-03-15 00:00:00 of series 'v' is not a whole number "
            r"of monthly steps after its first, 2020-01-01 00:00:00 \(line 2\)",
        ),
        (
            "fields.csv", "date,v\n2020-01-01,1\n2020-01-02,2,3\n",
            r"fields\.csv:3: expected 2 fields as in the header, got 3",
        ),
        (
            "one.csv", "date,v\n2020-01-01,1\n",
            r"one\.csv:2: expected at least 2 data rows for series 'v', got 1",
        ),
        (
            "none.csv", "date,v\n",
            r"none\.csv:1: expected at least 2 data rows for series 'v', got 0",
        ),
        (
            "long_one.csv", "id,date,value\na,2020-01-01,1\na,2020-01-02,2\nb,2020-01-01,1\n",
            r"long_one\.csv:4: expected at least 2 data rows for series 'b', got 1",
        ),
        (
            "long_none.csv", "id,date,value\n",
            r"long_none\.csv:1: expected at least 2 data rows, got 0",
        ),
        (
            "single.csv", "date\n2020-01-01\n",
            r"single\.csv:1: expected a timestamp column and at least one series column",
        ),
    ],
)
def test_csv_errors_name_file_and_line(tmp_path, name, text, message):
    with pytest.raises(DataError, match=message):
        read_timestamp_csv(write(tmp_path, name, text))


# === Frequencies ===


def every(start, step, count):
    return [start + step * index for index in range(count)]


@pytest.mark.parametrize(
    "timestamps, frequency",
    [
        (every(day(2020, 1, 1), datetime.timedelta(minutes=30), 5), "half_hourly"),
        (every(day(2020, 3, 28, 22), datetime.timedelta(hours=1), 6), "hourly"),
        (every(day(2020, 2, 27), datetime.timedelta(days=1), 5), "daily"),
        (every(day(2020, 1, 6), datetime.timedelta(weeks=1), 5), "weekly"),
        ([day(2021, 1, 31), day(2021, 2, 28), day(2021, 3, 31), day(2021, 4, 30)], "monthly"),
        ([day(2020, 1, 31), day(2020, 2, 29), day(2020, 3, 31)], "monthly"),
        ([day(2020, 11, 15), day(2020, 12, 15), day(2021, 1, 15)], "monthly"),
        ([day(2020, 1, 1), day(2020, 4, 1), day(2020, 7, 1), day(2020, 10, 1)], "quarterly"),
        ([day(2019, 3, 31), day(2019, 6, 30), day(2019, 9, 30), day(2019, 12, 31)], "quarterly"),
        ([day(1821, 1, 1), day(1822, 1, 1), day(1823, 1, 1)], "yearly"),
        ([day(2019, 2, 28), day(2020, 2, 29), day(2021, 2, 28)], "yearly"),
        # A gap (a missing day) leaves the most common step daily.
        ([day(2020, 1, k) for k in (1, 2, 3, 5, 6)], "daily"),
        # Trading days: Monday to Friday, the weekends skipped (and a holiday).
        ([day(2020, 1, k) for k in (2, 3, 6, 7, 8, 9, 10, 13, 14)], "business_daily"),
        ([day(2020, 1, k) for k in (6, 7, 8, 9, 10, 14, 15)], "business_daily"),
        # Weekdays within one week: nothing says weekends are skipped.
        ([day(2020, 1, k) for k in (6, 7, 8, 9, 10)], "daily"),
        ([day(2020, 1, 1), day(2020, 1, 3), day(2020, 1, 8), day(2020, 1, 20)], None),
        ([day(2020, 1, 1), day(2020, 1, 2), day(2020, 1, 4)], None),  # a tie: one day, two days
        # About a month, not a calendar month.
        ([day(2020, 1, 15), day(2020, 2, 16), day(2020, 3, 17)], None),
        (every(day(2020, 1, 1), datetime.timedelta(days=2), 5), None),
        ([day(2020, 1, 1)], None),
        ([], None),
    ],
)
def test_infer_frequency(timestamps, frequency):
    assert infer_frequency(timestamps) == frequency


def test_seasonal_periods_and_default_horizon():
    assert seasonal_periods("hourly") == (24, 168)
    assert seasonal_periods("half_hourly") == (48, 336)
    assert seasonal_periods("daily") == (7, 365)
    assert seasonal_periods("weekly") == (52,)
    assert seasonal_periods("Monthly") == (12,)
    assert seasonal_periods("quarterly") == (4,)
    assert seasonal_periods("yearly") == ()
    assert seasonal_periods("10_minutes") == (144, 1008)  # a day, a week
    assert seasonal_periods("4_seconds") == () and seasonal_periods(None) == ()
    assert seasonal_periods("business_daily") == (5, 261)
    names = (
        "yearly", "quarterly", "monthly", "weekly", "daily", "business_daily", "hourly",
        "half_hourly", "15_minutes", "10_minutes", "5_minutes",
    )
    assert set(SEASONAL_PERIODS) == set(names)
    horizons = {name: default_horizon(name) for name in names}
    assert horizons == {
        "yearly": 6, "quarterly": 8, "monthly": 18, "weekly": 13, "daily": 14,
        "business_daily": 10, "hourly": 48, "half_hourly": 96,
        # Two days of steps, as half-hourly.
        "15_minutes": 192, "10_minutes": 288, "5_minutes": 576,
    }
    assert default_horizon("half-hourly") == 96
    assert default_horizon("4_seconds") is None and default_horizon(None) is None


def test_series_collection_checks_lengths():
    collection = SeriesCollection(names=["a"], starts=[None], values=[np.zeros(2)])
    assert collection.attributes == [{}] and collection.frequency is None
    with pytest.raises(ValueError, match="argument `starts`. Expected 1 entries"):
        SeriesCollection(names=["a"], starts=[], values=[np.zeros(2)])


# === The shared datasets ===


@pytest.fixture
def datasets():
    """`../shared/datasets`; skips the test when the folder is absent."""
    if not DATASETS.is_dir():
        pytest.skip(f"shared datasets not found at {DATASETS}")
    return DATASETS


def test_japanese_vowels(datasets):
    series, labels = read_ts(str(datasets / "japanese_vowels" / "JapaneseVowels_TRAIN.ts"))
    assert len(series) == len(labels) == 270
    assert {s.shape[1] for s in series} == {12}
    lengths = [s.shape[0] for s in series]
    assert min(lengths) == 7 and max(lengths) <= 29 and len(set(lengths)) > 1
    assert sorted(set(labels)) == [str(k) for k in range(1, 10)]


def test_basic_motions(datasets):
    series, labels = read_ts(str(datasets / "basic_motions" / "BasicMotions_TRAIN.ts"))
    assert len(series) == 40 and {s.shape for s in series} == {(100, 6)}
    assert set(labels) == {"Standing", "Running", "Walking", "Badminton"}


def test_osuleaf_ts_matches_the_tsv(datasets):
    series, labels = read_ts(str(datasets / "osuleaf" / "OSULeaf_TRAIN.ts"))
    assert len(series) == 200 and {s.shape for s in series} == {(427, 1)}
    values, tsv_labels = read_ucr_tsv(str(datasets / "osuleaf" / "train.tsv"))
    np.testing.assert_allclose(
        np.stack([s[:, 0] for s in series]), np.asarray(values, dtype=np.float32), rtol=1e-6
    )
    assert labels == tsv_labels


def test_m1_yearly(datasets):
    collection = read_tsf(str(datasets / "m1_yearly" / "m1_yearly_dataset.tsf"))
    assert len(collection) == 181
    assert collection.frequency == "yearly" and collection.horizon == 6
    assert collection.names[0] == "T1" and collection.starts[0] == day(1972, 1, 1)
    assert collection.values[0][:3].tolist() == [3600, 7700, 12300]
    assert all(15 <= len(v) <= 58 for v in collection.values)


@pytest.mark.parametrize(
    "relative, name, length, start, frequency",
    [
        ("shampoo/ShampooSales.csv", "Sales", 36, day(1991, 1, 1), "monthly"),
        ("lynx/Lynx.csv", "0", 114, day(1821, 1, 1), "yearly"),
        ("airline/airline-passengers.csv", "Passengers", 144, day(1949, 1, 1), "monthly"),
    ],
)
def test_forecasting_csvs(datasets, relative, name, length, start, frequency):
    collection = read_timestamp_csv(str(datasets / relative))
    assert collection.names == [name] and len(collection.values[0]) == length
    assert collection.starts == [start] and collection.frequency == frequency
    assert np.isfinite(collection.values[0]).all()
