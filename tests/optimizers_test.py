"""Gradient clipping and weight averaging: the exposed options, and what they do."""

import keras
import numpy as np
import pytest

from rnn_keras import models
from rnn_keras.layers import VanillaRNN
from rnn_keras.optimizers import get_optimizer


def test_options_reach_the_optimizer():
    optimizer = get_optimizer("sgd", learning_rate=0.5, global_clipnorm=2.0)
    assert isinstance(optimizer, keras.optimizers.SGD)
    assert optimizer.global_clipnorm == 2.0
    assert get_optimizer("rmsprop", clipvalue=3.0).clipvalue == 3.0
    assert float(optimizer.learning_rate) == 0.5
    assert get_optimizer("adam", clipnorm=1.0).clipnorm == 1.0
    assert not get_optimizer("adam").use_ema
    averaging = get_optimizer("adamw", ema_momentum=0.995)
    assert averaging.use_ema and averaging.ema_momentum == 0.995


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"name": "adagrad2"}, "`name`"),
        ({"learning_rate": 0}, "`learning_rate`"),
        ({"clipnorm": -1.0}, "`clipnorm`"),
        ({"clipnorm": 1.0, "global_clipnorm": 1.0}, "Only one of"),
        ({"clipvalue": 1.0, "global_clipnorm": 1.0}, "Only one of"),
        ({"ema_momentum": 1.0}, "`ema_momentum`"),
        ({"ema_momentum": 0}, "`ema_momentum`"),
        ({"ema_momentum": True}, "`ema_momentum`"),
        ({"ema_momentum": "0.9"}, "`ema_momentum`"),
    ],
)
def test_invalid_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        get_optimizer(**kwargs)


def test_weight_average_follows_the_numpy_recurrence():
    """`ema_momentum=m`: after steps giving weights w_1..w_n, the average is
    a_1 = w_1, a_k = m a_(k-1) + (1 - m) w_k, which `finalize_variable_values` puts in."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer=get_optimizer("sgd", learning_rate=0.3, ema_momentum=0.8), loss="mse")
    average = None
    for _ in range(7):
        model.train_on_batch(rng.normal(size=(8, 3)), rng.normal(size=(8, 2)))
        weights = model.get_weights()
        if average is None:
            average = weights
        else:
            average = [0.8 * a + 0.2 * w for a, w in zip(average, weights)]
    assert max(float(np.abs(a - w).max()) for a, w in zip(average, weights)) > 1e-2
    model.optimizer.finalize_variable_values(model.trainable_variables)
    for got, expected in zip(model.get_weights(), average):
        np.testing.assert_allclose(got, expected, atol=1e-6)


@pytest.mark.parametrize(
    "builder, arguments",
    [
        (models.build_classifier, (2, 10)),
        (models.build_tagger, (3, 10)),
        (models.build_seq2seq, (10, 10)),
        (models.build_generator, (10,)),
        (models.build_forecaster, (1,)),
    ],
)
def test_every_builder_passes_ema_momentum(builder, arguments):
    assert not builder(*arguments).optimizer.use_ema
    optimizer = builder(*arguments, ema_momentum=0.9).optimizer
    assert optimizer.use_ema and optimizer.ema_momentum == 0.9


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
