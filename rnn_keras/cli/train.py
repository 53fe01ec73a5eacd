"""`rnn-keras train`: train a model for a task and write its folder.

The folder (`--output`) gets `model.keras`, `task.json` (options and
vocabularies), `metrics.json` (test scores), `history.csv`,
`training_curves.png`, TensorBoard logs under `logs/`, for seq2seq
with attention `attention.png`, and the SavedModel export `1/` (as
`rnn-keras export`; `--no-export` skips it). Training stops early when the validation
metric stops improving and keeps the best epoch's weights. The run writes
beside `--output` and swaps its folder in only once everything is written,
so a run that fails leaves `--output` as it was; if it is interrupted, the
same command resumes from the last finished epoch.

Options come from `--config FILE` (YAML or JSON, keys as the flags with
underscores) and the flags, which override the file. Every option is
checked before any data is read.

Examples:

    rnn-keras train --task seq2seq --data gen:dates --cell gru --bidirectional \\
        --output saved_models/dates
    rnn-keras train --task classify --data train.tsv --valid dev.tsv --test test.tsv \\
        --cell lstm --bidirectional --output saved_models/sentiment
    rnn-keras train --config sst2.yaml --epochs 5
"""

import argparse
import contextlib
import json
import sys

from rnn_keras.cli import options


def register_subparser(subparsers):
    parser = subparsers.add_parser(
        "train",
        help="Train a model (classify, tag, seq2seq, generate, forecast).",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_task_flags(parser)
    options.add_run_flags(parser, export_help="Skip the SavedModel export to OUTPUT/1.")
    parser.set_defaults(run=run)
    return parser


def run(args):
    from rnn_keras import runner

    values, sources = options.option_values(args)
    with contextlib.redirect_stdout(sys.stderr):  # progress on stderr, results on stdout
        metrics = runner.train(
            values, verbose=options.progress(args), sources=sources, export=args.export
        )
    print(json.dumps(metrics, indent=2, sort_keys=True))
    if "worker" in metrics:
        return 0  # Not the chief: the model, its scores and export are the chief's.
    output = values["output"]
    exported = f" and its SavedModel to {output}/1" if args.export else ""
    print(f"rnn-keras: saved the model to {output}{exported}", file=sys.stderr)
    return 0
