"""The fused loops on slices of the batch side by side (`fused_gates.in_batch_parts`)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import recurrent_checks
from rnn_keras.layers import GRU
from rnn_keras.layers import LSTM
from rnn_keras.layers import VanillaRNN
from rnn_keras.layers import fused_gates
from rnn_keras.layers import fused_gru
from rnn_keras.layers import fused_lstm
from rnn_keras.layers import fused_recurrence

BATCH, STEPS, FEATURES, UNITS = 4, 7, 3, 5

# (ours, Keras's twin, arguments both take, the module whose loops run, states)
KINDS = {
    "lstm": (LSTM, keras.layers.LSTM, {"recurrent_dropout": 0.4}, fused_lstm, 2),
    "gru": (GRU, keras.layers.GRU, {"recurrent_dropout": 0.4}, fused_gru, 1),
    "gru_reset_before": (
        GRU, keras.layers.GRU, {"reset_after": False, "recurrent_dropout": 0.4}, fused_gru, 1
    ),
    "vanilla": (VanillaRNN, keras.layers.SimpleRNN, {}, fused_recurrence, 1),
}


@pytest.fixture
def split_loops(monkeypatch):
    """`split(kind, parts)`: asks for `parts` slices and spies on `kind`'s forward loops.

    Returns the list the static batch size (`None` if unknown) of every
    forward loop run after it is appended to.
    """

    def split(kind, parts):
        batches = []
        module = KINDS[kind][3]
        for name in ("_forward_xla", "_forward_graph"):
            loop = getattr(module, name)

            def recorded(inputs, *args, _loop=loop):
                batches.append(inputs.shape[1])
                return _loop(inputs, *args)

            monkeypatch.setattr(module, name, recorded)
        monkeypatch.setenv(fused_gates.LOOP_PARTS_VARIABLE, str(parts))
        return batches

    return split


@pytest.mark.parametrize("kind", list(KINDS))
def test_three_slices_of_a_batch_of_four_match_keras(kind, split_loops):
    # Four rows and two padding rows in slices of 2: the right-padded,
    # left-padded and fully masked rows of the mask fall in different
    # slices, with initial states and (gated cells) recurrent dropout masks
    # split alike; the padding rows change no output and no gradient.
    batches = split_loops(kind, parts=3)
    ours_class, keras_class, kwargs, _, states = KINDS[kind]
    options = {"return_sequences": True, "return_state": True, "seed": 3, **kwargs}
    theirs = keras_class(UNITS, **options)
    ours = ours_class(UNITS, **options)
    theirs.build((BATCH, STEPS, FEATURES))
    ours.build((BATCH, STEPS, FEATURES))
    rng = np.random.default_rng(1)
    theirs.set_weights([rng.normal(scale=0.4, size=w.shape) for w in theirs.get_weights()])
    ours.set_weights(theirs.get_weights())
    x, mask = recurrent_checks.inputs_and_mask((BATCH, STEPS, FEATURES), seed=2)
    initial = [tf.constant(rng.normal(size=(BATCH, UNITS)).astype("float32"))
               for _ in range(states)]
    for training in (True, False):
        got = recurrent_checks.outputs_and_grads(
            ours, x, tf.constant(mask), initial_state=initial, training=training
        )
        expected = recurrent_checks.outputs_and_grads(
            theirs, x, tf.constant(mask), initial_state=initial, training=training
        )
        for a, b in zip(got[0] + got[1], expected[0] + expected[1]):
            np.testing.assert_allclose(a, b, atol=1e-5)
    assert batches[:3] == [2, 2, 2]
    assert set(batches) == {2}


@pytest.mark.parametrize("kind", ["lstm", "gru", "vanilla"])
def test_model_of_unknown_batch_size_trains_on_slices(kind, split_loops):
    # Traced with the batch size unknown, the padding is computed: the
    # slices keep every other static dimension (the cells read `units`
    # from the state's). Served and trained on batches of 5, 3 and 2 rows,
    # the model matches its twin built on Keras's layer.
    batches = split_loops(kind, parts=2)
    ours_class, keras_class, _, _, states = KINDS[kind]

    def model(layer_class):
        inputs = keras.Input((None, FEATURES))
        state = keras.Input((UNITS,))
        layer = layer_class(UNITS, return_sequences=True, return_state=True)
        sequences, *last = layer(inputs, initial_state=[state] * states)
        # A second layer started from the last states needs their `units`.
        second = layer_class(UNITS, return_sequences=True)
        return keras.Model([inputs, state], second(sequences, initial_state=last))

    ours, theirs = model(ours_class), model(keras_class)
    theirs.set_weights(ours.get_weights())
    rng = np.random.default_rng(4)
    x = rng.normal(size=(5, STEPS, FEATURES)).astype("float32")
    h0 = rng.normal(size=(5, UNITS)).astype("float32")
    serve = tf.function(ours, input_signature=[[
        tf.TensorSpec((None, None, FEATURES)), tf.TensorSpec((None, UNITS))
    ]])
    np.testing.assert_allclose(serve([x, h0]), theirs([x, h0]), atol=1e-5)
    assert batches == [None] * 4  # one trace, two layers of two slices
    data = tf.data.Dataset.from_tensor_slices(((x, h0), np.cos(x[..., :1]) * np.ones(UNITS)))
    for model_ in (ours, theirs):
        model_.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        model_.fit(data.batch(3), epochs=2, verbose=0)  # batches of 3 and 2
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-5)


@pytest.mark.parametrize("kind", ["lstm", "gru", "vanilla"])
def test_model_compiled_whole_runs_one_loop(kind, split_loops):
    # Inside a step XLA compiles whole, XLA would run the slices one after
    # the other: the batch stays whole, and the result is the same.
    batches = split_loops(kind, parts=2)
    ours_class = KINDS[kind][0]
    layer = ours_class(UNITS, return_sequences=True)
    x = tf.constant(np.random.default_rng(0).normal(size=(BATCH, STEPS, FEATURES)), "float32")
    split = layer(x)
    assert batches == [2, 2]
    whole = tf.function(layer, jit_compile=True)(x)
    assert batches[2:] == [BATCH]
    np.testing.assert_allclose(whole, split, atol=1e-5)


def test_loop_parts_one_per_core_with_rows_to_spare(monkeypatch):
    monkeypatch.delenv(fused_gates.LOOP_PARTS_VARIABLE, raising=False)
    monkeypatch.setattr(fused_gates.os, "sched_getaffinity", lambda pid: set(range(4)))
    monkeypatch.setattr(tf.config.threading, "get_inter_op_parallelism_threads", lambda: 0)
    assert fused_gates.loop_parts() == 4  # a batch of unknown size
    assert fused_gates.loop_parts(256) == 4
    assert fused_gates.loop_parts(40) == 2  # at least 16 rows a slice
    assert fused_gates.loop_parts(20) == 1
    monkeypatch.setattr(fused_gates.os, "sched_getaffinity", lambda pid: set(range(64)))
    assert fused_gates.loop_parts() == 8  # at most 8 slices
    monkeypatch.setattr(tf.config.threading, "get_inter_op_parallelism_threads", lambda: 3)
    assert fused_gates.loop_parts() == 3  # no more than the executor's threads


def test_loop_parts_one_on_a_gpu(monkeypatch):
    monkeypatch.delenv(fused_gates.LOOP_PARTS_VARIABLE, raising=False)
    monkeypatch.setattr(fused_gates.os, "sched_getaffinity", lambda pid: set(range(4)))
    monkeypatch.setattr(
        fused_gates.tf.config, "list_logical_devices",
        lambda kind=None: ["/GPU:0"] if kind == "GPU" else [],
    )
    assert fused_gates.loop_parts(256) == 1


def test_loop_parts_variable_overrides_and_is_checked(monkeypatch):
    monkeypatch.setenv(fused_gates.LOOP_PARTS_VARIABLE, "5")
    assert fused_gates.loop_parts(8) == 5
    with fused_gates.whole_batch():  # exports: always one loop
        assert fused_gates.loop_parts(8) == 1
    assert fused_gates.loop_parts(8) == 5
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv(fused_gates.LOOP_PARTS_VARIABLE, bad)
        with pytest.raises(ValueError, match=f"RNN_KERAS_LOOP_PARTS='{bad}'"):
            fused_gates.loop_parts()
