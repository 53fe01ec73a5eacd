"""The fused vanilla-RNN recurrence: the TensorFlow fast path of `VanillaRNN`.

Only the recurrent part `h_t = f(p_t + h_{t-1} W_hh)` runs step by step here;
the caller hoists the input projection `p_t = x_t W_xh + b_h` out of the loop
as one matmul over all steps. The loop is a `tf.while_loop` over
`TensorArray`s (not `tf.scan`, which is pathological under XLA).

The gradient is a hand-written backpropagation through time
(`tf.custom_gradient`): the loop only carries `dL/dh_t` back through `W_hh`,
and the weight gradient `dL/dW_hh = sum_t h_{t-1}^T dL/dp_t` is one matmul
after the loop. For `tanh`, `relu`, `sigmoid` and `linear` the activation's
derivative is written from the saved output `h_t`; any other activation gets
its vector-Jacobian product from TensorFlow at the recomputed pre-activation.

Both loops can be compiled with XLA on their own (`jit_compile=True`), so the
speed-up does not depend on the whole model being compiled.
"""

import keras
import tensorflow as tf

from rnn_keras.layers import fused_gates

# Derivative of each activation, written in terms of its output `h = f(a)`.
_DERIVATIVES = {
    "tanh": lambda h: 1.0 - h * h,
    "relu": lambda h: tf.cast(h > 0, h.dtype),
    "sigmoid": lambda h: h * (1.0 - h),
    "linear": tf.ones_like,
}
_ACTIVATIONS = {
    "tanh": tf.tanh,
    "relu": tf.nn.relu,
    "sigmoid": tf.sigmoid,
    "linear": tf.identity,
}


def _forward(projected, recurrent_kernel, initial_state, mask, recurrent_mask, activation):
    """Runs the recurrence; returns the carried state after every step.

    Args:
        projected: `(T, B, U)` tensor, `x_t W_xh + b_h` for every step.
        recurrent_kernel: `(U, U)` tensor, `W_hh`.
        initial_state: `(B, U)` tensor, `h_0`.
        mask: `None` or `(T, B, 1)` bool tensor; a masked step keeps the
            previous state.
        recurrent_mask: `None` or `(B, U)` dropout mask applied to `h_{t-1}`.
        activation: a callable `f`.

    Returns:
        `(T, B, U)` tensor of states `h_1 ... h_T`.
    """
    steps = tf.shape(projected)[0]
    inputs_ta = tf.TensorArray(projected.dtype, size=steps).unstack(projected)
    masks_ta = None
    if mask is not None:
        masks_ta = tf.TensorArray(tf.bool, size=steps).unstack(mask)
    states_ta = tf.TensorArray(projected.dtype, size=steps)

    def body(t, h, states_ta):
        h_prev = h if recurrent_mask is None else h * recurrent_mask
        h_new = activation(inputs_ta.read(t) + tf.matmul(h_prev, recurrent_kernel))
        if masks_ta is not None:
            h_new = tf.where(masks_ta.read(t), h_new, h)
        return t + 1, h_new, states_ta.write(t, h_new)

    _, _, states_ta = tf.while_loop(
        lambda t, *_: t < steps,
        body,
        (tf.constant(0), initial_state, states_ta),
        maximum_iterations=steps,
    )
    return states_ta.stack()


