"""The start every job shares: options checked, strategy, data splits, fitted task, datasets.

`configure` checks every option before anything is read; `prepare` loads
the splits, resolves the options left unset from the training data's
profile, fits the task's preprocessing on the training split and makes the
datasets `fit` takes. `train` and `tune` both run these two.
"""

import dataclasses

import keras
import tensorflow as tf

from rnn_keras import distribute
from rnn_keras.config import ConfigError
from rnn_keras.data.sources import MissingSplit
from rnn_keras.data.sources import Origin
from rnn_keras.data.sources import is_tfds
from rnn_keras.data.sources import load_examples
from rnn_keras.runner.init_from import continued_task
from rnn_keras.runner.init_from import initial_weights
from rnn_keras.tasks import make_task
from rnn_keras.tasks.common import logger


@dataclasses.dataclass
class Prepared:
    """What `prepare` returns: the fitted task, its splits and the datasets for `fit`."""

    task: object
    strategy: object
    splits: dict
    origins: dict
    train_data: object
    valid_data: object
    # The continued model's weights under `init_from`, else `None`.
    initial_weights: object = None


def configure(config, sources=None, required=("data", "output")):
    """The task `config` describes, every option checked before any data is read.

    Args:
        config: `dict` with `task` and the task's options.
        sources: optional `dict` of option name to where its value came
            from (`--units`, `config file run.yaml`), named in errors.
        required: options that must be set.

    Raises:
        ConfigError: naming the option (and its source) for an unknown
            option, a value of the wrong type or out of range.
    """
    sources = sources or {}
    config = dict(config)
    if not config.get("task"):
        raise ConfigError("task", "is required (--task or a config file)")
    name = config.pop("task")
    task = make_task(name, config, sources=sources)
    for option in required:
        if getattr(task.config, option) is None:
            flag = "--" + option.replace("_", "-")
            raise ConfigError(option, f"is required ({flag} or a config file)")
    if task.config.init_from:
        task = continued_task(task)
    check_strategy(task)
    return task


def check_strategy(task):
    """The concrete strategy name of the task's config, checked against the other options."""
    name = distribute.resolve_strategy_name(task.config.strategy, task.config.tpu)
    if name == "multi_worker" and task.config.max_minutes:
        # Each worker would stop at its own time while the others wait on it.
        raise ConfigError(
            "max_minutes",
            "a time limit cannot be used with strategy='multi_worker' (workers would stop "
            "apart); limit `epochs` instead",
            task.config.given.get("max_minutes"),
        )
    return name


def get_strategy(task):
    """The `tf.distribute` strategy the task's options name."""
    return distribute.get_strategy(check_strategy(task), tpu=task.config.tpu)


def load_splits(task):
    """`{"train", "validation", "test"}` examples and where each came from.

    TFDS and generated datasets give their own `validation` and `test`
    splits where they have them; otherwise `--valid`/`--test` files. A
    missing test split is held out of the training data when
    `test_fraction > 0` (forecasting always holds out the last `horizon`
    values), else scoring falls to the validation split; a missing
    validation split is held out of the training data (`valid_fraction`; with
    0 the training data are the validation data too, `validate_on_training_data`).
    The options left unset are resolved from the training data's profile
    (`task.resolve_defaults`): from the whole file before anything is held
    out when the task says so (`profiles_whole_data`), else from the splits.
    """
    c = task.config
    origins = {"train": Origin(c.data)}
    splits = {"train": load_examples(task, c.data, "train", c.data_dir)}
    for split, given in (("validation", c.valid), ("test", c.test)):
        spec = given or (c.data if is_tfds(c.data) else None)
        if spec is None:
            continue
        try:
            splits[split] = load_examples(task, spec, split, c.data_dir)
            origins[split] = Origin(spec)
        except MissingSplit:
            if given:
                raise

    if task.profiles_whole_data:
        # What is held out depends on options resolved from the data (a
        # forecast horizon from the series' frequency, no validation split
        # for a few dozen series).
        task.resolve_defaults(dict(splits))
        c = task.config

    def hold_out(split, fraction, seed):
        splits["train"], splits[split], indices = task.split_off(
            splits["train"], fraction, seed, split=split
        )
        # Places in the file, through an earlier split if there was one.
        train = origins["train"]
        rest, part = (
            [tuple(train.example(i) for i in side) for side in indices] if indices else (None, None)
        )
        origins["train"] = Origin(c.data, rest)
        origins[split] = Origin(c.data, part, held_out=True)

    seed = split_seed(c)
    if "test" not in splits and (task.carve_test or c.test_fraction > 0):
        hold_out("test", c.test_fraction, seed + 1)
    if "validation" not in splits:
        if c.valid_fraction == 0 and not task.carve_test:
            validate_on_training_data(splits, origins, c)
        else:
            hold_out("validation", c.valid_fraction, seed)
    if not task.profiles_whole_data:
        task.resolve_defaults(splits)
    return splits, origins


