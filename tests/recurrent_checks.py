"""Inputs and gradient checks shared by the recurrent layers' tests against Keras's twins."""

import numpy as np
import tensorflow as tf


def inputs_and_mask(shape, seed=0):
    """`(x, mask)`: normal inputs of `shape` `(batch, steps, features)` and a mask.

    The mask has a right-padded row (0), a left-padded row (1) and a fully
    masked row (2); `batch` must be at least 3 and `steps` at least 6.
    """
    batch, steps, _ = shape
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape).astype("float32")
    mask = np.ones((batch, steps), bool)
    mask[0, 5:] = False  # right-padded
    mask[1, :3] = False  # left-padded
    mask[2, :] = False  # fully masked
    return x, mask


def outputs_and_grads(layer, x, mask=None, **call_kwargs):
    """`(outputs, grads)` of a call: every output, and the gradients of the weights and `x`.

    The loss weights every output element differently, so that no gradient
    cancels.
    """
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        result = layer(x, mask=mask, **call_kwargs)
        flat = result if isinstance(result, (list, tuple)) else [result]
        loss = 0.0
        for o in flat:
            weights = tf.reshape(tf.cos(tf.range(tf.size(o), dtype="float32")), tf.shape(o))
            loss += tf.reduce_sum(tf.cast(o, "float32") * weights)
    grads = tape.gradient(loss, layer.trainable_weights + [x])
    return [np.asarray(o) for o in flat], [np.asarray(g) for g in grads]
