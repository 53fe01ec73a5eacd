"""Readers for the package's plain data formats.

Every malformed line stops the read with a `DataError` that names the file and
the line number; nothing is dropped silently.

| format | reader |
|---|---|
| classification TSV `label<TAB>text` (further tabs belong to the text; or under a header naming the columns, as GLUE's `sentence<TAB>label`; a CSV under one) | `read_classification_tsv` |
| tagging CoNLL `token<TAB>tag` or CoNLL-2003 `token POS chunk tag` (tag column: last, or given), blank line between sentences | `read_conll` |
| seq2seq TSV `source<TAB>target` (further columns, such as Tatoeba's attribution, ignored; a header naming the columns, `source<TAB>target`, `en<TAB>es`, read by name) | `read_seq2seq_tsv` |
| plain text (language models) | `read_text` |
| CSV (forecasting; `,` `;` tab `\|` or spaces; a header or none: `csv_rows`) | `read_csv_column` |
| UCR TSV `label<TAB>v1<TAB>...` (time-series classification) | `read_ucr_tsv` |

Files are read in `encoding` (UTF-8 by default); a UTF-8 byte-order mark is
dropped, and bytes that are not text in the encoding stop the read at their
line, with a hint.
"""

import codecs
import csv
import gzip
import itertools
import logging
import math
import os
import re

import numpy as np

logger = logging.getLogger("rnn_keras")


class DataError(ValueError):
    """A data file could not be read; the message names the file and line."""

    def __init__(self, path, line, message):
        location = f"{path}:{line}" if line else str(path)
        super().__init__(f"{location}: {message}")
        self.path = str(path)
        self.line = line


def check_encoding(encoding):
    """The codec name of `encoding`; `LookupError` if Python has no such codec."""
    return codecs.lookup(encoding).name


def _decode(path, number, raw, encoding):
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        bad = raw[error.start : error.end]
        raise DataError(
            path,
            number,
            f"bytes {bad!r} are not {encoding} text (at byte {error.start + 1} of the line); "
            f"convert the file to UTF-8, or give its encoding (--encoding latin-1, ...)",
        ) from None


def decode_lines(name, stream, encoding="utf-8"):
    """The lines of a binary `stream` (without line ends), decoded; errors name `name` and line."""
    return list(iter_decoded_lines(name, stream, encoding))


# The first bytes of binary files a user may take for data files: what each is.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive (as an Excel .xlsx workbook is)",
    b"\xd0\xcf\x11\xe0": "an Office file (as an Excel .xls workbook is)",
    b"PAR1": "a Parquet file",
    b"ARROW1": "an Arrow or Feather file",
    b"\x89HDF": "an HDF5 file",
    b"\x93NUMPY": "a NumPy .npy file",
    b"SQLite format 3": "an SQLite database",
}


def _refuse_binary(path, head):
    """Refuses a file whose first bytes, `head`, are a binary format's (`_BINARY_SIGNATURES`).

    Read as text, such a file fails at some byte with a hint to give
    another encoding, which is not the remedy.
    """
    kind = next((kind for magic, kind in _BINARY_SIGNATURES.items() if head.startswith(magic)),
                None)
    if kind:
        raise DataError(path, None, f"{kind}, not a text file: save the data as text (CSV, "
                        "TSV, .ts or .tsf) and read that")


def _physical_lines(stream):
    """The lines of a binary `stream`, each ended by `\\n`, `\\r\\n` or a lone `\\r`.

    Iterating a binary file splits at `\\n` only; a file whose lines end in
    `\\r` alone (as Excel for the classic Mac OS saved a CSV) would read as
    one line. Lines keep their ends; universal newlines, as Python's text
    mode and pandas read them.
    """
    for raw in stream:
        end = 2 if raw.endswith(b"\r\n") else int(raw.endswith((b"\n", b"\r")))
        if raw.find(b"\r", 0, len(raw) - end) < 0:  # nearly every line: no `\r` before its end
            yield raw
            continue
        body = raw[: len(raw) - end]
        parts = body.split(b"\r")
        yield from (part + b"\r" for part in parts[:-1])
        yield parts[-1] + raw[len(body):]


def iter_decoded_lines(name, stream, encoding="utf-8"):
    """`decode_lines`, one line at a time as the stream gives them (for streaming input)."""
    first = "utf-8-sig" if check_encoding(encoding) == "utf-8" else encoding
    for number, raw in enumerate(_physical_lines(stream), start=1):
        if number == 1:
            _refuse_binary(name, raw)
        yield _decode(name, number, raw, first if number == 1 else encoding).rstrip("\n").rstrip(
            "\r"
        )


def open_binary(path):
    """`path` opened for reading bytes; a `.gz` file decompressed as it is read."""
    if str(path).lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def format_suffix(path):
    """`path`'s extension in lower case, that of the file inside a `.gz` (`a.tsf.gz`: `.tsf`)."""
    name = str(path).lower().removesuffix(".gz")
    return os.path.splitext(name)[1]


def read_lines(path, encoding="utf-8"):
    """The lines of a text file (without line ends), empty ones included; `.gz` decompressed."""
    if not os.path.isfile(path):
        raise DataError(path, None, "no such file")
    try:
        with open_binary(path) as f:
            return decode_lines(path, f, encoding)
    except (gzip.BadGzipFile, EOFError) as error:
        raise _bad_gzip(path, error) from None


def _bad_gzip(path, error):
    return DataError(path, None, f"not a readable gzip file ({error}); a '.gz' name means gzip")


