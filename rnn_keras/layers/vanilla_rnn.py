import keras
from keras import activations
from keras import regularizers

from rnn_keras.layers.vanilla_rnn_cell import VanillaRNNCell

# Arguments of `VanillaRNN` that belong to its cell.
_CELL_ARGUMENTS = (
    "units",
    "activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "seed",
    "learn_initial_state",
    "initial_state_initializer",
    "output_units",
    "output_activation",
    "output_kernel_initializer",
    "output_bias_initializer",
)


@keras.saving.register_keras_serializable(package="rnn_keras")
class VanillaRNN(keras.layers.RNN):
    """Vanilla (Elman) recurrent layer with a fused fast path.

    Runs `rnn_keras.layers.VanillaRNNCell` over a sequence:

    ```
    h_t = f(x_t W_xh + h_{t-1} W_hh + b_h)
    y_t = g(h_t V + c)             # only with output_units
    ```

    A drop-in for `keras.layers.SimpleRNN` (same arguments, weight names,
    shapes and order), plus a learned initial state and an output
    projection.

    On the TensorFlow backend the layer does not step through the cell: the
    input projection `X W_xh + b_h` is one matmul over all steps, only
    `h_{t-1} W_hh` runs inside a `tf.while_loop`, the backward pass is a
    hand-written backpropagation through time (for tanh, relu, sigmoid and
    linear) whose weight gradients are hoisted out of the loop too, and both
    loops are compiled with XLA (`jit_compile=True`) even when the model is
    not. Masking, dropout, `go_backwards`, `stateful`, `initial_state` and
    mixed precision all run on this path. The generic `keras.layers.RNN`
    loop is used for `unroll=True`, on other backends, or when
    `fast_path=False`; both give the same numbers.

    Args:
        units: `int.` Dimensionality of the state.
        activation: Activation `f` of the state. Defaults to `"tanh"`.
        use_bias: `bool.` Whether the state has a bias. Defaults to `True`.
        kernel_initializer: Initializer for `W_xh`. Defaults to
            `"glorot_uniform"`.
        recurrent_initializer: Initializer for `W_hh`. Defaults to
            `"orthogonal"`.
        bias_initializer: Initializer for `b_h`. Defaults to `"zeros"`.
        kernel_regularizer: Regularizer for `W_xh`. Defaults to `None`.
        recurrent_regularizer: Regularizer for `W_hh`. Defaults to `None`.
        bias_regularizer: Regularizer for `b_h`. Defaults to `None`.
        activity_regularizer: Regularizer on the layer output. Defaults to
            `None`.
        kernel_constraint: Constraint on `W_xh`. Defaults to `None`.
        recurrent_constraint: Constraint on `W_hh`. Defaults to `None`.
        bias_constraint: Constraint on `b_h`. Defaults to `None`.
        dropout: `float` in `[0, 1)`, input dropout (one mask per sequence).
            Defaults to `0.0`.
        recurrent_dropout: `float` in `[0, 1)`, dropout of `h_{t-1}` (one
            mask per sequence). Defaults to `0.0`.
        return_sequences: `bool.` Return every output, not only the last.
            Defaults to `False`.
        return_state: `bool.` Also return the last state. Defaults to
            `False`.
        go_backwards: `bool.` Process the sequence backwards and return the
            reversed sequence. Defaults to `False`.
        stateful: `bool.` Carry the last state of batch `i` into batch `i`
            of the next call. Defaults to `False`.
        unroll: `bool.` Unroll the loop in the graph (generic path; for
            short sequences only). Defaults to `False`.
        seed: `int.` Seed of the dropout masks. Defaults to `None`.
        learn_initial_state: `bool.` Learn `h_0` (not with `stateful`).
            Defaults to `False`.
        initial_state_initializer: Initializer of the learned `h_0`.
            Defaults to `"zeros"`.
        output_units: `int` or `None.` Size of the projected output
            `y_t = g(h_t V + c)`; `None` outputs `h_t`. Defaults to `None`.
        output_activation: Activation `g` of the projection. Defaults to
            `None` (linear).
        output_kernel_initializer: Initializer for `V`. Defaults to
            `"glorot_uniform"`.
        output_bias_initializer: Initializer for `c`. Defaults to `"zeros"`.
        fast_path: `bool.` Use the fused TensorFlow recurrence where it
            applies. Defaults to `True`.
        jit_compile: `bool.` Compile the fused loops with XLA (each new
            `(batch, time)` shape compiles once). Defaults to `True`.
            `RNN_KERAS_XLA_LOOPS=0` in the environment turns it off for
            every layer (`fused_gates.xla_loops`).
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        sequences: `(batch, timesteps, features)` float tensor.
        initial_state: optional `(batch, units)` tensor (or a list holding
            it), the state before the first step.
        mask: optional `(batch, timesteps)` bool tensor; masked steps keep
            the previous state.
        training: `bool`, whether dropout applies.

    Returns:
        `(batch, timesteps, output_size)` with `return_sequences`, else
        `(batch, output_size)`; with `return_state`, followed by the last
        state `(batch, units)`.

    Example:

    ```python
    inputs = np.random.random((32, 10, 8)).astype("float32")
    outputs, state = rnn_keras.layers.VanillaRNN(
        4, return_sequences=True, return_state=True
    )(inputs)  # (32, 10, 4), (32, 4)
    ```

    Reference:
        - [Elman, 1990](https://doi.org/10.1207/s15516709cog1402_1)
        - [Werbos, 1990, backpropagation through time](
          https://doi.org/10.1109/5.58337)
    """

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        seed=None,
        learn_initial_state=False,
        initial_state_initializer="zeros",
        output_units=None,
        output_activation=None,
        output_kernel_initializer="glorot_uniform",
        output_bias_initializer="zeros",
        fast_path=True,
        jit_compile=True,
        **kwargs,
    ):
        if stateful and learn_initial_state:
            raise ValueError(
                "Arguments `stateful` and `learn_initial_state` cannot both be "
                "True: a stateful layer starts every batch from the state it "
                "carried over. Received: stateful=True, learn_initial_state=True"
            )
        cell = VanillaRNNCell(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            learn_initial_state=learn_initial_state,
            initial_state_initializer=initial_state_initializer,
            output_units=output_units,
            output_activation=output_activation,
            output_kernel_initializer=output_kernel_initializer,
            output_bias_initializer=output_bias_initializer,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="vanilla_rnn_cell",
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self.input_spec = keras.layers.InputSpec(ndim=3)
        self.fast_path = fast_path
        self.jit_compile = jit_compile

    def uses_fast_path(self):
        """Whether calls run the fused recurrence (else the generic loop)."""
        return (
            self.fast_path
            and not self.unroll
            and keras.backend.backend() == "tensorflow"
        )

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(
            sequences, mask=mask, training=training, initial_state=initial_state
        )

    def inner_loop(self, sequences, initial_state, mask, training=False):
        initial_state = initial_state[0] if isinstance(initial_state, (list, tuple)) else initial_state
        masks = self.cell.dropout_masks(sequences[:, 0, :], initial_state, training)
        if self.uses_fast_path():
            return self._fused_loop(sequences, initial_state, mask, masks)
        self.cell.sequence_dropout_masks = masks
        try:
            return super().inner_loop(sequences, [initial_state], mask, training=training)
        finally:
            self.cell.sequence_dropout_masks = (None, None)

    def _fused_loop(self, sequences, initial_state, mask, dropout_masks):
        # Imported here so that the layer also loads on other backends.
        import tensorflow as tf

        from rnn_keras.layers import fused_recurrence
        from rnn_keras.layers import fused_sequences

        cell = self.cell
        dtype = cell.compute_dtype
        input_mask, recurrent_mask = dropout_masks
        sequences, mask = fused_sequences.time_major(
            tf.cast(sequences, dtype), mask, self.go_backwards
        )
        projected = fused_sequences.project_inputs(
            sequences,
            tf.cast(cell.kernel, dtype),
            None if cell.bias is None else tf.cast(cell.bias, dtype),
            input_mask,
        )
        activation = activations.serialize(cell.activation)
        if not isinstance(activation, str):
            activation = cell.activation
        states = fused_recurrence.fused_recurrence(
            projected,
            tf.cast(cell.recurrent_kernel, dtype),
            tf.cast(initial_state, dtype),
            activation=activation,
            mask=mask,
            recurrent_mask=recurrent_mask,
            jit_compile=self.jit_compile,
        )
        last_output, outputs = fused_sequences.rnn_outputs(
            states,
            mask,
            self.return_sequences,
            self.zero_output_for_mask,
            project=cell.project_output,
        )
        return last_output, outputs, [states[-1]]

    def get_config(self):
        cell_config = self.cell.get_config()
        config = {name: cell_config[name] for name in _CELL_ARGUMENTS}
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        config["fast_path"] = self.fast_path
        config["jit_compile"] = self.jit_compile
        base_config = super().get_config()
        del base_config["cell"]
        return {**base_config, **config}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _cell_property(name):
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's `{name}`.")


for _name in _CELL_ARGUMENTS:
    setattr(VanillaRNN, _name, _cell_property(_name))
