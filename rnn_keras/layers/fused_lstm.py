"""The fused LSTM recurrence: the TensorFlow fast path of `rnn_keras.layers.LSTM`.

The caller hoists the input projection `x_t W + b` (all four gates, every
step) into one matmul; here only the recurrent term runs step by step:

```
z_t = p_t + h_{t-1} U                       # p_t = x_t W + b
i_t, f_t, g_t, o_t = sigmoid(z_i), sigmoid(z_f), tanh(z_c), sigmoid(z_o)
c_t = f_t * c_{t-1} + i_t * g_t
h_t = o_t * tanh(c_t)
```

The gradient is a hand-written backpropagation through time
(`tf.custom_gradient`) from the saved gate activations:

```
dc_t += dh_t * o_t * (1 - tanh(c_t)^2)
dz_i = dc_t g_t i_t (1 - i_t)      dz_f = dc_t c_{t-1} f_t (1 - f_t)
dz_c = dc_t i_t (1 - g_t^2)        dz_o = dh_t tanh(c_t) o_t (1 - o_t)
dh_{t-1} = dz_t U^T                dc_{t-1} = dc_t f_t
```

and `dL/dU = sum_t h_{t-1}^T dz_t` is one matmul after the loop. A masked
step carries `h` and `c` (and their gradients) unchanged. Both loops can be
XLA-compiled on their own.
"""

import tensorflow as tf

from rnn_keras.layers import fused_gates

_GATES = 4


def _forward(inputs, input_kernel, input_bias, kernel, initial_h, initial_c, mask, masks, save):
    """Runs the recurrence over time-major inputs (see `fused_lstm`).

    Returns:
        `(h, last_c, c, gates)`: `h` `(T, B, U)`, the last cell state
        `(B, U)` and, with `save` (else `None`), what the backward pass
        reads: `c` `(T, B, U)` and the activations `i, f, g, o` of every
        step, `(T, B, 4U)`.
    """
    steps = tf.shape(inputs)[0]
    step_inputs = fused_gates.step_inputs(inputs, input_kernel, input_bias)
    masks_ta = None if mask is None else fused_gates.unstack_time(mask)
    kernels = None if masks is None else fused_gates.per_gate_kernels(kernel, _GATES)
    dtype = initial_h.dtype
    outputs = [tf.TensorArray(dtype, size=steps) for _ in range(3 if save else 1)]
    # sigmoid for i, f, o and tanh for the candidate, all from one tanh.
    scale, shift = fused_gates.gate_affine(tf.shape(initial_h)[-1], (True, True, False, True), dtype)

    def body(t, h, c, *arrays):
        z = step_inputs(t) + fused_gates.recurrent_product(h, kernel, kernels, masks)
        gates = fused_gates.activate(z, scale, shift)
        i, f, g, o = tf.split(gates, _GATES, axis=-1)
        c_new = f * c + i * g
        h_new = o * tf.tanh(c_new)
        if masks_ta is not None:
            step_mask = masks_ta.read(t)
            h_new = tf.where(step_mask, h_new, h)
            c_new = tf.where(step_mask, c_new, c)
        written = (h_new, c_new, gates)[: len(arrays)]
        return (t + 1, h_new, c_new, *(a.write(t, v) for a, v in zip(arrays, written)))

    _, _, last_c, *arrays = tf.while_loop(
        lambda t, *_: t < steps,
        body,
        (tf.constant(0), initial_h, initial_c, *outputs),
        maximum_iterations=steps,
    )
    stacked = [a.stack() for a in arrays]
    if not save:
        return stacked[0], last_c, None, None
    return stacked[0], last_c, stacked[1], stacked[2]


def _backward(grad_h, grad_last_c, h, c, gates, kernel, initial_h, initial_c, mask, masks):
    """Backpropagation through time for `_forward`.

    `grad_h` is the gradient of every step's `h`, `grad_last_c` that of
    the last `c` (the only cell state the layer returns).

    Returns:
        `(dL/dprojected, dL/dU, dL/dh_0, dL/dc_0)`.
    """
    steps = tf.shape(h)[0]
    grad_h_ta = fused_gates.unstack_time(grad_h)
    c_ta = fused_gates.unstack_time(c)
    previous_c_ta = fused_gates.unstack_time(fused_gates.previous_states(initial_c, c))
    gates_ta = fused_gates.unstack_time(gates)
    masks_ta = None if mask is None else fused_gates.unstack_time(mask)
    kernels = None if masks is None else fused_gates.per_gate_kernels(kernel, _GATES)
    grad_z_ta = tf.TensorArray(h.dtype, size=steps)
    transposed_kernel = tf.transpose(kernel)

    def body(i, dh, dc, grad_z_ta):
        t = steps - 1 - i
        dh = dh + grad_h_ta.read(t)
        in_gate, forget, candidate, out_gate = tf.split(gates_ta.read(t), _GATES, axis=-1)
        tanh_c = tf.tanh(c_ta.read(t))
        dc_step = dc + dh * out_gate * (1.0 - tanh_c * tanh_c)
        grad_z = tf.concat(
            [
                dc_step * candidate * in_gate * (1.0 - in_gate),
                dc_step * previous_c_ta.read(t) * forget * (1.0 - forget),
                dc_step * in_gate * (1.0 - candidate * candidate),
                dh * tanh_c * out_gate * (1.0 - out_gate),
            ],
            axis=-1,
        )
        dc_previous = dc_step * forget
        if masks_ta is not None:
            step_mask = masks_ta.read(t)
            grad_z = tf.where(step_mask, grad_z, tf.zeros_like(grad_z))
            dc_previous = tf.where(step_mask, dc_previous, dc)
        dh_previous = fused_gates.recurrent_product_grad(grad_z, transposed_kernel, kernels, masks)
        if masks_ta is not None:
            dh_previous = dh_previous + tf.where(step_mask, tf.zeros_like(dh), dh)
        return i + 1, dh_previous, dc_previous, grad_z_ta.write(t, grad_z)

    _, grad_initial_h, grad_initial_c, grad_z_ta = tf.while_loop(
        lambda i, *_: i < steps,
        body,
        (tf.constant(0), tf.zeros_like(initial_h), grad_last_c, grad_z_ta),
        maximum_iterations=steps,
    )
    grad_z = grad_z_ta.stack()
    grad_kernel = fused_gates.recurrent_kernel_grad(
        fused_gates.previous_states(initial_h, h), grad_z, masks
    )
    return grad_z, grad_kernel, grad_initial_h, grad_initial_c