def _lines(path, encoding="utf-8"):
    """Yields `(line_number, text)` without the line end; checks the file.

    Lines are split on bytes, then decoded one by one, so an undecodable
    byte is reported at its line. Encodings whose line ends are not single
    bytes (UTF-16, UTF-32) are read as a whole instead. A `.gz` file is
    decompressed as it is read.
    """
    if not os.path.isfile(path):
        raise DataError(path, None, "no such file")
    name = check_encoding(encoding)
    try:
        if name.startswith(("utf-16", "utf-32")):
            with open_binary(path) as f:
                raw = f.read()
            _refuse_binary(path, raw)
            lines = raw.decode(encoding).splitlines()
            if not lines:
                raise DataError(path, None, "the file is empty")
            yield from enumerate(lines, start=1)
            return
        first = "utf-8-sig" if name == "utf-8" else encoding  # drops a byte-order mark
        with open_binary(path) as f:
            empty = True
            for number, raw in enumerate(_physical_lines(f), start=1):
                empty = False
                if number == 1:
                    _refuse_binary(path, raw)
                line = _decode(path, number, raw, first if number == 1 else encoding)
                yield number, line.rstrip("\n").rstrip("\r")
    except (gzip.BadGzipFile, EOFError) as error:
        raise _bad_gzip(path, error) from None
    if empty:
        raise DataError(path, None, "the file is empty")


def iter_lines(path, encoding="utf-8"):
    """The lines of a text file (without line ends), read as they are needed."""
    for _, line in _lines(path, encoding):
        yield line


def is_number(value):
    """Whether the string `value` reads as a float."""
    try:
        float(value)
    except ValueError:
        return False
    return True


def text(value):
    """A TFDS text value (`bytes`) as a `str`."""
    return value.decode("utf-8") if isinstance(value, (bytes, np.bytes_)) else str(value)


def _split_tab(path, number, line, fields, expected):
    parts = line.split("\t")
    if len(parts) < fields or any(not p.strip() for p in parts[:fields]):
        raise DataError(
            path, number, f"expected {expected} separated by a tab, got {line[:80]!r}"
        )
    return parts


# Header names of a text classification file's label and text columns (lower
# case), as public sets name them: GLUE's SST-2 `sentence<TAB>label`, the IMDB
# reviews' `review,sentiment`.
TEXT_LABEL_COLUMNS = ("label", "labels", "class", "category", "sentiment", "polarity",
                      "intent", "topic", "target", "y")
TEXT_COLUMNS = ("text", "sentence", "review", "content", "document", "tweet", "question",
                "utterance", "comment", "message", "body", "title", "x")
# A label of this many words or more reads as a text: the columns the other way round.
_TEXT_WORDS = 4


def text_header(fields):
    """`(label column, text column)` where `fields` name them (a header), else `None`.

    The label column is the first named as a label's (`TEXT_LABEL_COLUMNS`),
    the text column the first named as a text's (`TEXT_COLUMNS`), or the
    other one of two columns.
    """
    names = [field.strip().lower() for field in fields]
    label = next((i for i, name in enumerate(names) if name in TEXT_LABEL_COLUMNS), None)
    text = next((i for i, name in enumerate(names) if name in TEXT_COLUMNS), None)
    if label is not None and text is None and len(names) == 2:
        text = 1 - label
    return None if label is None or text is None else (label, text)


def read_classification_tsv(path, encoding="utf-8"):
    """Reads `label<TAB>text` lines; returns `(texts, labels)` string lists.

    The label is the text before the first tab; everything after it is the
    text, tabs included (a tokeniser splits at them as at spaces). A first
    line naming the columns (`text_header`: GLUE's `sentence<TAB>label`)
    is a header, the label and text read from the columns it names; so is
    a `.csv` file's (the IMDB reviews' `review,sentiment`), which needs it.

    Raises:
        DataError: naming the line, where a line has too few fields, or
            where most labels read as texts of `_TEXT_WORDS` words or more
            (the columns the other way round, without a header).
    """
    if format_suffix(path) == ".csv":
        return _classification_csv(path, encoding)
    lines = _lines(path, encoding)
    first = next(lines, None)
    if first is None:
        return [], []
    columns = text_header(first[1].split("\t"))
    texts, labels = [], []
    for number, line in lines if columns else itertools.chain([first], lines):
        if columns:
            fields = _named_fields(path, number, line, columns, required=columns[:1])
            labels.append(fields[columns[0]].strip())
            texts.append(fields[columns[1]])
            continue
        label, *text = _split_tab(path, number, line, 2, "'label<TAB>text'")
        labels.append(label.strip())
        texts.append("\t".join(text))
    if not columns:
        _refuse_texts_as_labels(path, labels)
    return texts, labels


def _named_fields(path, number, line, columns, required):
    """The tab-separated fields of a line under a header naming `columns`.

    Raises:
        DataError: naming the line, where it has too few fields or a
            `required` column is empty.
    """
    fields = line.split("\t")
    if len(fields) <= max(columns) or not all(fields[i].strip() for i in required):
        raise DataError(path, number, f"expected {max(columns) + 1} fields separated by tabs, "
                        f"as the header names them, got {line[:80]!r}")
    return fields


def _classification_csv(path, encoding):
    """`read_classification_tsv` of a CSV file, whose header names its label and text columns."""
    rows = csv.reader(line + "\n" for _, line in _lines(path, encoding))
    header = next(rows, [])
    columns = text_header(header)
    if columns is None:
        raise DataError(
            path, 1,
            f"a CSV of texts needs a header naming its label column "
            f"({', '.join(TEXT_LABEL_COLUMNS)}) and text column ({', '.join(TEXT_COLUMNS)}), "
            f"got {header[:4]}",
        )
    texts, labels = [], []
    for fields in rows:
        if not any(field.strip() for field in fields):
            continue
        if len(fields) <= max(columns) or not fields[columns[0]].strip():
            raise DataError(path, rows.line_num, f"expected {len(header)} fields as the header "
                            f"names them, got {len(fields)}")
        labels.append(fields[columns[0]].strip())
        texts.append(fields[columns[1]])
    return texts, labels


def _refuse_texts_as_labels(path, labels):
    """Refuses labels of which most read as texts: `text<TAB>label` written without a header."""
    wordy = [label for label in labels if len(label.split()) >= _TEXT_WORDS]
    if labels and len(wordy) > len(labels) / 2:
        raise DataError(
            path, 1,
            f"the labels (before the first tab) read as texts, as {wordy[0][:60]!r}: write "
            "label<TAB>text, or name the columns in a first line (label and text, sentence, "
            "review, ...)",
        )


