"""Defaults from the data: every shared dataset trained with nothing but its data.

For each config in `benchmarks/configs/`, trains `rnn-keras train` with only
the options that say what the data are (`task`, `data`, `valid`, `test`, and
where the config has them the held-out fractions, the CSV column and the time
budget), so every other option is the fixed default or resolved from the
data profile, and sets the test score beside the hand config's (recorded by
`real_data.py` in `benchmarks/results/real_data.json`, or trained again with
`--hand`). Needs `../shared/datasets` beside the repository.

Usage (from the repository root):

    python benchmarks/defaults.py --json benchmarks/results/defaults.json
    python benchmarks/defaults.py sst2 gunpoint --hand

With `--with-specific`, the options truly specific to a dataset (its word
vectors file) are kept as well (the result is stored as `NAME+specific`).
With `--skip-same`, a dataset whose resolved options equal the hand
config's (`rnn-keras profile`) is not trained again: its runs would be the
same, so the hand config's recorded score is reported, marked `same options`.
"""

import argparse
import json
import os
import subprocess
import sys
import time

import yaml

from rnn_keras import runner
from rnn_keras.files import read_json
from rnn_keras.files import write_json

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIGS = os.path.join(HERE, "configs")
RESULTS = os.path.join(HERE, "results", "real_data.json")
NAMES = ("gunpoint", "airline", "sst2", "wnut17", "spa_eng", "tiny_shakespeare")
# What the data are, not how to learn them.
DATA_KEYS = ("task", "data", "valid", "test", "test_fraction", "valid_fraction", "column",
             "max_minutes")
# Truly specific to a dataset: a file of its own. `--with-specific` keeps them too.
SPECIFIC_KEYS = ("embeddings", "max_vectors")
# The score compared per task, and whether higher is better.
SCORES = {
    "classify": ("accuracy", True),
    "tag": ("entity_f1", True),
    "seq2seq": ("bleu", True),
    "generate": ("bits_per_token", False),
    "forecast": ("mase", False),
}
# Options that only name the run's folder.
NOT_MODEL = {"output", "overwrite"}


def hand_config(name):
    with open(os.path.join(CONFIGS, f"{name}.yaml")) as f:
        return yaml.safe_load(f)


def flags(config):
    """The command-line flags of a config `dict` (booleans as `--x` / `--no-x`)."""
    result = []
    for key, value in config.items():
        flag = key.replace("_", "-")
        if isinstance(value, bool):
            result.append(f"--{flag}" if value else f"--no-{flag}")
        elif key != "output":
            result += [f"--{flag}", str(value)]
    return result


def cli(*arguments):
    command = [sys.executable, "-m", "rnn_keras", *arguments]
    return subprocess.run(command, check=True)


def data_only(name, specific=False):
    keys = DATA_KEYS + (SPECIFIC_KEYS if specific else ())
    return {key: value for key, value in hand_config(name).items() if key in keys}


def resolved_config(config):
    """The options `train` would use for `config` (what `rnn-keras profile` prints)."""
    return runner.profile(dict(config)).config.to_dict()


def train(name, config, output):
    start = time.perf_counter()
    cli("train", *flags(config), "--output", output, "--overwrite", "--verbose", "2",
        "--no-export")
    wall = time.perf_counter() - start
    metrics = read_json(os.path.join(output, "metrics.json"))
    saved = read_json(os.path.join(output, "task.json"))
    metrics["wall_seconds"] = wall
    metrics["resolved"] = {key: value["value"] for key, value in saved["resolved"].items()}
    return metrics


def differences(name, specific=False):
    """Hand-config options whose value differs from what the defaults resolve to."""
    hand = hand_config(name)
    resolved = resolved_config(data_only(name, specific))
    return {key: (value, resolved.get(key)) for key, value in hand.items()
            if key not in NOT_MODEL and key != "task" and resolved.get(key) != value}


def score(metrics, task):
    key, _ = SCORES[task]
    return metrics[metrics["scored_on"]][key]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(NAMES), help=f"Default: {NAMES}.")
    parser.add_argument("--json", help="Merge the results into this JSON file.")
    parser.add_argument("--hand", action="store_true", help="Train the hand configs again too.")
    parser.add_argument("--with-specific", action="store_true",
                        help=f"Keep the options truly specific to a dataset too: {SPECIFIC_KEYS}.")
    parser.add_argument("--skip-same", action="store_true",
                        help="Reuse the hand config's score where the options resolve to it.")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join("..", "shared", "datasets")):
        raise SystemExit("../shared/datasets not found: run from the repository root beside it")
    recorded = read_json(RESULTS)
    results = read_json(args.json) if args.json and os.path.exists(args.json) else {}
    for name in args.names:
        task = hand_config(name)["task"]
        differ = differences(name, args.with_specific)
        data = data_only(name, args.with_specific)
        row = {"task": task, "data_options": data,
               "hand_options_not_resolved": {k: {"hand": h, "defaults": d}
                                              for k, (h, d) in differ.items()}}
        if args.skip_same and not differ:
            row["defaults"] = {"same_options": True, **recorded[name]}
        else:
            row["defaults"] = train(name, data, f"saved_models/defaults-{name}")
        row["hand"] = (train(name, hand_config(name), f"saved_models/hand-{name}")
                       if args.hand else recorded[name])
        row["defaults_score"] = score(row["defaults"], task)
        row["hand_score"] = score(row["hand"], task)
        results[name + ("+specific" if args.with_specific and data != data_only(name) else "")] = row
        print(f"== {name} ({task}, {SCORES[task][0]}): defaults {row['defaults_score']:.4f}, "
              f"hand {row['hand_score']:.4f}; hand options not resolved: "
              f"{json.dumps(row['hand_options_not_resolved'])}", flush=True)
        if args.json:
            write_json(args.json, results)


if __name__ == "__main__":
    main()
