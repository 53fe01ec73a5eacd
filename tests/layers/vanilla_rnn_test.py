"""`VanillaRNN`: equality with `keras.layers.SimpleRNN`, options, paths."""

import inspect

import keras
import numpy as np
import pytest
import tensorflow as tf

import recurrent_checks
from covering import by_items
from covering import covering
from recurrent_checks import outputs_and_grads
from rnn_keras.layers import VanillaRNN
from rnn_keras.layers import VanillaRNNCell

BATCH, STEPS, FEATURES, UNITS = 4, 8, 3, 6


def inputs_and_mask(seed=0):
    return recurrent_checks.inputs_and_mask((BATCH, STEPS, FEATURES), seed)


def twin_layers(fast_path=True, **kwargs):
    """A `VanillaRNN` and a `SimpleRNN` with the same weights."""
    simple = keras.layers.SimpleRNN(UNITS, **kwargs)
    vanilla = VanillaRNN(UNITS, fast_path=fast_path, **kwargs)
    simple.build((BATCH, STEPS, FEATURES))
    vanilla.build((BATCH, STEPS, FEATURES))
    vanilla.set_weights(simple.get_weights())
    return vanilla, simple


OPTIONS = [
    {},
    {"return_sequences": True},
    {"return_state": True},
    {"return_sequences": True, "return_state": True, "go_backwards": True},
    {"go_backwards": True},
    {"activation": "relu", "return_sequences": True},
    {"use_bias": False, "return_sequences": True},
]


@pytest.mark.parametrize(
    "fast_path, options, masked",
    covering(
        {"fast": True, "generic": False},
        by_items(OPTIONS),
        {"unmasked": False, "masked": True},
    ),
)
def test_matches_simple_rnn(fast_path, options, masked):
    x, mask = inputs_and_mask()
    mask = tf.constant(mask) if masked else None
    vanilla, simple = twin_layers(fast_path, **options)
    assert vanilla.uses_fast_path() == fast_path
    v_out, v_grads = outputs_and_grads(vanilla, x, mask)
    s_out, s_grads = outputs_and_grads(simple, x, mask)
    for a, b in zip(v_out, s_out):
        np.testing.assert_allclose(a, b, atol=1e-5)
    for a, b in zip(v_grads, s_grads):
        np.testing.assert_allclose(a, b, atol=1e-5)


@pytest.mark.parametrize("fast_path", [True, False], ids=["fast", "generic"])
@pytest.mark.parametrize("merge_mode", ["concat", "sum"])
@pytest.mark.parametrize("return_sequences", [True, False])
def test_bidirectional_matches_simple_rnn(fast_path, merge_mode, return_sequences):
    x, mask = inputs_and_mask(1)
    vanilla = keras.layers.Bidirectional(
        VanillaRNN(UNITS, return_sequences=return_sequences, fast_path=fast_path),
        merge_mode=merge_mode,
    )
    simple = keras.layers.Bidirectional(
        keras.layers.SimpleRNN(UNITS, return_sequences=return_sequences), merge_mode=merge_mode
    )
    vanilla.build(x.shape)
    simple.build(x.shape)
    vanilla.set_weights(simple.get_weights())
    v_out, v_grads = outputs_and_grads(vanilla, x, tf.constant(mask))
    s_out, s_grads = outputs_and_grads(simple, x, tf.constant(mask))
    np.testing.assert_allclose(v_out[0], s_out[0], atol=1e-5)
    for a, b in zip(v_grads, s_grads):
        np.testing.assert_allclose(a, b, atol=1e-5)


@pytest.mark.parametrize("fast_path", [True, False], ids=["fast", "generic"])
def test_stateful_matches_simple_rnn(fast_path):
    x, _ = inputs_and_mask(2)
    vanilla, simple = twin_layers(fast_path, stateful=True, return_sequences=True)
    for chunk in (x[:, :4], x[:, 4:], x[:, :2]):
        np.testing.assert_allclose(vanilla(chunk), simple(chunk), atol=1e-5)
    np.testing.assert_allclose(vanilla.states[0], simple.states[0], atol=1e-5)
    vanilla.reset_state()
    simple.reset_state()
    np.testing.assert_allclose(vanilla(x), simple(x), atol=1e-5)
    # Stateful carries the state: two halves equal one whole sequence.
    vanilla.reset_state()
    whole = np.asarray(vanilla(x))
    vanilla.reset_state()
    vanilla(x[:, :4])
    np.testing.assert_allclose(vanilla(x[:, 4:]), whole[:, 4:], atol=1e-5)