# Header names of a seq2seq file's source and target columns (lower case), as
# public sets name them (CNN/DailyMail's `article`/`highlights`, XSum's
# `document`/`summary`), and the languages a translation file's header names
# instead (`en<TAB>es`, `English<TAB>Spanish`).
SOURCE_COLUMNS = ("source", "src", "input", "inputs", "question", "text", "article",
                  "document", "dialogue", "prompt")
TARGET_COLUMNS = ("target", "tgt", "output", "outputs", "targets", "answer", "summary",
                  "highlights", "response", "translation")
LANGUAGE_COLUMNS = (
    "ar", "cs", "de", "en", "es", "fi", "fr", "hi", "it", "ja", "ko", "nl", "pl", "pt", "ro",
    "ru", "sv", "tr", "uk", "zh", "arabic", "chinese", "czech", "dutch", "english", "finnish",
    "french", "german", "hindi", "italian", "japanese", "korean", "polish", "portuguese",
    "romanian", "russian", "spanish", "swedish", "turkish", "ukrainian",
)


def seq2seq_header(fields):
    """`(source column, target column)` where `fields` name them (a header), else `None`.

    A source column's name (`SOURCE_COLUMNS`) and a target column's
    (`TARGET_COLUMNS`) anywhere, or two languages first (`LANGUAGE_COLUMNS`:
    `en<TAB>es`).
    """
    names = [field.strip().lower() for field in fields]
    source = next((i for i, name in enumerate(names) if name in SOURCE_COLUMNS), None)
    target = next((i for i, name in enumerate(names) if name in TARGET_COLUMNS), None)
    if source is not None and target is not None:
        return source, target
    if len(names) >= 2 and names[0] != names[1] and set(names[:2]) <= set(LANGUAGE_COLUMNS):
        return 0, 1
    return None


def read_seq2seq_tsv(path, encoding="utf-8"):
    """Reads `source<TAB>target` lines; returns pairs.

    Columns after the second are ignored: Tatoeba's pair files (the usual
    translation data) carry an attribution there. A first line naming the
    columns (`seq2seq_header`: `source<TAB>target`, `id<TAB>article<TAB>
    highlights`, `en<TAB>es`) is a header, the pairs read from the columns
    it names.
    """
    lines = _lines(path, encoding)
    first = next(lines, None)
    if first is None:
        return []
    columns = seq2seq_header(first[1].split("\t"))
    pairs = []
    for number, line in lines if columns else itertools.chain([first], lines):
        if columns:
            fields = _named_fields(path, number, line, columns, required=columns)
            pairs.append((fields[columns[0]], fields[columns[1]]))
            continue
        source, target = _split_tab(path, number, line, 2, "'source<TAB>target'")[:2]
        pairs.append((source, target))
    return pairs


# A CoNLL-2003 document start: a sentence break, not a token.
DOCSTART = "-DOCSTART-"


def _conll_rows(path, encoding):
    """`(line number, fields)` per token line of a CoNLL file, `fields` `None` at a break.

    Fields are split at tabs when a line has one, else at runs of spaces
    (CoNLL-2003 separates its columns by single spaces). Blank lines and
    `-DOCSTART-` lines end a sentence.
    """
    for number, line in _lines(path, encoding):
        if not line.strip() or line.split()[0] == DOCSTART:
            yield number, None
        else:
            yield number, line.split("\t") if "\t" in line else line.split()


def read_conll(path, encoding="utf-8", tag_column=None):
    """Reads CoNLL token lines (token first, tag in `tag_column`), blank lines between sentences.

    Columns are separated by tabs (a token may then hold spaces) or by
    spaces; every token line has the same number of columns; `-DOCSTART-`
    lines are skipped.

    Args:
        path: the file.
        encoding: its text encoding. Defaults to `"utf-8"`.
        tag_column: `int` or `None.` The 1-based column of the tags (the
            token is column 1). Defaults to the last column.

    Returns:
        list of `(tokens, tags)` pairs of equal-length lists.
    """
    sentences, tokens, tags = [], [], []
    columns = None
    for number, fields in _conll_rows(path, encoding):
        if fields is None:
            if tokens:
                sentences.append((tokens, tags))
                tokens, tags = [], []
            continue
        if columns is None:
            columns = (number, len(fields))
        index = len(fields) - 1 if tag_column is None else tag_column - 1
        shown = " ".join(fields)[:80]
        if len(fields) != columns[1]:
            raise DataError(
                path, number,
                f"expected {columns[1]} columns as on line {columns[0]}, got {len(fields)} in "
                f"{shown!r}",
            )
        if len(fields) < 2 or not 1 <= index < len(fields):
            raise DataError(
                path, number,
                f"expected a token and its tag in column {index + 1} (tab- or space-separated "
                f"'token ... tag'), got {shown!r}",
            )
        if not fields[0] or not fields[index].strip():
            raise DataError(path, number, f"expected a token and a tag, got {shown!r}")
        tokens.append(fields[0])
        tags.append(fields[index].strip())
    if tokens:
        sentences.append((tokens, tags))
    if not sentences:
        raise DataError(path, None, "no sentences found")
    return sentences


def conll_line(path, sentence, token, encoding="utf-8"):
    """The line number of token `token` of sentence `sentence` (0-based) in a CoNLL file.

    `None` when `path` is not a readable file (data from TFDS, say).
    """
    if not os.path.isfile(path):
        return None
    index, position, previous_break = 0, 0, True
    for number, fields in _conll_rows(path, encoding):
        if fields is None:
            if not previous_break:
                index, position = index + 1, 0
            previous_break = True
            continue
        previous_break = False
        if index == sentence and position == token:
            return number
        position += 1
    return None


def read_text(path, encoding="utf-8"):
    """Reads a whole text file (language-model corpora)."""
    text = "\n".join(line for _, line in _lines(path, encoding))
    if not text.strip():
        raise DataError(path, None, "the file holds only whitespace")
    return text


# A number after a `?`: a character the file's encoding could not hold, as
# DataMarket's exports wrote a minus sign (`?0.2` for -0.2).
_LOST_CHARACTER = re.compile(r"\s*\?\d[\d.,]*\s*")


