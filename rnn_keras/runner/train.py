"""`train`: options → data → fit → scores → model folder, as one transaction."""

import os
import platform

import keras
import sacrebleu
import tensorflow as tf

from rnn_keras import distribute
from rnn_keras.compat import build_before_fit
from rnn_keras.compat import enable_multi_worker_fit
from rnn_keras.files import json_safe
from rnn_keras.files import read_json
from rnn_keras.files import save_model
from rnn_keras.files import write_json
from rnn_keras.runner.callbacks import read_history
from rnn_keras.runner.callbacks import training_callbacks
from rnn_keras.runner.model_folder import BACKUP_DIR
from rnn_keras.runner.model_folder import CHECKPOINT_DIR
from rnn_keras.runner.model_folder import HISTORY_FILE
from rnn_keras.runner.model_folder import METRICS_FILE
from rnn_keras.runner.model_folder import TASK_FILE
from rnn_keras.runner.model_folder import MODEL_FILE
from rnn_keras.runner.prepare import configure
from rnn_keras.runner.prepare import get_strategy
from rnn_keras.runner.prepare import prepare
from rnn_keras.runner.resume import agree_on_resume
from rnn_keras.runner.resume import restorable
from rnn_keras.runner.resume import skip_shuffles
from rnn_keras.runner.resume import steps_per_epoch
from rnn_keras.runner.seeds import resolve_seeds
from rnn_keras.runner.seeds import train_seeds
from rnn_keras.runner.staging import TrainingFolder
from rnn_keras.tasks.common import logger
from rnn_keras.version import __version__

BEST_WEIGHTS = os.path.join(CHECKPOINT_DIR, "best.weights.h5")


def train(config, verbose="auto", sources=None, export=False):
    """Trains `config["task"]` on `config["data"]` and writes the model folder `config["output"]`.

    Every option is checked before any data is read. The run writes into a
    staging folder beside `output` under a lock and swaps it into place once
    the model is saved, scored (and exported): a run that fails leaves
    `output` as it was (see `rnn_keras.runner.staging`). An interrupted run
    resumes when the same command runs again: `BackupAndRestore` puts back
    the weights, optimizer and epoch; the best checkpoint, history and early
    stopping continue.

    Under `strategy="multi_worker"` every worker runs this with the same
    config; the chief writes the model folder, the others their own state
    in `output/workers/NAME`. With `seeds > 1` (given, or resolved from a
    classifier's data: `resolve_seeds`, the one case where data are read
    before training starts) it trains one model per seed and writes their
    average (`rnn_keras.runner.seeds`).

    Args:
        config: `dict`: `task`, `data`, `output` and the task's options.
        verbose: Keras verbosity of `fit`.
        sources: optional `dict` of option name to where its value came
            from, named in errors.
        export: `bool.` Also write the SavedModel to `output/1`. Defaults
            to `False`.

    Returns:
        `dict`: the contents of `metrics.json`; on a worker other than the
        chief, `{"task", "worker", "epochs"}`.
    """
    task = resolve_seeds(configure(config, sources), config, sources)
    if task.config.seeds > 1:
        return train_seeds(task, config, train, verbose, sources, export)
    # First: `MultiWorkerMirroredStrategy` configures collective ops, which must
    # happen before TensorFlow runs anything.
    strategy = get_strategy(task)
    folder = TrainingFolder(task.config.output, distribute.worker_name(strategy))
    folder.open(task.config)
    try:
        if folder.complete:  # finished, but stopped before it was swapped in
            metrics = read_json(os.path.join(folder.staging, METRICS_FILE))
            folder.commit()
            return metrics
        prepared = prepare(task, strategy)
        folder.start(prepared.task)
        model = _fit(prepared, folder, verbose)
        if folder.worker is not None:
            epochs = len(read_history(folder.path(HISTORY_FILE)).get(task.config.monitor, []))
            logger.info("%s: trained %d epochs; the chief writes the model", folder.worker, epochs)
            return {"task": task.name, "worker": folder.worker, "epochs": epochs}
        metrics = _finish(prepared, folder, model, export)
        folder.commit()
        return metrics
    finally:
        folder.close()


