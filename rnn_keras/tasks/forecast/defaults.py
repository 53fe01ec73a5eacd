"""The forecast task's data profile.

Window, horizon and season are read before the data are split (the test
split is the last `horizon` values), so no option is resolved from the
profile yet; it is recorded in `task.json` and printed by `rnn-keras profile`.
"""

from rnn_keras.profile import series_profile


def profile(series):
    """The profile of the training series (a list of numbers)."""
    return series_profile([series])


def data_defaults(profile):
    del profile
    return []
