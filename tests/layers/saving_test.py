"""`.keras` round trips of models holding rnn_keras layers, in a fresh process."""

import os
import subprocess
import sys
import textwrap

import keras
import numpy as np

import rnn_keras
from rnn_keras.layers import VanillaRNN
from rnn_keras.layers import recurrent_block

LOAD_SCRIPT = textwrap.dedent(
    """
    import sys
    import keras
    import numpy as np
    import rnn_keras  # registers the layers: no custom_objects needed

    inputs = np.load(sys.argv[1])
    for path in sys.argv[2:]:
        model = keras.models.load_model(path + ".keras", safe_mode=True)
        outputs = model.predict(inputs, verbose=0)
        np.save(path + ".npy", outputs if not isinstance(outputs, list) else outputs[0])
        print(type(model.get_layer("rnn")).__name__)
    """
)

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


def test_keras_files_load_in_a_fresh_process(tmp_path):
    # One process loads every model: starting TensorFlow is most of the time.
    x = np.random.default_rng(0).normal(size=(3, 7, 3)).astype("float32")
    x[1, 5:] = 0.0  # padding, masked by Masking()
    np.save(tmp_path / "x.npy", x)
    expected = {}
    for builder in BUILDERS:
        model = vanilla_model() if builder == "vanilla" else block_model(builder.split("_")[1])
        expected[builder] = model.predict(x, verbose=0)
        model.save(str(tmp_path / f"{builder}.keras"))
    script = tmp_path / "load.py"
    script.write_text(LOAD_SCRIPT)
    repo = os.path.dirname(os.path.dirname(rnn_keras.__file__))
    env = dict(os.environ, PYTHONPATH=repo, TF_CPP_MIN_LOG_LEVEL="3")
    paths = [str(tmp_path / builder) for builder in BUILDERS]
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "x.npy"), *paths],
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    classes = ["VanillaRNN" if builder == "vanilla" else "RecurrentBlock" for builder in BUILDERS]
    assert result.stdout.strip().splitlines()[-len(BUILDERS):] == classes
    for builder, path in zip(BUILDERS, paths):
        np.testing.assert_allclose(np.load(path + ".npy"), expected[builder], atol=1e-6)
