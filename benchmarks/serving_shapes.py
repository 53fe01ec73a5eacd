"""SavedModels with and without XLA-compiled recurrent loops: new input shapes and warm calls.

A fused layer's loop compiled with XLA compiles once per input shape. A
server meets many shapes (every request length, every batch size), so for
an exported model the question is what a new shape costs against what a
warm call saves. Exports one model folder twice (`xla_loops=False`, the
default, and `True`), loads both in this process, and calls each signature
with one request per distinct input, interleaved (A then B per input):
first the "new shape" calls (one per distinct length), then warm rounds
over the same inputs. Reports milliseconds per call.

Usage (a text model folder from `rnn-keras train` / `rnn-keras demo`):

    python benchmarks/serving_shapes.py saved_models/dates \\
        --json benchmarks/results/serving_shapes.json
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from rnn_keras import runner  # noqa: E402
from rnn_keras.export import export_saved_model  # noqa: E402
from rnn_keras.files import write_json  # noqa: E402

# Inputs of distinct lengths (characters and words alike).
TEXTS = [
    "3/4/01", "March 3, 2001", "Saturday, 3 March 2001", "2001-03-03 and more", "3 Mar 01",
    "the third of March, 2001", "03.03.2001 at dawn", "Mar 3rd 2001", "3rd of March 01",
    "20010303", "March 3 2001 at noon", "Sat 3 Mar 2001 in the evening",
]


def timed(signature, text):
    start = time.perf_counter()
    signature(text=tf.constant([text]))
    return 1000 * (time.perf_counter() - start)


def measure(folder, rounds):
    task, model = runner.load(folder)
    signatures = {}
    with tempfile.TemporaryDirectory() as directory:
        for xla_loops in (False, True):
            path = os.path.join(directory, str(int(xla_loops) + 1))
            export_saved_model(task, model, path, xla_loops=xla_loops)
            signatures[xla_loops] = tf.saved_model.load(path).signatures["serving_default"]
        first = {x: [] for x in signatures}
        warm = {x: [] for x in signatures}
        for text in TEXTS:
            for xla_loops, signature in signatures.items():
                first[xla_loops].append(timed(signature, text))
        for _ in range(rounds):
            for text in TEXTS:
                for xla_loops, signature in signatures.items():
                    warm[xla_loops].append(timed(signature, text))
    rows = []
    for xla_loops in signatures:
        rows.append(
            {
                "model": folder,
                "xla_loops": xla_loops,
                "first_call_ms": round(first[xla_loops][0], 1),
                "new_shape_ms_median": round(float(np.median(first[xla_loops][1:])), 1),
                "warm_ms_p50": round(float(np.median(warm[xla_loops])), 2),
                "warm_ms_p99": round(float(np.quantile(warm[xla_loops], 0.99)), 2),
            }
        )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="+", help="Model folders of text tasks.")
    parser.add_argument("--rounds", type=int, default=30, help="Warm rounds over the inputs.")
    parser.add_argument("--json", help="Write the rows here.")
    args = parser.parse_args(argv)
    rows = [row for folder in args.models for row in measure(folder, args.rounds)]
    for row in rows:
        print(json.dumps(row))
    if args.json:
        write_json(
            args.json, {"machine": platform.machine(), "tensorflow": tf.__version__, "rows": rows}
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
