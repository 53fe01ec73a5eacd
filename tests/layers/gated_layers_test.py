"""`LSTM` and `GRU`: equality with Keras's layers on every option, paths, saving."""

import inspect

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gpu
import recurrent_checks
from covering import by_items
from covering import covering
from rnn_keras.layers import GRU
from rnn_keras.layers import LSTM

BATCH, STEPS, FEATURES, UNITS = 4, 7, 3, 5

# (ours, Keras's twin, constructor arguments both take)
KINDS = {
    "lstm": (LSTM, keras.layers.LSTM, {}),
    "gru": (GRU, keras.layers.GRU, {}),
    "gru_reset_before": (GRU, keras.layers.GRU, {"reset_after": False}),
}


def inputs_and_mask(seed=0):
    return recurrent_checks.inputs_and_mask((BATCH, STEPS, FEATURES), seed)


def twin_layers(kind, fast_path=True, **kwargs):
    """One of ours and Keras's twin with the same (non-trivial) weights."""
    ours_class, keras_class, kind_kwargs = KINDS[kind]
    theirs = keras_class(UNITS, **kind_kwargs, **kwargs)
    ours = ours_class(UNITS, fast_path=fast_path, **kind_kwargs, **kwargs)
    theirs.build((BATCH, STEPS, FEATURES))
    ours.build((BATCH, STEPS, FEATURES))
    rng = np.random.default_rng(1)
    # Non-zero biases, so that a bias in the wrong place shows.
    theirs.set_weights([rng.normal(scale=0.4, size=w.shape) for w in theirs.get_weights()])
    ours.set_weights(theirs.get_weights())
    return ours, theirs


def outputs_and_grads(layer, x, mask=None, **call_kwargs):
    # Training, unless asked otherwise: the path whose gradient is hand-written.
    call_kwargs.setdefault("training", True)
    return recurrent_checks.outputs_and_grads(layer, x, mask, **call_kwargs)


def assert_all_close(got, expected, atol=1e-5):
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a, b, atol=atol)


OPTIONS = [
    {},
    {"return_sequences": True, "return_state": True},
    {"return_sequences": True, "go_backwards": True},
    {"return_state": True, "go_backwards": True, "use_bias": False},
]


@pytest.mark.parametrize(
    "kind, options, masked",
    covering(
        {kind: kind for kind in KINDS},
        by_items(OPTIONS),
        {"unmasked": False, "masked": True},
    ),
)
def test_matches_keras(kind, options, masked):
    x, mask = inputs_and_mask()
    mask = tf.constant(mask) if masked else None
    ours, theirs = twin_layers(kind, **options)
    assert ours.uses_fast_path()
    o_out, o_grads = outputs_and_grads(ours, x, mask)
    t_out, t_grads = outputs_and_grads(theirs, x, mask)
    assert_all_close(o_out, t_out)
    assert_all_close(o_grads, t_grads)


@pytest.mark.parametrize("kind", list(KINDS))
def test_inference_saves_nothing_and_still_differentiates(kind):
    # In inference the loop saves no activations; a gradient taken anyway
    # (saliency, adversarial inputs) is TensorFlow's own and still exact.
    x, mask = inputs_and_mask(1)
    ours, theirs = twin_layers(kind, return_sequences=True, return_state=True)
    o_out, o_grads = outputs_and_grads(ours, x, tf.constant(mask), training=False)
    t_out, t_grads = outputs_and_grads(theirs, x, tf.constant(mask), training=False)
    assert_all_close(o_out + o_grads, t_out + t_grads)


@pytest.mark.parametrize("kind", list(KINDS))
def test_generic_path_matches_keras(kind):
    x, mask = inputs_and_mask(1)
    ours, theirs = twin_layers(kind, fast_path=False, return_sequences=True, return_state=True)
    assert not ours.uses_fast_path()
    o_out, o_grads = outputs_and_grads(ours, x, tf.constant(mask))
    t_out, t_grads = outputs_and_grads(theirs, x, tf.constant(mask))
    assert_all_close(o_out + o_grads, t_out + t_grads)


