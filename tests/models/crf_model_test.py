"""`CRFModel` through `build_tagger(crf=True)`: likelihood loss, Viterbi metrics, saving."""

import keras
import numpy as np
import pytest
from tagger_test import TAGS
from tagger_test import tagging_data

from rnn_keras.metrics.scores import entity_scores
from rnn_keras.models import CRFModel
from rnn_keras.models import build_ensemble
from rnn_keras.models import build_tagger


def _crf_tagger(**kwargs):
    arguments = {"vocab_size": 20, "cell": "gru", "units": 8, "embedding_dim": 8, "tags": TAGS}
    return build_tagger(len(TAGS), crf=True, **{**arguments, **kwargs})


def _names(ids, lengths):
    return [[TAGS[t] for t in row[:n]] for row, n in zip(ids, lengths)]


@pytest.mark.large  # about 45 s; serving_test.py's CRF tagger and crf_test.py's numerics run by default
def test_learns_entities_and_scores_the_viterbi_tags():
    x, y = tagging_data(3000, 0)
    x_test, y_test = tagging_data(500, 1)
    model = _crf_tagger(units=32, embedding_dim=16, learning_rate=1e-2)
    assert isinstance(model, CRFModel) and model.crf.name == "crf"
    model.fit(x, y, epochs=6, batch_size=64, verbose=0)
    results = model.evaluate(x_test, y_test, return_dict=True, verbose=0, batch_size=500)
    assert results["entity_f1"] >= 0.95, results

    # The compiled entity F1 is the F1 of the decoded tags, scored in Python.
    decoded = np.array(model.decode(x_test, mask=x_test != 0))
    lengths = (x_test != 0).sum(1)
    assert np.all(decoded[x_test == 0] == 0) and np.all(decoded[x_test != 0] > 0)
    python = entity_scores(_names(y_test, lengths), _names(decoded, lengths))
    assert results["entity_f1"] == pytest.approx(python["entity_f1"], abs=1e-5)
    accuracy = np.mean(decoded[x_test != 0] == y_test[x_test != 0])
    assert results["token_accuracy"] == pytest.approx(accuracy, abs=1e-5)


def test_loss_is_the_negative_log_likelihood_per_tag():
    model = _crf_tagger()
    x, y = tagging_data(16, 2)
    mask = x != 0
    scores = model(x)
    log_likelihood = np.array(model.crf.log_likelihood(scores, y, mask))
    expected = -log_likelihood.sum() / mask.sum()
    results = model.evaluate(x, y, return_dict=True, verbose=0, batch_size=16)
    assert results["loss"] == pytest.approx(expected, rel=1e-5)

    # A sequence's weight scales its share: per-sequence sample weights.
    weights = np.linspace(0.0, 2.0, 16).astype("float32")
    per_tag = -log_likelihood / mask.sum(1)
    expected = np.sum(per_tag * weights * mask.sum(1)) / mask.sum()
    weighted = model.evaluate(x, y, sample_weight=weights, return_dict=True, verbose=0,
                              batch_size=16)
    assert weighted["loss"] == pytest.approx(expected, rel=1e-5)


def test_padding_changes_nothing():
    model = _crf_tagger(embedding_dropout=0.2)
    x, y = tagging_data(8, 3, max_length=6)
    x[:, 5:] = 0
    y[:, 5:] = 0
    padded_x = np.pad(x, [(0, 0), (0, 5)])
    padded_y = np.pad(y, [(0, 0), (0, 5)])
    short = model.evaluate(x, y, return_dict=True, verbose=0, batch_size=8)
    long = model.evaluate(padded_x, padded_y, return_dict=True, verbose=0, batch_size=8)
    for key in ("loss", "token_accuracy", "entity_f1"):
        assert long[key] == pytest.approx(short[key], abs=1e-5), key
    np.testing.assert_array_equal(
        np.array(model.decode(padded_x, mask=padded_x != 0))[:, :6],
        np.array(model.decode(x, mask=x != 0)),
    )


def test_keras_round_trip_keeps_scores_tags_and_training(tmp_path):
    model = _crf_tagger(cell="lstm")
    x, y = tagging_data(32, 4)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    model.save(tmp_path / "crf.keras")
    loaded = keras.models.load_model(tmp_path / "crf.keras")
    assert isinstance(loaded, CRFModel)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               atol=1e-5)
    np.testing.assert_array_equal(loaded.decode(x, mask=x != 0), model.decode(x, mask=x != 0))
    before = loaded.evaluate(x, y, return_dict=True, verbose=0)
    assert before["loss"] == pytest.approx(
        model.evaluate(x, y, return_dict=True, verbose=0)["loss"], rel=1e-5
    )
    loaded.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert loaded.evaluate(x, y, return_dict=True, verbose=0)["loss"] < before["loss"]


def test_a_model_without_a_crf_output_is_refused():
    inputs = keras.Input((None,), dtype="int32")
    model = CRFModel(inputs, keras.layers.Embedding(5, 3)(inputs))
    with pytest.raises(ValueError, match="output must be the output of a `rnn_keras.layers.CRF`"):
        model.crf


def test_crf_taggers_are_not_averaged():
    members = [_crf_tagger(), _crf_tagger()]
    with pytest.raises(ValueError, match=r"members\[0\].*ends in a CRF"):
        build_ensemble(members)


def test_trains_under_a_mixed_precision_policy():
    x, y = tagging_data(64, 5)
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = _crf_tagger()
        assert model.outputs[0].dtype == "float16"
        scores = model(x[:8])
        loss = model.compute_loss(y=y[:8], y_pred=scores)
        log_likelihood = model.crf.log_likelihood(scores, y[:8], x[:8] != 0)
        history = model.fit(x, y, epochs=2, batch_size=16, verbose=0).history
    finally:
        keras.mixed_precision.set_global_policy("float32")
    # The loss is the float32 likelihood of the float16 scores.
    assert scores.dtype == "float16" and loss.dtype == "float32"
    assert float(loss) == pytest.approx(-np.sum(log_likelihood) / np.sum(x[:8] != 0), rel=1e-6)
    assert np.all(np.isfinite(history["loss"])) and history["loss"][-1] < history["loss"][0]
