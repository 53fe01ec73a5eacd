"""The options every task has, and groups of options some tasks share.

A task's configuration class (`ClassifyConfig`, ...) combines `TaskConfig`
with the groups it needs and its own options; those classes are the only
place defaults live (`rnn-keras train --help` is generated from them).
"""

import codecs
import dataclasses
from typing import Optional

from rnn_keras.config import Config
from rnn_keras.config import ConfigError
from rnn_keras.config import option

# The choices of `cell` and `strategy`, written here so that the options
# import without TensorFlow; `tests/tasks/registry_test.py` checks them
# against `rnn_keras.layers.recurrent_block.CELLS` and
# `rnn_keras.distribute.STRATEGIES`.
CELLS = ("vanilla", "lstm", "gru")
STRATEGIES = ("auto", "default", "one_device", "mirrored", "multi_worker", "tpu")


@dataclasses.dataclass
class TaskConfig(Config):
    """Options of every task: data, the recurrent model, training and distribution."""

    # Metrics the task's model logs in training (`val_` + these in validation).
    logged_metrics = ("loss",)

    # === Data ===
    data: Optional[str] = option(
        None,
        "Training data: a file, tfds:NAME[/CONFIG] or gen:dates|gen:addition.",
        group="data",
    )
    valid: Optional[str] = option(
        None,
        "Validation data (a file or tfds:/gen: spec); without it, the dataset's validation "
        "split, else --valid-fraction of the training data.",
        group="data",
    )
    test: Optional[str] = option(
        None,
        "Test data; without it, the dataset's test split, else none (scores on validation).",
        group="data",
    )
    encoding: str = option(
        "utf-8",
        "Text encoding of the data files (a UTF-8 byte-order mark is dropped).",
        group="data",
    )
    data_dir: Optional[str] = option(
        None, "TFDS data directory (none: TFDS's own, ~/tensorflow_datasets).", group="data"
    )
    output: Optional[str] = option(
        None, "Model folder to write, e.g. saved_models/NAME.", group="data"
    )
    overwrite: bool = option(
        False,
        "Replace a finished model in --output (an interrupted training resumes without it).",
        group="data",
    )

    init_from: Optional[str] = option(
        None,
        "Continue training the model in this folder (written by train): its preprocessing "
        "(vocabulary, labels, scaling), architecture and weights, on --data, with the training "
        "options given now and its own for the rest.",
        group="data",
    )

    defaults: str = option(
        "data",
        "Options left unset: resolved from the training data's profile (`data`: `train` logs "
        "each with its reason, task.json records them) or the fixed defaults shown here "
        "(`fixed`).",
        choices=("data", "fixed"),
        group="data",
    )

    # === Model ===
    cell: str = option("lstm", "Recurrent cell.", choices=CELLS)
    units: int = option(64, "Units per recurrent layer (per direction).", minimum=1)
    num_layers: int = option(1, "Stacked recurrent layers.", minimum=1)
    bidirectional: bool = option(False, "Bidirectional recurrent layers.")
    dropout: float = option(
        0.0, "Dropout between recurrent layers.", minimum=0, maximum=1, exclusive_maximum=True
    )
    recurrent_dropout: float = option(
        0.0, "Dropout on the recurrent state.", minimum=0, maximum=1, exclusive_maximum=True
    )

    # === Training ===
    learning_rate: float = option(
        1e-3, "Adam learning rate.", minimum=0, exclusive_minimum=True, group="training"
    )
    global_clipnorm: float = option(
        1.0, "Clip gradients to this global norm; 0 turns it off.", minimum=0, group="training"
    )
    ema_momentum: Optional[float] = option(
        None,
        "Evaluate, checkpoint and save an exponential moving average of the weights with this "
        "momentum (e.g. 0.995: about the last 200 steps); 0 or none turns it off.",
        minimum=0,
        maximum=1,
        exclusive_maximum=True,
        group="training",
    )
    batch_size: int = option(
        32, "Examples per batch (per replica under a strategy).", minimum=1, group="training"
    )
    epochs: int = option(10, "Most epochs.", minimum=1, group="training")
    patience: int = option(
        3, "Early stopping: epochs without improvement.", minimum=0, group="training"
    )
    max_minutes: Optional[float] = option(
        None,
        "Training time budget: stop after the epoch that would let the next end past it.",
        minimum=0,
        exclusive_minimum=True,
        group="training",
    )
    monitor: str = option(
        "val_loss",
        "Metric for early stopping and the best checkpoint (val_ + a metric the model logs).",
        group="training",
    )
    seed: int = option(0, "Random seed.", minimum=0, group="training")
    seeds: int = option(
        1,
        "Train this many models, seeds --seed to --seed + N - 1, on the same splits and save "
        "their average (an ensemble) as the model: small data vary by seed. Each member is a "
        "model folder of its own in OUTPUT-members/seed-S. Classify, tag (without --crf) and "
        "forecast. Series classifiers resolve 5 from their data below 100 series and 3 up to "
        "1,000, forecasters 3 up to 1,000 training values.",
        minimum=1,
        group="training",
    )
    split_seed: Optional[int] = option(
        None,
        "Seed of the validation and test splits carved from the training data (default: "
        "--seed).",
        minimum=0,
        group="training",
    )
    valid_fraction: float = option(
        0.1,
        "Share of the training data held out when no validation data is given; 0 holds out "
        "nothing and chooses the epoch on the training data (then scores need test data).",
        minimum=0,
        maximum=1,
        exclusive_maximum=True,
        group="training",
    )
    test_fraction: float = option(
        0.0,
        "Share of the training data held out as the test split when none is given (0: none).",
        minimum=0,
        maximum=1,
        exclusive_maximum=True,
        group="training",
    )

    # === Distribution ===
    strategy: str = option(
        "auto",
        "tf.distribute strategy; --batch-size is then per replica. auto: a TPU if one is "
        "configured, else mirrored over several GPUs, else multi_worker if TF_CONFIG names a "
        "cluster, else default.",
        choices=STRATEGIES,
        group="distribution",
    )
    tpu: Optional[str] = option(
        None,
        "TPU name, `local` on a TPU VM, or grpc://HOST:PORT (none: $TPU_NAME).",
        group="distribution",
    )
    static_shapes: Optional[bool] = option(
        None,
        "Pad every batch to the full batch size and its lengths to powers of two, so XLA "
        "compiles a few shapes (none: on under tpu, else off).",
        group="distribution",
    )

    def check(self):
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise ConfigError("encoding", f"no such text encoding: {self.encoding!r}") from None
        names = self.logged_metrics
        allowed = [*names, *(f"val_{name}" for name in names)]
        if self.monitor not in allowed:
            raise ConfigError("monitor", f"expected one of {allowed}, got {self.monitor!r}")
        if self.valid_fraction + self.test_fraction >= 1:
            raise ConfigError(
                "test_fraction",
                f"valid_fraction + test_fraction must be below 1, got "
                f"{self.valid_fraction} + {self.test_fraction}",
            )


