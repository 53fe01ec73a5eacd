"""Plain-format readers: contents, and errors that name the file and line."""

import gzip
import os

import numpy as np
import pytest

from rnn_keras.data import DataError
from rnn_keras.data import read_classification_tsv
from rnn_keras.data import read_conll
from rnn_keras.data.readers import conll_line
from rnn_keras.data import read_csv_column
from rnn_keras.data import read_seq2seq_tsv
from rnn_keras.data import read_text
from rnn_keras.data import read_ucr_tsv
from rnn_keras.data import readers
from rnn_keras.tasks.forecast.series import read_series


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_classification_tsv(tmp_path):
    path = write(tmp_path, "a.tsv", "1\tgood film\n0\tbad , bad\tfilm\n")
    texts, labels = read_classification_tsv(path)
    # Everything after the first tab is the text: a second tab is kept, never dropped.
    assert labels == ["1", "0"] and texts == ["good film", "bad , bad\tfilm"]
    bad = write(tmp_path, "b.tsv", "1\tfine\n0 no tab here\n")
    with pytest.raises(DataError, match=r"b\.tsv:2: expected 'label<TAB>text'"):
        read_classification_tsv(bad)


def test_classification_files_under_a_header_naming_the_columns(tmp_path):
    # GLUE's SST-2 as it comes: `sentence<TAB>label`, the text first.
    glue = tmp_path / "train.tsv"
    glue.write_text("sentence\tlabel\nhide new secretions from the parental units \t0\n"
                    "that loves its characters \t1\n")
    assert read_classification_tsv(str(glue)) == (
        ["hide new secretions from the parental units ", "that loves its characters "],
        ["0", "1"])
    # The IMDB reviews' CSV (`review,sentiment`), commas and a line break quoted.
    imdb = tmp_path / "imdb.csv"
    imdb.write_text('review,sentiment\n"One of the best, truly.",positive\n\n'
                    '"A dull\nmess.",negative\n')
    assert read_classification_tsv(str(imdb)) == (
        ["One of the best, truly.", "A dull\nmess."], ["positive", "negative"])
    (tmp_path / "plain.csv").write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match=r"plain\.csv:1: a CSV of texts needs a header naming "
                       r"its label column \(label, .*\) and text column \(text, sentence"):
        read_classification_tsv(str(tmp_path / "plain.csv"))
    # Without the header, the texts read as labels: refused, not 2 texts of 2 classes.
    (tmp_path / "bare.tsv").write_text("".join(glue.read_text().splitlines(True)[1:]))
    with pytest.raises(DataError, match=r"bare\.tsv:1: the labels \(before the first tab\) "
                       r"read as texts, as 'hide new secretions from the parental units'"):
        read_classification_tsv(str(tmp_path / "bare.tsv"))
    with pytest.raises(DataError, match=r"short\.tsv:3: expected 2 fields separated by tabs"):
        read_classification_tsv(write(tmp_path, "short.tsv", "label\ttext\n1\tgood\nbad\n"))


def test_seq2seq_tsv_ignores_extra_columns(tmp_path):
    path = write(tmp_path, "p.tsv", "Go.\tVe.\tCC-BY\nHi.\tHola.\n")
    assert read_seq2seq_tsv(path) == [("Go.", "Ve."), ("Hi.", "Hola.")]
    with pytest.raises(DataError, match=r"q\.tsv:1:"):
        read_seq2seq_tsv(write(tmp_path, "q.tsv", "\tmissing source\n"))


def test_seq2seq_tsv_under_a_header_is_read_by_its_names(tmp_path):
    # The header is no pair: by role (the target first here), or by language.
    path = write(tmp_path, "h.tsv", "id\ttarget\tsource\n1\tVe.\tGo.\n2\tHola.\tHi.\n")
    assert read_seq2seq_tsv(path) == [("Go.", "Ve."), ("Hi.", "Hola.")]
    path = write(tmp_path, "l.tsv", "English\tSpanish\nGo.\tVe.\n")
    assert read_seq2seq_tsv(path) == [("Go.", "Ve.")]
    with pytest.raises(DataError, match=r"e\.tsv:3: expected 3 fields separated by tabs"):
        read_seq2seq_tsv(write(tmp_path, "e.tsv", "id\tsource\ttarget\n1\tGo.\tVe.\n2\tHi.\n"))
    # Words that name no columns are a pair.
    path = write(tmp_path, "w.tsv", "Text.\tTexto.\nen\ten\n")
    assert read_seq2seq_tsv(path) == [("Text.", "Texto."), ("en", "en")]


