"""`rnn-keras tune`: tiny real searches, failures, resumption, strategies and workers."""

import csv
import glob
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import tensorflow as tf

import task_data
from processes import free_ports
from rnn_keras import runner
from rnn_keras.cli import main
from rnn_keras.tuning import tune

SEED = int(os.environ.get("RNN_KERAS_TEST_SEED", "1337"))


def classification_files(tmp_path, train=200, test=60):
    task_data.classification_tsv(tmp_path / "train.tsv", train, seed=0)
    task_data.classification_tsv(tmp_path / "test.tsv", test, seed=1)
    return str(tmp_path / "train.tsv"), str(tmp_path / "test.tsv")


def base_config(tmp_path, **config):
    train, test = classification_files(tmp_path)
    return {
        "task": "classify",
        "data": train,
        "test": test,
        "output": str(tmp_path / "model"),
        "directory": str(tmp_path / "search"),
        "seed": SEED,
        "defaults": "fixed",
        "units": 8,
        "epochs": 2,
        **config,
    }


def cli_arguments(config):
    arguments = []
    for name, value in config.items():
        arguments += [f"--{name.replace('_', '-')}", str(value)]
    return arguments


def test_search_picks_and_trains_the_best_model(tmp_path):
    result = tune(base_config(tmp_path, max_trials=2, objective="val_accuracy"), verbose=0)
    rows = result["trials"]
    assert [r["trial"] for r in rows] == ["0", "1"]
    assert all(r["status"] == "COMPLETED" and r["tuner"] == "tuner0" for r in rows)
    assert all(r["hyperparameters"]["units"] == 8 for r in rows)  # given, so fixed
    assert len({json.dumps(r["hyperparameters"], sort_keys=True) for r in rows}) == 2
    best = max(rows, key=lambda r: r["objective"])
    assert result["best_trial"] == best["trial"]
    # The model folder is trained with the best trial's hyperparameters.
    task, _ = runner.load(str(tmp_path / "model"))
    assert task.config.cell == best["hyperparameters"]["cell"]
    assert task.config.num_layers == best["hyperparameters"]["num_layers"]
    assert task.config.learning_rate == pytest.approx(best["hyperparameters"]["learning_rate"])
    assert task.config.monitor == "val_accuracy"
    assert 0.0 <= result["metrics"]["test"]["accuracy"] <= 1.0
    assert result["metrics"]["test"]["examples"] == 60
    # The summary: CSV, JSON and the plot.
    with open(tmp_path / "model" / "tuning_trials.csv") as f:
        table = list(csv.DictReader(f))
    assert [row["status"] for row in table] == ["COMPLETED"] * 2
    assert float(table[int(best["trial"])]["val_accuracy"]) == pytest.approx(best["objective"])
    summary = json.loads((tmp_path / "model" / "tuning_trials.json").read_text())
    assert summary["objective"] == "val_accuracy" and summary["trials"] == rows
    assert (tmp_path / "model" / "tuning_objective.png").stat().st_size > 1000


@pytest.mark.large  # about 20 s; hypermodels_test.py checks fixed entries by default
def test_a_given_option_is_fixed_in_every_trial(tmp_path):
    result = tune(
        base_config(tmp_path, max_trials=2, epochs=1, cell="gru", global_clipnorm=0), verbose=0
    )
    for row in result["trials"]:
        assert row["hyperparameters"]["cell"] == "gru"
        assert row["hyperparameters"]["global_clipnorm"] == 0.0


def test_trials_of_a_small_set_are_compared_on_held_out_data(tmp_path):
    # 40 series with test data: a training run would choose its epoch on the
    # training data (`valid_fraction=0`) and average five models (`seeds=5`);
    # a tuning job still holds a tenth out, and its trials and best model are one model.
    config = {**base_config(tmp_path, max_trials=1, epochs=1), "defaults": "data"}
    task_data.ucr_tsv(tmp_path / "small.tsv", 40, seed=0, length=16)
    task_data.ucr_tsv(tmp_path / "small_test.tsv", 10, seed=1, length=16)
    train = str(tmp_path / "small.tsv")
    assert runner.profile({"task": "classify", "data": train}).config.seeds == 5
    result = tune({**config, "data": train, "test": str(tmp_path / "small_test.tsv")}, verbose=0)
    assert result["metrics"]["data"]["validation"] == f"{train} (held out)"
    assert "members" not in result["metrics"]
    assert not os.path.exists(tmp_path / "model-members")
    task, _ = runner.load(str(tmp_path / "model"))
    assert task.config.seeds == 1 and "seeds" not in task.resolved


