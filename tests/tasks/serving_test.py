"""SavedModel signatures beyond `serving_default` on raw inputs (which `registry_test` checks)."""

import os

import numpy as np
import tensorflow as tf

import numpy_reference
from rnn_keras import runner
from rnn_keras.export import export_saved_model
from rnn_keras.tasks.common import pad


def strings(tensor):
    return [value.decode() for value in np.asarray(tensor).ravel()]


def test_tag_with_a_crf_serves_the_viterbi_path(trained, tmp_path):
    task, model = runner.load(trained["tag_crf"])
    # Strong random transitions, so that the best path differs from each token's best tag.
    crf = model.get_layer("crf")
    rng = np.random.default_rng(0)
    crf.transitions.assign(rng.normal(scale=5.0, size=crf.transitions.shape).astype("float32"))
    export_saved_model(task, model, str(tmp_path / "1"))
    served = tf.saved_model.load(str(tmp_path / "1"))
    texts = ["Ana Silva visited Paris", "the plot", "Zzyzx", "Lima is a city in Peru"]
    tags = np.asarray(served.signatures["serving_default"](text=tf.constant(texts))["tags"])
    expected = task.predict(model, texts)
    weights = [w.numpy() for w in (crf.transitions, crf.start_transitions, crf.end_transitions)]
    differs = False
    for row, text, result in zip(tags.astype(str), texts, expected):
        assert list(row[: len(result["tags"])]) == result["tags"]
        assert not any(row[len(result["tags"]) :])
        # Served and predicted tags are the NumPy Viterbi path of the model's scores.
        scores = np.array(model(pad(task.encode_inputs([text.split()])), training=False))[0]
        path = numpy_reference.viterbi(scores, *weights, exclude=[0])
        assert result["tags"] == [task.tags[t] for t in path]
        differs |= path != list(scores[:, 1:].argmax(-1) + 1)
    assert differs  # the test tells Viterbi from per-token argmax
    one_token = served.signatures["serving_default"](text=tf.constant(["Lima"]))["tags"]
    assert strings(one_token) == task.predict(model, ["Lima"])[0]["tags"]


def test_seq2seq_beam_search_signature(trained):
    task, model = runner.load(trained["seq2seq"])
    served = tf.saved_model.load(os.path.join(trained["seq2seq"], "1"))
    texts = ["a b c", "h g f e d", "z"]
    greedy = served.signatures["serving_default"](text=tf.constant(texts))
    outputs, scores = task.translate(model, texts)
    assert strings(greedy["output"]) == outputs
    np.testing.assert_allclose(greedy["score"], scores, atol=1e-4)
    beam = served.signatures["beam_search"](text=tf.constant(texts), beam_width=tf.constant(3))
    assert strings(beam["output"]) == task.translate(model, texts, beam_width=3)[0]


def test_classify_serves_probabilities_of_every_class(trained):
    task, model = runner.load(trained["classify"])
    served = tf.saved_model.load(os.path.join(trained["classify"], "1"))
    texts = ["the film was good", "a plot never seen before", ""]
    result = served.signatures["serving_default"](text=tf.constant(texts))
    np.testing.assert_allclose(result["probabilities"], task.probabilities(model, texts), atol=1e-5)
    expected = task.predict(model, texts)
    np.testing.assert_allclose(result["probability"], [r["probability"] for r in expected], atol=1e-5)


def test_tagger_splits_unicode_spaces_as_predict_does(trained):
    """No train/serve skew: "Ana\xa0Silva" is two tokens in `predict` and in the SavedModel."""
    task, model = runner.load(trained["tag"])
    served = tf.saved_model.load(os.path.join(trained["tag"], "1"))
    texts = ["Ana\xa0Silva visited\u2003Paris", "Lima\u3000is\u2009a city", "\u202fthe plot\u2028"]
    tags = np.asarray(served.signatures["serving_default"](text=tf.constant(texts))["tags"])
    for row, text, result in zip(tags.astype(str), texts, task.predict(model, texts)):
        assert len(result["tags"]) == len(text.split())
        assert list(row[: len(result["tags"])]) == result["tags"]
        assert not any(row[len(result["tags"]) :])