def _number(path, number, value, what):
    try:
        result = float(value)
    except ValueError:
        hint = ""
        if _LOST_CHARACTER.fullmatch(value):
            hint = (
                f"; a '?' before a number stands for a character the file's encoding could "
                f"not hold, often a minus sign: write it as {'-' + value.strip()[1:]!r} if it "
                "is one, or leave the cell empty (missing)"
            )
        raise DataError(path, number, f"{what} is not a number: {value!r}{hint}") from None
    if not math.isfinite(result):
        raise DataError(path, number, f"{what} is not finite: {value!r}")
    return result


# Cells of a CSV that mean a missing value (lower case): empty, R's and pandas'
# `NA`, `NaN`, `N/A`, `null`, `None`, Excel's `#N/A`, a dash, the World Bank's
# `..`, Eurostat's `:`, the UCI archive's `?`, FRED's `.`.
CSV_MISSING = ("", "na", "nan", "n/a", "#n/a", "null", "none", "-", "..", ":", "?", ".")
# The field separators of a CSV, the first preferred where the header splits
# as well on another.
CSV_DELIMITERS = (",", ";", "\t", "|")
# A number with a decimal comma, its thousands perhaps grouped by points.
_DECIMAL_COMMA = re.compile(r"\s*[-+]?(\d+|\d{1,3}(\.\d{3})+),\d+\s*")
# A number with its thousands grouped by commas, perhaps with a decimal point.
_THOUSANDS = re.compile(r"\s*[-+]?\d{1,3}(,\d{3})+(\.\d+)?\s*")
# A whole number with its thousands grouped by points (`1.234.567`; `1.234` in a
# column whose decimal mark is a comma).
_POINT_THOUSANDS = re.compile(r"\s*[-+]?\d{1,3}(\.\d{3})+\s*")
# A number that shows its decimal mark, the point or the comma (`_decimal_marks`):
# both marks, one mark twice (a thousands separator), or one mark once where it
# cannot group thousands (not three digits after it, or a first group of none,
# four or more digits, or a lone 0: `3,5`, `1234.567`, `0.125`). `1,234` and
# `1.234` show neither.
_SHOWS_MARK = {
    ".": re.compile(
        r"[-+]?(\d{1,3}(,\d{3})+\.\d+|\d{1,3}(,\d{3}){2,}"
        r"|\d*\.(\d{1,2}|\d{4,})|(\d{4,}|0|)\.\d{3})"
    ),
    ",": re.compile(
        r"[-+]?(\d{1,3}(\.\d{3})+,\d+|\d{1,3}(\.\d{3}){2,}"
        r"|\d*,(\d{1,2}|\d{4,})|(\d{4,}|0|),\d{3})"
    ),
}
_OTHER_MARK = {".": ",", ",": "."}
# The minus sign of Unicode (U+2212), as typeset tables and some exports write it.
_MINUS = "\u2212"
# A value with Eurostat's flags after it (its TSV downloads: `105.9 p`, provisional;
# `: c`, confidential, missing): b break in series, c confidential, d definition
# differs, e estimated, f forecast, n not significant, p provisional, r revised,
# s Eurostat estimate, u low reliability, z not applicable; up to three together, not
# a month (`12 dec`, `5 feb`: a date).
_FLAGGED = re.compile(
    r"\s*(?P<value>[-+]?[\d.,]*\d|:)\s+(?!dec\b|feb\b)(?P<flags>[bcdefnprsuz]{1,3})\s*"
)
# The first header cell of Eurostat's TSV, the only file whose flags are dropped
# (elsewhere `10 bn` is ten billion): its dimensions, then `\TIME_PERIOD` (`\time`
# before 2023).
_EUROSTAT_CORNER = re.compile(r".*\\time(_period)?\s*", re.IGNORECASE)
# A number with its unit, as spreadsheets format cells: a currency sign before or
# after it (`$1,234.50`, `-$3`, `12,50 €`), a percent sign after (`4.5%`).
_UNITS = "$€£¥"
_WITH_UNIT = re.compile(
    rf"\s*(?P<sign>[-+]?)(?:[{_UNITS}]\s?(?P<after>[-+]?[\d.,]*\d)"
    rf"|(?P<before>[-+]?[\d.,]*\d)\s?[%{_UNITS}])\s*"
)


# A note before a CSV's header declaring the marker of a missing value
# (NOAA's `Missing: -99`).
_MISSING_NOTE = re.compile(
    r"\s*missing(?:\s+values?)?\s*[:=]\s*(?P<marker>[^\s,;]+)[\s,;]*", re.IGNORECASE
)
# How many of a CSV's first lines choose its separator (`csv_delimiter`).
_DELIMITER_LINES = 20
# The "separator" of a file of one column: a control character no text holds, so
# that each line is one field (`1,5` one number with a decimal comma).
_ONE_COLUMN = "\x1f"
# The "separator" of a table whose columns are aligned by runs of spaces or tabs
# (`1821   269`, as Fortran programs and R's `write.table` write them).
_WHITESPACE = " "
# A field that only data holds, no column's name: digits and the separators of a
# date or a time (`2020-01-31`, `31/01/2020`, `2020-01-31T12:00`, `12:30`; a number
# reads as one by `is_number`).
_NUMERIC_STAMP = re.compile(r"\d[\d.:/ T+-]*\d|\d")
# Column names given to the fields of a file without a header (`csv_rows`).
_UNNAMED_COLUMN = "column {}"


