"""`.keras` round trips of models holding rnn_keras layers."""

import keras
import numpy as np

from rnn_keras.layers import VanillaRNN
from rnn_keras.layers import recurrent_block

BUILDERS = ["vanilla", "block_vanilla", "block_lstm", "block_gru"]


def vanilla_model():
    inputs = keras.Input((None, 3), name="features")
    h = keras.layers.Masking(name="masking")(inputs)
    h = keras.layers.Bidirectional(
        VanillaRNN(5, return_sequences=True, learn_initial_state=True,
                   initial_state_initializer="random_normal", dropout=0.1),
        name="bidirectional",
    )(h)
    h = VanillaRNN(4, output_units=2, output_activation="softmax", activation="relu", name="rnn")(h)
    return keras.Model(inputs, h)


def block_model(cell):
    inputs = keras.Input((None, 3), name="features")
    h = keras.layers.Masking(name="masking")(inputs)
    h = recurrent_block(cell, units=4, num_layers=2, bidirectional=True, dropout=0.2, name="rnn")(h)
    return keras.Model(inputs, keras.layers.Dense(2, name="head")(h))


def test_keras_files_load_back_in_safe_mode(tmp_path):
    """Every model loads with plain `keras.models.load_model`: the layers are registered.

    `tests/export/fresh_process_test.py` loads the tasks' models (the same
    layers) in a fresh process too.
    """
    x = np.random.default_rng(0).normal(size=(3, 7, 3)).astype("float32")
    x[1, 5:] = 0.0  # padding, masked by Masking()
    for builder in BUILDERS:
        model = vanilla_model() if builder == "vanilla" else block_model(builder.split("_")[1])
        path = str(tmp_path / f"{builder}.keras")
        model.save(path)
        loaded = keras.models.load_model(path, safe_mode=True)
        expected = "VanillaRNN" if builder == "vanilla" else "RecurrentBlock"
        assert type(loaded.get_layer("rnn")).__name__ == expected
        np.testing.assert_allclose(
            loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6, err_msg=builder
        )
