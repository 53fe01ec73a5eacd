"""`Task`: the contract every task fills in, from its data to its serving signatures."""

import os

from rnn_keras.config import ConfigError
from rnn_keras.data.pipeline import make_dataset
from rnn_keras.data.splits import shuffled_split
from rnn_keras.data.word_vectors import pretrained_embeddings
from rnn_keras.tasks.common import metric_direction
from rnn_keras.tasks.config import TaskConfig
from rnn_keras.tasks.configs import EXPORT_FORMATS
from rnn_keras.tasks.defaults import resolve

# The format of `task.json` (`get_config`): 2 since options were renamed
# (`rnn_keras.config.RENAMED`).
TASK_FILE_FORMAT = 2


class Task:
    """A learning problem: its data, preprocessing, model, scores, predictions and exports.

    Each task lives in its own folder, `rnn_keras/tasks/<name>/`, and
    subclasses this class, filling in:

    | role | members |
    |---|---|
    | identity and options | `name`, `config_class` (a `TaskConfig` dataclass) |
    | data | `read_file(path)`, optionally `from_tfds(rows, info, name)` and `split_off` |
    | defaults from the data | `defaults_rules`: its `tasks/<name>/defaults.py` module (`profile`, `data_defaults`) |
    | preprocessing | `prepare(train)` (fits `state`), `dataset(examples, training, origin)` |
    | model | `build_model()`, optionally `search_space(hp, fixed)` for tuning |
    | scores, predictions | `evaluate(model, examples, origin)`, `predict(model, lines)`, `plots` |
    | serving | `serving_module(model)` (raw inputs), `numeric_signatures(model, batch)` (TFLite, ONNX) |

    Callers ask a task what it can do instead of comparing names:
    `export_formats` (the formats `rnn-keras export` offers for it),
    `ensemble_options` (`None` when its models cannot be averaged),
    `carve_test` and `loss_mask`.

    The fitted preprocessing (vocabularies, label names, statistics) is the
    task's `state`, a JSON-able dict saved beside the model in `task.json`,
    so `evaluate`, `predict` and the exports see the same ids.

    Args:
        config: the task's `config_class` instance, or a `dict` of options
            (checked by `config_class.from_values`); missing options take
            their defaults.
        state: `dict` or `None.` The fitted preprocessing of a trained task.
    """

    name = None
    config_class = TaskConfig
    # The module of the task's defaults from the data, `tasks/<name>/defaults.py`:
    # `profile(splits)` (a JSON-able dict) and `data_defaults(profile)` (`Default`s).
    defaults_rules = None
    # Formats `rnn-keras export` offers; a trained task may still refuse one
    # for a model it cannot convert (`check_export`).
    export_formats = EXPORT_FORMATS
    # Options that shape the model's inputs and outputs outside the model
    # (encoding, lengths): members of an ensemble must agree on them and on
    # `state`. `None`: the task's models cannot be averaged as one model.
    ensemble_options = ()
    # Whether the task's data rules may resolve `seeds` (several models
    # averaged): `train` then reads the data before it decides how many
    # models to train (`rnn_keras.runner.seeds.resolve_seeds`).
    resolves_seeds = False
    # Whether the members of an average differ by more than their seed
    # (`member_options`): `train_seeds` then resolves the options from the
    # data before it trains them, where `seeds` was given.
    varies_members = False
    # Whether a missing test split is held out of the training data too.
    carve_test = False
    # Whether the defaults are resolved from the whole training file, before
    # the validation and test parts are held out of it (what is held out then
    # depends on them, as a forecast horizon on the series' frequency).
    profiles_whole_data = False
    # `state` entries fitted on the trained model (`calibrate`), which members
    # of an ensemble may differ in (the ensemble takes their mean, a member
    # without the entry counting 0: numbers that act as 0 when absent).
    model_fitted_state = ()
    # Whether the model may read its inputs in both directions (so a tuning
    # job may search `bidirectional`).
    bidirectional = True
    # `(inputs, targets) -> (batch, timesteps)` mask of the steps the loss is
    # averaged over, for tasks with sequence outputs (see `even_batches`).
    loss_mask = None

    def __init__(self, config=None, state=None):
        if config is None:
            config = self.config_class()
        elif isinstance(config, dict):
            config = self.config_class.from_values(config)
        elif not isinstance(config, self.config_class):
            raise TypeError(
                f"Invalid type for argument `config`. Expected a {self.config_class.__name__} "
                f"or a dict. Received: config={config!r}"
            )
        self.config = config
        self.state = state
        # Replicas in sync of the strategy that trains the model (set by
        # the runner); a global batch holds `batch_size * replicas` examples.
        self.replicas = 1
        # Pretrained embedding weights read by `with_word_vectors` (not in
        # `state`: a trained model holds them among its weights).
        self.embedding_weights = None
        # The training data's profile and the options resolved from it
        # (`resolve_defaults`), recorded in `task.json`.
        self.data_profile = None
        self.resolved = {}

    @property
    def monitor_mode(self):
        """`"min"` or `"max"`: which way the monitored metric improves."""
        return metric_direction(self.config.monitor)

    def get_config(self):
        """What `task.json` holds: the task's name, options and fitted state."""
        return {
            "task": self.name,
            "config": self.config.to_dict(),
            "state": self.state,
            "format": TASK_FILE_FORMAT,
            # Where each option came from: given (flag, config file) or
            # resolved from the data profile (with the reason).
            "given": dict(self.config.given),
            "resolved": self.resolved,
            "profile": self.data_profile,
        }

    # === Defaults from the data ===

    def profile(self, splits):
        """What the data look like: a JSON-able `dict` measured on `splits["train"]`.

        `splits` may also hold `"validation"` (for the share of unseen
        tokens); see `rnn_keras.profile`.
        """
        return self.defaults_rules.profile(splits)

    def data_defaults(self, profile):
        """`rnn_keras.tasks.defaults.Default`s for data with this `profile`."""
        return self.defaults_rules.data_defaults(profile)

    def resolve_defaults(self, splits):
        """Profiles the data and sets every option the user left unset from the profile.

        Runs before `prepare`; the options given by flag or config file
        (`config.given`) are kept, and `defaults="fixed"` keeps every
        default as declared. Sets `data_profile` and `resolved`.
        """
        self.data_profile = self.profile(splits)
        self.config, self.resolved = resolve(self.config, self.data_defaults(self.data_profile))

    # === Data ===

    def read_file(self, path):
        """The examples of a file in the task's plain format (see `rnn_keras.data.readers`)."""
        raise NotImplementedError

    def from_tfds(self, rows, info, name):
        """The examples of a TFDS dataset's rows (`tfds.as_numpy`), with its `info`."""
        del rows, info
        raise ValueError(f"task {self.name!r} cannot read TFDS datasets (tfds:{name}); use a file")

    def split_off(self, examples, fraction, seed, split="validation"):
        """Splits a part off the training examples: `(rest, part, indices)`.

        `split` names the part (`"validation"` or `"test"`).

        The default shuffles list-like examples with `seed` (`split_indices`:
        at random, classifiers by label); `indices` are
        `(rest_indices, part_indices)`, the examples' places in the data (for
        errors that name a line). Tasks whose data is one sequence (text, a
        series) split it in time instead, with `indices` `None`.
        """
        rest, part = self.split_indices(examples, fraction, seed, split)
        return _take(examples, rest), _take(examples, part), (tuple(rest), tuple(part))

    def split_indices(self, examples, fraction, seed, split="validation"):
        """`(rest, part)` index arrays of `split_off`: a random `fraction` (`shuffled_split`)."""
        del split
        return shuffled_split(_length(examples), fraction, seed)

    def prepare(self, train):
        """Fits the preprocessing on the training examples; sets `state`."""
        raise NotImplementedError

    def check_prepared(self):
        """Checks options against what `prepare` found (e.g. a metric only some data log)."""

    def check_state(self):
        """Raises `KeyError`, `TypeError` or `ValueError` if a trained task's `state` is damaged."""
        if not isinstance(self.state, dict):
            raise TypeError(f"expected the fitted state to be a dict, got {self.state!r:.80}")

    def check_model(self, model):
        """Raises `ValueError` if `model` does not fit the fitted state (its vocabulary, labels)."""
        del model

    def dataset(self, examples, training, origin=None):
        """A batched `tf.data.Dataset` for `fit`/`evaluate` (`origin` names the data)."""
        raise NotImplementedError

    def batched(self, inputs, targets, training, bucket_by=None, weights=None, per_epoch=None):
        """`make_dataset` with the task's global batch size and seed, shuffled for training.

        `per_epoch`: training draws this many examples afresh each epoch
        (`make_dataset`); `None`, every example.
        """
        return make_dataset(
            inputs,
            targets,
            sample_weights=weights,
            batch_size=self.config.batch_size * self.replicas,
            shuffle=training,
            seed=self.config.seed,
            bucket_by=bucket_by,
            per_epoch=per_epoch if training else None,
        )

    def with_word_vectors(self, vocabulary):
        """`vocabulary`, joined by the words of the `embeddings` vectors file if one is set.

        The file (GloVe / word2vec text format) gives its first
        `max_vectors` words ids and their vectors the embedding's initial
        weights (`rnn_keras.data.pretrained_embeddings`), so words never seen
        in training are still read by their vector. Sets `state["embedding_dim"]`
        and `state["trained_embedding_rows"]`.
        """
        path = self.config.embeddings
        if not path:
            return vocabulary
        # The training tokens' rows train; the words only the file holds never
        # get a gradient, so they stay fixed (`PretrainedEmbedding`).
        self.state["trained_embedding_rows"] = vocabulary.size
        vocabulary, self.embedding_weights = pretrained_embeddings(
            vocabulary,
            os.path.expanduser(path),
            self.config.max_vectors,
            seed=self.config.seed,
        )
        self.state["embedding_dim"] = int(self.embedding_weights.shape[1])
        return vocabulary

    # === Model ===

    def build_model(self):
        """The compiled Keras model for the fitted preprocessing."""
        raise NotImplementedError

    def embedding_arguments(self):
        """The builder's token-embedding arguments (the vectors' size when pretrained)."""
        return {
            "embedding_dim": int(self.state.get("embedding_dim") or self.config.embedding_dim),
            "embedding_weights": self.embedding_weights,
            "freeze_embeddings": self.config.freeze_embeddings,
            "trainable_embedding_rows": self.state.get("trained_embedding_rows"),
        }

    def recurrent_arguments(self):
        """The builder arguments shared by every task."""
        c = self.config
        return {
            "cell": c.cell,
            "units": c.units,
            "num_layers": c.num_layers,
            "dropout": c.dropout,
            "recurrent_dropout": c.recurrent_dropout,
            "learning_rate": c.learning_rate,
            "global_clipnorm": c.global_clipnorm or None,
            "ema_momentum": c.ema_momentum or None,
        }

    @property
    def embeds_tokens(self):
        """Whether the model embeds token ids with a searchable embedding size."""
        return False

    def search_space(self, hp, fixed):
        """Declares this task's tuning search space on `hp`; returns option values.

        Args:
            hp: `keras_tuner.HyperParameters`.
            fixed: `dict` of options not to search (recorded as fixed).

        Returns:
            `dict` of option name to the trial's value.
        """
        from rnn_keras.tuning.space import search_space

        return search_space(
            hp,
            fixed,
            token_inputs=self.embeds_tokens,
            bidirectional=self.config_class().bidirectional if self.bidirectional else None,
        )

    # === Scores and predictions ===

    def evaluate(self, model, examples, origin=None):
        """Task scores of `model` on `examples`: a `dict` of floats."""
        raise NotImplementedError

    def predict(self, model, lines):
        """Readable predictions for raw input lines (a list of strings)."""
        raise NotImplementedError

    def member_options(self, position):
        """Options of the member at `position` (0, 1, ...) of an average (`train --seeds`).

        They replace the run's options for that member; none by default.
        """
        del position
        return {}

    def calibrate(self, model, splits, averaged=False):
        """Fits what is fitted on the trained model (before scoring); `True` if `state` changed.

        `averaged`: `model` averages members, and `state` holds the means
        of what was fitted on each (`model_fitted_state`): refit what the
        average needs fitted on its own forecasts, keep the rest.
        """
        del model, splits, averaged
        return False

    def plots(self, model, examples, directory):
        """Writes task-specific figures to `directory`; returns their paths."""
        del model, examples, directory
        return []

    # === Serving ===

    def serving_module(self, model):
        """A `tf.Module` whose `serve` (and other) signatures take raw inputs."""
        raise NotImplementedError

    def numeric_signatures(self, model, batch=None):
        """`{signature name: (function, input specs)}`: ids or floats in, numbers out.

        The formats without string ops (TFLite, ONNX) serve these. `batch`
        fixes the batch dimension (`1` for TFLite) or leaves it free.
        """
        raise NotImplementedError

    def check_export(self, export_format, model):
        """Raises `ValueError` naming why `model` cannot be exported as `export_format`, if so."""
        del model
        if export_format not in self.export_formats:
            raise ValueError(
                f"Invalid value for argument `format`. Task {self.name!r} exports as "
                f"{list(self.export_formats)}. Received: format={export_format!r}"
            )

    def check_option(self, name, condition, reason):
        """Raises `ConfigError` for option `name` unless `condition`."""
        if not condition:
            raise ConfigError(name, reason, self.config.given.get(name))


def _length(examples):
    return len(examples[0]) if isinstance(examples, tuple) else len(examples)


def _take(examples, indices):
    if isinstance(examples, tuple):
        return tuple([part[i] for i in indices] for part in examples)
    return [examples[i] for i in indices]