def test_seeds_are_refused_before_any_search(tmp_path):
    config = base_config(tmp_path, seeds=2)
    with pytest.raises(ValueError, match="`seeds`.*a trial trains one"):
        tune(config, verbose=0)
    assert not os.path.exists(config["directory"]) and not os.path.exists(config["output"])


def test_every_trial_failing_exits_non_zero_with_the_errors(tmp_path, capsys, monkeypatch):
    """Trials that run out of memory: each is reported, and the job fails."""
    from rnn_keras.tuning.hypermodels import TaskHyperModel

    def fit(self, hp, model, *args, **kwargs):
        raise tf.errors.ResourceExhaustedError(None, None, "OOM when allocating tensor")

    monkeypatch.setattr(TaskHyperModel, "fit", fit)
    config = base_config(tmp_path, max_trials=3, max_failed_trials=2)
    code = main(["tune", *cli_arguments(config), "--verbose", "0"])
    assert code == 1
    assert "every trial failed (2 runs)" in capsys.readouterr().err
    with open(tmp_path / "model" / "tuning_trials.csv") as f:
        table = list(csv.DictReader(f))
    assert [row["status"] for row in table] == ["FAILED", "FAILED"]
    assert all("OOM when allocating" in row["error"] for row in table)
    assert not (tmp_path / "model" / "model.keras").exists()


def test_a_bad_fixed_value_fails_before_any_trial(tmp_path, capsys):
    config = base_config(tmp_path, max_trials=3, dropout=1.5)
    assert main(["tune", *cli_arguments(config), "--verbose", "0"]) == 2
    assert "option `dropout` (from --dropout): expected a value < 1" in capsys.readouterr().err
    assert not (tmp_path / "search").exists()


@pytest.mark.large  # about 25 s; reporting failed trials is checked by default (all failing)
def test_a_failed_trial_is_reported_and_the_job_goes_on(tmp_path, monkeypatch):
    """The second trial runs out of memory: it fails, the others complete."""
    from rnn_keras.tuning.hypermodels import TaskHyperModel

    original = TaskHyperModel.fit
    calls = []

    def fit(self, hp, model, *args, **kwargs):
        calls.append(hp)
        if len(calls) == 2:
            raise tf.errors.ResourceExhaustedError(None, None, "OOM when allocating tensor")
        return original(self, hp, model, *args, **kwargs)

    monkeypatch.setattr(TaskHyperModel, "fit", fit)
    result = tune(base_config(tmp_path, max_trials=3), verbose=0)
    rows = result["trials"]
    assert [r["status"] for r in rows] == ["COMPLETED", "FAILED", "COMPLETED"]
    assert "OOM when allocating" in rows[1]["error"] and rows[1]["objective"] is None
    assert result["best_trial"] in ("0", "2")
    assert (tmp_path / "model" / "model.keras").exists()


def trial_states(directory):
    states = {}
    for path in glob.glob(os.path.join(directory, "*", "trial_*", "trial.json")):
        with open(path) as f:
            state = json.load(f)
        states[state["trial_id"]] = (state["status"], state["score"])
    return states


def tune_command(config):
    return [sys.executable, "-m", "rnn_keras", "tune", *cli_arguments(config), "--verbose", "0"]


