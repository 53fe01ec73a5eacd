"""`build_ensemble`: the mean of the members' outputs, saved and reloaded whole."""

import keras
import numpy as np
import pytest

from rnn_keras.models import build_classifier
from rnn_keras.models import build_ensemble
from rnn_keras.models import build_forecaster
from rnn_keras.models import build_tagger


def token_batch(seed, vocab_size=30, batch=6, length=9):
    rng = np.random.default_rng(seed)
    tokens = rng.integers(1, vocab_size, size=(batch, length)).astype("int32")
    for row, kept in enumerate(rng.integers(1, length + 1, size=batch)):
        tokens[row, kept:] = 0  # right padding, masked by the members
    return tokens


def test_classifier_members_of_different_cells_are_averaged():
    members = [
        build_classifier(3, vocab_size=30, embedding_dim=8, cell=cell, units=units,
                         bidirectional=cell == "lstm")
        for cell, units in (("vanilla", 5), ("lstm", 7), ("gru", 6))
    ]
    tokens = token_batch(0)
    expected = np.mean([member.predict(tokens, verbose=0) for member in members], axis=0)
    ensemble = build_ensemble(members)
    np.testing.assert_allclose(ensemble.predict(tokens, verbose=0), expected, atol=1e-6)
    assert [ensemble.get_layer(f"member_{i}") is m for i, m in enumerate(members)] == [True] * 3
    # Nothing is retrained or copied: the members' weights are the ensemble's.
    assert len(ensemble.weights) == sum(len(m.weights) for m in members)


def test_tagger_members_with_character_inputs_and_masks():
    members = [
        build_tagger(5, vocab_size=30, embedding_dim=8, units=6, char_vocab_size=12)
        for _ in range(2)
    ]
    tokens = token_batch(1)
    characters = np.random.default_rng(2).integers(1, 12, size=tokens.shape + (4,))
    characters[tokens == 0] = 0  # padding tokens have no characters
    inputs = {"tokens": tokens, "characters": characters.astype("int32")}
    expected = np.mean([member.predict(inputs, verbose=0) for member in members], axis=0)
    ensemble = build_ensemble(members)
    np.testing.assert_allclose(ensemble.predict(inputs, verbose=0), expected, atol=1e-6)
    # The members' padding mask reaches the ensemble's output (losses skip padding).
    mask = ensemble(inputs)._keras_mask
    np.testing.assert_array_equal(np.asarray(mask), tokens != 0)


def test_save_and_load_round_trip(tmp_path):
    history = np.random.default_rng(3).normal(size=(40, 12, 1)).astype("float32")
    members = [
        build_forecaster(1, horizon=4, units=5, history=history, input_length=12, cell=cell)
        for cell in ("gru", "lstm")
    ]
    ensemble = build_ensemble(members, name="forecasts")
    expected = ensemble.predict(history[:5], verbose=0)
    np.testing.assert_allclose(
        expected, np.mean([m.predict(history[:5], verbose=0) for m in members], axis=0), atol=1e-6
    )
    ensemble.save(tmp_path / "ensemble.keras")
    loaded = keras.models.load_model(tmp_path / "ensemble.keras")
    assert loaded.name == "forecasts"
    np.testing.assert_allclose(loaded.predict(history[:5], verbose=0), expected, atol=1e-6)


class Subclassed(keras.Model):
    def call(self, x):
        return x


def test_sequential_members():
    members = [keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]) for _ in range(2)]
    x = np.random.default_rng(4).normal(size=(5, 3)).astype("float32")
    expected = np.mean([m.predict(x, verbose=0) for m in members], axis=0)
    np.testing.assert_allclose(build_ensemble(members).predict(x, verbose=0), expected, atol=1e-6)


def test_invalid_members_are_named():
    classifier = build_classifier(2, vocab_size=30, embedding_dim=8, units=4)
    with pytest.raises(ValueError, match="two or more"):
        build_ensemble([classifier])
    with pytest.raises(TypeError, match=r"members\[1\] of type Dense"):
        build_ensemble([classifier, keras.layers.Dense(2)])
    with pytest.raises(TypeError, match=r"members\[0\] of type Subclassed"):
        build_ensemble([Subclassed(), classifier])
    three_classes = build_classifier(3, vocab_size=30, embedding_dim=8, units=4)
    with pytest.raises(ValueError, match=r"outputs of one shape.*members\[1\]"):
        build_ensemble([classifier, three_classes])
    tagger = build_tagger(2, vocab_size=30, embedding_dim=8, units=4, char_vocab_size=5)
    with pytest.raises(ValueError, match=r"same inputs.*members\[1\]"):
        build_ensemble([classifier, tagger])
