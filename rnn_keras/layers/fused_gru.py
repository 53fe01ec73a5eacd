"""The fused GRU recurrence: the TensorFlow fast path of `rnn_keras.layers.GRU`.

The caller hoists the input projection `p_t = x_t W + b_in` (gates `z, r, h`
in Keras's order, every step) into one matmul; here only the recurrent part
runs step by step. With `reset_after=True` (Keras's default, cuDNN's form):

```
a_t = h_{t-1} U + b_rec
z_t = sigmoid(p_z + a_z)      r_t = sigmoid(p_r + a_r)
n_t = tanh(p_h + r_t * a_h)
h_t = z_t * h_{t-1} + (1 - z_t) * n_t
```

and with `reset_after=False` the reset gate acts before the matmul:
`n_t = tanh(p_h + (r_t * h_{t-1}) U_h)`.

The gradient is a hand-written backpropagation through time
(`tf.custom_gradient`) from the saved activations `z, r, n` (and `a_h`):

```
da_n = dh_t (1 - z_t) (1 - n_t^2)
da_z = dh_t (h_{t-1} - n_t) z_t (1 - z_t)
da_r = (da_n * a_h) r_t (1 - r_t)                    # reset_after
dh_{t-1} = dh_t z_t + [da_z, da_r, da_n r_t] U^T     # reset_after
```

with the recurrent kernel's gradient one matmul after the loop. A masked
step carries `h` (and its gradient) unchanged. Both loops can be
XLA-compiled on their own.
"""

import tensorflow as tf

from rnn_keras.layers import fused_gates

_GATES = 3


def _split_kernel(kernel, masks):
    """`(U_zr, U_zr blocks, masks_zr, U_h, mask_h)` for `reset_after=False`."""
    units = tf.shape(kernel)[0]
    kernel_zr, kernel_h = kernel[:, : 2 * units], kernel[:, 2 * units :]
    if masks is None:
        return kernel_zr, None, None, kernel_h, None
    return kernel_zr, fused_gates.per_gate_kernels(kernel_zr, 2), masks[:2], kernel_h, masks[2]


def _forward(
    inputs, input_kernel, input_bias, kernel, recurrent_bias, initial_state, mask, masks,
    reset_after, save,
):
    """Runs the recurrence over time-major inputs (see `fused_gru`).

    Returns:
        `(h, saved)`: `(T, B, U)` states and, with `save` (else `None`),
        the activations `z, r, n` (and `a_h` with `reset_after`) of every
        step, `(T, B, kU)`.
    """
    steps = tf.shape(inputs)[0]
    step_inputs = fused_gates.step_inputs(inputs, input_kernel, input_bias)
    masks_ta = None if mask is None else fused_gates.unstack_time(mask)
    if reset_after:
        kernels = None if masks is None else fused_gates.per_gate_kernels(kernel, _GATES)
    else:
        kernel_zr, kernels_zr, masks_zr, kernel_h, mask_h = _split_kernel(kernel, masks)
    outputs = [tf.TensorArray(initial_state.dtype, size=steps) for _ in range(2 if save else 1)]
    units = initial_state.shape[-1]

    def body(t, h, *arrays):
        # Static sizes: XLA fuses static slices, not dynamic ones.
        p_zr, p_h = tf.split(step_inputs(t), [2 * units, units], axis=-1)
        if reset_after:
            a = fused_gates.recurrent_product(h, kernel, kernels, masks) + recurrent_bias
            a_zr, a_h = tf.split(a, [2 * units, units], axis=-1)
            z, r = tf.split(fused_gates.sigmoid(p_zr + a_zr), 2, axis=-1)
            n = tf.tanh(p_h + r * a_h)
            saved = tf.concat([z, r, n, a_h], axis=-1)
        else:
            a_zr = fused_gates.recurrent_product(h, kernel_zr, kernels_zr, masks_zr)
            z, r = tf.split(fused_gates.sigmoid(p_zr + a_zr), 2, axis=-1)
            h_reset = r * (h if mask_h is None else h * mask_h)
            n = tf.tanh(p_h + tf.matmul(h_reset, kernel_h))
            saved = tf.concat([z, r, n], axis=-1)
        h_new = z * h + (1.0 - z) * n
        if masks_ta is not None:
            h_new = tf.where(masks_ta.read(t), h_new, h)
        written = (h_new, saved)[: len(arrays)]
        return (t + 1, h_new, *(a.write(t, v) for a, v in zip(arrays, written)))

    _, _, *arrays = tf.while_loop(
        lambda t, *_: t < steps,
        body,
        (tf.constant(0), initial_state, *outputs),
        maximum_iterations=steps,
    )
    return arrays[0].stack(), arrays[1].stack() if save else None


