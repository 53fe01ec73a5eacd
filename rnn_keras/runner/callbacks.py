"""The callbacks of a training run, and the per-epoch history they keep."""

import csv
import io
import os
import time

import keras
import numpy as np

from rnn_keras.files import write_bytes
from rnn_keras.runner.model_folder import RANDOM_STATES
from rnn_keras.runner.resume import epochs_done
from rnn_keras.tasks.common import logger


class EpochTimer(keras.callbacks.Callback):
    """Adds `epoch_seconds` to the epoch logs (so the history CSV records it)."""

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["epoch_seconds"] = time.perf_counter() - self.start


class RandomStateBackup(keras.callbacks.Callback):
    """Backs up the model's random states (dropout's seed generators) with every epoch.

    `BackupAndRestore` saves the weights and the optimizer but not the
    states of the seed generators that draw dropout masks, so a resumed run
    would draw the masks of its first epochs again and end at another
    model. This callback writes them to `backup/random_states.npz` at each
    epoch's end (the previous copy kept as `.bkp`, as `BackupAndRestore`
    keeps its own), with the epoch count, and puts them back when training
    starts from a backup of the same epoch.

    Args:
        backup: `str.` The `BackupAndRestore` folder.
    """

    def __init__(self, backup):
        super().__init__()
        self.backup = backup

    @property
    def states(self):
        return [v for v in self.model.variables if v.path.endswith("seed_generator_state")]

    def on_train_begin(self, logs=None):
        path = os.path.join(self.backup, RANDOM_STATES)
        if not os.path.isfile(path):
            return
        saved = np.load(path)
        states = self.states
        if int(saved["epochs"]) != epochs_done(self.backup) or len(saved.files) - 1 != len(states):
            logger.warning("%s does not match the backup's epoch or model; dropout draws anew",
                           path)
            return
        for i, variable in enumerate(states):
            variable.assign(saved[f"state_{i}"])

    def on_epoch_end(self, epoch, logs=None):
        path = os.path.join(self.backup, RANDOM_STATES)
        values = {f"state_{i}": keras.ops.convert_to_numpy(v) for i, v in
                  enumerate(self.states)}
        buffer = io.BytesIO()
        np.savez(buffer, epochs=epoch + 1, **values)
        if os.path.isfile(path):
            os.replace(path, path + ".bkp")
        write_bytes(path, buffer.getvalue())


class TimeLimit(keras.callbacks.Callback):
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


class ResumableEarlyStopping(keras.callbacks.EarlyStopping):
    """`EarlyStopping` that continues the count of a run it resumes.

    `previous` are the monitored values of the epochs already done: the best
    of them and the epochs since it are restored, so a resumed run stops at
    the epoch an uninterrupted one would.
    """

    def __init__(self, previous=(), **kwargs):
        super().__init__(**kwargs)
        self.previous = list(previous)

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        for value in self.previous:
            self.wait += 1
            improved = self.best is None or (
                value < self.best if self.mode == "min" else value > self.best
            )
            if improved:
                self.best, self.wait = value, 0


def read_history(path):
    """Per-epoch metrics from a `CSVLogger` file: `dict` name → list of floats."""
    if not os.path.isfile(path):
        return {}
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {key: [float(row[key]) for row in rows] for key in (rows[0] if rows else {})}


def training_callbacks(task, model, workdir, backup, history_path, best_path, previous):
    """The callbacks of `fit`, in the order they must run.

    Args:
        task: the task being trained (its `monitor`, `patience`, `max_minutes`).
        model: the compiled model (its optimizer tells if weights are averaged).
        workdir: the folder of TensorBoard logs.
        backup: the `BackupAndRestore` folder.
        history_path: the `CSVLogger` file.
        best_path: the best epoch's weights file.
        previous: the monitored values of epochs already done (a resumed run).
    """
    c = task.config
    mode = task.monitor_mode
    best_so_far = (min if mode == "min" else max)(previous) if previous else None
    callbacks = [
        # Keeps the previous epoch's state too (a multi-worker resume may need
        # it). First, so that it saves the trained weights, not their average.
        # The runner removes the backup once the model is saved.
        keras.callbacks.BackupAndRestore(backup, double_checkpoint=True, delete_checkpoint=False),
        RandomStateBackup(backup),
        EpochTimer(),
        keras.callbacks.CSVLogger(history_path, append=True),
    ]
    if model.optimizer.use_ema:
        # Validation, the best checkpoint and the saved model use the average.
        callbacks.append(keras.callbacks.SwapEMAWeights(swap_on_epoch=True))
    callbacks += [
        keras.callbacks.ModelCheckpoint(
            best_path,
            monitor=c.monitor,
            mode=mode,
            save_best_only=True,
            save_weights_only=True,
            initial_value_threshold=best_so_far,
        ),
        ResumableEarlyStopping(previous, monitor=c.monitor, mode=mode, patience=c.patience),
        keras.callbacks.TensorBoard(os.path.join(workdir, "logs")),
    ]
    if c.max_minutes:
        callbacks.append(TimeLimit(c.max_minutes))
    return callbacks
