"""Nothing lost, nothing silently wrong: the model folder as a transaction, bad input refused.

The numbers in the test names are the cases of the issue that asked for
them; most work on copies of the session's trained folders, so they take
seconds.
"""

import json
import os
import shutil
import stat
import subprocess
import sys

import keras
import numpy as np
import pytest

import task_data
from rnn_keras import runner
from rnn_keras.cli import main
from rnn_keras.data import DataError
from rnn_keras.files import FolderLock
from rnn_keras.files import FolderLocked
from rnn_keras.files import remove_leftovers
from rnn_keras.runner import ModelFolderError
from rnn_keras.runner import ResumeMismatch
from rnn_keras.tasks import make_task


def copy_of(trained, name, tmp_path):
    folder = tmp_path / name
    shutil.copytree(trained[name], folder)
    return folder


def snapshot(folder):
    """`{relative path: bytes}` of every file under `folder`."""
    files = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, folder)] = f.read()
    return files


def classify_config(tmp_path, output, **extra):
    task_data.classification_tsv(tmp_path / "train.tsv", 40, seed=0)
    return {"task": "classify", "data": str(tmp_path / "train.tsv"), "output": str(output),
            "units": 4, "epochs": 1, "defaults": "fixed", **extra}


def test_1_overwrite_with_a_bad_data_path_keeps_the_finished_model(trained, tmp_path, capsys):
    folder = copy_of(trained, "classify", tmp_path)
    before = snapshot(folder)
    argv = ["train", "--task", "classify", "--data", str(tmp_path / "trian.tsv"),
            "--output", str(folder), "--overwrite", "--verbose", "0"]
    assert main(argv) == 1
    assert "trian.tsv: no such file" in capsys.readouterr().err
    assert snapshot(folder) == before  # model, task.json and the SavedModel export intact
    assert sorted(os.listdir(tmp_path)) == ["classify"]  # no staging folder, no lock left


def test_1_files_the_package_did_not_write_are_never_deleted(trained, tmp_path):
    folder = copy_of(trained, "classify", tmp_path)
    (folder / "train.tsv").write_text("pos\tkept here by the user\n")
    config = classify_config(tmp_path, folder, overwrite=True)
    with pytest.raises(FileExistsError, match=r"holds files rnn-keras did not write \(train\.tsv\)"):
        runner.train(config, verbose=0)
    assert (folder / "train.tsv").read_text() == "pos\tkept here by the user\n"


def test_2_a_folder_that_is_not_a_model_is_refused(tmp_path):
    folder = tmp_path / "results"
    (folder / "checkpoint").mkdir(parents=True)
    (folder / "history.csv").write_text("mine\n")
    with pytest.raises(FileExistsError, match="is not a model folder .*checkpoint, history.csv"):
        runner.train(classify_config(tmp_path, folder, overwrite=True), verbose=0)
    assert (folder / "history.csv").read_text() == "mine\n" and (folder / "checkpoint").is_dir()


def test_4_a_second_writer_is_refused_at_once_and_a_dead_ones_lock_recovered(tmp_path):
    output = tmp_path / "model"
    config = classify_config(tmp_path, output)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = FolderLock(str(output))
        with open(lock.path, "w") as f:  # as a live run on this host would leave it
            json.dump({"pid": sleeper.pid, "host": os.uname().nodename, "since": "now",
                       "command": "rnn-keras train ..."}, f)
        with pytest.raises(FolderLocked, match=rf"pid {sleeper.pid} .*rnn-keras train"):
            runner.train(config, verbose=0)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert not output.exists()
    # Its owner is gone now: the next run takes the lock over, trains, and releases it.
    metrics = runner.train(config, verbose=0)
    assert metrics["epochs"] == 1 and not os.path.exists(lock.path)
    with FolderLock(str(output)):
        with pytest.raises(FolderLocked, match=f"pid {os.getpid()}"):
            FolderLock(str(output)).acquire()


