"""Generated sequence tasks that need no download."""

import numpy as np

from rnn_keras.validation import check_positive_int


def long_range_classification(num_samples, length, distance, vocab_size=10, seed=0):
    """A task whose label is decided `distance` steps before the end.

    Every sequence holds `length` random token ids in `[1, vocab_size)` (0
    stays free for padding). The label is 1 when the token `distance` steps
    before the last one is in the upper half of the vocabulary, else 0; the
    other tokens are noise. A model that reads the sequence left to right and
    predicts from its last state must carry that token across `distance`
    steps: the classic test of the long-range dependency problem.

    Args:
        num_samples: `int.` Number of sequences.
        length: `int.` Tokens per sequence.
        distance: `int` in `[0, length)`. Steps between the deciding token
            and the last token.
        vocab_size: `int >= 3.` Token ids are in `[1, vocab_size)`.
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
    if vocab_size < 3:
        raise ValueError(
            "Invalid value for argument `vocab_size`. Expected an integer "
            f">= 3. Received: vocab_size={vocab_size!r}"
        )
    rng = np.random.default_rng(seed)
    tokens = rng.integers(1, vocab_size, size=(num_samples, length)).astype("int32")
    deciding = tokens[:, length - 1 - distance]
    labels = (deciding >= 1 + (vocab_size - 1) // 2).astype("int32")
    return tokens, labels