def csv_delimiter(lines):
    """The field separator of a CSV whose first lines are `lines`, its header first.

    Of `CSV_DELIMITERS`, the one that splits the header into two or more
    fields and every line alike, else the one that splits the header into
    the most fields; commas on a tie. The lines settle a header that
    splits as well two ways (`Datum;Umsatz (netto, EUR)`, then the rows
    `2020-01;3,5` and `2020-02;4`: alike on `;` only). A header of one
    field however split is one column's: none (`_ONE_COLUMN`), unless every
    line splits alike into two or more at runs of spaces and tabs: a table
    aligned by them (`_WHITESPACE`), or the header into one field fewer than
    every other line, each first its number from 1, as R's `write.table`
    writes a data frame with its row names (`"x"`, then `"1" 112`;
    `csv_rows` names the row names' column: `_row_names_unnamed`).
    """
    def counts(delimiter):
        return [len(_fields(line, delimiter)) for line in lines]

    def score(delimiter):
        fields = counts(delimiter)
        rows = set(fields[1:]) or {fields[0]}
        alike = len(rows) == 1 and _header_fits(_fields(lines[0], delimiter), min(rows))
        return fields[0] > 1 and alike, fields[0]

    delimiter = max(CSV_DELIMITERS, key=score)
    if counts(delimiter)[0] > 1:
        return delimiter
    aligned = [_fields(line, _WHITESPACE) for line in lines]
    widths = {len(fields) for fields in aligned}
    if len(widths) == 1 and len(aligned[0]) > 1 or _row_names_unnamed(aligned):
        return _WHITESPACE
    return _ONE_COLUMN


def _row_names_unnamed(split):
    """Whether the header (`split[0]`, fields) is one field short of the rows, which count.

    As R's `write.table` writes a data frame with its default row names:
    the header names the columns but the row names' (`"x"` above `"1" 112`,
    `"2" 118`, ...), each row first its number from 1.
    """
    rows = split[1:]
    return (bool(rows) and len(split[0]) >= 1
            and all(len(fields) == len(split[0]) + 1 for fields in rows)
            and [fields[0].strip() for fields in rows] == [str(n) for n in range(1, len(rows) + 1)])


def csv_rows(path, encoding="utf-8", warn=True):
    """Yields `(line number, fields)` of a CSV's lines that are not blank, the header first.

    The fields are separated by commas, or by semicolons, tabs, `|` or runs
    of spaces where the first lines split so (`csv_delimiter` of the first
    `_DELIMITER_LINES`; Excel writes `;` in locales whose decimal mark is a
    comma); a file whose header is one field has one column. A header one
    field short of the rows at runs of spaces (R's `write.table` with its
    row names) gets an unnamed first column, the row names'. Numbers read
    as spreadsheets write them (`_plain_number`): with a currency or
    percent sign (`$1.50`, `4.5%`: 1.5 and 4.5), a Unicode minus sign
    (`\u22120.2`), their thousands grouped and their decimal mark a point
    or a comma as each column shows (`_decimal_marks`: `"1,234.5"` and
    `1.234,5` are 1234.5, `3,5` is 3.5; a column that shows both is an
    error naming a line of each). Where a column shows neither (`1,234`
    only), as the separator has it: in a file separated by commas, the
    thousands grouped by commas (`"1,234"`, quoted: 1234), in any other,
    a decimal comma (`1,234`: 1.234).

    In Eurostat's TSV, the flags after a value (`105.9 p`, `: c`:
    `_FLAGGED`) are dropped, with a warning unless `warn` is `False`.

    A file whose first line holds numbers and dates only has no header
    (`_is_headless`): its columns are named `column 1`, `column 2`, ...,
    with a warning unless `warn` is `False`, and the first line is data.

    Lines before the header, a title or notes (`_preamble`), are skipped,
    with a warning unless `warn` is `False`; where one declares the marker
    of a missing value (NOAA's `Missing: -99`: `_MISSING_NOTE`), the cells
    that hold it are empty (missing) fields. Lines of empty fields only
    (`,,,`, as Excel writes a blank row) are blank lines. Lines after the
    data, past a blank line, that are no row of it (`_is_footnote`: a title
    at the end, as DataMarket's exports have) are skipped, with a warning
    unless `warn` is `False`.
    """
    lines = ((number, line) for number, line in _lines(path, encoding) if line.strip())
    first = list(itertools.islice(lines, _DELIMITER_LINES))
    if not first:
        return
    skipped = _preamble([line for _, line in first])
    notes = [_MISSING_NOTE.fullmatch(line) for _, line in first[:skipped]]
    marker = next((note["marker"] for note in notes if note), None)
    if skipped and warn:
        logger.warning(
            "%s: %d line(s) before the header skipped, as a title or notes: %s%s", path, skipped,
            "; ".join(repr(line[:60]) for _, line in first[:skipped]),
            "" if marker is None else f"; cells of {marker!r} read as missing, as they declare",
        )
    first = first[skipped:]
    delimiter = csv_delimiter([line for _, line in first])
    split = [(number, line, _fields(line, delimiter)) for number, line in [*first, *lines]]
    width = len(split[0][2])
    flagged = _without_flags(split)
    if flagged and warn:
        logger.warning(
            "%s: %d value(s) with Eurostat's flags (%r, line %d, the first) read without them",
            path, *flagged,
        )
    row = len(split[1][2]) if len(split) > 1 else width
    if row < width and _header_fits(split[0][2], row):  # a header ended by the separator
        width = row
        split[0] = (*split[0][:2], split[0][2][:width])
    if delimiter == _WHITESPACE and _row_names_unnamed([f for _, _, f in split[:len(first)]]):
        # R's `write.table`: the row names' column unnamed, as `write.csv` names it.
        width = row
        split[0] = (*split[0][:2], ["", *split[0][2]])
    if _is_headless(split):
        names = [_UNNAMED_COLUMN.format(index) for index in range(1, width + 1)]
        split.insert(0, (split[0][0], None, names))
        if warn:
            logger.warning(
                "%s: line %d holds numbers or dates only, no column names: read as data, the "
                "columns named %s; a first line of names reads as the header", path,
                split[1][0], ", ".join(repr(name) for name in names[:3]) + (
                    ", ..." if width > 3 else ""),
            )
    marks = _decimal_marks(path, split[0][2], split[1:], delimiter)
    held = []  # lines that may be a footnote, until a data row follows them
    last = None  # the line number of the last row yielded
    for number, line, fields in split:
        fields = [_plain_number(field, mark) for field, mark in zip(fields, _each(marks))]
        if not any(field.strip() for field in fields):  # `,,,`: a blank row, as Excel writes it
            continue
        if (held or last is not None and number > last + 1) and _is_footnote(fields, width):
            held.append((number, line, fields))
            continue
        for held_number, _, held_fields in held:
            yield held_number, _with_missing(held_fields, marker)
        held = []
        last = number
        yield number, _with_missing(fields, marker)
    if held and warn:
        logger.warning(
            "%s: %d line(s) after the data skipped, as a footnote: %s", path, len(held),
            "; ".join(f"line {number} {line.strip()[:80]!r}" for number, line, _ in held),
        )