def test_conll_sentences_and_errors(tmp_path):
    path = write(tmp_path, "a.conll", "John\tB-PER\nruns\tO\n\n\nParis\tB-LOC\n")
    assert read_conll(path) == [(["John", "runs"], ["B-PER", "O"]), (["Paris"], ["B-LOC"])]
    bad = write(tmp_path, "b.conll", "John\tB-PER\nruns\tO\textra\n")
    with pytest.raises(DataError, match=r"b\.conll:2: expected 2 columns as on line 1, got 3"):
        read_conll(bad)
    alone = write(tmp_path, "c.conll", "John\nruns\n")
    with pytest.raises(DataError, match=r"c\.conll:1: expected a token and its tag in column"):
        read_conll(alone)
    with pytest.raises(DataError, match=r"a\.conll:1: expected a token and its tag in column 3"):
        read_conll(path, tag_column=3)


# The start of CoNLL-2003's English training file (eng.train), as distributed:
# space-separated `token POS chunk NER` columns, IOB1 tags, a -DOCSTART- line.
CONLL_2003 = """-DOCSTART- -X- -X- O

EU NNP B-NP I-ORG
rejects VBZ B-VP O
German JJ B-NP I-MISC
call NN I-NP O
to TO B-VP O
boycott VB I-VP O
British JJ B-NP I-MISC
lamb NN I-NP O
. . O O

Peter NNP B-NP I-PER
Blackburn NNP I-NP I-PER

-DOCSTART- -X- -X- O

BRUSSELS NNP B-NP I-LOC
1996-08-22 CD I-NP O
"""


def test_conll_2003_columns_and_document_starts(tmp_path):
    path = write(tmp_path, "eng.train", CONLL_2003)
    sentences = read_conll(path)
    assert [tokens for tokens, _ in sentences] == [
        ["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."],
        ["Peter", "Blackburn"],
        ["BRUSSELS", "1996-08-22"],
    ]
    assert sentences[0][1][:3] == ["I-ORG", "O", "I-MISC"]
    assert sentences[2][1] == ["I-LOC", "O"]
    # The part-of-speech column instead: the same file tags words by POS.
    assert read_conll(path, tag_column=2)[1][1] == ["NNP", "NNP"]
    # Errors and tokens are placed at their lines past the document starts.
    assert conll_line(path, 2, 1) == 19
    assert conll_line(path, 0, 0) == 3


def test_csv_rows_separated_otherwise(tmp_path):
    # Semicolons with decimal commas, as Excel writes in a German or French
    # locale; tabs; `|`. A header splitting as well on commas keeps them.
    cases = {
        "Monat;Umsatz;Kosten\n2020-01;1.234,5;-3,25\n\n2020-02;7;\"1,5\"\n":
            [["Monat", "Umsatz", "Kosten"], ["2020-01", "1234.5", "-3.25"],
             ["2020-02", "7", "1.5"]],
        "month\tsales\n2020-01\t3,5\n": [["month", "sales"], ["2020-01", "3.5"]],
        "month|sales\n2020-01|2.5\n": [["month", "sales"], ["2020-01", "2.5"]],
        "a;b,c\n1;2,3\n": [["a;b", "c"], ["1;2", "3"]],
        # A decimal comma in a comma file, quoted: the column shows it (`_decimal_marks`).
        "month,sales\n2020-01,\"1,5\"\n": [["month", "sales"], ["2020-01", "1.5"]],
        # One column: its lines whole, decimal commas read as points.
        "Umsatz\n1,5\n\"2\"\n": [["Umsatz"], ["1.5"], ["2"]],
        # A header that splits as well on both: the rows split alike on `;` only.
        "Datum;Umsatz (netto, EUR)\n2020-01;3,5\n2020-02;4\n":
            [["Datum", "Umsatz (netto, EUR)"], ["2020-01", "3.5"], ["2020-02", "4"]],
    }
    for index, (text, expected) in enumerate(cases.items()):
        path = tmp_path / f"f{index}.csv"
        path.write_text(text)
        rows = list(readers.csv_rows(str(path)))
        assert [fields for _, fields in rows] == expected, text
    assert [number for number, _ in readers.csv_rows(str(tmp_path / "f0.csv"))] == [1, 2, 4]
    assert read_csv_column(str(tmp_path / "f0.csv"), "Umsatz") == [1234.5, 7.0]
    assert read_csv_column(str(tmp_path / "f4.csv"), "sales") == [1.5]
    # A missing value is an error, or `nan` where asked for.
    (tmp_path / "gap.csv").write_text("t,v\n1,2\n2,#N/A\n3,\n4,5\n")
    with pytest.raises(DataError, match=r"gap\.csv:3: column 'v' is not a number: '#N/A'"):
        read_csv_column(str(tmp_path / "gap.csv"), "v")
    np.testing.assert_array_equal(read_csv_column(str(tmp_path / "gap.csv"), "v", missing=True),
                                  [2, np.nan, np.nan, 5])
    (tmp_path / "blank.csv").write_text("\n\n")
    with pytest.raises(DataError, match=r"blank\.csv: the file holds only blank lines"):
        read_csv_column(str(tmp_path / "blank.csv"), "v")


