"""Every workaround of a Keras or TensorFlow bug, in one place, each guarded and applied narrowly.

| patch | Keras bug it works around | applied to |
|---|---|---|
| `clip_after_reduce(optimizer)` | gradients clipped per replica before the sum | one optimizer, only under several replicas |
| `enable_multi_worker_fit(model)` | `fit` fails under multi-worker `MultiWorkerMirroredStrategy` (keras-team/keras#20585) | one model, only under multi-worker MWMS |
| `portable_copy(model)` | LSTM/GRU traced with a GPU visible hold cuDNN ops CPUs lack (keras-team/keras#18504) | a copy of the model, for exports |
| `build_before_fit(model, data)` | without a distribution strategy, `fit` traces the training step twice (its variables are created in the first trace) | one model, only without a strategy |

One private TensorFlow name is read, not patched: `in_xla_context()` asks
TensorFlow whether the function being traced is XLA-compiled whole (no
public API tells), and answers `False` if a release removes the name.

Each patch checks that the private Keras names it relies on still exist
(`*_supported`); if a Keras release renames them it warns and leaves Keras
as it is. `tests/compat_test.py` runs in the default suite and checks,
for each patch, that plain Keras still shows the bug: when one of those
tests fails, Keras has fixed the bug and the patch can go.

Datasets padded to split evenly across replicas (`distribute.even_batches`)
and to fixed shapes (`distribute.static_batches`) are ordinary data
transforms, not patches: they change the data Keras sees, never Keras.
"""

import functools
import types
import warnings

import keras
import tensorflow as tf

# === Gradient clipping after the replicas' sum ===
#
# Keras 3.15's TensorFlow optimizer clips each replica's gradients before
# summing them across replicas (`_clip_gradients`, then
# `_all_reduce_sum_gradients`). Clipping is not linear, so under
# `MirroredStrategy` or `MultiWorkerMirroredStrategy` a clipped step differs
# from the same step on one device: each replica clips its own half-batch
# gradient to the norm meant for the whole batch. With `global_clipnorm=0.01`
# on two replicas, weights drift by ~1e-3 after three epochs with SGD and by
# ~0.5 with Adam; and when the replicas' embedding gradients leave the
# clipping as different types (one densified, one sparse), the all-reduce
# fails with "Shape mismatch in the collective instance".

_CLIP_METHODS = ("_clip_gradients", "_all_reduce_sum_gradients")


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


def clip_supported(optimizer):
    """Whether `optimizer` has the private methods `clip_after_reduce` replaces."""
    return all(callable(getattr(type(optimizer), name, None)) for name in _CLIP_METHODS)


def clip_after_reduce(optimizer, replicas=None):
    """Makes `optimizer` clip gradients after summing them across replicas, as one device does.

    Args:
        optimizer: a `keras.optimizers.Optimizer` (TensorFlow backend).
        replicas: `int` or `None.` The replicas the optimizer will update
            under; `None` reads them from the current strategy. With one
            replica nothing needs patching.

    Returns:
        `optimizer`, patched in place when it clips at all, runs under
        several replicas and this Keras has the methods replaced.
    """
    if replicas is None:
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
    if replicas <= 1 or not (
        optimizer.clipnorm or optimizer.global_clipnorm or optimizer.clipvalue
    ):
        return optimizer
    if not clip_supported(optimizer):
        warnings.warn(
            f"{type(optimizer).__name__} has no {' / '.join(_CLIP_METHODS)}: gradient clipping "
            "under a multi-replica strategy is left to Keras, which may clip per replica."
        )
        return optimizer
    optimizer._clip_gradients = types.MethodType(_clip_gradients, optimizer)
    optimizer._all_reduce_sum_gradients = types.MethodType(_all_reduce_sum_gradients, optimizer)
    return optimizer


# === `fit` under multi-worker MultiWorkerMirroredStrategy ===
#
# Keras 3.15's TensorFlow trainer fails under `MultiWorkerMirroredStrategy`
# (MWMS) with several workers, at two places:
#
# 1. Before training, `_maybe_symbolic_build` draws one batch from the
#    distributed dataset and averages it across replicas with
#    `strategy.reduce("MEAN", batch)` in eager mode, which MWMS cannot do for
#    a `PerReplica` of input tensors: "Attempt to convert a value
#    (PerReplica: ...) to a Tensor" (keras-team/keras#20585). The build needs
#    shapes only, so the model builds from the first local replica's batch.
# 2. Every step, the trainer's `reduce_per_replica` averages the step's logs
#    (scalar metric results) with `strategy.reduce("MEAN", value, axis=0)`,
#    which fails on scalars: "Invalid reduction dimension 0 for input with 0
#    dimensions". The model's own steps return their scalar logs with one
#    axis of length 1, which that reduction averages to the scalars Keras
#    expects.


def in_multi_worker_mode(strategy):
    """Whether `strategy` is a `MultiWorkerMirroredStrategy` over more than one worker."""
    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return False
    return strategy.extended._in_multi_worker_mode()