@dataclasses.dataclass
class VocabularyOptions(Config):
    """How text becomes token ids (tasks that read text)."""

    embedding_dim: int = option(64, "Token embedding size.", minimum=1)
    lowercase: bool = option(False, "Lower-case text.", group="data")
    max_tokens: Optional[int] = option(
        None,
        "Largest vocabulary, most frequent tokens first (reserved ids not counted; none: all).",
        minimum=1,
        group="data",
    )
    min_count: int = option(
        1, "Drop tokens seen fewer times in training.", minimum=1, group="data"
    )


@dataclasses.dataclass
class TokenizeOption(Config):
    """How a text is split into tokens."""

    tokenize: str = option(
        "whitespace",
        "Text tokens: characters, words split at whitespace, or also around punctuation, or "
        "those words cut into WordPiece subwords (subword: needs pip install "
        "\"rnn-keras[subword]\"; --max-tokens pieces, none: 8000).",
        choices=("character", "whitespace", "punctuation", "subword"),
        group="data",
    )


@dataclasses.dataclass
class WordVectorOptions(Config):
    """Pretrained word vectors for the token embedding (classify, tag)."""

    embeddings: Optional[str] = option(
        None,
        "Pretrained word vectors (GloVe or word2vec text format, .gz too) that initialise the "
        "token embedding; their words join the vocabulary, and --embedding-dim becomes their "
        "size.",
        group="data",
    )
    max_vectors: int = option(
        100000, "Read this many vectors, most frequent first.", minimum=1, group="data"
    )
    freeze_embeddings: bool = option(False, "Keep the token embedding fixed in training.")


@dataclasses.dataclass
class RegularisationOptions(Config):
    """Dropout around the recurrent encoder of classifiers and taggers."""

    head_dropout: float = option(
        0.0, "Dropout before the output layer.", minimum=0, maximum=1, exclusive_maximum=True
    )
    embedding_dropout: float = option(
        0.0, "Dropout on the embedded inputs.", minimum=0, maximum=1, exclusive_maximum=True
    )
    token_dropout: float = option(
        0.0,
        "Replace training tokens by <UNK> with this probability.",
        minimum=0,
        maximum=1,
        exclusive_maximum=True,
    )