_forward_xla, _forward_graph = fused_gates.compiled(_forward)
_backward_xla, _backward_graph = fused_gates.compiled(_backward)


def fused_lstm(
    inputs,
    recurrent_kernel,
    initial_h,
    initial_c,
    mask=None,
    recurrent_masks=None,
    jit_compile=True,
    save_for_backward=True,
    input_kernel=None,
    input_bias=None,
):
    """Runs the LSTM recurrence over time-major inputs.

    On a CPU the batch runs as slices side by side, each its own pair of
    loops (`fused_gates.in_batch_parts`).

    Args:
        inputs: `(T, B, 4U)` float tensor, the hoisted `x_t W + b`, gates in
            Keras's order `i, f, c, o`; or, with `input_kernel`, the
            time-major sequences `(T, B, F)`, projected step by step inside
            the loop.
        recurrent_kernel: `(U, 4U)` float tensor, `U`.
        initial_h: `(B, U)` float tensor, `h_0`.
        initial_c: `(B, U)` float tensor, `c_0`.
        mask: optional `(T, B)` bool tensor; a masked step carries `h` and
            `c` unchanged.
        recurrent_masks: optional `(4, B, U)` recurrent dropout masks, one
            per gate, multiplied into `h_{t-1}`.
        jit_compile: `bool`, compile both loops with XLA. Defaults to `True`.
        save_for_backward: `bool`, save the activations for the
            hand-written backward pass. `False` (inference) saves nothing;
            a gradient taken anyway runs the forward loop again to save them.
            Defaults to `True`.
        input_kernel: optional `(F, 4U)` float tensor, `W`, when `inputs`
            are the sequences.
        input_bias: optional `(4U,)` float tensor, `b`, with `input_kernel`.

    Returns:
        `(h, last_c)`: `h` after every step, `(T, B, U)`, and the cell
        state after the last, `(B, U)`.
    """
    mask, recurrent_masks = fused_gates.loop_masks(mask, recurrent_masks)
    xla = fused_gates.xla_loops(jit_compile)
    forward = _forward_xla if xla else _forward_graph
    backward = _backward_xla if xla else _backward_graph

    def run(inputs, initial_h, initial_c, mask, recurrent_masks):
        in_tensors = fused_gates.input_tensors(inputs, input_kernel, input_bias)

        @tf.custom_gradient
        def recurrence(*tensors):
            step_inputs, (kernel, h_0, c_0) = fused_gates.unpack_input_tensors(
                [tf.stop_gradient(t) for t in tensors], input_kernel, input_bias
            )
            arguments = (*step_inputs, kernel, h_0, c_0, mask, recurrent_masks)
            h, last_c, c, gates = forward(*arguments, save_for_backward)

            def grad(grad_h, grad_last_c):
                saved_c, saved_gates = c, gates
                if not save_for_backward:
                    _, _, saved_c, saved_gates = forward(*arguments, True)
                grad_z, grad_kernel, grad_h_0, grad_c_0 = backward(
                    fused_gates.dense_grad(grad_h, h),
                    fused_gates.dense_grad(grad_last_c, last_c),
                    h,
                    saved_c,
                    saved_gates,
                    kernel,
                    h_0,
                    c_0,
                    mask,
                    recurrent_masks,
                )
                return (
                    *fused_gates.input_grads(grad_z, *step_inputs),
                    grad_kernel,
                    grad_h_0,
                    grad_c_0,
                )

            return (h, last_c), grad

        return recurrence(*in_tensors, recurrent_kernel, initial_h, initial_c)

    return fused_gates.in_batch_parts(
        run,
        (inputs, initial_h, initial_c, mask, recurrent_masks),
        axes=(1, 0, 0, 1, 1),
        output_axes=(1, 0),
    )