def test_4_loading_checks_the_task_against_the_model(trained, tmp_path):
    folder = copy_of(trained, "classify", tmp_path)
    other = json.loads((copy_of(trained, "tag", tmp_path) / "task.json").read_text())
    saved = json.loads((folder / "task.json").read_text())
    saved["state"]["vocabulary"]["tokens"] = saved["state"]["vocabulary"]["tokens"][:5]
    (folder / "task.json").write_text(json.dumps(saved))
    with pytest.raises(ModelFolderError, match=r"do not belong together: token ids: 9 in task\.json"):
        runner.load(folder)
    saved["state"] = {**saved["state"], "classes": ["a", "b", "c"]}
    (folder / "task.json").write_text(json.dumps(saved))
    with pytest.raises(ModelFolderError, match="classes: 3 in task.json, 2 in the model"):
        runner.load(folder)
    (folder / "task.json").write_text(json.dumps(other))
    with pytest.raises(ModelFolderError, match="do not belong together"):
        runner.load(folder)
    # Damaged files are named, never a KeyError or a JSON traceback.
    (folder / "task.json").write_text('{"task": "classify", "config": {')
    with pytest.raises(ModelFolderError, match=r"task\.json: not valid JSON"):
        runner.load(folder)
    (folder / "task.json").write_text(json.dumps({"task": "classify", "config": {}}))
    with pytest.raises(ModelFolderError, match=r"task\.json: expected `state` to be a dict"):
        runner.load(folder)
    (folder / "task.json").write_text(json.dumps({**other, "config": {"units": "many"}}))
    with pytest.raises(ModelFolderError, match=r"task\.json: option `units`"):
        runner.load(folder)
    (folder / "task.json").write_text(json.dumps({**other, "state": {"tags": ["O"]}}))
    with pytest.raises(ModelFolderError, match="the fitted state is damaged"):
        runner.load(folder)


def test_5_a_label_of_one_example_stays_in_the_training_data(tmp_path):
    # The validation split is stratified (`stratified_split`): before, a row
    # whose label no other row has could be held out, and training stopped
    # ("train.tsv:N: label 'maybe' (held out of the training data) is not
    # among the training labels").
    lines = [f"{'pos' if i % 2 else 'neg'}\tword{i} good" for i in range(30)]
    held_out = int(np.random.default_rng(1).permutation(30)[0])  # a random split's first
    lines[held_out] = "maybe\tso so"
    (tmp_path / "train.tsv").write_text("\n".join(lines) + "\n")
    config = {"task": "classify", "data": str(tmp_path / "train.tsv"), "units": 4, "epochs": 1,
              "output": str(tmp_path / "model"), "valid_fraction": 0.5, "seed": 1}
    metrics = runner.train(config, verbose=0)
    assert metrics["validation"]["examples"] == 15
    task, _ = runner.load(str(tmp_path / "model"))
    assert "maybe" in task.classes
    # A label the training data lack, in a file given for validation: named at its line.
    (tmp_path / "valid.tsv").write_text("pos\tgood\nneg\tbad\nunsure\tso so\n")
    config = {**config, "valid": str(tmp_path / "valid.tsv"), "output": str(tmp_path / "other")}
    with pytest.raises(DataError, match=r"valid\.tsv:3: label 'unsure' is not among"):
        runner.train(config, verbose=0)


def test_8_predict_names_undecodable_input_and_answers_blank_lines(trained, tmp_path, capsys):
    folder = trained["classify"]
    (tmp_path / "latin.txt").write_bytes("good film\ncaf\u00e9 film\n".encode("latin-1"))
    assert main(["predict", folder, "--file", str(tmp_path / "latin.txt")]) == 1
    assert "latin.txt:2: bytes b'\\xe9' are not utf-8 text" in capsys.readouterr().err
    argv = ["predict", folder, "--file", str(tmp_path / "latin.txt"), "--encoding", "latin-1"]
    assert main([*argv, "--json"]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["input"] for r in results] == ["good film", "caf\u00e9 film"]
    assert main(["predict", folder, "", "a good film", "--json"]) == 0
    empty, full = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert empty == {"input": "", "empty": True} and full["label"] in ("pos", "neg")


def interrupted_staging(tmp_path, config, resolved=None, **saved_options):
    """The staging folder an interrupted run left: a backup folder and its `task.json`.

    The run's options are `config`'s changed by `saved_options`; `resolved`,
    the options it recorded as resolved from the data.
    """
    staging = tmp_path / ".model.partial"
    (staging / "backup").mkdir(parents=True)
    options = {key: value for key, value in config.items() if key != "task"}
    saved = make_task("classify", {**options, **saved_options}, state={}).get_config()
    if resolved is not None:
        saved["resolved"] = resolved
    (staging / "task.json").write_text(json.dumps(saved))
    return staging


def test_9_resuming_with_other_options_says_how_to_start_over(trained, tmp_path):
    output = tmp_path / "model"
    config = classify_config(tmp_path, output)
    # An interrupted run of the same command left its staging folder.
    staging = interrupted_staging(tmp_path, config, units=8)
    with pytest.raises(ResumeMismatch, match=r"started with other options \(units: 8 -> 4\).*"
                                             r"--overwrite to start over"):
        runner.train(config, verbose=0)
    assert (staging / "backup").is_dir()  # kept for a rerun with the same options
    metrics = runner.train({**config, "overwrite": True}, verbose=0)
    assert metrics["epochs"] == 1 and not staging.exists()
    assert json.loads((output / "task.json").read_text())["config"]["units"] == 4


