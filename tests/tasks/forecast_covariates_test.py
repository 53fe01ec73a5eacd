"""Covariates of the forecaster: read from a table, windowed, learnt from, served."""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

import task_data
from rnn_keras import runner
from rnn_keras.cli import main
from rnn_keras.data.readers import DataError
from rnn_keras.data.series_readers import SeriesCollection
from rnn_keras.models import build_forecaster
from rnn_keras.tasks.forecast import backtest
from rnn_keras.tasks.forecast import features
from rnn_keras.tasks.forecast.series import read_series
from rnn_keras.tasks.forecast.series import training_data


def _demand_table(path, days=200, ahead=6, seed=0):
    """Daily `date,demand,temp,work`: demand driven by the day's temperature and working day.

    The last `ahead` rows hold the covariates alone (the days to forecast).
    """
    rng = np.random.default_rng(seed)
    steps = days + ahead
    temp = rng.normal(20, 5, steps)  # no pattern in time: only the day's value tells
    work = (rng.random(steps) < 0.7).astype(float)
    demand = 100 + 0.5 * (temp - 20) ** 2 + 30 * work + rng.normal(0, 1, steps)
    rows = ["date,demand,temp,work"]
    for day in range(steps):
        date = np.datetime64("2020-01-01") + day
        cell = f"{demand[day]:.4f}" if day < days else ""
        rows.append(f"{date},{cell},{temp[day]:.4f},{work[day]:.0f}")
    path.write_text("\n".join(rows) + "\n")
    return demand[:days], np.stack([temp, work], axis=1)


def test_a_table_s_covariates_go_with_every_other_series_and_run_past_its_end(tmp_path):
    path = tmp_path / "demand.csv"
    demand, known = _demand_table(path)
    collection = read_series(str(path), covariates="temp, work")
    assert collection.names == ["demand"]
    assert collection.covariate_names == ("temp", "work")
    np.testing.assert_allclose(collection.values[0], demand, atol=1e-4)
    # The rows after the series' end are its covariates' too.
    assert collection.covariates[0].shape == (206, 2)
    np.testing.assert_allclose(collection.covariates[0], known, atol=1e-4)
    # `--column` picks the series to forecast; the rest of the table is left out.
    chosen = read_series(str(path), column="demand", covariates="work")
    assert chosen.names == ["demand"] and chosen.covariate_names == ("work",)
    np.testing.assert_array_equal(chosen.covariates[0][:, 0], known[:, 1])
    # Without covariates the table's three columns are series, as before.
    assert read_series(str(path)).names == ["demand", "temp", "work"]


def test_covariates_a_file_cannot_give_are_errors_naming_the_file(tmp_path):
    path = tmp_path / "demand.csv"
    _demand_table(path)
    with pytest.raises(DataError, match=r"demand.csv.*'wind' \(--covariates\).*'temp'"):
        read_series(str(path), covariates="temp,wind")
    with pytest.raises(DataError, match="'temp' is named both"):
        read_series(str(path), column="demand,temp", covariates="temp")
    with pytest.raises(DataError, match="none is left to forecast"):
        read_series(str(path), covariates="demand,temp,work")
    with pytest.raises(DataError, match="each once"):
        read_series(str(path), covariates="temp,temp")
    # A covariate that stops before its series does.
    lines = path.read_text().splitlines()
    short = tmp_path / "short.csv"
    short.write_text("\n".join([lines[0], *lines[1:-20], *[
        line.rsplit(",", 2)[0] + ",," for line in lines[-20:]
    ]]) + "\n")
    with pytest.raises(DataError, match="covariate 'temp' has 186 values, series 'demand' 200"):
        read_series(str(short), covariates="temp,work")
    tsf = tmp_path / "m.tsf"
    tsf.write_text("@attribute series_name string\n@frequency yearly\n@data\nT1:1,2,3,4,5\n")
    with pytest.raises(DataError, match="columns of a table"):
        read_series(str(tsf), covariates="x")


def _long_table(path, priced=("A", "B")):
    """statsforecast's layout, `unique_id,ds,y,price,promo`: each series its own covariates.

    Each series' values end three days before its covariates'.
    """
    rows = ["unique_id,ds,y,price,promo"]
    for series, scale in (("A", 1), ("B", 2)):
        for day in range(30):
            date = np.datetime64("2020-01-01") + day
            value = f"{scale * day}" if day < 27 else ""
            price = f"{scale * 10 + day / 10:g}" if series in priced else ""
            rows.append(f"{series},{date},{value},{price},{day % 2}")
    path.write_text("\n".join(rows) + "\n")


