"""`class_weight`: balanced class weights on the training examples of a classifier."""

import numpy as np
import pytest

from rnn_keras.tasks import make_task

TEXTS = ["a good film", "a bad film", "good", "fine work", "bad", "awful", "dull", "poor"]
LABELS = ["pos", "pos", "pos", "pos", "pos", "pos", "neg", "neg"]


def _weights(task, training):
    dataset = task.dataset((TEXTS, LABELS), training=training)
    weights, labels = [], []
    for batch in dataset:
        if len(batch) == 2:
            return None
        _, targets, sample_weights = batch
        labels.extend(targets.numpy().tolist())
        weights.extend(sample_weights.numpy().tolist())
    return dict(zip(labels, weights)), len(weights)


def test_balanced_weights_give_every_class_the_same_total():
    task = make_task("classify", {"class_weight": "balanced", "defaults": "fixed"})
    task.prepare((TEXTS, LABELS))
    # 8 examples, 2 classes: 8 / (2 * 2) for neg, 8 / (2 * 6) for pos.
    np.testing.assert_allclose(task.state["class_weights"], [2.0, 2 / 3])
    by_label, count = _weights(task, training=True)
    assert count == len(TEXTS)
    assert by_label == pytest.approx({task.classes.index("neg"): 2.0, 1: 2 / 3})
    # Validation and test are scored as they are.
    assert _weights(task, training=False) is None


def test_no_weights_by_default():
    task = make_task("classify", {"defaults": "fixed"})
    task.prepare((TEXTS, LABELS))
    assert "class_weights" not in task.state
    assert _weights(task, training=True) is None
