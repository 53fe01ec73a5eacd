"""`VanillaRNN` against the pure-NumPy forward pass and BPTT oracle."""

import numpy as np
import pytest
import tensorflow as tf

import numpy_reference
from rnn_keras.layers import VanillaRNN

BATCH, STEPS, FEATURES, UNITS, OUT = 4, 9, 3, 5, 2


def make_mask(kind):
    if kind is None:
        return None
    mask = np.ones((BATCH, STEPS), bool)
    if kind == "right":
        mask[1, 6:] = False
        mask[2, 2:] = False
    elif kind == "left":
        mask[1, :4] = False
        mask[3, :1] = False
    elif kind == "mixed":
        mask[0, 7:] = False  # right-padded
        mask[1, :3] = False  # left-padded
        mask[2, :] = False  # fully masked row
        mask[3, 4] = False  # a hole in the middle
    return mask


def random_weights(rng, projection):
    weights = {
        "kernel": rng.normal(scale=0.5, size=(FEATURES, UNITS)),
        "recurrent_kernel": rng.normal(scale=0.4, size=(UNITS, UNITS)),
        "bias": rng.normal(scale=0.1, size=(UNITS,)),
        "h0": rng.normal(scale=0.3, size=(UNITS,)),
    }
    if projection:
        weights["output_kernel"] = rng.normal(scale=0.5, size=(UNITS, OUT))
        weights["output_bias"] = rng.normal(scale=0.1, size=(OUT,))
    return {k: v.astype("float32") for k, v in weights.items()}


@pytest.mark.parametrize("fast_path", [True, False], ids=["fast", "generic"])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("mask_kind", [None, "right", "left", "mixed"])
@pytest.mark.parametrize("projection", [False, True], ids=["h", "projected"])
def test_outputs_and_gradients_match_numpy_bptt(fast_path, activation, mask_kind, projection):
    rng = np.random.default_rng(7)
    w = random_weights(rng, projection)
    x = rng.normal(size=(BATCH, STEPS, FEATURES)).astype("float32")
    mask = make_mask(mask_kind)
    layer = VanillaRNN(
        UNITS,
        activation=activation,
        return_sequences=True,
        return_state=True,
        learn_initial_state=True,
        output_units=OUT if projection else None,
        output_activation="tanh" if projection else None,
        fast_path=fast_path,
    )
    layer.build(x.shape)
    cell = layer.cell
    cell.kernel.assign(w["kernel"])
    cell.recurrent_kernel.assign(w["recurrent_kernel"])
    cell.bias.assign(w["bias"])
    cell.initial_state.assign(w["h0"])
    if projection:
        cell.output_kernel.assign(w["output_kernel"])
        cell.output_bias.assign(w["output_bias"])

    out_dim = OUT if projection else UNITS
    grad_outputs = rng.normal(size=(BATCH, STEPS, out_dim))
    grad_state = rng.normal(size=(BATCH, UNITS))
    with tf.GradientTape() as tape:
        outputs, state = layer(x, mask=None if mask is None else tf.constant(mask))
        loss = tf.reduce_sum(outputs * grad_outputs) + tf.reduce_sum(state * grad_state)
    variables = {v.name: v for v in layer.trainable_weights}
    grads = dict(zip(variables, tape.gradient(loss, list(variables.values()))))

    projection_args = {}
    if projection:
        projection_args = dict(
            output_kernel=w["output_kernel"], output_bias=w["output_bias"], output_activation="tanh"
        )
    h0 = np.tile(w["h0"], (BATCH, 1))
    ref_outputs, ref_states, cache = numpy_reference.forward(
        x, w["kernel"], w["recurrent_kernel"], w["bias"], h0, activation, mask, **projection_args
    )
    ref_grads = numpy_reference.backward(
        x, w["kernel"], w["recurrent_kernel"], w["bias"], h0, grad_outputs, grad_state, cache,
        activation, **projection_args,
    )
    np.testing.assert_allclose(outputs, ref_outputs, atol=1e-5)
    np.testing.assert_allclose(state, ref_states[:, -1], atol=1e-5)
    for name in ("kernel", "recurrent_kernel", "bias", "output_kernel", "output_bias"):
        if name in ref_grads:
            np.testing.assert_allclose(grads[name], ref_grads[name], atol=1e-5, err_msg=name)
    np.testing.assert_allclose(grads["initial_state"], ref_grads["h0"].sum(0), atol=1e-5)


def test_numpy_reference_gradient_matches_finite_differences():
    # The oracle itself is checked, so that a wrong oracle cannot pass.
    rng = np.random.default_rng(3)
    w = {k: v.astype("float64") for k, v in random_weights(rng, True).items()}
    x = rng.normal(size=(2, 5, FEATURES))
    mask = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]], bool)
    g_out = rng.normal(size=(2, 5, OUT))
    g_state = rng.normal(size=(2, UNITS))
    h0 = np.tile(w["h0"], (2, 1))
    proj = dict(output_kernel=w["output_kernel"], output_bias=w["output_bias"], output_activation="tanh")

    def loss(kernel, recurrent_kernel):
        out, states, _ = numpy_reference.forward(x, kernel, recurrent_kernel, w["bias"], h0, "tanh", mask, **proj)
        return (out * g_out).sum() + (states[:, -1] * g_state).sum()

    _, _, cache = numpy_reference.forward(
        x, w["kernel"], w["recurrent_kernel"], w["bias"], h0, "tanh", mask, **proj
    )
    grads = numpy_reference.backward(
        x, w["kernel"], w["recurrent_kernel"], w["bias"], h0, g_out, g_state, cache, "tanh", **proj
    )
    eps = 1e-6
    for i, j in [(0, 0), (1, 3), (2, 4)]:
        bump = np.zeros_like(w["recurrent_kernel"])
        bump[i, j] = eps
        numeric = (loss(w["kernel"], w["recurrent_kernel"] + bump) - loss(w["kernel"], w["recurrent_kernel"] - bump)) / (2 * eps)
        assert abs(numeric - grads["recurrent_kernel"][i, j]) < 1e-6
        bump = np.zeros_like(w["kernel"])
        bump[i, j] = eps
        numeric = (loss(w["kernel"] + bump, w["recurrent_kernel"]) - loss(w["kernel"] - bump, w["recurrent_kernel"])) / (2 * eps)
        assert abs(numeric - grads["kernel"][i, j]) < 1e-6
