"""Load on `rnn-keras serve` beside in-process SavedModel calls: latency and requests per second.

For each trained model folder (classify or seq2seq), starts `rnn-keras
serve` on 127.0.0.1 (a separate process, as deployed) and, at each
concurrency (1, 8, 32 client threads, each with a keep-alive connection),
sends `:predict` requests of one instance each (`{"instances": [TEXT]}`),
drawn from the task's own test inputs. Beside it, the same inputs in the
same order go to the SavedModel's `serving_default` signature called
in-process from as many threads (`tf.saved_model.load`, batch of one per
call: what a program does without a server). The two are measured back to
back, `--rounds` times in alternating order. Each is first warmed up at
that concurrency, untimed, by passes over the same requests until a pass's
rate is within 10% of the previous one and its p99 under 3 times its p50:
the models' XLA-compiled recurrent loops compile each new `(batch, length)`
shape once (about 0.5 s), and a server's batches bring more shapes than
single calls; the warm-up time is reported. Each timed block is bounded by
`--requests` and `--seconds`. Reports p50/p99 latency in milliseconds and
requests per second, and the load average, since the machine may be shared.

Usage (model folders from `rnn-keras demo` / `rnn-keras train`):

    python benchmarks/serve_load.py /tmp/serve_bench/dates /tmp/serve_bench/clf \\
        --json benchmarks/results/serve_load.json
"""

import argparse
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from rnn_keras import runner  # noqa: E402
from rnn_keras.files import write_json  # noqa: E402
from serving_latency import request_texts  # noqa: E402

MODES = ("in_process", "server")


class ServerProcess:
    """`rnn-keras serve FOLDERS --port PORT` in a process of its own, ready when started."""

    def __init__(self, folders, port, log, options=()):
        command = [sys.executable, "-m", "rnn_keras", "serve", *folders, "--port", str(port)]
        self.url = ("127.0.0.1", port)
        self.log = log
        self.process = subprocess.Popen(
            [*command, *options], stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        )
        deadline = time.monotonic() + 300
        name = os.path.basename(os.path.abspath(folders[0]))
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"rnn-keras serve exited ({self.process.returncode})")
            try:
                connection = http.client.HTTPConnection(*self.url, timeout=5)
                connection.request("GET", f"/v1/models/{name}")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def stop(self):
        """SIGTERM; returns the exit code."""
        self.process.terminate()
        return self.process.wait(timeout=120)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def in_process_client(signature):
    """A per-thread request function: one text through the signature."""

    def make():
        def send(text):
            signature(text=tf.constant([text]))

        return send

    return make


def server_client(url, model):
    """A per-thread request function: one `:predict` over the thread's keep-alive connection."""
    path = f"/v1/models/{model}:predict"

    def make():
        connection = http.client.HTTPConnection(*url, timeout=120)

        def send(text):
            connection.request(
                "POST", path, body=json.dumps({"instances": [text]}),
                headers={"Content-Type": "application/json"},
            )
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"{response.status}: {body[:200]!r}")

        return send

    return make


def run_block(make_client, texts, concurrency, seconds):
    """Sends `texts` (in order) from `concurrency` threads, at most `seconds`; returns timings."""
    latencies, errors = [], []
    position = iter(range(len(texts)))
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        send = make_client()
        while time.monotonic() < deadline:
            with lock:
                index = next(position, None)
            if index is None:
                return
            start = time.perf_counter()
            try:
                send(texts[index])
            except Exception as error:  # noqa: BLE001 - counted and reported
                errors.append(repr(error))
                continue
            latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    values = 1000.0 * np.asarray(latencies)
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "seconds": wall,
        "requests_per_second": len(latencies) / wall,
        "p50_ms": float(np.percentile(values, 50)) if len(values) else None,
        "p99_ms": float(np.percentile(values, 99)) if len(values) else None,
        "load_average": os.getloadavg()[0],
    }


def warm_up(make_client, order, concurrency, budget):
    """Passes over `order` until one has no compilation stall, at most `budget` seconds.

    A pass is settled when its rate is within 10% of the previous pass's and
    its p99 latency under 3 times its p50 (a new shape's compilation, about
    0.5 s, is far above either); at least 3 passes.
    """
    begin, rates = time.perf_counter(), []
    while time.perf_counter() - begin < budget:
        remaining = budget - (time.perf_counter() - begin)
        block = run_block(make_client, order, concurrency, remaining)
        rates.append(block["requests_per_second"])
        settled = len(rates) >= 3 and abs(rates[-1] - rates[-2]) <= 0.10 * rates[-2]
        if settled and block["p99_ms"] < 3 * block["p50_ms"]:
            break
    return {"seconds": time.perf_counter() - begin, "passes": len(rates)}


