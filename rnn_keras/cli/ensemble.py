"""`rnn-keras ensemble`: combine trained models into one that averages them.

The members are model folders written by `rnn-keras train` for the same
classify, tag or forecast problem (same data and preprocessing options),
typically trained with different `--seed`s or cells, each with the same
`--valid` file (a split carved from the training data differs by seed,
and so would the vocabulary fitted on the rest). The new folder is a
model folder like theirs: `evaluate`, `predict` and `export` take it.
With `--data`, the ensemble and each member are scored on it and the
scores written to the folder's `metrics.json`.

Examples:

    for seed in 0 1 2 3 4; do
      rnn-keras train --config sst2.yaml --seed $seed \\
         --output saved_models/sst2-$seed
    done
    rnn-keras ensemble saved_models/sst2-? --output saved_models/sst2 --data test.tsv
"""

import argparse
import json


def register_subparser(subparsers):
    parser = subparsers.add_parser(
        "ensemble",
        help="Average trained models of one problem into one model folder.",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("members", nargs="+", help="Two or more model folders.")
    parser.add_argument("--output", required=True, help="The ensemble's model folder.")
    parser.add_argument(
        "--data", help="Score the ensemble and its members on this file or dataset."
    )
    parser.add_argument(
        "--split", default="test", help="Split of a tfds:/gen: dataset. Default: test."
    )
    parser.add_argument("--data-dir", help="TFDS data directory.")
    parser.add_argument("--overwrite", action="store_true", help="Replace an existing --output.")
    parser.add_argument("--json", action="store_true", help="Print the scores as one JSON object.")
    parser.set_defaults(run=run)
    return parser


def run(args):
    from rnn_keras import runner

    metrics = runner.ensemble(
        args.members, args.output, args.data, args.split, args.data_dir, args.overwrite
    )
    if args.json:
        print(json.dumps(metrics, sort_keys=True))
        return 0
    print(f"wrote {args.output} ({len(args.members)} members)")
    if metrics:
        print(score_table(metrics))
    return 0


def score_table(metrics):
    """The ensemble's and each member's scores, a row each (`-` where a member has none).

    Members trained with other options may lack a score the ensemble has (a
    forecaster trained `--no-statistical-baselines` has no `auto_ets_mase`).
    """
    rows = {"ensemble": metrics[metrics["scored_on"]], **metrics["members"]}
    names = [k for k, v in rows["ensemble"].items() if isinstance(v, float)]
    width = max(len(row) for row in rows)

    def cell(value):
        return f"{value:>12.4f}" if isinstance(value, (int, float)) else f"{'-':>12}"

    lines = [f"{'':<{width}}  " + "  ".join(f"{name:>12}" for name in names)]
    for row, scores in rows.items():
        lines.append(f"{row:<{width}}  " + "  ".join(cell(scores.get(name)) for name in names))
    return "\n".join(lines)
