"""`build_classifier`: N→1, and the long-range dependency problem."""

import keras
import numpy as np
import pytest

from rnn_keras.data import long_range_classification
from rnn_keras.models import build_classifier


def accuracy_at_distance(cell, distance, epochs, length=None, units=32, samples=3000, learning_rate=1e-2):
    length = length or distance + 5
    x, y = long_range_classification(samples, length, distance, seed=0)
    x_test, y_test = long_range_classification(1000, length, distance, seed=1)
    model = build_classifier(2, vocab_size=10, cell=cell, units=units, embedding_dim=8,
                             learning_rate=learning_rate)
    # `epochs` is a ceiling: when a cell finds the marker varies by seed.
    model.fit(x, y, epochs=epochs, batch_size=64, verbose=0, callbacks=[StopWhenLearned()])
    return model.evaluate(x_test, y_test, verbose=0)[1]


class StopWhenLearned(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if logs["accuracy"] >= 0.99:
            self.model.stop_training = True


@pytest.mark.parametrize(
    "cell, distance, learning_rate",
    # The GRU (about 17 s) is large: the LSTM shows a gated cell carrying it by default.
    [("lstm", 30, 3e-3), pytest.param("gru", 20, 1e-2, marks=pytest.mark.large)],
)
def test_gated_cells_carry_a_marker_across_the_gap(cell, distance, learning_rate):
    # Checked on seeds 5, 7, 11 and 1337: each learns within the 25 epochs.
    assert accuracy_at_distance(cell, distance, 25, learning_rate=learning_rate) >= 0.95


@pytest.mark.large  # about 11 s: the vanishing-gradient demonstration (gated cells stay by default)
def test_vanilla_cell_fails_as_the_distance_grows():
    # The long-range dependency problem, documented: the same vanilla model
    # and budget (6 epochs, Adam 1e-2) solves a gap of 5 steps and is at
    # chance for 100 (measured: 1.0 and 0.51 on seeds 7 and 1337). It is
    # not helpless: with orthogonal W_hh and clipping it holds the marker
    # across 60 steps at this budget, and across 80 with Adam 3e-3.
    near = accuracy_at_distance("vanilla", 5, epochs=6)
    far = accuracy_at_distance("vanilla", 100, epochs=6)
    print(f"vanilla accuracy: distance 5 -> {near:.3f}, distance 100 -> {far:.3f}")
    assert near >= 0.95
    assert far <= 0.6


@pytest.mark.large
def test_long_range_table():
    """Accuracy by cell and distance at one budget (6 epochs, 3000 sequences).

    Recorded 2026-11-23 (Adam 1e-2): vanilla 1.0 up to distance 60, 0.51 at
    80 and 100; LSTM 1.0 at 40 on some seeds, ~0.5 at 80 (also with 20
    epochs, and at Adam 3e-3); GRU 1.0 at 20, ~0.5 at 40 and beyond. With
    Adam 3e-3 and up to 25 epochs: vanilla 1.0 at 80, LSTM 1.0 at 30 on
    every seed tried, GRU 1.0 at 40 on one seed of two. Gated cells at
    Keras's default initialisation (GRU update gate and LSTM forget gate
    near 0.5-0.73, so the state decays each step) need far more training
    than this to latch a marker across 80+ steps; an orthogonal vanilla
    cell does not decay.
    """
    table = {}
    for cell in ("vanilla", "lstm", "gru"):
        for distance in (5, 20, 40, 60, 80):
            table[(cell, distance)] = accuracy_at_distance(cell, distance, epochs=6)
    print(table)
    assert all(table[(cell, 5)] >= 0.95 for cell in ("vanilla", "lstm", "gru"))
    assert table[("vanilla", 80)] < table[("vanilla", 5)]


@pytest.mark.parametrize("pooling", ["last", "mean", "max"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_padding_changes_nothing(pooling, bidirectional):
    model = build_classifier(3, vocab_size=20, cell="gru", units=8, pooling=pooling,
                             bidirectional=bidirectional, embedding_dropout=0.3)
    ids = np.array([[4, 5, 6], [7, 8, 9]], "int32")
    padded = np.concatenate([ids, np.zeros((2, 4), "int32")], axis=1)
    np.testing.assert_allclose(model(padded), model(ids), atol=1e-6)
    # The embedding dropout keeps the mask and is active only in training.
    assert model.get_layer("embedding_dropout").rate == 0.3
    assert not np.allclose(model(ids, training=True), model(ids))


def test_features_input_one_hot_and_multi_label():
    model = build_classifier(4, num_features=3, cell="vanilla", units=8, multi_label=True)
    probabilities = np.asarray(model(np.random.rand(2, 5, 3).astype("float32")))
    assert probabilities.shape == (2, 4) and not np.allclose(probabilities.sum(1), 1.0)
    one_hot = build_classifier(2, vocab_size=6, one_hot=True, units=4)
    assert one_hot.get_layer("embedding").vocab_size == 6
    assert not one_hot.get_layer("embedding").weights


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"num_classes": 1, "vocab_size": 5}, "num_classes"),
        ({"num_classes": 2}, "Exactly one of"),
        ({"num_classes": 2, "vocab_size": 5, "num_features": 3}, "Exactly one of"),
        ({"num_classes": 2, "vocab_size": 0}, "vocab_size"),
        ({"num_classes": 2, "vocab_size": 5, "pooling": "attention"}, "pooling"),
        ({"num_classes": 2, "vocab_size": 5, "units": 0}, "units"),
        ({"num_classes": 2, "vocab_size": 5, "dropout": 1.0}, "dropout"),
        ({"num_classes": 2, "vocab_size": 5, "inputs": keras.Input((4, 2))}, "rank 2"),
        ({"num_classes": 2, "vocab_size": 5, "inputs": keras.Input((4,), dtype="float32")}, "integer dtype"),
        ({"num_classes": 2, "num_features": 2, "inputs": keras.Input((4,), dtype="int32")}, "rank 3"),
    ],
)
def test_bad_arguments_fail_at_build_time(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_classifier(**kwargs)


def test_keras_round_trip_keeps_outputs(tmp_path):
    model = build_classifier(3, vocab_size=20, cell="vanilla", units=8, num_layers=2,
                             bidirectional=True, pooling="max")
    x = np.array([[1, 2, 3, 0], [4, 5, 6, 7]], "int32")
    model.save(tmp_path / "classifier.keras")
    loaded = keras.models.load_model(tmp_path / "classifier.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
