"""`Model.fit` under `MultiWorkerMirroredStrategy` (a guarded Keras patch).

Keras 3.15's TensorFlow trainer fails under `MultiWorkerMirroredStrategy`
(MWMS) with several workers, at two places:

1. Before training, `_maybe_symbolic_build` draws one batch from the
   distributed dataset and averages it across replicas with
   `strategy.reduce("MEAN", batch)` in eager mode, which MWMS cannot do for
   a `PerReplica` of input tensors: "Attempt to convert a value
   (PerReplica: ...) to a Tensor" (keras-team/keras#20585). The build needs
   shapes only, so the patch builds from the first local replica's batch.
2. Every step, `reduce_per_replica` averages the step's logs (scalar
   metric results) with `strategy.reduce("MEAN", value, axis=0)`, which fails
   on scalars: "Invalid reduction dimension 0 for input with 0 dimensions".
   The patch averages scalars with `axis=None` (across replicas), as Keras
   does for `MirroredStrategy`, and leaves tensors with a batch axis to
   Keras's own code.

`enable(model)` applies both: the first to `model` alone, the second to the
trainer module's `reduce_per_replica` for every model, where it changes
nothing except a mean of scalars under multi-worker MWMS, the case Keras
fails on. The guard: Keras 3 with the private names in place, else a
warning and nothing patched. `tests/distribute/multi_worker_test.py` runs
plain Keras `fit` on two worker processes and fails once it works without
the patch, telling that this module can go.
"""

import functools
import types
import warnings

import keras
import tensorflow as tf

_STATE = {"reduce_patched": False}


def _trainer_globals():
    """The namespace of Keras's TensorFlow trainer module (where `reduce_per_replica` lives)."""
    function = getattr(keras.Model, "make_train_function", None)
    return getattr(function, "__globals__", {})


def in_multi_worker_mode(strategy):
    """Whether `strategy` is a `MultiWorkerMirroredStrategy` over more than one worker."""
    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return False
    return strategy.extended._in_multi_worker_mode()


def supported(model):
    """Whether this Keras has what the patch replaces (see the module docstring)."""
    return (
        keras.version().startswith("3.")
        and callable(getattr(model, "_maybe_symbolic_build", None))
        and callable(getattr(model, "_symbolic_build", None))
        and callable(_trainer_globals().get("reduce_per_replica"))
    )


def _first_local(strategy, value):
    if isinstance(value, tf.distribute.DistributedValues):
        return strategy.experimental_local_results(value)[0]
    return value


def _maybe_symbolic_build(self, iterator=None, data_batch=None):
    strategy = self.distribute_strategy
    if iterator is not None:
        for _, _, distributed in iterator:
            batch = next(distributed)
            data_batch = keras.tree.map_structure(
                functools.partial(_first_local, strategy), batch
            )
            break
    with strategy.scope():
        self._symbolic_build(data_batch=data_batch)


def _patch_reduce_per_replica():
    namespace = _trainer_globals()
    original = namespace["reduce_per_replica"]

    @functools.wraps(original)
    def reduce_per_replica(values, strategy, reduction):
        if reduction not in ("auto", "mean") or not in_multi_worker_mode(strategy):
            return original(values, strategy, reduction)

        def mean(value):
            rank = _first_local(strategy, value).shape.rank
            return strategy.reduce("MEAN", value, axis=0 if rank else None)

        return keras.tree.map_structure(mean, values)

    namespace["reduce_per_replica"] = reduce_per_replica
    _STATE["reduce_patched"] = True


def enable(model):
    """Lets `model.fit`/`evaluate` run under a multi-worker `MultiWorkerMirroredStrategy`.

    Args:
        model: a `keras.Model` built in the strategy's scope.

    Returns:
        `model`, patched in place when its strategy is multi-worker MWMS
        and this Keras has the patched names (see the module docstring);
        otherwise unchanged.
    """
    if not in_multi_worker_mode(model.distribute_strategy):
        return model
    if not supported(model):
        warnings.warn(
            f"Keras {keras.version()} lacks the private names rnn_keras patches for "
            "MultiWorkerMirroredStrategy; fit is left to Keras as it is."
        )
        return model
    if not _STATE["reduce_patched"]:
        _patch_reduce_per_replica()
    model._maybe_symbolic_build = types.MethodType(_maybe_symbolic_build, model)
    return model
