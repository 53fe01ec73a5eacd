"""`rnn-keras evaluate`: score a trained model on data.

Scores by task: accuracy and macro-F1 (classify); token accuracy and
entity precision/recall/F1 (tag); exact match, sacreBLEU's corpus BLEU
(cased and lower-cased) and chrF with their signatures (seq2seq);
nats per token, perplexity and bits per token (generate); MASE, sMAPE,
RMSE and MAE beside the naive and seasonal-naive forecasts', and the
interval's coverage (forecast: a rolling-origin backtest of the end of
every series of the file, as training held out).

Examples:

    rnn-keras evaluate saved_models/sentiment --data test.tsv
    rnn-keras evaluate saved_models/dates --data gen:dates --split test --json
"""

import argparse
import json


def register_subparser(subparsers):
    parser = subparsers.add_parser(
        "evaluate",
        help="Score a trained model on a file or dataset split.",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model", help="A model folder written by `rnn-keras train`.")
    parser.add_argument("--data", required=True, help="A file, tfds:NAME or gen:NAME.")
    parser.add_argument(
        "--split", default="test", help="Split of a tfds:/gen: dataset. Default: test."
    )
    parser.add_argument(
        "--column",
        help="forecast: the CSV column, or several separated by commas. Default: the training's.",
    )
    parser.add_argument(
        "--beam-width", type=int, help="seq2seq: beam width (1 is greedy). Default: the model's."
    )
    parser.add_argument("--data-dir", help="TFDS data directory.")
    parser.add_argument("--json", action="store_true", help="Print the scores as one JSON object.")
    parser.set_defaults(run=run)
    return parser


def run(args):
    from rnn_keras import runner

    changes = {
        key: getattr(args, key)
        for key in ("column", "beam_width")
        if getattr(args, key) is not None
    }
    scores = runner.evaluate(args.model, args.data, args.split, args.data_dir, **changes)
    if args.json:
        print(json.dumps(scores, sort_keys=True))
    else:
        width = max(len(name) for name in scores)
        for name, value in scores.items():
            shown = f"{value:.4f}" if isinstance(value, float) else str(value)
            print(f"{name:<{width}}  {shown}")
    return 0
