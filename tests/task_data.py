"""Small generated data files, one per task, that a tiny model learns in seconds."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_keras import runner
from rnn_keras.export import export_onnx
from rnn_keras.export import export_tflite
from rnn_keras.export.numeric import numeric_functions
from rnn_keras.export.tflite import tflite_interpreter
from rnn_keras.models import build_forecaster
from rnn_keras.tasks import make_task

WORDS = ["the", "a", "film", "plot", "actors", "was", "is", "very", "quite", "story", "music"]
NAMES = ["ana", "bruno", "chen", "dara"]
SURNAMES = ["silva", "okafor", "li"]
CITIES = ["paris", "lagos", "lima"]


def classification_tsv(path, count, seed):
    """`pos` exactly when "good" occurs (anywhere) in the sentence."""
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(count):
        words = list(rng.choice(WORDS, size=rng.integers(3, 9)))
        label = "pos" if i % 2 else "neg"
        words.insert(rng.integers(len(words) + 1), "good" if label == "pos" else "bad")
        lines.append(f"{label}\t{' '.join(words)}")
    path.write_text("\n".join(lines) + "\n")


def ucr_tsv(path, count, seed, length=40):
    """Class 1: a sine; class 2: a square wave; random phase, noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    lines = []
    for i in range(count):
        label = 1 + i % 2
        phase = rng.uniform(0, 2 * np.pi)
        wave = np.sin(2 * np.pi * t / 10 + phase)
        values = wave if label == 1 else np.sign(wave)
        values = values + rng.normal(0, 0.2, length)
        lines.append("\t".join([str(label)] + [f"{v:.4f}" for v in values]))
    path.write_text("\n".join(lines) + "\n")


def conll(path, count, seed):
    """People (B-PER [I-PER]) and cities (B-LOC) among filler words."""
    rng = np.random.default_rng(seed)
    blocks = []
    for _ in range(count):
        rows = []
        for _ in range(rng.integers(3, 8)):
            kind = rng.random()
            if kind < 0.2:
                rows.append((str(rng.choice(NAMES)).title(), "B-PER"))
                if rng.random() < 0.5:
                    rows.append((str(rng.choice(SURNAMES)).title(), "I-PER"))
            elif kind < 0.3:
                rows.append((str(rng.choice(CITIES)).title(), "B-LOC"))
            else:
                rows.append((str(rng.choice(WORDS)), "O"))
        blocks.append("\n".join(f"{w}\t{t}" for w, t in rows))
    path.write_text("\n\n".join(blocks) + "\n")


def reversal_tsv(path, count, seed):
    """Space-separated letters and their reversal (word tokens, so BLEU counts n-grams)."""
    rng = np.random.default_rng(seed)
    lines = []
    for _ in range(count):
        letters = list(rng.choice(list("abcdefgh"), size=rng.integers(2, 7)))
        lines.append(f"{' '.join(letters)}\t{' '.join(letters[::-1])}")
    path.write_text("\n".join(lines) + "\n")


def cyclic_text(path, repeats=300):
    path.write_text("abcdefghij" * repeats + "\n")


