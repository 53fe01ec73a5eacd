"""Pieces shared by the fused recurrences.

The generic ones (`compiled`, `loop_masks`) serve the vanilla RNN's loop
too; the rest is for the gated cells. A gated cell's recurrent term is
`h_{t-1} U` with `U` of shape `(units, gates * units)`, one block per gate.
With recurrent dropout Keras draws one mask per gate (`h_{t-1} * m_g`
feeds gate `g`), so the product becomes one batched matmul over the gates. The backward pass needs the transposed
product inside its loop and the weight gradient `sum_t h_{t-1}^T dz_t` once
after it. `in_batch_parts` runs any fused loop on slices of the batch, one
per CPU core.
"""

import contextlib
import contextvars
import os

import tensorflow as tf

from rnn_keras import compat

# Set to `0` to compile no fused loop with XLA, whatever the layers' `jit_compile`.
XLA_LOOPS_VARIABLE = "RNN_KERAS_XLA_LOOPS"
# Set to a positive integer to run the fused loops on that many slices of the
# batch (`1`: the whole batch in one loop), whatever the machine.
LOOP_PARTS_VARIABLE = "RNN_KERAS_LOOP_PARTS"
# Fewest rows a slice of a batch of known size is given, and most slices.
_MIN_PART_ROWS = 16
_MAX_PARTS = 8
_WHOLE_BATCH = contextvars.ContextVar("rnn_keras_whole_batch", default=False)


def unstack_time(tensor):
    """A `TensorArray` read step by step from a time-major tensor."""
    return tf.TensorArray(tensor.dtype, size=tf.shape(tensor)[0]).unstack(tensor)


def step_inputs(inputs, input_kernel, input_bias):
    """`t -> p_t`, every gate's input term of step `t`.

    `inputs` is either the hoisted projection `(T, B, N)` (`input_kernel`
    `None`) or the time-major sequences `(T, B, F)`, projected one step at a
    time inside the loop. Under XLA on CPU a step's slice of a large
    `(T, B, N)` array costs more to read than `x_t W` costs to compute when
    `F` is small: `fused_sequences.project_in_loop` chooses.
    """
    inputs_ta = unstack_time(inputs)
    if input_kernel is None:
        return inputs_ta.read

    def read(t):
        projected = tf.matmul(inputs_ta.read(t), input_kernel)
        return projected if input_bias is None else projected + input_bias

    return read


def input_tensors(inputs, input_kernel, input_bias):
    """The differentiable input tensors of a fused loop (those not `None`)."""
    return [t for t in (inputs, input_kernel, input_bias) if t is not None]


def unpack_input_tensors(tensors, input_kernel, input_bias):
    """`((inputs, input_kernel, input_bias), rest)` from tensors led by `input_tensors`.

    The inverse of `input_tensors` inside a `tf.custom_gradient` function:
    the leading tensors fill the slots that were given, `None` the others.
    """
    given = iter(tensors)
    present = (True, input_kernel is not None, input_bias is not None)
    step_inputs = tuple(next(given) if slot else None for slot in present)
    return step_inputs, list(given)


def loop_masks(mask, recurrent_masks):
    """The step mask as `(T, B, 1)` bool, and the dropout masks as constants.

    A dropout mask is a constant of the step, never differentiated.
    """
    if mask is not None:
        mask = tf.expand_dims(tf.cast(mask, tf.bool), -1)
    if recurrent_masks is not None:
        recurrent_masks = tf.stop_gradient(recurrent_masks)
    return mask, recurrent_masks


def input_grads(grad_z, inputs, input_kernel, input_bias):
    """Gradients of `input_tensors` from the gradient of every `p_t`.

    With the projection in the loop, `dx_t = dp_t W^T`, and `dW = sum_t
    x_t^T dp_t` and `db = sum_t dp_t` are single ops after the loop.
    """
    if input_kernel is None:
        return [grad_z]
    width = tf.shape(grad_z)[-1]
    flat_grad = tf.reshape(grad_z, (-1, width))
    flat_inputs = tf.reshape(inputs, (-1, tf.shape(inputs)[-1]))
    grads = [
        tf.reshape(tf.matmul(flat_grad, input_kernel, transpose_b=True), tf.shape(inputs)),
        tf.matmul(flat_inputs, flat_grad, transpose_a=True),
    ]
    if input_bias is not None:
        grads.append(tf.reduce_sum(flat_grad, axis=0))
    return grads


def per_gate_kernels(kernel, gates):
    """`(units, gates * units)` kernel as `(gates, units, units)` blocks."""
    units = tf.shape(kernel)[0]
    return tf.transpose(tf.reshape(kernel, (units, gates, units)), (1, 0, 2))