def test_a_long_file_s_covariates_are_each_series_own(tmp_path):
    path = tmp_path / "long.csv"
    _long_table(path)
    collection = read_series(str(path), covariates="price,promo")
    assert collection.names == ["A", "B"] and [len(v) for v in collection.values] == [27, 27]
    assert collection.covariate_names == ("price", "promo")
    for known, scale in zip(collection.covariates, (1, 2)):
        assert known.shape == (30, 2)
        np.testing.assert_allclose(known[:, 0], scale * 10 + np.arange(30) / 10)
        np.testing.assert_array_equal(known[:, 1], np.arange(30) % 2)
    with pytest.raises(DataError, match=r"no column 'cost' \(--covariates\) in the header"):
        read_series(str(path), covariates="cost")
    _long_table(path, priced=("A",))
    with pytest.raises(DataError, match="series 'B' has no values of covariate 'price'"):
        read_series(str(path), covariates="price")


def test_an_r_table_without_timestamps_reads_its_covariates_without_advice(tmp_path, caplog):
    # fpp2's elecdaily as Rdatasets writes it: row names, then the columns of a `ts`.
    rng = np.random.default_rng(0)
    # The last five days' demand is to forecast: its cells are empty.
    rows = ["rownames,Demand,WorkDay,Temperature"] + [
        f"{i + 1},{'' if i >= 55 else f'{200 + rng.normal():.3f}'},{i % 7 < 5:d},"
        f"{20 + rng.normal():.2f}"
        for i in range(60)
    ]
    path = tmp_path / "elecdaily.csv"
    path.write_text("\n".join(rows) + "\n")
    collection = read_series(str(path), covariates="Temperature,WorkDay")
    assert collection.names == ["Demand"] and collection.starts == [None]
    # The series ends at its last value, as a timestamped table's does (the empty
    # cells after it are not filled), and its covariates run on.
    assert len(collection.values[0]) == 55 and not np.isnan(collection.values[0]).any()
    assert collection.covariates[0].shape == (60, 2)
    assert "without timestamps" in caplog.text
    assert "name one to forecast" not in caplog.text  # they are named
    assert "missing values" not in caplog.text
    # So does one column read alone.
    assert len(read_series(str(path), column="Demand").values[0]) == 55


def test_the_backtest_fits_autoarima_with_the_covariates_beside_autoets(monkeypatch):
    rng = np.random.default_rng(0)
    known = rng.normal(0, 1, (120, 1))
    values = 50 + 10 * known[:, 0] + rng.normal(0, 0.5, 120)
    series = SeriesCollection(["s"], [None], [values], covariates=[known],
                              covariate_names=("x",))
    data = training_data(series)
    origins = [(0, o) for o in range(110, 117)]
    actual = np.stack([values[o : o + 4] for _, o in origins])
    # Fitted on the last 60 values: the cut leaves the regression to find.
    monkeypatch.setattr(backtest, "ARIMA_VALUES", 60)
    results = backtest.statistical_forecasts(data, origins, 4, season=1, interval=0.8)
    assert sorted(results) == ["auto_arima_x", "auto_ets", "auto_theta"]
    with_x = results["auto_arima_x"]
    assert with_x.fallbacks == 0 and with_x.lower.shape == (7, 4)
    error = np.mean(np.abs(with_x.forecasts - actual))
    assert error < 1.5 < np.mean(np.abs(results["auto_ets"].forecasts - actual))
    # Series without covariates get no such model.
    plain = training_data(SeriesCollection(["s"], [None], [values]))
    assert "auto_arima_x" not in backtest.statistical_forecasts(plain, origins, 4, season=1)


def test_covariate_windows_cover_the_window_and_horizon_padded_as_the_values():
    known = np.arange(20.0).reshape(10, 2)  # step t: (2t, 2t + 1)
    windows = features.covariate_windows([known, known], [(0, 5), (1, 2)], window=3, horizon=2)
    assert windows.shape == (2, 5, 2) and windows.dtype == np.float32
    np.testing.assert_array_equal(windows[0, :, 0], [4, 6, 8, 10, 12])  # steps 2..6
    np.testing.assert_array_equal(windows[1, :, 0], [0, 0, 2, 4, 6])  # steps 0 (padding), 0..3
    with pytest.raises(ValueError, match="covariates"):
        features.covariate_windows([known], [(0, 9)], window=3, horizon=2)


