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
With `--ensemble` too, each seed's model is kept (`saved_models/NAME-seed-S`)
and `rnn-keras ensemble` averages them into `saved_models/NAME`, scored on
the config's test file (`ensemble` in the JSON). A config's `embeddings` file
(pretrained word vectors) is fetched first if missing (`word_vectors.py`).
"""

import argparse
import json
import statistics
import os
import subprocess
import sys
import time

import yaml

CONFIGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs")
NAMES = ("gunpoint", "airline", "wnut17", "sst2", "tiny_shakespeare", "spa_eng")


def fetch_word_vectors(config):
    """Writes the config's `embeddings` file with `word_vectors.py` if it is missing."""
    with open(config) as f:
        path = yaml.safe_load(f).get("embeddings")
    if path and not os.path.exists(os.path.expanduser(path)):
        script = os.path.join(os.path.dirname(CONFIGS), "word_vectors.py")
        subprocess.run([sys.executable, script, "--output", path], check=True)


def run(name, extra, output=None):
    config = os.path.join(CONFIGS, f"{name}.yaml")
    fetch_word_vectors(config)
    flags = "".join(f" {flag}" for flag in extra)
    if output:
        extra = [*extra, "--output", output]
    output = output or os.path.join("saved_models", name)
    command = [sys.executable, "-m", "rnn_keras", "train", "--config", config, "--overwrite",
               "--verbose", "2", *extra]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    wall = time.perf_counter() - start
    with open(os.path.join(output, "metrics.json")) as f:
        metrics = json.load(f)
    metrics["wall_seconds"] = wall
    metrics["command"] = f"rnn-keras train --config benchmarks/configs/{name}.yaml{flags}"
    return metrics


def run_seeds(name, seeds, extra, ensemble=False):
    """The first seed's metrics, plus every seed's scores and their mean (and ensemble's)."""
    outputs = [f"saved_models/{name}-seed-{seed}" if ensemble else None for seed in seeds]
    runs = [run(name, [*extra, "--seed", str(s)], output) for s, output in zip(seeds, outputs)]
    first = runs[0]
    split = first["scored_on"]
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
    if ensemble:
        first["ensemble"] = run_ensemble(name, outputs)
    return first


def run_ensemble(name, members):
    """`rnn-keras ensemble` of the members, scored on the config's test file."""
    with open(os.path.join(CONFIGS, f"{name}.yaml")) as f:
        test = yaml.safe_load(f)["test"]
    output = os.path.join("saved_models", name)
    command = ["ensemble", *members, "--output", output, "--data", test, "--overwrite", "--json"]
    result = subprocess.run(
        [sys.executable, "-m", "rnn_keras", *command], check=True, capture_output=True, text=True
    )
    metrics = json.loads(result.stdout)
    return {"test": metrics["test"], "command": "rnn-keras " + " ".join(command[:-1])}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(NAMES), help=f"Configs; default: {NAMES}.")
    parser.add_argument("--json", help="Merge the results into this JSON file.")
    parser.add_argument(
        "--seeds", type=int, nargs="+", help="Train once per seed; report the mean."
    )
    parser.add_argument(
        "--ensemble", action="store_true", help="With --seeds: also average the seeds' models."
    )
    args, extra = parser.parse_known_args()
    if args.ensemble and not args.seeds:
        parser.error("--ensemble needs --seeds")
    if not os.path.isdir(os.path.join("..", "shared", "datasets")):
        raise SystemExit("../shared/datasets not found: run from the repository root beside it")
    results = {}
    if args.json and os.path.exists(args.json):
        with open(args.json) as f:
            results = json.load(f)
    for name in args.names:
        if args.seeds:
            results[name] = run_seeds(name, args.seeds, extra, args.ensemble)
            scores = results[name]["seed_mean"]
            if args.ensemble:
                scores = {"seed_mean": scores, "ensemble": results[name]["ensemble"]["test"]}
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