def test_csv_without_a_header_reads_its_first_line_as_data(tmp_path, caplog):
    # A first line of numbers and dates names no column: the file has no header
    # (statsmodels' `stl_co2.csv`, `results_kde_fft.csv`, `1700, 48.3` rows). It
    # was read as the header, its values lost without a word.
    cases = {
        "315.58\n316.39\n316.79\n": [["column 1"], ["315.58"], ["316.39"], ["316.79"]],
        "1700, 48.3\n1701, 12.6\n": [["column 1", "column 2"], ["1700", " 48.3"],
                                       ["1701", " 12.6"]],
        "2020-01-31;1,5\n2020-02-29;2\n": [["column 1", "column 2"], ["2020-01-31", "1.5"],
                                           ["2020-02-29", "2"]],
        "2020-01-31T12:00,$1.50\n2020-01-31T13:00,\n":
            [["column 1", "column 2"], ["2020-01-31T12:00", "1.50"], ["2020-01-31T13:00", ""]],
    }
    for index, (text, expected) in enumerate(cases.items()):
        path = tmp_path / f"h{index}.csv"
        path.write_text(text)
        caplog.clear()
        with caplog.at_level("WARNING", logger="rnn_keras"):
            rows = list(readers.csv_rows(str(path)))
        assert [fields for _, fields in rows] == expected, text
        assert [number for number, _ in rows] == [1] + list(range(1, len(rows))), text
        assert f"h{index}.csv: line 1 holds numbers or dates only, no column names" in caplog.text
    assert read_csv_column(str(tmp_path / "h0.csv"), "column 1") == [315.58, 316.39, 316.79]
    # A header stays one: names, a name beside years, years across (a series a
    # row), names above a row of another kind or length.
    headers = {
        "sales\n1\n2\n": ["sales"],
        "year,1990\n2000,5\n": ["year", "1990"],
        "1990,1991,1992\n5.5,6.5,7.5\n": ["1990", "1991", "1992"],
        "1990,2000\nFrance,5\n": ["1990", "2000"],
        "1,2,3\n4,5\n": ["1", "2", "3"],
        # The names pandas gives columns it has none for: `pd.Series(v).to_csv(index=False)`.
        "0\n269\n321\n": ["0"],
        "0,1\n2020-01-01,5\n": ["0", "1"],
    }
    for index, (text, header) in enumerate(headers.items()):
        path = tmp_path / f"k{index}.csv"
        path.write_text(text)
        caplog.clear()
        with caplog.at_level("WARNING", logger="rnn_keras"):
            assert next(readers.csv_rows(str(path))) == (1, header), text
        assert "no column names" not in caplog.text


def test_series_of_files_without_a_header_keep_their_first_value(tmp_path):
    # Years and values aligned by spaces, no header (statsmodels'
    # `sunspots_yearly.dat`); a column of values alone.
    (tmp_path / "sunspots.dat").write_text("1700   5\n1701  11\n1702  16\n1703  23\n")
    series = read_series(str(tmp_path / "sunspots.dat"))
    assert series.names == ["column 2"]
    assert series.frequency == "yearly" and series.starts[0].year == 1700
    np.testing.assert_array_equal(series.values[0], [5, 11, 16, 23])
    (tmp_path / "co2.csv").write_text("315.58\n316.39\n316.79\n317.82\n")
    np.testing.assert_array_equal(read_series(str(tmp_path / "co2.csv")).values[0],
                                  [315.58, 316.39, 316.79, 317.82])


def test_csv_columns_aligned_by_spaces(tmp_path):
    # Tables aligned by runs of spaces or tabs, as Fortran programs and R's
    # `write.table` write them (statsmodels' `elnino.dat`, `sunspots_yearly.dat`):
    # they read as one column of whole lines before.
    cases = {
        " YR   MON  NINO3\n1950   1   23.11\n1950\t 2   -1.5 \n":
            [["YR", "MON", "NINO3"], ["1950", "1", "23.11"], ["1950", "2", "-1.5"]],
        '"year" "lynx"\n1821 269\n1822 321\n': [["year", "lynx"], ["1821", "269"],
                                                  ["1822", "321"]],
        "1700   5\n1701  11\n": [["column 1", "column 2"], ["1700", "5"], ["1701", "11"]],
        # R's `write.table` with its row names: the header a field short, the
        # row names' column unnamed (as `write.csv` names it).
        '"x"\n"1" 112\n"2" 118\n': [["", "x"], ["1", "112"], ["2", "118"]],
        '"time" "value"\n"1" 1949 112\n"2" 1949.0833 118\n':
            [["", "time", "value"], ["1", "1949", "112"], ["2", "1949.0833", "118"]],
    }
    for index, (text, expected) in enumerate(cases.items()):
        path = tmp_path / f"w{index}.dat"
        path.write_text(text)
        assert [fields for _, fields in readers.csv_rows(str(path))] == expected, text
    # Lines that split unlike at spaces are one column's: a header of two words
    # above single values, dates with a time of day under names that have none.
    # Nor are two words under one, but for rows that count from 1 (R's row names).
    for index, text in enumerate(["Monthly sales\n1\n2\n", "time value\n2020-01-01 00:00 5\n",
                                  "name\nJohn Smith\nJane Doe\n", "x\n2 112\n3 118\n"]):
        path = tmp_path / f"o{index}.csv"
        path.write_text(text)
        assert all(len(fields) == 1 for _, fields in readers.csv_rows(str(path))), text