def _is_headless(split):
    """Whether a CSV's first line (`split[0]`) is data: the file has no header.

    `split` holds `(number, line, fields)` of its lines. Data where its
    fields and the next line's are numbers or dates (`_is_datum`; the next
    line's may be empty, missing), as many on each line: no column's name
    is a number, and a header's names would stand above rows of another
    kind. Not a run of three or more increasing years (`1990,1991,1992`):
    a header with the times across, a series a row; nor `0`, `0,1`, ...:
    the names pandas gives columns it has none for (`to_csv(index=False)`
    of an unnamed `Series` writes the header `0`).
    """
    if len(split) < 2 or len(split[0][2]) != len(split[1][2]):
        return False
    first, second = split[0][2], split[1][2]
    if [field.strip() for field in first] == [str(index) for index in range(len(first))]:
        return False
    if not all(map(_is_datum, first)) or not all(
        _is_datum(field) or field.strip().lower() in CSV_MISSING for field in second
    ):
        return False
    years = [int(field) for field in first if re.fullmatch(r"\s*\d{4}\s*", field)]
    across = len(years) == len(first) >= 3 and years == sorted(set(years))
    return not across


def _is_datum(field):
    """Whether a CSV `field` is a number (as spreadsheets write them) or a date of numbers."""
    field = field.strip()
    return bool(field) and (
        is_number(_plain_number(field, None))
        or is_number(_plain_number(field, "."))
        or _NUMERIC_STAMP.fullmatch(field) is not None
    )


def _without_flags(split):
    """Drops Eurostat's flags from the values of a CSV's rows, in place (`_FLAGGED`).

    `split` holds `(number, line, fields)`, the header first (left as it
    is). Only in Eurostat's TSV (its first header cell ends `\\TIME_PERIOD`:
    `_EUROSTAT_CORNER`). A flag says how a value was made (provisional,
    estimated, ...), not what it is: `105.9 p` reads as 105.9, `: c` as
    `:` (missing).

    Returns:
        `(count, first field, its line)` of the values that had flags, or
        `None`.
    """
    if not split or not split[0][2] or not _EUROSTAT_CORNER.fullmatch(split[0][2][0]):
        return None
    count, first = 0, None
    for index, (number, line, fields) in enumerate(split[1:], start=1):
        found = [_FLAGGED.fullmatch(field) if " " in field else None for field in fields]
        if any(found):
            count += sum(map(bool, found))
            first = first or (next(f.group(0).strip() for f in found if f), number)
            fields = [f["value"] if f else field for f, field in zip(found, fields)]
            split[index] = (number, line, fields)
    return (count, *first) if count else None


def _with_missing(fields, marker):
    """`fields` with those holding a declared missing-value `marker` empty (none where `None`)."""
    return ["" if marker is not None and field.strip() == marker else field for field in fields]


# Two words one after the other: a note's text.
_WORDS = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}")


def _is_footnote(fields, width):
    """Whether a line's `fields` may be a note after a table of `width` columns.

    As DataMarket's exports end (`Sales of shampoo over a three year
    period`; `Daily minimum temperatures in Melbourne, Australia,
    1981-1990`, its commas unquoted; `Perrin Freres monthly champagne
    sales,`, the other cells empty): not as many fields as the header, or
    only the first not empty; none a number, and two words in them (a row
    cut short, `2020-02`, is none; a row of text, `good film,positive`,
    is a row). Only lines past a blank line after the last data row are
    notes (`csv_rows`); one among the rows, or right under them, stays the
    error it is.
    """
    if len(fields) == width and any(field.strip() for field in fields[1:]):
        return False
    return not any(is_number(field) for field in fields) and bool(_WORDS.search(" ".join(fields)))


def _header_fits(header, width):
    """Whether a header of fields `header` names rows of `width` fields.

    As many, or more whose last are empty: a header ended by the separator
    (`Series id,Year,Period,Value,`, as the US Bureau of Labor Statistics'
    downloads end it) above rows that are not.
    """
    return len(header) >= width and not any(name.strip() for name in header[width:])


def _fields(line, delimiter):
    """The fields of one CSV `line` separated by `delimiter` (none of a blank line).

    A line longer than the csv module's field limit (128 KiB: a series
    of tens of thousands of values in a row, or a row split on another
    separator while the file's is sought) raises the limit to fit it,
    where the module would stop with "field larger than field limit".
    """
    if len(line) >= csv.field_size_limit():
        csv.field_size_limit(len(line) + 1)  # only ever raised, as far as a line needs
    if delimiter == _WHITESPACE:  # a run of spaces and tabs, before and after the line none
        line = line.strip().replace("\t", " ")
        return next(csv.reader([line], delimiter=" ", skipinitialspace=True), [])
    return next(csv.reader([line], delimiter=delimiter), [])


def _preamble(lines):
    """How many of a CSV's first `lines` come before its header: a title, notes.

    The header is the first line from which every line of `lines` splits
    alike, into two or more fields, on one of `CSV_DELIMITERS` (Google
    Trends: `Category: All categories`, then `Week,term`; NOAA's series:
    a title and `Units: ...` lines before `Date,Value`), where the lines
    before it but the first (a title) have fewer fields than it, its first
    field is no number or date and none is the row's below it (it names
    columns). None where no line starts such a run: a data row of the wrong
    length stays an error.
    """
    for start in range(len(lines) - 1):
        for delimiter in CSV_DELIMITERS:
            counts = {len(_fields(line, delimiter)) for line in lines[start + 1 :]}
            if len(counts) != 1 or (width := counts.pop()) < 2:
                continue
            if not _header_fits(_fields(lines[start], delimiter), width):
                continue
            if start == 0:
                return 0
            header = [name.strip() for name in _fields(lines[start], delimiter)]
            below = [value.strip() for value in _fields(lines[start + 1], delimiter)]
            notes = all(len(_fields(line, delimiter)) < width for line in lines[1:start])
            named = not header[0][:1].isdigit() and not is_number(header[0])
            if notes and named and not any(n and n == v for n, v in zip(header, below)):
                return start
    return 0


