"""Pure-NumPy LSTM and GRU: forward pass and backpropagation through time.

The test oracle for `rnn_keras.layers.LSTM` and `GRU`, written from the
equations alone (float64, one step at a time, no TensorFlow), with Keras's
weight layout (gates side by side: `i, f, c, o` for the LSTM, `z, r, h` for
the GRU) and masking semantics: a masked step carries the state unchanged;
the output of a masked step repeats the previous output (zeros before the
first unmasked step), or is zero with `zero_output_for_mask`.

Every function takes and returns plain arrays; `loss_and_grads` gives the
gradients of `sum(grad_outputs * outputs) + sum(grad_states * last states)`.
"""

import numpy as np


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _valid(mask, zero_output_for_mask):
    """`(B, T, 1)`: where the output is the state (else zero)."""
    valid = mask if zero_output_for_mask else np.cumsum(mask, axis=1) > 0
    return valid[:, :, None].astype(np.float64)


def _split(a, parts):
    return np.split(a, parts, axis=-1)


def lstm(x, weights, initial_state, mask=None, zero_output_for_mask=False,
         grad_outputs=None, grad_states=None):
    """An LSTM over `x` `(B, T, F)`; its outputs and, given output grads, every gradient.

    Args:
        weights: `{"kernel": (F, 4U), "recurrent_kernel": (U, 4U), "bias": (4U,)}`.
        initial_state: `(h0, c0)`, both `(B, U)`.
        grad_outputs: optional `(B, T, U)` weights of the outputs in the loss.
        grad_states: optional `(dh_T, dc_T)` weights of the last states.

    Returns:
        `(outputs, (h_T, c_T), grads)`; `grads` (with `grad_outputs`) maps
        `"x"`, every weight name, `"h0"` and `"c0"` to its gradient.
    """
    x = np.asarray(x, np.float64)
    w, u, b = (np.asarray(weights[k], np.float64) for k in ("kernel", "recurrent_kernel", "bias"))
    batch, steps, _ = x.shape
    mask = np.ones((batch, steps), bool) if mask is None else np.asarray(mask, bool)
    h, c = (np.asarray(s, np.float64) for s in initial_state)
    h0, c0 = h, c
    cache, states = [], []
    for t in range(steps):
        m = mask[:, t, None].astype(np.float64)
        z = x[:, t] @ w + h @ u + b
        zi, zf, zc, zo = _split(z, 4)
        i, f, g, o = sigmoid(zi), sigmoid(zf), np.tanh(zc), sigmoid(zo)
        c_new = f * c + i * g
        h_new = o * np.tanh(c_new)
        cache.append((m, h, c, i, f, g, o, c_new))
        h = m * h_new + (1 - m) * h
        c = m * c_new + (1 - m) * c
        states.append(h)
    valid = _valid(mask, zero_output_for_mask)
    outputs = np.stack(states, 1) * valid
    if grad_outputs is None:
        return outputs, (h, c), None

    grad_outputs = np.asarray(grad_outputs, np.float64) * valid
    dh, dc = (np.asarray(g, np.float64) for g in grad_states)
    grads = {"kernel": np.zeros_like(w), "recurrent_kernel": np.zeros_like(u),
             "bias": np.zeros_like(b), "x": np.zeros_like(x)}
    for t in reversed(range(steps)):
        m, h_prev, c_prev, i, f, g, o, c_new = cache[t]
        dh = dh + grad_outputs[:, t]
        dh_new, dc_new = m * dh, m * dc
        tanh_c = np.tanh(c_new)
        dc_new = dc_new + dh_new * o * (1 - tanh_c**2)
        dz = np.concatenate(
            [dc_new * g * i * (1 - i), dc_new * c_prev * f * (1 - f),
             dc_new * i * (1 - g**2), dh_new * tanh_c * o * (1 - o)], axis=-1)
        grads["kernel"] += x[:, t].T @ dz
        grads["recurrent_kernel"] += h_prev.T @ dz
        grads["bias"] += dz.sum(0)
        grads["x"][:, t] = dz @ w.T
        dh = dz @ u.T + (1 - m) * dh
        dc = dc_new * f + (1 - m) * dc
    grads["h0"], grads["c0"] = dh, dc
    assert h0.shape == dh.shape and c0.shape == dc.shape
    return outputs, (h, c), grads