def merge(blocks):
    """The rounds of one mode together: pooled rate, mean of the p50s, highest p99."""
    requests = sum(block["requests"] for block in blocks)
    seconds = sum(block["seconds"] for block in blocks)
    weights = [block["requests"] for block in blocks]
    return {
        "requests": requests,
        "errors": sum(block["errors"] for block in blocks),
        "requests_per_second": requests / seconds,
        "p50_ms": float(np.average([b["p50_ms"] for b in blocks], weights=weights)),
        "p99_ms": max(block["p99_ms"] for block in blocks),
        "rounds": blocks,
    }


def measure_model(folder, url, concurrencies, args):
    task, _ = runner.load(folder)
    if task.name not in ("classify", "seq2seq"):
        raise ValueError(f"{folder}: timing covers classify and seq2seq models, not {task.name}")
    texts = request_texts(task, folder, args.pool)
    rng = np.random.default_rng(0)
    order = [texts[i] for i in rng.integers(len(texts), size=args.requests)]
    versions = [int(name) for name in os.listdir(folder) if name.isdigit()]
    loaded = tf.saved_model.load(os.path.join(folder, str(max(versions))))
    signature = loaded.signatures["serving_default"]
    name = os.path.basename(os.path.abspath(folder))
    clients = {"in_process": in_process_client(signature), "server": server_client(url, name)}
    result = {"model": folder, "task": task.name, "pool": len(texts), "concurrency": {}}
    for concurrency in concurrencies:
        warmup = {
            mode: warm_up(clients[mode], order, concurrency, args.warmup_seconds)
            for mode in MODES
        }
        blocks = {mode: [] for mode in MODES}
        for round_index in range(args.rounds):
            for mode in MODES if round_index % 2 == 0 else MODES[::-1]:
                blocks[mode].append(run_block(clients[mode], order, concurrency, args.seconds))
        merged = {mode: merge(blocks[mode]) for mode in MODES}
        merged["warmup"] = warmup
        merged["server_over_in_process_rps"] = (
            merged["server"]["requests_per_second"] / merged["in_process"]["requests_per_second"]
        )
        result["concurrency"][str(concurrency)] = merged
        print(
            f"{name} c={concurrency}: in-process {merged['in_process']['requests_per_second']:.0f}"
            f" req/s, server {merged['server']['requests_per_second']:.0f} req/s", flush=True
        )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="Trained model folders (classify or seq2seq).")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests", type=int, default=400, help="Timed requests per block.")
    parser.add_argument("--seconds", type=float, default=20.0, help="Longest timed block.")
    parser.add_argument("--rounds", type=int, default=2, help="Blocks per mode (alternating).")
    parser.add_argument("--pool", type=int, default=256, help="Distinct test inputs drawn from.")
    parser.add_argument(
        "--warmup-seconds", type=float, default=120.0,
        help="Longest warm-up per model, mode and concurrency.",
    )
    parser.add_argument(
        "--server-option", action="append", default=[],
        help="An option for `rnn-keras serve` (repeat it), e.g. --server-option=--no-batch-padding",
    )
    parser.add_argument("--json", help="Write the results to this JSON file.")
    args = parser.parse_args()
    port = free_port()
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        server = ServerProcess(args.models, port, log, args.server_option)
        try:
            models = [
                measure_model(folder, server.url, args.concurrency, args) for folder in args.models
            ]
        finally:
            exit_code = server.stop()
        log.seek(0)
        server_log = log.read()
    results = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "tensorflow": tf.__version__,
        "server": "rnn-keras serve " + " ".join(args.server_option or ["(defaults)"]),
        "server_exit_code": exit_code,
        "server_log_tail": server_log[-2000:],
        "models": models,
    }
    print(
        "| model | concurrency | in-process p50 / p99 ms | in-process req/s "
        "| server p50 / p99 ms | server req/s | server / in-process req/s |"
    )
    print("|---|---|---|---|---|---|---|")
    for model in models:
        for concurrency, r in model["concurrency"].items():
            cells = [
                f"{r[mode]['p50_ms']:.1f} / {r[mode]['p99_ms']:.1f} "
                f"| {r[mode]['requests_per_second']:.0f}"
                for mode in MODES
            ]
            print(
                f"| {model['model']} | {concurrency} | {cells[0]} | {cells[1]} "
                f"| {r['server_over_in_process_rps']:.2f} |"
            )
    if args.json:
        write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
