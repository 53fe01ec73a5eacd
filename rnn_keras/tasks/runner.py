"""Train, load, evaluate and predict with a task: what the command line runs.

A trained model is a folder:

| file | what |
|---|---|
| `model.keras` | the Keras model (best validation epoch; with `ema_momentum`, the weight average) |
| `task.json` | the task, its hyperparameters and fitted preprocessing (vocabularies, labels, statistics) |
| `metrics.json` | scores on the test split (or validation), training time, epochs |
| `history.csv`, `training_curves.png` | per-epoch metrics and their plot |
| `attention.png` | seq2seq with attention: one decoded example's weights |
| `logs/` | TensorBoard |
| `checkpoint/best.weights.h5` | the best epoch's weights (kept across a resume) |
| `backup/` | only while training: `BackupAndRestore` state to resume from |
| `workers/TYPE-INDEX/` | `multi_worker`: another worker's history, logs, best checkpoint and backup |
"""

import contextlib
import csv
import json
import math
import os
import shutil
import time
import warnings

import keras
import tensorflow as tf

from rnn_keras import distribute
from rnn_keras.distribute import multi_worker_fit
from rnn_keras.data.sources import MissingSplit
from rnn_keras.data.sources import is_tfds
from rnn_keras.data.sources import load_examples
from rnn_keras.tasks.task import logger

MODEL_FILE = "model.keras"
TASK_FILE = "task.json"
METRICS_FILE = "metrics.json"
HISTORY_FILE = "history.csv"
WORKERS_DIR = "workers"


def make_task(name, config=None, state=None):
    """The `Task` subclass instance for `name`."""
    from rnn_keras.tasks import TASKS

    if name not in TASKS:
        raise ValueError(
            f"Invalid value for argument `task`. Expected one of {sorted(TASKS)}. "
            f"Received: task={name!r}"
        )
    return TASKS[name](config, state)


def load_splits(task, config):
    """`{"train", "validation", "test"}` examples and where each came from.

    TFDS and generated datasets give their own `validation` and `test`
    splits where they have them; otherwise `--valid`/`--test` files. A
    missing test split is held out of the training data when
    `test_fraction > 0` (forecasting always holds out the last `horizon`
    values), else scoring falls to the validation split; a missing
    validation split is held out of the training data (`valid_fraction`).
    """
    data = config["data"]
    column, data_dir = config.get("column"), config.get("data_dir")
    origins = {"train": data}
    splits = {"train": load_examples(task.name, data, "train", column, data_dir)}
    for split, key in (("validation", "valid"), ("test", "test")):
        spec = config.get(key) or (data if is_tfds(data) else None)
        if spec is None:
            continue
        try:
            splits[split] = load_examples(task.name, spec, split, column, data_dir)
            origins[split] = spec
        except MissingSplit:
            if config.get(key):
                raise
    test_fraction = float(task.config["test_fraction"])
    if "test" not in splits and (task.carve_test or test_fraction > 0):
        splits["train"], splits["test"] = task.split_off(
            splits["train"], test_fraction, int(task.config["seed"]) + 1
        )
        origins["test"] = f"{data} (held out)"
    if "validation" not in splits:
        fraction = float(task.config["valid_fraction"])
        splits["train"], splits["validation"] = task.split_off(
            splits["train"], fraction, int(task.config["seed"])
        )
        origins["validation"] = f"{data} (held out)"
    return splits, origins


class _EpochTimer(keras.callbacks.Callback):
    """Adds `epoch_seconds` to the epoch logs (so the history CSV records it)."""

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["epoch_seconds"] = time.perf_counter() - self.start


class _TimeLimit(keras.callbacks.Callback):
    """Stops after the epoch that would let the next one end past `minutes`."""

    def __init__(self, minutes):
        super().__init__()
        self.seconds = 60.0 * minutes

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        now = time.perf_counter()
        if now - self.start + (now - self.epoch_start) > self.seconds:
            logger.info("time limit: stopping after epoch %d", epoch + 1)
            self.model.stop_training = True


