"""Parts carved from training examples: shuffled, or stratified by label."""

import numpy as np


def shuffled_split(count, fraction, seed):
    """`(rest, part)` index arrays: `part` a random `fraction` of `count` examples (at least 1)."""
    order = np.random.default_rng(seed).permutation(count)
    cut = max(1, int(round(count * fraction)))
    return order[cut:], order[:cut]


def stratified_split(labels, fraction, seed):
    """`(rest, part)` index arrays of `labels`, `part` about `fraction` of each label's examples.

    As scikit-learn's `train_test_split(stratify=...)`, but every label
    keeps at least one example in `rest`: a label the training data lacked
    could not be predicted, nor its held-out examples scored (UCR's PigCVP:
    52 labels of 2 examples each, a tenth held out at random took both of
    some). `part` holds `max(1, round(len(labels) * fraction))` examples, or
    as many as labels have beyond their one: each label's share, rounded
    down, then one more for the labels of the largest remainders (ties in
    random order), none beyond its examples but one. Within each label the
    examples held out are random; both arrays are in the order of one
    shuffle by `seed`.

    Raises:
        ValueError: no label has a second example to hold out.
    """
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(labels))
    _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    room = counts - 1
    if not room.any():
        raise ValueError(
            f"cannot hold out any of {len(labels)} examples: each of their labels has one, "
            "which the training data need"
        )
    cut = min(max(1, int(round(len(labels) * fraction))), int(room.sum()))
    share = cut * counts / len(labels)
    take = np.minimum(np.floor(share).astype(int), room)
    remainder = share - take
    while take.sum() < cut:
        open_ = np.flatnonzero(take < room)
        ties = rng.permutation(len(open_))
        ranked = open_[np.lexsort((ties, -remainder[open_]))]
        for label in ranked[:cut - take.sum()]:
            take[label] += 1
        remainder[:] = 0
    held = np.zeros(len(labels), bool)
    seen = np.zeros(len(counts), int)
    for index in order:  # the first `take` of each label in the shuffled order
        label = inverse[index]
        if seen[label] < take[label]:
            held[index] = True
            seen[label] += 1
    return order[~held[order]], order[held[order]]
