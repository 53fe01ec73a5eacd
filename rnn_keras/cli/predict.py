"""`rnn-keras predict`: run a trained model on raw inputs.

Each result prints as `input<TAB>prediction<TAB>details (JSON)`, or as one
JSON object per line with `--format jsonl` (or `--json`), which also holds
every class's probability (classify): one result per input, in order. Inputs
are the arguments, or the lines of `--file`, or of standard input when
neither is given (or the file is `-`), decoded from `--encoding` (UTF-8 by
default; bytes that are not text stop with the line named). Inputs are
predicted `--batch-size` at a time and each batch's results are printed
(and flushed) before the next is read, so a stream of lines is answered as
it comes. A blank input
gets no prediction: `(empty input)`, or `"empty": true` in JSON. An input is what a user has:
a sentence (classify, tag: tokens split at spaces), a source string
(seq2seq), a prompt (generate), or numbers separated by commas or spaces
(forecast history, time-series classification). A forecaster also takes
`--series FILE`: every series of a `.tsf`, GluonTS JSON or timestamped CSV
file (or the model's CSV column), forecast past its end, one result per series;
a forecaster trained with `--covariates` forecasts only so, from a table that
holds them for the horizon after each series' end, as one trained with
`--past-covariates` does, from a table that holds them up to each series' end.

Examples:

    rnn-keras predict saved_models/dates "March 3, 2001" "12/04/1999"
    echo "a gripping , funny film" | rnn-keras predict saved_models/sentiment
    rnn-keras predict saved_models/shakespeare "ROMEO:" --num-steps 300 --temperature 0.7
    rnn-keras predict saved_models/m1 --series m1_yearly_dataset.tsf --json
"""

import argparse
import json
import sys

from rnn_keras.config import ConfigError


FORMATS = ("text", "jsonl")
# Left out of the text format's details (one line per input stays short).
LONG_DETAILS = ("probabilities",)


def register_subparser(subparsers):
    parser = subparsers.add_parser(
        "predict",
        help="Predict for raw inputs (arguments, a file or stdin).",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model", help="A model folder written by `rnn-keras train`.")
    parser.add_argument("inputs", nargs="*", help="Inputs; default: --file or stdin lines.")
    parser.add_argument("--file", help="Read inputs from this file, one per line ('-' for stdin).")
    parser.add_argument(
        "--series", help="forecast: forecast past the end of every series of this file."
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text: `input<TAB>prediction<TAB>details`; jsonl: one JSON object per input with "
        "every detail (classify: every class's probability; tag: every tag). Default: text.",
    )
    parser.add_argument(
        "--json", dest="format", action="store_const", const="jsonl", help="Same as --format jsonl."
    )
    parser.add_argument("--beam-width", type=int, help="seq2seq: beam width (1 is greedy).")
    parser.add_argument("--num-steps", type=int, help="generate: tokens to generate.")
    parser.add_argument("--temperature", type=float, help="generate: sampling temperature.")
    parser.add_argument("--top-k", type=int, help="generate: sample among the k likeliest.")
    parser.add_argument(
        "--seed", type=int, help="generate: sampling seed. Default: the model's training seed."
    )
    parser.add_argument(
        "--batch-size", type=int, default=64,
        help="Inputs predicted together (and printed before more are read). Default: 64.",
    )
    parser.add_argument(
        "--encoding", default="utf-8", help="Encoding of --file or stdin. Default: utf-8."
    )
    parser.set_defaults(run=run)
    return parser


def _read_inputs(args):
    """The input lines, blank ones kept (each input gets one result, in order); stdin streams."""
    from rnn_keras.data.readers import DataError
    from rnn_keras.data.readers import iter_decoded_lines
    from rnn_keras.data.readers import read_lines

    if args.inputs:
        for number, line in enumerate(args.inputs, start=1):
            try:
                line.encode("utf-8")
            except UnicodeEncodeError:
                raise DataError(
                    "arguments", number, f"input {line!r:.60} is not valid UTF-8 text"
                ) from None
        return list(args.inputs)
    if args.file and args.file != "-":
        return read_lines(args.file, args.encoding)
    if hasattr(sys.stdin, "buffer"):
        return iter_decoded_lines("<stdin>", sys.stdin.buffer, args.encoding)
    return (line.rstrip("\n") for line in sys.stdin)  # a text stream (tests)


def run(args):
    from rnn_keras import runner

    if args.batch_size < 1:
        raise ConfigError("batch_size", f"expected a batch size >= 1, got {args.batch_size}")
    task, model = runner.load(args.model)
    changes = {
        key: getattr(args, key)
        for key in ("beam_width", "num_steps", "temperature", "top_k", "seed")
        if getattr(args, key) is not None
    }
    if changes:
        task.config = task.config.replace(**changes)
    if args.series:
        if task.name != "forecast" or args.inputs or args.file:
            raise ConfigError(
                "series", "takes a forecaster's collection file, instead of inputs or --file"
            )
        _print_results(task.predict_series(model, args.series), args.format)
        return 0
    seen = False
    for batch in _batches(_read_inputs(args), args.batch_size):
        seen = True
        _print_results(runner.predict_lines(task, model, batch), args.format)
    if not seen:
        raise SystemExit("rnn-keras predict: no inputs (give them as arguments, --file or stdin)")
    return 0


def _batches(lines, size):
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _print_results(results, output_format):
    for result in results:
        if output_format == "jsonl":
            print(json.dumps(result, ensure_ascii=False))
        elif result.get("empty"):
            print(f"{result['input']}\t(empty input)")
        else:
            shown = {k: v for k, v in result.items() if k != "input" and k not in LONG_DETAILS}
            key = next(k for k in ("output", "label", "forecast") if k in shown)
            main = shown.pop(key)
            extra = "\t" + json.dumps(shown, ensure_ascii=False) if shown else ""
            print(f"{result['input']}\t{main}{extra}")
    sys.stdout.flush()
