"""Typed options: a dataclass field per option, with its type, default, range and help.

An option is declared with `option(default, help, ...)` on a `Config`
dataclass and annotated with its type: `int`, `float`, `bool`, `str`, or
`typing.Optional` of one of them (then `None` is allowed). Values are
converted and checked by `convert`, the one place that decides what a value
means, whatever it came from (a flag, a config file, Python):

| type | accepts |
|---|---|
| `bool` | `True`/`False`, or the strings `true`, `false`, `yes`, `no` (any case) |
| `int` | integers, integral floats (`8.0`), strings of digits; never a bool |
| `float` | numbers and numeric strings, finite; never a bool |
| `str` | strings (an empty string is `None` where `None` is allowed) |

`choices`, `minimum` and `maximum` (each bound inclusive unless named
`exclusive`) restrict the value further.
"""

import dataclasses
import math
import numbers
import typing

_TRUE = ("true", "yes")
_FALSE = ("false", "no")
GROUPS = ("data", "model", "training", "distribution", "search")


class ConfigError(ValueError):
    """An invalid option value or an unknown option.

    The message names the option and, when known, where its value came from
    (`--units`, `config file run.yaml`).

    Args:
        key: `str.` The option's name.
        reason: `str.` What is wrong.
        source: `str` or `None.` Where the value came from.
    """

    def __init__(self, key, reason, source=None):
        self.key = key
        self.reason = reason
        self.source = source
        where = f" (from {source})" if source else ""
        super().__init__(f"option `{key}`{where}: {reason}")

    def from_source(self, source):
        """The same error, naming `source` as where the value came from."""
        return ConfigError(self.key, self.reason, source or self.source)


def option(
    default,
    help,
    *,
    choices=None,
    minimum=None,
    maximum=None,
    exclusive_minimum=False,
    exclusive_maximum=False,
    group="model",
):
    """A dataclass field for one option.

    Args:
        default: the value when the option is not given.
        help: `str.` One sentence for `--help`, without the default (the
            parser adds it).
        choices: optional tuple of the allowed values.
        minimum: optional lower bound of a number.
        maximum: optional upper bound of a number.
        exclusive_minimum: `bool.` `minimum` itself is not allowed.
            Defaults to `False`.
        exclusive_maximum: `bool.` `maximum` itself is not allowed.
            Defaults to `False`.
        group: `str.` The `--help` section: one of `GROUPS`. Defaults to
            `"model"`.
    """
    if group not in GROUPS:
        raise ValueError(f"Invalid value for argument `group`. Expected one of {GROUPS}. "
                         f"Received: group={group!r}")
    metadata = {
        "help": help,
        "choices": tuple(choices) if choices is not None else None,
        "minimum": minimum,
        "maximum": maximum,
        "exclusive_minimum": exclusive_minimum,
        "exclusive_maximum": exclusive_maximum,
        "group": group,
    }
    return dataclasses.field(default=default, metadata=metadata)


def with_default(config_class, name, default):
    """The field `name` of `config_class` with another default (for a task's own default)."""
    field = config_class.__dataclass_fields__[name]
    return dataclasses.field(default=default, metadata=field.metadata)


def kind(annotation):
    """`(type, optional)` of an option's annotation."""
    if typing.get_origin(annotation) is typing.Union:
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        return arguments[0], True
    return annotation, False


def convert(field, value):
    """`value` as the type of `field`, checked; raises `ConfigError` naming the field."""
    base, optional = kind(field.type)
    name = field.name
    if value is None or (optional and base is str and value == ""):
        if optional:
            return None
        raise ConfigError(name, f"expected {_describe(base)}, got None")
    value = _as_type(name, base, value)
    metadata = field.metadata
    choices = metadata.get("choices")
    if choices is not None and value not in choices:
        raise ConfigError(name, f"expected one of {list(choices)}, got {value!r}")
    _check_range(name, value, metadata)
    return value


def _describe(base):
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}[base]


def _as_type(name, base, value):
    if base is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        raise ConfigError(name, f"expected true/false/yes/no, got {value!r}")
    if base is int:
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise ConfigError(name, f"expected an integer, got {value!r}")
    if base is float:
        number = None
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                pass
        if number is None or not math.isfinite(number):
            raise ConfigError(name, f"expected a finite number, got {value!r}")
        return number
    if isinstance(value, str):
        return value
    raise ConfigError(name, f"expected a string, got {value!r}")


def _check_range(name, value, metadata):
    low, high = metadata.get("minimum"), metadata.get("maximum")
    if low is not None and (value < low or (metadata["exclusive_minimum"] and value == low)):
        relation = ">" if metadata["exclusive_minimum"] else ">="
        raise ConfigError(name, f"expected a value {relation} {low}, got {value!r}")
    if high is not None and (value > high or (metadata["exclusive_maximum"] and value == high)):
        relation = "<" if metadata["exclusive_maximum"] else "<="
        raise ConfigError(name, f"expected a value {relation} {high}, got {value!r}")


def describe_range(field):
    """`"in [0, 1)"`, `">= 1"`, ... for `--help`; `""` without bounds."""
    metadata = field.metadata
    low, high = metadata.get("minimum"), metadata.get("maximum")
    if low is not None and high is not None:
        left = "(" if metadata["exclusive_minimum"] else "["
        right = ")" if metadata["exclusive_maximum"] else "]"
        return f"in {left}{low:g}, {high:g}{right}"
    if low is not None:
        return f"{'>' if metadata['exclusive_minimum'] else '>='} {low:g}"
    if high is not None:
        return f"{'<' if metadata['exclusive_maximum'] else '<='} {high:g}"
    return ""