@pytest.mark.large  # a real process killed and rerun: about 50 s
def test_killed_search_resumes_without_losing_or_repeating_trials(tmp_path):
    config = base_config(tmp_path, max_trials=4, epochs=6, patience=6, units=16)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    process = subprocess.Popen(
        tune_command(config), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None:
            states = trial_states(config["directory"])
            done = [t for t, (status, _) in states.items() if status == "COMPLETED"]
            if done and len(states) > len(done):  # one finished, the next one running
                break
            time.sleep(0.1)
        assert process.poll() is None, "the search ended before it could be interrupted"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    before = trial_states(config["directory"])
    finished = {t: score for t, (status, score) in before.items() if status == "COMPLETED"}
    assert 1 <= len(finished) < 4
    result = subprocess.run(tune_command(config), env=env, capture_output=True, text=True,
                            timeout=400)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    after = trial_states(config["directory"])
    assert sorted(after) == ["0", "1", "2", "3"]
    assert all(status == "COMPLETED" for status, _ in after.values())
    # Finished trials were kept as they were, not run again.
    assert {t: after[t][1] for t in finished} == finished
    assert (tmp_path / "model" / "model.keras").exists()


@pytest.mark.large  # two trials and the best model on two replicas: about 50 s
def test_tuning_under_mirrored_strategy(tmp_path, caplog):
    # 201 lines: batches that do not split evenly over the two replicas.
    task_data.classification_tsv(tmp_path / "odd.tsv", 201, seed=3)
    config = base_config(tmp_path, max_trials=2, strategy="mirrored", batch_size=8)
    config["data"] = str(tmp_path / "odd.tsv")
    with caplog.at_level("INFO"):
        result = tune(config, verbose=0)
    assert "MirroredStrategy over 2 replicas: global batch 16" in caplog.text
    assert [r["status"] for r in result["trials"]] == ["COMPLETED", "COMPLETED"]
    assert all(r["objective"] is not None for r in result["trials"])


@pytest.mark.large  # three processes and the chief's 20-second exit poll: about 90 s
def test_chief_and_two_workers_share_the_search(tmp_path):
    config = base_config(tmp_path, max_trials=4, epochs=3, units=16)
    oracle = f"127.0.0.1:{free_ports(1)[0]}"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("chief", "tuner0", "tuner1")}
    processes = {
        "chief": subprocess.Popen(
            tune_command(config) + ["--chief", "--oracle", oracle, "--no-export"],
            env=env, stdout=logs["chief"], stderr=subprocess.STDOUT,
        )
    }
    time.sleep(2)  # the chief's server first
    for worker in ("tuner0", "tuner1"):
        processes[worker] = subprocess.Popen(
            tune_command(config) + ["--worker", worker, "--oracle", oracle],
            env=env, stdout=logs[worker], stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 420
        for name, process in processes.items():
            process.wait(timeout=max(1, deadline - time.monotonic()))
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
        for log in logs.values():
            log.close()
    outputs = {name: (tmp_path / f"{name}.log").read_text()[-3000:] for name in processes}
    for name, process in processes.items():
        assert process.returncode == 0, (name, outputs[name])
    summary = json.loads((tmp_path / "model" / "tuning_trials.json").read_text())
    rows = summary["trials"]
    assert len(rows) == 4 and all(r["status"] == "COMPLETED" for r in rows)
    assert {r["tuner"] for r in rows} == {"tuner0", "tuner1"}
    assert (tmp_path / "model" / "model.keras").exists()


def test_chief_and_worker_flags_set_keras_tuner_environment(monkeypatch):
    from rnn_keras.cli.tune import set_role
    from rnn_keras.tuning.job import role

    for name in ("KERASTUNER_TUNER_ID", "KERASTUNER_ORACLE_IP", "KERASTUNER_ORACLE_PORT"):
        monkeypatch.setenv(name, "")  # recorded, so that the test's values are undone
        monkeypatch.delenv(name)
    assert role() == "local"
    set_role(False, "tuner1", "10.0.0.1:8000")
    assert os.environ["KERASTUNER_TUNER_ID"] == "tuner1"
    assert os.environ["KERASTUNER_ORACLE_IP"] == "10.0.0.1"
    assert os.environ["KERASTUNER_ORACLE_PORT"] == "8000"
    assert role() == "worker"
    set_role(True, None, "10.0.0.1:8000")
    assert role() == "chief"
    with pytest.raises(ValueError, match="--oracle needs --chief or --worker"):
        set_role(False, None, "10.0.0.1:8000")
    with pytest.raises(ValueError, match="--worker needs --oracle"):
        set_role(False, "tuner0", None)
    with pytest.raises(ValueError, match="--oracle: expected HOST:PORT"):
        set_role(True, None, "10.0.0.1")
    monkeypatch.delenv("KERASTUNER_ORACLE_PORT")
    with pytest.raises(ValueError, match="KERASTUNER_ORACLE_PORT"):
        role()


def test_multi_worker_trials_are_refused_before_any_search(tmp_path):
    config = base_config(tmp_path, strategy="multi_worker")
    with pytest.raises(ValueError, match="`strategy`.*--chief/--worker"):
        tune(config, verbose=0)
    assert not os.path.exists(config["directory"]) and not os.path.exists(config["output"])
