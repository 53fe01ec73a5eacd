"""A trained model folder: its files, and loading it back with every check.

| file | what |
|---|---|
| `model.keras` | the Keras model (best validation epoch; with `ema_momentum`, the weight average) |
| `task.json` | the task, its options and fitted preprocessing (vocabularies, labels, statistics) |
| `metrics.json` | scores on the test split (or validation), training time, epochs |
| `history.csv`, `training_curves.png` | per-epoch metrics and their plot |
| `attention.png` | seq2seq with attention: one decoded example's weights |
| `backtest.png` | forecast: the rolling-origin backtest of the first series |
| `logs/` | TensorBoard |
| `checkpoint/best.weights.h5` | the best epoch's weights |
| `1/`, `2/`, ... | SavedModel exports (TensorFlow Serving's numbered layout) |
| `tflite/`, `onnx/` | numeric exports |
| `workers/TYPE-INDEX/` | `multi_worker`: another worker's history, logs and best checkpoint |
| `tuning_trials.csv`, `tuning_trials.json`, `tuning_objective.png` | a tuning job's trials |
"""

import json
import os

import keras

from rnn_keras.config import RENAMED
from rnn_keras.config import ConfigError
from rnn_keras.files import remote
from rnn_keras.tasks.task import TASK_FILE_FORMAT

MODEL_FILE = "model.keras"
TASK_FILE = "task.json"
METRICS_FILE = "metrics.json"
HISTORY_FILE = "history.csv"
CHECKPOINT_DIR = "checkpoint"
BACKUP_DIR = "backup"
# In the backup: the dropout seed generators' states (`RandomStateBackup`).
RANDOM_STATES = "random_states.npz"
WORKERS_DIR = "workers"
# What a tuning job writes beside the model.
TUNING_FILES = ("tuning_trials.csv", "tuning_trials.json", "tuning_objective.png")
# Every name the package writes in a model folder (numbered exports aside).
OWN_NAMES = {
    *TUNING_FILES,
    MODEL_FILE,
    TASK_FILE,
    METRICS_FILE,
    HISTORY_FILE,
    "training_curves.png",
    "attention.png",
    "backtest.png",
    "logs",
    CHECKPOINT_DIR,
    BACKUP_DIR,
    WORKERS_DIR,
    "tflite",
    "onnx",
}


class ModelFolderError(ValueError):
    """A model folder is missing, incomplete or inconsistent; the message names the file."""


def holds_model(directory):
    """Whether `directory` holds a trained model (`model.keras` and `task.json`)."""
    return all(remote.isfile(remote.join(directory, name)) for name in (MODEL_FILE, TASK_FILE))


def foreign_entries(directory):
    """The entries of `directory` the package did not write (sorted names)."""
    return sorted(
        name
        for name in remote.listdir(directory)
        if name not in OWN_NAMES and not name.isdigit() and not name.startswith(".")
    )


def check_no_foreign_entries(directory):
    """Raises `FileExistsError` if `directory` holds files the package did not write.

    A run that replaces a model folder would delete them with it; it
    refuses first, and a run never deletes what it did not write.
    """
    foreign = foreign_entries(directory)
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise FileExistsError(
            f"{directory} holds files rnn-keras did not write ({shown}); move them away or "
            "choose another folder (a run never deletes what it did not write)"
        )


def read_task_file(path):
    """`(task name, config dict, state dict)` of a `task.json`, checked; errors name the file.

    Files written before options were renamed (format 1) are read with the
    new names.
    """
    try:
        saved = json.loads(remote.read_text(path))
    except FileNotFoundError:
        raise ModelFolderError(f"{path}: not found; is {os.path.dirname(path)} a model folder?")
    except (ValueError, UnicodeDecodeError) as error:
        raise ModelFolderError(f"{path}: not valid JSON ({error}); the file is damaged") from None
    if not isinstance(saved, dict):
        raise ModelFolderError(f"{path}: expected a JSON object with task, config and state")
    for key, kind in (("task", str), ("config", dict), ("state", dict)):
        if not isinstance(saved.get(key), kind):
            raise ModelFolderError(
                f"{path}: expected `{key}` to be a {kind.__name__}, got {saved.get(key)!r:.80}"
            )
    config = dict(saved["config"])
    if saved.get("format", 1) < TASK_FILE_FORMAT:
        config = {RENAMED.get(key, key): value for key, value in config.items()}
    return saved["task"], config, saved["state"]


def task_from_file(path):
    """The trained task a `task.json` describes; errors name the file."""
    from rnn_keras.tasks import make_task

    name, config, state = read_task_file(path)
    try:
        task = make_task(name, config, state, sources={key: path for key in [*config, "task"]})
    except ConfigError as error:
        raise ModelFolderError(f"{path}: {error}") from None
    try:
        task.check_state()
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFolderError(f"{path}: the fitted state is damaged ({error!r})") from None
    return task


def load(directory):
    """`(task, model)` of a trained model folder, checked against each other.

    Raises:
        ModelFolderError: naming the file when `task.json` or `model.keras`
            is missing or damaged, or when they do not belong together
            (vocabulary or labels of another size than the model's).
    """
    directory = os.fspath(directory)
    task = task_from_file(remote.join(directory, TASK_FILE))
    model_path = remote.join(directory, MODEL_FILE)
    if not remote.isfile(model_path):
        raise ModelFolderError(f"{model_path}: not found; is {directory} a model folder?")
    try:
        model = keras.models.load_model(model_path)
    except Exception as error:  # Keras raises many kinds for a damaged file
        message = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
        raise ModelFolderError(
            f"{model_path}: cannot be loaded ({type(error).__name__}: {message})"
        ) from None
    try:
        task.check_model(model)
    except ValueError as error:
        raise ModelFolderError(
            f"{directory}: {TASK_FILE} and {MODEL_FILE} do not belong together: {error}"
        ) from None
    return task, model