def test_9_a_backup_whose_resolved_options_differ_is_not_resumed(tmp_path):
    # A backup written when the rules resolved units=16 from these data; today's
    # rules resolve 64 (a newer version's rule), so its weights would not fit.
    output = tmp_path / "model"
    config = {**classify_config(tmp_path, output), "defaults": "data"}
    del config["units"]  # resolved from the data
    resolved = {"units": {"value": 16, "reason": "an older rule"}}
    staging = interrupted_staging(tmp_path, config, resolved=resolved, units=16)
    with pytest.raises(ResumeMismatch, match=r"resolved from the data differ.*units: 16 -> 64.*"
                                             r"--overwrite to start over"):
        runner.train(config, verbose=0)
    assert (staging / "backup").is_dir()
    metrics = runner.train({**config, "overwrite": True}, verbose=0)
    assert metrics["epochs"] == 1 and not staging.exists()
    assert json.loads((output / "task.json").read_text())["config"]["units"] == 64


def test_9_a_backup_that_does_not_load_is_refused_by_name(tmp_path):
    # The same options, but the backup holds another model (written by
    # another version of the package): Keras's restore would fail inside fit.
    output = tmp_path / "model"
    config = classify_config(tmp_path, output, epochs=2)
    staging = interrupted_staging(tmp_path, config)
    other = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="probabilities")])
    other.save_weights(str(staging / "backup" / "latest.weights.h5"))
    (staging / "backup" / "training_metadata.json").write_text(json.dumps({"epoch": 1}))
    # Its epoch's history: a start over must not count it (nor its best value).
    (staging / "history.csv").write_text("epoch,loss,val_loss\n0,0.001,0.001\n")
    with pytest.raises(ResumeMismatch, match=r"does not load into this run's.*"
                                             r"--overwrite to start over"):
        runner.train(config, verbose=0)
    assert (staging / "backup" / "latest.weights.h5").is_file()  # kept
    metrics = runner.train({**config, "overwrite": True}, verbose=0)
    assert metrics["epochs"] == 2 and not staging.exists()  # trained from the start
    epochs = [line.split(",")[0] for line in (output / "history.csv").read_text().splitlines()]
    assert epochs[1:] == ["0", "1"]
    # The same model as a run that never met the backup.
    runner.train({**config, "output": str(tmp_path / "fresh")}, verbose=0)
    started_over, fresh = (
        keras.models.load_model(folder / "model.keras").get_weights()
        for folder in (output, tmp_path / "fresh")
    )
    assert max(float(np.abs(a - b).max()) for a, b in zip(started_over, fresh)) < 1e-6


def test_9_leftovers_of_a_killed_write_are_cleared(tmp_path):
    for name in (".1.tmp-123", ".model.keras.tmp-9.keras", ".keep"):
        (tmp_path / name).mkdir() if name.startswith(".1") else (tmp_path / name).write_text("x")
    remove_leftovers(str(tmp_path))
    assert sorted(os.listdir(tmp_path)) == [".keep"]


def test_10_an_outlier_input_is_truncated_to_a_bound_from_the_data(tmp_path, caplog):
    task_data.classification_tsv(tmp_path / "train.tsv", 40, seed=0)
    with open(tmp_path / "train.tsv", "a") as f:
        f.write("pos\t" + " ".join(["good"] * 50000) + "\n")
    config = {"task": "classify", "data": str(tmp_path / "train.tsv"), "units": 4, "epochs": 1,
              "output": str(tmp_path / "model"), "valid_fraction": 0.2, "seed": 3}
    with caplog.at_level("WARNING"):
        runner.train(config, verbose=0)
    assert "classify: truncated 1 texts to 128 tokens" in caplog.text
    task, _ = runner.load(tmp_path / "model")
    assert task.state["max_input_length"] == 128 and task.input_limit == 128


def test_exports_are_readable_by_others(trained):
    mode = stat.S_IMODE(os.stat(os.path.join(trained["forecast"], "1")).st_mode)
    assert mode & stat.S_IROTH and mode & stat.S_IXOTH  # not mkdtemp's 0700


def test_temporary_files_of_a_command_and_of_dead_runs_are_removed(tmp_path, monkeypatch, capsys):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    sleeper = subprocess.Popen([sys.executable, "-c", "pass"])
    sleeper.wait()  # a pid that is gone
    (tmp_path / f"rnn-keras-{sleeper.pid}-abc").mkdir()  # what a killed run left
    (tmp_path / f"rnn-keras-{os.getpid()}-live").mkdir()  # this process: alive, kept
    assert main(["evaluate", str(tmp_path / "no-model"), "--data", "x.tsv"]) == 1
    capsys.readouterr()
    assert sorted(os.listdir(tmp_path)) == [f"rnn-keras-{os.getpid()}-live"]
    assert tempfile.tempdir == str(tmp_path)  # put back
