"""The `rnn-keras` command line: one module per subcommand."""

import argparse
import contextlib
import logging
import os
import shutil
import sys
import tempfile
import warnings

from rnn_keras.cli import demo
from rnn_keras.cli import ensemble
from rnn_keras.cli import evaluate
from rnn_keras.cli import export
from rnn_keras.cli import predict
from rnn_keras.cli import profile
from rnn_keras.cli import serve
from rnn_keras.cli import train
from rnn_keras.cli import tune
from rnn_keras.version import __version__

SUBCOMMANDS = (demo, profile, train, tune, evaluate, predict, ensemble, export, serve)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="rnn-keras",
        description="Train and use recurrent neural networks with Keras.",
    )
    parser.add_argument("--version", action="version", version=f"rnn-keras {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register_subparser(subparsers)
    return parser


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a line is logged (tests swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        del value


class _WarnOnce(logging.Filter):
    """Lets each warning through once: a file read again (profiled, split, backtested) warns once.

    A command reads its data more than once, and each read logs what it
    skipped, filled or guessed; the same line five times reads as five
    problems. Information lines (progress, counts) all pass.
    """

    def __init__(self):
        super().__init__()
        self.seen = set()

    def filter(self, record):
        if record.levelno < logging.WARNING:
            return True
        key = (record.levelno, record.getMessage())
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


@contextlib.contextmanager
def _logging_to_stderr():
    """The package's own log lines (counts, sizes, resumption) on stderr, while a command runs.

    The logger is put back as it was afterwards, so that `main` called in a
    process (tests, notebooks) leaves its logging alone.
    """
    logger = logging.getLogger("rnn_keras")
    saved = logger.level, logger.propagate
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("rnn-keras: %(message)s"))
    handler.addFilter(_WarnOnce())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


@contextlib.contextmanager
def _private_temporary_folder():
    """Temporary files of a command (TensorFlow's AutoGraph sources) in a folder of its own.

    AutoGraph writes a file per converted function and removes them at
    exit, but a killed run leaves them in `$TMPDIR`. Each command writes
    into `$TMPDIR/rnn-keras-PID-*`, removed at its end; the folders of runs
    that are gone are removed by the next command.
    """
    from rnn_keras.files.lock import process_running

    base = tempfile.gettempdir()
    for name in os.listdir(base):
        parts = name.split("-")
        if name.startswith("rnn-keras-") and len(parts) > 2 and parts[2].isdigit():
            if not process_running(int(parts[2])):
                shutil.rmtree(os.path.join(base, name), ignore_errors=True)
    folder = tempfile.mkdtemp(prefix=f"rnn-keras-{os.getpid()}-", dir=base)
    saved, tempfile.tempdir = tempfile.tempdir, folder
    try:
        yield folder
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _warnings_a_user_can_act_on():
    """Python warnings of the dependencies that say nothing a user of the command can act on."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=FutureWarning)
        # Keras, loading a model saved with its optimizer's state without training it.
        warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
        yield


def main(argv=None):
    """Runs `rnn-keras` with `argv` (default: `sys.argv[1:]`); returns the exit code.

    Errors in what the user gave print one line naming the option, file or
    line: options (usage errors) return 2, data files and model folders 1.
    Set `RNN_KERAS_DEBUG=1` for the traceback.
    """
    from rnn_keras.config import ConfigError
    from rnn_keras.files import FolderLocked

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    from rnn_keras import quiet

    verbosity = getattr(args, "verbose", None)
    quiet.set_verbosity(verbosity if verbosity is not None else 1)
    try:
        with _logging_to_stderr(), _private_temporary_folder(), _warnings_a_user_can_act_on():
            return args.run(args)
    except (ValueError, OSError, ImportError, FolderLocked) as error:
        if os.environ.get("RNN_KERAS_DEBUG"):
            raise
        print(f"rnn-keras {args.command}: error: {error}", file=sys.stderr)
        return 2 if isinstance(error, ConfigError) else 1


if __name__ == "__main__":
    sys.exit(main())
