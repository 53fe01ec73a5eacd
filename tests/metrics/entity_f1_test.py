"""`EntityF1` against a plain-Python conlleval-style scorer."""

import keras
import numpy as np
import pytest

from rnn_keras.metrics import EntityF1

TAGS = ["<pad>", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]


def entities(tag_names):
    """Set of (start, end, type) spans, conlleval's BIO reading."""
    spans, start, kind = set(), None, None
    for i, tag in enumerate(tag_names + ["O"]):
        prefix, _, entity = tag.partition("-")
        continues = prefix == "I" and entity == kind and start is not None
        if start is not None and not continues:
            spans.add((start, i - 1, kind))
            start, kind = None, None
        if prefix == "B" or (prefix == "I" and not continues):
            start, kind = i, entity
    return spans


def reference_counts(gold_ids, pred_ids):
    tp = n_pred = n_gold = 0
    for gold_row, pred_row in zip(gold_ids, pred_ids):
        valid = [i for i, g in enumerate(gold_row) if g != 0]
        gold_tags = [TAGS[gold_row[i]] for i in valid]
        pred_tags = [TAGS[pred_row[i]] if pred_row[i] != 0 else "O" for i in valid]
        g, p = entities(gold_tags), entities(pred_tags)
        tp += len(g & p)
        n_pred += len(p)
        n_gold += len(g)
    return tp, n_pred, n_gold


def test_hand_checked_example():
    metric = EntityF1(TAGS)
    gold = np.array([[2, 3, 1, 4, 5, 0], [1, 2, 2, 3, 0, 0]])
    pred = np.array([[2, 3, 1, 4, 1, 0], [1, 2, 2, 3, 1, 1]])
    metric.update_state(gold, keras.ops.one_hot(pred, len(TAGS)))
    # gold: PER(0-1), LOC(3-4), PER(1), PER(2-3); predicted LOC(3) is short.
    assert [float(v) for v in metric.variables] == [3.0, 4.0, 4.0]
    assert float(metric.result()) == pytest.approx(0.75)


@pytest.mark.parametrize("seed", range(5))
def test_matches_reference_on_random_tags(seed):
    rng = np.random.default_rng(seed)
    gold = rng.integers(1, len(TAGS), size=(16, 12))
    pred = np.where(rng.random(gold.shape) < 0.7, gold, rng.integers(1, len(TAGS), size=gold.shape))
    for row, length in enumerate(rng.integers(1, 13, size=16)):
        gold[row, length:] = 0  # padding
    results = {name: EntityF1(TAGS, name) for name in ("precision", "recall", "f1")}
    for start in (0, 8):  # two batches accumulate
        for metric in results.values():
            metric.update_state(gold[start:start + 8], keras.ops.one_hot(pred[start:start + 8], len(TAGS)))
    tp, n_pred, n_gold = reference_counts(gold.tolist(), pred.tolist())
    precision, recall = tp / n_pred, tp / n_gold
    assert float(results["precision"].result()) == pytest.approx(precision, abs=1e-6)
    assert float(results["recall"].result()) == pytest.approx(recall, abs=1e-6)
    assert float(results["f1"].result()) == pytest.approx(2 * precision * recall / (precision + recall), abs=1e-6)


def test_reset_and_invalid_tags():
    metric = EntityF1(TAGS)
    metric.update_state(np.array([[2, 3]]), keras.ops.one_hot(np.array([[2, 3]]), len(TAGS)))
    assert float(metric.result()) == 1.0
    metric.reset_state()
    assert float(metric.result()) == 0.0
    with pytest.raises(ValueError, match=r"tags\[2\]='PER'"):
        EntityF1(["<pad>", "O", "PER"])
