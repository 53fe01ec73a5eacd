"""Options the user leaves unset, resolved from the training data's profile.

Each task states its rules in its own folder (`tasks/<name>/defaults.py`):
a function from the data profile to a list of `Default`s, one option each,
with the reason a user reads in the log (`units=256: 118,964 pairs`). Flags
and config files always win: `resolve` only sets options that were not
given, and only when the config's `defaults` option is `"data"`.
"""

import contextlib
import contextvars
import dataclasses

from rnn_keras.tasks.common import logger

_QUIET = contextvars.ContextVar("rnn_keras_quiet_resolution", default=False)


@dataclasses.dataclass(frozen=True)
class Default:
    """An option's value resolved from the data, and why.

    Args:
        option: `str.` The option's name.
        value: its value.
        reason: `str.` What in the data (or which measurement) chose it.
    """

    option: str
    value: object
    reason: str


def resolve(config, defaults):
    """`(config, resolved)`: `config` with each default whose option was not given.

    Args:
        config: a task's `Config`; `config.given` names the options the user set.
        defaults: `list` of `Default`.

    Returns:
        The new config (checked as any config is, and with the same
        `given`) and a `dict` of the resolved options, name to
        `{"value", "reason"}`, in rule order.
    """
    if config.defaults != "data":
        return config, {}
    chosen = {d.option: d for d in defaults if d.option not in config.given}
    if not chosen:
        return config, {}
    resolved = dataclasses.replace(config, **{name: d.value for name, d in chosen.items()})
    resolved.given = dict(config.given)
    if not _QUIET.get():
        for name, default in chosen.items():
            logger.info("%s=%s: %s", name, _shown(getattr(resolved, name)), default.reason)
    return resolved, {
        name: {"value": getattr(resolved, name), "reason": d.reason} for name, d in chosen.items()
    }


@contextlib.contextmanager
def resolved_quietly(quiet=True):
    """Within it (with `quiet`), `resolve` logs nothing: the log showed these options already.

    The members of `--seeds` and the scoring of their average resolve the
    same options from the same data as the run that decided to train them.
    """
    token = _QUIET.set(bool(quiet))
    try:
        yield
    finally:
        _QUIET.reset(token)


def size_reason(count, what):
    """`"6,920 examples"`: the size a rule looked at."""
    return f"{count:,} {what}"


def _shown(value):
    return str(value).lower() if isinstance(value, bool) else value
