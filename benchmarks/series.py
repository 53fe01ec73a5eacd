"""Every shared series set, trained with its data options only, beside baselines.

Classification sets (`.ts`): `rnn-keras train --task classify --data TRAIN
--test TEST`, test accuracy beside 1-nearest-neighbour with Euclidean
distance (computed here on the same files; variable-length series are
padded with their last value to the longest). Forecasting sets:
`rnn-keras train --task forecast --data FILE`, the rolling-origin backtest's
MASE and sMAPE beside the naive and seasonal-naive forecasts' (and, with
statsforecast installed, AutoETS's and AutoTheta's) on the very same windows
(from `metrics.json`), and the 80% interval's coverage. Only
the data are given: every other option is the fixed default or resolved from
the data. Needs `../shared/datasets` beside the repository.

Usage (from the repository root):

    python benchmarks/series.py --json benchmarks/results/series.json
    python benchmarks/series.py japanese_vowels shampoo --seeds 0 1 2

With `--seeds`, every set is trained once per seed and the table shows the
means (small sets vary by seed: GunPoint's 40 training series give 0.87-0.95).
"""

import argparse
import os
import subprocess
import sys
import time

import numpy as np

from rnn_keras.data.readers import read_ucr_tsv
from rnn_keras.data.series_readers import read_ts
from rnn_keras.files import read_json
from rnn_keras.files import write_json

DATASETS = os.path.join("..", "shared", "datasets")
# Training and test files.
CLASSIFY = {
    "gunpoint": ("gunpoint/train.tsv", "gunpoint/test.tsv"),
    "osuleaf": ("osuleaf/OSULeaf_TRAIN.ts", "osuleaf/OSULeaf_TEST.ts"),
    "japanese_vowels": ("japanese_vowels/JapaneseVowels_TRAIN.ts",
                        "japanese_vowels/JapaneseVowels_TEST.ts"),
    "basic_motions": ("basic_motions/BasicMotions_TRAIN.ts", "basic_motions/BasicMotions_TEST.ts"),
}
FORECAST = {
    "airline": "airline/airline-passengers.csv",
    "shampoo": "shampoo/ShampooSales.csv",
    "lynx": "lynx/Lynx.csv",
    "m1_yearly": "m1_yearly/m1_yearly_dataset.tsf",
}
NAMES = tuple(CLASSIFY) + tuple(FORECAST)


def train(arguments, output, seeds=(0,)):
    """Trains once per seed; the scores of the first seed, and every seed's with `seed_runs`."""
    runs = [train_once([*arguments, "--seed", str(seed)], output) for seed in seeds]
    result = dict(runs[0])
    if len(seeds) > 1:
        result["seed_runs"] = {str(seed): run["scores"] for seed, run in zip(seeds, runs)}
    return result


def seed_mean(row, key):
    """The mean of `key` over the seeds a row was trained with (the one run's value without)."""
    runs = row.get("seed_runs")
    if not runs:
        return row[key]
    return float(np.mean([scores[key] for scores in runs.values()]))


def train_once(arguments, output):
    start = time.perf_counter()
    command = [sys.executable, "-m", "rnn_keras", "train", *arguments, "--output", output,
               "--overwrite", "--verbose", "0", "--no-export"]
    subprocess.run(command, check=True)
    metrics = read_json(os.path.join(output, "metrics.json"))
    task = read_json(os.path.join(output, "task.json"))
    return {
        "scores": metrics[metrics["scored_on"]],
        "resolved": {key: value["value"] for key, value in task["resolved"].items()},
        "wall_seconds": round(time.perf_counter() - start, 1),
    }


def padded(series, length):
    """`(examples, length * channels)`: series padded with their last step, flattened."""
    rows = []
    for values in series:
        values = np.asarray(values, "float64").reshape(len(values), -1)
        tail = np.repeat(values[-1:], length - len(values), axis=0)
        rows.append(np.concatenate([values, tail]).reshape(-1))
    return np.stack(rows)


