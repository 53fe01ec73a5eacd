"""Generated sequence tasks that need no download."""

import numpy as np

from rnn_keras.validation import check_positive_int


def long_range_classification(num_samples, length, distance, vocab_size=10, seed=0):
    """A task whose label is a marker token `distance` steps before the end.

    Every sequence holds `length` token ids. The token `distance` steps
    before the last one is a marker, 1 (label 0) or 2 (label 1); every other
    token is noise drawn from `[3, vocab_size)` (0 stays free for padding).
    A model that reads left to right and predicts from its last state must
    carry the marker across `distance` noisy steps: the classic test of the
    long-range dependency problem (Hochreiter & Schmidhuber, 1997).

    Args:
        num_samples: `int.` Number of sequences.
        length: `int.` Tokens per sequence.
        distance: `int` in `[0, length)`. Steps between the marker and the
            last token.
        vocab_size: `int >= 4.` Token ids are in `[1, vocab_size)`.
            Defaults to `10`.
        seed: `int.` Seed of the generator. Defaults to `0`.

    Returns:
        `(tokens, labels)`: `int32` arrays of shapes `(num_samples, length)`
        and `(num_samples,)`.
    """
    check_positive_int("num_samples", num_samples)
    check_positive_int("length", length)
    if not 0 <= distance < length:
        raise ValueError(
            "Invalid value for argument `distance`. Expected an integer in "
            f"[0, length={length}). Received: distance={distance!r}"
        )
    if vocab_size < 4:
        raise ValueError(
            "Invalid value for argument `vocab_size`. Expected an integer "
            f">= 4. Received: vocab_size={vocab_size!r}"
        )
    rng = np.random.default_rng(seed)
    tokens = rng.integers(3, vocab_size, size=(num_samples, length)).astype("int32")
    labels = rng.integers(0, 2, size=num_samples).astype("int32")
    tokens[:, length - 1 - distance] = labels + 1
    return tokens, labels