def _decimal_marks(path, header, rows, delimiter):
    """The decimal mark of each column of a CSV's `rows`, `(number, line, fields)`.

    `"."` where a column's numbers show a decimal point (`_SHOWS_MARK`:
    `1,234.5`, `12.5`, `1,234,567`), `","` where they show a decimal comma
    (`1.234,5`, `3,5`, `1.234.567`), else the separator's: `"."` in a file
    separated by commas, `None` (a decimal comma, a point left as it is:
    `1.234` is 1.234) in any other. A column that shows both is an error
    naming a line of each: one of its numbers would be read wrong either
    way. A number with its unit counts as it is written (`$1,234.50`).

    Returns:
        list of marks, one per column of `header`; `_each` repeats the
        last for the fields of a row longer than the header.
    """
    default = "." if delimiter == "," else None
    shown = [{} for _ in header]  # per column: {mark: (line number, field)}
    for number, _, fields in rows:
        for column, field in zip(shown, fields):
            if len(column) == 2 or not any(c in field for c in ".,"):
                continue
            number_text = _without_unit(field).strip()
            for mark, pattern in _SHOWS_MARK.items():
                # A number `pattern` matches holds `mark`, or the other mark twice.
                if mark in column or (mark not in number_text
                                      and number_text.count(_OTHER_MARK[mark]) < 2):
                    continue
                if pattern.fullmatch(number_text):
                    column[mark] = (number, field)
    marks = []
    for name, column in zip(header, shown):
        if len(column) == 2:
            (point_line, point), (comma_line, comma) = column["."], column[","]
            raise DataError(
                path, max(point_line, comma_line),
                f"column {name.strip()!r} writes its numbers with a decimal point "
                f"({point!r}, line {point_line}) and with a decimal comma ({comma!r}, line "
                f"{comma_line}): one of them would be read wrong; write them one way",
            )
        marks.append(next(iter(column), default))
    return marks


def _each(marks):
    """`marks`, then its last (or `None`) for ever: one per field of a row of any length."""
    return itertools.chain(marks, itertools.repeat(marks[-1] if marks else None))


def _without_unit(field):
    """`field`'s number without its currency or percent sign (`_WITH_UNIT`), else `field`.

    A Unicode minus sign (`_MINUS`) reads as `-` either way.
    """
    text = field.replace(_MINUS, "-")
    # Only a field with a sign of `_UNITS` or `%` can have one (all but `$` and `%` non-ASCII).
    signed = "$" in text or "%" in text or not text.isascii()
    unit = _WITH_UNIT.fullmatch(text) if signed else None
    return unit["sign"] + (unit["after"] or unit["before"]) if unit else text


def _plain_number(field, mark):
    """`field` as Python reads a number, where it is one as spreadsheets write them.

    Its unit left out (`_WITH_UNIT`: `$1.50`, `-$3`, `12,50 €`, `4.5%`),
    a Unicode minus sign as `-`; then, where the column's decimal `mark`
    (`_decimal_marks`) is `"."`, its thousands' commas (`1,234.5`), where
    it is `","`, its thousands' points and its decimal comma as a point
    (`1.234,5`, `1.234`), where it is `None`, a decimal comma as a point
    (`3,5`, `1.234,5`; `1.234` as it is). Any other field, or one whose
    unit leaves no number (`$1.2.3`), is as it was.
    """
    number = _without_unit(field)
    if mark == "." and _THOUSANDS.fullmatch(number):
        number = number.replace(",", "")
    elif mark != "." and (
        _DECIMAL_COMMA.fullmatch(number) or mark == "," and _POINT_THOUSANDS.fullmatch(number)
    ):
        number = number.replace(".", "").replace(",", ".")
    return number if is_number(number) else field


def read_csv_column(path, column, encoding="utf-8", missing=False):
    """Reads one numeric column of a CSV file with a header row (`csv_rows`).

    Args:
        path: the CSV file.
        column: `str` header name or `int` index of the column.
        encoding: the file's text encoding. Defaults to `"utf-8"`.
        missing: `bool.` Whether a cell that means a missing value
            (`CSV_MISSING`: empty, `NA`, `#N/A`, `..`, ...) reads as `nan`;
            else it is an error naming its line. Defaults to `False`.

    Returns:
        list of floats, one per data row.
    """
    return csv_column(path, csv_rows(path, encoding), column, missing)


def csv_column(path, rows, column, missing=False):
    """`read_csv_column` of a CSV's `rows` already read: `(line number, fields)`, header first.

    For a reader that reads the rows for more than this column; `path` only
    names the file in errors.
    """
    rows = iter(rows)
    _, header = next(rows, (None, None))
    if header is None:
        raise DataError(path, None, "the file holds only blank lines; expected a header")
    if isinstance(column, int):
        if not 0 <= column < len(header):
            raise DataError(path, 1, f"column index {column} is out of range for header {header}")
        index = column
    elif column in header:
        index = header.index(column)
    else:
        raise DataError(path, 1, f"no column {column!r}; the header has {header}")
    values = []
    for number, fields in rows:
        if len(fields) != len(header):
            raise DataError(path, number, f"expected {len(header)} fields, got {len(fields)}")
        if missing and fields[index].strip().lower() in CSV_MISSING:
            values.append(math.nan)
            continue
        values.append(_number(path, number, fields[index], f"column {header[index]!r}"))
    if not values:
        raise DataError(path, None, "no data rows after the header")
    return values


def ucr_fields(line):
    """The fields of a UCR line: separated by tabs, else commas, else spaces.

    Tabs as the 2018 archive's `.tsv` files, commas as its earlier files,
    spaces as the `.txt` files of timeseriesclassification.com
    (`  1.0000000e+00  -6.4e-01 ...`).
    """
    for separator in ("\t", ","):
        if separator in line:
            return line.split(separator)
    return line.split()


