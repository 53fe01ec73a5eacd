"""`SeriesNormalization`, `SeriesConvolution` and `SeriesPatches`: series inputs
standardised, masked, convolved and patched."""

import inspect

import keras
import numpy as np
import pytest

from rnn_keras.layers import SeriesConvolution
from rnn_keras.layers import SeriesNormalization
from rnn_keras.layers import SeriesPatches
from rnn_keras.layers import WindowScaling
from rnn_keras.layers.window_scaling import seasonal_anchor_matrix
from rnn_keras.models import build_classifier


def _series(seed=0):
    rng = np.random.default_rng(seed)
    values = rng.normal(3.0, 2.0, size=(4, 9, 3)).astype("float32")
    values[1, 6:] = np.nan  # a shorter series, NaN-padded
    values[2, 4, 1] = np.nan  # one missing value
    return values


def test_channel_mode_matches_numpy_and_masks_padding():
    values = _series()
    mean, std = [1.0, 2.0, 3.0], [0.5, 2.0, 4.0]
    layer = SeriesNormalization(mean, std)
    out = np.asarray(layer(values))
    expected = np.nan_to_num((values - np.array(mean)) / np.array(std), nan=0.0)
    np.testing.assert_allclose(out, expected, atol=1e-6)
    mask = np.asarray(layer.compute_mask(values))
    assert mask[1].tolist() == [True] * 6 + [False] * 3
    assert mask[2].all()  # one channel missing still leaves a step


def test_series_mode_z_normalises_every_series_and_channel_over_its_values():
    values = _series()
    out = np.asarray(SeriesNormalization(mode="series")(values))
    mean = np.nanmean(values, axis=1, keepdims=True)
    std = np.nanstd(values, axis=1, keepdims=True)
    np.testing.assert_allclose(out, np.nan_to_num((values - mean) / std, nan=0.0), atol=1e-5)


def test_patches_match_a_numpy_reshape_and_keep_a_patch_with_any_value():
    values = np.arange(2 * 7 * 2, dtype="float32").reshape(2, 7, 2)
    out = np.asarray(SeriesPatches(3)(values))
    padded = np.concatenate([values, np.zeros((2, 2, 2), "float32")], axis=1)
    np.testing.assert_array_equal(out, padded.reshape(2, 3, 6))
    mask = np.array([[True] * 7, [True] * 3 + [False] * 4])
    patched = np.asarray(SeriesPatches(3).compute_mask(values, mask))
    assert patched.tolist() == [[True, True, True], [True, False, False]]
    assert SeriesPatches(3).compute_output_shape((None, 7, 2)) == (None, 3, 6)


@pytest.mark.parametrize(
    "layer",
    [SeriesNormalization([1.0, 2.0], [3.0, 4.0], "channel", 1e-3), SeriesPatches(5),
     SeriesConvolution(6, [3, 2], 0.8), WindowScaling([0], True, 1e-5, True, [2.0])],
)
def test_config_holds_every_argument(layer):
    arguments = set(inspect.signature(type(layer).__init__).parameters) - {"self", "kwargs"}
    config = layer.get_config()
    assert arguments <= set(config)
    again = type(layer).from_config(config)
    assert {k: getattr(again, k) for k in arguments} == {k: config[k] for k in arguments}


def test_window_scaling_scales_zeros_by_its_default_and_an_older_files_by_epsilon():
    values = np.array([[[0.0], [0.0]], [[2.0], [-4.0]]], "float32")
    layer = WindowScaling(default_scale=[5.0])
    np.testing.assert_allclose(np.asarray(layer.scale(values))[:, 0, 0], [5.0, 3.0], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(layer(values)), [[[0.0], [0.0]], [[2 / 3], [-4 / 3]]],
                               rtol=1e-5)
    config = layer.get_config()
    del config["default_scale"]  # written before it existed
    older = WindowScaling.from_config(config)
    np.testing.assert_allclose(np.asarray(older.scale(values))[:, 0, 0], [1e-6, 3.0], rtol=1e-6)


def _naive2(window, horizon, period):
    """Makridakis' Naive2 of one window, by classical additive decomposition in loops."""
    window = np.asarray(window, "float64")
    average = np.full(period, 1.0 / period)
    if period % 2 == 0:
        average = np.convolve(average, [0.5, 0.5])  # the 2 x period average
    half = len(average) // 2
    trend = np.convolve(window, average, mode="valid")  # centred on half .. n - 1 - half
    deviations = {k: [] for k in range(period)}
    for i, level in enumerate(trend):
        position = i + half
        deviations[position % period].append(window[position] - level)
    indices = np.array([np.mean(deviations[k]) for k in range(period)])
    indices -= indices.mean()
    last = len(window) - 1
    adjusted = window[last] - indices[last % period]
    return np.array([adjusted + indices[(last + h) % period] for h in range(1, horizon + 1)])


