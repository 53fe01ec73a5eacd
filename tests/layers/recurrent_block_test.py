"""`recurrent_block`: the recurrent part of every model."""

import inspect

import keras
import numpy as np
import pytest

from rnn_keras.layers import VanillaRNN
from rnn_keras.layers import recurrent_block
from rnn_keras.layers.recurrent_block import RecurrentBlock

X = np.random.default_rng(0).normal(size=(3, 6, 4)).astype("float32")


@pytest.mark.parametrize("cell", ["vanilla", "lstm", "gru"])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_shapes_layers_and_states(cell, bidirectional, return_sequences):
    block = recurrent_block(
        cell, units=5, num_layers=2, bidirectional=bidirectional, dropout=0.25,
        return_sequences=return_sequences, return_state=True, name="encoder",
    )
    outputs, states = block(X)
    width = 10 if bidirectional else 5
    assert outputs.shape == ((3, 6, width) if return_sequences else (3, width))
    per_layer = (2 if cell == "lstm" else 1) * (2 if bidirectional else 1)
    assert len(states) == 2 and all(len(s) == per_layer for s in states)
    assert all(s.shape == (3, 5) for layer_states in states for s in layer_states)
    name = f"bidirectional_{cell}_1" if bidirectional else f"{cell}_1"
    last = block.get_layer(name)
    inner = last.forward_layer if bidirectional else last
    expected_class = {"vanilla": VanillaRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[cell]
    assert isinstance(inner, expected_class)
    assert block.get_layer("dropout_0").rate == 0.25
    # The last state of the last layer is the last output (forward direction).
    if not bidirectional and cell != "lstm":
        last_output = outputs[:, -1] if return_sequences else outputs
        np.testing.assert_allclose(last_output, states[-1][0], atol=1e-6)


def test_a_block_equals_its_layers_applied_by_hand():
    block = recurrent_block("gru", units=5, num_layers=2, dropout=0.5)
    outputs = block(X)  # inference: dropout off
    by_hand = block.get_layer("gru_1")(block.get_layer("gru_0")(X))
    np.testing.assert_allclose(outputs, by_hand, atol=1e-6)
    assert block.get_layer("gru_0").return_sequences and not block.get_layer("gru_1").return_sequences


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_lstm_and_gru_stay_cudnn_eligible(cell):
    block = recurrent_block(cell, units=8, num_layers=2, bidirectional=True)
    for index in range(2):
        layer = block.get_layer(f"bidirectional_{cell}_{index}").forward_layer
        assert layer.use_cudnn == "auto"
        assert layer.recurrent_dropout == 0 and not layer.unroll and layer.use_bias
        assert layer.activation is keras.activations.tanh
        assert layer.recurrent_activation is keras.activations.sigmoid
        if cell == "gru":
            assert layer.reset_after
    asked = recurrent_block(cell, units=8, recurrent_dropout=0.2).get_layer(f"{cell}_0")
    assert asked.recurrent_dropout == 0.2


@pytest.mark.parametrize("cell", ["vanilla", "lstm", "gru"])
def test_right_padding_changes_nothing(cell):
    tokens = keras.Input((None,), dtype="int32")
    embedded = keras.layers.Embedding(10, 4, mask_zero=True)(tokens)
    encoded = recurrent_block(cell, units=5, num_layers=2, bidirectional=True, name="encoder")(embedded)
    model = keras.Model(tokens, encoded)
    ids = np.array([[3, 4, 5, 6], [7, 8, 9, 2]], "int32")
    padded = np.concatenate([ids, np.zeros((2, 3), "int32")], axis=1)
    np.testing.assert_allclose(model(padded), model(ids), atol=1e-5)


def test_initial_state_is_passed_to_every_layer():
    block = recurrent_block("lstm", units=3, num_layers=2, return_state=True)
    _, states = block(X)
    rng = np.random.default_rng(1)
    new_states = [[rng.normal(size=(3, 3)).astype("float32") for _ in s] for s in states]
    outputs, _ = block(X, initial_state=new_states)
    first = block.get_layer("lstm_0")(X, initial_state=new_states[0])[0]
    expected = block.get_layer("lstm_1")(first, initial_state=new_states[1])[0]
    np.testing.assert_allclose(outputs, expected, atol=1e-6)
    with pytest.raises(ValueError, match="`initial_state`"):
        block(X, initial_state=new_states[:1])


def test_layer_kwargs_reach_every_layer():
    block = recurrent_block("vanilla", units=3, num_layers=2, layer_kwargs={"activation": "relu"})
    block(X)
    assert all(block.get_layer(f"vanilla_{i}").activation is keras.activations.relu for i in range(2))


def test_config_covers_constructor_and_round_trips():
    block = recurrent_block("gru", units=3, num_layers=3, bidirectional=True, merge_mode="sum",
                            dropout=0.1, recurrent_dropout=0.1, return_sequences=True,
                            layer_kwargs={"unroll": False}, name="encoder")
    config = block.get_config()
    arguments = set(inspect.signature(RecurrentBlock.__init__).parameters) - {"self", "kwargs"}
    assert arguments <= set(config)
    clone = keras.layers.deserialize(keras.layers.serialize(block))
    assert clone.get_config() == config and clone.name == "encoder"


@pytest.mark.parametrize(
    "kwargs, argument, expected",
    [
        ({"cell": "transformer"}, "cell", "one of"),
        ({"cell": "LSTM"}, "cell", "one of"),
        ({"units": 0}, "units", "a positive integer"),
        ({"units": -1}, "units", "a positive integer"),
        ({"num_layers": 0}, "num_layers", "a positive integer"),
        ({"dropout": 1.0}, "dropout", r"a float in \[0, 1\)"),
        ({"dropout": -0.1}, "dropout", r"a float in \[0, 1\)"),
        ({"recurrent_dropout": 2}, "recurrent_dropout", r"a float in \[0, 1\)"),
        ({"merge_mode": "max"}, "merge_mode", "one of"),
    ],
)
def test_invalid_arguments_say_what_was_expected_and_received(kwargs, argument, expected):
    with pytest.raises(ValueError, match=f"`{argument}`. Expected {expected}.*Received: {argument}="):
        recurrent_block(**kwargs)


def test_layer_kwargs_must_be_a_dict():
    with pytest.raises(TypeError, match="`layer_kwargs`"):
        recurrent_block(layer_kwargs=["relu"])


@pytest.mark.parametrize("cell, bidirectional, per_layer", [("lstm", True, 4), ("gru", False, 1)])
def test_nest_states_inverts_flattening(cell, bidirectional, per_layer):
    block = recurrent_block(cell, units=3, num_layers=2, bidirectional=bidirectional, return_state=True)
    _, states = block(X)
    flat = [s for layer_states in states for s in layer_states]
    assert len(flat) == 2 * per_layer
    nested = block.nest_states(flat)
    assert [[id(s) for s in layer] for layer in nested] == [[id(s) for s in layer] for layer in states]
    with pytest.raises(ValueError, match="`flat_states`. Expected"):
        block.nest_states(flat[:-1])