@pytest.mark.parametrize("kind", list(KINDS))
def test_initial_state_matches_keras(kind):
    x, mask = inputs_and_mask(2)
    rng = np.random.default_rng(2)
    states = [tf.constant(rng.normal(size=(BATCH, UNITS)).astype("float32"))
              for _ in range(2 if kind == "lstm" else 1)]
    ours, theirs = twin_layers(kind, return_sequences=True, return_state=True)
    for layer_states in (states, None):
        o_out, o_grads = outputs_and_grads(ours, x, tf.constant(mask), initial_state=layer_states)
        t_out, t_grads = outputs_and_grads(theirs, x, tf.constant(mask),
                                           initial_state=layer_states)
        assert_all_close(o_out + o_grads, t_out + t_grads)
    # The gradient reaches the initial state.
    with tf.GradientTape() as tape:
        tape.watch(states)
        loss = tf.reduce_sum(ours(x, initial_state=states)[0])
    assert all(np.abs(g).sum() > 0 for g in tape.gradient(loss, states))


@pytest.mark.parametrize("kind", list(KINDS))
def test_stateful_matches_keras(kind):
    x, _ = inputs_and_mask(3)
    ours, theirs = twin_layers(kind, stateful=True, return_sequences=True)
    for chunk in (x[:, :4], x[:, 4:], x[:, :2]):
        np.testing.assert_allclose(ours(chunk), theirs(chunk), atol=1e-5)
    for a, b in zip(ours.states, theirs.states):
        np.testing.assert_allclose(a, b, atol=1e-5)
    ours.reset_state()
    theirs.reset_state()
    np.testing.assert_allclose(ours(x), theirs(x), atol=1e-5)


@pytest.mark.parametrize(
    "kind, dropouts",
    covering(
        {kind: kind for kind in KINDS},
        {"dropout": (0.3, 0.0), "recurrent": (0.0, 0.4), "both": (0.3, 0.4)},
        strength=1,
    ),
)
def test_dropout_draws_and_applies_keras_masks(kind, dropouts):
    # Same seed, same order of draws: the same masks as Keras's cell.
    x, mask = inputs_and_mask(4)
    dropout, recurrent_dropout = dropouts
    options = {"dropout": dropout, "recurrent_dropout": recurrent_dropout, "seed": 11,
               "return_sequences": True, "return_state": True}
    ours, theirs = twin_layers(kind, **options)
    for training in (True, False):
        o_out, o_grads = outputs_and_grads(ours, x, tf.constant(mask), training=training)
        t_out, t_grads = outputs_and_grads(theirs, x, tf.constant(mask), training=training)
        assert_all_close(o_out + o_grads, t_out + t_grads)
    inference, _ = outputs_and_grads(ours, x, training=False)
    dropped, _ = outputs_and_grads(ours, x, training=True)
    assert not np.allclose(inference[0], dropped[0])


@pytest.mark.parametrize(
    "kind, merge_mode",
    covering({kind: kind for kind in KINDS}, {"concat": "concat", "sum": "sum"}, strength=1),
)
def test_bidirectional_matches_keras(kind, merge_mode):
    x, mask = inputs_and_mask(5)
    ours_class, keras_class, kind_kwargs = KINDS[kind]
    ours = keras.layers.Bidirectional(
        ours_class(UNITS, return_sequences=True, **kind_kwargs), merge_mode=merge_mode)
    theirs = keras.layers.Bidirectional(
        keras_class(UNITS, return_sequences=True, **kind_kwargs), merge_mode=merge_mode)
    ours.build(x.shape)
    theirs.build(x.shape)
    ours.set_weights(theirs.get_weights())
    assert ours.forward_layer.uses_fast_path() and ours.backward_layer.uses_fast_path()
    o_out, o_grads = outputs_and_grads(ours, x, tf.constant(mask))
    t_out, t_grads = outputs_and_grads(theirs, x, tf.constant(mask))
    assert_all_close(o_out + o_grads, t_out + t_grads)


