"""Model folders on a file system `tf.io.gfile` reaches: TensorFlow's in-memory `ram://`.

The same code paths serve `gs://`, `s3://` and `hdfs://`: a remote
`--output` is staged locally and uploaded file by file with `metrics.json`
last; loading, `evaluate`, `predict` and `export` read through `tf.io.gfile`.
"""

import json
import os
import uuid

import pytest
import tensorflow as tf

import task_data
from rnn_keras import runner
from rnn_keras.cli import main
from rnn_keras.files import remote


@pytest.fixture
def ram_folder():
    return f"ram://rnn-keras-test-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def local_cache(tmp_path, monkeypatch):
    """The local staging of remote runs goes under the test's folder."""
    monkeypatch.setattr(remote, "CACHE", str(tmp_path / "cache"))


def _config(tmp_path, output, **changes):
    task_data.classification_tsv(tmp_path / "train.tsv", 120, seed=0)
    config = dict(
        task="classify", data=str(tmp_path / "train.tsv"), output=output, cell="gru", units=4,
        epochs=1, batch_size=64, defaults="fixed",
    )
    return {**config, **changes}


def test_train_evaluate_predict_export_on_ram(tmp_path, ram_folder, capsys):
    output = f"{ram_folder}/model"
    metrics = runner.train(_config(tmp_path, output), verbose=0, export=True)
    gfile = tf.io.gfile
    for name in ("model.keras", "task.json", "metrics.json", "history.csv", "1/saved_model.pb"):
        assert gfile.exists(f"{output}/{name}"), name
    with gfile.GFile(f"{output}/metrics.json") as f:
        assert json.load(f)["validation"] == metrics["validation"]
    # The local staging and the lock are gone.
    left = [name for name in os.listdir(tmp_path / "cache") if "partial" in name or "lock" in name]
    assert left == []

    task, model = runner.load(output)
    assert task.name == "classify" and model.name
    with pytest.raises(runner.ModelFolderError, match="task.json: not found"):
        runner.load(f"{ram_folder}/nothing")
    scores = runner.evaluate(output, str(tmp_path / "train.tsv"))
    assert 0 <= scores["accuracy"] <= 1
    capsys.readouterr()
    assert main(["predict", output, "a good film", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["label"] in task.classes

    # The next SavedModel version, written remotely with saved_model.pb last.
    assert main(["export", output]) == 0
    served = tf.saved_model.load(f"{output}/2").signatures["serving_default"]
    assert served(text=tf.constant(["a good film"]))["label"].shape == (1,)

    # A finished remote model is replaced only with --overwrite.
    with pytest.raises(FileExistsError, match="already holds a trained model"):
        runner.train(_config(tmp_path, output), verbose=0)
    runner.train(_config(tmp_path, output, overwrite=True, units=5), verbose=0)
    assert runner.load(output)[0].config.units == 5
    assert not gfile.exists(f"{output}/2")  # the old model's exports went with it


def test_upload_writes_the_completion_marker_last(tmp_path, ram_folder, monkeypatch):
    local = tmp_path / "folder"
    (local / "sub").mkdir(parents=True)
    for name in ("metrics.json", "a.txt", "sub/b.txt", "z.txt"):
        (local / name).write_text(name)
    copied = []
    copy = tf.io.gfile.copy

    def recorded(source, destination, overwrite):
        copied.append(destination)
        copy(source, destination, overwrite)

    monkeypatch.setattr(tf.io.gfile, "copy", recorded)
    remote.upload_folder(str(local), ram_folder, last=("metrics.json",))
    assert copied[-1] == f"{ram_folder}/metrics.json"
    names = ("metrics.json", "a.txt", "sub/b.txt", "z.txt")
    assert sorted(copied) == sorted(f"{ram_folder}/{name}" for name in names)
    assert remote.read_text(f"{ram_folder}/sub/b.txt") == "sub/b.txt"
    assert remote.listdir(ram_folder) == ["a.txt", "metrics.json", "sub", "z.txt"]