@pytest.mark.parametrize("fast_path", [True, False], ids=["fast", "generic"])
def test_initial_state_matches_simple_rnn(fast_path):
    x, mask = inputs_and_mask(3)
    h0 = np.random.default_rng(3).normal(size=(BATCH, UNITS)).astype("float32")
    vanilla, simple = twin_layers(fast_path, return_sequences=True, return_state=True)
    v_out, v_grads = outputs_and_grads(vanilla, x, tf.constant(mask), initial_state=tf.constant(h0))
    s_out, s_grads = outputs_and_grads(simple, x, tf.constant(mask), initial_state=tf.constant(h0))
    for a, b in zip(v_out + v_grads, s_out + s_grads):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_stacked_model_matches_simple_rnn_stack():
    x, mask = inputs_and_mask(4)

    def stack(layer_class):
        inputs = keras.Input((None, FEATURES))
        h = keras.layers.Masking()(inputs)
        h = layer_class(UNITS, return_sequences=True, name="rnn_0")(h)
        h = layer_class(UNITS, name="rnn_1")(h)
        return keras.Model(inputs, keras.layers.Dense(2, name="head")(h))

    x[mask == 0] = 0.0  # what Masking() masks
    simple = stack(keras.layers.SimpleRNN)
    vanilla = stack(VanillaRNN)
    vanilla.set_weights(simple.get_weights())
    np.testing.assert_allclose(vanilla(x), simple(x), atol=1e-5)


def test_fast_and_generic_paths_agree_with_dropout_and_options():
    # Same seed, same masks: the two paths must draw and apply dropout alike.
    x, mask = inputs_and_mask(5)
    options = dict(
        dropout=0.3,
        recurrent_dropout=0.4,
        seed=11,
        learn_initial_state=True,
        initial_state_initializer="random_normal",
        output_units=4,
        output_activation="softmax",
        return_sequences=True,
        return_state=True,
        go_backwards=True,
    )
    fast = VanillaRNN(UNITS, fast_path=True, **options)
    generic = VanillaRNN(UNITS, fast_path=False, **options)
    fast.build(x.shape)
    generic.build(x.shape)
    generic.set_weights(fast.get_weights())
    for training in (True, False):
        f_out, f_grads = outputs_and_grads(fast, x, tf.constant(mask), training=training)
        g_out, g_grads = outputs_and_grads(generic, x, tf.constant(mask), training=training)
        for a, b in zip(f_out + f_grads, g_out + g_grads):
            np.testing.assert_allclose(a, b, atol=1e-5)


@pytest.mark.parametrize("fast_path", [True, False], ids=["fast", "generic"])
def test_dropout_is_variational_and_only_in_training(fast_path):
    x = np.ones((2, 6, 4), "float32")
    layer = VanillaRNN(
        8, dropout=0.5, fast_path=fast_path, seed=1, return_sequences=True,
        kernel_initializer="ones", recurrent_initializer="zeros",
    )
    # With W_hh = 0 and constant inputs every step sees the same x_t: one
    # mask per sequence gives identical outputs at every step.
    out = np.asarray(layer(x, training=True))
    np.testing.assert_allclose(out, np.repeat(out[:, :1], 6, axis=1), atol=1e-6)
    inference = np.asarray(layer(x, training=False))
    assert not np.allclose(out, inference)
    np.testing.assert_allclose(inference, np.asarray(layer(x, training=False)))
    np.testing.assert_allclose(inference, np.tanh(4.0), atol=1e-6)


def test_unroll_uses_generic_path_and_agrees():
    x, mask = inputs_and_mask(6)
    unrolled = VanillaRNN(UNITS, unroll=True, return_sequences=True)
    fused = VanillaRNN(UNITS, return_sequences=True)
    unrolled.build(x.shape)
    fused.build(x.shape)
    fused.set_weights(unrolled.get_weights())
    assert not unrolled.uses_fast_path()
    np.testing.assert_allclose(unrolled(x, mask=mask), fused(x, mask=mask), atol=1e-5)


def test_learned_initial_state_is_trained():
    layer = VanillaRNN(UNITS, learn_initial_state=True)
    x, _ = inputs_and_mask(7)
    layer.build(x.shape)
    assert [w.name for w in layer.trainable_weights][-1] == "initial_state"
    before = np.asarray(layer(x))
    layer.cell.initial_state.assign(np.full((UNITS,), 0.25, "float32"))
    assert not np.allclose(layer(x), before)
    # Every row starts from the same learned h_0.
    np.testing.assert_allclose(layer.get_initial_state(3)[0], np.full((3, UNITS), 0.25))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x))
    grad = tape.gradient(loss, layer.cell.initial_state)
    assert grad is not None and np.abs(np.asarray(grad)).sum() > 0


def test_learned_initial_state_and_stateful_are_exclusive():
    with pytest.raises(ValueError, match="`stateful` and `learn_initial_state`"):
        VanillaRNN(UNITS, learn_initial_state=True, stateful=True)


def test_output_projection_is_inside_the_layer():
    x, _ = inputs_and_mask(8)
    layer = VanillaRNN(UNITS, output_units=3, output_activation="softmax", return_sequences=True,
                       return_state=True)
    outputs, state = layer(x)
    assert outputs.shape == (BATCH, STEPS, 3)
    assert state.shape == (BATCH, UNITS)
    np.testing.assert_allclose(np.asarray(outputs).sum(-1), 1.0, atol=1e-5)
    expected = keras.activations.softmax(
        state @ layer.cell.output_kernel + layer.cell.output_bias
    )
    np.testing.assert_allclose(outputs[:, -1], expected, atol=1e-6)