def recurrent_product(state, kernel, kernels, masks):
    """`h U` for every gate at once, `(batch, gates * units)`.

    Args:
        state: `(batch, units)`, `h_{t-1}`.
        kernel: `(units, gates * units)`, `U`.
        kernels: `per_gate_kernels(U)` when `masks` is given, else unused.
        masks: `None` or `(gates, batch, units)` recurrent dropout masks.
    """
    if masks is None:
        return tf.matmul(state, kernel)
    products = tf.matmul(state[tf.newaxis] * masks, kernels)
    return _gates_last(products)


def recurrent_product_grad(grad, transposed_kernel, kernels, masks):
    """The gradient of `recurrent_product` with respect to `state`.

    Takes `U^T`, transposed once before the backward loop: XLA on CPU runs
    `dz U^T` in the loop faster on a transposed copy than with
    `transpose_b` (one side-by-side run, 100 steps of (32, 512) x (512,
    128): 5.8 ms against 7.3 ms).
    """
    if masks is None:
        return tf.matmul(grad, transposed_kernel)
    gates = masks.shape[0]
    batch = tf.shape(grad)[0]
    per_gate = tf.transpose(tf.reshape(grad, (batch, gates, -1)), (1, 0, 2))
    return tf.reduce_sum(tf.matmul(per_gate, kernels, transpose_b=True) * masks, axis=0)


def recurrent_kernel_grad(previous, grads, masks):
    """`sum_t h_{t-1}^T dz_t`: the recurrent kernel's gradient in one matmul.

    Args:
        previous: `(T, batch, units)`, the states `h_0 ... h_{T-1}`.
        grads: `(T, batch, gates * units)`, the gradient of the recurrent
            pre-activations of every step.
        masks: `None` or `(gates, batch, units)` recurrent dropout masks.
    """
    units = tf.shape(previous)[-1]
    flat_previous = tf.reshape(previous, (-1, units))
    if masks is None:
        return tf.matmul(flat_previous, tf.reshape(grads, (-1, tf.shape(grads)[-1])), transpose_a=True)
    gates = masks.shape[0]
    blocks = tf.split(grads, gates, axis=-1)
    return tf.concat(
        [
            tf.matmul(
                tf.reshape(previous * masks[gate], (-1, units)),
                tf.reshape(blocks[gate], (-1, units)),
                transpose_a=True,
            )
            for gate in range(gates)
        ],
        axis=-1,
    )


def previous_states(initial_state, states):
    """`h_0 ... h_{T-1}` from `h_0` and `h_1 ... h_T`."""
    return tf.concat([initial_state[tf.newaxis], states[:-1]], axis=0)


def _gates_last(products):
    """`(gates, batch, units)` as `(batch, gates * units)`."""
    gates = products.shape[0]
    batch = tf.shape(products)[1]
    return tf.reshape(tf.transpose(products, (1, 0, 2)), (batch, gates * tf.shape(products)[2]))


def gate_affine(units, sigmoid_gates, dtype):
    """`(scale, shift)` with which `activate` computes every gate at once.

    `sigmoid(x) = 0.5 tanh(0.5 x) + 0.5`, so a gate block is
    `scale * tanh(scale * z) + shift` with `(0.5, 0.5)` for a sigmoid gate
    and `(1, 0)` for a tanh gate: one transcendental pass over all gates,
    which XLA on CPU runs far faster than separate sigmoids and tanhs.
    """
    scale = tf.concat(
        [tf.fill((units,), 0.5 if sigmoid else 1.0) for sigmoid in sigmoid_gates], axis=0
    )
    shift = tf.concat(
        [tf.fill((units,), 0.5 if sigmoid else 0.0) for sigmoid in sigmoid_gates], axis=0
    )
    return tf.cast(scale, dtype), tf.cast(shift, dtype)


def activate(z, scale, shift):
    """Every gate's activation from its pre-activation (see `gate_affine`)."""
    return scale * tf.tanh(scale * z) + shift


def sigmoid(x):
    """`sigmoid(x)` as `0.5 tanh(0.5 x) + 0.5` (faster under XLA on CPU)."""
    return 0.5 * tf.tanh(0.5 * x) + 0.5


def dense_grad(grad, output):
    """An output's incoming gradient as a dense tensor (zeros if unused)."""
    if grad is None:
        return tf.zeros_like(output)
    return tf.convert_to_tensor(grad)


def xla_loops(jit_compile):
    """Whether the fused loops compile with XLA: the layer's `jit_compile`, unless switched off.

    `RNN_KERAS_XLA_LOOPS=0` in the environment runs every fused loop as a
    plain graph loop. XLA compiles each new `(batch, time)` shape once, in
    0.3-1 s on a CPU: for short jobs (a test suite, a few epochs on tiny
    data, a server meeting many shapes) that costs more than it saves.
    Read when a layer traces its call, so it holds for every model traced
    after it is set.

    Raises:
        ValueError: the variable is set to something other than `0`,
            `1`, `false` or `true`.
    """
    value = os.environ.get(XLA_LOOPS_VARIABLE, "1").strip().lower()
    if value not in ("0", "1", "false", "true"):
        raise ValueError(
            f"{XLA_LOOPS_VARIABLE}={os.environ[XLA_LOOPS_VARIABLE]!r}: expected 0 or 1 "
            "(false or true)"
        )
    return bool(jit_compile) and value in ("1", "true")


