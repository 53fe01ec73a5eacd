"""Flags and config files of `rnn-keras train`, `tune` and `demo`, generated from the typed configs.

Every flag is an option of a task's configuration class (`rnn_keras.tasks`)
or of the tuning job's (`rnn_keras.tuning.TuningConfig`): its type, range,
choices, help and default come from there, so `--help` and behaviour cannot
drift. A config file (YAML or JSON) holds the same names with underscores
(`batch_size: 64`); flags given on the command line override it; what
neither sets takes the task's default. Values are converted and checked by
the configuration classes, and an error names the option and where its
value came from (`--units`, `config file run.yaml`).
"""

import argparse
import collections
import dataclasses
import sys

from rnn_keras.config import describe_range
from rnn_keras.config import kind
from rnn_keras.config import read_config_file
from rnn_keras.tasks.configs import CONFIGS

GROUP_TITLES = {
    "data": "data and output",
    "model": "model",
    "training": "training",
    "distribution": "distribution",
    "search": "search",
}


def task_fields(task_names=None):
    """`{option name: (field, {task name: default})}` over the tasks, in declaration order."""
    fields = {}
    for task_name in task_names or CONFIGS:
        for field in dataclasses.fields(CONFIGS[task_name]):
            fields.setdefault(field.name, (field, {}))[1][task_name] = field.default
    return fields


def _shown(value):
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    return f"{value:g}" if isinstance(value, float) else str(value)


def help_text(field, defaults, task_names=None):
    """The help of an option: the tasks it belongs to, what it does, its range and default.

    Args:
        field: the option's dataclass field.
        defaults: `{task name: default}` of the tasks that have the option.
        task_names: the tasks whose flags are shown (default: every task).
    """
    text = field.metadata["help"].rstrip(".") + "."
    if set(defaults) != set(task_names or CONFIGS):
        text = f"{'/'.join(defaults)}: {text[0].lower()}{text[1:]}"
    bounds = describe_range(field)
    if bounds:
        text += f" A value {bounds}."
    counts = collections.Counter(_shown(v) for v in defaults.values())
    usual = counts.most_common(1)[0][0]
    others = [f"{task}: {_shown(v)}" for task, v in defaults.items() if _shown(v) != usual]
    if usual == "none" and not others and "(none:" in text:
        return text  # the help says what none means
    return text + f" Default: {usual}" + (f" ({', '.join(others)})" if others else "") + "."


def add_field_flag(parser, field, help_string):
    """Adds `--name` for a config field; its value is absent from the namespace unless given."""
    flag = "--" + field.name.replace("_", "-")
    base, _ = kind(field.type)
    choices = field.metadata.get("choices")
    if base is bool:
        parser.add_argument(
            flag, action=argparse.BooleanOptionalAction, default=argparse.SUPPRESS,
            help=help_string,
        )
    elif choices is not None:
        parser.add_argument(flag, choices=choices, default=argparse.SUPPRESS, help=help_string)
    else:
        # Converted and checked by the config class, which names the flag.
        metavar = {int: "N", float: "X", str: "TEXT"}[base]
        parser.add_argument(flag, default=argparse.SUPPRESS, metavar=metavar, help=help_string)


def add_task_flags(parser, task_names=None):
    """Adds `--config` and a flag per option of the tasks, in `--help` sections by group.

    Without `task_names`, every task's options and `--task` to pick one.
    """
    parser.add_argument("--config", help="YAML or JSON file of options; flags override it.")
    groups = ("data", "model", "training", "distribution")
    sections = {group: parser.add_argument_group(GROUP_TITLES[group]) for group in groups}
    if task_names is None:
        sections["data"].add_argument(
            "--task", choices=sorted(CONFIGS), default=argparse.SUPPRESS, help="What to learn."
        )
    for field, defaults in task_fields(task_names).values():
        help_string = help_text(field, defaults, task_names)
        add_field_flag(sections[field.metadata["group"]], field, help_string)


def add_config_flags(parser, config_class, title):
    """Adds a flag per option of `config_class` (e.g. the tuning job's), in one section."""
    section = parser.add_argument_group(title)
    for field in dataclasses.fields(config_class):
        add_field_flag(section, field, help_text(field, dict.fromkeys(CONFIGS, field.default)))


def add_run_flags(parser, export_help=None):
    """`--no-export` (with `export_help`) and `--verbose`, shared by `train`, `tune` and `demo`."""
    if export_help:
        parser.add_argument("--no-export", dest="export", action="store_false", help=export_help)
    add_verbose_flag(parser)


def add_verbose_flag(parser):
    """`--verbose`: Keras progress, and whether dependencies' own output is shown."""
    parser.add_argument(
        "--verbose",
        type=int,
        choices=(0, 1, 2),
        default=None,
        help="Progress: 0 none, 1 a bar, 2 a line per epoch and the output of TensorFlow, "
        "TFDS and the converters too (otherwise shown only on failure). Default: a bar on a "
        "terminal, a line per epoch otherwise.",
    )


def progress(args):
    """The Keras verbosity `--verbose` asks for (a bar only on a terminal by default)."""
    if args.verbose is not None:
        return args.verbose
    return 1 if sys.stderr.isatty() else 2


def option_values(args, defaults=None, defaults_source="defaults", exclude=()):
    """`(values, sources)`: `defaults` < config file (`args.config`) < flags given.

    Every key of the config file is kept (the config classes refuse the
    unknown ones, naming the file); flags are the options `argparse` saw,
    but for `exclude` (the subcommand's own arguments).
    """
    values = dict(defaults or {})
    sources = dict.fromkeys(values, defaults_source)
    path = getattr(args, "config", None)
    if path:
        from_file = read_config_file(path)
        values.update(from_file)
        sources.update(dict.fromkeys(from_file, f"config file {path}"))
    skip = {"config", "command", "run", "export", "verbose", *exclude}
    for key, value in vars(args).items():
        if key in skip or key.startswith("_"):
            continue
        values[key] = value
        sources[key] = "--" + key.replace("_", "-")
    return values, sources
