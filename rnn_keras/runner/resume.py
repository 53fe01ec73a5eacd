"""Resuming an interrupted `fit` where it stopped, on one machine or several.

`BackupAndRestore` keeps the weights, optimizer and epoch after every
epoch, `RandomStateBackup` the dropout seed generators' states. A rerun
restores them; `skip_shuffles` makes the data of the resumed
epochs come in the order they would have, and `agree_on_resume` makes every
worker of a multi-worker run restart from the same epoch.
"""

import json
import os
import warnings

import tensorflow as tf

from rnn_keras import distribute
from rnn_keras.runner.model_folder import RANDOM_STATES
from rnn_keras.runner.staging import ResumeMismatch
from rnn_keras.tasks.common import logger

# Where `keras.callbacks.BackupAndRestore` keeps the weights and optimizer.
BACKUP_WEIGHTS = "latest.weights.h5"


def epochs_done(backup, previous=False):
    """The epochs `BackupAndRestore` in `backup` recorded as finished (or its previous copy)."""
    path = os.path.join(backup, "training_metadata.json" + (".bkp" if previous else ""))
    if not os.path.isfile(path):
        return 0
    with open(path) as f:
        return int(json.load(f)["epoch"])


def agree_on_resume(strategy, backup):
    """The finished epochs this worker resumes from, the same on every worker.

    Under `multi_worker` every worker restores its own backup, and they must
    restart from the same epoch. A worker killed between the workers'
    epoch-end saves leaves the others one epoch ahead of it; they roll back
    to their previous epoch's backup, kept by `double_checkpoint`. Every
    worker calls this (it gathers across them) whether it has a backup or not.
    """
    done = epochs_done(backup)
    if not distribute.in_multi_worker_mode(strategy):
        return done
    agreed = int(tf.reduce_min(strategy.gather(tf.constant([done]), axis=0)))
    if agreed < done:
        roll_back(backup, agreed)
    return agreed


def restorable(model, backup, overwrite):
    """Whether `backup` restores into `model`; if not, refused, or `False` with `overwrite`.

    The interrupted run's options were checked against this run's
    (`TrainingFolder`), but a backup written by another version of the
    package can hold another model for the same options (a layer added or
    renamed), which Keras's restore refuses deep inside `fit`. Its weights
    are loaded here first (the model then holds them, as `BackupAndRestore`
    restores them anyway); when they do not load, the model's and
    optimizer's variables are put back as they were.

    Returns:
        `True` when it loads (or holds no weights), `False` when it does not
        and `overwrite` is on: the caller starts over
        (`TrainingFolder.start_over`).

    Raises:
        ResumeMismatch: it does not load and `overwrite` is off.
    """
    weights = os.path.join(backup, BACKUP_WEIGHTS)
    if not os.path.isfile(weights):
        return True
    variables = list(model.variables)
    if model.optimizer is not None:
        variables += list(model.optimizer.variables)
    values = [variable.numpy() for variable in variables]
    try:
        with warnings.catch_warnings():
            # What Keras warns of here is in the error raised (under a strategy
            # the optimizer is built by the restore in `fit`).
            warnings.simplefilter("ignore")
            model.load_weights(weights)
        return True
    except ValueError as error:
        for variable, value in zip(variables, values):  # a failed load may have set some
            variable.assign(value)
        reason = str(error).strip().splitlines()[0].rstrip(":")
        if not overwrite:
            raise ResumeMismatch(
                f"{backup} holds an interrupted training with these options whose model does "
                f"not load into this run's (written by another version of rnn_keras?): "
                f"{reason}; pass --overwrite to start over"
            ) from error
    logger.info("starting over: %s does not load into this run's model", backup)
    return False


def roll_back(backup, epochs):
    """Makes `backup` the `BackupAndRestore` state after `epochs` epochs, from its previous copy."""
    latest = (BACKUP_WEIGHTS, "training_metadata.json", RANDOM_STATES)
    if epochs and epochs_done(backup, previous=True) == epochs:
        for name in latest:
            if name != RANDOM_STATES or os.path.isfile(os.path.join(backup, f"{name}.bkp")):
                os.replace(os.path.join(backup, f"{name}.bkp"), os.path.join(backup, name))
        logger.info("rolled %s back to epoch %d, where the other workers resume", backup, epochs)
        return
    raise RuntimeError(
        f"{backup} holds {epochs_done(backup)} finished epochs and another worker's backup "
        f"{epochs}, with no copy of epoch {epochs} here to roll back to; remove every "
        "worker's backup folder to train from the start"
    )


def skip_shuffles(dataset, strategy, epochs):
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


def steps_per_epoch(dataset):
    """The batches of an epoch of `dataset` (`None` when unknown), to give `fit` explicitly.

    With `steps_per_epoch` given, Keras 3 iterates each epoch with one new
    iterator (made at the end of the epoch before); with only the dataset's
    cardinality known it makes a second one at each epoch's start. The
    training data reshuffle per iterator, so `skip_shuffles` must know
    which; one per epoch is what it counts.
    """
    batches = int(dataset.cardinality())
    return batches if batches > 0 else None