@pytest.mark.parametrize(
    "kind, policy",
    covering(
        {"lstm": "lstm", "gru": "gru"},
        {"mixed_float16": "mixed_float16", "mixed_bfloat16": "mixed_bfloat16"},
        strength=1,
    ),
)
def test_mixed_precision(kind, policy):
    x, mask = inputs_and_mask(6)
    reference, _ = twin_layers(kind, return_sequences=True)
    ours_class, _, _ = KINDS[kind]
    keras.config.set_dtype_policy(policy)
    layer = ours_class(UNITS, return_sequences=True)
    layer.build(x.shape)
    layer.set_weights(reference.get_weights())
    assert layer.cell.kernel.dtype == "float32" and layer.uses_fast_path()
    outputs = layer(x, mask=mask)
    assert outputs.dtype == policy.split("_")[1]
    tolerance = 3e-2 if policy == "mixed_bfloat16" else 5e-3
    np.testing.assert_allclose(
        np.asarray(outputs, "float32"), reference(x, mask=mask), atol=tolerance)
    inputs = keras.Input((STEPS, FEATURES))
    model = keras.Model(
        inputs, keras.layers.Dense(1, dtype="float32")(ours_class(UNITS)(inputs)))
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, np.ones((BATCH, 1)), epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_generic_path_where_the_fused_loop_does_not_apply(kind):
    x, mask = inputs_and_mask(7)
    for options in ({"unroll": True}, {"activation": "relu"}, {"recurrent_activation": "hard_sigmoid"}):
        ours, theirs = twin_layers(kind, return_sequences=True, **options)
        assert not ours.uses_fast_path()
        np.testing.assert_allclose(ours(x, mask=mask), theirs(x, mask=mask), atol=1e-5)


@pytest.mark.parametrize(
    "kind, jit",
    covering(
        {"lstm": "lstm", "gru": "gru"},
        {"True-True": (True, True), "False-False": (False, False), "True-False": (True, False)},
        strength=1,
    ),
)
def test_model_fit_matches_keras(kind, jit):
    model_jit, layer_jit = jit
    x, _ = inputs_and_mask(8)
    y = np.random.default_rng(8).normal(size=(BATCH, 2)).astype("float32")
    ours_class, keras_class, _ = KINDS[kind]

    def model(layer):
        inputs = keras.Input((STEPS, FEATURES))
        model = keras.Model(inputs, keras.layers.Dense(2, name="head")(layer(inputs)))
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", jit_compile=model_jit)
        return model

    def trained(model):
        history = model.fit(x, y, epochs=3, batch_size=2, shuffle=False, verbose=0)
        return model.get_weights(), history.history["loss"]

    theirs = model(keras_class(UNITS, name="rnn"))
    ours = model(ours_class(UNITS, jit_compile=layer_jit, name="rnn"))
    ours.set_weights(theirs.get_weights())
    expected_weights, expected_loss = trained(theirs)
    weights, loss = trained(ours)
    np.testing.assert_allclose(loss, expected_loss, rtol=1e-5)
    assert_all_close(weights, expected_weights)
    assert expected_loss[-1] < expected_loss[0]