def read_history(path):
    """Per-epoch metrics from a `CSVLogger` file: `dict` name → list of floats."""
    if not os.path.isfile(path):
        return {}
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {key: [float(row[key]) for row in rows] for key in (rows[0] if rows else {})}


def write_json(path, value):
    """Writes JSON atomically (temporary file, then rename)."""
    temporary = f"{path}.tmp"
    with open(temporary, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(temporary, path)


def save_model(model, path):
    """Saves a `.keras` file atomically: a half-written file never replaces a good one."""
    temporary = f"{path}.tmp.keras"
    model.save(temporary)
    os.replace(temporary, path)


def holds_finished_model(output):
    """Whether `output` holds a trained model (not an interrupted training)."""
    return os.path.exists(os.path.join(output, MODEL_FILE)) and not os.path.isdir(
        os.path.join(output, "backup")
    )


@contextlib.contextmanager
def quiet_unknown_length():
    """Silences the warning Keras gives for bucketed datasets, which have no known length.

    Keras warns at the end of the first epoch that it "ran out of data",
    which is expected there.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*ran out of data")
        yield


def check_strategy(task):
    """The concrete strategy name of the task's config, checked against the other options."""
    name = distribute.resolve_strategy_name(task.config["strategy"], task.config["tpu"])
    if name == "multi_worker" and task.config.get("max_minutes"):
        # Each worker would stop at its own time while the others wait on it.
        raise ValueError(
            "Invalid value for argument `max_minutes`: a time limit cannot be used with "
            "strategy='multi_worker' (workers would stop apart); limit `epochs` instead. "
            f"Received: max_minutes={task.config['max_minutes']!r}"
        )
    return name


def _remove(path):
    """Removes the file or folder `path`, if there is one."""
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def fit_datasets(task, splits, origins, strategy):
    """The training and validation datasets for `fit` under `strategy`.

    Sets `task.replicas`, so batches hold `batch_size` examples per replica;
    under a TPU strategy (or `static_shapes`) batches are padded to a few
    fixed shapes (`static_batches`); batches are padded and weighted to
    split evenly (`even_batches`) and sharded by data.
    """
    task.replicas = strategy.num_replicas_in_sync
    batch_size = int(task.config["batch_size"]) * task.replicas
    if task.replicas > 1:
        logger.info(
            "%s over %d replicas: global batch %d",
            type(strategy).__name__,
            task.replicas,
            batch_size,
        )
    static = task.config.get("static_shapes")
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


def _epochs_done(backup, previous=False):
    """The epochs `BackupAndRestore` in `backup` recorded as finished (or its previous copy)."""
    path = os.path.join(backup, "training_metadata.json" + (".bkp" if previous else ""))
    if not os.path.isfile(path):
        return 0
    with open(path) as f:
        return int(json.load(f)["epoch"])


def _agree_on_resume(strategy, backup):
    """The finished epochs this worker resumes from, the same on every worker.

    Under `multi_worker` every worker restores its own backup, and they must
    restart from the same epoch. A worker killed between the workers'
    epoch-end saves leaves the others one epoch ahead of it; they roll back
    to their previous epoch's backup, kept by `double_checkpoint`. Every
    worker calls this (it gathers across them) whether it has a backup or not.
    """
    done = _epochs_done(backup)
    if not distribute.in_multi_worker_mode(strategy):
        return done
    agreed = int(tf.reduce_min(strategy.gather(tf.constant([done]), axis=0)))
    if agreed < done:
        roll_back(backup, agreed)
    return agreed


def roll_back(backup, epochs):
    """Makes `backup` the `BackupAndRestore` state after `epochs` epochs, from its previous copy."""
    latest = ("latest.weights.h5", "training_metadata.json")
    if epochs and _epochs_done(backup, previous=True) == epochs:
        for name in latest:
            os.replace(os.path.join(backup, f"{name}.bkp"), os.path.join(backup, name))
        logger.info("rolled %s back to epoch %d, where the other workers resume", backup, epochs)
        return
    raise RuntimeError(
        f"{backup} holds {_epochs_done(backup)} finished epochs and another worker's backup "
        f"{epochs}, with no copy of epoch {epochs} here to roll back to; remove every "
        "worker's backup folder to train from the start"
    )


def _skip_shuffles(dataset, strategy, epochs):
    """`dataset` set to shuffle its next pass as the pass after `epochs` passes would.

    The training data reshuffles on every pass from one seed, and each new
    iterator draws the next order. A resumed run creates (and drops) one
    iterator per finished epoch, so epoch `k` sees the order it would have
    seen without the interruption, and the run ends where an uninterrupted
    one does. Under a strategy, Keras iterates a distributed copy of the
    dataset, which is made here and returned.
    """
    if epochs and strategy is not tf.distribute.get_strategy():
        dataset = strategy.experimental_distribute_dataset(dataset)
    for _ in range(epochs):
        iter(dataset)
    return dataset


def train(config, verbose="auto"):
    """Trains `config["task"]` on `config["data"]` and writes the model folder.

    Interrupted training resumes: rerun with the same `output` and the
    `BackupAndRestore` state in `output/backup` puts back the weights,
    optimizer and epoch; the best checkpoint and history continue.

    Under `strategy="multi_worker"` every worker runs this with the same
    config; the chief writes the model folder, the others their own state
    in `output/workers/NAME` (see the module docstring).

    Returns:
        `dict`: the contents of `metrics.json`; on a worker other than the
        chief, `{"task", "worker", "epochs"}`.
    """
    output = config["output"]
    task = make_task(config["task"], config)
    # First: `MultiWorkerMirroredStrategy` configures collective ops, which must
    # happen before TensorFlow runs anything.
    strategy = distribute.get_strategy(check_strategy(task), tpu=task.config["tpu"])
    worker = distribute.worker_name(strategy)
    # Only the chief writes the model; another worker keeps its backup,
    # history and logs in `output/workers/NAME`.
    workdir = output if worker is None else os.path.join(output, WORKERS_DIR, worker)
    model_path = os.path.join(output, MODEL_FILE)
    backup = os.path.join(workdir, "backup")
    if worker is None and holds_finished_model(output):
        if not config.get("overwrite"):
            raise FileExistsError(
                f"{output} already holds a trained model; pass --overwrite to train again"
            )
        for name in set(os.listdir(output)) - {WORKERS_DIR}:
            _remove(os.path.join(output, name))
    if not os.path.isdir(backup):  # A fresh start: no leftovers of an earlier run.
        for leftover in (HISTORY_FILE, "checkpoint"):
            _remove(os.path.join(workdir, leftover))
    os.makedirs(workdir, exist_ok=True)
    keras.utils.set_random_seed(int(task.config["seed"]))

    splits, origins = load_splits(task, config)
    for split, examples in splits.items():
        logger.info("%s: %s from %s", split, _count(examples), origins[split])
    task.prepare(splits["train"])
    if worker is None:
        write_json(os.path.join(output, TASK_FILE), task.get_config())
    with strategy.scope():
        model = task.build_model()
    multi_worker_fit.enable(model)
    train_data, valid_data = fit_datasets(task, splits, origins, strategy)
    if "test" in splits:
        # Encoding checks the data (unknown labels or tags): fail before training.
        task.dataset(splits["test"], training=False, origin=origins["test"])

    history_path = os.path.join(workdir, HISTORY_FILE)
    best_path = os.path.join(workdir, "checkpoint", "best.weights.h5")
    os.makedirs(os.path.dirname(best_path), exist_ok=True)
    monitor, mode = task.config["monitor"], task.monitor_mode
    previous = read_history(history_path).get(monitor, [])
    best_so_far = (min if mode == "min" else max)(previous) if previous else None
    done = _agree_on_resume(strategy, backup)
    if done:
        logger.info("resuming from %s (%d epochs done)", backup, done)
        train_data = _skip_shuffles(train_data, strategy, done)
    callbacks = [
        # Keeps the previous epoch's state too (`_agree_on_resume` may need it).
        # First, so that it saves the trained weights, not their average.
        keras.callbacks.BackupAndRestore(backup, double_checkpoint=True),
        _EpochTimer(),
        keras.callbacks.CSVLogger(history_path, append=True),
    ]
    if model.optimizer.use_ema:
        # Validation, the best checkpoint and the saved model use the average.
        callbacks.append(keras.callbacks.SwapEMAWeights(swap_on_epoch=True))
    callbacks += [
        keras.callbacks.ModelCheckpoint(
            best_path,
            monitor=monitor,
            mode=mode,
            save_best_only=True,
            save_weights_only=True,
            initial_value_threshold=best_so_far,
        ),
        keras.callbacks.EarlyStopping(
            monitor=monitor, mode=mode, patience=int(task.config["patience"])
        ),
        keras.callbacks.TensorBoard(os.path.join(workdir, "logs")),
    ]
    if task.config.get("max_minutes"):
        callbacks.append(_TimeLimit(float(task.config["max_minutes"])))
    start = time.perf_counter()
    with quiet_unknown_length():
        model.fit(
            train_data,
            validation_data=valid_data,
            epochs=int(task.config["epochs"]),
            callbacks=callbacks,
            shuffle=False,  # The datasets shuffle themselves.
            verbose=verbose,
        )
    seconds = time.perf_counter() - start
    history = read_history(history_path)
    if worker is not None:
        epochs = len(history.get(monitor, []))
        logger.info("%s: trained %d epochs; the chief writes the model", worker, epochs)
        return {"task": task.name, "worker": worker, "epochs": epochs}
    if os.path.exists(best_path):
        model.load_weights(best_path)
    save_model(model, model_path)
    if distribute.in_multi_worker_mode(strategy):
        # Scoring alone must not wait on the other workers' collectives.
        model = keras.models.load_model(model_path)
    score_split = "test" if "test" in splits else "validation"
    scores = task.evaluate(model, splits[score_split], origin=origins[score_split])
    values = history.get(monitor, [])
    pick = min if mode == "min" else max
    metrics = {
        "task": task.name,
        "data": origins,
        "scored_on": score_split,
        score_split: scores,
        "epochs": len(values),
        "best_epoch": values.index(pick(values)) + 1 if values else None,
        "monitor": monitor,
        "best_" + monitor: pick(values) if values else None,
        "training_seconds": sum(history.get("epoch_seconds", [])) or seconds,
    }
    write_json(os.path.join(output, METRICS_FILE), json_safe(metrics))
    if history:
        from rnn_keras import plots  # matplotlib: imported only when plotting

        plots.training_curves(
            {k: v for k, v in history.items() if k != "epoch_seconds"},
            os.path.join(output, "training_curves.png"),
        )
    task.plots(model, splits[score_split], output)
    return metrics


def load(directory):
    """`(task, model)` of a trained model folder."""
    task_path = os.path.join(directory, TASK_FILE)
    model_path = os.path.join(directory, MODEL_FILE)
    for path in (task_path, model_path):
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{path}: not found; is {directory} a trained model folder?")
    with open(task_path) as f:
        saved = json.load(f)
    task = make_task(saved["task"], saved["config"], saved["state"])
    return task, keras.models.load_model(model_path)


def evaluate(directory, data, split="test", column=None, data_dir=None):
    """Task scores of a trained model on `data` (a file or the named split)."""
    task, model = load(directory)
    column = column or task.config.get("column")
    examples = load_examples(task.name, data, split, column, data_dir)
    return task.evaluate(model, examples, origin=data)


def predict(directory, lines):
    """Predictions of a trained model for raw input lines."""
    task, model = load(directory)
    return task.predict(model, lines)


def _count(examples):
    if isinstance(examples, str):
        return f"{len(examples):,} characters"
    if isinstance(examples, tuple) and len(examples) == 2 and isinstance(examples[1], int):
        return f"{len(examples[0]) - examples[1]:,} values (after {examples[1]:,} of context)"
    if isinstance(examples, tuple):
        return f"{len(examples[0]):,} examples"
    return f"{len(examples):,} examples"


def json_safe(value):
    """JSON has no NaN/inf: replace them by `None`."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