@pytest.mark.parametrize("length, horizon, period", [(16, 8, 4), (36, 18, 12), (24, 12, 7),
                                                     (7, 5, 3), (104, 13, 52)])
def test_seasonal_anchor_matrix_is_naive2(length, horizon, period):
    rng = np.random.default_rng(period)
    matrix = seasonal_anchor_matrix(length, horizon, period)
    assert matrix.shape == (horizon, length)
    for _ in range(3):
        window = rng.normal(0, 5, length)
        np.testing.assert_allclose(matrix @ window, _naive2(window, horizon, period), atol=1e-9)
    # A season on a line is forecast without error but for the line's slope since the
    # last value; a constant forecast as itself.
    cycle = rng.normal(0, 3, period)
    steps = np.arange(length + horizon)
    line = 10.0 + 0.5 * steps
    values = line + cycle[steps % period]
    expected = line[length - 1] + cycle[steps[length:] % period]
    np.testing.assert_allclose(matrix @ values[:length], expected, atol=1e-9)
    np.testing.assert_allclose(matrix @ np.full(length, 7.0), np.full(horizon, 7.0))


def test_window_scaling_anchored_on_the_seasonally_adjusted_last_value(tmp_path):
    rng = np.random.default_rng(0)
    history = rng.normal(50, 10, size=(3, 12, 2)).astype("float32")
    change = rng.normal(0, 1, size=(3, 5, 1)).astype("float32")
    layer = WindowScaling([1], invert=True, anchor=True, period=4, adjusted=True)
    level = np.abs(history[..., 1:].astype("float64")).mean(axis=1, keepdims=True) + 1e-6
    naive2 = np.stack([_naive2(window, 5, 4) for window in history[..., 1]])[..., None]
    np.testing.assert_allclose(np.asarray(layer([change, history])), change * level + naive2,
                               rtol=1e-5)
    again = WindowScaling.from_config(layer.get_config())
    assert again.adjusted and again.period == 4
    config = layer.get_config()
    del config["adjusted"]  # written before it existed
    assert not WindowScaling.from_config(config).adjusted
    with pytest.raises(ValueError, match="`adjusted=True` needs a `period`"):
        WindowScaling(invert=True, anchor=True, adjusted=True)
    with pytest.raises(ValueError, match="at least two periods"):
        seasonal_anchor_matrix(7, 2, 4)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="mode"):
        SeriesNormalization(mode="global")
    with pytest.raises(ValueError, match="patch_size"):
        SeriesPatches(0)
    with pytest.raises(ValueError, match="filters"):
        SeriesConvolution(0)
    with pytest.raises(ValueError, match="kernel_sizes"):
        SeriesConvolution(4, [])
    with pytest.raises(ValueError, match="kernel_sizes"):
        SeriesConvolution(4, [3, 0])
    with pytest.raises(ValueError, match="momentum"):
        SeriesConvolution(4, momentum=1.0)


def _numpy_convolution_blocks(layer, values, mask):
    """`SeriesConvolution` at inference, from its weights: zero, convolve, normalise, ReLU."""
    keep = mask[:, :, None].astype("float32")
    outputs = values
    for convolution, normalization in zip(layer.convolutions, layer.normalizations):
        kernel, bias = (np.asarray(w) for w in convolution.weights)
        gamma, beta, moving_mean, moving_variance = (np.asarray(w) for w in normalization.weights)
        size = kernel.shape[0]
        left = (size - 1) // 2  # "same" padding puts the odd step on the right
        padded = np.pad(outputs * keep, [(0, 0), (left, size - 1 - left), (0, 0)])
        steps = outputs.shape[1]
        convolved = sum(padded[:, k : k + steps] @ kernel[k] for k in range(size)) + bias
        normalized = (convolved - moving_mean) / np.sqrt(moving_variance + normalization.epsilon)
        outputs = np.maximum(gamma * normalized + beta, 0.0)
    return outputs * keep


