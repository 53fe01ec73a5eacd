"""`Config`: the base of every typed configuration (a task's options, a tuning job's)."""

import dataclasses
import difflib

from rnn_keras.config.option import ConfigError
from rnn_keras.config.option import convert

# Options renamed since earlier releases: a config file (or task.json) that
# still uses the old name gets an error that says the new one.
RENAMED = {
    "layers": "num_layers",
    "clipnorm": "global_clipnorm",
    "split": "tokenize",
    "max_length": "max_input_length",
}


@dataclasses.dataclass
class Config:
    """Options as typed dataclass fields, converted and checked on construction.

    Subclasses declare fields with `rnn_keras.config.option` and may check
    several fields together in `check()`. Every value is converted by
    `rnn_keras.config.option.convert` whether it came from a flag, a config
    file or Python, so `ClassifyConfig(units="16")` holds `16` and
    `ClassifyConfig(units="sixteen")` raises a `ConfigError` naming `units`.
    """

    # What the options configure, for error messages ("task classify").
    context = "this command"

    def __post_init__(self):
        # Which options were given, and where: `from_values` sets it.
        self.given = {}
        for field in dataclasses.fields(self):
            setattr(self, field.name, convert(field, getattr(self, field.name)))
        self.check()

    def check(self):
        """Checks between options; raises `ConfigError` naming the option at fault."""

    @classmethod
    def option_names(cls):
        return [field.name for field in dataclasses.fields(cls)]

    @classmethod
    def from_values(cls, values, sources=None):
        """A config from a `dict` of option values, checked; errors name each value's source.

        Args:
            values: `dict` of option name to value; missing options take
                their defaults.
            sources: optional `dict` of option name to where its value came
                from (`"--units"`, `"config file run.yaml"`).

        Raises:
            ConfigError: for an unknown option or an invalid value.
        """
        sources = sources or {}
        known = set(cls.option_names())
        for key in values:
            if key not in known:
                raise ConfigError(key, unknown_reason(key, known, cls.context), sources.get(key))
        try:
            config = cls(**values)
        except ConfigError as error:
            raise error.from_source(sources.get(error.key)) from None
        config.given = {key: sources.get(key, "python") for key in values}
        return config

    def to_dict(self):
        """The options as a JSON-able `dict`."""
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}

    def replace(self, **changes):
        """A copy with `changes`, checked as a new config is."""
        copy = dataclasses.replace(self, **changes)
        copy.given = {**getattr(self, "given", {}), **{k: "python" for k in changes}}
        return copy


def unknown_reason(key, known, context):
    """Why `key` is refused: not an option here, renamed, or misspelt."""
    if key in RENAMED and RENAMED[key] in known:
        return f"renamed `{RENAMED[key]}`"
    reason = f"not an option of {context}"
    close = difflib.get_close_matches(key, sorted(known), n=1)
    return reason + (f"; did you mean `{close[0]}`?" if close else "")
