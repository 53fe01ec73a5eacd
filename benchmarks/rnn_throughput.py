"""Train-step and inference throughput of the fused layers against Keras's and PyTorch's.

Each of `rnn_keras`'s fused layers runs beside its Keras twin with the same
weights: `VanillaRNN` beside `keras.layers.SimpleRNN`, `rnn_keras.layers.LSTM`
beside `keras.layers.LSTM`, `rnn_keras.layers.GRU` beside `keras.layers.GRU`.
When PyTorch is installed, `torch.nn.RNN`/`LSTM`/`GRU` run too (PyTorch is
not a dependency: `pip install torch` for the benchmark). Runs are
interleaved (every layer once, then again) and each figure is the median
over repeats, so the ratios are measured side by side on the same noisy
machine. A train step is forward, backward through time and an SGD update,
inside one `tf.function`, with or without `jit_compile` on that function
(PyTorch: eager, its threads set to the CPU count).

Usage:

    python benchmarks/rnn_throughput.py                 # all shapes, all layers
    python benchmarks/rnn_throughput.py --shapes 64,100,64,128 --layers LSTM keras.LSTM
    python benchmarks/rnn_throughput.py --json results.json
"""

import argparse
import importlib.util
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
from rnn_keras.layers import fused_gates  # noqa: E402

DEFAULT_SHAPES = ("64,100,64,128", "32,500,32,256", "256,50,128,512")
# Each fused layer and the Keras layer it is compared with.
TWINS = {
    "VanillaRNN": "SimpleRNN",
    "VanillaRNN(generic)": "SimpleRNN",
    "LSTM": "keras.LSTM",
    "GRU": "keras.GRU",
}
TORCH_TWINS = {
    "VanillaRNN": "torch.RNN",
    "VanillaRNN(generic)": "torch.RNN",
    "LSTM": "torch.LSTM",
    "GRU": "torch.GRU",
}
TORCH_LAYERS = ("torch.RNN", "torch.LSTM", "torch.GRU")
LAYERS = ("VanillaRNN", "SimpleRNN", "LSTM", "keras.LSTM", "GRU", "keras.GRU")


def make_layer(name, units):
    if name == "VanillaRNN":
        return rnn_keras.layers.VanillaRNN(units, return_sequences=True)
    if name == "VanillaRNN(generic)":
        return rnn_keras.layers.VanillaRNN(units, return_sequences=True, fast_path=False)
    if name in ("LSTM", "GRU"):
        return getattr(rnn_keras.layers, name)(units, return_sequences=True)
    return getattr(keras.layers, name.removeprefix("keras."))(units, return_sequences=True)


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


def make_torch_steps(name, features, units):
    import torch

    torch.set_num_threads(os.cpu_count())
    module = getattr(torch.nn, name.removeprefix("torch."))(features, units, batch_first=True)

    def train_step(x, y):
        outputs, _ = module(x)
        loss = torch.mean(torch.square(outputs - y))
        loss.backward()
        with torch.no_grad():
            for parameter in module.parameters():
                parameter -= 0.01 * parameter.grad
                parameter.grad = None
        return loss.detach()

    def infer_step(x):
        with torch.inference_mode():
            return module(x)[0]

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
    x_np = rng.normal(size=(batch, steps, features)).astype("float32")
    y_np = rng.normal(size=(batch, steps, units)).astype("float32")
    x, y = tf.constant(x_np), tf.constant(y_np)
    keras_layers = {}
    for name in layers:
        if name in TORCH_LAYERS:
            continue
        keras_layers[name] = make_layer(name, units)
        keras_layers[name].build(x.shape)
    for name, layer in keras_layers.items():
        if name in TWINS and TWINS[name] in keras_layers:
            layer.set_weights(keras_layers[TWINS[name]].get_weights())
    built = {}
    for name in layers:
        if name in TORCH_LAYERS:
            import torch

            built[(name, None)] = make_torch_steps(name, features, units)
            built[(name, None)] += ((torch.from_numpy(x_np), torch.from_numpy(y_np)),)
            continue
        for jit in jit_modes:
            built[(name, jit)] = make_steps(keras_layers[name], jit) + ((x, y),)
    times = {key: {"train": [], "infer": []} for key in built}
    for train_step, infer_step, (inputs, targets) in built.values():
        # Warm-up: trace and compile once outside the timings.
        time_calls(train_step, (inputs, targets), 1)
        time_calls(infer_step, (inputs,), 1)
    for _ in range(repeats):
        for key, (train_step, infer_step, (inputs, targets)) in built.items():
            times[key]["train"].append(time_calls(train_step, (inputs, targets), calls))
            times[key]["infer"].append(time_calls(infer_step, (inputs,), calls))
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
    add_ratios(rows)
    return rows


