"""`build_forecaster`: single-shot and autoregressive forecasting."""

import keras
import numpy as np
import pytest

from rnn_keras.models import build_forecaster
from rnn_keras.models import forecast_autoregressive


def windows(series, length, horizon):
    x = np.stack([series[i:i + length] for i in range(len(series) - length - horizon + 1)])
    y = np.stack([series[i + length:i + length + horizon] for i in range(len(series) - length - horizon + 1)])
    return x[..., None].astype("float32"), y[..., None].astype("float32")


def series(num_steps, seed=0):
    t = np.arange(num_steps)
    noise = np.random.default_rng(seed).normal(scale=5.0, size=num_steps)
    return 1000.0 + 200.0 * np.sin(2 * np.pi * t / 24) + noise  # raw units, far from 0


def test_single_shot_multi_step_beats_the_naive_forecast():
    x, y = windows(series(1200), 24, 6)
    x_train, y_train, x_test, y_test = x[:900], y[:900], x[900:], y[900:]
    model = build_forecaster(1, horizon=6, cell="gru", units=32, history=x_train, learning_rate=1e-2)
    np.testing.assert_allclose(model.get_layer("normalization").mean.numpy().ravel(), x_train.mean(), rtol=1e-4)
    model.fit(x_train, y_train, epochs=15, batch_size=32, verbose=0)
    forecast = model.predict(x_test, verbose=0)
    rmse = np.sqrt(np.mean((forecast - y_test) ** 2))
    naive = np.sqrt(np.mean((x_test[:, -1:, :] - y_test) ** 2))
    assert forecast.shape == y_test.shape
    assert rmse < 0.25 * naive, (rmse, naive)


def test_autoregressive_rollout_beats_the_naive_forecast():
    x, y = windows(series(1200, seed=1), 24, 1)
    model = build_forecaster(1, horizon=1, cell="lstm", units=32, history=x[:900], learning_rate=1e-2)
    model.fit(x[:900], y[:900], epochs=10, batch_size=32, verbose=0)
    x_test, y_test = windows(series(1200, seed=1)[900:], 24, 6)
    forecast = forecast_autoregressive(model, x_test, 6)
    rmse = np.sqrt(np.mean((forecast - y_test) ** 2))
    naive = np.sqrt(np.mean((x_test[:, -1:, :] - y_test) ** 2))
    assert rmse < 0.5 * naive, (rmse, naive)


def test_normalisation_travels_with_the_saved_model(tmp_path):
    history = np.random.default_rng(0).normal(50.0, 10.0, size=(20, 8, 3)).astype("float32")
    model = build_forecaster(3, horizon=2, target_indices=[2], cell="vanilla", units=4, history=history)
    model.save(tmp_path / "forecaster.keras")
    loaded = keras.models.load_model(tmp_path / "forecaster.keras")
    np.testing.assert_allclose(loaded.predict(history, verbose=0), model.predict(history, verbose=0), atol=1e-4)
    assert model.output.shape[1:] == (2, 1)
    # Untrained outputs sit around the target's mean, in original units.
    assert abs(float(np.mean(model.predict(history, verbose=0))) - 50.0) < 15.0


def test_series_and_calendar_ids_are_embedded_inputs_saved_with_the_model(tmp_path):
    rng = np.random.default_rng(0)
    history = rng.normal(50.0, 10.0, size=(16, 8, 1)).astype("float32")
    model = build_forecaster(1, horizon=2, cell="gru", units=4, history=history, input_length=8,
                             scaling="window", num_series=3, season=4, unknown_rate=0.5)
    assert sorted(t.name for t in model.inputs) == ["calendar", "history", "series"]
    assert model.get_layer("series_embedding").input_dim == 4  # ids 1-3 and 0, unknown
    assert model.get_layer("calendar_embedding").output_dim == 4
    inputs = {"history": history, "series": np.arange(16, dtype="int32") % 4,
              "calendar": np.arange(16, dtype="int32") % 5}
    targets = rng.normal(50.0, 10.0, size=(16, 2, 1)).astype("float32")
    model.fit(inputs, targets, epochs=1, batch_size=8, verbose=0)
    forecast = model.predict(inputs, verbose=0)
    # Unknown ids are dropped in training only: inference is deterministic.
    np.testing.assert_array_equal(model.predict(inputs, verbose=0), forecast)
    # Another series id or position forecasts otherwise.
    for name in ("series", "calendar"):
        other = model.predict({**inputs, name: (inputs[name] + 1) % 4}, verbose=0)
        assert not np.allclose(other, forecast), name
    model.save(tmp_path / "forecaster.keras")
    loaded = keras.models.load_model(tmp_path / "forecaster.keras")
    np.testing.assert_allclose(loaded.predict(inputs, verbose=0), forecast, atol=1e-5)
    # Without them, the model keeps its one `history` input.
    plain = build_forecaster(1, horizon=2, units=4, input_length=8)
    assert [t.name for t in plain.inputs] == ["history"] and not isinstance(plain.input, dict)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"num_features": 0}, "num_features"),
        ({"num_features": 2, "horizon": 0}, "horizon"),
        ({"num_features": 2, "target_indices": [2]}, "target_indices"),
        ({"num_features": 2, "target_indices": []}, "target_indices"),
        ({"num_features": 2, "history": np.zeros((4, 3))}, "history"),
        ({"num_features": 1, "num_series": 0}, "num_series"),
        ({"num_features": 1, "season": 1}, "season"),
        ({"num_features": 1, "season": 12, "feature_dim": 0}, "feature_dim"),
        ({"num_features": 1, "season": 12, "unknown_rate": 1.0}, "unknown_rate"),
    ],
)
def test_bad_arguments_fail_at_build_time(kwargs, match):
    with pytest.raises(ValueError, match=f"`{match}`"):
        build_forecaster(**kwargs)


