"""Gradient clipping: the exposed options, and what they prevent."""

import keras
import numpy as np
import pytest

from rnn_keras.layers import VanillaRNN
from rnn_keras.optimizers import get_optimizer


def test_options_reach_the_optimizer():
    optimizer = get_optimizer("sgd", learning_rate=0.5, global_clipnorm=2.0)
    assert isinstance(optimizer, keras.optimizers.SGD)
    assert optimizer.global_clipnorm == 2.0
    assert get_optimizer("rmsprop", clipvalue=3.0).clipvalue == 3.0
    assert float(optimizer.learning_rate) == 0.5
    assert get_optimizer("adam", clipnorm=1.0).clipnorm == 1.0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"name": "adagrad2"}, "`name`"),
        ({"learning_rate": 0}, "`learning_rate`"),
        ({"clipnorm": -1.0}, "`clipnorm`"),
        ({"clipnorm": 1.0, "global_clipnorm": 1.0}, "Only one of"),
        ({"clipvalue": 1.0, "global_clipnorm": 1.0}, "Only one of"),
    ],
)
def test_invalid_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        get_optimizer(**kwargs)


def long_sequence_losses(optimizer):
    """Trains a relu vanilla RNN with a slightly expanding W_hh on T=200."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 200, 4)).astype("float32")
    y = rng.normal(size=(32, 1)).astype("float32")
    inputs = keras.Input((200, 4))
    h = VanillaRNN(16, activation="relu",
                   recurrent_initializer=keras.initializers.Identity(1.02))(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(h))
    model.compile(optimizer=optimizer, loss="mse")
    return model.fit(x, y, epochs=6, batch_size=32, verbose=0).history["loss"]


def test_clipping_keeps_a_long_sequence_run_finite():
    unclipped = long_sequence_losses(get_optimizer("sgd", learning_rate=0.01))
    clipped = long_sequence_losses(get_optimizer("sgd", learning_rate=0.01, global_clipnorm=1.0))
    assert not np.all(np.isfinite(unclipped)), unclipped  # exploding gradients
    assert np.all(np.isfinite(clipped)), clipped
    assert clipped[-1] < clipped[0]
