"""`rnn-keras profile`: what the training data look like, and the options they resolve.

Prints, as JSON on stdout, the data profile `train` computes before it
builds the model (sizes, lengths, vocabulary and unseen tokens, language or
symbol strings, labels and tag scheme, series length and scale) and every
option it would resolve from it, with the reason; options given as flags or
in `--config` are kept, as in `train`. Nothing is trained or written.

Examples:

    rnn-keras profile --task classify --data train.tsv --valid dev.tsv
    rnn-keras profile --task seq2seq --data pairs.tsv --units 512
"""

import argparse
import json

from rnn_keras.cli import options


def register_subparser(subparsers):
    parser = subparsers.add_parser(
        "profile",
        help="Profile the training data and show the options resolved from it.",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_task_flags(parser)
    options.add_verbose_flag(parser)
    parser.set_defaults(run=run)
    return parser


def run(args):
    from rnn_keras import runner

    values, sources = options.option_values(args)
    task = runner.profile(values, sources=sources)
    print(json.dumps(
        {
            "task": task.name,
            "profile": task.data_profile,
            "resolved": task.resolved,
            "given": task.config.given,
        },
        indent=2,
    ))
    return 0
