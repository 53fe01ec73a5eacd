"""`TokenDropout`: word dropout to `<UNK>` while training, never at inference."""

import inspect

import numpy as np
import pytest

from rnn_keras.layers import TokenDropout
from rnn_keras.models import build_classifier


def test_replaces_about_rate_of_the_tokens_and_never_padding():
    layer = TokenDropout(0.3, unknown_id=1, seed=5)
    ids = np.random.default_rng(0).integers(2, 50, size=(200, 50)).astype("int32")
    ids[:, 40:] = 0
    dropped = np.asarray(layer(ids, training=True))
    changed = dropped != ids
    assert set(np.unique(dropped[changed])) == {1}
    assert not changed[:, 40:].any()
    assert changed[:, :40].mean() == pytest.approx(0.3, abs=0.02)  # 8,000 draws
    np.testing.assert_array_equal(layer(ids), ids)  # inference: unchanged


def test_config_and_bad_rate():
    layer = TokenDropout(0.2, unknown_id=3, seed=1)
    arguments = set(inspect.signature(TokenDropout.__init__).parameters) - {"self", "kwargs"}
    assert arguments <= set(layer.get_config())
    again = TokenDropout.from_config(layer.get_config())
    assert (again.rate, again.unknown_id, again.seed) == (0.2, 3, 1)
    with pytest.raises(ValueError, match="rate"):
        TokenDropout(1.0)


def test_in_a_classifier_it_keeps_the_mask():
    model = build_classifier(2, vocab_size=20, cell="gru", units=4, token_dropout=0.5)
    ids = np.array([[4, 5, 6]], "int32")
    padded = np.array([[4, 5, 6, 0, 0]], "int32")
    np.testing.assert_allclose(model(padded), model(ids), atol=1e-6)
    assert model.get_layer("token_dropout").rate == 0.5
