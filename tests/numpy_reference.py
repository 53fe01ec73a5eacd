"""A pure-NumPy vanilla RNN: forward pass and backpropagation through time.

The test oracle for `VanillaRNN`, written from the equations alone

    a_t = x_t W_xh + h_{t-1} W_hh + b_h,   h_t = f(a_t)
    z_t = h_t V + c,                        y_t = g(z_t)

with Keras's masking semantics: a masked step keeps `h_{t-1}` and repeats the
previous output (zeros before the first unmasked step).
"""

import numpy as np

ACTIVATIONS = {
    "tanh": (np.tanh, lambda a, h: 1.0 - h * h),
    "relu": (lambda a: np.maximum(a, 0.0), lambda a, h: (a > 0).astype(a.dtype)),
    "linear": (lambda a: a, lambda a, h: np.ones_like(a)),
}


def forward(x, kernel, recurrent_kernel, bias, h0, activation="tanh", mask=None,
            output_kernel=None, output_bias=None, output_activation="linear"):
    """Returns `(outputs, states, cache)`, outputs and states `(B, T, .)`."""
    f = ACTIVATIONS[activation][0]
    g = ACTIVATIONS[output_activation][0]
    x = np.asarray(x, np.float64)
    batch, steps, _ = x.shape
    if mask is None:
        mask = np.ones((batch, steps), bool)
    h = np.asarray(h0, np.float64)
    out = None
    outputs, states, cache = [], [], []
    for t in range(steps):
        m = mask[:, t][:, None]
        a = x[:, t] @ kernel + h @ recurrent_kernel + bias
        h_new = f(a)
        if output_kernel is None:
            z, y = h_new, h_new
        else:
            z = h_new @ output_kernel + output_bias
            y = g(z)
        if out is None:
            out = np.zeros_like(y)
        cache.append((a, h_new, h, z, y, m))
        h = np.where(m, h_new, h)
        out = np.where(m, y, out)
        states.append(h)
        outputs.append(out)
    return np.stack(outputs, 1), np.stack(states, 1), cache


def backward(x, kernel, recurrent_kernel, bias, h0, grad_outputs, grad_last_state, cache,
             activation="tanh", output_kernel=None, output_bias=None, output_activation="linear"):
    """Backpropagation through time for `forward`.

    Args:
        grad_outputs: `(B, T, O)`, dL/d(outputs).
        grad_last_state: `(B, U)`, dL/d(last state).
        cache: the third result of `forward`.

    Returns:
        dict of gradients for `kernel`, `recurrent_kernel`, `bias`, `h0`,
        `output_kernel` and `output_bias` (the last two when projecting).
    """
    f_prime = ACTIVATIONS[activation][1]
    g_prime = ACTIVATIONS[output_activation][1]
    x = np.asarray(x, np.float64)
    grads = {
        "kernel": np.zeros_like(kernel, np.float64),
        "recurrent_kernel": np.zeros_like(recurrent_kernel, np.float64),
        "bias": np.zeros_like(bias, np.float64),
    }
    if output_kernel is not None:
        grads["output_kernel"] = np.zeros_like(output_kernel, np.float64)
        grads["output_bias"] = np.zeros_like(output_bias, np.float64)
    grad_h = np.asarray(grad_last_state, np.float64)  # dL/dh_t from later steps
    grad_out_carry = np.zeros_like(grad_outputs[:, 0], np.float64)
    for t in reversed(range(len(cache))):
        a, h_new, h_prev, z, y, m = cache[t]
        grad_out = grad_outputs[:, t] + grad_out_carry
        grad_y = grad_out * m
        grad_out_carry = grad_out * (1 - m)
        if output_kernel is None:
            grad_h_new = grad_y
        else:
            grad_z = grad_y * g_prime(z, y)
            grads["output_kernel"] += h_new.T @ grad_z
            grads["output_bias"] += grad_z.sum(0)
            grad_h_new = grad_z @ output_kernel.T
        grad_h_new = grad_h_new + grad_h * m
        grad_a = grad_h_new * f_prime(a, h_new)
        grads["kernel"] += x[:, t].T @ grad_a
        grads["recurrent_kernel"] += h_prev.T @ grad_a
        grads["bias"] += grad_a.sum(0)
        grad_h = grad_a @ recurrent_kernel.T + grad_h * (1 - m)
    grads["h0"] = grad_h
    return grads


def viterbi(scores, transitions, start, end, exclude=()):
    """The best tag path of one sentence's `(steps, tags)` scores, by dynamic programming.

    Tags in `exclude` are never chosen (the tagger's padding tag).
    """
    scores = np.array(scores, "float64")
    scores[:, list(exclude)] = -np.inf
    best = start + scores[0]
    pointers = []
    for step in scores[1:]:
        candidates = best[:, None] + transitions
        pointers.append(candidates.argmax(0))
        best = candidates.max(0) + step
    path = [int((best + end).argmax())]
    for pointer in reversed(pointers):
        path.append(int(pointer[path[-1]]))
    return path[::-1]