def test_variable_sequence_lengths_on_the_jit_path():
    layer = VanillaRNN(UNITS, return_sequences=True)
    for steps in (3, 11, 5):
        x = np.random.default_rng(steps).normal(size=(2, steps, FEATURES)).astype("float32")
        assert layer(x).shape == (2, steps, UNITS)


@pytest.mark.parametrize("jit_compile", [True, False])
def test_model_fit_with_and_without_model_xla_gives_same_weights(jit_compile):
    x, _ = inputs_and_mask(9)
    y = np.random.default_rng(9).normal(size=(BATCH, 2)).astype("float32")

    def trained(model_jit, layer_jit):
        keras.utils.set_random_seed(5)
        inputs = keras.Input((STEPS, FEATURES))
        h = VanillaRNN(UNITS, jit_compile=layer_jit, name="rnn")(inputs)
        model = keras.Model(inputs, keras.layers.Dense(2, name="head")(h))
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", jit_compile=model_jit)
        history = model.fit(x, y, epochs=3, batch_size=2, shuffle=False, verbose=0)
        return model.get_weights(), history.history["loss"]

    reference_weights, reference_loss = trained(False, False)
    weights, loss = trained(True, jit_compile)
    np.testing.assert_allclose(loss, reference_loss, rtol=1e-5)
    for a, b in zip(weights, reference_weights):
        np.testing.assert_allclose(a, b, atol=1e-5)
    assert reference_loss[-1] < reference_loss[0]


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_precision(policy):
    x, mask = inputs_and_mask(10)
    reference = VanillaRNN(UNITS, return_sequences=True)
    reference.build(x.shape)
    keras.config.set_dtype_policy(policy)
    layer = VanillaRNN(UNITS, return_sequences=True)
    layer.build(x.shape)
    layer.set_weights(reference.get_weights())
    assert layer.cell.kernel.dtype == "float32"
    outputs = layer(x, mask=mask)
    assert outputs.dtype == policy.split("_")[1]
    tolerance = 2e-2 if policy == "mixed_bfloat16" else 5e-3
    np.testing.assert_allclose(
        np.asarray(outputs, "float32"), reference(x, mask=mask), atol=tolerance
    )
    inputs = keras.Input((STEPS, FEATURES))
    model = keras.Model(inputs, keras.layers.Dense(1, dtype="float32")(VanillaRNN(UNITS)(inputs)))
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, np.ones((BATCH, 1)), epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))


def test_weights_match_simple_rnn_names_shapes_and_order():
    vanilla, simple = twin_layers()
    assert [w.name for w in vanilla.weights] == [w.name for w in simple.weights]
    assert [tuple(w.shape) for w in vanilla.weights] == [tuple(w.shape) for w in simple.weights]
    assert [w.name for w in vanilla.weights] == ["kernel", "recurrent_kernel", "bias"]
    # And back: SimpleRNN takes VanillaRNN's weights.
    simple.set_weights([w * 2 for w in vanilla.get_weights()])
    np.testing.assert_allclose(simple.get_weights()[1], vanilla.get_weights()[1] * 2)


def test_get_config_covers_every_constructor_argument():
    layer = VanillaRNN(
        7, activation="relu", dropout=0.1, recurrent_dropout=0.2, seed=3, learn_initial_state=True,
        output_units=2, output_activation="softmax", fast_path=False, jit_compile=False,
        go_backwards=True, kernel_regularizer="l2", activity_regularizer="l1",
    )
    config = layer.get_config()
    arguments = set(inspect.signature(VanillaRNN.__init__).parameters) - {"self", "kwargs"}
    assert arguments <= set(config)
    clone = VanillaRNN.from_config(config)
    assert clone.get_config() == config
    assert clone.seed == 3 and clone.output_units == 2 and clone.fast_path is False
    cell_arguments = set(inspect.signature(VanillaRNNCell.__init__).parameters) - {"self", "kwargs"}
    assert cell_arguments <= set(layer.cell.get_config())


def test_keras_serialization_round_trip_keeps_outputs():
    x, _ = inputs_and_mask(11)
    layer = VanillaRNN(UNITS, output_units=2, learn_initial_state=True,
                       initial_state_initializer="random_normal")
    layer.build(x.shape)
    clone = keras.layers.deserialize(keras.layers.serialize(layer))
    assert isinstance(clone, VanillaRNN)
    clone.build(x.shape)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x), layer(x))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"units": 0}, "units"),
        ({"units": -3}, "units"),
        ({"units": 2.5}, "units"),
        ({"units": 4, "dropout": 1.0}, "dropout"),
        ({"units": 4, "recurrent_dropout": -0.1}, "recurrent_dropout"),
        ({"units": 4, "output_units": 0}, "output_units"),
    ],
)
def test_invalid_arguments_name_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=f"`{match}`.*Received: {match}="):
        VanillaRNN(**kwargs)


def test_wrong_input_rank_is_rejected():
    with pytest.raises(ValueError, match="ndim=3"):
        VanillaRNN(4)(np.zeros((2, 3), "float32"))
