"""SavedModel exports on raw inputs give what `rnn-keras predict` gives."""

import os

import numpy as np
import pytest
import tensorflow as tf

import numpy_reference
import task_data
from rnn_keras import tasks
from rnn_keras.export import export_saved_model
from rnn_keras.tasks.task import pad

SEED = int(os.environ.get("RNN_KERAS_TEST_SEED", "1337"))


def train_and_export(tmp_path, **config):
    output = str(tmp_path / "model")
    tasks.train({"output": output, "seed": SEED, "epochs": 2, "units": 8, **config}, verbose=0)
    task, model = tasks.load(output)
    export_saved_model(task, model, os.path.join(output, "1"))
    return task, model, tf.saved_model.load(os.path.join(output, "1"))


def strings(tensor):
    return [value.decode() for value in np.asarray(tensor).ravel()]


def test_classify_text_and_series(tmp_path):
    task_data.classification_tsv(tmp_path / "train.tsv", 80, seed=0)
    task, model, served = train_and_export(tmp_path / "text", task="classify", data=str(tmp_path / "train.tsv"))
    texts = ["the film was good", "a plot never seen before", ""]
    result = served.signatures["serving_default"](text=tf.constant(texts))
    expected = task.predict(model, texts)
    assert strings(result["label"]) == [r["label"] for r in expected]
    np.testing.assert_allclose(result["probability"], [r["probability"] for r in expected], atol=1e-5)

    task_data.ucr_tsv(tmp_path / "series.tsv", 40, seed=0)
    task, model, served = train_and_export(tmp_path / "series", task="classify", data=str(tmp_path / "series.tsv"))
    series = np.random.default_rng(0).normal(size=(3, 40)).astype("float32")
    result = served.signatures["serving_default"](series=tf.constant(series))
    expected = task.predict(model, [" ".join(map(str, row)) for row in series])
    assert strings(result["label"]) == [r["label"] for r in expected]


# Without characters (about 15 s) is large: with them is the task's default.
@pytest.mark.parametrize("characters", [pytest.param(False, marks=pytest.mark.large), True])
def test_tag(tmp_path, characters):
    task_data.conll(tmp_path / "train.conll", 60, seed=0)
    task, model, served = train_and_export(
        tmp_path, task="tag", data=str(tmp_path / "train.conll"), characters=characters
    )
    texts = ["Ana Silva visited Paris", "the plot", "Zzyzx"]
    result = served.signatures["serving_default"](text=tf.constant(texts))
    tags = np.asarray(result["tags"]).astype(str)
    for row, expected in zip(tags, task.predict(model, texts)):
        assert list(row[: len(expected["tags"])]) == expected["tags"]
        assert not any(row[len(expected["tags"]) :])  # padding positions are empty


def test_tag_with_a_crf_serves_the_viterbi_path(tmp_path):
    task_data.conll(tmp_path / "train.conll", 60, seed=0)
    output = str(tmp_path / "model")
    config = {"task": "tag", "data": str(tmp_path / "train.conll"), "crf": True}
    tasks.train({"output": output, "seed": SEED, "epochs": 2, "units": 8, **config}, verbose=0)
    task, model = tasks.load(output)
    # Strong random transitions, so that the best path differs from each token's best tag.
    crf = model.get_layer("crf")
    rng = np.random.default_rng(0)
    crf.transitions.assign(rng.normal(scale=5.0, size=crf.transitions.shape).astype("float32"))
    export_saved_model(task, model, os.path.join(output, "1"))
    served = tf.saved_model.load(os.path.join(output, "1"))
    texts = ["Ana Silva visited Paris", "the plot", "Zzyzx", "Lima is a city in Peru"]
    tags = np.asarray(served.signatures["serving_default"](text=tf.constant(texts))["tags"])
    expected = task.predict(model, texts)
    weights = [w.numpy() for w in (crf.transitions, crf.start_transitions, crf.end_transitions)]
    differs = False
    for row, text, result in zip(tags.astype(str), texts, expected):
        assert list(row[: len(result["tags"])]) == result["tags"]
        assert not any(row[len(result["tags"]) :])
        # Served and predicted tags are the NumPy Viterbi path of the model's scores.
        inputs = {key: pad(value) for key, value in task._inputs([text.split()]).items()}
        scores = np.array(model(inputs, training=False))[0]
        path = numpy_reference.viterbi(scores, *weights, exclude=[0])
        assert result["tags"] == [task.state["tags"][t] for t in path]
        differs |= path != list(scores[:, 1:].argmax(-1) + 1)
    assert differs  # the test tells Viterbi from per-token argmax
    one_token = served.signatures["serving_default"](text=tf.constant(["Lima"]))["tags"]
    assert strings(one_token) == task.predict(model, ["Lima"])[0]["tags"]


def test_seq2seq_greedy_and_beam(tmp_path):
    task_data.reversal_tsv(tmp_path / "train.tsv", 200, seed=0)
    task, model, served = train_and_export(
        tmp_path, task="seq2seq", data=str(tmp_path / "train.tsv"), split="whitespace"
    )
    texts = ["a b c", "h g f e d", "z"]
    greedy = served.signatures["serving_default"](text=tf.constant(texts))
    outputs, scores = task.translate(model, texts)
    assert strings(greedy["output"]) == outputs
    np.testing.assert_allclose(greedy["score"], scores, atol=1e-4)
    beam = served.signatures["beam_search"](text=tf.constant(texts), beam_width=tf.constant(3))
    assert strings(beam["output"]) == task.translate(model, texts, beam_width=3)[0]


def test_generate_and_forecast(tmp_path):
    task_data.cyclic_text(tmp_path / "text.txt", repeats=50)
    task, model, served = train_and_export(
        tmp_path / "lm", task="generate", data=str(tmp_path / "text.txt"), sequence_length=20
    )
    result = served.signatures["serving_default"](
        prompt=tf.constant(["abc"]), num_steps=tf.constant(15), temperature=tf.constant(0.0),
        top_k=tf.constant(0), seed=tf.constant(0),
    )
    assert strings(result["output"]) == task.generate(model, ["abc"], num_steps=15, temperature=0.0)

    task_data.seasonal_csv(tmp_path / "series.csv")
    task, model, served = train_and_export(
        tmp_path / "forecast", task="forecast", data=str(tmp_path / "series.csv"), column="value"
    )
    history = np.linspace(100, 200, 30).astype("float32")
    result = served.signatures["serving_default"](history=tf.constant(history[None]))
    expected = task.predict(model, [" ".join(map(str, history))])[0]["forecast"]
    np.testing.assert_allclose(result["forecast"][0], expected, rtol=1e-5)
