"""`tune`: a KerasTuner search over a task's model, then the best model trained and exported.

What `rnn-keras tune` runs. The search state lives in
`directory/project` (KerasTuner's own files): running the same job again
after it was killed reloads it, keeps the finished trials and redoes the
one that was running. Once the search ends, the best trial's
hyperparameters train the model folder (`output`) exactly as `train` does
(test scores, plots, resumable), and the trials are summarised beside it:

| file | what |
|---|---|
| `tuning_trials.csv`, `tuning_trials.json` | one row per trial: id, status, tuner (worker), objective, hyperparameters, error |
| `tuning_objective.png` | the objective by trial, failed trials marked |

Distributed tuning is KerasTuner's chief/worker mode: with
`KERASTUNER_ORACLE_IP`/`KERASTUNER_ORACLE_PORT` set, the process whose
`KERASTUNER_TUNER_ID` is `chief` serves the oracle and, once every trial
has ended, summarises and trains the best model; the others (`tuner0`,
`tuner1`, ...) run trials and return `None`.
"""

import csv
import io
import json
import math
import os

import keras
import keras_tuner

from rnn_keras.config import ConfigError
from rnn_keras.files import write_json
from rnn_keras.files import write_text
from rnn_keras.runner.model_folder import TUNING_FILES
from rnn_keras.runner.model_folder import holds_model
from rnn_keras.runner.prepare import check_strategy
from rnn_keras.runner.prepare import configure
from rnn_keras.runner.prepare import prepare
from rnn_keras.runner.train import train
from rnn_keras.tasks.common import logger
from rnn_keras.tasks.common import metric_direction
from rnn_keras.tuning.config import TuningConfig
from rnn_keras.tuning.hypermodels import TaskHyperModel

# Task options the search covers (a given one is fixed instead).
TUNABLE = (
    "cell",
    "units",
    "num_layers",
    "bidirectional",
    "dropout",
    "embedding_dim",
    "attention",
    "learning_rate",
    "global_clipnorm",
)
TRIAL_FILE = "rnn_keras_trial.json"
SUMMARY_CSV, SUMMARY_JSON, SUMMARY_PLOT = TUNING_FILES


class TuningFailed(RuntimeError):
    """No trial of the search completed."""


class _RecordsWorker:
    """Writes which tuner (worker) ran each trial into the trial's folder."""

    def run_trial(self, trial, *args, **kwargs):
        folder = self.get_trial_dir(trial.trial_id)
        os.makedirs(folder, exist_ok=True)
        write_json(os.path.join(folder, TRIAL_FILE), {"tuner": self.tuner_id})
        return super().run_trial(trial, *args, **kwargs)


class RandomSearch(_RecordsWorker, keras_tuner.RandomSearch):
    pass


class Hyperband(_RecordsWorker, keras_tuner.Hyperband):
    pass


class BayesianOptimization(_RecordsWorker, keras_tuner.BayesianOptimization):
    pass


TUNERS = {"random": RandomSearch, "hyperband": Hyperband, "bayesian": BayesianOptimization}


def role():
    """`"chief"`, `"worker"` or `"local"`, from KerasTuner's environment variables."""
    if "KERASTUNER_ORACLE_IP" not in os.environ:
        return "local"
    for name in ("KERASTUNER_ORACLE_PORT", "KERASTUNER_TUNER_ID"):
        if name not in os.environ:
            raise ValueError(f"KERASTUNER_ORACLE_IP is set but {name} is not")
    return "chief" if os.environ["KERASTUNER_TUNER_ID"].startswith("chief") else "worker"


def split_options(config, sources=None):
    """`(tuning options, task options)` of a job's `dict` config, the tuning ones checked."""
    names = set(TuningConfig.option_names())
    tuning = {k: v for k, v in config.items() if k in names}
    rest = {k: v for k, v in config.items() if k not in names}
    sources = sources or {}
    return TuningConfig.from_values(tuning, {k: sources.get(k) for k in tuning}), rest


