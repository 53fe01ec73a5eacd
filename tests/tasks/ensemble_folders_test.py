"""`rnn_keras.runner.ensemble` and `rnn-keras ensemble`: model folders averaged into one."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

import task_data
from rnn_keras import runner
from rnn_keras import tasks
from rnn_keras.cli import main
from rnn_keras.data import load_examples
from rnn_keras.export import export_saved_model
from rnn_keras.runner.ensemble import check_members

SEED = int(os.environ.get("RNN_KERAS_TEST_SEED", "1337"))


def train_members(tmp_path, seeds=(0, 1), **config):
    """Folders of one problem trained from different seeds (2 epochs: members disagree).

    They share a validation file: a split carved from the training data
    would differ by seed, and so would the vocabulary.
    """
    config = {"task": "classify", "data": str(tmp_path / "train.tsv"),
              "valid": str(tmp_path / "valid.tsv"), "units": 8, "epochs": 2, "defaults": "fixed",
              **config}
    folders = []
    for seed in seeds:
        folder = str(tmp_path / f"member-{seed}")
        runner.train({**config, "seed": SEED + seed, "output": folder}, verbose=0)
        folders.append(folder)
    return folders


@pytest.fixture(scope="module")
def classify_members(tmp_path_factory):
    """`(members, test file)`: two classify folders, trained once for this module."""
    folder = tmp_path_factory.mktemp("classify")
    task_data.classification_tsv(folder / "train.tsv", 120, seed=0)
    task_data.classification_tsv(folder / "valid.tsv", 40, seed=2)
    task_data.classification_tsv(folder / "test.tsv", 200, seed=1)
    return train_members(folder, seeds=(0, 1)), str(folder / "test.tsv")


def test_classify_folder_averages_scores_and_serves(classify_members, tmp_path):
    members, test = classify_members
    output = str(tmp_path / "ensemble")
    metrics = runner.ensemble(members, output, data=test)

    # Reference: the members' own probabilities, averaged in NumPy.
    loaded = [runner.load(folder) for folder in members]
    texts, labels = load_examples(loaded[0][0], test)
    mean = np.mean([task.probabilities(model, texts) for task, model in loaded], axis=0)
    classes = loaded[0][0].state["classes"]
    expected = np.mean([classes[i] == label for i, label in zip(mean.argmax(-1), labels)])
    assert metrics["test"]["accuracy"] == pytest.approx(expected)
    for folder in members:
        assert metrics["members"][folder] == pytest.approx(runner.evaluate(folder, test))
    # The folder is a model folder: evaluate, predict and export take it.
    with open(os.path.join(output, "metrics.json")) as f:
        assert json.load(f)["test"] == pytest.approx(metrics["test"])
    assert runner.evaluate(output, test) == pytest.approx(metrics["test"])
    predicted = runner.predict(output, texts[:4])
    np.testing.assert_allclose([p["probability"] for p in predicted], mean[:4].max(-1), atol=1e-5)
    task, model = runner.load(output)
    export_saved_model(task, model, os.path.join(output, "1"))
    served = tf.saved_model.load(os.path.join(output, "1"))
    result = served.signatures["serving_default"](text=tf.constant(texts[:4]))
    np.testing.assert_allclose(result["probability"], mean[:4].max(-1), atol=1e-5)
    with open(os.path.join(output, "task.json")) as f:
        assert json.load(f)["ensemble"] == [os.path.abspath(m) for m in members]


@pytest.mark.large  # about 25 s; the tagger's averaging is checked in tests/models too
def test_tag_folders_with_character_features(tmp_path):
    task_data.conll(tmp_path / "train.conll", 80, seed=0)
    task_data.conll(tmp_path / "test.conll", 40, seed=1)
    test = str(tmp_path / "test.conll")
    task_data.conll(tmp_path / "valid.conll", 20, seed=2)
    data = {"data": str(tmp_path / "train.conll"), "valid": str(tmp_path / "valid.conll")}
    members = train_members(tmp_path, task="tag", **data)
    output = str(tmp_path / "ensemble")
    metrics = runner.ensemble(members, output, data=test)
    assert {"token_accuracy", "entity_f1"} <= set(metrics["test"])
    assert runner.evaluate(output, test) == pytest.approx(metrics["test"])
    sentence = "Ana Silva visited Lima"
    assert len(runner.predict(output, [sentence])[0]["tags"]) == 4


def classify_task(**state):
    state = {"kind": "text", "classes": ["neg", "pos"], "vocabulary": {"tokens": ["a"]}, **state}
    return tasks.make_task("classify", {}, state)


def test_members_that_disagree_are_named():
    agree = classify_task()
    check_members(["a", "b"], [(agree, None), (classify_task(), None)])
    cases = [
        (classify_task(vocabulary={"tokens": ["b"]}), "fitted 'vocabulary'"),
        (classify_task(classes=["neg", "neu", "pos"]), "fitted 'classes'"),
        (tasks.make_task("classify", {"max_input_length": 50}, agree.state), "'max_input_length'"),
        (tasks.make_task("tag", {}, {"tags": ["<pad>", "O"]}), "classify and tag"),
    ]
    for other, message in cases:
        with pytest.raises(ValueError, match=f"folder-a and folder-b .*{message}"):
            check_members(["folder-a", "folder-b"], [(agree, None), (other, None)])
    for name in ("seq2seq", "generate"):
        with pytest.raises(ValueError, match=f"{name} models cannot be averaged"):
            check_members(["a", "b"], [(tasks.make_task(name, {}, {}), None)] * 2)
    state = {"tags": ["<pad>", "O"], "vocabulary": {"tokens": ["a"]}}
    tag, crf = tasks.make_task("tag", {}, state), tasks.make_task("tag", {"crf": True}, state)
    check_members(["a", "b"], [(tag, None), (tag, None)])
    with pytest.raises(ValueError, match="crf-folder is a CRF tagger"):
        check_members(["a", "crf-folder"], [(tag, None), (crf, None)])


def test_command_line(classify_members, tmp_path, capsys):
    members, test = classify_members
    output = str(tmp_path / "ensemble")
    assert main(["ensemble", *members, "--output", output, "--data", test]) == 0
    table = capsys.readouterr().out
    assert "ensemble" in table and members[1] in table and "accuracy" in table
    # An existing folder is replaced only with --overwrite; one member is not an ensemble.
    assert main(["ensemble", *members, "--output", output]) == 1
    assert "--overwrite" in capsys.readouterr().err
    assert main(["ensemble", members[0], "--output", str(tmp_path / "one")]) == 1
    assert "two or more" in capsys.readouterr().err
    assert not os.path.exists(tmp_path / "one")
    command = ["ensemble", *members, "--output", output, "--data", test, "--overwrite", "--json"]
    assert main(command) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["test"] == pytest.approx(runner.evaluate(output, test))


def test_score_table_marks_scores_a_member_lacks():
    # A member trained with other options (a forecaster without its statistical
    # baselines) lacks a score the ensemble has; a ratio without a reference is None.
    from rnn_keras.cli.ensemble import score_table

    metrics = {"scored_on": "test",
               "test": {"mase": 0.5, "auto_ets_mase": 0.75, "mase_vs_naive": 0.25},
               "members": {"a": {"mase": 0.625, "auto_ets_mase": 0.75, "mase_vs_naive": None},
                           "b": {"mase": 0.875, "mase_vs_naive": 0.5}}}
    lines = score_table(metrics).splitlines()
    assert lines[0].split() == ["mase", "auto_ets_mase", "mase_vs_naive"]
    assert lines[1].split() == ["ensemble", "0.5000", "0.7500", "0.2500"]
    assert lines[2].split() == ["a", "0.6250", "0.7500", "-"]
    assert lines[3].split() == ["b", "0.8750", "-", "0.5000"]
