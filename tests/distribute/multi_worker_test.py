"""`strategy="multi_worker"`: `rnn-keras train` on two worker processes on 127.0.0.1.

The guard that plain Keras still needs `compat.enable_multi_worker_fit` is
in `tests/compat_test.py`.

Two workers with one replica each and a per-replica batch of 8 train like
one device with a batch of 16 (`one_device`, which like the workers draws
one batch to build the model before the first epoch), so the chief's model
is compared with that, weight by weight.
"""

import json
import os
import signal
import sys
import time

import keras
import numpy as np
import pytest

import task_data
from processes import free_ports
from processes import log_tail
from processes import running
from processes import wait_all
from processes import worker_env
from rnn_keras import runner
from rnn_keras.runner.resume import roll_back

EPOCHS = 2


def options(tmp_path, output, epochs=EPOCHS):
    return {
        "task": "classify",
        "data": str(tmp_path / "train.tsv"),
        "test": str(tmp_path / "test.tsv"),
        "defaults": "fixed",
        "cell": "lstm",
        "units": 8,
        "embedding_dim": 8,
        "epochs": epochs,
        "patience": 20,
        "output": str(output),
    }


def command(config, batch_size):
    argv = [sys.executable, "-m", "rnn_keras", "train", "--strategy", "multi_worker"]
    for key, value in config.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    return argv + ["--batch-size", str(batch_size), "--verbose", "0", "--no-export"]


def workers(config, batch_size=8):
    """The two workers' `{name: (argv, env)}`, on free ports."""
    ports = free_ports(2)
    return {
        f"worker{index}": (command(config, batch_size), worker_env(ports, index))
        for index in range(2)
    }


def one_device_weights(config, batch_size=16):
    runner.train({**config, "strategy": "one_device", "batch_size": batch_size}, verbose=0)
    return keras.models.load_model(os.path.join(config["output"], "model.keras")).get_weights()


def max_drift(output, reference):
    weights = keras.models.load_model(os.path.join(output, "model.keras")).get_weights()
    return max(float(np.abs(a - b).max()) for a, b in zip(weights, reference))


def epochs_in(history):
    return [int(line.split(",")[0]) for line in history.read_text().splitlines()[1:]]


def test_two_workers_train_as_one_device_and_only_the_chief_writes_the_model(tmp_path):
    task_data.classification_tsv(tmp_path / "train.tsv", 90, seed=0)  # batches of 16 do not divide it
    task_data.classification_tsv(tmp_path / "test.tsv", 20, seed=1)
    output = tmp_path / "model"
    with running(workers(options(tmp_path, output)), str(tmp_path)) as processes:
        codes = wait_all(processes, timeout=300)
    assert codes == {"worker0": 0, "worker1": 0}, log_tail(tmp_path, "worker1")
    worker_log = log_tail(tmp_path, "worker1")
    assert '"worker": "worker-1"' in worker_log and "over 2 replicas: global batch 16" in worker_log
    # The chief (worker 0) writes the model folder; worker 1 only its own state.
    assert {"model.keras", "metrics.json", "task.json", "history.csv"} <= set(os.listdir(output))
    assert sorted(os.listdir(output / "workers")) == ["worker-1"]
    own = output / "workers" / "worker-1"
    assert not (own / "model.keras").exists()
    assert epochs_in(own / "history.csv") == list(range(EPOCHS))
    assert not (own / "backup").exists() and not (output / "backup").exists()
    metrics = json.loads((output / "metrics.json").read_text())
    assert metrics["epochs"] == EPOCHS and metrics["test"]["examples"] == 20

    reference = one_device_weights(options(tmp_path, tmp_path / "one_device"))
    assert max_drift(output, reference) < 1e-5


@pytest.mark.large  # two 2-worker runs and a one-device run: about 90 s
def test_a_killed_worker_restarted_resumes_where_training_stopped(tmp_path):
    """SIGKILL worker 1 mid-training: the chief fails; rerun both: no epoch lost or repeated."""
    task_data.classification_tsv(tmp_path / "train.tsv", 1500, seed=0)
    task_data.classification_tsv(tmp_path / "test.tsv", 20, seed=1)
    output = tmp_path / "model"
    config = options(tmp_path, output, epochs=6)
    staging = tmp_path / ".model.partial"  # where the unfinished run writes
    history = staging / "history.csv"
    with running(workers(config), str(tmp_path)) as processes:
        deadline = time.monotonic() + 240
        while not (history.exists() and len(epochs_in(history)) >= 2):
            assert time.monotonic() < deadline, "no two epochs in time"
            assert processes["worker1"].poll() is None, log_tail(tmp_path, "worker1")
            time.sleep(0.2)
        time.sleep(0.5)  # into the next epoch
        os.killpg(processes["worker1"].pid, signal.SIGKILL)
        # The chief notices its peer stopped answering and gives up, in bounded time.
        assert processes["worker0"].wait(timeout=120) != 0
    done = len(epochs_in(history))
    assert 2 <= done < 6 and (staging / "backup").is_dir()

    with running(workers(config), str(tmp_path)) as processes:
        codes = wait_all(processes, timeout=300)
    assert codes == {"worker0": 0, "worker1": 0}, log_tail(tmp_path, "worker0")
    for name, backup in (("worker0", staging / "backup"),
                         ("worker1", staging / "workers" / "worker-1" / "backup")):
        assert f"resuming from {backup} ({done} epochs done)" in log_tail(tmp_path, name, 20000)
    assert epochs_in(output / "history.csv") == list(range(6))
    # The resumed run ends where an uninterrupted one does (= one device, global batch).
    reference = one_device_weights(options(tmp_path, tmp_path / "one_device", epochs=6))
    assert max_drift(output, reference) < 1e-5


def test_workers_one_epoch_apart_roll_back_to_the_same_epoch(tmp_path):
    backup = tmp_path / "backup"
    backup.mkdir()
    for suffix, epoch in (("", 3), (".bkp", 2)):
        (backup / f"latest.weights.h5{suffix}").write_text(f"weights {epoch}")
        (backup / f"training_metadata.json{suffix}").write_text(json.dumps({"epoch": epoch}))
    roll_back(str(backup), 2)
    assert (backup / "latest.weights.h5").read_text() == "weights 2"
    assert json.loads((backup / "training_metadata.json").read_text()) == {"epoch": 2}
    with pytest.raises(RuntimeError, match=f"{backup} holds 2 finished epochs.*epoch 1"):
        roll_back(str(backup), 1)


def test_a_time_limit_is_refused_with_multi_worker_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setenv("TF_CONFIG", json.dumps(
        {"cluster": {"worker": ["127.0.0.1:1", "127.0.0.1:2"]}, "task": {"index": 0}}
    ))
    task_data.classification_tsv(tmp_path / "train.tsv", 41, seed=0)
    with pytest.raises(ValueError, match="`max_minutes`.*multi_worker"):
        runner.train(
            {"task": "classify", "data": str(tmp_path / "train.tsv"),
             "output": str(tmp_path / "model"), "max_minutes": 5},
            verbose=0,
        )
    assert sorted(os.listdir(tmp_path)) == ["train.tsv"]  # nothing written
