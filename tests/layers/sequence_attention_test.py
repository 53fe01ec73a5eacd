"""`SequenceAttention` against NumPy, for both scores, with masks."""

import keras
import numpy as np
import pytest

from rnn_keras.layers import SequenceAttention


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


@pytest.mark.parametrize("score", ["bahdanau", "luong"])
def test_matches_numpy_with_source_mask(score):
    rng = np.random.default_rng(0)
    query = rng.normal(size=(2, 3, 4)).astype("float32")
    value = rng.normal(size=(2, 5, 6)).astype("float32")
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    layer = SequenceAttention(score, units=7)
    context, weights = layer([query, value], mask=[None, mask])
    if score == "luong":
        scores = np.einsum("btq,qv,bsv->bts", query, layer.score_kernel.numpy(), value)
    else:
        q = query @ layer.query_kernel.numpy()
        k = value @ layer.value_kernel.numpy()
        scores = np.tanh(q[:, :, None] + k[:, None]) @ layer.score_vector.numpy()
    scores = np.where(mask[:, None], scores, -np.inf)
    expected_weights = softmax(scores)
    np.testing.assert_allclose(weights, expected_weights, atol=1e-5)
    np.testing.assert_allclose(context, expected_weights @ value, atol=1e-5)
    assert np.all(np.asarray(weights)[0, :, 3:] == 0)


def test_fully_masked_source_attends_nowhere():
    layer = SequenceAttention("luong")
    context, weights = layer(
        [np.ones((1, 2, 3), "float32"), np.ones((1, 4, 3), "float32")],
        mask=[None, np.zeros((1, 4), bool)],
    )
    np.testing.assert_allclose(weights, 0.0)
    np.testing.assert_allclose(context, 0.0)


def test_invalid_score_and_config():
    with pytest.raises(ValueError, match="`score`.*Received: score='dot'"):
        SequenceAttention("dot")
    layer = SequenceAttention("bahdanau", units=3, name="att")
    clone = keras.layers.deserialize(keras.layers.serialize(layer))
    assert clone.get_config() == layer.get_config()