# Header names of the class label's column in a table of series (lower case).
LABEL_COLUMNS = ("label", "labels", "class", "classes", "target", "y", "category")
# Header names of a column numbering the rows (pandas' index), no part of a series.
_INDEX_COLUMNS = ("", "unnamed: 0", "index")


def is_ucr_row(fields):
    """Whether `fields` (`ucr_fields`) are a UCR line's: numbers beside a label, first or last."""
    return len(fields) > 2 and (all(map(is_number, fields[1:]))
                                or all(map(is_number, fields[:-1])))


def is_ucr_header(first, second):
    """Whether `first` names the columns of a table of series whose first row is `second`.

    Both are `ucr_fields` of a file's first two lines: a header of as many
    fields as the UCR line after it, not a UCR line itself or one counting
    its columns (pandas' `to_csv` of a frame with a label column:
    `label,t1,t2,...`, `x0,...,x59,class`, `0,1,...,59,label`).
    """
    header = not is_ucr_row(first) or _counts_columns(first)
    return header and len(first) == len(second) and is_ucr_row(second)


def _counts_columns(fields):
    """Whether `fields` are a label's name, first or last, beside `0, 1, 2, ...` (or from 1).

    As pandas names a frame's columns by number, then a label's
    (`0,1,...,59,label`; `LABEL_COLUMNS`): a header, though it reads as a
    UCR line. A label (`a`) before a series `1, 2, 3` is none.
    """
    for place, rest in ((0, fields[1:]), (-1, fields[:-1])):
        if fields[place].strip().lower() not in LABEL_COLUMNS:
            continue
        rest = [field.strip() for field in rest]
        if any(rest == [str(k) for k in range(start, start + len(rest))] for start in (0, 1)):
            return True
    return False


def _ucr_label(text):
    """A UCR label as written, a whole number in float notation as an integer (`1.0e+00`: `1`)."""
    text = text.strip()
    if any(mark in text for mark in ".eE") and is_number(text) and float(text).is_integer():
        return str(int(float(text)))
    return text


def read_ucr_tsv(path, encoding="utf-8"):
    """Reads UCR `label<TAB>v1<TAB>...<TAB>vT` lines (or separated as `ucr_fields` reads them).

    Every line has as many fields as the first. `NaN` marks a missing
    value, as the UCR archive (2018) writes them: the `NaN`s that end a
    line pad a shorter series to the file's length and are dropped (the
    archive's variable-length sets), those inside a series are kept as
    `nan` (missing values, as `?` in a `.ts` file).

    The label is a whole number or a word, first as the archive writes it,
    or last where the first fields are not labels (a fraction) and the
    last ones are (Kaggle's ECG heartbeat files, `v1,...,vT,label`).

    A first line naming the columns (`is_ucr_header`: `label,t1,t2,...`,
    as pandas writes a frame) is a header: the label is then in the first
    or last column where it alone is named as one (`LABEL_COLUMNS`), else
    placed as above; an unnamed first column numbering the rows (pandas'
    index: `0, 1, 2, ...`) is left out.

    Returns:
        `(series, labels)`: list of float lists (shorter where a line ends
        in `NaN`s), string labels.
    """
    rows, header = [], None
    for number, line in _lines(path, encoding):
        parts = ucr_fields(line)
        if number == 1 and (not is_ucr_row(parts) or _counts_columns(parts)):
            header = parts  # a header, if the next line is a UCR line (checked below)
            continue
        if len(parts) < 2 or any(not part.strip() for part in parts):
            raise DataError(path, number, "expected a label and the values, separated by tabs, "
                            f"commas or spaces, got {line[:80]!r}")
        if rows and len(parts) != len(rows[0][1]):
            raise DataError(
                path, number, f"expected {len(rows[0][1]) - 1} values like line 1, got "
                f"{len(parts) - 1}"
            )
        rows.append((number, parts))
    if header is not None:
        rows = _under_header(path, header, rows)
    label = _ucr_label_place(path, rows, header)
    series, labels = [], []
    for number, parts in rows:
        labels.append(_ucr_label(parts.pop(label)))
        values = [
            math.nan if v.strip().lower() == "nan" else _number(path, number, v, f"value {i + 1}")
            for i, v in enumerate(parts)
        ]
        while values and math.isnan(values[-1]):
            values.pop()
        if not values:
            raise DataError(path, number, "the series holds only missing values (NaN)")
        series.append(values)
    return series, labels


def _under_header(path, header, rows):
    """UCR `rows` (`(line, fields)`) under `header`, a column numbering the rows left out.

    Raises:
        DataError: where `header` is no header of the rows (`is_ucr_header`).
    """
    if not rows or not is_ucr_header(header, rows[0][1]):
        raise DataError(path, 1, "expected a label and the values, separated by tabs, commas "
                        f"or spaces, or a header naming them, got {','.join(header)[:80]!r}")
    if header[0].strip().lower() in _INDEX_COLUMNS and [
            parts[0].strip() for _, parts in rows[:2]] in (["0", "1"], ["1", "2"]):
        rows = [(number, parts[1:]) for number, parts in rows]
        header[:] = header[1:]
    return rows


def _ucr_label_place(path, rows, header=None):
    """Where the labels of UCR `rows` (`(line, fields)`) are: `0` (first) or `-1` (last).

    Where a `header` names its first or last column alone as a label's
    (`LABEL_COLUMNS`), there. Else: a label is a whole number or a word.
    First, as the archive writes it, unless a first field is a fraction;
    then last, where every last field is a label.

    Raises:
        DataError: naming the line of a fraction in the first column, where
            the last column holds one too.
    """
    named = [place for place in (0, -1)
             if header and header[place].strip().lower() in LABEL_COLUMNS]
    if len(named) == 1:
        return named[0]

    def fraction(text):
        return is_number(text) and math.isfinite(float(text)) and not float(text).is_integer()

    first = next(((number, parts[0]) for number, parts in rows if fraction(parts[0])), None)
    if first is None:
        return 0
    if not any(fraction(parts[-1]) for _, parts in rows):
        return -1
    number, text = first
    raise DataError(path, number, f"the first field, {text.strip()!r}, is no class label (a "
                    "whole number or a word), nor is the last")