def gru(x, weights, initial_state, mask=None, reset_after=True, zero_output_for_mask=False,
        grad_outputs=None, grad_states=None):
    """A GRU over `x` `(B, T, F)`; its outputs and, given output grads, every gradient.

    With `reset_after` (Keras's default) `weights["bias"]` is `(2, 3U)`:
    row 0 added to `x W`, row 1 to `h U`, and `n = tanh(p_h + r * (h U_h + b_h))`.
    Without, the bias is `(3U,)` and `n = tanh(p_h + (r * h) U_h)`.

    Args:
        initial_state: `h0`, `(B, U)`.
        grad_outputs: optional `(B, T, U)` weights of the outputs in the loss.
        grad_states: optional `dh_T`, the weight of the last state.

    Returns:
        `(outputs, h_T, grads)`; `grads` (with `grad_outputs`) maps `"x"`,
        every weight name and `"h0"` to its gradient.
    """
    x = np.asarray(x, np.float64)
    w, u, b = (np.asarray(weights[k], np.float64) for k in ("kernel", "recurrent_kernel", "bias"))
    b_in, b_rec = (b[0], b[1]) if reset_after else (b, np.zeros_like(b))
    units = u.shape[0]
    u_zr, u_h = u[:, : 2 * units], u[:, 2 * units :]
    batch, steps, _ = x.shape
    mask = np.ones((batch, steps), bool) if mask is None else np.asarray(mask, bool)
    h = np.asarray(initial_state, np.float64)
    cache, states = [], []
    for t in range(steps):
        m = mask[:, t, None].astype(np.float64)
        p_z, p_r, p_h = _split(x[:, t] @ w + b_in, 3)
        if reset_after:
            a_z, a_r, a_h = _split(h @ u + b_rec, 3)
            z, r = sigmoid(p_z + a_z), sigmoid(p_r + a_r)
            n = np.tanh(p_h + r * a_h)
        else:
            a_z, a_r = _split(h @ u_zr, 2)
            z, r = sigmoid(p_z + a_z), sigmoid(p_r + a_r)
            a_h = None
            n = np.tanh(p_h + (r * h) @ u_h)
        h_new = z * h + (1 - z) * n
        cache.append((m, h, z, r, n, a_h))
        h = m * h_new + (1 - m) * h
        states.append(h)
    valid = _valid(mask, zero_output_for_mask)
    outputs = np.stack(states, 1) * valid
    if grad_outputs is None:
        return outputs, h, None

    grad_outputs = np.asarray(grad_outputs, np.float64) * valid
    dh = np.asarray(grad_states, np.float64)
    d_w, d_u = np.zeros_like(w), np.zeros_like(u)
    d_b_in, d_b_rec = np.zeros_like(b_in), np.zeros_like(b_rec)
    d_x = np.zeros_like(x)
    for t in reversed(range(steps)):
        m, h_prev, z, r, n, a_h = cache[t]
        dh = dh + grad_outputs[:, t]
        dh_new = m * dh
        dp_h = dh_new * (1 - z) * (1 - n**2)
        dp_z = dh_new * (h_prev - n) * z * (1 - z)
        if reset_after:
            dp_r = dp_h * a_h * r * (1 - r)
            dp = np.concatenate([dp_z, dp_r, dp_h], -1)
            da = np.concatenate([dp_z, dp_r, dp_h * r], -1)
            d_u += h_prev.T @ da
            d_b_rec += da.sum(0)
            dh_prev = dh_new * z + da @ u.T
        else:
            d_reset = dp_h @ u_h.T  # d(r * h)
            dp_r = d_reset * h_prev * r * (1 - r)
            dp = np.concatenate([dp_z, dp_r, dp_h], -1)
            d_u[:, : 2 * units] += h_prev.T @ dp[:, : 2 * units]
            d_u[:, 2 * units :] += (r * h_prev).T @ dp_h
            dh_prev = dh_new * z + dp[:, : 2 * units] @ u_zr.T + d_reset * r
        d_w += x[:, t].T @ dp
        d_b_in += dp.sum(0)
        d_x[:, t] = dp @ w.T
        dh = dh_prev + (1 - m) * dh
    d_b = np.stack([d_b_in, d_b_rec]) if reset_after else d_b_in
    grads = {"kernel": d_w, "recurrent_kernel": d_u, "bias": d_b, "x": d_x, "h0": dh}
    return outputs, h, grads