def test_csv_lines_before_the_header_are_skipped_with_a_warning(tmp_path, caplog):
    # Google Trends' downloads (a category, a blank line) and NOAA's series (a title
    # with commas, notes) before the header.
    trends = tmp_path / "trends.csv"
    trends.write_text("Category: All categories\n\nWeek,rnn: (Worldwide)\n2021-01-03,45\n"
                      "2021-01-10,50\n")
    with caplog.at_level("WARNING", logger="rnn_keras"):
        rows = list(readers.csv_rows(str(trends)))
    assert rows == [(3, ["Week", "rnn: (Worldwide)"]), (4, ["2021-01-03", "45"]),
                    (5, ["2021-01-10", "50"])]
    assert "trends.csv: 1 line(s) before the header skipped, as a title or notes: " \
           "'Category: All categories'" in caplog.text
    noaa = tmp_path / "noaa.csv"
    noaa.write_text("Contiguous U.S., Average Temperature, January-December\nUnits: Degrees "
                    "Fahrenheit\nDate,Value,Anomaly\n189512,50.34,-1.68\n189612,51.99,-0.03\n")
    assert read_csv_column(str(noaa), "Value") == [50.34, 51.99]
    # A data row of the wrong length is no end of a preamble: it stays an error.
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("date,v,w\n2020-01,1,2\n2020-02,3\n2020-03,4,5\n2020-04,6,7\n")
    assert [n for n, _ in readers.csv_rows(str(ragged))] == [1, 2, 3, 4, 5]
    long = tmp_path / "long.csv"
    long.write_text("id,date,v\nA,2020-01\nA,2020-02,3\nA,2020-03,4\n")
    assert [n for n, _ in readers.csv_rows(str(long))] == [1, 2, 3, 4]
    # Lines that never split alike are no preamble: a file of one column reads whole.
    one = tmp_path / "one.csv"
    one.write_text("sales\n1\n2\n")
    caplog.clear()
    assert [fields for _, fields in readers.csv_rows(str(one))] == [["sales"], ["1"], ["2"]]
    assert "skipped" not in caplog.text


def test_csv_a_note_after_the_data_is_skipped_with_a_warning(tmp_path, caplog):
    # DataMarket's exports end with a blank line and a title (its commas unquoted).
    melbourne = tmp_path / "melbourne.csv"
    melbourne.write_text('"Date","Temp"\n"1981-01-01",20.7\n"1981-01-02",17.9\n\n'
                         "Daily minimum temperatures in Melbourne, Australia, 1981-1990\n")
    with caplog.at_level("WARNING", logger="rnn_keras"):
        rows = list(readers.csv_rows(str(melbourne)))
    assert rows == [(1, ["Date", "Temp"]), (2, ["1981-01-01", "20.7"]),
                    (3, ["1981-01-02", "17.9"])]
    assert ("melbourne.csv: 1 line(s) after the data skipped, as a footnote: line 5 'Daily "
            "minimum temperatures in Melbourne, Australia, 1981-1990'") in caplog.text
    # Excel's blank rows (`,`) and a title in the first cell of a row, after them.
    champagne = tmp_path / "champagne.csv"
    champagne.write_text('"Month","Sales"\n"1964-01",2815\n"1964-02",2672\n,\n'
                         "Perrin Freres monthly champagne sales millions ?64-?72,\n")
    caplog.clear()
    with caplog.at_level("WARNING", logger="rnn_keras"):
        assert [n for n, _ in readers.csv_rows(str(champagne))] == [1, 2, 3]
    assert "footnote: line 5 'Perrin Freres" in caplog.text
    # A short line among the rows, or right under them (no blank line), or one
    # holding a number or no two words, stays a row: the reader names it.
    for text, count in (("t,v\n2020-01,1\n\na note\n2020-02,2\n", 4),
                        ("t,v\n2020-01,1\na note\n", 3), ("t,v\n2020-01,1\n\n2020-02\n", 3),
                        ("t,v\n2020-01,1\n\n7 units\n", 3),
                        ("text,label\ngood,1\n\nnot a good film,negative\n", 3)):
        (tmp_path / "short.csv").write_text(text)
        caplog.clear()
        assert len(list(readers.csv_rows(str(tmp_path / "short.csv")))) == count, text
        assert "footnote" not in caplog.text

    # The same file's winter days: a minus sign its encoding lost, named with the fix.
    melbourne.write_text('"Date","Temp"\n"1982-07-19",0.8\n"1982-07-20",?0.2\n')
    lost = (r"melbourne\.csv:3: column 'Temp' is not a number: '\?0\.2'; a '\?' before a number "
            r"stands for a character the file's encoding could not hold, often a minus sign: "
            r"write it as '-0\.2'")
    with pytest.raises(DataError, match=lost):
        read_csv_column(str(melbourne), "Temp", missing=True)
    with pytest.raises(DataError, match=lost):  # as `rnn-keras train --task forecast` reads it
        read_series(str(melbourne))


