"""`tf.data` pipelines: ragged sequences, bucketed by length, cached, prefetched."""

import numpy as np
import tensorflow as tf

from rnn_keras.validation import check_positive_int


def ragged(sequences, dtype="int32"):
    """A `tf.RaggedTensor` from a list of variable-length sequences.

    Steps may be scalars or equal-shaped arrays (one row of character ids
    per token, say); only the number of steps varies.
    """
    lengths = [len(s) for s in sequences]
    first = next((s for s in sequences if len(s)), [0])
    step_shape = np.shape(first)[1:]
    if step_shape:
        flat = np.concatenate(
            [np.asarray(s, dtype).reshape((len(s), *step_shape)) for s in sequences]
        )
    else:
        flat = np.fromiter(
            (value for s in sequences for value in s), dtype=dtype, count=sum(lengths)
        )
    return tf.RaggedTensor.from_row_lengths(flat, np.array(lengths, "int64"))


def bucket_boundaries(lengths, num_buckets=8):
    """Length boundaries that split `lengths` into about equal-count buckets.

    Returns a sorted list of exclusive upper bounds, as
    `tf.data.Dataset.bucket_by_sequence_length` takes them (empty when all
    lengths are alike).
    """
    check_positive_int("num_buckets", num_buckets)
    quantiles = np.quantile(np.asarray(lengths), np.linspace(0, 1, num_buckets + 1)[1:-1])
    return sorted({int(q) + 1 for q in quantiles} - {int(np.max(lengths)) + 1})


def _to_tensor(value):
    """A dense array, or a ragged tensor for variable-length sequences."""
    if isinstance(value, (tf.Tensor, tf.RaggedTensor, np.ndarray)):
        return value
    if value and isinstance(value[0], (list, tuple, np.ndarray)):
        first = np.asarray(next((row for row in value if len(row)), [0]))
        kind = "float32" if first.dtype.kind == "f" else "int32"
        if len({len(v) for v in value}) == 1:
            return np.asarray(value, kind)
        return ragged(value, kind)
    return np.asarray(value)


def _row(column, i):
    """Row `i` of a dense array or ragged tensor, as a dense tensor."""
    if isinstance(column, tf.RaggedTensor):
        splits = column.row_splits
        return column.values[splits[i] : splits[i + 1]]
    return tf.gather(column, i)


def make_dataset(
    inputs,
    targets=None,
    batch_size=32,
    shuffle=False,
    seed=0,
    bucket_by=None,
    num_buckets=8,
    cache=True,
    sample_weights=None,
    per_epoch=None,
):
    """A batched `tf.data.Dataset` of `(inputs, targets)`.

    Variable-length sequences (lists of lists of ids) are padded with 0 per
    batch. With `bucket_by`, batches are drawn from buckets of similar
    length (`bucket_by_sequence_length`, boundaries at length quantiles), so
    a batch of short sentences is not padded to the longest one in the
    data. The order is `cache` → `shuffle` (a fresh order every epoch) →
    batch → `prefetch(AUTOTUNE)`.

    Args:
        inputs: array, list of sequences, or dict of them (a model's named
            inputs).
        targets: same forms, or `None` for inputs only.
        batch_size: `int.` Examples per batch. Defaults to `32`.
        shuffle: `bool.` Shuffle every epoch. Defaults to `False`.
        seed: `int.` Shuffle seed. Defaults to `0`.
        bucket_by: `None`, or the input name (`"input"` for a single input)
            whose length picks the bucket. Defaults to `None`.
        num_buckets: `int.` Buckets when `bucket_by` is set. Defaults to `8`.
        cache: `bool.` Cache the elements in memory. Defaults to `True`.
        sample_weights: optional `(examples,)` array: each example's weight
            in the loss, the third element of every batch. Defaults to `None`.
        per_epoch: optional `int`: each pass draws this many examples afresh
            at random (none twice in a pass; with `shuffle`, and fewer than
            the examples), shuffled as indices before any row is read, so a
            pass costs the examples it draws, not all of them. Nothing is
            cached. Defaults to `None` (every example, every pass).
    """
    check_positive_int("batch_size", batch_size)
    if per_epoch is not None:
        check_positive_int("per_epoch", per_epoch)
        if not shuffle or bucket_by is not None:
            raise ValueError(
                "Invalid value for argument `per_epoch`: it needs `shuffle=True` and no "
                f"`bucket_by`. Received: per_epoch={per_epoch}, shuffle={shuffle}, "
                f"bucket_by={bucket_by!r}"
            )
    named = isinstance(inputs, dict)
    features = (
        {key: _to_tensor(value) for key, value in inputs.items()}
        if named
        else {"input": _to_tensor(inputs)}
    )
    columns = (features,) if targets is None else (features, _to_tensor(targets))
    if sample_weights is not None:
        if targets is None:
            raise ValueError("Invalid value for argument `sample_weights`: it needs `targets`.")
        columns += (np.asarray(sample_weights, "float32"),)
    first = next(iter(features.values()))
    size = int(first.nrows()) if isinstance(first, tf.RaggedTensor) else len(first)
    indices = tf.data.Dataset.range(size)
    if per_epoch is not None and per_epoch < size:
        indices = indices.shuffle(size, seed=seed, reshuffle_each_iteration=True).take(per_epoch)
        size, cache, shuffle = per_epoch, False, False
    dataset = indices.map(
        lambda i: tf.nest.map_structure(lambda column: _row(column, i), columns),
        num_parallel_calls=tf.data.AUTOTUNE,
        deterministic=True,
    )
    if not named:
        dataset = dataset.map(lambda x, *y: (x["input"], *y))
    if cache:
        dataset = dataset.cache()
    if shuffle:
        dataset = dataset.shuffle(size, seed=seed, reshuffle_each_iteration=True)
    if bucket_by is None:
        dataset = dataset.padded_batch(batch_size)
        batches = -(-size // batch_size)
    else:
        if bucket_by not in features:
            raise ValueError(
                f"Invalid value for argument `bucket_by`. Expected one of "
                f"{sorted(features)}. Received: bucket_by={bucket_by!r}"
            )
        key = features[bucket_by]
        lengths = (
            key.row_lengths().numpy() if isinstance(key, tf.RaggedTensor) else [np.shape(key)[1]]
        )
        boundaries = bucket_boundaries(lengths, num_buckets)

        def length(*element):
            value = element[0][bucket_by] if named else element[0]
            return tf.shape(value)[0]

        dataset = dataset.bucket_by_sequence_length(
            length, boundaries, [batch_size] * (len(boundaries) + 1)
        )
        # Every example falls in the same bucket each epoch, and every bucket
        # ends with its partial batch: the count of batches is fixed.
        if isinstance(key, tf.RaggedTensor):
            buckets = np.bincount(np.digitize(lengths, boundaries), minlength=len(boundaries) + 1)
            batches = int(sum(-(-int(count) // batch_size) for count in buckets))
        else:
            batches = -(-size // batch_size)
    # A known count of batches: progress bars show it from the first epoch.
    dataset = dataset.apply(tf.data.experimental.assert_cardinality(batches))
    return dataset.prefetch(tf.data.AUTOTUNE)
