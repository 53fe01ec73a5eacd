"""`build_tagger`: N→N with masked padding and entity-level F1."""

import keras
import numpy as np
import pytest

from rnn_keras.models import build_tagger

TAGS = ["<pad>", "O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
PER_WORDS = range(3, 7)
LOC_WORDS = range(7, 11)


def tagging_data(num_samples, seed, max_length=12):
    """Tokens 3-6 are person words, 7-10 place words, 11-19 other; a run of
    same-kind words is one entity; a '2' splits runs."""
    rng = np.random.default_rng(seed)
    tokens = np.zeros((num_samples, max_length), "int32")
    tags = np.zeros_like(tokens)
    for row in range(num_samples):
        length = rng.integers(3, max_length + 1)
        previous = None
        for t in range(length):
            token = int(rng.integers(2, 20))
            kind = "PER" if token in PER_WORDS else "LOC" if token in LOC_WORDS else None
            tokens[row, t] = token
            if kind is None:
                tags[row, t] = TAGS.index("O")
            else:
                prefix = "I" if previous == kind else "B"
                tags[row, t] = TAGS.index(f"{prefix}-{kind}")
            previous = kind
    return tokens, tags


def test_learns_entities_and_reports_entity_f1():
    x, y = tagging_data(3000, 0)
    x_test, y_test = tagging_data(500, 1)
    model = build_tagger(len(TAGS), vocab_size=20, cell="gru", units=32, embedding_dim=16,
                         tags=TAGS, learning_rate=1e-2)
    model.fit(x, y, epochs=6, batch_size=64, verbose=0)
    results = model.evaluate(x_test, y_test, return_dict=True, verbose=0)
    assert results["entity_f1"] >= 0.95, results
    assert results["token_accuracy"] >= 0.97, results
    assert {"entity_precision", "entity_recall"} <= set(results)


@pytest.mark.parametrize("cell", ["vanilla", "lstm", "gru"])
def test_padding_changes_nothing_in_outputs_or_loss(cell):
    model = build_tagger(len(TAGS), vocab_size=20, cell=cell, units=8, tags=TAGS,
                         embedding_dropout=0.2)
    x, y = tagging_data(8, 2, max_length=6)
    x[:, 5:] = 0
    y[:, 5:] = 0
    padded_x = np.concatenate([x, np.zeros((8, 5), "int32")], axis=1)
    padded_y = np.concatenate([y, np.zeros((8, 5), "int32")], axis=1)
    np.testing.assert_allclose(model(padded_x)[:, :6], model(x), atol=1e-6)
    short = model.evaluate(x, y, return_dict=True, verbose=0, batch_size=8)
    long = model.evaluate(padded_x, padded_y, return_dict=True, verbose=0, batch_size=8)
    for key in ("loss", "token_accuracy", "entity_f1"):
        assert long[key] == pytest.approx(short[key], abs=1e-6), key


def test_bad_arguments_fail_at_build_time():
    with pytest.raises(ValueError, match="`num_tags`"):
        build_tagger(1, vocab_size=5)
    with pytest.raises(ValueError, match="`tags`. Expected 6 names"):
        build_tagger(6, vocab_size=5, tags=TAGS[:4])
    with pytest.raises(ValueError, match="Exactly one of"):
        build_tagger(6)


def test_keras_round_trip_keeps_outputs(tmp_path):
    model = build_tagger(len(TAGS), vocab_size=20, cell="lstm", units=8, tags=TAGS)
    x, _ = tagging_data(3, 3)
    model.save(tmp_path / "tagger.keras")
    loaded = keras.models.load_model(tmp_path / "tagger.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
