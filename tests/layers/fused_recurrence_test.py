"""The fused recurrence kernel on its own."""

import numpy as np
import pytest
import tensorflow as tf

from rnn_keras.layers.fused_recurrence import fused_recurrence

T, B, U = 7, 3, 4


def reference_states(projected, kernel, h0, activation, mask, recurrent_mask):
    """Autodiff-able per-step loop in plain TensorFlow eager code."""
    h = h0
    states = []
    for t in range(T):
        h_prev = h if recurrent_mask is None else h * recurrent_mask
        h_new = activation(projected[t] + h_prev @ kernel)
        h = h_new if mask is None else tf.where(mask[t][:, None], h_new, h)
        states.append(h)
    return tf.stack(states)


@pytest.mark.parametrize("jit_compile", [True, False])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear", "softplus"])
@pytest.mark.parametrize("with_masks", [False, True])
def test_states_and_gradients_match_a_step_loop(jit_compile, activation, with_masks):
    rng = np.random.default_rng(0)
    projected = tf.constant(rng.normal(size=(T, B, U)).astype("float32"))
    kernel = tf.constant(rng.normal(scale=0.5, size=(U, U)).astype("float32"))
    h0 = tf.constant(rng.normal(size=(B, U)).astype("float32"))
    mask = recurrent_mask = None
    if with_masks:
        mask = tf.constant(rng.random((T, B)) > 0.3)
        recurrent_mask = tf.constant((rng.random((B, U)) > 0.5).astype("float32") * 2.0)
    function = tf.identity if activation == "linear" else getattr(tf.nn, activation)
    weights = tf.constant(rng.normal(size=(T, B, U)).astype("float32"))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([projected, kernel, h0])
        fused = fused_recurrence(projected, kernel, h0, activation, mask, recurrent_mask, jit_compile)
        expected = reference_states(projected, kernel, h0, function, mask, recurrent_mask)
        fused_loss = tf.reduce_sum(fused * weights)
        expected_loss = tf.reduce_sum(expected * weights)
    np.testing.assert_allclose(fused, expected, atol=1e-5)
    for a, b in zip(tape.gradient(fused_loss, [projected, kernel, h0]),
                    tape.gradient(expected_loss, [projected, kernel, h0])):
        # Linear states grow over the steps: tolerance relative to the
        # largest gradient (float32 sums of terms up to ~100).
        np.testing.assert_allclose(a, b, atol=1e-5 * max(1.0, np.abs(b).max()))


def test_runs_inside_a_jit_compiled_function_with_gradients():
    rng = np.random.default_rng(1)
    projected = tf.constant(rng.normal(size=(T, B, U)).astype("float32"))
    kernel = tf.Variable(rng.normal(scale=0.5, size=(U, U)).astype("float32"))
    h0 = tf.zeros((B, U))

    @tf.function(jit_compile=True)
    def grad():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(fused_recurrence(projected, tf.identity(kernel), h0))
        return tape.gradient(loss, kernel)

    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(fused_recurrence(projected, tf.identity(kernel), h0, jit_compile=False))
    np.testing.assert_allclose(grad(), tape.gradient(loss, kernel), atol=1e-5)
