"""`LSTM` and `GRU` against the pure-NumPy forward pass and BPTT oracle.

The oracle is first checked by central finite differences, so that the
layers are held to the equations, not to another implementation.
"""

import numpy as np
import pytest
import tensorflow as tf

import gated_numpy_reference as reference
from covering import covering
from rnn_keras.layers import GRU
from rnn_keras.layers import LSTM
from rnn_keras.layers import fused_sequences

BATCH, STEPS, FEATURES, UNITS = 3, 6, 4, 5


def make_mask(kind):
    if kind is None:
        return None
    mask = np.ones((BATCH, STEPS), bool)
    if kind == "right":
        mask[1, 4:] = False
        mask[2, 1:] = False
    elif kind == "mixed":
        mask[0, :2] = False  # left-padded
        mask[1, :] = False  # fully masked row
        mask[2, 3] = False  # a hole in the middle
    return mask


def problem(cell, reset_after=True, seed=0):
    """Random inputs, weights, initial states and loss weights."""
    rng = np.random.default_rng(seed)
    gates = 4 if cell == "lstm" else 3
    weights = {
        "kernel": rng.normal(scale=0.5, size=(FEATURES, gates * UNITS)),
        "recurrent_kernel": rng.normal(scale=0.5, size=(UNITS, gates * UNITS)),
        "bias": rng.normal(scale=0.3, size=(2, 3 * UNITS) if cell == "gru" and reset_after
                           else (gates * UNITS,)),
    }
    x = rng.normal(size=(BATCH, STEPS, FEATURES))
    states = [rng.normal(scale=0.5, size=(BATCH, UNITS)) for _ in range(2 if cell == "lstm" else 1)]
    grad_outputs = rng.normal(size=(BATCH, STEPS, UNITS))
    grad_states = [rng.normal(size=(BATCH, UNITS)) for _ in states]
    return x, weights, states, grad_outputs, grad_states


def run_reference(cell, x, weights, states, mask, reset_after, zero_output_for_mask,
                  grad_outputs=None, grad_states=None):
    if cell == "lstm":
        return reference.lstm(x, weights, states, mask, zero_output_for_mask,
                              grad_outputs, grad_states)
    return reference.gru(x, weights, states[0], mask, reset_after, zero_output_for_mask,
                         grad_outputs, None if grad_states is None else grad_states[0])


def reference_loss(cell, x, weights, states, mask, reset_after, grad_outputs, grad_states):
    outputs, last, _ = run_reference(cell, x, weights, states, mask, reset_after, False)
    last = last if cell == "lstm" else (last,)
    return np.sum(outputs * grad_outputs) + sum(np.sum(s * g) for s, g in zip(last, grad_states))


@pytest.mark.parametrize("cell, reset_after", [("lstm", True), ("gru", True), ("gru", False)])
@pytest.mark.parametrize("mask_kind", [None, "mixed"])
def test_reference_gradients_match_finite_differences(cell, reset_after, mask_kind):
    x, weights, states, grad_outputs, grad_states = problem(cell, reset_after, seed=1)
    mask = make_mask(mask_kind)
    _, _, grads = run_reference(cell, x, weights, states, mask, reset_after, False,
                                grad_outputs, grad_states)
    named = dict(weights, x=x, h0=states[0])
    if cell == "lstm":
        named["c0"] = states[1]
    rng = np.random.default_rng(2)
    eps = 1e-6
    for name, value in named.items():
        for _ in range(6):
            index = tuple(rng.integers(0, n) for n in value.shape)
            values = {k: v.copy() for k, v in named.items()}
            numeric = []
            for sign in (1, -1):
                values[name] = value.copy()
                values[name][index] += sign * eps
                w = {k: values[k] for k in weights}
                s = [values["h0"]] + ([values["c0"]] if cell == "lstm" else [])
                numeric.append(
                    reference_loss(cell, values["x"], w, s, mask, reset_after, grad_outputs,
                                   grad_states))
            expected = (numeric[0] - numeric[1]) / (2 * eps)
            np.testing.assert_allclose(grads[name][index], expected, atol=1e-6, err_msg=name)


def layer_for(cell, fast_path, reset_after, zero_output_for_mask):
    if cell == "lstm":
        layer = LSTM(UNITS, return_sequences=True, return_state=True, fast_path=fast_path)
    else:
        layer = GRU(UNITS, return_sequences=True, return_state=True, fast_path=fast_path,
                    reset_after=reset_after)
    layer.zero_output_for_mask = zero_output_for_mask
    layer.build((BATCH, STEPS, FEATURES))
    return layer


@pytest.mark.parametrize(
    "path, cell_kind, mask_kind, zero_output_for_mask",
    covering(
        {"fast-projection_in_loop": (True, True), "fast-projection_hoisted": (True, False),
         "generic": (False, None)},
        {"lstm": ("lstm", True), "gru": ("gru", True), "gru_reset_before": ("gru", False)},
        {"unmasked": None, "right": "right", "mixed": "mixed"},
        {"repeat": False, "zero": True},
    ),
)
def test_layer_matches_numpy_bptt(path, cell_kind, mask_kind, zero_output_for_mask,
                                  monkeypatch):
    (fast_path, in_loop), (cell, reset_after) = path, cell_kind
    # Both ways of feeding x_t W + b to the loop (the layer picks by width).
    monkeypatch.setattr(fused_sequences, "IN_LOOP_MAX_FEATURES", FEATURES if in_loop else 0)
    x, weights, states, grad_outputs, grad_states = problem(cell, reset_after)
    mask = make_mask(mask_kind)
    layer = layer_for(cell, fast_path, reset_after, zero_output_for_mask)
    assert layer.uses_fast_path() == fast_path
    layer.set_weights([weights[k].astype("float32") for k in ("kernel", "recurrent_kernel", "bias")])
    expected_outputs, expected_last, grads = run_reference(
        cell, x, weights, states, mask, reset_after, zero_output_for_mask, grad_outputs,
        grad_states)

    x_tf = tf.constant(x, tf.float32)
    states_tf = [tf.constant(s, tf.float32) for s in states]
    with tf.GradientTape() as tape:
        tape.watch([x_tf] + states_tf)
        outputs, *last = layer(x_tf, initial_state=states_tf, training=True,
                               mask=None if mask is None else tf.constant(mask))
        loss = tf.reduce_sum(outputs * grad_outputs) + sum(
            tf.reduce_sum(s * g) for s, g in zip(last, grad_states))
    got = tape.gradient(loss, [x_tf] + states_tf + layer.trainable_weights)

    np.testing.assert_allclose(outputs, expected_outputs, atol=1e-5)
    expected_last = expected_last if cell == "lstm" else (expected_last,)
    for a, b in zip(last, expected_last):
        np.testing.assert_allclose(a, b, atol=1e-5)
    names = ["x", "h0"] + (["c0"] if cell == "lstm" else []) + [
        "kernel", "recurrent_kernel", "bias"]
    for name, value in zip(names, got):
        np.testing.assert_allclose(value, grads[name], atol=1e-5, err_msg=name)
