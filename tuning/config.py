"""The options of a tuning job, beside the task's own."""

import dataclasses
from typing import Optional

from rnn_keras.config import Config
from rnn_keras.config import option

TUNER_NAMES = ("random", "hyperband", "bayesian")


@dataclasses.dataclass
class TuningConfig(Config):
    """Options of `rnn-keras tune` that are not the task's."""

    context = "rnn-keras tune"

    tuner: str = option("random", "Search algorithm.", choices=TUNER_NAMES, group="search")
    max_trials: int = option(10, "Trials to run (random, bayesian).", minimum=1, group="search")
    objective: Optional[str] = option(
        None,
        "Validation metric to optimise, e.g. val_accuracy, val_entity_f1 (none: the task's "
        "--monitor).",
        group="search",
    )
    directory: str = option(
        "tuning_runs", "Folder of the search state (shared by chief and workers).", group="search"
    )
    project: Optional[str] = option(
        None, "Search name inside --directory (none: the --output folder's name).", group="search"
    )
    executions_per_trial: int = option(
        1, "Trainings per trial, averaged.", minimum=1, group="search"
    )
    max_failed_trials: int = option(
        3, "Consecutive failed trials that stop the search.", minimum=1, group="search"
    )
