"""`rnn-keras train`: train a model for a task and write its folder.

The folder (`--output`) gets `model.keras`, `task.json` (hyperparameters
and vocabularies), `metrics.json` (test scores), `history.csv`,
`training_curves.png`, TensorBoard logs under `logs/`, for seq2seq
with attention `attention.png`, and the SavedModel export `1/` (as
`rnn-keras export`; `--no-export` skips it). Training stops early when the validation
metric stops improving and keeps the best epoch's weights. If training is
interrupted, the same command resumes from the last finished epoch.

Options come from `--config FILE` (YAML or JSON, keys as the flags with
underscores) and the flags, which override the file.

Examples:

    rnn-keras train --task seq2seq --data gen:dates --cell gru --bidirectional \\
        --output saved_models/dates
    rnn-keras train --task classify --data train.tsv --valid dev.tsv --test test.tsv \\
        --cell lstm --bidirectional --output saved_models/sentiment
    rnn-keras train --config sst2.yaml --epochs 5
"""

import argparse
import json
import os

from rnn_keras.cli import options


def register_subparser(subparsers):
    parser = subparsers.add_parser(
        "train",
        help="Train a model (classify, tag, seq2seq, generate, forecast).",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", help="YAML or JSON file of options; flags override it.")
    data = parser.add_argument_group("data")
    options.add_flags(data, options.DATA_OPTIONS)
    hyperparameters = parser.add_argument_group("model and training")
    options.add_flags(hyperparameters, options.HYPERPARAMETERS)
    distribution = parser.add_argument_group("distribution")
    options.add_flags(distribution, options.DISTRIBUTION_OPTIONS)
    options.add_output_flags(
        parser,
        overwrite_help="Replace a finished model in --output (an interrupted one resumes "
        "without it).",
        export_help="Skip the SavedModel export to OUTPUT/1 after training.",
    )
    parser.set_defaults(run=run)
    return parser


def run(args):
    from rnn_keras import tasks

    config = options.merged_config(args)
    for required in ("task", "data", "output"):
        if not config.get(required):
            raise SystemExit(f"rnn-keras train: --{required} is required (flag or config file)")
    metrics = tasks.train(config, verbose="auto" if args.verbose is None else args.verbose)
    print(json.dumps(metrics, indent=2, sort_keys=True))
    if "worker" in metrics:
        return 0  # Not the chief: the model, its scores and export are the chief's.
    print(f"Saved the model to {config['output']}")
    if args.export:
        export_folder(config["output"])
    return 0


def export_folder(output):
    """Exports the SavedModel of the model folder `output` to `output/1`."""
    from rnn_keras import tasks
    from rnn_keras.export import export_saved_model

    task, model = tasks.load(output)
    path = os.path.join(output, "1")
    # The folder's model was just (re)trained: its export follows it.
    export_saved_model(task, model, path, overwrite=True)
    print(f"Exported the SavedModel to {path}")
