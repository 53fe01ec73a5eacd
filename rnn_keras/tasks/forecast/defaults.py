"""The forecast task's data profile and the options it resolves.

Window, horizon and season are read before the data are split (the test
split is the last `horizon` values), so they keep their given or fixed
values. A short series gets the airline forecaster's recipe
(`benchmarks/README.md`: GRU-32, up to 300 epochs with patience 60; test RMSE
18.3 against the seasonal-naive 50.7).
"""

from rnn_keras.profile import series_profile
from rnn_keras.tasks.defaults import Default
from rnn_keras.tasks.defaults import size_reason

# Up to this many training values a series gives a few dozen windows: a
# small network, trained long with a long patience.
SHORT_SERIES = 1000


def profile(series):
    """The profile of the training series (a list of numbers)."""
    return series_profile([series])


def data_defaults(profile):
    values = int(profile["length"]["max"])
    if values > SHORT_SERIES:
        return []
    size = size_reason(values, "training values")
    return [
        Default("cell", "gru", f"{size}: GRU (airline recipe)"),
        Default("units", 32, f"{size}: 32 units (airline recipe)"),
        Default("epochs", 300, f"{size}: few windows per epoch"),
        Default("patience", 60, f"{size}: airline recipe"),
    ]