def tune(config, verbose="auto", sources=None, export=False):
    """Runs the search for `config` (train's options plus the tuning ones).

    Args:
        config: `dict`: `task`, `data`, `output` and any `rnn-keras train`
            option, plus the options of `TuningConfig`: `tuner` (`random`,
            `hyperband`, `bayesian`), `max_trials`, `objective` (a
            validation metric, e.g. `val_accuracy`; default the task's
            `monitor`), `directory` and `project` (where the search state
            lives), `executions_per_trial` and `max_failed_trials`
            (consecutive failures that stop the search). Searched options
            given in `config` (e.g. `cell`) are fixed, not searched;
            `epochs` and `patience` bound each trial.
        verbose: Keras verbosity.
        sources: optional `dict` of option name to where its value came
            from, named in errors.
        export: `bool.` Also export the best model's SavedModel to
            `output/1`. Defaults to `False`.

    Returns:
        `dict` with `best_hyperparameters`, `trials` (the summary rows) and
        `metrics` (the best model's `metrics.json`); `None` on a worker.

    Raises:
        TuningFailed: when no trial completed.
    """
    options, task_options = split_options(config, sources)
    if task_options.get("init_from"):
        raise ConfigError(
            "init_from",
            "continues one model's architecture; a search changes it (train with --init-from)",
            (sources or {}).get("init_from"),
        )
    task = configure(task_options, sources)
    # Trials are compared on held-out data however few the examples: the data
    # rules must not choose on the training data (`valid_fraction=0`).
    task.config.given.setdefault("valid_fraction", "tuning")
    # Each trial is one model: the data rules must not ask for several (`seeds`).
    if task.config.seeds > 1:
        raise ConfigError(
            "seeds",
            "averages several trained models; a trial trains one (train the best "
            "hyperparameters with --seeds)",
            task.config.given.get("seeds"),
        )
    task.config.given.setdefault("seeds", "tuning")
    where = role()
    output = task.config.output
    if check_strategy(task) == "multi_worker":
        raise ConfigError(
            "strategy",
            "a tuning job does not train its trials under 'multi_worker'; spread trials over "
            "machines with --chief/--worker, each trial on one machine (default, mirrored or "
            "tpu)",
            task.config.given.get("strategy"),
        )
    if where != "worker" and holds_model(output) and not task.config.overwrite:
        raise FileExistsError(
            f"{output} already holds a trained model; pass --overwrite to tune again"
        )
    objective_name = options.objective or task.config.monitor
    allowed = [f"val_{name}" for name in task.config.logged_metrics]
    if objective_name not in allowed:
        raise ConfigError(
            "objective",
            f"expected a validation metric of task {task.name}, one of {allowed}; got "
            f"{objective_name!r}",
            options.given.get("objective") or task.config.given.get("monitor"),
        )
    direction = metric_direction(objective_name)

    prepared = prepare(task)
    fixed = {name: getattr(task.config, name) for name in TUNABLE if name in task.config.given}
    hypermodel = TaskHyperModel(task, fixed=fixed)
    tuner = _make_tuner(options, hypermodel, objective_name, direction, prepared.strategy, output)
    stopped = None
    try:
        tuner.search(
            prepared.train_data,
            validation_data=prepared.valid_data,
            epochs=task.config.epochs,
            callbacks=[
                keras.callbacks.EarlyStopping(
                    monitor=objective_name, mode=direction, patience=task.config.patience
                )
            ],
            verbose=verbose,
        )
    except RuntimeError as error:
        if "consecutive failures" not in str(error):
            raise
        stopped = str(error).splitlines()[0]
        logger.warning("search stopped: %s", stopped)
    if where == "worker":
        logger.info("worker %s: no trials left", tuner.tuner_id)
        return None

    rows = trial_rows(tuner)
    print(format_table(rows, objective_name))
    completed = [r for r in rows if r["status"] == "COMPLETED" and r["objective"] is not None]
    if not completed:
        _write_summary(rows, objective_name, output)
        raise TuningFailed(
            f"every trial failed ({len(rows)} run{'s' if len(rows) != 1 else ''}); "
            f"see {os.path.join(output, SUMMARY_CSV)}"
            + (f"; {stopped}" if stopped else "")
        )
    best = tuner.oracle.get_best_trials(1)[0]
    best_values = hypermodel.space(best.hyperparameters.copy())
    logger.info("best trial %s: %s", best.trial_id, best_values)
    given = {name: getattr(task.config, name) for name in task.config.given}
    # Early stopping and the best epoch as in the trials.
    train_config = {"task": task.name, **given, **best_values, "monitor": objective_name}
    metrics = train({**train_config, "overwrite": True}, verbose=verbose, export=export)
    _write_summary(rows, objective_name, output)
    result = {
        "best_trial": best.trial_id,
        "best_hyperparameters": best_values,
        "objective": objective_name,
        "trials": rows,
        "metrics": metrics,
    }
    if stopped:
        result["stopped"] = stopped
    return result


