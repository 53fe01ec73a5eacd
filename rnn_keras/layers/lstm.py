import keras

from rnn_keras.layers import fused_gated_layer


@keras.saving.register_keras_serializable(package="rnn_keras")
class LSTM(fused_gated_layer.FusedGatedLayer, keras.layers.LSTM):
    """Long short-term memory layer with a fused fast path.

    Keras's `keras.layers.LSTM` (same arguments, weight names, shapes and
    order; weights copy both ways) computing, for gates in Keras's order
    `i, f, c, o`:

    ```
    z_t = x_t W + h_{t-1} U + b
    i_t = sigmoid(z_i)   f_t = sigmoid(z_f)   g_t = tanh(z_c)   o_t = sigmoid(z_o)
    c_t = f_t * c_{t-1} + i_t * g_t
    h_t = o_t * tanh(c_t)
    ```

    Where Keras would take its cuDNN kernel (a GPU visible, `use_cudnn`
    `"auto"` or `True`, arguments cuDNN accepts) the layer does exactly what
    Keras does. Elsewhere, on the TensorFlow backend, it runs a fused
    recurrence: `X W + b` for all steps in one matmul, only `h_{t-1} U`
    inside a `tf.while_loop`, a hand-written backpropagation through time
    from the saved gate activations whose weight gradient is one matmul
    after the loop, and both loops compiled with XLA even when the model is
    not. Masks, `go_backwards`, `return_state`, `initial_state`, `stateful`,
    dropout and recurrent dropout (the same masks as Keras's cell draws) and
    mixed precision all run on it. The generic `keras.layers.RNN` loop is
    used for `unroll=True`, activations other than `tanh`/`sigmoid`, other
    backends, or `fast_path=False`; all paths give the same numbers.

    Args:
        units: `int.` Dimensionality of the state.
        fast_path: `bool.` Use the fused TensorFlow recurrence where it
            applies. Defaults to `True`.
        jit_compile: `bool.` Compile the fused loops with XLA (each new
            `(batch, time)` shape compiles once). Defaults to `True`.
            `RNN_KERAS_XLA_LOOPS=0` in the environment turns it off for
            every layer (`fused_gates.xla_loops`).
        **kwargs: every other argument of `keras.layers.LSTM`
            (`activation`, `recurrent_activation`, `use_bias`, initializers,
            regularizers, constraints, `dropout`, `recurrent_dropout`,
            `seed`, `return_sequences`, `return_state`, `go_backwards`,
            `stateful`, `unroll`, `use_cudnn`, base layer arguments).

    Call arguments:
        sequences: `(batch, timesteps, features)` float tensor.
        initial_state: optional list `[h_0, c_0]` of `(batch, units)`
            tensors.
        mask: optional `(batch, timesteps)` bool tensor; masked steps keep
            the previous state.
        training: `bool`, whether dropout applies.

    Returns:
        `(batch, timesteps, units)` with `return_sequences`, else
        `(batch, units)`; with `return_state`, followed by the last `h` and
        `c`.

    Example:

    ```python
    inputs = np.random.random((32, 10, 8)).astype("float32")
    outputs, h, c = rnn_keras.layers.LSTM(
        4, return_sequences=True, return_state=True
    )(inputs)  # (32, 10, 4), (32, 4), (32, 4)
    ```

    Reference:
        - [Hochreiter & Schmidhuber, 1997](
          https://doi.org/10.1162/neco.1997.9.8.1735)
        - [Gers et al., 2000, the forget gate](
          https://doi.org/10.1162/089976600300015015)
    """

    def _fused_recurrence(
        self, sequences, states, mask, input_masks, recurrent_masks, save_for_backward
    ):
        """`(h, [h_T, c_T])` of the fused loop over time-major `sequences`."""
        import tensorflow as tf

        from rnn_keras.layers import fused_lstm
        from rnn_keras.layers import fused_sequences

        cell = self.cell
        dtype = cell.compute_dtype
        bias = None if cell.bias is None else tf.cast(cell.bias, dtype)
        inputs, loop_inputs = fused_sequences.loop_inputs(
            sequences, tf.cast(cell.kernel, dtype), bias, input_masks
        )
        h, last_c = fused_lstm.fused_lstm(
            inputs,
            tf.cast(cell.recurrent_kernel, dtype),
            *states,
            mask=mask,
            recurrent_masks=recurrent_masks,
            jit_compile=self.jit_compile,
            save_for_backward=save_for_backward,
            **loop_inputs,
        )
        return h, [h[-1], last_c]