def add_ratios(rows):
    """Each fused layer's speed-up over its twin: same mode, and the twin's best mode."""
    for row in rows:
        twin = TWINS.get(row["layer"])
        twin_rows = [r for r in rows if r["layer"] == twin]
        if not twin_rows:
            continue
        same = next(r for r in twin_rows if r["jit_compile"] == row["jit_compile"])
        for phase in ("train", "infer"):
            best = min(r[f"{phase}_ms"] for r in twin_rows)
            row[f"{phase}_vs_twin"] = same[f"{phase}_ms"] / row[f"{phase}_ms"]
            row[f"{phase}_vs_twin_best"] = best / row[f"{phase}_ms"]
        torch_rows = [r for r in rows if r["layer"] == TORCH_TWINS[row["layer"]]]
        if torch_rows:
            row["train_vs_torch"] = torch_rows[0]["train_ms"] / row["train_ms"]
            row["infer_vs_torch"] = torch_rows[0]["infer_ms"] / row["infer_ms"]


def format_table(rows):
    lines = [
        (
            "| shape (B, T, D, U) | layer | jit_compile | train ms/step | train x twin "
            "| train x twin's best | train x PyTorch | infer ms/step | infer x twin "
            "| infer x twin's best |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|",
    ]

    def ratio(row, key):
        return f"{row[key]:.2f}" if key in row else "–"

    for r in rows:
        jit = "–" if r["jit_compile"] is None else r["jit_compile"]
        lines.append(
            f"| {tuple(r['shape'])} | {r['layer']} | {jit} | {r['train_ms']:.2f} | "
            f"{ratio(r, 'train_vs_twin')} | {ratio(r, 'train_vs_twin_best')} | "
            f"{ratio(r, 'train_vs_torch')} | {r['infer_ms']:.2f} | "
            f"{ratio(r, 'infer_vs_twin')} | {ratio(r, 'infer_vs_twin_best')} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", nargs="+", default=list(DEFAULT_SHAPES),
                        help="batch,time,features,units per shape.")
    parser.add_argument(
        "--layers", nargs="+", default=None,
        choices=sorted(set(LAYERS) | set(TWINS) | set(TORCH_LAYERS)),
        help=f"Layers to time. Default: {' '.join(LAYERS)}, and {' '.join(TORCH_LAYERS)} "
             "when PyTorch is installed.")
    parser.add_argument("--jit", nargs="+", default=["off", "on"], choices=["off", "on"],
                        help="jit_compile of the step function.")
    parser.add_argument("--repeats", type=int, default=7, help="Interleaved repeats.")
    parser.add_argument("--calls", type=int, default=10, help="Steps per timing.")
    parser.add_argument("--json", help="Also write the rows to this JSON file.")
    args = parser.parse_args(argv)
    if args.layers is None:
        args.layers = list(LAYERS)
        if importlib.util.find_spec("torch") is not None:
            args.layers += list(TORCH_LAYERS)
    if any(name.startswith("torch.") for name in args.layers) and (
        importlib.util.find_spec("torch") is None
    ):
        parser.error("--layers names a PyTorch layer but PyTorch is not installed "
                     "(pip install torch).")
    jit_modes = [mode == "on" for mode in args.jit]
    devices = [d.device_type for d in tf.config.list_logical_devices()]
    versions = f"TensorFlow {tf.__version__}, Keras {keras.__version__}"
    if any(name.startswith("torch.") for name in args.layers):
        import torch

        versions += f", PyTorch {torch.__version__}"
    # Batches of unknown size (the benchmark's are known: fewer for small ones).
    loop_parts = fused_gates.loop_parts()
    print(f"{versions}, {platform.processor()}, devices {devices}, {os.cpu_count()} CPUs, "
          f"fused loops on up to {loop_parts} slices of the batch", flush=True)
    rows = []
    for text in args.shapes:
        shape = tuple(int(v) for v in text.split(","))
        shape_rows = bench_shape(shape, args.layers, jit_modes, args.repeats, args.calls)
        print(format_table(shape_rows), flush=True)
        rows.extend(shape_rows)
    print("\nAll shapes:\n" + format_table(rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {"argv": sys.argv, "versions": versions, "devices": devices,
                 "loop_parts": loop_parts, "rows": rows},
                f,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
