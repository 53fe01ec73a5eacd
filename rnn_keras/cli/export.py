"""`rnn-keras export`: write a trained model in a format for serving.

`--format saved_model` (default) writes a TensorFlow SavedModel whose
signatures take raw inputs (strings for text tasks, floats for series) and
return readable outputs (labels, tags, decoded strings, forecasts in
original units); see `rnn_keras.export.serving`. The default destination
`MODEL/1` is the numbered layout TensorFlow Serving reads with
`--model_base_path=MODEL`. Exports are written to a temporary folder and
renamed into place; an existing one is replaced only with `--overwrite`.

Example:

    rnn-keras export saved_models/dates
    saved_model_cli show --dir saved_models/dates/1 --all
"""

import argparse
import os


def register_subparser(subparsers):
    parser = subparsers.add_parser(
        "export",
        help="Export a trained model (SavedModel with raw-input signatures).",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model", help="A model folder written by `rnn-keras train`.")
    parser.add_argument(
        "--format",
        choices=("saved_model",),
        default="saved_model",
        help="Export format. Default: saved_model.",
    )
    parser.add_argument("--output", help="Destination. Default: MODEL/1.")
    parser.add_argument("--overwrite", action="store_true", help="Replace an existing export.")
    parser.set_defaults(run=run)
    return parser


def run(args):
    from rnn_keras import tasks
    from rnn_keras.export import export_saved_model

    task, model = tasks.load(args.model)
    output = args.output or os.path.join(args.model, "1")
    signatures = export_saved_model(task, model, output, overwrite=args.overwrite)
    print(f"Exported {args.model} to {output} (signatures: {', '.join(sorted(signatures))})")
    return 0
