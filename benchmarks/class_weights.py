"""Imbalanced labels: the defaults from the data against unweighted training.

Makes an imbalanced copy of a binary `label<TAB>text` dataset (every
example of the minority label kept with probability 1/RATIO, in train,
dev and test alike: the imbalance a deployed model meets) and trains the
classifier twice per seed: `unweighted` (`--class-weight none --monitor
val_accuracy`, what the defaults resolved before imbalance had a rule) and
`defaults` (nothing given: balanced class weights, early stopping on
validation macro-F1). Prints test accuracy and macro-F1.

Usage (SST-2 from ../shared/datasets):

    python benchmarks/class_weights.py ../shared/datasets/sst2 --minority 0 --ratio 8 \\
        --seeds 0 1 --json benchmarks/results/class_weights.json
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile


VARIANTS = {
    "unweighted": ["--class-weight", "none", "--monitor", "val_accuracy"],
    "defaults": [],
}


def imbalanced_copy(source, target, minority, ratio, seed):
    rng = random.Random(seed)
    with open(source, encoding="utf-8") as f, open(target, "w", encoding="utf-8") as out:
        for line in f:
            label = line.split("\t", 1)[0]
            if label != minority or rng.random() < 1 / ratio:
                out.write(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="A folder with train.tsv, dev.tsv and test.tsv.")
    parser.add_argument("--minority", required=True, help="The label made rare.")
    parser.add_argument("--ratio", type=float, default=8.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--json", help="Write the results here.")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="class-weights-")
    files = {}
    for split, name in (("data", "train.tsv"), ("valid", "dev.tsv"), ("test", "test.tsv")):
        files[split] = os.path.join(work, name)
        imbalanced_copy(os.path.join(args.folder, name), files[split], args.minority, args.ratio, 0)
    rows = []
    for seed in args.seeds:
        for variant, options in VARIANTS.items():
            output = os.path.join(work, f"{variant}-{seed}")
            command = [
                sys.executable, "-m", "rnn_keras", "train", "--task", "classify",
                "--data", files["data"], "--valid", files["valid"], "--test", files["test"],
                *options, "--seed", str(seed), "--output", output,
                "--no-export", "--verbose", "0",
            ]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            with open(os.path.join(output, "metrics.json")) as f:
                metrics = json.load(f)
            test = metrics["test"]
            row = {
                "seed": seed, "variant": variant, "accuracy": test["accuracy"],
                "macro_f1": test["macro_f1"], "training_seconds": metrics["training_seconds"],
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"ratio": args.ratio, "minority": args.minority, "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
