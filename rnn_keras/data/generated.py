"""Generated seq2seq datasets: date normalisation and addition.

Deterministic for a seed, with train / validation / test splits that never
share an underlying item (a date, or an `(a, b)` pair), so a held-out score
measures generalisation, not recall. Addressed as `gen:dates` and
`gen:addition`.

Dates: human-written dates from 1950 to 2049 in 20 formats → ISO
`YYYY-MM-DD`. Numeric dates with slashes follow `date_order`: `"dmy"`
(`07/04/1976` is 7 April) or `"mdy"` (4 July); dotted ones (`7.4.1976`) are
always day first. Two-digit years follow a pivot: `00`–`49` are 2000–2049,
`50`–`99` 1950–1999 (the range of the generated dates). Every split also
holds inputs that are not dates, `invalid_share` of its size, whose target
is `"not a date"`: impossible dates in the same formats (30 February, 29
February of a common year, month 13, day 32), relative words (`yesterday`,
`next week`), partial dates (`March 2001`), numbers and other words, and the
empty string. The held-out splits' invalid inputs never occur in training.
"""

import datetime

import numpy as np

from rnn_keras.validation import check_one_of

GENERATED = ("dates", "addition")
SPLITS = ("train", "validation", "test")
DATE_ORDERS = ("dmy", "mdy")
NOT_A_DATE = "not a date"
# Two-digit years below the pivot are 20xx, the others 19xx.
PIVOT = 50
INVALID_SHARE = 0.15

_FIRST_DAY = datetime.date(1950, 1, 1).toordinal()
_LAST_DAY = datetime.date(2049, 12, 31).toordinal()
_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
]
_DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
_RELATIVE = [
    "yesterday", "today", "tomorrow", "now", "next week", "last week", "next month",
    "last year", "in three days", "two days ago", "the day after tomorrow", "last Monday",
    "next Friday", "soon", "never", "someday", "this weekend", "tonight",
]
_WORDS = [
    "hello", "meeting", "invoice", "total", "amount", "name", "city", "Paris", "the", "film",
    "order", "number", "none", "unknown", "pending", "N/A", "TBD", "date", "time", "noon",
]


def _ordinal(day):
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _render(day, month, year, order, weekday=None):
    """The human ways to write day, month and year (in range or not: the caller decides).

    `month` beyond 12 appears only in the numeric formats; `weekday` adds
    the formats that name it.
    """
    first, second = (day, month) if order == "dmy" else (month, day)
    numeric = [
        f"{first:02d}/{second:02d}/{year}",
        f"{first}/{second}/{year}",
        f"{first}/{second}/{year % 100:02d}",
        f"{day}.{month}.{year}",
        f"{day:02d}.{month:02d}.{year % 100:02d}",
        f"{year}/{month:02d}/{day:02d}",
        f"{year}-{month:02d}-{day:02d}",
    ]
    if not 1 <= month <= 12:
        return numeric
    name = _MONTHS[month - 1]
    short = name[:3]
    words = [
        f"{day} {name} {year}",
        f"{day:02d} {name} {year}",
        f"{name} {day}, {year}",
        f"{short} {day}, {year}",
        f"{day} {short} {year}",
        f"{day} {name.lower()} {year}",
        f"{name.upper()} {day} {year}",
        f"the {day} of {name} {year}",
        f"{name} {_ordinal(day)}, {year}",
        f"the {_ordinal(day)} of {name} {year}",
        f"{_ordinal(day)} of {name}, {year}",
    ]
    if weekday is not None:
        words += [f"{weekday}, {name} {day}, {year}", f"{weekday[:3]} {day} {short} {year}"]
    return numeric + words


def _date_pair(ordinal, rng, order):
    date = datetime.date.fromordinal(int(ordinal))
    formats = _render(date.day, date.month, date.year, order, date.strftime("%A"))
    return formats[rng.integers(len(formats))], date.isoformat()