def test_convolution_matches_numpy_and_leaves_masked_steps_out():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(3, 9, 2)).astype("float32")
    mask = np.ones((3, 9), bool)
    mask[1, 6:] = False
    values[1, 6:] = 50.0  # padding that must not leak into the steps beside it
    layer = SeriesConvolution(4, [4, 3])
    layer.build(values.shape)
    for normalization in layer.normalizations:  # moving statistics away from 0 and 1
        normalization.set_weights([rng.uniform(0.5, 2, 4), rng.normal(size=4),
                                   rng.normal(size=4), rng.uniform(0.5, 2, 4)])
    out = np.asarray(layer(values, mask=mask, training=False))
    assert out.shape == (3, 9, 4)
    # Moving statistics that follow a few batches an epoch (see the docstring).
    assert [n.momentum for n in layer.normalizations] == [0.9, 0.9]
    np.testing.assert_allclose(out, _numpy_convolution_blocks(layer, values, mask), atol=1e-5)
    np.testing.assert_array_equal(np.asarray(layer.compute_mask(values, mask)), mask)


def test_convolution_normalises_training_batches_over_the_unmasked_steps():
    # In training, batch normalisation's moments come from the unmasked steps: a
    # series alone and the same series NaN-padded in the classifier's input agree.
    rng = np.random.default_rng(1)
    series = rng.normal(size=(2, 6, 2)).astype("float32")
    padded = np.concatenate([series, np.full((2, 4, 2), np.nan, "float32")], axis=1)
    normalization = SeriesNormalization(mode="series")
    layer = SeriesConvolution(3, [3])
    alone = layer(normalization(series), training=True)
    masked = layer(normalization(padded), mask=normalization.compute_mask(padded), training=True)
    np.testing.assert_allclose(np.asarray(masked)[:, :6], np.asarray(alone), atol=1e-5)
    np.testing.assert_array_equal(np.asarray(masked)[:, 6:], 0.0)


@pytest.mark.parametrize("cell", ["gru", "lstm", "vanilla"])
@pytest.mark.parametrize("patch_size", [1, 2])
def test_a_classifier_reads_a_nan_padded_series_as_the_series_alone(cell, patch_size):
    keras.utils.set_random_seed(0)
    model = build_classifier(
        3, num_features=2, cell=cell, units=4, bidirectional=True, pooling="mean",
        series_normalization="channel", feature_mean=[0.5, -1.0], feature_std=[2.0, 1.0],
        patch_size=patch_size,
    )
    rng = np.random.default_rng(1)
    series = rng.normal(size=(1, 6, 2)).astype("float32")
    padded = np.concatenate([series, np.full((1, 5, 2), np.nan, "float32")], axis=1)
    np.testing.assert_allclose(model(padded), model(series), atol=1e-6)
    assert model.get_layer("series_normalization").mode == "channel"


@pytest.mark.parametrize("conv_branch", [False, True])
def test_a_classifier_with_convolutions_reads_a_nan_padded_series_as_the_series_alone(
    tmp_path, conv_branch
):
    keras.utils.set_random_seed(0)
    model = build_classifier(
        3, num_features=2, cell="gru", units=4, bidirectional=True, pooling="max",
        series_normalization="series", patch_size=2, conv_filters=5, conv_branch=conv_branch,
    )
    assert model.get_layer("convolution").kernel_sizes == (8, 5)
    # The branch's average of the 5 filters joins the 2 x 4 pooled recurrent features.
    assert model.get_layer("probabilities").kernel.shape == ((13 if conv_branch else 8), 3)
    rng = np.random.default_rng(1)
    series = rng.normal(size=(2, 7, 2)).astype("float32")
    model.fit(series, np.array([0, 2]), epochs=1, verbose=0)  # moving statistics move
    padded = np.concatenate([series, np.full((2, 5, 2), np.nan, "float32")], axis=1)
    np.testing.assert_allclose(model(padded), model(series), atol=1e-6)
    path = str(tmp_path / "convolution.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    np.testing.assert_allclose(loaded(padded), model(padded), atol=1e-6)


def test_series_normalization_needs_real_valued_inputs():
    with pytest.raises(ValueError, match="series_normalization"):
        build_classifier(2, vocab_size=10, series_normalization="channel")
    with pytest.raises(ValueError, match="conv_filters"):
        build_classifier(2, num_features=2, conv_filters=4)
    with pytest.raises(ValueError, match="conv_filters"):
        build_classifier(2, num_features=2, series_normalization="series", conv_filters=-1)
    with pytest.raises(ValueError, match="conv_branch"):
        build_classifier(2, num_features=2, series_normalization="series", conv_branch=True)