def _backward(
    grad_states,
    states,
    projected,
    recurrent_kernel,
    initial_state,
    mask,
    recurrent_mask,
    activation,
    derivative,
):
    """Backpropagation through time for `_forward`.

    Args:
        grad_states: `(T, B, U)`, `dL/dh_t` from everything downstream.
        states: `(T, B, U)`, the forward states `h_1 ... h_T`.
        projected, recurrent_kernel, initial_state, mask, recurrent_mask,
            activation: as in `_forward`.
        derivative: `f'` written in terms of `f`'s output, or `None` to
            take the vector-Jacobian product of `activation` at the
            recomputed pre-activation.

    Returns:
        `(dL/dprojected, dL/dW_hh, dL/dh_0)`.
    """
    steps = tf.shape(states)[0]
    grads_ta = tf.TensorArray(grad_states.dtype, size=steps).unstack(grad_states)
    states_ta = tf.TensorArray(states.dtype, size=steps).unstack(states)
    masks_ta = None
    if mask is not None:
        masks_ta = tf.TensorArray(tf.bool, size=steps).unstack(mask)
    grad_pre_ta = tf.TensorArray(grad_states.dtype, size=steps)
    kernel_t = tf.transpose(recurrent_kernel)
    previous = tf.concat([initial_state[tf.newaxis], states[:-1]], axis=0)
    if recurrent_mask is not None:
        previous = previous * recurrent_mask
    if derivative is None:
        projected_ta = tf.TensorArray(projected.dtype, size=steps).unstack(projected)
        previous_ta = tf.TensorArray(previous.dtype, size=steps).unstack(previous)

    def activation_vjp(t, grad_h):
        if derivative is not None:
            return grad_h * derivative(states_ta.read(t))
        pre_activation = projected_ta.read(t) + tf.matmul(previous_ta.read(t), recurrent_kernel)
        return tf.gradients(activation(pre_activation), pre_activation, grad_ys=grad_h)[0]

    def body(i, grad_h, grad_pre_ta):
        t = steps - 1 - i
        grad_h = grad_h + grads_ta.read(t)
        grad_pre = activation_vjp(t, grad_h)
        if masks_ta is not None:
            step_mask = masks_ta.read(t)
            grad_pre = tf.where(step_mask, grad_pre, tf.zeros_like(grad_pre))
            carried = tf.where(step_mask, tf.zeros_like(grad_h), grad_h)
        grad_prev = tf.matmul(grad_pre, kernel_t)
        if recurrent_mask is not None:
            grad_prev = grad_prev * recurrent_mask
        if masks_ta is not None:
            grad_prev = grad_prev + carried
        return i + 1, grad_prev, grad_pre_ta.write(t, grad_pre)

    _, grad_initial, grad_pre_ta = tf.while_loop(
        lambda i, *_: i < steps,
        body,
        (tf.constant(0), tf.zeros_like(initial_state), grad_pre_ta),
        maximum_iterations=steps,
    )
    grad_pre = grad_pre_ta.stack()
    # The weight gradient, hoisted out of the loop: one matmul over all steps.
    units = tf.shape(states)[-1]
    grad_kernel = tf.matmul(
        tf.reshape(previous, (-1, units)),
        tf.reshape(grad_pre, (-1, units)),
        transpose_a=True,
    )
    return grad_pre, grad_kernel, grad_initial


_forward_xla, _forward_graph = fused_gates.compiled(_forward)
_backward_xla, _backward_graph = fused_gates.compiled(_backward)


def fused_recurrence(
    projected,
    recurrent_kernel,
    initial_state,
    activation="tanh",
    mask=None,
    recurrent_mask=None,
    jit_compile=True,
):
    """Runs `h_t = f(p_t + h_{t-1} W_hh)` over time-major inputs.

    On a CPU the batch runs as slices side by side, each its own pair of
    loops (`fused_gates.in_batch_parts`).

    Args:
        projected: `(T, B, U)` float tensor, the hoisted `x_t W_xh + b_h`.
        recurrent_kernel: `(U, U)` float tensor, `W_hh`.
        initial_state: `(B, U)` float tensor, `h_0`.
        activation: `str` name or any callable `f`. `"tanh"`, `"relu"`,
            `"sigmoid"` and `"linear"` get their derivative from the saved
            states; others recompute the pre-activation in the backward
            loop. Defaults to `"tanh"`.
        mask: optional `(T, B)` bool tensor; a masked step carries the
            previous state unchanged.
        recurrent_mask: optional `(B, U)` dropout mask multiplied into
            `h_{t-1}` before the recurrent matmul.
        jit_compile: `bool`, compile the forward and backward loops with
            XLA. Defaults to `True`.

    Returns:
        `(T, B, U)` tensor of the states after each step.
    """
    mask, recurrent_mask = fused_gates.loop_masks(mask, recurrent_mask)
    xla = fused_gates.xla_loops(jit_compile)
    forward = _forward_xla if xla else _forward_graph
    backward = _backward_xla if xla else _backward_graph
    if isinstance(activation, str) and activation in _ACTIVATIONS:
        function = _ACTIVATIONS[activation]
        derivative = _DERIVATIVES[activation]
    else:
        function = keras.activations.get(activation)
        derivative = None

    def run(projected, initial_state, mask, recurrent_mask):
        @tf.custom_gradient
        def recurrence(projected, recurrent_kernel, initial_state):
            # The loop's own gradient is never needed: stop the tape from asking
            # for it (XLA cannot return the loop's intermediates anyway).
            states = forward(
                tf.stop_gradient(projected),
                tf.stop_gradient(recurrent_kernel),
                tf.stop_gradient(initial_state),
                mask,
                recurrent_mask,
                function,
            )

            def grad(grad_states):
                return backward(
                    tf.convert_to_tensor(grad_states),
                    states,
                    projected,
                    recurrent_kernel,
                    initial_state,
                    mask,
                    recurrent_mask,
                    function,
                    derivative,
                )

            return states, grad

        return recurrence(projected, recurrent_kernel, initial_state)

    return fused_gates.in_batch_parts(
        run, (projected, initial_state, mask, recurrent_mask), axes=(1, 0, 1, 0), output_axes=1
    )
