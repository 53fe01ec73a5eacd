"""Flags and config files shared by `rnn-keras train` (and later `tune`).

A config file (YAML or JSON) holds the same keys as the flags, with
underscores (`batch_size: 64`); flags given on the command line override
it; what neither sets takes the task's default.
"""

import argparse
import json
import os

from rnn_keras.distribute.strategy import STRATEGIES
from rnn_keras.layers.recurrent_block import CELLS

TASK_NAMES = ("classify", "tag", "seq2seq", "generate", "forecast")

# (flag, type or "bool", help). Defaults are the task's (see `rnn_keras.tasks`).
HYPERPARAMETERS = (
    ("cell", CELLS, "Recurrent cell. Default: lstm."),
    ("units", int, "Units per recurrent layer (per direction). Default: 64 (generate: 256)."),
    ("layers", int, "Stacked recurrent layers. Default: 1."),
    ("bidirectional", "bool", "Bidirectional recurrent layers. Default: off (tag: on)."),
    ("dropout", float, "Dropout between recurrent layers. Default: 0."),
    ("recurrent_dropout", float, "Dropout on the recurrent state. Default: 0."),
    ("embedding_dim", int, "Token embedding size. Default: 64."),
    ("learning_rate", float, "Adam learning rate. Default: 1e-3 (forecast: 3e-3)."),
    ("clipnorm", float, "Clip gradients to this global norm; 0 turns it off. Default: 1."),
    (
        "ema_momentum",
        float,
        "Evaluate, checkpoint and save an exponential moving average of the weights with "
        "this momentum (e.g. 0.995: about the last 200 steps); 0 turns it off. Default: off.",
    ),
    ("batch_size", int, "Examples per batch. Default: 32 (generate 64, forecast 16)."),
    ("epochs", int, "Most epochs. Default: 10 (forecast: 200)."),
    ("patience", int, "Early stopping: epochs without improvement. Default: 3 (forecast: 30)."),
    (
        "max_minutes",
        float,
        "Training time budget: stop after the epoch that would let the next end past it. "
        "Default: none.",
    ),
    (
        "monitor",
        str,
        "Validation metric for early stopping and the best checkpoint. Default: val_loss.",
    ),
    ("seed", int, "Random seed. Default: 0."),
    (
        "valid_fraction",
        float,
        "Share of the training data held out when no validation data is given. Default: 0.1.",
    ),
    (
        "test_fraction",
        float,
        "Share of the training data held out as the test split when none is given. "
        "Default: 0 (none).",
    ),
    (
        "split",
        ("character", "whitespace", "punctuation"),
        "Text tokens: characters, words split at whitespace, or also around punctuation. "
        "Default: character for seq2seq and generate, whitespace otherwise.",
    ),
    ("lowercase", "bool", "Lower-case text. Default: on for classify and tag."),
    (
        "max_tokens",
        int,
        "Largest vocabulary (reserved ids not counted). "
        "Default: 20000 (classify), 30000 (tag), unlimited otherwise.",
    ),
    ("min_count", int, "Drop tokens seen fewer times in training. Default: 1."),
    ("max_length", int, "Truncate longer inputs (counted in the log). Default: none."),
    ("pooling", ("last", "mean", "max"), "classify: sequence summary. Default: last."),
    ("head_dropout", float, "classify/tag: dropout before the output layer. Default: 0."),
    ("embedding_dropout", float, "classify/tag: dropout on the embedded inputs. Default: 0."),
    (
        "token_dropout",
        float,
        "classify/tag: replace training tokens by <UNK> with this probability. Default: 0.",
    ),
    (
        "embeddings",
        str,
        "classify/tag: pretrained word vectors (GloVe or word2vec text format, .gz too) that "
        "initialise the token embedding; their words join the vocabulary, and --embedding-dim "
        "becomes their size. Default: none.",
    ),
    (
        "max_vectors",
        int,
        "classify/tag: read this many vectors, most frequent first. Default: 100000.",
    ),
    (
        "freeze_embeddings",
        "bool",
        "classify/tag: keep the token embedding fixed in training. Default: off.",
    ),
    ("characters", "bool", "tag: also read each token by its characters. Default: on."),
    ("max_chars", int, "tag: characters read per token. Default: 20."),
    (
        "crf",
        "bool",
        "tag: end in a linear-chain CRF (whole-sequence likelihood, Viterbi tags) "
        "instead of a softmax. Default: off.",
    ),
    ("attention", ("luong", "bahdanau", "none"), "seq2seq: attention score. Default: luong."),
    (
        "beam_width",
        int,
        "seq2seq: beam width for evaluation and prediction; 1 is greedy. Default: 1.",
    ),
    ("length_penalty", float, "seq2seq: GNMT length penalty of beam search. Default: 0.6."),
    ("sequence_length", int, "generate: training window in tokens. Default: 100."),
    ("num_steps", int, "generate: tokens to generate per prompt. Default: 200."),
    ("temperature", float, "generate: sampling temperature; 0 is greedy. Default: 0.8."),
    ("top_k", int, "generate: sample among the k likeliest tokens; 0 for all. Default: 0."),
    ("window", int, "forecast: input window length. Default: 24."),
    ("horizon", int, "forecast: steps forecast at once (and held out). Default: 12."),
    ("season", int, "forecast: season length of the naive baseline. Default: 12."),
    ("scaling", ("global", "window"), "forecast: normalisation. Default: window."),
)