def test_csv_numbers_as_spreadsheets_write_them(tmp_path):
    # Currency and percent signs (Nasdaq's downloads: `$123.45`), thousands
    # grouped by commas in a comma file (quoted, as Excel writes them), FRED's `.`
    # for a missing value; a sign that leaves no number stays as it was.
    text = ('Date,Close,Rate,Sales\n2020-01,$1.50,4.5%,"1,234.5"\n'
            '2020-02,-$3,-0.5 %,"12,345,678"\n2020-03,$ 1,"$1,000",.\n')
    path = tmp_path / "sheet.csv"
    path.write_text(text)
    assert [fields for _, fields in readers.csv_rows(str(path))][1:] == [
        ["2020-01", "1.50", "4.5", "1234.5"], ["2020-02", "-3", "-0.5", "12345678"],
        ["2020-03", "1", "1000", "."]]
    np.testing.assert_array_equal(read_csv_column(str(path), "Sales", missing=True),
                                  [1234.5, 12345678, np.nan])
    # Outside comma files a comma stays decimal, after a sign too (`12,50 €`).
    (tmp_path / "euro.csv").write_text("Monat;Umsatz\n2020-01;12,50 €\n2020-02;€1.234,5\n")
    assert read_csv_column(str(tmp_path / "euro.csv"), "Umsatz") == [12.5, 1234.5]
    (tmp_path / "bad.csv").write_text("t,v\n1,$1.2.3\n")
    with pytest.raises(DataError, match=r"bad\.csv:2: column 'v' is not a number: '\$1\.2\.3'"):
        read_csv_column(str(tmp_path / "bad.csv"), "v")


def test_lines_ended_by_a_lone_carriage_return_as_classic_mac_files_end_them(tmp_path):
    # Before: the file one line ("new-line character seen in unquoted field").
    path = tmp_path / "mac.csv"
    path.write_bytes(b"month,sales\r2020-01,1.5\r2020-02,2\r\r2020-03,x\r")
    assert list(readers.csv_rows(str(path)))[:3] == [
        (1, ["month", "sales"]), (2, ["2020-01", "1.5"]), (3, ["2020-02", "2"])]
    with pytest.raises(DataError, match=r"mac\.csv:5: column 'sales' is not a number: 'x'"):
        read_csv_column(str(path), "sales")
    # Mixed ends, and a `\r\n` after a lone `\r`: lines as Python's text mode reads them.
    tsv = tmp_path / "mixed.tsv"
    tsv.write_bytes(b"pos\tgood\r\nneg\tbad\rpos\tfine\n")
    assert read_classification_tsv(str(tsv)) == (["good", "bad", "fine"], ["pos", "neg", "pos"])
    assert readers.read_lines(str(tmp_path / "mac.csv"))[3] == ""


def test_csv_lines_longer_than_the_csv_modules_field_limit(tmp_path):
    # A series of 30,000 values in a row (about 200 KB): before, "field larger than
    # field limit (131072)" from the csv module, naming no file.
    values = [f"{v:.3f}" for v in np.arange(30_000) / 7]
    path = tmp_path / "row.csv"
    path.write_text("name," + ",".join(f"t{i}" for i in range(30_000)) + "\n"
                    "a," + ",".join(values) + "\n")
    rows = list(readers.csv_rows(str(path)))
    assert len(rows) == 2 and rows[1][1][1:] == values