def seasonal_csv(path, length=144, seed=0):
    """Monthly series with a trend, a yearly cycle that grows with the level, noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    level = 100 + 2.0 * t
    values = level * (1 + 0.2 * np.sin(2 * np.pi * t / 12)) + rng.normal(0, 2, length)
    rows = ["month,value"] + [f"{i},{v:.3f}" for i, v in enumerate(values)]
    path.write_text("\n".join(rows) + "\n")


def seasonal_long_csv(path, series=3, length=72, seed=0):
    """A long CSV (`timestamp,series,value`) of monthly series, each with its own start and level."""
    rng = np.random.default_rng(seed)
    rows = ["timestamp,series,value"]
    for index in range(series):
        start = 2000 * 12 + 5 * index  # June, November, April, ...
        t = np.arange(length)
        level = 100 * (index + 1) + 2.0 * t
        values = level * (1 + 0.2 * np.sin(2 * np.pi * (start + t) / 12)) + rng.normal(0, 2, length)
        rows += [
            f"{(start + i) // 12}-{(start + i) % 12 + 1:02d},S{index},{v:.3f}"
            for i, v in enumerate(values)
        ]
    path.write_text("\n".join(rows) + "\n")


def forecast_fit_error(task, data, epochs):
    """The mean absolute error on its own training windows of `task`'s model after `epochs`.

    `task` is a forecast task of point forecasts (`interval=0`); `data` its
    `ForecastData`, prepared on and trained on here.
    """
    task.prepare(data)
    model = task.build_model()
    model.fit(task.dataset(data, training=True), epochs=epochs, shuffle=False, verbose=0)
    inputs, targets = task._windows(data, task.training_origins(data))
    point, _, _ = task.forecast(model, inputs)
    return float(np.mean(np.abs(point - targets[..., 0])))


def covariate_task(options):
    """A small forecast task of point forecasts (window 4, horizon 2, GRU of 16), and `options`.

    For the covariates' tests: its defaults fixed, no seasonal naive combination.
    """
    return make_task("forecast", {
        "window": 4, "horizon": 2, "season": 1, "interval": 0, "cell": "gru", "units": 16,
        "learning_rate": 1e-2, "batch_size": 16, "defaults": "fixed",
        "combine_seasonal_naive": False, **options,
    })


def small_forecaster(**options):
    """`build_forecaster` of one feature, window 4, horizon 2, GRU of 4, and `options`."""
    return build_forecaster(1, horizon=2, input_length=4, cell="gru", units=4, **options)


def check_numeric_formats(task, model, served, inputs, folder, signature="serving_default"):
    """The numeric signature, the SavedModel `served`, TFLite and ONNX forecast `inputs` alike.

    `inputs`: `signature`'s NumPy inputs by name (the SavedModel is compared
    on `serving_default` only: `with_features` takes text there); TFLite's
    file holds builtin ops only; ONNX where onnxruntime is installed. The
    formats are written under `folder`.
    """
    functions = numeric_functions(task, model)
    want = functions[signature](**{k: tf.constant(v) for k, v in inputs.items()})
    if signature == "serving_default":
        np.testing.assert_allclose(
            want["forecast"], served.signatures[signature](**inputs)["forecast"], rtol=1e-5
        )
    export_tflite(task, model, f"{folder}/tflite")
    with open(f"{folder}/tflite/model.tflite", "rb") as f:
        assert b"Flex" not in f.read()  # builtin ops only
    runner_ = tflite_interpreter(f"{folder}/tflite/model.tflite").get_signature_runner(signature)
    np.testing.assert_allclose(runner_(**inputs)["forecast"], want["forecast"], atol=2e-4)
    onnxruntime = pytest.importorskip("onnxruntime")
    export_onnx(task, model, f"{folder}/onnx")
    session = onnxruntime.InferenceSession(f"{folder}/onnx/{signature}.onnx")
    names = [output.name for output in session.get_outputs()]
    outputs = dict(zip(names, session.run(None, inputs)))
    np.testing.assert_allclose(outputs["forecast"], want["forecast"], atol=2e-4)


def train_forecaster(path, folder, options):
    """Trains and exports a small GRU forecaster of the file `path` into `folder`.

    Seed 0, the defaults fixed; `options` (window, horizon, covariates, ...)
    on top.
    """
    keras.utils.set_random_seed(0)
    runner.train(
        {"task": "forecast", "data": str(path), "defaults": "fixed", "cell": "gru", "seed": 0,
         "output": folder, **options},
        verbose=0, export=True,
    )


def trained_forecaster(tmp_path_factory, name, write, options):
    """`(model folder, data file)`: a small forecaster trained on the file `write(path)` writes.

    `train_forecaster` with window 8, GRU of 8, 2 epochs in batches of 64,
    and `options` on top; the file is `name.csv` in a folder of its own.
    """
    root = tmp_path_factory.mktemp(name)
    path = root / f"{name}.csv"
    write(path)
    folder = str(root / "model")
    train_forecaster(path, folder, {
        "window": 8, "units": 8, "epochs": 2, "batch_size": 64, **options,
    })
    return folder, str(path)


def fit_errors(data, runs, epochs=30, **options):
    """`{run: forecast_fit_error}` of a `covariate_task` per run (`{run: its options}`), seed 0.

    `options` are every run's, under its own.
    """
    errors = {}
    for name, extra in runs.items():
        keras.utils.set_random_seed(0)
        errors[name] = forecast_fit_error(covariate_task({**options, **extra}), data, epochs)
    return errors

