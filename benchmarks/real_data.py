"""Real-data benchmarks: `rnn-keras train --config benchmarks/configs/NAME.yaml`.

Runs each named config (all by default) through the command line, exactly
as a user would, and collects the test scores, epochs and training time
from the model folder's `metrics.json` into one JSON file. Needs
`../shared/datasets` beside the repository.

Usage (from the repository root):

    python benchmarks/real_data.py gunpoint airline --json benchmarks/results/real_data.json
"""

import argparse
import json
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(NAMES), help=f"Configs; default: {NAMES}.")
    parser.add_argument("--json", help="Merge the results into this JSON file.")
    args, extra = parser.parse_known_args()
    if not os.path.isdir(os.path.join("..", "shared", "datasets")):
        raise SystemExit("../shared/datasets not found: run from the repository root beside it")
    results = {}
    if args.json and os.path.exists(args.json):
        with open(args.json) as f:
            results = json.load(f)
    for name in args.names:
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
