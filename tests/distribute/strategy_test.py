"""`get_strategy`: names, `auto`'s choice, and TPU failures that never hang."""

import json
import socket
import subprocess
import sys
import textwrap
import time

import pytest
import tensorflow as tf

from rnn_keras import distribute
from rnn_keras.distribute import strategy as strategy_module


@pytest.fixture
def no_cluster(monkeypatch):
    """No TPU, no TF_CONFIG, no TPU VM: `auto` sees a plain machine."""
    monkeypatch.delenv("TF_CONFIG", raising=False)
    monkeypatch.delenv("TPU_NAME", raising=False)
    monkeypatch.setattr(strategy_module, "_local_tpu", lambda: False)


def test_unknown_name_names_the_argument():
    with pytest.raises(ValueError, match=r"`strategy`.*'mirror'"):
        distribute.get_strategy("mirror")


def test_auto_is_default_on_a_plain_machine(no_cluster):
    assert distribute.resolve_strategy_name("auto") == "default"
    assert distribute.get_strategy("auto") is tf.distribute.get_strategy()


def test_auto_picks_multi_worker_when_tf_config_names_a_cluster(no_cluster, monkeypatch):
    cluster = {"worker": ["127.0.0.1:1", "127.0.0.1:2"]}
    monkeypatch.setenv("TF_CONFIG", json.dumps({"cluster": cluster, "task": {"type": "worker"}}))
    assert distribute.resolve_strategy_name("auto") == "multi_worker"
    # A one-task cluster is not worth a multi-worker strategy.
    monkeypatch.setenv("TF_CONFIG", json.dumps({"cluster": {"worker": ["127.0.0.1:1"]}}))
    assert distribute.resolve_strategy_name("auto") == "default"


def test_auto_picks_tpu_when_one_is_named(no_cluster, monkeypatch):
    assert distribute.resolve_strategy_name("auto", tpu="my-tpu") == "tpu"
    monkeypatch.setenv("TPU_NAME", "my-tpu")
    assert distribute.resolve_strategy_name("auto") == "tpu"
    # An explicit name is kept whatever the environment says.
    assert distribute.resolve_strategy_name("mirrored") == "mirrored"


def test_malformed_tf_config_is_a_clear_error(no_cluster, monkeypatch):
    monkeypatch.setenv("TF_CONFIG", "{cluster: ")
    with pytest.raises(ValueError, match="TF_CONFIG is not valid JSON"):
        distribute.resolve_strategy_name("auto")


def test_multi_worker_without_tf_config_says_what_is_missing(no_cluster):
    with pytest.raises(ValueError, match="TF_CONFIG"):
        distribute.get_strategy("multi_worker")


def test_mirrored_spans_the_logical_cpus_and_one_device_one():
    mirrored = distribute.get_strategy("mirrored")
    assert isinstance(mirrored, tf.distribute.MirroredStrategy)
    assert mirrored.num_replicas_in_sync == 2  # conftest makes two logical CPUs
    # One strategy per device set: several would collide in their collectives.
    assert distribute.get_strategy("mirrored") is mirrored
    one = distribute.get_strategy("one_device")
    assert isinstance(one, tf.distribute.OneDeviceStrategy)
    assert one.num_replicas_in_sync == 1


def test_tpu_without_a_tpu_fails_at_once(no_cluster):
    start = time.monotonic()
    with pytest.raises(ValueError, match="no TPU is configured.*--tpu"):
        distribute.get_strategy("tpu")
    assert time.monotonic() - start < 5


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_tpu_address_that_refuses_fails_fast():
    port = _free_port()  # closed once the socket is gone: connections are refused
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=rf"grpc://127.0.0.1:{port} did not answer"):
        distribute.get_strategy("tpu", tpu=f"grpc://127.0.0.1:{port}", timeout=3)
    assert time.monotonic() - start < 10


def test_tpu_address_that_never_answers_times_out(tmp_path):
    """A peer that accepts TCP but never speaks gRPC must not hang the job.

    Run in a fresh process: a TensorFlow connection attempt left running in
    a thread after the timeout must not stay in the test process.
    """
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        script = textwrap.dedent(
            f"""
            import os, sys, time
            os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
            from rnn_keras import distribute
            start = time.monotonic()
            try:
                distribute.get_strategy("tpu", tpu="grpc://127.0.0.1:{port}", timeout=3)
            except Exception as error:
                print("ERROR", type(error).__name__, error)
                print("SECONDS", time.monotonic() - start)
                sys.stdout.flush()
                os._exit(0)
            print("NO ERROR")
            os._exit(1)
            """
        )
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
        )
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "ERROR" in result.stdout and "127.0.0.1" in result.stdout, result.stdout
    seconds = float(result.stdout.split("SECONDS")[1])
    assert seconds < 30, result.stdout


def test_datasets_shard_by_data():
    dataset = distribute.distribute_dataset_options(tf.data.Dataset.range(4))
    policy = dataset.options().experimental_distribute.auto_shard_policy
    assert policy == tf.data.experimental.AutoShardPolicy.DATA
