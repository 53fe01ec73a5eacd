"""Cluster processes on 127.0.0.1 for tests: free ports, bounded waits, nothing left running."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import time


def free_ports(count):
    """`count` distinct TCP ports free on 127.0.0.1 now."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def worker_env(ports, index):
    """The environment of worker `index` in a `TF_CONFIG` cluster of one worker per port."""
    cluster = {"worker": [f"127.0.0.1:{port}" for port in ports]}
    config = {"cluster": cluster, "task": {"type": "worker", "index": index}}
    return {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_CONFIG": json.dumps(config)}


@contextlib.contextmanager
def running(commands, log_dir):
    """Starts `{name: (argv, env)}`, each logging to `log_dir/NAME.log`; kills what is left on exit.

    Yields `{name: Popen}`. Each process leads its own session, so a kill
    takes its children too.
    """
    processes, logs = {}, {}
    try:
        for name, (argv, env) in commands.items():
            logs[name] = open(os.path.join(log_dir, f"{name}.log"), "w")
            processes[name] = subprocess.Popen(
                argv, env=env, stdout=logs[name], stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        yield processes
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for log in logs.values():
            log.close()


def wait_all(processes, timeout):
    """Waits for every process, at most `timeout` seconds in all; returns `{name: exit code}`."""
    deadline = time.monotonic() + timeout
    for process in processes.values():
        process.wait(timeout=max(1.0, deadline - time.monotonic()))
    return {name: process.returncode for name, process in processes.items()}


def log_tail(log_dir, name, characters=3000):
    with open(os.path.join(log_dir, f"{name}.log")) as f:
        return f.read()[-characters:]
