"""Train-step and inference throughput of `VanillaRNN` against Keras's RNNs.

Every layer of one shape gets the same weights (`VanillaRNN` copies
`SimpleRNN`'s) and the same data; runs are interleaved (layer A, B, C, ...,
then again) and each figure is the median over repeats, so the ratios are
measured side by side on the same noisy machine. A train step is forward,
backward through time and an SGD update, inside one `tf.function`, with or
without `jit_compile` on that function.

Usage:

    python benchmarks/rnn_throughput.py                 # all shapes
    python benchmarks/rnn_throughput.py --shapes 64,100,64,128 --repeats 5
    python benchmarks/rnn_throughput.py --json results.json
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import rnn_keras  # noqa: E402

DEFAULT_SHAPES = ("64,100,64,128", "32,500,32,256", "256,50,128,512")
LAYERS = ("VanillaRNN", "SimpleRNN", "LSTM", "GRU")


def make_layer(name, units, reference):
    if name == "VanillaRNN":
        return rnn_keras.layers.VanillaRNN(units, return_sequences=True)
    if name == "VanillaRNN(generic)":
        return rnn_keras.layers.VanillaRNN(units, return_sequences=True, fast_path=False)
    return getattr(keras.layers, name)(units, return_sequences=True)


def make_steps(layer, jit_compile):
    variables = layer.trainable_variables

    @tf.function(jit_compile=jit_compile)
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(layer(x, training=True) - y))
        for variable, grad in zip(variables, tape.gradient(loss, variables)):
            variable.assign_sub(0.01 * grad)
        return loss

    @tf.function(jit_compile=jit_compile)
    def infer_step(x):
        return layer(x, training=False)

    return train_step, infer_step


def time_calls(fn, args, calls):
    result = fn(*args)
    np.asarray(result)  # Wait for the device.
    start = time.perf_counter()
    for _ in range(calls):
        result = fn(*args)
    np.asarray(result)
    return (time.perf_counter() - start) / calls


def bench_shape(shape, layers, jit_modes, repeats, calls):
    batch, steps, features, units = shape
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(batch, steps, features)).astype("float32"))
    y = tf.constant(rng.normal(size=(batch, steps, units)).astype("float32"))
    reference = keras.layers.SimpleRNN(units, return_sequences=True)
    reference.build(x.shape)
    built = {}
    for name in layers:
        layer = make_layer(name, units, reference)
        layer.build(x.shape)
        if name.startswith("VanillaRNN"):
            layer.set_weights(reference.get_weights())
        for jit in jit_modes:
            built[(name, jit)] = make_steps(layer, jit)
    times = {key: {"train": [], "infer": []} for key in built}
    for key, (train_step, infer_step) in built.items():
        # Warm-up: trace and compile once outside the timings.
        time_calls(train_step, (x, y), 1)
        time_calls(infer_step, (x,), 1)
    for _ in range(repeats):
        for key, (train_step, infer_step) in built.items():
            times[key]["train"].append(time_calls(train_step, (x, y), calls))
            times[key]["infer"].append(time_calls(infer_step, (x,), calls))
    rows = []
    for (name, jit), measured in times.items():
        train = statistics.median(measured["train"])
        infer = statistics.median(measured["infer"])
        rows.append(
            {
                "shape": shape,
                "layer": name,
                "jit_compile": jit,
                "train_ms": 1000 * train,
                "infer_ms": 1000 * infer,
                "train_seq_per_s": batch / train,
                "infer_seq_per_s": batch / infer,
            }
        )
    for row in rows:
        base = next(
            r for r in rows if r["layer"] == "SimpleRNN" and r["jit_compile"] == row["jit_compile"]
        )
        row["train_vs_simple_rnn"] = base["train_ms"] / row["train_ms"]
        row["infer_vs_simple_rnn"] = base["infer_ms"] / row["infer_ms"]
    return rows


def format_table(rows):
    lines = [
        "| shape (B, T, D, U) | layer | jit_compile | train ms/step | train x SimpleRNN "
        "| infer ms/step | infer x SimpleRNN |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {tuple(r['shape'])} | {r['layer']} | {r['jit_compile']} | "
            f"{r['train_ms']:.2f} | {r['train_vs_simple_rnn']:.2f} | "
            f"{r['infer_ms']:.2f} | {r['infer_vs_simple_rnn']:.2f} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", nargs="+", default=list(DEFAULT_SHAPES),
                        help="batch,time,features,units per shape.")
    parser.add_argument("--layers", nargs="+", default=list(LAYERS),
                        help=f"Layers to time; also 'VanillaRNN(generic)'. Default: {LAYERS}.")
    parser.add_argument("--jit", nargs="+", default=["off", "on"], choices=["off", "on"],
                        help="jit_compile of the step function.")
    parser.add_argument("--repeats", type=int, default=7, help="Interleaved repeats.")
    parser.add_argument("--calls", type=int, default=10, help="Steps per timing.")
    parser.add_argument("--json", help="Also write the rows to this JSON file.")
    args = parser.parse_args(argv)
    if "SimpleRNN" not in args.layers:
        parser.error("--layers must include SimpleRNN, the baseline of every ratio.")
    jit_modes = [mode == "on" for mode in args.jit]
    devices = [d.device_type for d in tf.config.list_logical_devices()]
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, {platform.processor()}, "
          f"devices {devices}, {os.cpu_count()} CPUs", flush=True)
    rows = []
    for text in args.shapes:
        shape = tuple(int(v) for v in text.split(","))
        shape_rows = bench_shape(shape, args.layers, jit_modes, args.repeats, args.calls)
        print(format_table(shape_rows), flush=True)
        rows.extend(shape_rows)
    print("\nAll shapes:\n" + format_table(rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"argv": sys.argv, "devices": devices, "rows": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
