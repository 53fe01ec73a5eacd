"""Batches that split evenly across replicas, weighted as on one device.

Keras 3.15 under `MirroredStrategy` fails when the first batch does not
split evenly across the replicas (`AddN` of unequal shapes), and when a
later one does not, it averages the replicas' per-replica means, which
weights that batch's examples unequally (a 45-example, batch-16 run on two
replicas drifts by ~2e-3 from one device).

`even_batches` pads each batch with zero rows up to a multiple of the
replica count and adds sample weights: `0` for the padding, `padded / real`
for the real rows. Every replica then gets the same number of rows, and
for losses averaged per example (`sum_over_batch_size`), each replica's
mean times `1 / replicas` sums to the mean over the real examples: the
gradient one device computes on the unpadded batch.

Losses over masked time steps (tagging, seq2seq, language models) are
averaged by Keras over each replica's own unmasked steps, so a replica with
fewer real tokens would weigh its tokens more than one device does. With
`token_mask`, the weights of replica `r`'s tokens are
`replicas * valid_r / valid` (`valid_r` its unmasked steps, `valid` the
batch's), which turns each replica's masked mean into its share of the
batch's mean over all unmasked steps. `tf.distribute` gives replica `r` the
`r`-th contiguous slice of the batch's rows, which the weights follow.
"""

import tensorflow as tf


def even_batches(dataset, replicas, token_mask=None):
    """Pads `(inputs, targets[, weights])` batches to a multiple of `replicas` rows.

    Args:
        dataset: a batched `tf.data.Dataset` of `(inputs, targets)` or
            `(inputs, targets, sample_weights)`; inputs and targets may be
            nested structures of dense tensors.
        replicas: `int.` The number of replicas in sync.
        token_mask: `None`, or a function of a padded batch's
            `(inputs, targets)` returning the `(batch, timesteps)` mask that
            the model's loss is averaged over (for sequence outputs).
            Defaults to `None`: losses averaged per example.

    Returns:
        A dataset of `(inputs, targets, sample_weights)`; `dataset` itself
        when `replicas` is 1. Sample weights are `(batch,)`, or
        `(batch, timesteps)` with `token_mask`, or the shape of the given
        weights when they have more axes.
    """
    if replicas == 1:
        return dataset

    def pad(inputs, targets, weights=None):
        rows = tf.shape(tf.nest.flatten(inputs)[0])[0]
        padded = (rows + replicas - 1) // replicas * replicas
        extra = padded - rows

        def pad_rows(tensor):
            return tf.pad(tensor, [[0, extra]] + [[0, 0]] * (tensor.shape.rank - 1))

        inputs, targets = tf.nest.map_structure(pad_rows, (inputs, targets))
        if token_mask is None:
            scale = tf.cast(padded, tf.float32) / tf.cast(rows, tf.float32)
            new_weights = tf.concat([tf.fill([rows], scale), tf.zeros([extra])], axis=0)
        else:
            mask = tf.cast(token_mask(inputs, targets), tf.float32)
            valid = tf.reduce_sum(tf.reshape(tf.reduce_sum(mask, axis=1), [replicas, -1]), axis=1)
            share = tf.math.divide_no_nan(valid * replicas, tf.reduce_sum(valid))
            new_weights = mask * tf.repeat(share, padded // replicas)[:, None]
        if weights is not None:
            weights = pad_rows(tf.cast(weights, tf.float32))
            if weights.shape.rank < new_weights.shape.rank:
                weights = weights[:, None]
            while new_weights.shape.rank < weights.shape.rank:
                # Per-element weights (a forecast's steps): each row's scale for all.
                new_weights = new_weights[..., None]
            new_weights *= weights
        return inputs, targets, new_weights

    return dataset.map(pad, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
