"""`MacroF1` in the graph against the plain `scores.macro_f1`."""

import keras
import numpy as np
import pytest

from rnn_keras.metrics import MacroF1
from rnn_keras.metrics.scores import macro_f1


@pytest.mark.parametrize("classes", [2, 5])
def test_matches_the_plain_score_over_batches(classes):
    rng = np.random.default_rng(classes)
    labels = rng.integers(0, classes, 200)
    probabilities = rng.random((200, classes))
    probabilities[:, 0] += 0.3  # a frequent prediction, a rare one
    metric = MacroF1(classes)
    for start in range(0, 200, 64):
        metric.update_state(labels[start : start + 64], probabilities[start : start + 64])
    expected = macro_f1(list(labels), list(probabilities.argmax(-1)), list(range(classes)))
    assert float(metric.result()) == pytest.approx(expected, abs=1e-6)
    metric.reset_state()
    assert float(metric.result()) == 0.0


def test_sample_weights_count_examples():
    metric = MacroF1(2)
    metric.update_state([0, 1, 1], [[0.9, 0.1], [0.8, 0.2], [0.1, 0.9]], sample_weight=[1, 2, 0])
    # Counted: label 0 predicted 0 (weight 1), label 1 predicted 0 (weight 2).
    assert float(metric.result()) == pytest.approx((2 / 4 + 0) / 2)


def test_config_round_trip_and_argument_check():
    metric = MacroF1(3, name="f1")
    restored = keras.metrics.deserialize(keras.metrics.serialize(metric))
    assert isinstance(restored, MacroF1)
    assert (restored.num_classes, restored.name) == (3, "f1")
    with pytest.raises(ValueError, match="num_classes"):
        MacroF1(1)


def test_a_classifier_logs_it():
    from rnn_keras.models import build_classifier

    model = build_classifier(3, vocab_size=20, units=4, embedding_dim=4)
    x = np.random.default_rng(0).integers(1, 20, (16, 5))
    y = np.arange(16) % 3
    history = model.fit(x, y, validation_data=(x, y), epochs=1, verbose=0)
    assert 0 <= history.history["val_macro_f1"][0] <= 1