def test_autoregressive_needs_a_one_step_all_feature_model():
    model = build_forecaster(2, horizon=3, units=4)
    with pytest.raises(ValueError, match="horizon 1"):
        forecast_autoregressive(model, np.zeros((1, 5, 2)), 4)


def test_last_value_scaling_forecasts_the_change_from_the_last_value(tmp_path):
    rng = np.random.default_rng(0)
    history = (100.0 + np.cumsum(rng.normal(1.0, 2.0, size=(12, 10, 2)), axis=1)).astype("float32")
    model = build_forecaster(2, horizon=3, target_indices=[1], cell="gru", units=4,
                             history=history, scaling="last")
    head = model.get_layer("forecast_normalized")
    kernel, bias = head.get_weights()
    # A head that says nothing forecasts the last value: the naive forecast.
    head.set_weights([np.zeros_like(kernel), np.zeros_like(bias)])
    np.testing.assert_allclose(model.predict(history, verbose=0)[..., 0],
                               np.repeat(history[:, -1:, 1], 3, axis=1), rtol=1e-6)
    # Otherwise the last value plus the head's output in the window's scale (NumPy).
    head.set_weights([np.zeros_like(kernel), np.array([0.5, -1.0, 2.0], "float32")])
    level = np.abs(history.astype("float64")).mean(axis=1) + 1e-6
    scaled = history / level[:, None, :]
    std = scaled[..., 1].std()
    expected = history[:, -1:, 1] + level[:, 1:2] * std * np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(model.predict(history, verbose=0)[..., 0], expected, rtol=1e-4)
    assert model.get_layer("forecast").get_config()["anchor"] is True
    model.save(tmp_path / "last.keras")
    loaded = keras.models.load_model(tmp_path / "last.keras")
    np.testing.assert_allclose(
        loaded.predict(history, verbose=0), model.predict(history, verbose=0)
    )


def test_season_scaling_forecasts_the_change_from_the_seasonal_naive_forecast(tmp_path):
    rng = np.random.default_rng(0)
    cycle = np.array([0.0, 10.0, -5.0, 3.0])
    history = (100.0 + np.tile(cycle, 3)[None, :, None]
               + rng.normal(0, 1, size=(8, 12, 1))).astype("float32")
    model = build_forecaster(1, horizon=6, cell="gru", units=4, history=history,
                             input_length=12, scaling="season", seasonal_period=4)
    head = model.get_layer("forecast_normalized")
    kernel, bias = head.get_weights()
    # A head that says nothing forecasts the seasonal naive forecast: the last
    # value at each step's position in the cycle (steps 5 and 6 repeat 1 and 2).
    naive = history[:, [8, 9, 10, 11, 8, 9], 0]
    head.set_weights([np.zeros_like(kernel), np.zeros_like(bias)])
    np.testing.assert_allclose(model.predict(history, verbose=0)[..., 0], naive, rtol=1e-6)
    # Otherwise that plus the head's output in the window's scale (NumPy).
    change = np.array([0.5, -1.0, 2.0, 0.0, 1.0, -0.5], "float32")
    head.set_weights([np.zeros_like(kernel), change])
    level = np.abs(history.astype("float64")).mean(axis=1) + 1e-6
    std = (history / level[:, None, :])[..., 0].std()
    expected = naive + level * std * change
    np.testing.assert_allclose(model.predict(history, verbose=0)[..., 0], expected, rtol=1e-4)
    assert model.get_layer("forecast").get_config()["period"] == 4
    model.save(tmp_path / "season.keras")
    loaded = keras.models.load_model(tmp_path / "season.keras")
    np.testing.assert_allclose(loaded.predict(history, verbose=0)[..., 0], expected, rtol=1e-4)
    for kwargs in ({"scaling": "season"}, {"scaling": "last", "seasonal_period": 4},
                   {"scaling": "season", "seasonal_period": 13}):
        with pytest.raises(ValueError, match="`seasonal_period`"):
            build_forecaster(1, horizon=2, input_length=12, **kwargs)