DATA_OPTIONS = (
    ("task", TASK_NAMES, "What to learn."),
    ("data", str, "Training data: a file, tfds:NAME[/CONFIG] or gen:dates|gen:addition."),
    (
        "valid",
        str,
        "Validation data (a file or tfds:/gen: spec). "
        "Default: the dataset's validation split, else held out of training.",
    ),
    (
        "test",
        str,
        "Test data. Default: the dataset's test split, else none (scores on validation).",
    ),
    ("column", str, "forecast: the CSV column to forecast."),
    ("data_dir", str, "TFDS data directory. Default: TFDS's (~/tensorflow_datasets)."),
    ("output", str, "Model folder to write, e.g. saved_models/NAME."),
)
DISTRIBUTION_OPTIONS = (
    (
        "strategy",
        STRATEGIES,
        "tf.distribute strategy; --batch-size is then per replica. auto: a TPU if one is "
        "configured, else mirrored over several GPUs, else multi_worker if TF_CONFIG names a "
        "cluster, else default. Default: auto.",
    ),
    ("tpu", str, "TPU name, `local` on a TPU VM, or grpc://HOST:PORT. Default: $TPU_NAME."),
    (
        "static_shapes",
        "bool",
        "Pad every batch to the full batch size and its lengths to powers of two, so XLA "
        "compiles a few shapes. Default: on under tpu, else off.",
    ),
)

KNOWN_KEYS = {
    name for name, _, _ in HYPERPARAMETERS + DATA_OPTIONS + DISTRIBUTION_OPTIONS
} | {"overwrite"}


def add_flags(parser, options):
    """Adds `--name` flags whose value is absent from the namespace unless given."""
    for name, kind, help_text in options:
        flag = "--" + name.replace("_", "-")
        if kind == "bool":
            parser.add_argument(
                flag,
                action=argparse.BooleanOptionalAction,
                default=argparse.SUPPRESS,
                help=help_text,
            )
        elif isinstance(kind, tuple):
            parser.add_argument(flag, choices=kind, default=argparse.SUPPRESS, help=help_text)
        else:
            parser.add_argument(flag, type=kind, default=argparse.SUPPRESS, help=help_text)


def add_output_flags(parser, overwrite_help, export_help):
    """`--overwrite`, `--no-export` and `--verbose`, shared by `train` and `tune`."""
    parser.add_argument(
        "--overwrite", action="store_true", default=argparse.SUPPRESS, help=overwrite_help
    )
    parser.add_argument("--no-export", dest="export", action="store_false", help=export_help)
    parser.add_argument(
        "--verbose",
        type=int,
        choices=(0, 1, 2),
        default=None,
        help="Keras progress: 0 silent, 1 bar, 2 a line per epoch. Default: bar on a terminal.",
    )


def read_config(path, extra_keys=()):
    """Keys of a YAML or JSON config file, checked against the known flags (and `extra_keys`)."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f"--config {path}: no such file")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        if path.endswith(".json"):
            config = json.loads(text)
        else:
            import yaml

            config = yaml.safe_load(text)
    except ValueError as error:  # json.JSONDecodeError and yaml.YAMLError
        raise ValueError(
            f"--config {path}: not valid {'JSON' if path.endswith('.json') else 'YAML'}: {error}"
        ) from error
    except Exception as error:
        raise ValueError(f"--config {path}: not valid YAML: {error}") from error
    if not isinstance(config, dict):
        raise ValueError(f"--config {path}: expected a mapping of option names to values")
    config = {key.replace("-", "_"): value for key, value in config.items()}
    unknown = sorted(set(config) - KNOWN_KEYS - set(extra_keys))
    if unknown:
        raise ValueError(
            f"--config {path}: unknown option(s) {unknown}; see `rnn-keras train --help`"
        )
    return config


def merged_config(args, defaults=None, extra_keys=()):
    """Defaults < config file (`args.config`) < flags given on the command line.

    `extra_keys` are options of the subcommand beyond `train`'s.
    """
    config = dict(defaults or {})
    if getattr(args, "config", None):
        config.update(read_config(args.config, extra_keys))
    known = KNOWN_KEYS | set(extra_keys)
    config.update({k: v for k, v in vars(args).items() if k in known})
    return config
