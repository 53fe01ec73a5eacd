import collections

import numpy as np
import pytest

from rnn_keras import runner
from rnn_keras.config import ConfigError
from rnn_keras.data.splits import shuffled_split
from rnn_keras.data.splits import stratified_split


def test_a_stratified_part_holds_each_labels_share():
    labels = ["a"] * 50 + ["b"] * 30 + ["c"] * 20
    rest, part = stratified_split(labels, 0.1, seed=0)
    assert sorted([*rest, *part]) == list(range(100))
    assert collections.Counter(labels[i] for i in part) == {"a": 5, "b": 3, "c": 2}
    # Shares that do not divide: 9 of 91 examples (labels of 21, 21, 21, 21, 6 and 1),
    # each label within one of its share, the same for the same seed.
    labels = list("aaaaaaabbbbbbbcccccccdddddddee") * 3 + ["f"]
    rest, part = stratified_split(labels, 0.1, seed=3)
    counts = collections.Counter(labels[i] for i in part)
    assert len(part) == 9 and sum(counts.values()) == 9
    for label, count in collections.Counter(labels).items():
        assert abs(counts[label] - count * 9 / len(labels)) < 1
    again = stratified_split(labels, 0.1, seed=3)
    np.testing.assert_array_equal(again[1], part)
    assert not np.array_equal(stratified_split(labels, 0.1, seed=4)[1], part)


def test_every_label_keeps_a_training_example():
    # UCR's PigCVP: 52 labels of 2 examples each. A tenth held out at random
    # (`shuffled_split`) leaves some label without a training example.
    labels = np.repeat(np.arange(52), 2)
    lost = 0
    for seed in range(20):
        rest, part = stratified_split(labels, 0.1, seed)
        assert len(part) == 10 and len(set(labels[part])) == 10
        assert set(labels[rest]) == set(range(52))
        lost += len(set(labels[shuffled_split(104, 0.1, seed)[0]])) < 52
    assert lost > 0  # the failure this guards against
    # A label of one example is never held out; so much asked as can be given.
    labels = ["a", "b", "b", "c", "c", "c"]
    for seed in range(10):
        rest, part = stratified_split(labels, 0.9, seed)
        assert sorted(labels[i] for i in rest) == ["a", "b", "c"]
    with pytest.raises(ValueError, match="each of their labels has one"):
        stratified_split(["a", "b", "c"], 0.5, seed=0)


def test_a_classifier_of_two_series_a_label_trains(tmp_path):
    # 104 series of 52 labels, a tenth held out for validation: before, some
    # label's two series were both held out and training stopped ("label ...
    # (held out of the training data) is not among the training labels").
    rng = np.random.default_rng(0)
    for name, count in (("train", 2), ("test", 1)):
        lines = []
        for label in range(52):
            for _ in range(count):
                values = np.sin(np.arange(12) * (label + 1) / 9) + rng.normal(0, 0.05, 12)
                lines.append("\t".join([str(label)] + [f"{v:.4f}" for v in values]))
        (tmp_path / f"{name}.tsv").write_text("\n".join(lines) + "\n")
    config = {"task": "classify", "data": str(tmp_path / "train.tsv"),
              "test": str(tmp_path / "test.tsv"), "output": str(tmp_path / "model"),
              "units": 4, "conv_filters": 4, "epochs": 1, "seeds": 1}
    metrics = runner.train(config, verbose=0)
    assert metrics["data"]["validation"].endswith("(held out)")
    assert metrics["test"]["examples"] == 52
    # No label with a second example: nothing can be held out, said with the option.
    (tmp_path / "unique.tsv").write_text("a\tgood film\nb\tbad film\nc\tfine film\n")
    config = {**config, "data": str(tmp_path / "unique.tsv"), "test": None,
              "output": str(tmp_path / "unique")}
    with pytest.raises(ConfigError, match=r"option `valid_fraction`: cannot hold out any of 3 "
                       r"examples: .* give the validation data as a file \(--valid FILE\)"):
        runner.train(config, verbose=0)
