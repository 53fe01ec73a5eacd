"""Batches of a few fixed shapes, for XLA on TPUs.

A TPU program is compiled by XLA for fixed shapes: a batch of 27 rows and
a length of 43 is a new compilation. `static_batches` pads every batch to
the full batch size, and every variable-length axis to the next power of
two (at least `min_length`), so a whole epoch runs on a handful of shapes
(one per length bucket), each compiled once.

Padding changes nothing the model learns:

- Padded time steps hold id 0, which the models mask (embeddings with
  `mask_zero`, and the losses of sequence outputs are averaged over
  unmasked steps only).
- Padded rows are all zeros. For losses averaged per example
  (`sum_over_batch_size`), rows get sample weight `0` for padding and
  `batch_size / real` for real rows, so the batch's loss is the mean over
  its real examples. For losses over masked steps (`per_step=True`), the
  padded rows' steps are masked already, and rows weigh `1` or `0`, at
  every step of the targets: Keras weighs a loss of shape `(batch, steps)`
  only by weights of that shape (`(batch,)` ones raise a shape error).
"""

import math

import tensorflow as tf


def bucket_length(length, min_length=8):
    """The padded size of an axis of `length`: the next power of two, at least `min_length`."""
    length = tf.maximum(tf.cast(length, tf.int32), min_length)
    exponent = tf.math.ceil(tf.math.log(tf.cast(length, tf.float64)) / math.log(2.0))
    padded = tf.bitwise.left_shift(1, tf.cast(exponent, tf.int32))
    # Guards against rounding in the logarithm (log2 of 2**k computed a hair above k).
    return tf.where(padded // 2 >= length, padded // 2, padded)


def static_batches(dataset, batch_size, per_step=False, min_length=8):
    """Pads the `(inputs, targets[, weights])` batches of `dataset` to fixed shapes.

    Args:
        dataset: a batched `tf.data.Dataset` of `(inputs, targets)` or
            `(inputs, targets, sample_weights)` (nested structures of dense
            tensors); axes of unknown size in its `element_spec` beyond the
            first are the variable-length ones.
        batch_size: `int.` The global batch size: every batch gets this
            many rows.
        per_step: `bool.` Whether the loss is averaged over masked time
            steps (tagging, seq2seq, language models) rather than per
            example. Defaults to `False`.
        min_length: `int.` The least padded length. Defaults to `8`.

    Returns:
        A dataset of `(inputs, targets, sample_weights)` whose batches have
        `batch_size` rows and power-of-two lengths; `(batch,)` weights
        (with `per_step`, `(batch, steps)` of the targets' first two axes),
        or the given weights' shape, multiplied.
    """
    specs = tf.nest.flatten(dataset.element_spec)

    def pad_tensor(tensor, spec, rows):
        paddings = [[0, batch_size - rows]]
        for axis in range(1, tensor.shape.rank):
            size = tf.shape(tensor)[axis]
            grow = bucket_length(size, min_length) - size if spec.shape[axis] is None else 0
            paddings.append([0, grow])
        return tf.pad(tensor, paddings)

    def pad(*element):
        rows = tf.shape(tf.nest.flatten(element[0])[0])[0]
        padded = [pad_tensor(t, spec, rows) for t, spec in zip(tf.nest.flatten(element), specs)]
        element = tf.nest.pack_sequence_as(element, padded)
        weights = tf.sequence_mask(rows, batch_size, dtype=tf.float32)
        if not per_step:
            weights *= tf.cast(batch_size, tf.float32) / tf.cast(rows, tf.float32)
        if len(element) == 3:
            given = tf.cast(element[2], tf.float32)
            # A row's weight for every element of its given weights (a forecast's steps).
            weights = tf.reshape(weights, [-1] + [1] * (given.shape.rank - 1)) * given
        elif per_step:
            steps = tf.shape(tf.nest.flatten(element[1])[0])[1]
            weights = tf.tile(weights[:, None], [1, steps])
        return element[0], element[1], weights

    return dataset.map(pad, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
