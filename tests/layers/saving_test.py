"""`.keras` round trips of models holding rnn_keras layers, in a fresh process."""

import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

import rnn_keras
from rnn_keras.layers import VanillaRNN
from rnn_keras.layers import recurrent_block

LOAD_SCRIPT = textwrap.dedent(
    """
    import sys
    import keras
    import numpy as np
    import rnn_keras  # registers the layers: no custom_objects needed

    model = keras.models.load_model(sys.argv[1], safe_mode=True)
    inputs = np.load(sys.argv[2])
    outputs = model.predict(inputs, verbose=0)
    np.save(sys.argv[3], outputs if not isinstance(outputs, list) else outputs[0])
    print(type(model.get_layer("rnn")).__name__)
    """
)


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


@pytest.mark.parametrize("builder", ["vanilla", "block_vanilla", "block_lstm", "block_gru"])
def test_keras_file_loads_in_a_fresh_process(builder, tmp_path):
    model = vanilla_model() if builder == "vanilla" else block_model(builder.split("_")[1])
    x = np.random.default_rng(0).normal(size=(3, 7, 3)).astype("float32")
    x[1, 5:] = 0.0  # padding, masked by Masking()
    expected = model.predict(x, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    np.save(tmp_path / "x.npy", x)
    script = tmp_path / "load.py"
    script.write_text(LOAD_SCRIPT)
    repo = os.path.dirname(os.path.dirname(rnn_keras.__file__))
    env = dict(os.environ, PYTHONPATH=repo, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run(
        [sys.executable, str(script), path, str(tmp_path / "x.npy"), str(tmp_path / "y.npy")],
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    expected_class = "VanillaRNN" if builder == "vanilla" else "RecurrentBlock"
    assert result.stdout.strip().splitlines()[-1] == expected_class
    np.testing.assert_allclose(np.load(tmp_path / "y.npy"), expected, atol=1e-6)
