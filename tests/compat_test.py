"""Guards of `rnn_keras.compat`: each fails once plain Keras no longer has the bug it works around.

When one of the `test_keras_still_*` tests fails, Keras has fixed the bug:
remove the patch from `rnn_keras/compat.py` (and this guard). The other
tests check that each patch is applied where it is needed, and only there.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gpu import pretend_gpu_is_visible
from replica_models import build
from replica_models import count_traces
from replica_models import examples
from replica_models import fit
from replica_models import max_drift
from rnn_keras import compat
from rnn_keras import distribute
from rnn_keras.models import build_classifier
from rnn_keras.optimizers import get_optimizer


def features(count, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(count, 5, 3)).astype("float32")
    return x, (x.sum(axis=(1, 2)) > 0).astype("int32")


def feature_model(initial=None, patch=True):
    """A GRU classifier of real-valued steps (no embedding) with tightly clipped plain SGD."""
    model = build_classifier(2, num_features=3, cell="gru", units=4)
    optimizer = keras.optimizers.SGD(learning_rate=0.05, global_clipnorm=0.01)
    model.compile(
        optimizer=compat.clip_after_reduce(optimizer) if patch else optimizer,
        loss="sparse_categorical_crossentropy",
    )
    if initial is not None:
        model.set_weights(initial)
    return model


def test_keras_still_clips_per_replica():
    """Keras clips each replica's gradient before the sum: two replicas drift from one device."""
    x, y = features(32)
    initial = feature_model().get_weights()
    one = feature_model(initial, patch=False)
    fit(one, x, y, 16, 1, epochs=2)
    with distribute.get_strategy("mirrored").scope():
        plain, patched = feature_model(initial, patch=False), feature_model(initial)
    fit(plain, x, y, 16, 2, epochs=2)
    fit(patched, x, y, 16, 2, epochs=2)
    assert max_drift(one, plain) > 1e-4  # the bug
    assert max_drift(one, patched) < 1e-5  # the patch


def test_clip_after_reduce_patches_only_optimizers_that_clip_under_several_replicas():
    assert compat.clip_supported(keras.optimizers.Adam())
    clipped = get_optimizer("adam", global_clipnorm=1.0)
    assert "_clip_gradients" not in vars(compat.clip_after_reduce(clipped, replicas=1))
    plain = compat.clip_after_reduce(get_optimizer("adam"), replicas=2)
    assert "_clip_gradients" not in vars(plain)
    patched = compat.clip_after_reduce(get_optimizer("adam", global_clipnorm=1.0), replicas=2)
    assert "_clip_gradients" in vars(patched)
    # The configuration is Keras's own: the patch is not saved with the model.
    assert type(patched) is keras.optimizers.Adam
    assert patched.get_config()["global_clipnorm"] == 1.0
    # The builders patch what they compile under a strategy of several replicas only.
    assert "_clip_gradients" not in vars(build(global_clipnorm=1.0).optimizer)
    with distribute.get_strategy("mirrored").scope():
        assert "_clip_gradients" in vars(build(global_clipnorm=1.0).optimizer)


def fake_multi_worker():
    """A one-process `MultiWorkerMirroredStrategy` that answers as one of several workers.

    Keras's reduction of the step logs takes its multi-worker branch, which
    fails the same way with one process as with several.
    """
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    strategy.extended._in_multi_worker_mode = lambda: True
    return strategy


def dense_model(strategy):
    with strategy.scope():
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse", metrics=["mae"])
    return model


def test_keras_still_fails_to_average_step_logs_under_multi_worker():
    strategy = fake_multi_worker()
    x = np.ones((32, 3), "float32")
    dataset = tf.data.Dataset.from_tensor_slices((x, x[:, :1])).batch(8)
    with pytest.raises(ValueError, match="Invalid reduction dimension 0"):
        dense_model(strategy).fit(dataset, shuffle=False, verbose=0)  # the bug
    patched = compat.enable_multi_worker_fit(dense_model(strategy))
    history = patched.fit(dataset, epochs=2, shuffle=False, verbose=0).history  # the patch
    assert sorted(history) == ["loss", "mae"] and np.all(np.isfinite(history["loss"]))
    assert np.isscalar(patched.evaluate(dataset, verbose=0, return_dict=True)["mae"])


