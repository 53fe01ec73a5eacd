import keras

from rnn_keras.layers.gru import GRU
from rnn_keras.layers.lstm import LSTM
from rnn_keras.layers.vanilla_rnn import VanillaRNN
from rnn_keras.validation import check_one_of
from rnn_keras.validation import check_positive_int
from rnn_keras.validation import check_rate

CELLS = ("vanilla", "lstm", "gru")
MERGE_MODES = ("concat", "sum", "mul", "ave")
_STATES_PER_LAYER = {"vanilla": 1, "lstm": 2, "gru": 1}


@keras.saving.register_keras_serializable(package="rnn_keras")
class RecurrentBlock(keras.layers.Layer):
    """A stack of recurrent layers: the recurrent part of every model.

    `num_layers` layers of one kind (`VanillaRNN`, or Keras's own `LSTM` and
    `GRU`, left with their cuDNN-eligible defaults), optionally wrapped in
    `keras.layers.Bidirectional`, with `keras.layers.Dropout` between them.
    Every layer but the last returns sequences. Masks flow through the whole
    stack. Sub-layers are named `"{cell}_{i}"` and `"dropout_{i}"`, so
    `block.get_layer("lstm_0")` finds them.

    Args:
        cell: `str`, one of `"vanilla"`, `"lstm"`, `"gru"`. Defaults to
            `"lstm"`.
        units: `int.` Units of every recurrent layer (per direction).
            Defaults to `64`.
        num_layers: `int.` Number of stacked recurrent layers. Defaults to
            `1`.
        bidirectional: `bool.` Wrap each layer in `Bidirectional`. Defaults
            to `False`.
        merge_mode: `str`, how `Bidirectional` merges the two directions:
            `"concat"`, `"sum"`, `"mul"` or `"ave"`. Defaults to `"concat"`.
        dropout: `float` in `[0, 1)`, dropout between stacked layers.
            Defaults to `0.0`.
        recurrent_dropout: `float` in `[0, 1)`, dropout on the recurrent
            state of every layer (disables cuDNN for LSTM/GRU). Defaults to
            `0.0`.
        return_sequences: `bool.` Whether the last layer returns every step.
            Defaults to `False`.
        return_state: `bool.` Also return the final states of every layer.
            Defaults to `False`.
        layer_kwargs: `dict` or `None.` Extra constructor arguments for every
            recurrent layer (e.g. `{"activation": "relu"}` for vanilla).
            Defaults to `None`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: `(batch, timesteps, features)` tensor.
        initial_state: optional list, one entry per layer, each the list of
            that layer's states (as `return_state` returns them).
        mask: optional `(batch, timesteps)` bool mask.
        training: `bool`, whether dropout applies.

    Returns:
        The last layer's output; with `return_state`, the tuple
        `(output, states)` where `states` holds, for each layer, the list of
        its final states (`[h]` for vanilla and GRU, `[h, c]` for LSTM,
        forward states then backward states when bidirectional).

    Example:

    ```python
    block = rnn_keras.layers.recurrent_block(
        "gru", units=32, num_layers=2, bidirectional=True, dropout=0.2
    )
    outputs = block(np.zeros((4, 10, 8), "float32"))  # (4, 64)
    ```
    """

    def __init__(
        self,
        cell="lstm",
        units=64,
        num_layers=1,
        bidirectional=False,
        merge_mode="concat",
        dropout=0.0,
        recurrent_dropout=0.0,
        return_sequences=False,
        return_state=False,
        layer_kwargs=None,
        **kwargs,
    ):
        check_one_of("cell", cell, CELLS)
        check_positive_int("units", units)
        check_positive_int("num_layers", num_layers)
        check_one_of("merge_mode", merge_mode, MERGE_MODES)
        check_rate("dropout", dropout)
        check_rate("recurrent_dropout", recurrent_dropout)
        if layer_kwargs is not None and not isinstance(layer_kwargs, dict):
            raise TypeError(
                "Invalid type for argument `layer_kwargs`. Expected a dict or "
                f"None. Received: layer_kwargs={layer_kwargs!r}"
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.units = units
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.merge_mode = merge_mode
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.layer_kwargs = dict(layer_kwargs or {})
        self.supports_masking = True

        # === Layers ===
        self.recurrent_layers = []
        self.dropout_layers = []
        for index in range(num_layers):
            last = index == num_layers - 1
            layer = self._make_recurrent_layer(
                return_sequences=return_sequences or not last,
                name=f"{cell}_{index}",
            )
            if bidirectional:
                layer = keras.layers.Bidirectional(
                    layer, merge_mode=merge_mode, name=f"bidirectional_{cell}_{index}"
                )
            self.recurrent_layers.append(layer)
            if not last and dropout > 0:
                self.dropout_layers.append(keras.layers.Dropout(dropout, name=f"dropout_{index}"))

    def _make_recurrent_layer(self, return_sequences, name):
        arguments = {
            "units": self.units,
            "return_sequences": return_sequences,
            "return_state": self.return_state,
            "name": name,
            **self.layer_kwargs,
        }
        # Keras's defaults keep LSTM/GRU cuDNN-eligible on a GPU (and on the
        # fused path elsewhere); only a requested recurrent dropout is passed on.
        if self.recurrent_dropout:
            arguments["recurrent_dropout"] = self.recurrent_dropout
        if self.cell == "vanilla":
            return VanillaRNN(**arguments)
        if self.cell == "lstm":
            return LSTM(**arguments)
        return GRU(**arguments)

    @property
    def states_per_layer(self):
        """Number of state tensors each layer returns."""
        return _STATES_PER_LAYER[self.cell] * (2 if self.bidirectional else 1)

    def nest_states(self, flat_states):
        """Groups a flat list of states into one list per layer.

        The inverse of flattening what `return_state` returns, in the
        structure `initial_state` takes.
        """
        flat_states = list(flat_states)
        expected = self.num_layers * self.states_per_layer
        if len(flat_states) != expected:
            raise ValueError(
                f"Invalid value for argument `flat_states`. Expected {expected} "
                f"states ({self.num_layers} layers x {self.states_per_layer}). "
                f"Received {len(flat_states)}."
            )
        size = self.states_per_layer
        return [flat_states[i * size:(i + 1) * size] for i in range(self.num_layers)]

    def get_layer(self, name):
        """Returns the sub-layer called `name`."""
        for layer in self.recurrent_layers + self.dropout_layers:
            if layer.name == name:
                return layer
        names = [layer.name for layer in self.recurrent_layers + self.dropout_layers]
        raise ValueError(
            f"Invalid value for argument `name`. Expected one of {names}. "
            f"Received: name={name!r}"
        )

    def build(self, inputs_shape, initial_state_shape=None):
        shape = tuple(inputs_shape)
        for index, layer in enumerate(self.recurrent_layers):
            layer.build(shape)
            output_shape = layer.compute_output_shape(shape)
            if self.return_state:
                output_shape = output_shape[0]
            shape = tuple(output_shape)
            if index < len(self.dropout_layers):
                self.dropout_layers[index].build(shape)

    def call(self, inputs, initial_state=None, mask=None, training=None):
        if initial_state is not None and len(initial_state) != self.num_layers:
            raise ValueError(
                "Invalid value for argument `initial_state`. Expected a list "
                f"with one entry per layer ({self.num_layers}). Received a "
                f"list of {len(initial_state)}."
            )
        outputs = inputs
        states = []
        for index, layer in enumerate(self.recurrent_layers):
            layer_state = None if initial_state is None else list(initial_state[index])
            result = layer(outputs, initial_state=layer_state, mask=mask, training=training)
            if self.return_state:
                outputs, layer_states = result[0], list(result[1:])
                states.append(layer_states)
            else:
                outputs = result
            if index < len(self.dropout_layers):
                outputs = self.dropout_layers[index](outputs, training=training)
        if self.return_state:
            return outputs, states
        return outputs

    def compute_mask(self, inputs, mask=None, initial_state=None):
        if not self.return_sequences or mask is None:
            return None if not self.return_state else [None, None]
        return mask if not self.return_state else [mask, None]

    def compute_output_shape(self, inputs_shape, initial_state_shape=None):
        batch, steps = inputs_shape[0], inputs_shape[1]
        width = self.units * (2 if self.bidirectional and self.merge_mode == "concat" else 1)
        output_shape = (batch, steps, width) if self.return_sequences else (batch, width)
        if not self.return_state:
            return output_shape
        state_shape = (batch, self.units)
        return output_shape, [[state_shape] * self.states_per_layer for _ in range(self.num_layers)]

    def get_config(self):
        config = {
            "cell": self.cell,
            "units": self.units,
            "num_layers": self.num_layers,
            "bidirectional": self.bidirectional,
            "merge_mode": self.merge_mode,
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "layer_kwargs": self.layer_kwargs,
        }
        base_config = super().get_config()
        return {**base_config, **config}


def recurrent_block(
    cell="lstm",
    units=64,
    num_layers=1,
    bidirectional=False,
    merge_mode="concat",
    dropout=0.0,
    recurrent_dropout=0.0,
    return_sequences=False,
    return_state=False,
    layer_kwargs=None,
    name=None,
):
    """Builds the recurrent part of a model: a `RecurrentBlock` layer.

    See `RecurrentBlock` for the arguments; `name` names the block.
    Invalid arguments raise a `ValueError` that names the argument, what was
    expected and what was received.
    """
    return RecurrentBlock(
        cell=cell,
        units=units,
        num_layers=num_layers,
        bidirectional=bidirectional,
        merge_mode=merge_mode,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        return_sequences=return_sequences,
        return_state=return_state,
        layer_kwargs=layer_kwargs,
        name=name,
    )