def _make_tuner(options, hypermodel, objective_name, direction, strategy, output):
    task_config = hypermodel.task.config
    arguments = dict(
        objective=keras_tuner.Objective(objective_name, direction),
        directory=options.directory,
        project_name=options.project or os.path.basename(os.path.normpath(output)),
        overwrite=False,  # an existing search resumes
        seed=task_config.seed,
        executions_per_trial=options.executions_per_trial,
        max_consecutive_failed_trials=options.max_failed_trials,
        distribution_strategy=strategy if strategy.num_replicas_in_sync > 1 else None,
    )
    if options.tuner == "hyperband":
        arguments["max_epochs"] = task_config.epochs
    else:
        arguments["max_trials"] = options.max_trials
    return TUNERS[options.tuner](hypermodel, **arguments)


def trial_rows(tuner):
    """One summary `dict` per trial, in trial order."""
    rows = []
    for trial_id in sorted(tuner.oracle.trials):
        trial = tuner.oracle.trials[trial_id]
        record = os.path.join(tuner.get_trial_dir(trial_id), TRIAL_FILE)
        ran_by = None
        if os.path.isfile(record):
            with open(record) as f:
                ran_by = json.load(f)["tuner"]
        score = trial.score
        rows.append(
            {
                "trial": trial_id,
                "status": trial.status,
                "tuner": ran_by,
                "objective": float(score) if score is not None and math.isfinite(score) else None,
                "hyperparameters": dict(trial.hyperparameters.values),
                "error": _last_line(trial.message),
            }
        )
    return rows


def _last_line(message):
    lines = [line.strip() for line in (message or "").splitlines() if line.strip()]
    return lines[-1] if lines else None


def format_table(rows, objective_name):
    """The trials as a plain-text table."""
    names = sorted({name for row in rows for name in row["hyperparameters"]})
    header = ["trial", "status", "tuner", objective_name] + names + ["error"]
    lines = [header]
    for row in rows:
        value = row["objective"]
        lines.append(
            [row["trial"], row["status"], row["tuner"] or "-"]
            + ["-" if value is None else f"{value:.4g}"]
            + [_short(row["hyperparameters"].get(name, "-")) for name in names]
            + [(row["error"] or "")[:60]]
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)).rstrip()
        for line in lines
    )


def _short(value):
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _write_summary(rows, objective_name, output):
    from rnn_keras import plots  # matplotlib: imported only when plotting

    os.makedirs(output, exist_ok=True)
    write_json(os.path.join(output, SUMMARY_JSON), {"objective": objective_name, "trials": rows})
    names = sorted({name for row in rows for name in row["hyperparameters"]})
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["trial", "status", "tuner", objective_name] + names + ["error"])
    for row in rows:
        writer.writerow(
            [row["trial"], row["status"], row["tuner"] or "", row["objective"]]
            + [row["hyperparameters"].get(name, "") for name in names]
            + [row["error"] or ""]
        )
    write_text(os.path.join(output, SUMMARY_CSV), text.getvalue())
    plots.objective_by_trial(rows, objective_name, os.path.join(output, SUMMARY_PLOT))