def _fit(prepared, folder, verbose):
    """Builds the model and fits it (unless a resumed run finished that); best weights loaded."""
    task, strategy = prepared.task, prepared.strategy
    with strategy.scope():
        model = task.build_model()
        if prepared.initial_weights is not None:
            model.set_weights(prepared.initial_weights)
    enable_multi_worker_fit(model)
    build_before_fit(model, prepared.train_data)
    history_path, best_path = folder.path(HISTORY_FILE), folder.path(BEST_WEIGHTS)
    if not folder.fit_done:
        backup = folder.path(BACKUP_DIR)
        done = agree_on_resume(strategy, backup)
        if done and not restorable(model, backup, task.config.overwrite):
            folder.start_over()
            done = 0
        os.makedirs(os.path.dirname(best_path), exist_ok=True)
        previous = read_history(history_path).get(task.config.monitor, [])
        train_data = prepared.train_data
        if done:
            logger.info("resuming from %s (%d epochs done)", backup, done)
            train_data = skip_shuffles(train_data, strategy, done)
        callbacks = training_callbacks(
            task, model, folder.workdir, backup, history_path, best_path, previous
        )
        model.fit(
            train_data,
            validation_data=prepared.valid_data,
            epochs=task.config.epochs,
            # Given, Keras draws one iterator per epoch, as `skip_shuffles` counts
            # (with only the dataset's cardinality known, it draws two).
            steps_per_epoch=steps_per_epoch(prepared.train_data),
            callbacks=callbacks,
            shuffle=False,  # The datasets shuffle themselves.
            verbose=verbose,
        )
        folder.mark_fit_done(len(read_history(history_path).get(task.config.monitor, [])))
    if distribute.in_multi_worker_mode(strategy):
        # Every worker has written its files before the chief swaps the folder.
        strategy.gather(tf.constant([1]), axis=0)
    if os.path.exists(best_path):
        model.load_weights(best_path)
    return model


def _finish(prepared, folder, model, export):
    """The chief saves, scores, plots (and exports) the model; `metrics.json` comes last."""
    task, splits, origins = prepared.task, prepared.splits, prepared.origins
    model_path = folder.path(MODEL_FILE)
    save_model(model, model_path)
    if distribute.in_multi_worker_mode(prepared.strategy):
        # Scoring alone must not wait on the other workers' collectives.
        model = keras.models.load_model(model_path)
    if task.calibrate(model, splits):
        write_json(folder.path(TASK_FILE), task.get_config())
    score_split = "test" if "test" in splits else "validation"
    scores = task.evaluate(model, splits[score_split], origin=origins[score_split])
    history = read_history(folder.path(HISTORY_FILE))
    monitor, pick = task.config.monitor, (min if task.monitor_mode == "min" else max)
    values = history.get(monitor, [])
    metrics = {
        "task": task.name,
        "data": {split: str(origin) for split, origin in origins.items()},
        "scored_on": score_split,
        score_split: scores,
        "epochs": len(values),
        "best_epoch": values.index(pick(values)) + 1 if values else None,
        "monitor": monitor,
        "best_" + monitor: pick(values) if values else None,
        "training_seconds": sum(history.get("epoch_seconds", [])),
        "versions": versions(),
    }
    if history:
        from rnn_keras import plots  # matplotlib: imported only when plotting

        plots.training_curves(
            {k: v for k, v in history.items() if k != "epoch_seconds"},
            folder.path("training_curves.png"),
            monitor=monitor,
            best_epoch=metrics["best_epoch"],
        )
    task.plots(model, splits[score_split], folder.workdir)
    if export:
        from rnn_keras.export import export_saved_model

        export_saved_model(task, model, folder.path("1"), overwrite=True)
    metrics = json_safe(metrics)
    write_json(folder.path(METRICS_FILE), metrics)
    return metrics


def versions():
    """The versions a run used: `rnn_keras`, TensorFlow, Keras, sacreBLEU, Python (`metrics.json`)."""
    return {
        "rnn_keras": __version__,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "sacrebleu": sacrebleu.__version__,
        "python": platform.python_version(),
    }
