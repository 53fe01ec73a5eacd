"""What the fused layers (`VanillaRNN`, `LSTM`, `GRU`) do around their loops.

Each fused path turns the batch-major call into time-major tensors in
processing order, projects every step's input in one matmul, runs its
recurrence and then gives back outputs exactly as `keras.layers.RNN`
defines them under a mask.
"""

import tensorflow as tf


def time_major(sequences, mask, go_backwards):
    """`(T, B, F)` sequences and `(T, B)` bool mask (or `None`) in processing order."""
    sequences = tf.transpose(sequences, (1, 0, 2))
    if mask is not None:
        mask = tf.transpose(tf.cast(mask, tf.bool), (1, 0))
    if go_backwards:
        sequences = tf.reverse(sequences, (0,))
        if mask is not None:
            mask = tf.reverse(mask, (0,))
    return sequences, mask


# Features up to which a gated loop projects `x_t W` step by step (measured
# under XLA on CPU: reading a step of the hoisted `(T, B, gates * U)` array
# costs about as much as the matmul at 128-256 features; see
# benchmarks/README.md).
IN_LOOP_MAX_FEATURES = 128


def project_in_loop(features, input_masks):
    """Whether a gated loop projects its inputs step by step instead of hoisting.

    Per-gate input dropout masks (Keras draws them with recurrent dropout)
    need one matmul per gate, so they are always hoisted.
    """
    return (
        features is not None
        and features <= IN_LOOP_MAX_FEATURES
        and not isinstance(input_masks, (list, tuple))
    )


def loop_inputs(sequences, kernel, bias, input_masks):
    """`(inputs, arguments)` for a gated loop: the inputs and its projection arguments.

    Either the sequences (dropout applied) with `input_kernel`/`input_bias`
    for a projection inside the loop, or the hoisted projection and no
    arguments, as `project_in_loop` decides.
    """
    if project_in_loop(sequences.shape[-1], input_masks):
        if input_masks is not None:
            sequences = sequences * input_masks
        return sequences, {"input_kernel": kernel, "input_bias": bias}
    return project_inputs(sequences, kernel, bias, input_masks), {}


def project_inputs(sequences, kernel, bias, input_masks):
    """`x_t W + b` for every step, `(T, B, N)`, in one matmul.

    Args:
        sequences: time-major `(T, B, F)` inputs.
        kernel: `(F, N)` kernel (all gates side by side).
        bias: `(N,)` bias or `None`.
        input_masks: `None`, one `(B, F)` dropout mask, or a list of one
            mask per gate (Keras's cells draw one per gate when they use
            recurrent dropout); gate `g` sees `x_t * m_g`.
    """
    steps = tf.shape(sequences)[0]
    batch = tf.shape(sequences)[1]
    features = tf.shape(sequences)[2]
    if isinstance(input_masks, (list, tuple)):
        kernels = tf.split(kernel, len(input_masks), axis=-1)
        projected = tf.concat(
            [
                tf.matmul(tf.reshape(sequences * mask, (-1, features)), gate_kernel)
                for mask, gate_kernel in zip(input_masks, kernels)
            ],
            axis=-1,
        )
    else:
        if input_masks is not None:
            sequences = sequences * input_masks
        projected = tf.matmul(tf.reshape(sequences, (-1, features)), kernel)
    if bias is not None:
        projected = projected + bias
    return tf.reshape(projected, (steps, batch, tf.shape(kernel)[-1]))


def gate_masks(masks):
    """Recurrent dropout masks as one `(gates, B, U)` tensor (or `None`)."""
    if masks is None:
        return None
    return tf.stack(list(masks))


def rnn_outputs(states, mask, return_sequences, zero_output_for_mask, project=None):
    """`(last_output, outputs)` as `keras.layers.RNN` returns them.

    A masked step repeats the previous output (zeros before the first
    unmasked step), or is zero with `zero_output_for_mask`.

    Args:
        states: time-major `(T, B, U)` states in processing order.
        mask: `None` or time-major `(T, B)` bool mask.
        return_sequences: `bool`, also return every step's output.
        zero_output_for_mask: `bool`, the layer's attribute.
        project: optional callable from a `(N, U)` state to its output.

    Returns:
        `last_output` `(B, O)` and `outputs`, batch-major `(B, T, O)`
        (`(B, 1, O)` without `return_sequences`).
    """
    project = project or (lambda state: state)
    valid = None
    if mask is not None:
        valid = mask
        if not zero_output_for_mask:
            valid = tf.cumsum(tf.cast(mask, tf.int32), axis=0) > 0
        valid = valid[:, :, None]

    last_output = project(states[-1])
    if valid is not None:
        last_output = tf.where(valid[-1], last_output, tf.zeros_like(last_output))
    if not return_sequences:
        return last_output, last_output[:, None, :]

    steps = tf.shape(states)[0]
    batch = tf.shape(states)[1]
    outputs = project(tf.reshape(states, (steps * batch, tf.shape(states)[-1])))
    outputs = tf.reshape(outputs, (steps, batch, tf.shape(outputs)[-1]))
    if valid is not None:
        outputs = tf.where(valid, outputs, tf.zeros_like(outputs))
    return last_output, tf.transpose(outputs, (1, 0, 2))