def _backward(grad_h, h, saved, kernel, recurrent_bias, initial_state, mask, masks, reset_after):
    """Backpropagation through time for `_forward`.

    Returns:
        `(dL/dprojected, dL/dU, dL/db_rec, dL/dh_0)`.
    """
    steps = tf.shape(h)[0]
    previous = fused_gates.previous_states(initial_state, h)
    grad_ta = fused_gates.unstack_time(grad_h)
    previous_ta = fused_gates.unstack_time(previous)
    saved_ta = fused_gates.unstack_time(saved)
    masks_ta = None if mask is None else fused_gates.unstack_time(mask)
    if reset_after:
        kernels = None if masks is None else fused_gates.per_gate_kernels(kernel, _GATES)
    else:
        kernel_zr, kernels_zr, masks_zr, kernel_h, mask_h = _split_kernel(kernel, masks)
    grads = [tf.TensorArray(h.dtype, size=steps) for _ in range(2)]
    if reset_after:
        transposed_kernel = tf.transpose(kernel)
    else:
        transposed_zr, transposed_h = tf.transpose(kernel_zr), tf.transpose(kernel_h)

    def body(i, dh, grad_p_ta, grad_a_ta):
        t = steps - 1 - i
        dh = dh + grad_ta.read(t)
        h_previous = previous_ta.read(t)
        if reset_after:
            z, r, n, a_h = tf.split(saved_ta.read(t), 4, axis=-1)
        else:
            z, r, n = tf.split(saved_ta.read(t), _GATES, axis=-1)
        da_n = dh * (1.0 - z) * (1.0 - n * n)
        da_z = dh * (h_previous - n) * z * (1.0 - z)
        if reset_after:
            da_r = da_n * a_h * r * (1.0 - r)
            grad_p = tf.concat([da_z, da_r, da_n], axis=-1)
            grad_a = tf.concat([da_z, da_r, da_n * r], axis=-1)
            dh_previous = dh * z + fused_gates.recurrent_product_grad(
                grad_a, transposed_kernel, kernels, masks
            )
        else:
            grad_reset = tf.matmul(da_n, transposed_h)
            masked_previous = h_previous if mask_h is None else h_previous * mask_h
            da_r = grad_reset * masked_previous * r * (1.0 - r)
            grad_p = tf.concat([da_z, da_r, da_n], axis=-1)
            grad_a = grad_p
            reset_path = grad_reset * r
            if mask_h is not None:
                reset_path = reset_path * mask_h
            dh_previous = (
                dh * z
                + reset_path
                + fused_gates.recurrent_product_grad(
                    tf.concat([da_z, da_r], axis=-1), transposed_zr, kernels_zr, masks_zr
                )
            )
        if masks_ta is not None:
            step_mask = masks_ta.read(t)
            grad_p = tf.where(step_mask, grad_p, tf.zeros_like(grad_p))
            grad_a = tf.where(step_mask, grad_a, tf.zeros_like(grad_a))
            dh_previous = tf.where(step_mask, dh_previous, dh)
        return i + 1, dh_previous, grad_p_ta.write(t, grad_p), grad_a_ta.write(t, grad_a)

    _, grad_initial, grad_p_ta, grad_a_ta = tf.while_loop(
        lambda i, *_: i < steps,
        body,
        (tf.constant(0), tf.zeros_like(initial_state), *grads),
        maximum_iterations=steps,
    )
    grad_p = grad_p_ta.stack()
    grad_a = grad_a_ta.stack()
    if reset_after:
        grad_kernel = fused_gates.recurrent_kernel_grad(previous, grad_a, masks)
        grad_bias = tf.reduce_sum(grad_a, axis=(0, 1))
    else:
        units = tf.shape(h)[-1]
        grad_zr = fused_gates.recurrent_kernel_grad(previous, grad_p[..., : 2 * units], masks_zr)
        reset = saved[..., units : 2 * units] * (previous if mask_h is None else previous * mask_h)
        grad_h_kernel = tf.matmul(
            tf.reshape(reset, (-1, units)),
            tf.reshape(grad_p[..., 2 * units :], (-1, units)),
            transpose_a=True,
        )
        grad_kernel = tf.concat([grad_zr, grad_h_kernel], axis=-1)
        grad_bias = tf.zeros_like(recurrent_bias)
    return grad_p, grad_kernel, grad_bias, grad_initial