def test_csv_columns_read_numbers_with_the_decimal_mark_they_show(tmp_path):
    # US numbers in a `;` or tab file (before: `1,234.5` "not a number", `1,234`
    # silently 1.234): the column shows its decimal point, so `1,234` is 1234.
    cases = {
        "Date;Sales\n2020-01;1,234.5\n2020-02;1,234\n2020-03;999\n": [1234.5, 1234, 999],
        "Date\tSales\n2020-01\t1,234\n2020-02\t12.5\n": [1234, 12.5],
        "Date;Sales\n2020-01;1,234\n2020-02;1,234,567\n": [1234, 1234567],
        # A column that shows its decimal comma: `1.234` groups thousands.
        "Date;Sales\n2020-01;1.234\n2020-02;3,5\n2020-03;1.234.567\n": [1234, 3.5, 1234567],
        'Date,Sales\n2020-01,"1,5"\n2020-02,"1,234"\n2020-03,7\n': [1.5, 1.234, 7],
        # Neither shown: as the separator has it (a decimal comma; a point as it is).
        "Date;Sales\n2020-01;1,234\n2020-02;1.234\n": [1.234, 1.234],
        'Date,Sales\n2020-01,"1,234"\n2020-02,1.234\n': [1234, 1.234],
        # The Unicode minus sign, alone and before a unit.
        "Date,Temp\n2020-01,\u22120.2\n2020-02,\u2212$1.5\n2020-03,\"\u22121,234.5\"\n":
            [-0.2, -1.5, -1234.5],
    }
    for index, (text, expected) in enumerate(cases.items()):
        path = tmp_path / f"f{index}.csv"
        path.write_text(text, encoding="utf-8")
        column = text.split("\n")[0][5:]
        assert read_csv_column(str(path), column) == pytest.approx(expected), text
    # Each column by its own numbers: a decimal point here, a comma there.
    (tmp_path / "both.csv").write_text("t;us;eu\n1;1,234;1.234\n2;0.5;0,5\n")
    assert [fields for _, fields in readers.csv_rows(str(tmp_path / "both.csv"))][1:] == [
        ["1", "1234", "1234"], ["2", "0.5", "0.5"]]
    # A column that shows both marks is refused, a line of each named.
    (tmp_path / "mixed.csv").write_text("Date;Sales\n2020-01;1,234.5\n2020-02;7\n2020-03;3,5\n")
    with pytest.raises(DataError, match=(
        r"mixed\.csv:4: column 'Sales' writes its numbers with a decimal point \('1,234\.5', "
        r"line 2\) and with a decimal comma \('3,5', line 4\)")):
        list(readers.csv_rows(str(tmp_path / "mixed.csv")))


@pytest.mark.parametrize("head, kind", [
    (b"PK\x03\x04\x14\x00\x06\x00", r"a ZIP archive \(as an Excel \.xlsx workbook is\)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1", r"an Office file \(as an Excel \.xls workbook is\)"),
    (b"PAR1\x15\x04\n\x80\x81", r"a Parquet file"),
    (b"\x93NUMPY\x01\x00", r"a NumPy \.npy file"),
])
def test_binary_files_are_named_not_decoded(tmp_path, head, kind):
    # Before: "bytes ... are not utf-8 text; ... give its encoding", no remedy.
    (tmp_path / "data.csv").write_bytes(head + bytes(range(256)))
    with gzip.open(tmp_path / "data.csv.gz", "wb") as f:
        f.write(head + bytes(range(256)))
    for name in ("data.csv", "data.csv.gz"):
        with pytest.raises(DataError, match=rf"data\.csv(\.gz)?: {kind}, not a text file: save "
                           r"the data as text"):
            read_csv_column(str(tmp_path / name), "v")
        with pytest.raises(DataError, match=kind):
            readers.read_lines(str(tmp_path / name))
        with pytest.raises(DataError, match=kind):
            read_classification_tsv(str(tmp_path / name), encoding="utf-16")


def test_csv_column(tmp_path):
    path = write(tmp_path, "a.csv", '"Month","Passengers"\n"1949-01",112\n"1949-02",118\n')
    assert read_csv_column(path, "Passengers") == [112.0, 118.0]
    assert read_csv_column(path, 1) == [112.0, 118.0]
    with pytest.raises(DataError, match=r"a\.csv:1: no column 'passengers'"):
        read_csv_column(path, "passengers")
    bad = write(tmp_path, "b.csv", "t,v\n1,2\n2,oops\n")
    with pytest.raises(DataError, match=r"b\.csv:3: column 'v' is not a number: 'oops'"):
        read_csv_column(bad, "v")


def test_ucr_tsv(tmp_path):
    path = write(tmp_path, "a.tsv", "1\t0.5\t-1\n2\t1e-3\t4\n")
    series, labels = read_ucr_tsv(path)
    assert labels == ["1", "2"] and series == [[0.5, -1.0], [0.001, 4.0]]
    with pytest.raises(DataError, match=r"b\.tsv:2: expected 2 values like line 1, got 3"):
        read_ucr_tsv(write(tmp_path, "b.tsv", "1\t0.5\t-1\n2\t1\t2\t3\n"))
    with pytest.raises(DataError, match=r"c\.tsv:1: value 2 is not a number"):
        read_ucr_tsv(write(tmp_path, "c.tsv", "1\t0.5\tx\n"))
    with pytest.raises(DataError, match=r"d\.tsv:1: value 1 is not finite: 'inf'"):
        read_ucr_tsv(write(tmp_path, "d.tsv", "1\tinf\t1\n"))