def _leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _invalid_source(rng, order):
    """An input that is not a date (see the module docstring)."""
    kind = rng.integers(6)
    year = int(rng.integers(1950, 2050))
    if kind <= 1:  # an impossible day of a real month
        month = int(rng.integers(1, 13))
        last = _DAYS_IN_MONTH[month - 1] + (month == 2 and _leap(year))
        day = int(rng.integers(last + 1, 32)) if last < 31 else 32
        if month == 2 and rng.random() < 0.3 and not _leap(year):
            day = 29  # 29 February of a common year
        formats = _render(day, month, year, order)
    elif kind == 2:  # a month or day out of range, in the numeric formats
        if rng.random() < 0.5:
            month, day = int(rng.integers(13, 20)), int(rng.integers(1, 29))
        else:
            month, day = int(rng.integers(1, 13)), int(rng.choice([0, 32, 33, 35, 39]))
        formats = _render(day, month, year, order)[:7]
    elif kind == 3:  # relative words, in any case, maybe padded
        word = str(rng.choice(_RELATIVE))
        word = [word, word.capitalize(), word.upper()][rng.integers(3)]
        formats = [word, f" {word}", f"{word}!"]
    elif kind == 4:  # a part of a date
        month = int(rng.integers(1, 13))
        name = _MONTHS[month - 1]
        formats = [
            f"{name} {year}", f"{name[:3]} {year}", f"{month:02d}/{year}", str(year),
            f"{name} {int(rng.integers(1, 29))}", f"{_ordinal(int(rng.integers(1, 29)))} of {name}",
        ]
    else:  # other text, numbers, nothing
        words = list(rng.choice(_WORDS, size=int(rng.integers(1, 4))))
        formats = [
            " ".join(words), str(int(rng.integers(0, 10**int(rng.integers(1, 9))))),
            f"{int(rng.integers(1, 1000))}-{int(rng.integers(1, 1000))}", "", " ",
        ]
    return formats[rng.integers(len(formats))]


def _addition_pair(code, rng):
    a, b = divmod(int(code), 1000)
    return f"{a}+{b}", str(a + b)


def generate_pairs(name, sizes, seed=0, date_order="dmy", invalid_share=INVALID_SHARE):
    """Generates `(source, target)` string pairs for each split.

    Args:
        name: `"dates"` (human-written date → ISO `YYYY-MM-DD`, see the
            module docstring) or `"addition"` (`"535+61"` → `"596"`,
            operands in `[0, 1000)`).
        sizes: `dict` from split name (`"train"`, `"validation"`, `"test"`)
            to the number of dates (or sums).
        seed: `int.` Defaults to `0`.
        date_order: `"dmy"` or `"mdy"`: the order of day and month in
            numeric dates with slashes. Defaults to `"dmy"`.
        invalid_share: `float` in `[0, 1)`: dates only: inputs that are not
            dates, as a share of each split's size, added to it. Defaults to
            `0.15`.

    Returns:
        `dict` from split name to a list of `(source, target)` pairs. No
        date (or operand pair) appears in two splits, nor an invalid input
        of the training split in the others.
    """
    check_one_of("name", name, GENERATED)
    check_one_of("date_order", date_order, DATE_ORDERS)
    for split, size in sizes.items():
        check_one_of("sizes", split, SPLITS)
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError(
                f"Invalid value for argument `sizes`. Expected a count >= 0 for "
                f"split {split!r}. Received: {size!r}"
            )
    if not 0 <= invalid_share < 1:
        raise ValueError(
            "Invalid value for argument `invalid_share`. Expected a number in [0, 1). "
            f"Received: invalid_share={invalid_share!r}"
        )
    if name == "dates":
        low, high = _FIRST_DAY, _LAST_DAY + 1

        def make(item, rng):
            return _date_pair(item, rng, date_order)

    else:
        low, high, make = 0, 1000 * 1000, _addition_pair
    total = sum(sizes.values())
    if total > high - low:
        raise ValueError(
            f"Invalid value for argument `sizes`. {name!r} has {high - low} distinct "
            f"items; {total} were asked for."
        )
    rng = np.random.default_rng(seed)
    items = rng.choice(np.arange(low, high), size=total, replace=False)
    result, start, seen = {}, 0, set()
    for split in SPLITS:
        if split not in sizes:
            continue
        chunk = items[start:start + sizes[split]]
        start += sizes[split]
        pairs = [make(item, rng) for item in chunk]
        if name == "dates" and invalid_share:
            count = round(sizes[split] * invalid_share)
            pairs += _invalid_pairs(rng, count, date_order, seen, held_out=split != "train")
            pairs = [pairs[i] for i in rng.permutation(len(pairs))]
        result[split] = pairs
    return result


def _invalid_pairs(rng, count, order, seen, held_out):
    """`count` invalid inputs; a held-out split's are not in `seen` (the training split's)."""
    sources = []
    for _ in range(count * 50):
        if len(sources) == count:
            break
        source = _invalid_source(rng, order)
        if held_out and source in seen:
            continue
        sources.append(source)
        if not held_out:
            seen.add(source)
    return [(source, NOT_A_DATE) for source in sources]