_forward_xla, _forward_graph = fused_gates.compiled(_forward)
_backward_xla, _backward_graph = fused_gates.compiled(_backward)


def fused_gru(
    inputs,
    recurrent_kernel,
    initial_state,
    recurrent_bias=None,
    reset_after=True,
    mask=None,
    recurrent_masks=None,
    jit_compile=True,
    save_for_backward=True,
    input_kernel=None,
    input_bias=None,
):
    """Runs the GRU recurrence over time-major inputs.

    On a CPU the batch runs as slices side by side, each its own pair of
    loops (`fused_gates.in_batch_parts`).

    Args:
        inputs: `(T, B, 3U)` float tensor, the hoisted `x_t W + b_in`, gates
            in Keras's order `z, r, h`; or, with `input_kernel`, the
            time-major sequences `(T, B, F)`, projected step by step inside
            the loop.
        recurrent_kernel: `(U, 3U)` float tensor, `U`.
        initial_state: `(B, U)` float tensor, `h_0`.
        recurrent_bias: optional `(3U,)` float tensor, the bias added to
            `h_{t-1} U` (`reset_after=True` only). Defaults to zeros.
        reset_after: `bool`, apply the reset gate after the recurrent matmul
            (Keras's default and cuDNN's form). Defaults to `True`.
        mask: optional `(T, B)` bool tensor; a masked step carries `h`
            unchanged.
        recurrent_masks: optional `(3, B, U)` recurrent dropout masks, one
            per gate, multiplied into `h_{t-1}`.
        jit_compile: `bool`, compile both loops with XLA. Defaults to `True`.
        save_for_backward: `bool`, save the activations for the
            hand-written backward pass. `False` (inference) saves nothing;
            a gradient taken anyway runs the forward loop again to save them.
            Defaults to `True`.
        input_kernel: optional `(F, 3U)` float tensor, `W`, when `inputs`
            are the sequences.
        input_bias: optional `(3U,)` float tensor, `b_in`, with
            `input_kernel`.

    Returns:
        `(T, B, U)` tensor of the states after every step.
    """
    mask, recurrent_masks = fused_gates.loop_masks(mask, recurrent_masks)
    if recurrent_bias is None:
        recurrent_bias = tf.zeros((tf.shape(recurrent_kernel)[1],), initial_state.dtype)
    xla = fused_gates.xla_loops(jit_compile)
    forward = _forward_xla if xla else _forward_graph
    backward = _backward_xla if xla else _backward_graph

    def run(inputs, initial_state, mask, recurrent_masks):
        in_tensors = fused_gates.input_tensors(inputs, input_kernel, input_bias)

        @tf.custom_gradient
        def recurrence(*tensors):
            step_inputs, (kernel, bias, h_0) = fused_gates.unpack_input_tensors(
                [tf.stop_gradient(t) for t in tensors], input_kernel, input_bias
            )
            arguments = (*step_inputs, kernel, bias, h_0, mask, recurrent_masks, reset_after)
            h, saved = forward(*arguments, save_for_backward)

            def grad(grad_h):
                activations = saved
                if not save_for_backward:
                    _, activations = forward(*arguments, True)
                grad_z, grad_kernel, grad_bias, grad_h_0 = backward(
                    fused_gates.dense_grad(grad_h, h),
                    h,
                    activations,
                    kernel,
                    bias,
                    h_0,
                    mask,
                    recurrent_masks,
                    reset_after,
                )
                return (
                    *fused_gates.input_grads(grad_z, *step_inputs),
                    grad_kernel,
                    grad_bias,
                    grad_h_0,
                )

            return h, grad

        return recurrence(*in_tensors, recurrent_kernel, recurrent_bias, initial_state)

    return fused_gates.in_batch_parts(
        run, (inputs, initial_state, mask, recurrent_masks), axes=(1, 0, 1, 1), output_axes=1
    )