def test_ucr_files_separated_by_commas_or_spaces(tmp_path):
    # The archive's earlier files (commas) and timeseriesclassification.com's
    # `.txt` (spaces, the labels in float notation).
    comma = read_ucr_tsv(write(tmp_path, "a_TRAIN", "1,0.5,-1\n2,1e-3,4\n"))
    spaces = read_ucr_tsv(write(tmp_path, "a_TRAIN.txt", "  1.0000000e+00  5.0000000e-01  "
                                "-1.0000000e+00\n  2.0000000e+00  1.0e-03  4.0e+00\n"))
    for series, labels in (comma, spaces):
        assert labels == ["1", "2"] and series == [[0.5, -1.0], [0.001, 4.0]]
    assert read_ucr_tsv(write(tmp_path, "b.txt", "-1 1 2\nup 3 4\n"))[1] == ["-1", "up"]
    with pytest.raises(DataError, match=r"c\.txt:2: expected a label and the values"):
        read_ucr_tsv(write(tmp_path, "c.txt", "1 2 3\n4\n"))
    # The label last, as Kaggle's ECG heartbeat files (`mitbih_train.csv`) hold it.
    last = "9.7e-01,9.2e-01,0.0e+00\n1.0e+00,7.5e-01,2.0e+00\n8.9e-01,1.0e+00,NaN\n"
    series, labels = read_ucr_tsv(write(tmp_path, "mitbih.csv", last.replace(",NaN", ",1")))
    assert labels == ["0", "2", "1"] and series[0] == [0.97, 0.92] and series[1] == [1.0, 0.75]
    with pytest.raises(DataError, match=r"both\.csv:1: the first field, '0\.5', is no class "
                       r"label \(a whole number or a word\), nor is the last"):
        read_ucr_tsv(write(tmp_path, "both.csv", "0.5,1,0.25\n"))


def test_ucr_files_under_a_header_naming_the_columns(tmp_path):
    # As pandas writes a frame of series with a label column, first or last.
    first = read_ucr_tsv(write(tmp_path, "first.csv", "target,t1,t2\n1,0.5,-1\n2,1e-3,4\n"))
    last = read_ucr_tsv(write(tmp_path, "last.csv", "x0,x1,class\n0.5,-1,1\n1e-3,4,2\n"))
    for series, labels in (first, last):
        assert labels == ["1", "2"] and series == [[0.5, -1.0], [0.001, 4.0]]
    # Whole numbers everywhere (pixels, counts): the column named as the label's.
    counts = read_ucr_tsv(write(tmp_path, "counts.csv", "p0,p1,label\n3,4,0\n5,6,1\n"))
    assert counts == ([[3, 4], [5, 6]], ["0", "1"])
    # Columns named by number, as pandas names a frame's: a header, not a series.
    numbered = read_ucr_tsv(write(tmp_path, "n.csv", "0,1,2,label\n0.5,1,2,up\n3,4,5,down\n"))
    assert numbered == ([[0.5, 1.0, 2.0], [3.0, 4.0, 5.0]], ["up", "down"])
    # pandas' index, an unnamed column numbering the rows, is no part of a series.
    indexed = read_ucr_tsv(write(tmp_path, "i.csv", ",t1,t2,label\n0,0.5,1,up\n1,2,3,down\n"))
    assert indexed == ([[0.5, 1.0], [2.0, 3.0]], ["up", "down"])
    # A first line of other fields than the rows' is named, not skipped.
    with pytest.raises(DataError, match=r"h\.csv:1: expected a label and the values, separated "
                       r"by tabs, commas or spaces, or a header naming them, got 'label,t1'"):
        read_ucr_tsv(write(tmp_path, "h.csv", "label,t1\n1,0.5,2\n"))


def test_ucr_tsv_variable_lengths_and_missing_values(tmp_path):
    # The UCR archive (2018) pads shorter series with NaN; a NaN inside is missing.
    text = "a\t1\t2\t3\t4\nb\t5\t6\tNaN\tNaN\nc\t7\tnan\t9\tNaN\n"
    series, labels = read_ucr_tsv(write(tmp_path, "var.tsv", text))
    assert labels == ["a", "b", "c"]
    assert series[:2] == [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0]]
    assert series[2][0] == 7.0 and np.isnan(series[2][1]) and series[2][2:] == [9.0]
    with pytest.raises(DataError, match=r"e\.tsv:2: the series holds only missing values"):
        read_ucr_tsv(write(tmp_path, "e.tsv", "a\t1\t2\nb\tNaN\tNaN\n"))


