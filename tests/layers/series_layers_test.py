"""`SeriesNormalization` and `SeriesPatches`: series inputs standardised, masked and patched."""

import inspect

import keras
import numpy as np
import pytest

from rnn_keras.layers import SeriesNormalization
from rnn_keras.layers import SeriesPatches
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
    "layer", [SeriesNormalization([1.0, 2.0], [3.0, 4.0], "channel", 1e-3), SeriesPatches(5)]
)
def test_config_holds_every_argument(layer):
    arguments = set(inspect.signature(type(layer).__init__).parameters) - {"self", "kwargs"}
    config = layer.get_config()
    assert arguments <= set(config)
    again = type(layer).from_config(config)
    assert {k: getattr(again, k) for k in arguments} == {k: config[k] for k in arguments}


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="mode"):
        SeriesNormalization(mode="global")
    with pytest.raises(ValueError, match="patch_size"):
        SeriesPatches(0)


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


def test_series_normalization_needs_real_valued_inputs():
    with pytest.raises(ValueError, match="series_normalization"):
        build_classifier(2, vocab_size=10, series_normalization="channel")
