"""`TASKS`: the one list of tasks; the command line, data sources and exports derive from it."""

from rnn_keras.config import ConfigError
from rnn_keras.tasks.classify.task import ClassifyTask
from rnn_keras.tasks.forecast.task import ForecastTask
from rnn_keras.tasks.generate.task import GenerateTask
from rnn_keras.tasks.seq2seq.task import Seq2SeqTask
from rnn_keras.tasks.tag.task import TagTask

TASKS = {
    task.name: task for task in (ClassifyTask, TagTask, Seq2SeqTask, GenerateTask, ForecastTask)
}


def task_class(name, source=None):
    """The `Task` subclass registered as `name`; `ConfigError` naming `source` otherwise."""
    if name not in TASKS:
        raise ConfigError("task", f"expected one of {sorted(TASKS)}, got {name!r}", source)
    return TASKS[name]


def make_task(name, config=None, state=None, sources=None):
    """The task `name`, configured by `config` (a `dict` of options or its config class).

    Args:
        name: `str`, a key of `TASKS`.
        config: `dict`, the task's config class instance, or `None` for
            the defaults.
        state: `dict` or `None.` A trained task's fitted preprocessing.
        sources: optional `dict` of option name to where its value came
            from, for errors.
    """
    cls = task_class(name, (sources or {}).get("task"))
    if isinstance(config, dict):
        config = cls.config_class.from_values(config, sources)
    return cls(config, state)
