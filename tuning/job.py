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

from rnn_keras import distribute
from rnn_keras.tasks.runner import check_strategy
from rnn_keras.tasks.runner import fit_datasets
from rnn_keras.tasks.runner import holds_finished_model
from rnn_keras.tasks.runner import load_splits
from rnn_keras.tasks.runner import make_task
from rnn_keras.tasks.runner import train
from rnn_keras.tasks.runner import write_json
from rnn_keras.tasks.task import logger
from rnn_keras.tasks.task import metric_direction
from rnn_keras.validation import check_one_of
from rnn_keras.validation import check_positive_int
from tuning.hypermodels import TaskHyperModel
from tuning.hypermodels import from_task_config
from tuning.hypermodels import to_task_config

TUNING_DEFAULTS = {
    "tuner": "random",
    "max_trials": 10,
    "objective": None,  # the task's monitor (val_loss unless set)
    "directory": "tuning_runs",
    "project": None,  # the output folder's name
    "executions_per_trial": 1,
    "max_failed_trials": 3,
}
# Task config entries the search covers (`rnn-keras train` names).
TUNABLE = (
    "cell",
    "units",
    "layers",
    "bidirectional",
    "dropout",
    "embedding_dim",
    "attention",
    "learning_rate",
    "clipnorm",
)
TRIAL_FILE = "rnn_keras_trial.json"
SUMMARY_CSV = "tuning_trials.csv"
SUMMARY_JSON = "tuning_trials.json"
SUMMARY_PLOT = "tuning_objective.png"


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


def tune(config, verbose="auto"):
    """Runs the search for `config` (train's options plus the tuning ones).

    Args:
        config: `dict`: `task`, `data`, `output` and any `rnn-keras train`
            option, plus `tuner` (`random`, `hyperband`, `bayesian`),
            `max_trials`, `objective` (a validation metric, e.g.
            `val_accuracy`; default the task's `monitor`), `directory` and
            `project` (where the search state lives), `executions_per_trial`
            and `max_failed_trials` (consecutive failures that stop the
            search). Searched entries given in `config` (e.g. `cell`) are
            fixed, not searched; `epochs` and `patience` bound each trial.
        verbose: Keras verbosity.

    Returns:
        `dict` with `best_hyperparameters`, `trials` (the summary rows) and
        `metrics` (the best model's `metrics.json`); `None` on a worker.

    Raises:
        TuningFailed: when no trial completed.
    """
    config = {**TUNING_DEFAULTS, **{k: v for k, v in config.items() if v is not None}}
    check_one_of("tuner", config["tuner"], tuple(TUNERS))
    for name in ("max_trials", "executions_per_trial", "max_failed_trials"):
        check_positive_int(name, config[name])
    where = role()
    output = config["output"]
    task = make_task(config["task"], config)
    strategy_name = check_strategy(task)
    if strategy_name == "multi_worker":
        raise ValueError(
            "Invalid value for argument `strategy`: a tuning job does not train its trials "
            "under 'multi_worker'; spread trials over machines with --chief/--worker, each "
            "trial on one machine (default, mirrored or tpu). Received: strategy='multi_worker'"
        )
    if where != "worker" and holds_finished_model(output) and not config.get("overwrite"):
        raise FileExistsError(
            f"{output} already holds a trained model; pass --overwrite to tune again"
        )
    objective_name = config["objective"] or task.config["monitor"]
    if not objective_name.startswith("val_"):
        raise ValueError(
            f"Invalid value for argument `objective`: expected a validation metric "
            f"(val_...). Received: objective={objective_name!r}"
        )
    direction = metric_direction(objective_name)

    keras.utils.set_random_seed(int(task.config["seed"]))
    splits, origins = load_splits(task, config)
    task.prepare(splits["train"])
    strategy = distribute.get_strategy(strategy_name, tpu=task.config["tpu"])
    train_data, valid_data = fit_datasets(task, splits, origins, strategy)
    fixed = from_task_config({name: config[name] for name in TUNABLE if name in config})
    hypermodel = TaskHyperModel(task, fixed=fixed)
    tuner = _make_tuner(config, hypermodel, objective_name, direction, strategy, output)
    stopped = None
    try:
        tuner.search(
            train_data,
            validation_data=valid_data,
            epochs=int(task.config["epochs"]),
            callbacks=[
                keras.callbacks.EarlyStopping(
                    monitor=objective_name, mode=direction, patience=int(task.config["patience"])
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
    best_values = to_task_config(hypermodel.space(best.hyperparameters.copy()))
    logger.info("best trial %s: %s", best.trial_id, best_values)
    train_config = {k: v for k, v in config.items() if k not in TUNING_DEFAULTS}
    train_config["monitor"] = objective_name  # early stopping and best epoch as in the trials
    metrics = train({**train_config, **best_values, "overwrite": True}, verbose=verbose)
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


def _make_tuner(config, hypermodel, objective_name, direction, strategy, output):
    arguments = dict(
        objective=keras_tuner.Objective(objective_name, direction),
        directory=config["directory"],
        project_name=config["project"] or os.path.basename(os.path.normpath(output)),
        overwrite=False,  # an existing search resumes
        seed=int(config.get("seed") or 0),
        executions_per_trial=int(config["executions_per_trial"]),
        max_consecutive_failed_trials=int(config["max_failed_trials"]),
        distribution_strategy=strategy if strategy.num_replicas_in_sync > 1 else None,
    )
    if config["tuner"] == "hyperband":
        arguments["max_epochs"] = int(hypermodel.task.config["epochs"])
    else:
        arguments["max_trials"] = int(config["max_trials"])
    return TUNERS[config["tuner"]](hypermodel, **arguments)


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
    temporary = os.path.join(output, SUMMARY_CSV + ".tmp")
    with open(temporary, "w", newline="") as f:
        f.write(text.getvalue())
    os.replace(temporary, os.path.join(output, SUMMARY_CSV))
    plots.objective_by_trial(rows, objective_name, os.path.join(output, SUMMARY_PLOT))
