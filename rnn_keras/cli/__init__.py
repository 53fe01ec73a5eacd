"""The `rnn-keras` command line: one module per subcommand."""

import argparse
import sys

from rnn_keras.cli import demo

SUBCOMMANDS = (demo,)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="rnn-keras",
        description="Train and use recurrent neural networks with Keras.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register_subparser(subparsers)
    return parser


def main(argv=None):
    """Runs `rnn-keras` with `argv` (default: `sys.argv[1:]`); returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
