"""Gradient clipping after the replicas' gradients are summed (a guarded Keras patch).

Keras 3.15's TensorFlow optimizer clips each replica's gradients before
summing them across replicas (`_clip_gradients`, then
`_all_reduce_sum_gradients`). Clipping is not linear, so under
`MirroredStrategy` or `MultiWorkerMirroredStrategy` a clipped step differs
from the same step on one device: each replica clips its own half-batch
gradient to the norm meant for the whole batch. With `global_clipnorm=0.01`
on two replicas, weights drift by ~1e-3 after three epochs with SGD and by
~0.5 with Adam; and when the replicas' embedding gradients leave the
clipping as different types (one densified, one sparse), the all-reduce
fails with "Shape mismatch in the collective instance". RNNs clip routinely (the builders default to
`global_clipnorm=1.0`), so this matters.

`clip_after_reduce(optimizer)` makes one optimizer instance clip the summed
gradients instead, as one device does. It touches two private methods of
the Keras optimizer, here only: it checks they exist and, if a Keras
release renames them, warns and leaves the optimizer as it is. Outside a
multi-replica step the patched methods run Keras's own code unchanged.
`tests/distribute/clip_after_reduce_test.py` fails when Keras starts
clipping after the sum by itself, telling that this module can go.
"""

import types
import warnings

import tensorflow as tf

_PATCHED = ("_clip_gradients", "_all_reduce_sum_gradients")


def _multi_replica_step():
    """Whether the caller runs in the replica context of a step with several replicas."""
    if tf.distribute.in_cross_replica_context():
        return False
    return tf.distribute.get_replica_context().num_replicas_in_sync > 1


def _clip_gradients(self, grads):
    if _multi_replica_step():
        return grads  # Clipped once summed, in `_all_reduce_sum_gradients`.
    return type(self)._clip_gradients(self, grads)


def _all_reduce_sum_gradients(self, grads_and_vars):
    reduced = type(self)._all_reduce_sum_gradients(self, grads_and_vars)
    if not _multi_replica_step():
        return reduced
    grads = type(self)._clip_gradients(self, [grad for grad, _ in reduced])
    return [(grad, var) for grad, (_, var) in zip(grads, reduced)]


def supported(optimizer):
    """Whether `optimizer` has the private methods the patch replaces."""
    return all(callable(getattr(type(optimizer), name, None)) for name in _PATCHED)


def clip_after_reduce(optimizer):
    """Makes `optimizer` clip gradients after summing them across replicas.

    Args:
        optimizer: a `keras.optimizers.Optimizer` (TensorFlow backend).

    Returns:
        `optimizer`, patched in place when it clips at all and the Keras
        version has the methods replaced (see the module docstring).
    """
    if not (optimizer.clipnorm or optimizer.global_clipnorm or optimizer.clipvalue):
        return optimizer
    if not supported(optimizer):
        warnings.warn(
            f"{type(optimizer).__name__} has no {' / '.join(_PATCHED)}: gradient clipping "
            "under a multi-replica strategy is left to Keras, which may clip per replica."
        )
        return optimizer
    optimizer._clip_gradients = types.MethodType(_clip_gradients, optimizer)
    optimizer._all_reduce_sum_gradients = types.MethodType(_all_reduce_sum_gradients, optimizer)
    return optimizer
