"""What a set of series looks like: count, length, channels, scale."""

import numpy as np

from rnn_keras.profile.text import quantiles

# A series counts as normalised (z-normalised, as the UCR archive ships
# them) when its mean is within this of 0 and its standard deviation within
# this of 1.
NORMALISED_TOLERANCE = 0.05


def series_profile(series):
    """The profile of a list of series (each a list of numbers or of per-step vectors).

    Missing values (NaN) are left out of the statistics.

    Returns:
        `dict`: `examples`, `length` (quantiles), `channels`, `mean` and
        `std` over all values, `normalised` (whether every series already
        has mean 0 and standard deviation 1).
    """
    arrays = [np.asarray(s, "float64") for s in series]
    arrays = [a[:, None] if a.ndim == 1 else a for a in arrays]
    values = np.concatenate([a.reshape(-1) for a in arrays])
    values = values[np.isfinite(values)]
    means = np.array([np.nanmean(a) for a in arrays])
    stds = np.array([np.nanstd(a) for a in arrays])
    normalised = bool(
        np.all(np.abs(means) < NORMALISED_TOLERANCE)
        and np.all(np.abs(stds - 1) < NORMALISED_TOLERANCE)
    )
    return {
        "examples": len(arrays),
        "length": quantiles([len(a) for a in arrays]),
        "channels": int(arrays[0].shape[1]),
        "mean": float(values.mean()),
        "std": float(values.std()),
        "normalised": normalised,
    }
