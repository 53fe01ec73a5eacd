"""Builders given embedding weights (pretrained vectors): set, frozen, saved, checked."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_keras.models import build_classifier
from rnn_keras.models import build_tagger

VOCAB = 12
DIM = 5


def _build(builder, **kwargs):
    if builder is build_tagger:
        return build_tagger(3, vocab_size=VOCAB, units=4, **kwargs)
    return build_classifier(2, vocab_size=VOCAB, units=4, **kwargs)


def _data(builder):
    rng = np.random.default_rng(0)
    tokens = rng.integers(1, VOCAB, (16, 6)).astype("int32")
    if builder is build_tagger:
        return tokens, rng.integers(1, 3, (16, 6)).astype("int32")
    return tokens, rng.integers(0, 2, (16,)).astype("int32")


@pytest.mark.parametrize("builder, freeze", [(build_tagger, True), (build_classifier, False)])
def test_weights_are_set_and_frozen_on_request(builder, freeze, tmp_path):
    weights = np.random.default_rng(1).normal(size=(VOCAB, DIM)).astype("float32")
    model = _build(builder, embedding_weights=weights, freeze_embeddings=freeze, embedding_dim=64)
    embedding = model.get_layer("embedding")
    np.testing.assert_array_equal(embedding.get_weights()[0], weights)
    assert embedding.output_dim == DIM  # the weights' size, not `embedding_dim`
    encoder_before = [w.copy() for w in model.get_layer("encoder").get_weights()]
    model.fit(*_data(builder), epochs=2, batch_size=8, verbose=0)
    trained = embedding.get_weights()[0]
    if freeze:
        np.testing.assert_array_equal(trained, weights)
        assert all(w is not embedding.embeddings for w in model.trainable_weights)
    else:
        assert np.abs(trained - weights).max() > 1e-4
    changed = model.get_layer("encoder").get_weights()
    assert any(np.abs(a - b).max() > 1e-4 for a, b in zip(encoder_before, changed))
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.get_layer("embedding").trainable == (not freeze)
    np.testing.assert_array_equal(loaded.get_layer("embedding").get_weights()[0], trained)


@pytest.mark.parametrize("builder", [build_tagger, build_classifier])
def test_bad_embedding_weights_are_named(builder):
    with pytest.raises(ValueError, match=r"embedding_weights.*\(12, dimension\).*\(11, 5\)"):
        _build(builder, embedding_weights=np.zeros((VOCAB - 1, DIM)))
    with pytest.raises(ValueError, match="embedding_weights.*one_hot"):
        _build(builder, embedding_weights=np.zeros((VOCAB, DIM)), one_hot=True)
    with pytest.raises(ValueError, match="embedding_weights.*num_features"):
        builder(2 if builder is build_classifier else 3, num_features=3,
                embedding_weights=np.zeros((VOCAB, DIM)))


def test_weights_are_set_on_every_replica():
    weights = np.random.default_rng(2).normal(size=(VOCAB, DIM)).astype("float32")
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():
        model = _build(build_tagger, embedding_weights=weights, trainable_embedding_rows=7)
    embedding = model.get_layer("embedding")
    for variable, rows in ((embedding.trained_embeddings, weights[:7]),
                           (embedding.fixed_embeddings, weights[7:])):
        replicas = strategy.experimental_local_results(variable.value)
        assert len(replicas) == 2
        for value in replicas:
            np.testing.assert_array_equal(value.numpy(), rows)