def test_the_model_reads_the_window_s_and_the_horizon_s_covariates(tmp_path):
    keras.utils.set_random_seed(0)
    history = np.linspace(1, 2, 8, dtype="float32").reshape(2, 4, 1)
    covariate_history = np.random.default_rng(0).normal(5, 2, (16, 6, 3))
    model = task_data.small_forecaster(num_covariates=3, covariate_history=covariate_history)
    assert [t.name for t in model.inputs] == ["covariates", "history"]
    # Standardised by the training covariates' statistics.
    normalization = model.get_layer("covariate_normalization")
    expected = covariate_history.reshape(-1, 3).mean(0)
    np.testing.assert_allclose(np.ravel(normalization.mean), expected, rtol=1e-5)
    known = np.random.default_rng(1).normal(5, 2, (2, 6, 3)).astype("float32")
    base = model({"history": history, "covariates": known}).numpy()
    for step in (0, 5):  # one of the window, one of the horizon
        changed = known.copy()
        changed[:, step] += 3
        moved = model({"history": history, "covariates": changed}).numpy()
        assert not np.allclose(moved, base), step
    # A `.keras` file keeps it.
    path = str(tmp_path / "covariates.keras")
    model.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_allclose(again({"history": history, "covariates": known}), base, rtol=1e-6)
    # A covariate constant in training is read as nothing, whatever its value.
    constant = covariate_history.copy()
    constant[..., 2] = 0.0
    model = task_data.small_forecaster(num_covariates=3, covariate_history=constant)
    before, passed = known.copy(), known.copy()
    before[..., 2], passed[..., 2] = 0.0, 1.0
    base = model({"history": history, "covariates": before}).numpy()
    np.testing.assert_allclose(
        model({"history": history, "covariates": passed}), base, rtol=1e-6, atol=1e-6
    )
    with pytest.raises(ValueError, match="input_length"):
        build_forecaster(1, horizon=2, num_covariates=3)
    with pytest.raises(ValueError, match="num_covariates"):
        task_data.small_forecaster(num_covariates=0)


def _fit_error(data, options, epochs=30):
    keras.utils.set_random_seed(0)
    return task_data.forecast_fit_error(task_data.covariate_task(options), data, epochs)


def test_a_covariate_known_ahead_forecasts_what_the_history_cannot():
    # Each value is 10 times an unforeseeable covariate: only its value at the step tells.
    rng = np.random.default_rng(0)
    known = rng.normal(0, 1, (300, 1))
    values = 50 + 10 * known[:, 0]
    series = SeriesCollection(["s"], [None], [values], covariates=[known],
                              covariate_names=("x",))
    data = training_data(series)
    alone = _fit_error(data, {})
    with_covariate = _fit_error(data, {"covariates": "x"})
    assert alone > 6  # about E|10 x| = 8
    assert with_covariate < 0.4 * alone, (with_covariate, alone)


@pytest.fixture(scope="module")
def covariate_model(tmp_path_factory):
    return task_data.trained_forecaster(tmp_path_factory, "demand", _demand_table, {
        "covariates": "temp,work", "horizon": 6, "season": 7,
    })


def test_predict_the_saved_model_and_the_numeric_formats_read_the_covariates_ahead(
    covariate_model, tmp_path, capsys
):
    folder, path = covariate_model
    task, model = runner.load(folder)
    assert task.feature_names == ("covariates",)
    collection = task.read_file(path).series
    (result,) = task.predict_series(model, path)
    assert result["series"] == "demand" and len(result["forecast"]) == 6
    # The SavedModel takes the history and its covariates to the horizon after it.
    served = tf.saved_model.load(os.path.join(folder, "1"))
    assert sorted(served.signatures) == ["serving_default"]
    history = tf.constant(collection.values[0][None], tf.float32)
    known = tf.constant(collection.covariates[0][None], tf.float32)
    got = served.signatures["serving_default"](history=history, covariates=known)
    np.testing.assert_allclose(got["forecast"][0], result["forecast"], rtol=1e-5)
    np.testing.assert_allclose(got["upper"][0], result["upper"], rtol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="covariates"):
        served.signatures["serving_default"](history=history, covariates=known[:, :-1])
    # The command line forecasts the file's series; a plain history is refused.
    assert main(["predict", folder, "--series", path, "--json"]) == 0
    printed = [json.loads(r) for r in capsys.readouterr().out.splitlines() if r.startswith("{")]
    np.testing.assert_allclose(printed[0]["forecast"], result["forecast"], rtol=1e-6)
    with pytest.raises(ValueError, match="--series FILE"):
        task.predict(model, ["1 2 3 4 5 6 7 8"])
    # A file without the covariates of the days ahead cannot be forecast past its end.
    lines = open(path).read().splitlines()
    past = tmp_path / "past.csv"
    past.write_text("\n".join(lines[:-6]) + "\n")
    with pytest.raises(DataError, match="past.csv: series 'demand' ends after 200 steps"):
        task.predict_series(model, str(past))
    # ... but is scored: the backtest's covariates lie within it.
    scores = runner.evaluate(folder, str(past))
    assert np.isfinite(scores["mase"]) and scores["forecasts"] == 30
    assert np.isfinite(scores["auto_arima_x_mase"])  # the reference that reads them too
    # The numeric formats (TFLite, ONNX) answer as the numeric signatures.
    example = {
        "history": collection.values[0][None, -10:].astype("float32"),
        "covariates": collection.covariates[0][None, -16:].astype("float32"),
    }
    task_data.check_numeric_formats(task, model, served, example, str(tmp_path))


