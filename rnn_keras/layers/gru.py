import keras

from rnn_keras.layers import fused_gated_layer


@keras.saving.register_keras_serializable(package="rnn_keras")
class GRU(fused_gated_layer.FusedGatedLayer, keras.layers.GRU):
    """Gated recurrent unit layer with a fused fast path.

    Keras's `keras.layers.GRU` (same arguments, weight names, shapes and
    order; weights copy both ways) computing, for gates in Keras's order
    `z, r, h`, with `reset_after=True` (the default, cuDNN's form):

    ```
    a_t = h_{t-1} U + b_rec
    z_t = sigmoid(x_t W_z + b_z + a_z)
    r_t = sigmoid(x_t W_r + b_r + a_r)
    n_t = tanh(x_t W_h + b_h + r_t * a_h)
    h_t = z_t * h_{t-1} + (1 - z_t) * n_t
    ```

    and with `reset_after=False` (one bias, the reset gate before the
    matmul) `n_t = tanh(x_t W_h + b_h + (r_t * h_{t-1}) U_h)`.

    Where Keras would take its cuDNN kernel (a GPU visible, `use_cudnn`
    `"auto"` or `True`, arguments cuDNN accepts) the layer does exactly what
    Keras does. Elsewhere, on the TensorFlow backend, it runs a fused
    recurrence: `X W + b` for all steps in one matmul, only `h_{t-1} U`
    inside a `tf.while_loop`, a hand-written backpropagation through time
    from the saved gate activations whose weight gradient is one matmul
    after the loop, and both loops compiled with XLA even when the model is
    not. Both `reset_after` modes, masks, `go_backwards`, `return_state`,
    `initial_state`, `stateful`, dropout and recurrent dropout (the same
    masks as Keras's cell draws) and mixed precision all run on it. The
    generic `keras.layers.RNN` loop is used for `unroll=True`, activations
    other than `tanh`/`sigmoid`, other backends, or `fast_path=False`; all
    paths give the same numbers.

    Args:
        units: `int.` Dimensionality of the state.
        fast_path: `bool.` Use the fused TensorFlow recurrence where it
            applies. Defaults to `True`.
        jit_compile: `bool.` Compile the fused loops with XLA (each new
            `(batch, time)` shape compiles once). Defaults to `True`.
            `RNN_KERAS_XLA_LOOPS=0` in the environment turns it off for
            every layer (`fused_gates.xla_loops`).
        **kwargs: every other argument of `keras.layers.GRU`
            (`activation`, `recurrent_activation`, `use_bias`, initializers,
            regularizers, constraints, `dropout`, `recurrent_dropout`,
            `seed`, `return_sequences`, `return_state`, `go_backwards`,
            `stateful`, `unroll`, `reset_after`, `use_cudnn`, base layer
            arguments).

    Call arguments:
        sequences: `(batch, timesteps, features)` float tensor.
        initial_state: optional `(batch, units)` tensor (or a list holding
            it), `h_0`.
        mask: optional `(batch, timesteps)` bool tensor; masked steps keep
            the previous state.
        training: `bool`, whether dropout applies.

    Returns:
        `(batch, timesteps, units)` with `return_sequences`, else
        `(batch, units)`; with `return_state`, followed by the last state.

    Example:

    ```python
    inputs = np.random.random((32, 10, 8)).astype("float32")
    outputs, state = rnn_keras.layers.GRU(
        4, return_sequences=True, return_state=True
    )(inputs)  # (32, 10, 4), (32, 4)
    ```

    Reference:
        - [Cho et al., 2014](https://arxiv.org/abs/1406.1078)
    """

    def _fused_recurrence(
        self, sequences, states, mask, input_masks, recurrent_masks, save_for_backward
    ):
        """`(h, [h_T])` of the fused loop over time-major `sequences`."""
        import tensorflow as tf

        from rnn_keras.layers import fused_gru
        from rnn_keras.layers import fused_sequences

        cell = self.cell
        dtype = cell.compute_dtype
        input_bias = recurrent_bias = None
        if cell.bias is not None:
            bias = tf.cast(cell.bias, dtype)
            input_bias, recurrent_bias = (bias[0], bias[1]) if cell.reset_after else (bias, None)
        inputs, loop_inputs = fused_sequences.loop_inputs(
            sequences, tf.cast(cell.kernel, dtype), input_bias, input_masks
        )
        h = fused_gru.fused_gru(
            inputs,
            tf.cast(cell.recurrent_kernel, dtype),
            states[0],
            recurrent_bias=recurrent_bias,
            reset_after=cell.reset_after,
            mask=mask,
            recurrent_masks=recurrent_masks,
            jit_compile=self.jit_compile,
            save_for_backward=save_for_backward,
            **loop_inputs,
        )
        return h, [h[-1]]
