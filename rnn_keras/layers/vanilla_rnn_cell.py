import keras
from keras import activations
from keras import constraints
from keras import initializers
from keras import ops
from keras import regularizers

from rnn_keras.validation import check_positive_int
from rnn_keras.validation import check_rate


@keras.saving.register_keras_serializable(package="rnn_keras")
class VanillaRNNCell(keras.layers.Layer):
    """One step of the vanilla (Elman) recurrent network.

    The cell computes, for one time step,

    ```
    h_t = f(x_t W_xh + h_{t-1} W_hh + b_h)      # new state
    y_t = g(h_t V + c)                         # output, if output_units
    ```

    with `W_xh` stored as `kernel` `(input_dim, units)`, `W_hh` as
    `recurrent_kernel` `(units, units)` and `b_h` as `bias` `(units,)`: the
    names, shapes and `get_weights()` order of `keras.layers.SimpleRNNCell`,
    so weights copy between the two with `set_weights`. Without
    `output_units` the output is the state itself, `y_t = h_t`.

    What SimpleRNNCell lacks: a learned initial state `h_0`
    (`learn_initial_state=True`, weight `initial_state`) and the output
    projection `V` (`output_kernel`), `c` (`output_bias`) with activation `g`.

    Dropout is variational (one mask per sequence, as in Keras) when the cell
    runs inside `rnn_keras.layers.VanillaRNN`; inside a plain
    `keras.layers.RNN` a fresh mask is drawn at every step.

    Args:
        units: `int.` Dimensionality of the state `h_t`.
        activation: Activation `f` of the state. Defaults to `"tanh"`.
        use_bias: `bool.` Whether the state has the bias `b_h`. Defaults to
            `True`.
        kernel_initializer: Initializer for `W_xh`. Defaults to
            `"glorot_uniform"`.
        recurrent_initializer: Initializer for `W_hh`. Defaults to
            `"orthogonal"`.
        bias_initializer: Initializer for `b_h`. Defaults to `"zeros"`.
        kernel_regularizer: Regularizer for `W_xh`. Defaults to `None`.
        recurrent_regularizer: Regularizer for `W_hh`. Defaults to `None`.
        bias_regularizer: Regularizer for `b_h`. Defaults to `None`.
        kernel_constraint: Constraint on `W_xh`. Defaults to `None`.
        recurrent_constraint: Constraint on `W_hh`. Defaults to `None`.
        bias_constraint: Constraint on `b_h`. Defaults to `None`.
        dropout: `float` in `[0, 1)`. Fraction of the inputs dropped.
            Defaults to `0.0`.
        recurrent_dropout: `float` in `[0, 1)`. Fraction of `h_{t-1}`
            dropped before `W_hh`. Defaults to `0.0`.
        seed: `int.` Seed of the dropout masks. Defaults to `None`.
        learn_initial_state: `bool.` Learn `h_0` (weight `initial_state`)
            instead of starting from zeros. Defaults to `False`.
        initial_state_initializer: Initializer for the learned `h_0`.
            Defaults to `"zeros"`.
        output_units: `int` or `None.` Size of the projected output `y_t`;
            `None` outputs `h_t`. Defaults to `None`.
        output_activation: Activation `g` of the projected output, e.g.
            `"softmax"`. Defaults to `None` (linear).
        output_kernel_initializer: Initializer for `V`. Defaults to
            `"glorot_uniform"`.
        output_bias_initializer: Initializer for `c`. Defaults to `"zeros"`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        sequence: `(batch, input_dim)` input `x_t` of one step.
        states: list holding the `(batch, units)` state `h_{t-1}`.
        training: `bool`, whether dropout applies. Defaults to `False`.

    Returns:
        `(y_t, [h_t])`.

    Example:

    ```python
    cell = rnn_keras.layers.VanillaRNNCell(32)
    layer = keras.layers.RNN(cell, return_sequences=True)
    outputs = layer(np.zeros((4, 10, 8), "float32"))  # (4, 10, 32)
    ```

    Reference:
        - [Elman, 1990](https://doi.org/10.1207/s15516709cog1402_1)
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
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        learn_initial_state=False,
        initial_state_initializer="zeros",
        output_units=None,
        output_activation=None,
        output_kernel_initializer="glorot_uniform",
        output_bias_initializer="zeros",
        **kwargs,
    ):
        check_positive_int("units", units)
        if output_units is not None:
            check_positive_int("output_units", output_units)
        check_rate("dropout", dropout)
        check_rate("recurrent_dropout", recurrent_dropout)
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.learn_initial_state = learn_initial_state
        self.initial_state_initializer = initializers.get(initial_state_initializer)
        self.output_units = output_units
        self.output_activation = activations.get(output_activation)
        self.output_kernel_initializer = initializers.get(output_kernel_initializer)
        self.output_bias_initializer = initializers.get(output_bias_initializer)

        self.state_size = units
        self.output_size = output_units or units
        # Variational dropout masks, set by `VanillaRNN` for one sequence.
        self.sequence_dropout_masks = (None, None)

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,),
                name="bias",
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.initial_state = None
        if self.learn_initial_state:
            self.initial_state = self.add_weight(
                shape=(self.units,),
                name="initial_state",
                initializer=self.initial_state_initializer,
            )
        self.output_kernel = None
        self.output_bias = None
        if self.output_units:
            self.output_kernel = self.add_weight(
                shape=(self.units, self.output_units),
                name="output_kernel",
                initializer=self.output_kernel_initializer,
            )
            self.output_bias = self.add_weight(
                shape=(self.output_units,),
                name="output_bias",
                initializer=self.output_bias_initializer,
            )

    def dropout_masks(self, step_input, state, training):
        """Returns the `(input_mask, recurrent_mask)` for one sequence.

        Each is `None` when that dropout is off or `training` is false.
        """
        if not training:
            return None, None
        input_mask = None
        recurrent_mask = None
        if self.dropout > 0:
            input_mask = keras.random.dropout(
                ops.ones_like(step_input), rate=self.dropout, seed=self.seed_generator
            )
        if self.recurrent_dropout > 0:
            recurrent_mask = keras.random.dropout(
                ops.ones_like(state), rate=self.recurrent_dropout, seed=self.seed_generator
            )
        return input_mask, recurrent_mask

    def project_output(self, state):
        """`y = g(h V + c)`, or `h` itself without an output projection."""
        if self.output_kernel is None:
            return state
        return self.output_activation(ops.matmul(state, self.output_kernel) + self.output_bias)

    def call(self, sequence, states, training=False):
        prev_state = states[0] if isinstance(states, (list, tuple)) else states
        input_mask, recurrent_mask = self.sequence_dropout_masks
        if input_mask is None and recurrent_mask is None:
            input_mask, recurrent_mask = self.dropout_masks(sequence, prev_state, training)
        if input_mask is not None:
            sequence = sequence * input_mask
        if recurrent_mask is not None:
            prev_state = prev_state * recurrent_mask
        pre_activation = ops.matmul(sequence, self.kernel)
        if self.bias is not None:
            pre_activation = pre_activation + self.bias
        pre_activation = pre_activation + ops.matmul(prev_state, self.recurrent_kernel)
        state = self.activation(pre_activation)
        new_states = [state] if isinstance(states, (list, tuple)) else state
        return self.project_output(state), new_states

    def get_initial_state(self, batch_size=None):
        if not self.learn_initial_state:
            return [ops.zeros((batch_size, self.units), dtype=self.compute_dtype)]
        h0 = ops.cast(self.initial_state, self.compute_dtype)
        return [ops.broadcast_to(h0[None, :], (batch_size, self.units))]

    def get_config(self):
        config = {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
            "learn_initial_state": self.learn_initial_state,
            "initial_state_initializer": initializers.serialize(self.initial_state_initializer),
            "output_units": self.output_units,
            "output_activation": activations.serialize(self.output_activation),
            "output_kernel_initializer": initializers.serialize(self.output_kernel_initializer),
            "output_bias_initializer": initializers.serialize(self.output_bias_initializer),
        }
        base_config = super().get_config()
        return {**base_config, **config}