@pytest.mark.parametrize("kind", list(KINDS))
def test_weights_interchange_with_keras(kind):
    ours, theirs = twin_layers(kind)
    assert [w.path.split("/", 1)[1] for w in ours.weights] == [
        w.path.split("/", 1)[1] for w in theirs.weights]
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    theirs.set_weights([w * 2 for w in ours.get_weights()])
    np.testing.assert_allclose(theirs.get_weights()[1], ours.get_weights()[1] * 2)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_keras_files_interchange(kind, tmp_path):
    x, mask = inputs_and_mask(9)
    ours_class, keras_class, _ = KINDS[kind]

    def model(layer_class):
        inputs = keras.Input((STEPS, FEATURES))
        h = keras.layers.Masking()(inputs)
        h = keras.layers.Bidirectional(layer_class(UNITS, return_sequences=True), name="bi")(h)
        return keras.Model(inputs, layer_class(UNITS, name="top")(h))

    x[~mask] = 0.0
    ours, theirs = model(ours_class), model(keras_class)
    ours.save(tmp_path / "ours.keras")
    theirs.set_weights(ours.get_weights())
    loaded = keras.saving.load_model(tmp_path / "ours.keras")
    assert isinstance(loaded.get_layer("top"), ours_class)
    np.testing.assert_allclose(loaded(x), ours(x), atol=1e-6)
    np.testing.assert_allclose(theirs(x), ours(x), atol=1e-5)
    # A Keras model's weights file loads into ours and back.
    theirs.save_weights(tmp_path / "theirs.weights.h5")
    fresh = model(ours_class)
    fresh.load_weights(tmp_path / "theirs.weights.h5")
    np.testing.assert_allclose(fresh(x), theirs(x), atol=1e-5)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_get_config_covers_every_argument(kind):
    ours_class, keras_class, _ = KINDS[kind]
    layer = ours_class(7, dropout=0.1, recurrent_dropout=0.2, seed=3, fast_path=False,
                       jit_compile=False, go_backwards=True, use_cudnn=False,
                       kernel_regularizer="l2")
    config = layer.get_config()
    ours_arguments = set(inspect.signature(ours_class.__init__).parameters)
    keras_arguments = set(inspect.signature(keras_class.__init__).parameters)
    assert (ours_arguments | keras_arguments) - {"self", "kwargs", "cell"} <= set(config)
    clone = keras.layers.deserialize(keras.layers.serialize(layer))
    assert type(clone) is ours_class
    assert clone.get_config() == config
    assert clone.fast_path is False and clone.jit_compile is False and clone.use_cudnn is False


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_defers_to_keras_cudnn_where_it_applies(kind, monkeypatch):
    ours_class, _, _ = KINDS[kind]
    assert ours_class(UNITS).uses_fast_path()
    assert ours_class(UNITS, use_cudnn=False).uses_fast_path()
    # use_cudnn=True is Keras's business (it raises where cuDNN cannot run).
    assert not ours_class(UNITS, use_cudnn=True).uses_fast_path()
    keras_gpu.pretend_gpu_is_visible(monkeypatch)
    assert not ours_class(UNITS).uses_fast_path()
    # Arguments cuDNN does not take keep the fused path on a GPU.
    assert ours_class(UNITS, recurrent_dropout=0.1).uses_fast_path()
    assert ours_class(UNITS, use_cudnn=False).uses_fast_path()
    if kind == "gru":
        assert ours_class(UNITS, reset_after=False).uses_fast_path()


def test_variable_lengths_and_batch_sizes():
    layer = LSTM(UNITS, return_sequences=True)
    for batch, steps in ((2, 3), (5, 11), (1, 1)):
        x = np.random.default_rng(steps).normal(size=(batch, steps, FEATURES)).astype("float32")
        assert layer(x).shape == (batch, steps, UNITS)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_xla_loops_switch_off_for_every_layer(kind, monkeypatch):
    """`RNN_KERAS_XLA_LOOPS=0` runs the graph loops even with `jit_compile=True`."""
    from rnn_keras.layers import fused_gru
    from rnn_keras.layers import fused_lstm

    module = fused_lstm if kind == "lstm" else fused_gru

    def refuse(*args, **kwargs):
        raise AssertionError("an XLA loop ran")

    monkeypatch.setattr(module, "_forward_xla", refuse)
    monkeypatch.setattr(module, "_backward_xla", refuse)
    ours, theirs = twin_layers(kind)
    x, mask = inputs_and_mask()
    with pytest.raises(AssertionError, match="an XLA loop ran"):
        outputs_and_grads(ours, x)  # the layers' default: XLA loops
    monkeypatch.setenv("RNN_KERAS_XLA_LOOPS", "0")
    mask = tf.constant(mask)
    for got, expected in zip(outputs_and_grads(ours, x, mask), outputs_and_grads(theirs, x, mask)):
        assert_all_close(got, expected)
    monkeypatch.setenv("RNN_KERAS_XLA_LOOPS", "off")
    with pytest.raises(ValueError, match="RNN_KERAS_XLA_LOOPS='off'"):
        outputs_and_grads(ours, x)
