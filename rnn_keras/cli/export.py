"""`rnn-keras export`: write a trained model in a format for serving.

Formats:

  saved_model  (default) A TensorFlow SavedModel whose signatures take raw
               inputs (strings for text tasks, floats for series) and return
               readable outputs (labels, tags, decoded strings with greedy and
               beam decoding, forecasts in original units). Default
               destination the next free version, MODEL/N: the numbered
               layout TensorFlow Serving reads with --model_base_path=MODEL
               and swaps to when a higher number appears. `rnn-keras train`
               writes MODEL/1; `--model-version N` picks the number.
  tflite       model.tflite with builtin ops only (no Flex delegate): batch of
               one, any sequence length, token ids or floats in. Default
               destination MODEL/tflite, with task.json (the vocabularies).
  onnx         One SIGNATURE.onnx per signature through tf2onnx (needs the
               `onnx` extra): any batch and length, token ids or floats in.
               Default destination MODEL/onnx, with task.json.

LSTM and GRU layers are exported without cuDNN kernels, so an export made on
a GPU machine runs on CPU-only servers. Exports are written to a temporary
folder and renamed into place; an existing one is replaced only with
`--overwrite`.

Examples:

    rnn-keras export saved_models/dates                  # saved_models/dates/2 after train's 1
    rnn-keras export saved_models/dates --model-version 1 --overwrite
    saved_model_cli show --dir saved_models/dates/1 --all
    rnn-keras export saved_models/dates --format tflite
    rnn-keras export saved_models/dates --format onnx --output /tmp/dates-onnx
"""

import argparse
import json

from rnn_keras.config import ConfigError
from rnn_keras.tasks.configs import EXPORT_FORMATS

DEFAULT_FOLDERS = {"tflite": "tflite", "onnx": "onnx"}


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
        choices=EXPORT_FORMATS,
        default="saved_model",
        help="Export format. Default: saved_model.",
    )
    parser.add_argument(
        "--output",
        help="Destination folder. Default: MODEL/N (the next free version), MODEL/tflite or "
        "MODEL/onnx.",
    )
    parser.add_argument(
        "--model-version",
        type=int,
        help="saved_model: the version folder MODEL/N to write. Default: one above the highest "
        "version in MODEL.",
    )
    parser.add_argument(
        "--xla-loops",
        action="store_true",
        help="saved_model: keep the fused recurrent loops XLA-compiled: a little faster per call, "
        "but each new input shape compiles on its first request. Default: uncompiled.",
    )
    parser.add_argument("--overwrite", action="store_true", help="Replace an existing export.")
    parser.add_argument(
        "--json", action="store_true", help="Print what was written as one JSON object."
    )
    parser.set_defaults(run=run)
    return parser


def run(args):
    from rnn_keras import runner
    from rnn_keras.export import EXPORTERS
    from rnn_keras.files import remote

    if args.model_version is not None and (args.format != "saved_model" or args.output):
        raise ConfigError("model_version", "is for a SavedModel written into the model folder")
    if args.model_version is not None and args.model_version < 1:
        raise ConfigError("model_version", f"expected a version >= 1, got {args.model_version}")
    if args.xla_loops and args.format != "saved_model":
        raise ConfigError("xla_loops", "is for a SavedModel (TFLite and ONNX hold no XLA loops)")
    task, model = runner.load(args.model)
    output = args.output
    if output is None and args.format == "saved_model":
        output = remote.join(args.model, str(args.model_version or next_version(args.model)))
    output = output or remote.join(args.model, DEFAULT_FOLDERS[args.format])
    options = {"xla_loops": True} if args.xla_loops else {}
    signatures = EXPORTERS[args.format](task, model, output, overwrite=args.overwrite, **options)
    if args.json:
        written = {"model": args.model, "format": args.format, "output": output}
        print(json.dumps({**written, "signatures": sorted(signatures)}))
    else:
        print(
            f"Exported {args.model} as {args.format} to {output} "
            f"(signatures: {', '.join(sorted(signatures))})"
        )
    return 0


def next_version(model):
    """One above the highest numbered SavedModel folder in `model` (1 when there is none)."""
    from rnn_keras.files import remote

    names = remote.listdir(model)
    return max((int(name) for name in names if name.isdigit()), default=0) + 1
