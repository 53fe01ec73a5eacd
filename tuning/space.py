"""The search space shared by the hypermodels, with an explicit default for each entry.

| hyperparameter | values | default |
|---|---|---|
| `cell` | `vanilla`, `lstm`, `gru` | `lstm` |
| `units` | 16 to 256, doubling (log sampling) | 64 |
| `num_layers` | 1 to 3 | 1 |
| `bidirectional` | `False`, `True` (not for generators: they are causal) | the builder's |
| `dropout` | 0 to 0.5 in steps of 0.1 | 0 |
| `embedding_dim` | 16 to 256, doubling (token inputs only) | 64 |
| `attention` | `luong`, `bahdanau`, `none` (seq2seq only) | `luong` |
| `learning_rate` | 1e-4 to 1e-2 (log sampling) | 1e-3 |
| `global_clipnorm` | 0 (off), 0.5, 1, 5 | 1 |

The entries are named as the builders' arguments and the tasks' options
(`rnn-keras train --num-layers`), and hold option values: `global_clipnorm`
0 is off and `attention` `"none"` is none (`builder_arguments` turns them
into the builders' `None`). Each task declares its space
(`Task.search_space`): the entries above, `attention` for seq2seq.

An entry given as a fixed value (`fixed`) is recorded with `hp.Fixed`: it
shows in every trial's hyperparameters but is not searched. Bounds change
the usual KerasTuner way, by passing the tuner a `HyperParameters` that
declares the entry first (with `tune_new_entries=True`).
"""

CELL_CHOICES = ("vanilla", "lstm", "gru")
ATTENTION_CHOICES = ("luong", "bahdanau", "none")
CLIPNORM_CHOICES = (0.0, 0.5, 1.0, 5.0)


# The option value of an entry whose builder argument is `None` ("off").
_OFF = {"attention": "none", "global_clipnorm": 0.0}


def _entry(hp, fixed, name, declare):
    if name in fixed:
        value = fixed[name]
        return hp.Fixed(name, _OFF[name] if value is None else value)
    return declare()


def search_space(hp, fixed, token_inputs=True, bidirectional=False):
    """Declares the shared entries on `hp` and returns their values (option values).

    Args:
        hp: `keras_tuner.HyperParameters`.
        fixed: `dict` of builder arguments that are not searched.
        token_inputs: `bool.` Whether the model embeds token ids (adds
            `embedding_dim`). Defaults to `True`.
        bidirectional: `None` for models that cannot be bidirectional,
            else the default of the `bidirectional` entry. Defaults to
            `False`.

    Returns:
        `dict` of option values by name.
    """

    def entry(name, declare):
        return _entry(hp, fixed, name, declare)

    values = {
        "cell": entry("cell", lambda: hp.Choice("cell", CELL_CHOICES, default="lstm")),
        "units": entry(
            "units", lambda: hp.Int("units", 16, 256, step=2, sampling="log", default=64)
        ),
        "num_layers": entry("num_layers", lambda: hp.Int("num_layers", 1, 3, default=1)),
        "dropout": entry(
            "dropout", lambda: hp.Float("dropout", 0.0, 0.5, step=0.1, default=0.0)
        ),
        "learning_rate": entry(
            "learning_rate",
            lambda: hp.Float("learning_rate", 1e-4, 1e-2, sampling="log", default=1e-3),
        ),
        "global_clipnorm": entry(
            "global_clipnorm",
            lambda: hp.Choice("global_clipnorm", CLIPNORM_CHOICES, default=1.0),
        ),
    }
    if bidirectional is not None:
        values["bidirectional"] = entry(
            "bidirectional", lambda: hp.Boolean("bidirectional", default=bidirectional)
        )
    if token_inputs:
        values["embedding_dim"] = entry(
            "embedding_dim",
            lambda: hp.Int("embedding_dim", 16, 256, step=2, sampling="log", default=64),
        )
    return values


def attention_entry(hp, fixed):
    """Declares the `attention` entry (seq2seq) on `hp`; returns its value."""
    return _entry(
        hp,
        fixed,
        "attention",
        lambda: hp.Choice("attention", ATTENTION_CHOICES, default="luong"),
    )


def builder_arguments(values):
    """Option values as builder arguments: the entries that are off become `None`."""
    return {
        name: None if name in _OFF and value == _OFF[name] else value
        for name, value in values.items()
    }