def test_a_task_json_naming_other_covariates_than_the_model_s_is_refused(covariate_model):
    folder, _ = covariate_model
    task, model = runner.load(folder)
    other = type(task)(task.config.replace(covariates="temp"), task.state)
    with pytest.raises(ValueError, match="covariates"):
        other.check_model(model)
    none = type(task)(task.config.replace(covariates=None), task.state)
    with pytest.raises(ValueError, match="features"):
        none.check_model(model)


def test_a_covariate_constant_in_training_is_named_and_left_out(caplog):
    # A law passed after the values trained on: 0 in every training window.
    rng = np.random.default_rng(0)
    known = np.stack([rng.normal(0, 1, 80), (np.arange(80) >= 70).astype(float)], axis=1)
    values = 50 + 10 * known[:, 0]
    series = SeriesCollection(["s"], [None], [values[:66]], covariates=[known],
                              covariate_names=("x", "law"))
    task = task_data.covariate_task({"covariates": "x,law"})
    task.prepare(training_data(series))
    assert "covariate 'law' (0) holds one value over every training window" in caplog.text
    assert "'x'" not in caplog.text.split("covariate", 1)[1].split("holds")[0]


def test_gluonts_feat_dynamic_real_trains_a_covariate_a_row(tmp_path):
    # GluonTS's layout: `feat_dynamic_real` rows known over the target and the
    # horizon after it, `past_feat_dynamic_real` over the target alone.
    rng = np.random.default_rng(0)
    lines = []
    for item in range(3):
        known = rng.normal(0, 1, (2, 64))
        observed = rng.normal(0, 1, (1, 60))
        target = 50 + 10 * known[0, :60] + 5 * known[1, :60]
        lines.append(json.dumps({
            "start": "2020-01-01", "target": target.tolist(), "item_id": f"s{item}",
            "feat_dynamic_real": known.tolist(), "past_feat_dynamic_real": observed.tolist(),
        }))
    path = tmp_path / "train.json"
    path.write_text("\n".join(lines) + "\n")
    (tmp_path / "metadata.json").write_text(json.dumps({"freq": "D", "prediction_length": 4}))
    folder = str(tmp_path / "model")
    task_data.train_forecaster(path, folder, {
        "covariates": "feat_dynamic_real", "past_covariates": "past_feat_dynamic_real",
        "window": 8, "horizon": 4, "season": 7, "units": 4, "epochs": 1,
    })
    task, model = runner.load(folder)
    assert task.covariate_names == ["feat_dynamic_real[0]", "feat_dynamic_real[1]"]
    assert task.past_covariate_names == ["past_feat_dynamic_real[0]"]
    assert model.get_layer("covariates").batch_shape == (None, 12, 2)
    results = task.predict_series(model, str(path))
    assert [r["series"] for r in results] == ["s0", "s1", "s2"]
    served = tf.saved_model.load(os.path.join(folder, "1"))
    collection = task.read_file(str(path)).series
    got = served.signatures["serving_default"](
        history=tf.constant(collection.values[0][None], tf.float32),
        covariates=tf.constant(collection.covariates[0][None], tf.float32),
        past_covariates=tf.constant(collection.past_covariates[0][None], tf.float32),
    )
    np.testing.assert_allclose(got["forecast"][0], results[0]["forecast"], rtol=1e-5)
    # A file whose field holds other rows than training's is refused, naming them.
    fewer = tmp_path / "fewer.json"
    fewer.write_text("\n".join(
        json.dumps({**json.loads(line), "feat_dynamic_real": json.loads(line)[
            "feat_dynamic_real"][:1]}) for line in lines) + "\n")
    with pytest.raises(DataError, match=r"fewer\.json: covariates feat_dynamic_real\[0\]; the "
                       r"model was trained on feat_dynamic_real\[0\], feat_dynamic_real\[1\]"):
        task.predict_series(model, str(fewer))
    # A task.json whose options name other fields than its state read is refused.
    other = type(task)(task.config.replace(covariates="feat"), task.state)
    with pytest.raises(ValueError, match="state reads covariates feat_dynamic_real"):
        other.check_model(model)