def test_multi_worker_patch_leaves_other_models_alone():
    model = dense_model(tf.distribute.get_strategy())
    assert compat.enable_multi_worker_fit(model) is model
    assert "train_step" not in vars(model) and "_maybe_symbolic_build" not in vars(model)


def traced_steps(model, dataset, build_first):
    """How many times `fit` traced `model`'s training step, and its weights after one epoch."""
    traces = count_traces(model)
    if build_first:
        compat.build_before_fit(model, dataset)
    model.fit(dataset, epochs=1, shuffle=False, verbose=0)
    return len(traces), model.get_weights()


def test_keras_still_traces_the_training_step_twice_without_a_strategy():
    x, y = features(32)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    models = []
    for _ in range(2):
        model = build_classifier(2, num_features=3, cell="lstm", units=4)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        models.append(model)
    models[1].set_weights(models[0].get_weights())
    traces, plain = traced_steps(models[0], dataset, build_first=False)
    assert traces == 2  # the bug: the variables are created in the first trace
    traces, built = traced_steps(models[1], dataset, build_first=True)
    assert traces == 1  # the patch
    assert models[1].optimizer.iterations.numpy() == 4
    for a, b in zip(plain, built):  # the same training
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_build_before_fit_leaves_models_under_a_strategy_to_keras():
    with distribute.get_strategy("mirrored").scope():
        model = dense_model(tf.distribute.get_strategy())
    dataset = tf.data.Dataset.from_tensor_slices((np.ones((4, 3)), np.ones((4, 1)))).batch(2)
    compat.build_before_fit(model, dataset)
    assert not model.optimizer.built  # Keras builds it itself, from a distributed batch
    compat.build_before_fit(dense_model(tf.distribute.get_strategy()), np.ones((4, 3)))


def test_keras_still_traces_cudnn_kernels_when_a_gpu_is_visible(monkeypatch):
    """Keras's LSTM and GRU trace `CudnnRNN` ops with a GPU visible (keras-team/keras#18504)."""
    rnn = pretend_gpu_is_visible(monkeypatch, missing=pytest.fail)
    inputs = keras.Input((None, 3))
    hidden = keras.layers.LSTM(4, return_sequences=True)(inputs)
    model = keras.Model(inputs, keras.layers.GRU(4)(hidden))
    spec = tf.TensorSpec((None, None, 3), tf.float32)

    def graph(m):
        return str(tf.function(m).get_concrete_function(spec).graph.as_graph_def())

    assert "CudnnRNN" in graph(model)  # the bug
    copy = compat.portable_copy(model)
    assert "CudnnRNN" not in graph(copy)  # the patch
    assert all(layer.use_cudnn == "auto" for layer in model.layers[1:])  # the model unchanged
    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
    monkeypatch.setattr(rnn, "_is_gpu_available", lambda: False)
    np.testing.assert_allclose(copy(x), model(x), atol=1e-6)


def test_keras_still_weighs_an_uneven_last_batch_unequally():
    """Under `MirroredStrategy`, a last batch that does not split evenly drifts from one device.

    `distribute.even_batches` pads and weighs such batches (a data
    transform, not a patch); when this fails, Keras handles them itself.
    """
    tokens, labels = examples(45)  # batches of 16, 16 and 13
    initial = build().get_weights()
    one = build(initial)
    fit(one, tokens, labels, 16, 1, even=False, epochs=1)
    with distribute.get_strategy("mirrored").scope():
        two = build(initial)
    fit(two, tokens, labels, 16, 2, even=False, epochs=1)
    assert max_drift(one, two) > 1e-4