def test_adjusted_scaling_forecasts_the_change_from_naive2(tmp_path):
    rng = np.random.default_rng(0)
    cycle = np.array([0.0, 10.0, -5.0, 3.0])
    steps = np.arange(12)
    history = (100.0 + 2.0 * steps + cycle[steps % 4])[None, :, None] + rng.normal(
        0, 1, size=(8, 12, 1))
    history = history.astype("float32")
    model = build_forecaster(1, horizon=6, cell="gru", units=4, history=history,
                             input_length=12, scaling="adjusted", seasonal_period=4)
    head = model.get_layer("forecast_normalized")
    kernel, bias = head.get_weights()
    head.set_weights([np.zeros_like(kernel), np.zeros_like(bias)])
    # A head that says nothing forecasts Naive2 (NumPy: the window's classical
    # decomposition; steps 1-6 at positions 0, 1, 2, 3, 0, 1 of the cycle).
    naive2 = []
    for window in history[..., 0].astype("float64"):
        trend = np.convolve(window, [0.125, 0.25, 0.25, 0.25, 0.125], mode="valid")
        deviations = window[2:10] - trend  # positions 2 .. 9
        indices = np.array([deviations[(k - 2) % 4::4].mean() for k in range(4)])
        indices -= indices.mean()
        naive2.append(window[-1] - indices[3] + indices[[0, 1, 2, 3, 0, 1]])
    np.testing.assert_allclose(model.predict(history, verbose=0)[..., 0], naive2, rtol=1e-5)
    assert model.get_layer("forecast").get_config()["adjusted"]
    model.save(tmp_path / "adjusted.keras")
    loaded = keras.models.load_model(tmp_path / "adjusted.keras")
    np.testing.assert_allclose(loaded.predict(history, verbose=0)[..., 0], naive2, rtol=1e-5)
    for kwargs in ({"seasonal_period": 7, "input_length": 12},
                   {"seasonal_period": 4, "input_length": None}):
        with pytest.raises(ValueError, match="half a fixed `input_length`"):
            build_forecaster(1, horizon=2, scaling="adjusted", **kwargs)


def test_a_window_of_zeros_is_scaled_as_a_typical_window(tmp_path):
    rng = np.random.default_rng(0)
    history = rng.uniform(5.0, 50.0, size=(9, 6, 1)).astype("float32")
    history[[2, 5]] = 0.0  # runs of zeros, as in an intermittent series
    model = build_forecaster(1, horizon=2, cell="gru", units=4, history=history, scaling="last")
    levels = np.abs(history.astype("float64")).mean(axis=(1, 2))
    default = np.median(levels[levels > 0])
    assert model.get_layer("forecast").get_config()["default_scale"] == pytest.approx([default])
    head = model.get_layer("forecast_normalized")
    kernel, _ = head.get_weights()
    head.set_weights([np.zeros_like(kernel), np.array([0.5, -1.0], "float32")])
    # The last value plus the head's output in the window's scale, the
    # windows of zeros on the median level of the others (NumPy).
    scale = np.where(levels > 0, levels, default) + 1e-6
    std = (history[..., 0] / scale[:, None]).std()
    expected = history[:, -1, :] + scale[:, None] * std * np.array([0.5, -1.0])
    forecast = model.predict(history, verbose=0)[..., 0]
    np.testing.assert_allclose(forecast, expected, rtol=1e-4)
    # What follows the zeros is the network's to say, not pinned to 0.
    assert np.abs(forecast[[2, 5]]).min() > 1.0
    model.save(tmp_path / "zeros.keras")
    loaded = keras.models.load_model(tmp_path / "zeros.keras")
    np.testing.assert_allclose(loaded.predict(history, verbose=0)[..., 0], forecast, rtol=1e-6)
