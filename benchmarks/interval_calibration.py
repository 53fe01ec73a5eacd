"""Forecast interval calibrations side by side, on the very same trained models.

For each forecasting set of `series.py` and each seed, trains `rnn-keras train
--task forecast --data FILE` once (defaults only; the model folder is kept
under `saved_models/calibration-NAME-sSEED` and reused when it exists), then
scores the backtest's 80% interval coverage under four calibrations fitted on
the same validation forecasts (`backtest.calibration_origins`):

- `raw`: the model's own quantiles (moved with the forecast's combination with
  the seasonal naive forecast, where the task's state weighs it), not calibrated;
- `level`: the interval widened (or narrowed) by the conformal quantile of
  the scores in window levels (the calibration until 2026-12-04);
- `stretch_both`: stretched by the conformal quantile of the scores as a
  share of each interval's width, narrowing allowed;
- `stretch`: the same, never narrowed (`intervals.fit_stretch`, the current
  calibration: what `metrics.json` reports).

Usage (from the repository root):

    python benchmarks/interval_calibration.py shampoo lynx --seeds 0 1 2
"""

import argparse
import os
import subprocess
import sys

import numpy as np

from rnn_keras import runner
from rnn_keras.files import write_json
from rnn_keras.metrics.scores import conformal_quantile
from rnn_keras.metrics.scores import interval_coverage
from rnn_keras.tasks.forecast import backtest
from rnn_keras.tasks.forecast.intervals import fit_stretch
from rnn_keras.tasks.forecast.intervals import width_scores

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import series  # noqa: E402 - the benchmark's data files

VARIANTS = ("raw", "level", "stretch_both", "stretch")


def trained(name, seed):
    """The model folder of `name` trained with `seed` (trained here if missing)."""
    folder = f"saved_models/calibration-{name}-s{seed}"
    if not os.path.exists(os.path.join(folder, "metrics.json")):
        subprocess.run(
            [sys.executable, "-m", "rnn_keras", "train", "--task", "forecast",
             "--data", series.data_file(name), "--output", folder, "--overwrite",
             "--verbose", "0", "--no-export", "--seed", str(seed),
             "--no-statistical-baselines"],
            check=True,
        )
    return folder


def coverages(name, seed):
    """`{variant: coverage}` of the backtest of one trained model."""
    task, model = runner.load(trained(name, seed))
    valid, test = series.held_out_parts(task, name)
    inputs, actual, scored = task._validation_windows(valid)
    actual = actual[..., 0]
    _, lower, upper = task.forecast(model, inputs, calibrated=False)
    origins = backtest.scored_origins(test, task.config.horizon)
    test_inputs, test_actual = task._windows(test, origins)
    test_actual = test_actual[..., 0]
    _, test_lower, test_upper = task.forecast(model, test_inputs, calibrated=False)
    interval = task.config.interval

    def covered(margin):
        return interval_coverage(test_actual, test_lower - margin, test_upper + margin)

    level, test_level = task.window_level(inputs), task.window_level(test_inputs)[:, None]
    scores, weights = width_scores(actual, lower, upper, level, scored)
    stretch_both = max(conformal_quantile(scores, interval, weights), -0.5)
    stretch, _ = fit_stretch(actual, lower, upper, level, scored, interval)
    # Before: how far outside, in window levels, narrowing allowed.
    outside = np.maximum(lower - actual, actual - upper) / level[:, None]
    widening = conformal_quantile(outside[scored], interval, weights)
    test_width = test_upper - test_lower
    return {
        "raw": covered(0.0),
        "level": covered(widening * test_level),
        "stretch_both": covered(stretch_both * test_width),
        "stretch": covered(stretch * test_width),
        "backtest_values": int(test_actual.size),
        "validation_forecasts": int(scored.sum()),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", help="Forecasting sets of series.py.")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--json", help="Write the results to this JSON file.")
    args = parser.parse_args()
    results = {}
    print(f"| set | {' | '.join(VARIANTS)} |")
    print("|---|" + "---|" * len(VARIANTS))
    for name in args.names:
        runs = [coverages(name, seed) for seed in args.seeds]
        results[name] = {"seeds": dict(zip(map(str, args.seeds), runs))}
        means = {v: float(np.mean([run[v] for run in runs])) for v in VARIANTS}
        results[name].update(means)
        print(f"| {name} | " + " | ".join(f"{means[v]:.3f}" for v in VARIANTS) + " |", flush=True)
    deviation = {
        v: float(np.mean([abs(results[n][v] - 0.8) for n in args.names])) for v in VARIANTS
    }
    print("| mean abs(coverage - 0.8) | " + " | ".join(f"{deviation[v]:.3f}" for v in VARIANTS)
          + " |")
    if args.json:
        write_json(args.json, {"sets": results, "mean_abs_deviation": deviation})


if __name__ == "__main__":
    main()
