"""The start of training: `fit`'s first epoch with and without `compat.build_before_fit`.

Without a distribution strategy Keras creates the loss's, metrics' and
optimizer's variables inside the first trace of the training step, and
`tf.function` then traces the step a second time; `rnn-keras train` and the
tuning trials build them first (`rnn_keras.compat.build_before_fit`). For
each model, a fresh copy fits one epoch of a small dataset (8 steps) with
and without it, alternated; prints the median seconds of that first epoch,
the traces of the training step, and the epoch's steps alone (a second
epoch).

Usage:

    python benchmarks/fit_start.py --repeats 3 --json benchmarks/results/fit_start.json
"""

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import tensorflow as tf

from rnn_keras import compat
from rnn_keras.models import build_classifier
from rnn_keras.models import build_tagger


def classifier(cell):
    def make():
        model = build_classifier(2, vocab_size=1000, cell=cell, units=64, bidirectional=True)
        return model, (rng_ids((256, 40)), np.random.default_rng(1).integers(0, 2, 256))

    return make


def tagger():
    model = build_tagger(9, vocab_size=1000, cell="gru", units=64, bidirectional=True)
    return model, (rng_ids((256, 40)), np.random.default_rng(1).integers(0, 9, (256, 40)))


def rng_ids(shape):
    return np.random.default_rng(0).integers(1, 1000, shape)


MODELS = {"bilstm_classifier": classifier("lstm"), "bigru_classifier": classifier("gru"),
          "bigru_tagger": tagger}


def first_epochs(make, build_first):
    """`(first epoch s, traces of the training step, second epoch s)` of a fresh model."""
    model, (x, y) = make()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)
    traces = []
    step = model.train_step

    def counted(data):
        traces.append(1)
        return step(data)

    model.train_step = counted
    start = time.perf_counter()
    if build_first:
        compat.build_before_fit(model, dataset)
    model.fit(dataset, epochs=1, verbose=0)
    first = time.perf_counter() - start
    start = time.perf_counter()
    model.fit(dataset, epochs=1, verbose=0)
    return first, len(traces), time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", help="write the rows to this file")
    args = parser.parse_args(argv)
    times = {(m, b): [] for m in args.models for b in (False, True)}
    traces = {}
    for _ in range(args.repeats):
        for name in args.models:
            for build_first in (False, True):
                first, count, second = first_epochs(MODELS[name], build_first)
                times[name, build_first].append((first, second))
                traces[name, build_first] = count
    rows = []
    for name in args.models:
        plain, built = (
            statistics.median(t[0] for t in times[name, b]) for b in (False, True)
        )
        steps = statistics.median(t[1] for t in times[name, True] + times[name, False])
        rows.append({
            "model": name, "plain_first_epoch_s": round(plain, 2),
            "built_first_epoch_s": round(built, 2), "plain_traces": traces[name, False],
            "built_traces": traces[name, True], "second_epoch_s": round(steps, 2),
            "speedup": round(plain / built, 2),
        })
        print(json.dumps(rows[-1]))
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump({"repeats": args.repeats, "rows": rows}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
