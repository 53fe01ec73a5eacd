"""Generated date-normalisation and addition datasets."""

import datetime

import pytest

from rnn_keras.data import generate_pairs

SIZES = {"train": 3000, "validation": 500, "test": 2000}


def test_dates_are_correct_deterministic_and_splits_never_overlap():
    data = generate_pairs("dates", SIZES, seed=3)
    assert {k: len(v) for k, v in data.items()} == SIZES
    assert data == generate_pairs("dates", SIZES, seed=3)
    assert data != generate_pairs("dates", SIZES, seed=4)
    targets = {split: {t for _, t in pairs} for split, pairs in data.items()}
    assert not targets["train"] & targets["test"]
    assert not targets["train"] & targets["validation"]
    assert not targets["validation"] & targets["test"]
    formats = set()
    for source, target in data["train"]:
        date = datetime.date.fromisoformat(target)
        assert 1950 <= date.year <= 2049
        assert str(date.year) in source
        formats.add(source.replace(str(date.year), "Y")[:3])
    assert len(formats) > 10  # many human formats


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
    ],
)
def test_bad_arguments(name, sizes, match):
    with pytest.raises(ValueError, match=match):
        generate_pairs(name, sizes)