def multi_worker_supported(model):
    """Whether this Keras has what `enable_multi_worker_fit` replaces."""
    return (
        keras.version().startswith("3.")
        and callable(getattr(model, "_maybe_symbolic_build", None))
        and callable(getattr(model, "_symbolic_build", None))
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


def _with_vector_logs(step):
    """`step` returning its scalar logs as vectors of one value (see above)."""

    @functools.wraps(step)
    def wrapped(data):
        logs = step(data)
        return keras.tree.map_structure(
            lambda value: tf.reshape(value, [1]) if value.shape.rank == 0 else value, logs
        )

    return wrapped


def enable_multi_worker_fit(model):
    """Lets `model.fit`/`evaluate` run under a multi-worker `MultiWorkerMirroredStrategy`.

    Args:
        model: a `keras.Model` built in the strategy's scope.

    Returns:
        `model`, patched in place when its strategy is multi-worker MWMS
        and this Keras has the patched names; otherwise unchanged.
    """
    if not in_multi_worker_mode(model.distribute_strategy):
        return model
    if not multi_worker_supported(model):
        warnings.warn(
            f"Keras {keras.version()} lacks the private names rnn_keras patches for "
            "MultiWorkerMirroredStrategy; fit is left to Keras as it is."
        )
        return model
    model._maybe_symbolic_build = types.MethodType(_maybe_symbolic_build, model)
    model.train_step = _with_vector_logs(model.train_step)
    model.test_step = _with_vector_logs(model.test_step)
    return model


# === One trace of the training step ===
#
# Keras 3.15's TensorFlow trainer builds the loss's, metrics' and optimizer's
# variables before `fit` only under a distribution strategy
# (`_maybe_symbolic_build` returns at once without one, "for backwards
# compatibility"). Otherwise they are created while `tf.function` traces the
# training step, and a `tf.function` that creates variables in its first
# trace is traced a second time: the slowest part of starting to train,
# done twice. `build_before_fit` builds them first, symbolically from the
# dataset's element spec, as Keras does under a strategy (the first epoch of
# small BiLSTM/BiGRU models 1.43-1.66x faster: `benchmarks/fit_start.py`).


def build_supported(model):
    """Whether this Keras has what `build_before_fit` calls."""
    return (
        keras.version().startswith("3.")
        and callable(getattr(model, "_symbolic_build", None))
        and hasattr(model, "_distribute_strategy")
    )


def build_before_fit(model, data):
    """Builds what `model.fit` would build inside its first trace, from `data`'s spec.

    Args:
        model: a compiled `keras.Model`.
        data: the `tf.data.Dataset` it will fit on.

    Returns:
        `model`, its loss, metrics and optimizer built when it has no
        distribution strategy (Keras builds them itself under one) and
        this Keras has the private names called; otherwise unchanged.
    """
    if not isinstance(data, tf.data.Dataset) or not build_supported(model):
        return model
    if model._distribute_strategy is not None:
        return model
    model._symbolic_build(data_batch=data.element_spec)
    return model


# === Exports free of cuDNN kernels ===
#
# Keras 3's `LSTM` and `GRU` call the cuDNN kernel (`CudnnRNNV3`) whenever a
# GPU is visible while they are traced. A SavedModel traced on a GPU then
# holds ops that have no CPU kernel, and fails on a CPU-only server
# (keras-team/keras#18504). Exports trace a copy of the model whose LSTM and
# GRU layers take the generic loop (the same weights, another kernel); the
# trained model itself is never changed.


def all_layers(root):
    """Every Keras layer reachable from `root`, itself included, once each."""
    found, stack, seen = [], [root], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.append(current)
        for value in vars(current).values():
            values = value if isinstance(value, (list, tuple)) else [value]
            stack.extend(v for v in values if isinstance(v, keras.layers.Layer))
    return found


def portable_copy(model, fused=True, xla_loops=False):
    """A copy of `model` (same weights) whose recurrent layers trace with kernels every device has.

    Its `LSTM` and `GRU` layers never take cuDNN; with `fused=False`, the
    fused layers (`VanillaRNN`, `rnn_keras.layers.LSTM` and `GRU`) also
    leave their fused `tf.custom_gradient` loops for Keras's generic one
    (TFLite cannot lower their `TensorArray`s, and tf2onnx has no
    counterpart for the custom gradient or the XLA-compiled loops).

    Args:
        model: a Keras model.
        fused: `bool.` Keep the fused loops. Defaults to `True`.
        xla_loops: `bool.` Keep the fused loops XLA-compiled (the layers'
            `jit_compile`). Defaults to `False`: a server meets many input
            shapes, and XLA compiles each on its first request.
    """
    from rnn_keras.layers.gru import GRU
    from rnn_keras.layers.lstm import LSTM
    from rnn_keras.layers.vanilla_rnn import VanillaRNN

    config = keras.saving.serialize_keras_object(model)
    config.pop("compile_config", None)
    copy = keras.saving.deserialize_keras_object(config)
    copy.set_weights(model.get_weights())
    for layer in all_layers(copy):
        if isinstance(layer, (keras.layers.LSTM, keras.layers.GRU)):
            layer.use_cudnn = False
        if isinstance(layer, (VanillaRNN, LSTM, GRU)):
            layer.fast_path = layer.fast_path and fused
            layer.jit_compile = layer.jit_compile and xla_loops
    return copy


# === Whether the trace is XLA-compiled whole ===
#
# A fused loop splits the batch across CPU cores (`fused_gates.in_batch_parts`);
# inside a function compiled whole with `jit_compile=True`, XLA runs the parts
# one after the other, so they only add work. TensorFlow enters an
# `XLAControlFlowContext` while tracing such a function; only its private
# `control_flow_util` reads it.


def in_xla_context():
    """Whether the graph being traced is compiled whole by XLA (`False` if unknown)."""
    try:
        from tensorflow.python.ops import control_flow_util
    except ImportError:  # pragma: no cover - a TensorFlow without the module.
        return False
    reader = getattr(control_flow_util, "GraphOrParentsInXlaContext", None)
    if reader is None:  # pragma: no cover
        return False
    return bool(reader(tf.compat.v1.get_default_graph()))
