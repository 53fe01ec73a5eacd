"""`VanillaRNNCell`: one step from the equations."""

import inspect

import keras
import numpy as np
import pytest

from rnn_keras.layers import VanillaRNN
from rnn_keras.layers import VanillaRNNCell


def test_one_step_matches_the_equations():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4)).astype("float32")
    h = rng.normal(size=(3, 5)).astype("float32")
    cell = VanillaRNNCell(5, output_units=2, output_activation="sigmoid",
                          bias_initializer="random_normal", output_bias_initializer="random_normal")
    cell.build(x.shape)
    y, (h_new,) = cell(x, [h])
    expected_h = np.tanh(x @ cell.kernel.numpy() + h @ cell.recurrent_kernel.numpy() + cell.bias.numpy())
    expected_y = 1 / (1 + np.exp(-(expected_h @ cell.output_kernel.numpy() + cell.output_bias.numpy())))
    np.testing.assert_allclose(h_new, expected_h, atol=1e-6)
    np.testing.assert_allclose(y, expected_y, atol=1e-6)


def test_weights_match_simple_rnn_cell():
    cell = VanillaRNNCell(5)
    twin = keras.layers.SimpleRNNCell(5)
    cell.build((None, 4))
    twin.build((None, 4))
    assert [(w.name, tuple(w.shape)) for w in cell.weights] == [(w.name, tuple(w.shape)) for w in twin.weights]
    extra = VanillaRNNCell(5, learn_initial_state=True, output_units=3, use_bias=False)
    extra.build((None, 4))
    assert [w.name for w in extra.weights] == [
        "kernel", "recurrent_kernel", "initial_state", "output_kernel", "output_bias"
    ]


def test_inside_keras_rnn_equals_vanilla_rnn():
    x = np.random.default_rng(1).normal(size=(2, 6, 4)).astype("float32")
    wrapped = keras.layers.RNN(VanillaRNNCell(5, activation="relu"), return_sequences=True)
    layer = VanillaRNN(5, activation="relu", return_sequences=True)
    wrapped.build(x.shape)
    layer.build(x.shape)
    layer.set_weights(wrapped.get_weights())
    np.testing.assert_allclose(wrapped(x), layer(x), atol=1e-5)


def test_learned_initial_state_is_broadcast():
    cell = VanillaRNNCell(3, learn_initial_state=True, initial_state_initializer="ones")
    cell.build((None, 2))
    (h0,) = cell.get_initial_state(batch_size=4)
    np.testing.assert_allclose(h0, np.ones((4, 3)))
    (zeros,) = VanillaRNNCell(3).get_initial_state(batch_size=2)
    np.testing.assert_allclose(zeros, np.zeros((2, 3)))


def test_config_round_trip_covers_constructor():
    cell = VanillaRNNCell(4, activation="relu", dropout=0.2, seed=9, output_units=2,
                          recurrent_constraint="non_neg", learn_initial_state=True)
    config = cell.get_config()
    arguments = set(inspect.signature(VanillaRNNCell.__init__).parameters) - {"self", "kwargs"}
    assert arguments <= set(config)
    clone = keras.layers.deserialize(keras.layers.serialize(cell))
    assert isinstance(clone, VanillaRNNCell)
    assert clone.get_config() == config


@pytest.mark.parametrize(
    "kwargs, match",
    [({"units": 0}, "units"), ({"units": "8"}, "units"), ({"units": 2, "dropout": 1.5}, "dropout")],
)
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=f"Invalid value for argument `{match}`"):
        VanillaRNNCell(**kwargs)
