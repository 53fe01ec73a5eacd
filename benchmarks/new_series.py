"""Series training never saw: forecast from their history alone, or with their categories too.

A collection's long file is split by series: a share of them (`--share`, a
quarter; told apart by their id columns, drawn at random with seed 0) is
held out whole; the model trains on
the others (`rnn-keras train --task forecast`, every other option resolved
from the data) and is scored on the held-out series' backtest
(`rnn-keras evaluate MODEL FILE`: the last origins of each, the rest its
context), once without and once with `--static-covariates`. Their series
identity is unknown either way: what the model knows of a new series
besides its history is its categories (a new store's region, a new
product's group), the case static covariates are for. The naive,
seasonal-naive, AutoETS and AutoTheta forecasts of the same windows are
printed beside.

Usage (from the repository root; the sets of `benchmarks/series.py`):

    python benchmarks/new_series.py prison --id-columns state,gender,legal \\
        --static state,gender,legal --seeds 0 1 2 --json benchmarks/results/new_series.json
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import series as sets  # noqa: E402 - the benchmark's data files

BASELINES = ("naive", "seasonal_naive", "auto_ets", "auto_theta")


def split_file(path, id_columns, share, folder):
    """Writes `train.csv` and `new.csv` (`share` of the series) under `folder`.

    A first column of R's row names (`rownames`, or unnamed) is numbered
    afresh in each, 1, 2, ..., as R writes a data frame of its own.
    Returns their paths and how many series each holds.
    """
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, data = rows[0], rows[1:]
    indices = [header.index(name) for name in id_columns]
    keys = list(dict.fromkeys(tuple(row[i] for i in indices) for row in data))
    held = set(random.Random(0).sample(keys, max(1, round(share * len(keys)))))
    os.makedirs(folder, exist_ok=True)
    paths = {}
    for name, keep in (("train", False), ("new", True)):
        paths[name] = os.path.join(folder, f"{name}.csv")
        with open(paths[name], "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            kept = [row for row in data if (tuple(row[i] for i in indices) in held) == keep]
            if header[0].strip().lower() in ("", "rownames"):
                kept = [[str(number), *row[1:]] for number, row in enumerate(kept, start=1)]
            writer.writerows(kept)
    return paths, len(keys) - len(held), len(held)


def run(paths, options, seed, output):
    """The held-out series' backtest scores of a model trained on the others."""
    from rnn_keras import runner

    arguments = [sys.executable, "-m", "rnn_keras", "train", "--task", "forecast", "--data",
                 paths["train"], "--seed", str(seed), "--output", output, "--overwrite",
                 "--verbose", "0", "--no-export"]
    for key, value in options.items():
        arguments += [f"--{key.replace('_', '-')}", value]
    subprocess.run(arguments, check=True)
    return runner.evaluate(output, paths["new"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="A set of benchmarks/series.py with a long file.")
    parser.add_argument("--id-columns", required=True, help="The columns naming each series.")
    parser.add_argument("--static", required=True, help="--static-covariates to compare.")
    parser.add_argument("--share", type=float, default=0.25,
                        help="The share of the series held out, drawn at random (seed 0).")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--json", help="Merge the results into this JSON file.")
    args = parser.parse_args(argv)
    folder = os.path.join(sets.GENERATED, "new_series", args.name)
    paths, trained, held = split_file(
        sets.data_file(args.name), args.id_columns.split(","), args.share, folder
    )
    print(f"{args.name}: trained on {trained} series, scored on {held} it never saw")
    results = {}
    for label, options in (("history", {}), ("static", {"static_covariates": args.static})):
        runs = [run(paths, options, seed, os.path.join(folder, f"model-{label}-{seed}"))
                for seed in args.seeds]
        mase = [scores["mase"] for scores in runs]
        results[label] = {"mase": mase, "mean_mase": sum(mase) / len(mase),
                          "baselines": {name: runs[0].get(f"{name}_mase") for name in BASELINES},
                          "options": options}
        print(f"== {label}: MASE {results[label]['mean_mase']:.3f} "
              f"({' / '.join(f'{m:.3f}' for m in mase)})")
    print("baselines on the same windows: " + ", ".join(
        f"{name} {value:.3f}" for name, value in results["history"]["baselines"].items()
        if value is not None
    ))
    if args.json:
        stored = {}
        if os.path.exists(args.json):
            with open(args.json) as f:
                stored = json.load(f)
        stored[f"{args.name}[static={args.static}]"] = results
        with open(args.json, "w") as f:
            json.dump(stored, f, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