def validate_on_training_data(splits, origins, config):
    """`valid_fraction=0`: the training data are the validation data too.

    For a training set so small that a held-out tenth could not tell one
    epoch from another (a few series): nothing is held out, and the best
    epoch is the one with the best score on the training data (the UCR
    archive's deep-learning baselines keep the lowest training loss the
    same way). Scores then need a test split.
    """
    if "test" not in splits:
        raise ConfigError(
            "valid_fraction",
            "is 0, which chooses the epoch on the training data, but there is no test data "
            "to score the model on; give --test, --test-fraction, --valid or a fraction above 0",
            config.given.get("valid_fraction"),
        )
    logger.info("no validation split: the epoch is chosen on the training data")
    splits["validation"], origins["validation"] = splits["train"], origins["train"]


def split_seed(config):
    """The seed of the splits carved from the training data: `split_seed`, else `seed`."""
    return config.seed if config.split_seed is None else config.split_seed


def profile(config, sources=None):
    """The task `config` describes, its data profiled and its unset options resolved.

    What `prepare` does before it fits the preprocessing, without building
    anything: the task's `data_profile` and `resolved` tell the result.

    Args:
        config: `dict` with `task`, `data` and the task's options.
        sources: optional `dict` of option name to where its value came from.
    """
    task = configure(config, sources, required=("data",))
    load_splits(task)
    return task


def fit_datasets(task, splits, origins, strategy):
    """The training and validation datasets for `fit` under `strategy`.

    Sets `task.replicas`, so batches hold `batch_size` examples per replica;
    under a TPU strategy (or `static_shapes`) batches are padded to a few
    fixed shapes (`static_batches`); batches are padded and weighted to
    split evenly (`even_batches`) and sharded by data.
    """
    task.replicas = strategy.num_replicas_in_sync
    batch_size = task.config.batch_size * task.replicas
    if task.replicas > 1:
        logger.info(
            "%s over %d replicas: global batch %d",
            type(strategy).__name__,
            task.replicas,
            batch_size,
        )
    static = task.config.static_shapes
    if static is None:
        static = isinstance(strategy, tf.distribute.TPUStrategy)
    datasets = []
    for split in ("train", "validation"):
        dataset = task.dataset(splits[split], training=split == "train", origin=origins[split])
        if static:
            dataset = distribute.static_batches(
                dataset, batch_size, per_step=task.loss_mask is not None
            )
        dataset = distribute.even_batches(dataset, task.replicas, token_mask=task.loss_mask)
        datasets.append(distribute.distribute_dataset_options(dataset))
    return tuple(datasets)


def prepare(task, strategy=None):
    """Loads the task's data, fits its preprocessing and makes the datasets for `fit`.

    Args:
        task: a configured task (`configure`), or a `dict` config. With
            `init_from` (`configure` made it the continued model's task,
            preprocessing fitted), the model's weights are read instead.
        strategy: optional `tf.distribute.Strategy`. Defaults to the one the
            task's `strategy` option names.

    Returns:
        A `Prepared`.
    """
    if isinstance(task, dict):
        task = configure(task, required=("data",))
    strategy = strategy or get_strategy(task)
    weights = None
    if task.config.init_from:
        weights = initial_weights(task)
        logger.info("continuing the %s model of %s", task.name, task.config.init_from)
    keras.utils.set_random_seed(task.config.seed)
    splits, origins = load_splits(task)
    for split, examples in splits.items():
        logger.info("%s: %s from %s", split, count(examples), origins[split])
    if weights is None:
        task.prepare(splits["train"])
    task.check_prepared()
    train_data, valid_data = fit_datasets(task, splits, origins, strategy)
    if "test" in splits:
        # Encoding checks the data (unknown labels or tags): fail before training.
        task.dataset(splits["test"], training=False, origin=origins["test"])
    return Prepared(task, strategy, splits, origins, train_data, valid_data, weights)


def count(examples):
    """How many examples `examples` holds, in words."""
    if hasattr(examples, "describe"):
        return examples.describe()
    if isinstance(examples, str):
        return f"{len(examples):,} characters"
    if isinstance(examples, tuple) and len(examples) == 2 and isinstance(examples[1], int):
        return f"{len(examples[0]) - examples[1]:,} values (after {examples[1]:,} of context)"
    if isinstance(examples, tuple):
        return f"{len(examples[0]):,} examples"
    return f"{len(examples):,} examples"
