"""Real-data benchmarks: `rnn-keras train --config benchmarks/configs/NAME.yaml`.

Runs each named config (all by default) through the command line, exactly
as a user would, and collects the test scores, epochs and training time
from the model folder's `metrics.json` into one JSON file. Needs
`../shared/datasets` beside the repository.

Usage (from the repository root):

    python benchmarks/real_data.py gunpoint airline --json benchmarks/results/real_data.json

With `--seeds 0 1 2 3`, each config is trained once per seed (`--seed S`);
the JSON keeps the first seed's run as the dataset's result and adds every
seed's scores (`seed_runs`) and their mean (`seed_mean`), the figure to
compare configurations by on small datasets, where seeds differ by points.
"""

import argparse
import json
import statistics
import os
import subprocess
import sys
import time

CONFIGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs")
NAMES = ("gunpoint", "airline", "wnut17", "sst2", "tiny_shakespeare", "spa_eng")


def run(name, extra):
    config = os.path.join(CONFIGS, f"{name}.yaml")
    output = os.path.join("saved_models", name)
    command = [sys.executable, "-m", "rnn_keras", "train", "--config", config, "--overwrite",
               "--verbose", "2", *extra]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    wall = time.perf_counter() - start
    with open(os.path.join(output, "metrics.json")) as f:
        metrics = json.load(f)
    metrics["wall_seconds"] = wall
    metrics["command"] = f"rnn-keras train --config benchmarks/configs/{name}.yaml"
    return metrics


def run_seeds(name, seeds, extra):
    """The first seed's metrics, plus every seed's scores and their mean."""
    runs = [run(name, [*extra, "--seed", str(seed)]) for seed in seeds]
    first = runs[0]
    split = first["scored_on"]
    first["command"] += f" --seed {seeds[0]}"
    first["seed_runs"] = [
        {"seed": seed, split: r[split], "epochs": r["epochs"],
         "training_seconds": r["training_seconds"]}
        for seed, r in zip(seeds, runs)
    ]
    first["seed_mean"] = {
        key: statistics.mean(r[split][key] for r in runs)
        for key, value in first[split].items()
        if isinstance(value, float)
    }
    return first


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(NAMES), help=f"Configs; default: {NAMES}.")
    parser.add_argument("--json", help="Merge the results into this JSON file.")
    parser.add_argument("--seeds", type=int, nargs="+", help="Train once per seed; report the mean.")
    args, extra = parser.parse_known_args()
    if not os.path.isdir(os.path.join("..", "shared", "datasets")):
        raise SystemExit("../shared/datasets not found: run from the repository root beside it")
    results = {}
    if args.json and os.path.exists(args.json):
        with open(args.json) as f:
            results = json.load(f)
    for name in args.names:
        if args.seeds:
            results[name] = run_seeds(name, args.seeds, extra)
            scores = results[name]["seed_mean"]
        else:
            results[name] = run(name, extra)
            scores = results[name][results[name]["scored_on"]]
        print(f"== {name}: {json.dumps(scores)}; training {results[name]['training_seconds']:.0f}s",
              flush=True)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=2, sort_keys=True)
                f.write("\n")


if __name__ == "__main__":
    main()
