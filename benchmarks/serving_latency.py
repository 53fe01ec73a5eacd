"""Serving latency of exported models: SavedModel on raw strings, and TFLite.

For each trained model folder, exports the SavedModel (as `rnn-keras
export`) and the TFLite model to a temporary folder, loads the SavedModel
with `tf.saved_model.load` as a server would, and times requests one by
one: single requests (batch 1) and batches of 64, drawn from the task's
own test inputs, plus TFLite single requests (the format's batch of one)
with the vectorisation done in Python. Formats are interleaved request by
request, so the machine's noise hits them alike. Reports p50/p99 in
milliseconds after a warm-up.

Usage (model folders from `rnn-keras train` / `rnn-keras demo`):

    python benchmarks/serving_latency.py saved_models/dates /tmp/sst2 \\
        --json benchmarks/results/serving_latency.json
"""

import argparse
import os
import platform
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from rnn_keras import runner  # noqa: E402
from rnn_keras.files import write_json  # noqa: E402
from rnn_keras.data import load_examples  # noqa: E402
from rnn_keras.export import export_saved_model  # noqa: E402
from rnn_keras.export import export_tflite  # noqa: E402
from rnn_keras.export import tflite_interpreter  # noqa: E402


def request_texts(task, folder, count):
    """Raw test inputs of the task (sources for seq2seq, sentences for classify)."""
    config = task.config
    examples = load_examples(task, config.test or config.data, "test")
    if isinstance(examples, tuple):  # classify: (texts, labels)
        texts = list(examples[0])[:count]
    else:  # seq2seq: (source, target) pairs
        texts = [source for source, _ in examples][:count]
    if not texts:
        raise ValueError(f"{folder}: no test inputs to time")
    return texts


def percentiles(seconds):
    values = 1000.0 * np.asarray(seconds)
    return {"p50_ms": float(np.percentile(values, 50)), "p99_ms": float(np.percentile(values, 99))}


def time_model(folder, requests, warmup):
    task, model = runner.load(folder)
    if task.name not in ("classify", "seq2seq"):
        raise ValueError(f"{folder}: timing covers classify and seq2seq models, not {task.name}")
    texts = request_texts(task, folder, 64 * 8)
    with tempfile.TemporaryDirectory() as root:
        export_saved_model(task, model, os.path.join(root, "1"))
        export_tflite(task, model, os.path.join(root, "tflite"))
        serve = tf.saved_model.load(os.path.join(root, "1")).signatures["serving_default"]
        lite = tflite_interpreter(os.path.join(root, "tflite", "model.tflite"))
        lite_runner = lite.get_signature_runner()
        vocabulary = task.source_vocabulary if task.name == "seq2seq" else task.vocabulary
        key = "source" if task.name == "seq2seq" else "tokens"
        rng = np.random.default_rng(0)
        timings = {"saved_model_batch_1": [], "saved_model_batch_64": [], "tflite_batch_1": []}
        for i in range(warmup + requests):
            one = [texts[rng.integers(len(texts))]]
            batch = [texts[j] for j in rng.integers(len(texts), size=64)]
            start = time.perf_counter()
            serve(text=tf.constant(one))
            single = time.perf_counter() - start
            start = time.perf_counter()
            serve(text=tf.constant(batch))
            batched = time.perf_counter() - start
            start = time.perf_counter()
            lite_runner(**{key: np.array([vocabulary.encode(one[0]) or [0]], np.int32)})
            lite_seconds = time.perf_counter() - start
            if i >= warmup:
                timings["saved_model_batch_1"].append(single)
                timings["saved_model_batch_64"].append(batched)
                timings["tflite_batch_1"].append(lite_seconds)
    result = {
        "model": folder,
        "task": task.name,
        "cell": task.config.cell,
        "units": task.config.units,
        "bidirectional": task.config.bidirectional,
        "requests": requests,
    }
    for name, seconds in timings.items():
        result[name] = percentiles(seconds)
    result["saved_model_batch_64"]["per_example_ms"] = result["saved_model_batch_64"]["p50_ms"] / 64
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="Trained model folders (classify or seq2seq).")
    parser.add_argument("--requests", type=int, default=300, help="Timed requests per kind.")
    parser.add_argument("--warmup", type=int, default=20, help="Untimed requests first.")
    parser.add_argument("--json", help="Write the results to this JSON file.")
    args = parser.parse_args()
    results = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "tensorflow": tf.__version__,
        "models": [time_model(folder, args.requests, args.warmup) for folder in args.models],
    }
    print(
        "| model | task | SavedModel batch 1 p50 / p99 ms "
        "| SavedModel batch 64 p50 / p99 ms | TFLite batch 1 p50 / p99 ms |"
    )
    print("|---|---|---|---|---|")
    for r in results["models"]:
        cells = [
            f"{r[k]['p50_ms']:.1f} / {r[k]['p99_ms']:.1f}"
            for k in ("saved_model_batch_1", "saved_model_batch_64", "tflite_batch_1")
        ]
        print(f"| {r['model']} | {r['task']} | " + " | ".join(cells) + " |")
    if args.json:
        write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