def compiled(function):
    """`(xla, graph)` versions of a loop function."""
    return (
        tf.function(function, jit_compile=True, autograph=False),
        tf.function(function, autograph=False),
    )


def loop_parts(batch_size=None):
    """How many slices of the batch the fused loops run on side by side.

    A recurrence is sequential in time but independent across the batch,
    and one step's `h_{t-1} U` is too small a matmul to use more than one
    CPU core: on a CPU the loops run on one slice of the batch per core
    (at most 8), each its own loop, which TensorFlow's executor runs
    concurrently. A batch of known size gives each slice at least 16 rows.
    With a GPU visible, and in functions traced under `whole_batch()`
    (exports: the server's cores are not the exporting machine's), the
    whole batch runs in one loop. Otherwise the environment variable
    `RNN_KERAS_LOOP_PARTS` overrides the choice (`1`: never split).

    Args:
        batch_size: `int` or `None`, the static batch size if known.

    Raises:
        ValueError: `RNN_KERAS_LOOP_PARTS` is not a positive integer.
    """
    if _WHOLE_BATCH.get():
        return 1
    value = os.environ.get(LOOP_PARTS_VARIABLE, "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(
                f"{LOOP_PARTS_VARIABLE}={os.environ[LOOP_PARTS_VARIABLE]!r}: expected a "
                "positive integer"
            )
        return int(value)
    if tf.config.list_logical_devices("GPU"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    threads = tf.config.threading.get_inter_op_parallelism_threads()
    parts = min(cores or 1, threads or _MAX_PARTS, _MAX_PARTS)
    if batch_size is not None:
        parts = min(parts, max(1, batch_size // _MIN_PART_ROWS))
    return parts


@contextlib.contextmanager
def whole_batch():
    """Within it, the fused loops traced run the whole batch in one loop."""
    token = _WHOLE_BATCH.set(True)
    try:
        yield
    finally:
        _WHOLE_BATCH.reset(token)


def in_batch_parts(function, tensors, axes, output_axes):
    """`function(*tensors)` run on equal slices of the batch side by side.

    The batch is padded with zero (`False`) rows to a multiple of
    `loop_parts` (a batch that divides evenly is passed through, not
    copied), split into that many slices of one size, so that XLA compiles
    one shape for all of them, `function` is called on each (independent
    calls, which TensorFlow's executor runs concurrently), and the outputs
    are concatenated and trimmed back to the batch. Gradients flow through
    the padding, split and concatenation, so `function` may be a
    `tf.custom_gradient`: weights it closes over get the sum of the parts'
    gradients (the padding rows' are zero: no output depends on them).
    Inside a function XLA compiles whole (`jit_compile=True` on the train
    step), which would run the parts one after the other, the batch is not
    split.

    Args:
        function: callable of `len(tensors)` positional tensors (or `None`)
            returning one tensor or a tuple of tensors.
        tensors: the inputs; `None` entries are passed as `None`.
        axes: the batch axis of each of `tensors`.
        output_axes: the batch axis of the output, or a tuple of one per output.
    """
    reference, reference_axis = next((t, a) for t, a in zip(tensors, axes) if t is not None)
    parts = loop_parts(reference.shape[reference_axis])
    if parts == 1 or compat.in_xla_context():
        return function(*tensors)
    batch = tf.shape(reference)[reference_axis]
    padding = (-batch) % parts
    sliced = [
        [None] * parts if t is None else tf.split(_pad_rows(t, axis, padding), parts, axis=axis)
        for t, axis in zip(tensors, axes)
    ]
    results = [function(*part) for part in zip(*sliced)]
    single = not isinstance(output_axes, tuple)
    if single:
        results = [(result,) for result in results]
        output_axes = (output_axes,)
    joined = tuple(
        _trim_rows(
            tf.concat([result[i] for result in results], axis=axis),
            axis,
            batch,
            reference.shape[reference_axis],
        )
        for i, axis in enumerate(output_axes)
    )
    return joined[0] if single else joined


def _pad_rows(tensor, axis, rows):
    """`tensor` with `rows` zero (`False`) rows appended along `axis`."""
    paddings = [[0, 0]] * len(tensor.shape)
    paddings[axis] = [0, rows]
    return tf.pad(tensor, paddings)


def _trim_rows(tensor, axis, rows, static_rows):
    """The first `rows` rows of `tensor` along `axis` (`static_rows` if known)."""
    size = [-1] * len(tensor.shape)
    size[axis] = rows
    trimmed = tf.slice(tensor, [0] * len(tensor.shape), size)
    # A computed size leaves no static dimension: restore them.
    static = tensor.shape.as_list()
    static[axis] = static_rows
    return tf.ensure_shape(trimmed, static)
