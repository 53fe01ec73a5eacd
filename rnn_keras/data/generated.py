"""Generated seq2seq datasets: date normalisation and addition.

Deterministic for a seed, with train / validation / test splits that never
share an underlying item (a date, or an `(a, b)` pair), so a held-out score
measures generalisation, not recall. Addressed as `gen:dates` and
`gen:addition`.
"""

import datetime

import numpy as np

from rnn_keras.validation import check_one_of

GENERATED = ("dates", "addition")
SPLITS = ("train", "validation", "test")

_FIRST_DAY = datetime.date(1950, 1, 1).toordinal()
_LAST_DAY = datetime.date(2049, 12, 31).toordinal()
_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
]


def _date_formats(date):
    """Human ways to write `date` (no two-digit years: they are ambiguous)."""
    day, month, year = date.day, date.month, date.year
    name = _MONTHS[month - 1]
    short = name[:3]
    weekday = date.strftime("%A")
    return [
        f"{day} {name} {year}",
        f"{day:02d} {name} {year}",
        f"{name} {day}, {year}",
        f"{short} {day}, {year}",
        f"{day} {short} {year}",
        f"{day:02d}/{month:02d}/{year}",
        f"{day}.{month}.{year}",
        f"{year}/{month:02d}/{day:02d}",
        f"{weekday}, {name} {day}, {year}",
        f"{weekday[:3]} {day} {short} {year}",
        f"{day} {name.lower()} {year}",
        f"{name.upper()} {day} {year}",
        f"the {day} of {name} {year}",
    ]


def _date_pair(ordinal, rng):
    date = datetime.date.fromordinal(int(ordinal))
    formats = _date_formats(date)
    return formats[rng.integers(len(formats))], date.isoformat()


def _addition_pair(code, rng):
    a, b = divmod(int(code), 1000)
    return f"{a}+{b}", str(a + b)


def generate_pairs(name, sizes, seed=0):
    """Generates `(source, target)` string pairs for each split.

    Args:
        name: `"dates"` (human-written date → ISO `YYYY-MM-DD`) or
            `"addition"` (`"535+61"` → `"596"`, operands in `[0, 1000)`).
        sizes: `dict` from split name (`"train"`, `"validation"`, `"test"`)
            to the number of pairs.
        seed: `int.` Defaults to `0`.

    Returns:
        `dict` from split name to a list of `(source, target)` pairs. No
        date (or operand pair) appears in two splits.
    """
    check_one_of("name", name, GENERATED)
    for split, size in sizes.items():
        check_one_of("sizes", split, SPLITS)
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError(
                f"Invalid value for argument `sizes`. Expected a count >= 0 for "
                f"split {split!r}. Received: {size!r}"
            )
    if name == "dates":
        low, high, make = _FIRST_DAY, _LAST_DAY + 1, _date_pair
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
    result, start = {}, 0
    for split in SPLITS:
        if split not in sizes:
            continue
        chunk = items[start:start + sizes[split]]
        start += sizes[split]
        result[split] = [make(item, rng) for item in chunk]
    return result
