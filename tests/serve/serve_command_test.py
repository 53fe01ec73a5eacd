"""`rnn-keras serve`: its options, and a server process that answers and stops on SIGTERM."""

import ast
import os
import signal
import subprocess
import sys
import time

import pytest

import processes
from rest_client import call
from rest_client import predict
from rnn_keras.cli import main


def test_help_lists_the_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for flag in ("--port", "--host", "--max-request-bytes", "--max-batch-size",
                 "--batch-timeout-ms", "--batch-threads", "--poll-seconds", ":predict"):
        assert flag in text, flag


def test_the_command_imports_no_tensorflow_before_it_runs():
    """`rnn-keras --help` builds every subparser; this one imports its server inside `run`."""
    import rnn_keras.cli.serve as module

    with open(module.__file__, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    imported = [
        alias.name if isinstance(node, ast.Import) else node.module
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    ]
    assert all(
        name == "argparse" or name.startswith(("rnn_keras.cli", "rnn_keras.config"))
        for name in imported
    ), imported


def test_bad_options_and_folders_are_named(tmp_path, capsys):
    assert main(["serve", str(tmp_path), "--max-batch-size", "0"]) == 2
    assert "max_batch_size" in capsys.readouterr().err
    assert main(["serve", str(tmp_path / "missing"), "--port", "0"]) == 1
    assert "no such model folder" in capsys.readouterr().err


def test_sigterm_stops_the_server_after_it_answered(trained, tmp_path):
    (port,) = processes.free_ports(1)
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "rnn_keras", "serve", trained["forecast"], "--port", str(port)]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    with processes.running({"serve": (argv, env)}, str(tmp_path)) as started:
        process = started["serve"]
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, processes.log_tail(str(tmp_path), "serve")
            try:
                status, _ = call(url, "GET", "/v1/models/forecast", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, processes.log_tail(str(tmp_path), "serve")
                time.sleep(0.2)
        assert status == 200
        status, answer = predict(url, "forecast", {"instances": [[1.0, 2.0, 3.0]]})
        assert status == 200 and len(answer["predictions"]) == 1
        process.send_signal(signal.SIGTERM)
        try:
            assert process.wait(timeout=60) == 0, processes.log_tail(str(tmp_path), "serve")
        except subprocess.TimeoutExpired:
            pytest.fail("the server did not stop on SIGTERM")
    log = processes.log_tail(str(tmp_path), "serve")
    assert f"at {url}/v1/models/forecast" in log and "SIGTERM: stopping" in log