def test_empty_and_missing_files(tmp_path):
    empty = write(tmp_path, "empty.txt", "")
    for reader in (read_text, read_classification_tsv, read_conll, read_ucr_tsv):
        with pytest.raises(DataError, match="empty.txt: the file is empty"):
            reader(empty)
    with pytest.raises(DataError, match="nope.txt: no such file"):
        read_text(str(tmp_path / "nope.txt"))
    with pytest.raises(DataError, match="only whitespace"):
        read_text(write(tmp_path, "blank.txt", "\n  \n"))


def test_reads_the_shared_datasets(shared_datasets):
    texts, labels = read_classification_tsv(os.path.join(shared_datasets, "sst2", "train.tsv"))
    assert len(texts) == 6920 and set(labels) == {"0", "1"}
    sentences = read_conll(os.path.join(shared_datasets, "wnut17", "train.conll"))
    assert len(sentences) == 3394
    assert all(len(tokens) == len(tags) for tokens, tags in sentences)
    assert len(read_seq2seq_tsv(os.path.join(shared_datasets, "spa_eng", "pairs.tsv"))) == 118964
    assert len(read_text(os.path.join(shared_datasets, "tiny_shakespeare", "input.txt"))) >= 1115000
    passengers = read_csv_column(os.path.join(shared_datasets, "airline", "airline-passengers.csv"), "Passengers")
    assert len(passengers) == 144 and passengers[0] == 112.0
    series, labels = read_ucr_tsv(os.path.join(shared_datasets, "gunpoint", "test.tsv"))
    assert len(series) == 150 and len(series[0]) == 150


def test_a_byte_order_mark_is_not_data(tmp_path):
    path = tmp_path / "bom.tsv"
    path.write_bytes("1\tgood\n0\tbad\n".encode("utf-8-sig"))
    assert read_classification_tsv(str(path)) == (["good", "bad"], ["1", "0"])
    path = tmp_path / "bom.csv"
    path.write_bytes('"Month","Passengers"\n"1949-01",112\n'.encode("utf-8-sig"))
    assert read_csv_column(str(path), "Passengers") == [112.0]
    with pytest.raises(DataError, match=r"""the header has \['Month', 'Passengers'\]"""):
        read_csv_column(str(path), "Sales")


def test_bytes_that_are_not_text_are_named_by_line_with_a_hint(tmp_path):
    path = tmp_path / "latin.tsv"
    path.write_bytes("1\tgood\n0\tcaf\u00e9 bad\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"latin\.tsv:2: bytes b'\\xe9' are not utf-8 text .*"
                                        r"--encoding latin-1"):
        read_classification_tsv(str(path))
    assert read_classification_tsv(str(path), "latin-1")[0] == ["good", "caf\u00e9 bad"]
    utf16 = tmp_path / "utf16.tsv"
    utf16.write_text("1\tgood\n0\tbad\n", encoding="utf-16")
    assert read_classification_tsv(str(utf16), "utf-16") == (["good", "bad"], ["1", "0"])


def test_gzip_files_are_read_as_they_come(tmp_path):
    # As Kaggle's and the M5 competition's files come (`sales.csv.gz`).
    def gzipped(name, data):
        path = tmp_path / name
        with gzip.open(path, "wb") as f:
            f.write(data)
        return str(path)

    assert read_classification_tsv(gzipped("a.tsv.gz", b"1\tgood\n0\tbad\n")) == (
        ["good", "bad"], ["1", "0"])
    assert read_csv_column(gzipped("s.csv.gz", b"month,v\n2020-01,1\n2020-02,2\n"), "v") == [1, 2]
    text = "1\tgood\n0\tcaf\u00e9\n"
    assert read_classification_tsv(gzipped("l.tsv.gz", text.encode("latin-1")), "latin-1")[0] == [
        "good", "caf\u00e9"]
    assert read_classification_tsv(gzipped("u.tsv.gz", text.encode("utf-16")), "utf-16")[0] == [
        "good", "caf\u00e9"]
    with pytest.raises(DataError, match=r"l\.tsv\.gz:2: bytes b'\\xe9' are not utf-8 text"):
        read_classification_tsv(str(tmp_path / "l.tsv.gz"))
    plain = write(tmp_path, "plain.tsv.gz", "1\tgood\n")
    with pytest.raises(DataError, match=r"plain\.tsv\.gz: not a readable gzip file"):
        read_classification_tsv(plain)
    assert readers.format_suffix("a/M1.TSF.gz") == ".tsf" and readers.format_suffix("b.ts") == ".ts"