def read_series(path):
    """`(series, labels)` of a `.ts` or UCR TSV file."""
    return read_ts(path) if path.endswith(".ts") else read_ucr_tsv(path)


def nearest_neighbour_accuracy(train_file, test_file):
    """1-NN with Euclidean distance: the UCR/UEA archives' first baseline."""
    train_series, train_labels = read_series(train_file)
    test_series, test_labels = read_series(test_file)
    length = max(len(s) for s in train_series + test_series)
    train_x, test_x = padded(train_series, length), padded(test_series, length)
    distances = (
        (test_x**2).sum(1)[:, None] - 2 * test_x @ train_x.T + (train_x**2).sum(1)[None, :]
    )
    predicted = np.asarray(train_labels)[distances.argmin(1)]
    return float(np.mean(predicted == np.asarray(test_labels)))


def classify(name, seeds):
    train_file, test_file = (os.path.join(DATASETS, f) for f in CLASSIFY[name])
    run = train(["--task", "classify", "--data", train_file, "--test", test_file],
                f"saved_models/series-{name}", seeds)
    return {
        "task": "classify",
        "accuracy": run["scores"]["accuracy"],
        "one_nn_euclidean": nearest_neighbour_accuracy(train_file, test_file),
        **run,
    }


def forecast(name, seeds):
    run = train(["--task", "forecast", "--data", os.path.join(DATASETS, FORECAST[name])],
                f"saved_models/series-{name}", seeds)
    scores = run["scores"]
    keys = ("mase", "smape", "naive_mase", "naive_smape", "seasonal_naive_mase",
            "seasonal_naive_smape", "auto_ets_mase", "auto_ets_fallbacks", "auto_theta_mase",
            "auto_theta_fallbacks", "interval_coverage", "series", "origins", "season")
    return {"task": "forecast", **{key: scores.get(key) for key in keys}, **run}


def table(results):
    lines = [
        "| set | task | defaults | baseline (same script) | resolved | wall, one run |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in results.items():
        options = ", ".join(f"{k}={v}" for k, v in row["resolved"].items())
        seeds = len(row.get("seed_runs") or [0])
        if row["task"] == "classify":
            score = f"accuracy **{seed_mean(row, 'accuracy'):.3f}**"
            baseline = f"1-NN Euclidean {row['one_nn_euclidean']:.3f}"
        else:
            score = (f"MASE **{seed_mean(row, 'mase'):.3f}**, sMAPE {seed_mean(row, 'smape'):.1f}, "
                     f"80% interval covers {seed_mean(row, 'interval_coverage'):.2f} "
                     f"({row['series']} series, {row['origins']} origins)")
            baseline = (f"naive MASE {row['naive_mase']:.3f}; seasonal naive "
                        f"(season {row['season']}) {row['seasonal_naive_mase']:.3f}")
            for key, shown in (("auto_ets", "AutoETS"), ("auto_theta", "AutoTheta")):
                if row.get(f"{key}_mase") is not None:
                    fallbacks = row[f"{key}_fallbacks"]
                    baseline += f"; {shown} {row[f'{key}_mase']:.3f}" + (
                        f" ({fallbacks} windows naive)" if fallbacks else "")
        if seeds > 1:
            score += f", mean of {seeds} seeds"
        lines.append(f"| {name} | {row['task']} | {score} | {baseline} | {options} | "
                     f"{row['wall_seconds']:.0f} s |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(NAMES), help=f"Default: {NAMES}.")
    parser.add_argument("--json", help="Merge the results into this JSON file.")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0],
                        help="Train once per seed and report the means. Default: 0.")
    args = parser.parse_args()
    if not os.path.isdir(DATASETS):
        raise SystemExit(f"{DATASETS} not found: run from the repository root beside it")
    results = read_json(args.json) if args.json and os.path.exists(args.json) else {}
    for name in args.names:
        results[name] = (classify if name in CLASSIFY else forecast)(name, args.seeds)
        if args.json:
            write_json(args.json, results)
    print(table({name: results[name] for name in args.names}))


if __name__ == "__main__":
    main()
