"""Generated date-normalisation and addition datasets."""

import datetime

import pytest

from rnn_keras.data import generate_pairs
from rnn_keras.data.generated import NOT_A_DATE

SIZES = {"train": 3000, "validation": 500, "test": 2000}


def test_dates_are_correct_deterministic_and_splits_never_overlap():
    data = generate_pairs("dates", SIZES, seed=3)
    # Each split: its dates, and 15% more inputs that are not dates.
    assert {k: len(v) for k, v in data.items()} == {k: round(v * 1.15) for k, v in SIZES.items()}
    assert data == generate_pairs("dates", SIZES, seed=3)
    assert data != generate_pairs("dates", SIZES, seed=4)
    dates = {split: {t for _, t in pairs if t != NOT_A_DATE} for split, pairs in data.items()}
    assert {split: len(d) for split, d in dates.items()} == SIZES
    assert not dates["train"] & dates["test"]
    assert not dates["train"] & dates["validation"]
    assert not dates["validation"] & dates["test"]
    formats = set()
    for source, target in data["train"]:
        if target == NOT_A_DATE:
            continue
        date = datetime.date.fromisoformat(target)
        assert 1950 <= date.year <= 2049
        assert str(date.year) in source or f"{date.year % 100:02d}" in source
        formats.add(source.replace(str(date.year), "Y")[:3])
    assert len(formats) > 10  # many human formats
    # The held-out inputs that are not dates never occur in training.
    invalid = {split: {s for s, t in pairs if t == NOT_A_DATE} for split, pairs in data.items()}
    assert not invalid["train"] & invalid["test"] and len(invalid["test"]) > 250


def test_inputs_that_are_not_dates_are_impossible_or_no_dates_at_all():
    data = generate_pairs("dates", {"train": 4000}, seed=0)["train"]
    invalid = [source for source, target in data if target == NOT_A_DATE]
    assert "" in invalid or " " in invalid
    assert any(source.lower().strip(" !") in ("yesterday", "tomorrow") for source in invalid)
    for source in invalid:  # none of them reads as a real date, day first
        assert not _real(source, "dmy"), source


def _real(source, order):
    """Whether `source` is a real date written in one of the generator's numeric formats."""
    import re

    match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})", source)
    if not match:
        return False
    first, second, year = (int(g) for g in match.groups())
    day, month = (first, second) if order == "dmy" or "." in source else (second, first)
    year = year if year >= 100 else (2000 + year if year < 50 else 1900 + year)
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def test_date_order_and_two_digit_years():
    for order in ("dmy", "mdy"):
        pairs = generate_pairs("dates", {"train": 20000}, seed=0, date_order=order)["train"]
        mapping = dict(pairs)
        slashed = [s for s, t in pairs if re_slash(s) and t != NOT_A_DATE]
        assert slashed
        for source in slashed[:200]:
            first, second, year = (int(v) for v in source.split("/"))
            day, month = (first, second) if order == "dmy" else (second, first)
            year = year if year >= 100 else (2000 + year if year < 50 else 1900 + year)
            assert mapping[source] == datetime.date(year, month, day).isoformat()


def re_slash(source):
    import re

    return re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}", source) is not None


def test_addition_sums_and_disjoint_operands():
    data = generate_pairs("addition", SIZES, seed=0)
    for pairs in data.values():
        for source, target in pairs:
            a, b = source.split("+")
            assert int(a) + int(b) == int(target) and 0 <= int(a) < 1000
    train = {s for s, _ in data["train"]}
    assert not train & {s for s, _ in data["test"]}


@pytest.mark.parametrize(
    "name, sizes, match",
    [
        ("times", {"train": 1}, "`name`"),
        ("dates", {"dev": 1}, "`sizes`"),
        ("dates", {"train": -1}, "`sizes`"),
        ("dates", {"train": 10**6}, "distinct items"),
        ("dates", {"train": 1}, "`invalid_share`"),
    ],
)
def test_bad_arguments(name, sizes, match):
    with pytest.raises(ValueError, match=match):
        generate_pairs(name, sizes, invalid_share=1.5 if "invalid" in match else 0.15)
