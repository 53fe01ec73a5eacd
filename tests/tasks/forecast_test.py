"""Forecasting collections: rolling-origin backtests, baselines, intervals, frequency defaults."""

import datetime
import gzip
import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_keras import runner
from rnn_keras.cli import main
from rnn_keras.config import ConfigError
from rnn_keras.files import read_json
from rnn_keras.data.readers import DataError
from rnn_keras.data.series_readers import SeriesCollection
from rnn_keras.runner.prepare import load_splits
from rnn_keras.tasks import make_task
from rnn_keras.tasks.forecast import backtest
from rnn_keras.tasks.forecast import combination
from rnn_keras.tasks.forecast.intervals import fit_stretch
from rnn_keras.tasks.forecast import series as series_module
from rnn_keras.tasks.forecast.series import read_series
from rnn_keras.tasks.forecast.series import training_data


def _data(*lengths):
    values = [np.arange(n, dtype="float64") * (i + 1) + 10 for i, n in enumerate(lengths)]
    return training_data(SeriesCollection([f"s{i}" for i in range(len(values))],
                                          [None] * len(values), values))


def test_hold_out_keeps_every_held_value_out_of_training():
    data = _data(40, 12, 9)
    rest, held = backtest.hold_out(data, horizon=3, origins=5, keep=4)
    # Long series: 5 origins (3 + 4 values held); shorter ones as many as keep 4 values.
    assert [len(v) for v in rest.values] == [33, 5, 4]
    assert held.scored_from == (33, 5, 4)
    origins = backtest.scored_origins(held, 3)
    assert [o for i, o in origins if i == 0] == [33, 34, 35, 36, 37]
    assert [o for i, o in origins if i == 2] == [4, 5, 6]
    for i, o in origins:  # every target lies after the training part
        assert o >= len(rest.values[i])
    # Training windows end at or before the training part's end.
    for i, values in enumerate(rest.values):
        for o in backtest.training_origins(len(values), window_length=8, horizon=3):
            assert o + 3 <= len(values)


def test_windows_are_padded_with_the_first_value_and_baselines_use_the_past_only():
    values = np.array([5.0, 1.0, 2.0, 3.0, 4.0, 6.0, 7.0, 8.0])
    np.testing.assert_array_equal(backtest.window(values, 2, 4), [5.0, 5.0, 5.0, 1.0])
    data = training_data(SeriesCollection(["a"], [None], [values])).replace([values], [5])
    origins = backtest.scored_origins(data, 2)
    assert origins == [(0, 5), (0, 6)]
    np.testing.assert_array_equal(backtest.naive(data, origins, 2), [[4.0, 4.0], [6.0, 6.0]])
    np.testing.assert_array_equal(
        backtest.seasonal_naive(data, origins, 2, season=3), [[2.0, 3.0], [3.0, 4.0]]
    )
    # MASE's scale from the values before the first origin only.
    assert backtest.scales(data, 1)[0] == pytest.approx(np.mean(np.abs(np.diff(values[:5]))))


def test_calibration_forecasts_each_validation_value_from_every_origin_reaching_it():
    data = _data(40, 12, 3)
    _, held = backtest.hold_out(data, horizon=3, origins=2, keep=4)
    assert held.scored_from == (36, 8, 3)  # the third series is too short to score
    origins, unseen = backtest.calibration_origins(held, 3)
    # Two origins before each first scored value (its later steps), then the scored ones.
    assert origins == [(0, 34), (0, 35), (0, 36), (0, 37), (1, 6), (1, 7), (1, 8), (1, 9)]
    np.testing.assert_array_equal(unseen[:4], [[0, 0, 1], [0, 1, 1], [1, 1, 1], [1, 1, 1]])
    np.testing.assert_array_equal(unseen[4:], unseen[:4])
    for (i, o), row in zip(origins, unseen):  # exactly the steps at scored values
        assert list(row) == [o + j >= held.scored_from[i] for j in range(3)]


def test_the_validation_spans_as_many_origins_as_a_backtest_of_more_than_five():
    def spans(origins):
        task = make_task("forecast", {"defaults": "fixed", "window": 4, "horizon": 3,
                                      "season": 1, "origins": origins})
        rest, test, _ = task.split_off(_data(100), 0, 0, split="test")
        train, valid, _ = task.split_off(rest, 0, 0)
        return len(train.values[0]), test.scored_values, valid.scored_values

    # Five origins (and fewer): one validation forecast of 3 values.
    assert spans(5) == (100 - 7 - 3, 7, 3)
    assert spans(2) == (100 - 4 - 3, 4, 3)
    # Beyond five, the validation holds out as many origins as the backtest.
    assert spans(20) == (100 - 22 - 22, 22, 22)


def _calibrated(settings, values):
    """`(task, model, held)`: an untrained model calibrated on the held-out end of `values`."""
    task = make_task("forecast", settings)
    data = training_data(SeriesCollection(["a"], [None], [values]))
    rest, held, _ = task.split_off(data, 0, 0)
    task.prepare(rest)
    keras.utils.set_random_seed(0)
    model = task.build_model()
    assert task.calibrate(model, {"validation": held})
    return task, model, held


def test_calibrate_stretches_by_the_conformal_quantile_of_every_validation_forecast():
    rng = np.random.default_rng(1)
    values = 20 + np.cumsum(rng.normal(0, 1, 30))
    task, model, _ = _calibrated({"defaults": "fixed", "window": 4, "horizon": 3, "season": 1,
                                  "cell": "gru", "units": 4, "interval": 0.2}, values)
    # Independently: the last value is forecast from 3 origins, the one before from 2, ...
    scores, steps, scored_window = [], [], []
    for origin in (25, 26, 27):
        history = backtest.window(values, origin, 4)
        _, lower, upper = task.forecast(model, history[None, :, None], calibrated=False)
        for step in range(3):
            if origin + step >= 27:
                outside = max(lower[0, step] - values[origin + step],
                              values[origin + step] - upper[0, step])
                scores.append(outside / (upper[0, step] - lower[0, step]))
                steps.append(step)
                if origin == 27:
                    scored_window.append(scores[-1])
    assert steps == [2, 1, 2, 0, 1, 2]
    unweighted = sorted(scores)[1]  # the 2nd of 6 (ceil(7 * 0.2))
    # Each step weighs alike: step 0 has one forecast, step 1 two, step 2 three. The
    # stretch is the first score, in order, whose share of the weight reaches
    # ceil(7 * 0.2) / 6.
    weights = [1 / steps.count(step) for step in steps]
    reached = 0.0
    for score, weight in sorted(zip(scores, weights)):
        reached += weight / 3
        if reached >= 2 / 6 - 1e-9:
            expected = score
            break
    assert expected > 0  # an untrained model's interval misses: stretched, not floored
    assert task.state["interval_stretch"] == pytest.approx(expected, rel=1e-5)
    assert "interval_widening" not in task.state
    # Unweighted, or the scored window alone (its 1st of 3), would give other stretches.
    assert unweighted != pytest.approx(expected, rel=1e-5)
    assert min(scored_window) != pytest.approx(expected, rel=1e-5)


def test_fit_stretch_never_narrows_and_scales_by_each_interval_width():
    lower = np.array([[0.0, 0.0], [10.0, 10.0]])
    upper = np.array([[1.0, 2.0], [30.0, 30.0]])
    level = np.ones(2)
    scored = np.ones((2, 2), bool)
    # Every value well inside: the conformal quantile is negative, the stretch 0.
    inside = (lower + upper) / 2
    assert fit_stretch(inside, lower, upper, level, scored, 0.8) == (0.0, 4)
    # Each value outside by half its interval's width (0.5, 1, 10, 10): stretch 0.5.
    outside = upper + np.array([[0.5, 1.0], [10.0, 10.0]])
    stretch, count = fit_stretch(outside, lower, upper, level, scored, 0.8)
    assert stretch == pytest.approx(0.5) and count == 4
    # Unscored values do not count.
    scored[1] = False
    assert fit_stretch(outside * [[1], [9]], lower, upper, level, scored, 0.8)[1] == 2


def test_combination_weight_is_the_one_of_least_validation_error():
    actual = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    level, scored = np.ones(2), np.ones((2, 3), bool)
    # The mean of forecasts 2 above and 2 below is exact: weight 0.5.
    assert combination.fit_weight(actual, actual + 2, actual - 2, level, scored)[0] == 0.5
    assert combination.fit_weight(actual, actual, actual + 1, level, scored)[0] == 0.0
    assert combination.fit_weight(actual, actual + 1, actual, level, scored)[0] == 1.0
    # A tie: the network alone.
    assert combination.fit_weight(actual, actual + 1, actual + 1, level, scored)[0] == 0.0
    # Against a NumPy reference: errors in window levels, each step weighing alike
    # among the scored values (step 0 scored once, steps 1 and 2 twice).
    rng = np.random.default_rng(0)
    actual, network, baseline = rng.normal(size=(3, 2, 3))
    level = np.array([1.0, 3.0])
    scored = np.array([[False, True, True], [True, True, True]])
    weight, errors = combination.fit_weight(actual, network, baseline, level, scored)
    for candidate, error in zip(combination.WEIGHTS, errors):
        forecast = (1 - candidate) * network + candidate * baseline
        per_step = [np.mean([abs(actual[w, s] - forecast[w, s]) / level[w]
                             for w in range(2) if scored[w, s]]) for s in range(3)]
        assert error == pytest.approx(np.mean(per_step))
    assert weight == combination.WEIGHTS[int(np.argmin(errors))]
    # The value a season before each step, in a window; the last without a season.
    assert combination.seasonal_naive_steps(6, 5, 4) == [2, 3, 4, 5, 2]
    assert combination.seasonal_naive_steps(6, 2, 1) == [5, 5]
    assert combination.seasonal_naive_steps(3, 2, 4) == [2, 2]


def test_calibrate_combines_a_poor_network_with_the_seasonal_naive_forecast():
    # A series repeating a season of 4 (with noise of 0.01), an untrained network: the
    # seasonal naive forecast is almost exact, so it takes all the weight.
    values = np.tile([10.0, 30.0, 20.0, 40.0], 10)
    values += np.random.default_rng(0).normal(0, 0.01, len(values))
    settings = {"defaults": "fixed", "window": 8, "horizon": 4, "season": 4, "cell": "gru",
                "units": 4}
    for combine in (True, False):
        task, model, held = _calibrated({**settings, "combine_seasonal_naive": combine}, values)
        history = values[None, -8:, None].astype("float32")
        point, lower, upper = task.forecast(model, history)
        network, raw_lower, raw_upper = task.forecast(model, history, combined=False)
        # The backtest scores the combination, and the network alone beside it.
        scores = task.evaluate(model, held)
        assert scores["network_mase"] > 10
        if combine:
            assert task.state["seasonal_naive_weight"] == 1.0
            np.testing.assert_allclose(point[0], values[-4:], rtol=1e-6)
            np.testing.assert_allclose(upper - lower, raw_upper - raw_lower, rtol=1e-5)
            assert scores["mase"] < 0.01 * scores["network_mase"]
            assert scores["seasonal_naive_weight"] == 1.0
        else:
            assert "seasonal_naive_weight" not in task.state
            np.testing.assert_array_equal(point, network)
            assert scores["mase"] == scores["network_mase"]


def test_forecasts_and_exports_apply_the_stretch_and_an_older_files_widening():
    task = make_task("forecast", {"defaults": "fixed", "window": 4, "horizon": 3, "season": 1,
                                  "cell": "gru", "units": 4, "interval": 0.8})
    values = 20 + np.cumsum(np.random.default_rng(2).normal(0, 1, 30))
    task.prepare(training_data(SeriesCollection(["a"], [None], [values])))
    keras.utils.set_random_seed(0)
    model = task.build_model()
    history = np.stack([values[:4], values[10:14]])[..., None].astype("float32")
    _, raw_lower, raw_upper = task.forecast(model, history, calibrated=False)
    level = np.abs(history).mean(axis=(1, 2))[:, None] + 1e-6
    # A file written before the stretch holds `interval_widening`, in window levels.
    for state, margin in (
        ({"interval_stretch": 0.5}, 0.5 * (raw_upper - raw_lower)),
        ({"interval_widening": 0.1}, 0.1 * level),
    ):
        task.state.update(state)
        point, lower, upper = task.forecast(model, history)
        np.testing.assert_allclose(lower, raw_lower - margin, rtol=1e-6)
        np.testing.assert_allclose(upper, raw_upper + margin, rtol=1e-6)
        serve, _ = task.numeric_signatures(model)["serving_default"]
        served = serve(history[..., 0])
        np.testing.assert_allclose(served["forecast"], point, rtol=1e-5)
        np.testing.assert_allclose(served["lower"], lower, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(served["upper"], upper, rtol=1e-5, atol=1e-5)
        for key in state:
            del task.state[key]


def test_point_forecasts_combined_serve_as_the_task_forecasts():
    # No interval; a horizon beyond the season (the seasonal naive forecast repeats it).
    task = make_task("forecast", {"defaults": "fixed", "window": 8, "horizon": 6, "season": 4,
                                  "cell": "gru", "units": 4, "interval": 0})
    values = 50 + 5 * np.sin(2 * np.pi * np.arange(40) / 4) + np.arange(40)
    task.prepare(training_data(SeriesCollection(["a"], [None], [values])))
    keras.utils.set_random_seed(0)
    model = task.build_model()
    history = np.stack([values[:8], values[20:28]])[..., None].astype("float32")
    network, lower, _ = task.forecast(model, history)
    assert lower is None
    task.state["seasonal_naive_weight"] = 0.4
    point, _, _ = task.forecast(model, history)
    seasonal = history[:, [4, 5, 6, 7, 4, 5], 0]
    np.testing.assert_allclose(point, 0.6 * network + 0.4 * seasonal, rtol=1e-5)
    serve, _ = task.numeric_signatures(model)["serving_default"]
    np.testing.assert_allclose(serve(history[..., 0])["forecast"], point, rtol=1e-5)


def test_season_scaling_serves_what_the_model_forecasts_and_needs_a_season_in_the_window():
    task = make_task("forecast", {"defaults": "fixed", "window": 8, "horizon": 6, "season": 4,
                                  "cell": "gru", "units": 4, "scaling": "season"})
    t = np.arange(40)
    values = 50 + 0.5 * t + 5 * np.sin(2 * np.pi * t / 4)
    task.prepare(training_data(SeriesCollection(["a"], [None], [values])))
    keras.utils.set_random_seed(0)
    model = task.build_model()
    history = np.stack([values[:8], values[20:28]])[..., None].astype("float32")
    point, _, _ = task.forecast(model, history)
    serve, _ = task.numeric_signatures(model)["serving_default"]
    np.testing.assert_allclose(serve(history[..., 0])["forecast"], point, rtol=1e-5)
    too_short = make_task("forecast", {"defaults": "fixed", "window": 3, "horizon": 2,
                                       "season": 4, "scaling": "season"})
    with pytest.raises(ValueError, match=r"scaling.*season=4, window=3"):
        too_short.prepare(training_data(SeriesCollection(["a"], [None], [values])))


@pytest.mark.parametrize("scaling", ["window", "global", "last"])
def test_validation_windows_are_every_forecast_of_the_scored_values(scaling):
    task = make_task("forecast", {"defaults": "fixed", "window": 4, "horizon": 3, "season": 1,
                                  "cell": "gru", "units": 4, "scaling": scaling})
    values = 20 + np.arange(30, dtype="float64") % 7
    data = training_data(SeriesCollection(["a"], [None], [values]))
    rest, held, _ = task.split_off(data, 0, 0)
    task.prepare(rest)
    x, y, w = (np.concatenate([np.asarray(t) for t in part])
               for part in zip(*task.dataset(held, training=False)))
    # Origins 25, 26 and 27 (the scored one), in some batch order: each row's targets.
    rows = {tuple(np.round(target[:, 0], 6)): (window[:, 0], weight[:, 0])
            for window, target, weight in zip(x, y, w)}
    assert len(rows) == 3
    level = {o: np.abs(values[o - 4:o]).mean() + 1e-6 for o in (25, 26, 27)}
    for origin, scored in ((25, [0, 0, 1]), (26, [0, 1, 1]), (27, [1, 1, 1])):
        window, weight = rows[tuple(np.round(values[origin:origin + 3], 6))]
        np.testing.assert_allclose(window, values[origin - 4:origin])
        # The training values weigh 0, the scored ones their window's scale weight.
        expected = np.array(scored, "float64")
        if scaling != "global":  # "last" scales windows as "window" does
            expected /= level[origin] * task.state["weight_mean"]
        np.testing.assert_allclose(weight, expected, rtol=1e-5)
    assert w.shape == (3, 3, 1)  # as the pinball loss per element


def _tsf(path, series=3, length=60, horizon=4, zeros=0):
    """A `.tsf` of `series` seasonal series, then `zeros` series of zeros (an indicator, say)."""
    rng = np.random.default_rng(0)
    lines = ["@relation toy", "@attribute series_name string", "@attribute start_timestamp date",
             "@frequency quarterly", f"@horizon {horizon}", "@missing false", "@data"]
    for i in range(series + zeros):
        t = np.arange(length)
        level = (i + 1) * 100 * (1 + 0.01 * t) * (1 + 0.2 * np.sin(2 * np.pi * t / 4))
        values = level + rng.normal(0, 2, length) if i < series else np.zeros(length)
        lines.append(f"S{i}:2000-01-01 00-00-00:" + ",".join(f"{v:.3f}" for v in values))
    path.write_text("\n".join(lines) + "\n")


def test_a_collection_trains_one_model_scored_against_the_baselines(tmp_path, capsys):
    _tsf(tmp_path / "toy.tsf")
    config = {"task": "forecast", "data": str(tmp_path / "toy.tsf"), "output": str(tmp_path / "m"),
              "cell": "gru", "units": 8, "epochs": 3}
    metrics = runner.train(config, verbose=0)
    task, model = runner.load(config["output"])
    # The members' states, before a run over them (below) replaces them.
    members = [read_json(os.path.join(m, "task.json"))["state"] for m in metrics["members"]]
    # From the file: quarterly → season 4, its own horizon 4; start times and about 37
    # training windows per series → the calendar and series identity features.
    assert (task.config.season, task.config.horizon) == (4, 4)
    assert task.feature_names == ("series", "calendar")
    saved = read_json(os.path.join(config["output"], "task.json"))
    assert saved["resolved"]["season"]["reason"].startswith("quarterly")
    scores = metrics["test"]
    assert scores["series"] == 3 and scores["origins"] == 15 and scores["forecasts"] == 60
    for key in ("mase", "smape", "rmse", "mae", "naive_mase", "seasonal_naive_mase",
                "seasonal_naive_smape", "mase_vs_seasonal_naive", "interval_coverage"):
        assert np.isfinite(scores[key]), key
    assert scores["interval"] == 0.8
    try:
        import statsforecast  # noqa: F401
    except ImportError:
        pass
    else:
        assert np.isfinite(scores["auto_ets_mase"]) and "mase_vs_auto_theta" in scores
    assert os.path.isfile(os.path.join(config["output"], "backtest.png"))
    # Short series (about 230 training values): three models averaged, each one's
    # scores beside the average's, the plot of the average's backtest.
    assert saved["resolved"]["seeds"]["value"] == 3 and len(metrics["members"]) == 3
    assert all(np.isfinite(m["mase"]) for m in metrics["members"].values())
    # `evaluate` of the file backtests the same held-out ends.
    assert runner.evaluate(config["output"], str(tmp_path / "toy.tsf")) == pytest.approx(scores)
    # Series that stay constant through their backtest: the naive forecast makes no error,
    # and its ratio is left out instead of dividing by zero.
    lines = (tmp_path / "toy.tsf").read_text().splitlines()
    flat = []
    for line in lines:
        if line.startswith("S"):
            head, values = line.rsplit(":", 1)
            values = values.split(",")
            line = head + ":" + ",".join(values[:-10] + ["250.5"] * 10)  # float32-exact
        flat.append(line)
    (tmp_path / "flat.tsf").write_text("\n".join(flat) + "\n")
    flat_scores = runner.evaluate(config["output"], str(tmp_path / "flat.tsf"))
    assert flat_scores["naive_mase"] == 0 and flat_scores["mase_vs_naive"] is None
    assert np.isfinite(flat_scores["mase"]) and np.isfinite(flat_scores["mase_vs_seasonal_naive"])
    # A run over it replaces every file it wrote, the plot included.
    runner.train({**config, "epochs": 1, "overwrite": True}, verbose=0)
    # `predict` forecasts past the end of any history, short ones padded.
    named = task.predict_series(model, str(tmp_path / "toy.tsf"))
    assert [r["series"] for r in named] == ["S0", "S1", "S2"]
    assert all(len(r["forecast"]) == 4 for r in named)
    # The end of S0 as a history line: the model reads its name and quarter unknown (0).
    values = task.read_file(str(tmp_path / "toy.tsf")).values[0]
    line = task.predict(model, [" ".join(map(str, values))])[0]
    window = backtest.window(values, len(values), task.config.window)[None, :, None]
    unknown = np.zeros(1, "int32")
    quantiles = model({"history": window, "series": unknown, "calendar": unknown})
    # The median, moved toward the value a season (4) before each step by the weight
    # fitted on the validation values.
    weight = task.state["seasonal_naive_weight"]
    assert saved["state"]["seasonal_naive_weight"] == weight and 0 <= weight <= 1
    assert scores["seasonal_naive_weight"] == weight
    # The average of three models takes its members' mean weight.
    assert weight == pytest.approx(np.mean([m.get("seasonal_naive_weight", 0) for m in members]))
    # Each member is scored with its own weight and stretch, not the average's.
    for member, scored in zip(members, metrics["members"].values()):
        assert scored["seasonal_naive_weight"] == member.get("seasonal_naive_weight", 0)
    seasonal = np.asarray(values[-4:])
    expected = (1 - weight) * np.sort(quantiles[0, :, 0], -1)[:, 1] + weight * seasonal
    np.testing.assert_allclose(line["forecast"], expected, rtol=1e-5)
    # The command line: one JSON line per series.
    assert main(["predict", config["output"], "--series", str(tmp_path / "toy.tsf"), "--json"]) == 0
    printed = [json.loads(row) for row in capsys.readouterr().out.splitlines() if row.startswith("{")]
    assert [r["series"] for r in printed] == ["S0", "S1", "S2"]
    results = task.predict(model, ["100 120 90 80 101 119", "7"])
    for result in results:
        assert len(result["forecast"]) == 4
        assert all(lo <= f <= hi for lo, f, hi in
                   zip(result["lower"], result["forecast"], result["upper"]))


def test_frequency_sets_season_horizon_and_window(tmp_path):
    months = [f"{2000 + m // 12}-{m % 12 + 1:02d}" for m in range(120)]
    rows = ["month,sales"] + [f"{m},{100 + i}" for i, m in enumerate(months)]
    (tmp_path / "monthly.csv").write_text("\n".join(rows) + "\n")
    task = runner.profile({"task": "forecast", "data": str(tmp_path / "monthly.csv")})
    assert task.data_profile["frequency"] == "monthly"
    # Season 12; the M4 horizon 18 is capped at 1/8 of 120 values; window two seasons.
    assert (task.config.season, task.config.horizon, task.config.window) == (12, 15, 30)
    given = runner.profile({"task": "forecast", "data": str(tmp_path / "monthly.csv"),
                            "horizon": 6})
    assert given.config.horizon == 6 and "horizon" not in given.resolved


def test_missing_values_are_interpolated_and_trading_days_get_a_week_of_five(tmp_path, caplog):
    # Business days with their weekends skipped; a holiday and an empty cell.
    days = np.arange(np.datetime64("2020-01-06"), np.datetime64("2020-07-06"))
    days = [d for d in days if np.is_busday(d) and d != np.datetime64("2020-05-25")]
    rng = np.random.default_rng(0)
    values = [100 + 5 * (d.astype(int) % 7 == 4) + rng.normal() for d in days]
    cells = [f"{v:.3f}" if i != 40 else "" for i, v in enumerate(values)]
    rows = ["date,close"] + [f"{d},{c}" for d, c in zip(days, cells)]
    (tmp_path / "trading.csv").write_text("\n".join(rows) + "\n")
    task = runner.profile({"task": "forecast", "data": str(tmp_path / "trading.csv")})
    assert task.data_profile["frequency"] == "business_daily"
    # A week of five days; two weeks ahead; window two horizons.
    assert (task.config.season, task.config.horizon, task.config.window) == (5, 10, 20)
    series = task.read_file(str(tmp_path / "trading.csv")).values[0]
    # The holiday (Monday 2020-05-25) and the empty cell, linearly interpolated.
    assert len(series) == len(days) + 1
    holiday = int(np.busday_count("2020-01-06", "2020-05-25"))
    assert series[holiday] == pytest.approx((values[holiday - 1] + values[holiday]) / 2, 1e-3)
    assert series[40] == pytest.approx((values[39] + values[41]) / 2, abs=1e-3)
    assert np.isfinite(series).all()
    assert ("missing values filled by linear interpolation in 1 series: 'close' misses 2 of "
            f"its {len(days) + 1} values (the first at 2020-03-02)") in caplog.text


def test_missing_value_markers_are_read_as_missing(tmp_path, caplog):
    # A weather station's -9999 and -99.9 among temperatures near 4, in one of two
    # series; nines that lie among the values are values (-99 in a series that
    # reaches -120, 99 in one that reaches 150).
    rows = ["date,station,other"] + [
        f"2000-01-{day:02d},{temp},{other}" for day, (temp, other) in enumerate(
            [(3.5, -120), (-9999, -99), (4.1, 0), (5.0, 99), (4.4, 150), (-99.9, 10),
             (4.0, 20), (3.9, 30), (4.2, 40), (4.6, 50), (4.8, 60)], start=1)
    ]
    (tmp_path / "station.csv").write_text("\n".join(rows) + "\n")
    with caplog.at_level("WARNING", logger="rnn_keras"):
        collection = read_series(str(tmp_path / "station.csv"))
    station, other = collection.values
    np.testing.assert_allclose(station[[1, 5]], [(3.5 + 4.1) / 2, (4.4 + 4.0) / 2])
    assert np.abs(station).max() < 6
    np.testing.assert_array_equal(other[:5], [-120, -99, 0, 99, 150])
    assert ("station.csv: -99.9 and -9999 read as missing, as files mark a missing value (far "
            "outside the other values) in 1 series: 'station'") in caplog.text
    # Unchanged without them, and where the nines are the only other value.
    assert not series_module._markers(np.array([1.0, -99.0])).any()
    assert series_module._markers(np.array([1.0, 2.0, 9999.0])).tolist() == [0, 0, 1]
    assert [series_module.is_nines(v) for v in (-99, -999.9, 9999, -9, 99.5, 0.99, -98)] == [
        True, True, True, False, False, False, False]


def test_values_below_a_limit_and_a_declared_marker(tmp_path, caplog):
    # Google Trends' `<1` (a share under 1) reads as half the limit.
    (tmp_path / "trends.csv").write_text(
        "Category: All categories\n\nWeek,rnn: (Worldwide)\n2021-01-03,45\n2021-01-10,<1\n"
        "2021-01-17,50\n2021-01-24,< 1\n2021-01-31,48\n"
    )
    with caplog.at_level("WARNING", logger="rnn_keras"):
        trends = read_series(str(tmp_path / "trends.csv"))
    np.testing.assert_array_equal(trends.values[0], [45, 0.5, 50, 0.5, 48])
    assert "trends.csv: 2 value(s) below a limit ('<1', line 5, the first) read as half the " \
           "limit" in caplog.text
    # NOAA's notes declare their marker (`Missing: -99`): read as missing, though
    # it lies among the anomalies.
    (tmp_path / "noaa.csv").write_text(
        "Contiguous U.S., Average Temperature, January-December\nUnits: Degrees Fahrenheit\n"
        "Missing: -99\nDate,Anomaly\n" + "".join(
            f"{1895 + year}12,{value}\n" for year, value in enumerate(
                [-1.66, -120, -99, 0.5, -0.57, 0.77, 1.1, -0.2, 0.3, 0.1])))
    caplog.clear()
    with caplog.at_level("WARNING", logger="rnn_keras"):
        noaa = read_series(str(tmp_path / "noaa.csv"))
    np.testing.assert_allclose(noaa.values[0][:4], [-1.66, -120, (-120 + 0.5) / 2, 0.5])
    assert "cells of '-99' read as missing, as they declare" in caplog.text


def test_months_of_counted_years_as_the_shampoo_sales_copies_write_them(tmp_path, caplog):
    # Brownlee's `shampoo.csv`: `"1-01"`, ..., `"3-12"`, months of years counted
    # from 1 (no calendar year): monthly, as the shared ShampooSales.csv is.
    text = '"Month","Sales"\n' + "".join(
        f'"{k // 12 + 1}-{k % 12 + 1:02d}",{100 + k}\n' for k in range(36))
    (tmp_path / "shampoo.csv").write_text(text)
    with caplog.at_level("WARNING", logger="rnn_keras"):
        shampoo = read_series(str(tmp_path / "shampoo.csv"))
    assert shampoo.frequency == "monthly" and shampoo.names == ["Sales"]
    assert shampoo.starts == [datetime.datetime(1, 1, 1)]
    np.testing.assert_array_equal(shampoo.values[0], 100 + np.arange(36.0))
    assert ("column 'Month': '1-01', ..., '3-12' read as months of the years 1 to 3 counted "
            "from the first") in caplog.text
    # A year that skips a month, or one that does not start at 1, reads as before
    # (no timestamps: the column must be named).
    for rows in (["1-01", "1-02", "1-04"], ["2-01", "2-02", "2-03"]):
        (tmp_path / "other.csv").write_text(
            "Month,Sales\n" + "".join(f"{r},{k}\n" for k, r in enumerate(rows)))
        with pytest.raises(DataError, match="is not a timestamp|holds no timestamps"):
            read_series(str(tmp_path / "other.csv"))


def test_a_series_missing_over_a_fifth_leaves_a_collection_and_alone_is_refused(
    tmp_path, caplog
):
    # Monthly, long form (the id first, as statsforecast writes it): 'a'
    # whole, 'b' with one gap of six months in 18 (a third: left out), 'c'
    # with one empty value (filled).
    months = [f"2020-{m:02d}" for m in range(1, 13)] + [f"2021-{m:02d}" for m in range(1, 7)]
    rows = ["series,month,value"]
    rows += [f"a,{m},{i}" for i, m in enumerate(months)]
    rows += [f"b,{m},{i}" for i, m in enumerate(months) if not 4 <= i < 10]
    rows += [f"c,{m},{'' if i == 3 else i}" for i, m in enumerate(months)]
    (tmp_path / "long.csv").write_text("\n".join(rows) + "\n")
    collection = read_series(tmp_path / "long.csv")
    assert collection.names == ["a", "c"]
    np.testing.assert_array_equal(collection.values[1], np.arange(18.0))
    assert collection.starts[1].month == 1
    assert ("1 of 3 series left out, missing more than the 20% filled by interpolation "
            "(--missing zero reads them as zeros): 'b' misses 6 of its 18 values (6 in a row "
            "from 2020-05-01)") in caplog.text
    assert "'c' misses 1 of its 18 values (the first at 2020-04-01)" in caplog.text
    profiled = runner.profile({"task": "forecast", "data": str(tmp_path / "long.csv")})
    assert profiled.data_profile["frequency"] == "monthly"
    # `--missing zero`: every missing value is a zero (nothing sold), however many.
    caplog.clear()
    zeros = runner.profile({"task": "forecast", "data": str(tmp_path / "long.csv"),
                            "missing": "zero"})
    collection = zeros.read_file(str(tmp_path / "long.csv")).series
    assert collection.names == ["a", "b", "c"]
    expected = np.arange(18.0)
    expected[4:10] = 0
    np.testing.assert_array_equal(collection.values[1], expected)
    assert collection.values[2][3] == 0
    assert "missing values read as 0 (--missing zero) in 2 series: 'b' misses 6" in caplog.text
    # Alone, such a series is refused by name: a `.tsf` of one, or where every series is.
    lines = ["@relation r", "@attribute series_name string", "@frequency yearly",
             "@missing true", "@data", "a:" + ",".join(["1", "?", "?", "4", "5", "6"])]
    (tmp_path / "holes.tsf").write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"holes\.tsf: series 'a' misses 2 of its 6 values "
                       r"\(2 in a row from step 1\): more than the 20%.*--missing zero"):
        read_series(tmp_path / "holes.tsf")
    (tmp_path / "b.csv").write_text("\n".join(r for r in rows if not r.startswith(("a", "c"))))
    with pytest.raises(ValueError, match=r"b\.csv: series 'b' misses 6 of its 18 values"):
        read_series(tmp_path / "b.csv")
    # A series without any value (a station that never reported, a column
    # left empty) is left out the same way.
    caplog.clear()
    lines[-1:] = ["a:1,2,3,4,5,6", "silent:?,?,?,?,?,?"]
    (tmp_path / "silent.tsf").write_text("\n".join(lines) + "\n")
    (tmp_path / "wide.csv").write_text("month,a,silent\n" + "".join(
        f"2020-{m:02d},{m},\n" for m in range(1, 13)))
    for name in ("silent.tsf", "wide.csv"):
        assert read_series(tmp_path / name).names == ["a"]
        assert "1 of 2 series left out" in caplog.text
    assert "'silent' misses 6 of its 6 values (6 in a row from step 0)" in caplog.text
    assert "'silent' misses 12 of its 12 values (12 in a row from 2020-01-01)" in caplog.text


def test_our_world_in_datas_files_read_a_series_per_entity(tmp_path):
    # Our World in Data's downloads: `Entity,Code,Year,<indicator>` or `Day` with
    # dates; a region's code is empty (Africa). Refused before (no names known).
    rows = ["Entity,Code,Day,Daily new confirmed cases"] + [
        f"{entity},{code},2020-03-{day:02d},{base + day}"
        for entity, code, base in (("Africa", "", 100), ("France", "FRA", 0))
        for day in range(1, 31)
    ]
    (tmp_path / "covid.csv").write_text("\n".join(rows) + "\n")
    covid = read_series(tmp_path / "covid.csv")
    assert covid.names == ["Africa", "France"] and covid.frequency == "daily"
    np.testing.assert_array_equal(covid.values[0][:3], [101, 102, 103])
    rows = ["Entity,Code,Year,Annual CO2 emissions"] + [
        f"{entity},{code},{year},{year - 1900}.5"
        for entity, code in (("France", "FRA"), ("World", "OWID_WRL"))
        for year in range(1950, 2000)
    ]
    (tmp_path / "co2.csv").write_text("\n".join(rows) + "\n")
    co2 = read_series(tmp_path / "co2.csv")
    assert co2.names == ["France", "World"] and co2.frequency == "yearly"
    assert co2.starts[1].year == 1950 and co2.values[1][-1] == 99.5


def test_files_as_r_and_rdatasets_write_them(tmp_path, caplog):
    # Rdatasets' CSV of a ts (what statsmodels' `get_rdataset` reads):
    # `rownames,time,value`, the time as R writes it (`1949.08333333333`), or as
    # pandas writes the same frame (`1949.0`); a ts starting mid-year (fpp2's
    # a10 from July 1991), quarterly (JohnsonJohnson).
    def r_file(name, times, header="rownames,time,value", index=1):
        rows = [header] + [f"{t},{100 + n}" if index is None else f"{n + index},{t},{100 + n}"
                           for n, t in enumerate(times)]
        (tmp_path / name).write_text("\n".join(rows) + "\n")
        return tmp_path / name

    r_monthly = [str(1949 + k / 12) if k % 12 else str(1949 + k // 12) for k in range(30)]
    pandas_monthly = [repr(1949 + k / 12) for k in range(30)]
    cases = (
        (r_file("air.csv", r_monthly), "monthly", datetime.datetime(1949, 1, 1)),
        (r_file("air_pandas.csv", pandas_monthly, ",time,value", 0), "monthly",
         datetime.datetime(1949, 1, 1)),
        (r_file("air_no_rownames.csv", pandas_monthly, "time,value", None), "monthly",
         datetime.datetime(1949, 1, 1)),
        (r_file("a10.csv", [1991.5 + k / 12 for k in range(30)]), "monthly",
         datetime.datetime(1991, 7, 1)),
        (r_file("jj.csv", [1960 + k / 4 for k in range(30)]), "quarterly",
         datetime.datetime(1960, 1, 1)),
    )
    for path, frequency, start in cases:
        collection = read_series(path)
        assert collection.names == ["value"], path
        assert collection.frequency == frequency and collection.starts == [start], path
        np.testing.assert_array_equal(collection.values[0], 100 + np.arange(30))
    # A ts of a frequency that is no calendar step (hyndsight's 7 days a week)
    # or counted from 1 (goog): its values without timestamps, with a warning.
    # Nor does R's weekly ts, 365.25 / 7 weeks a year (fpp2's gasoline).
    for name, times, frequency in (("week.csv", [1 + (3 + k) / 7 for k in range(30)], 7),
                                   ("counted.csv", range(1, 31), 1),
                                   ("gasoline.csv", [1991.1 + k * 7 / 365.25 for k in range(30)],
                                    52.18)):
        caplog.clear()
        with caplog.at_level("WARNING", logger="rnn_keras"):
            collection = read_series(r_file(name, times))
        assert collection.starts == [None] and collection.names == ["value"]
        np.testing.assert_array_equal(collection.values[0], 100 + np.arange(30))
        assert f"column 'time' holds R's times of a ts of frequency {frequency} from " \
               "" in caplog.text and "column 'value' read without timestamps" in caplog.text
    # R's `write.csv` of a ts: its row names unnamed, the values in `x`.
    (tmp_path / "write_csv.csv").write_text(
        '"","x"\n' + "".join(f'"{n}",{v}\n' for n, v in enumerate([5, 7, 9, 11], 1)))
    collection = read_series(tmp_path / "write_csv.csv")
    assert collection.names == ["x"] and collection.starts == [None]
    np.testing.assert_array_equal(collection.values[0], [5, 7, 9, 11])
    # R's `write.table` (spaces, the header without the row names' column): of
    # a ts's values, and of its `data.frame(time = time(x), value = x)`.
    (tmp_path / "write_table.txt").write_text(
        '"x"\n' + "".join(f'"{n}" {v}\n' for n, v in enumerate([5, 7, 9, 11], 1)))
    collection = read_series(tmp_path / "write_table.txt")
    assert collection.names == ["x"] and collection.starts == [None]
    np.testing.assert_array_equal(collection.values[0], [5, 7, 9, 11])
    (tmp_path / "write_table_time.txt").write_text('"time" "value"\n' + "".join(
        f'"{n + 1}" {t} {100 + n}\n' for n, t in enumerate(r_monthly)))
    collection = read_series(tmp_path / "write_table_time.txt")
    assert collection.frequency == "monthly"
    assert collection.starts == [datetime.datetime(1949, 1, 1)]
    np.testing.assert_array_equal(collection.values[0], 100 + np.arange(30))
    # fpp3's tsibbles as Rdatasets writes them: the row names first, a long file
    # (`rownames,Quarter,Origin,Arrivals`), told by its cells.
    rows = ["rownames,Quarter,Origin,Arrivals"] + [
        f"{n},{year} Q{quarter},{origin},{base + 4 * (year - 1981) + quarter}"
        for n, (origin, base, year, quarter) in enumerate(
            ((origin, base, year, quarter) for origin, base in (("Japan", 10), ("NZ", 50))
             for year in (1981, 1982, 1983) for quarter in (1, 2, 3, 4)), 1)
    ]
    (tmp_path / "arrivals.csv").write_text("\n".join(rows) + "\n")
    arrivals = read_series(tmp_path / "arrivals.csv")
    assert arrivals.names == ["Japan", "NZ"] and arrivals.frequency == "quarterly"
    assert arrivals.starts == [datetime.datetime(1981, 1, 1)] * 2
    np.testing.assert_array_equal(arrivals.values[1][:3], [51, 52, 53])
    # Series told apart by several columns of text (fpp2's prisonLF: state,
    # gender, legal): the first alone repeats its times, so all together.
    rows = ["rownames,state,gender,legal,t,count"] + [
        f"{n},{state},{gender},Remanded,{year}-{month:02d}-01,{value}"
        for n, (state, gender, year, month, value) in enumerate(
            ((state, gender, year, month, 10 * k + year - 2005)
             for k, (state, gender) in enumerate(
                 (s, g) for s in ("ACT", "NSW") for g in ("Female", "Male"))
             for year in range(2005, 2011) for month in (3, 6, 9, 12)), 1)
    ]
    (tmp_path / "prison.csv").write_text("\n".join(rows) + "\n")
    caplog.clear()
    with caplog.at_level("WARNING", logger="rnn_keras"):
        prison = read_series(tmp_path / "prison.csv")
    assert prison.names == ["ACT/Female/Remanded", "ACT/Male/Remanded",
                            "NSW/Female/Remanded", "NSW/Male/Remanded"]
    assert prison.frequency == "quarterly" and len(prison.values[3]) == 24
    assert prison.values[3][0] == 30
    assert "prison.csv: read as a long file (a row per series and time) by its cells: series " \
           "ids in columns 'state', 'gender', 'legal' together ('state' alone repeats times), " \
           "timestamps in 't', values in 'count'" in caplog.text
    # Where the columns together do not tell them apart either, the first
    # error stands.
    (tmp_path / "twice.csv").write_text("\n".join(rows + rows[1:3]) + "\n")
    with pytest.raises(ValueError, match=r"twice\.csv:\d+: timestamp 2005-03-01 00:00:00 .* "
                       r"in series 'ACT'"):
        read_series(tmp_path / "twice.csv")


def test_a_long_file_names_its_columns_otherwise(tmp_path, caplog):
    # As vega_datasets' stocks: `symbol,date,price`, none of them a name
    # the reader knows. Read as one column, its series would be joined: its
    # columns are told by their cells (text, dates, numbers), with a warning.
    rows = ["symbol,date,price"] + [
        f"{symbol},{year}-{month:02d}-01,{base + month}"
        for symbol, base in (("MSFT", 30), ("AAPL", 20))
        for year in (2000, 2001) for month in range(1, 13)
    ]
    (tmp_path / "stocks.csv").write_text("\n".join(rows) + "\n")
    for column in (None, "price"):
        caplog.clear()
        with caplog.at_level("WARNING", logger="rnn_keras"):
            stocks = read_series(tmp_path / "stocks.csv", column=column)
        assert stocks.names == ["MSFT", "AAPL"] and stocks.frequency == "monthly"
        np.testing.assert_array_equal(stocks.values[1][:3], [21, 22, 23])
        assert "stocks.csv: read as a long file (a row per series and time) by its cells: " \
               "series ids in column 'symbol', timestamps in 'date', values in 'price'" \
               in caplog.text
    # Where the cells leave the layout open, the file is refused with the flags to
    # name it: two columns of numbers, or text that recurs without sharing times
    # (a weekday's name beside each date), which is no series id.
    (tmp_path / "prices.csv").write_text("\n".join(
        row + f",{index}" for index, row in enumerate(rows)).replace("price,0", "open,close"))
    weekdays = ["day,date,sales"] + [
        f"{'MTWTFSS'[day % 7]},2020-03-{day + 2:02d},{day}" for day in range(20)]
    (tmp_path / "weekdays.csv").write_text("\n".join(weekdays) + "\n")
    for name, stamp in (("prices", "2000-01-01"), ("weekdays", "2020-03-02")):
        with pytest.raises(ValueError, match=rf"{name}\.csv:2: column 'date' holds timestamps "
                           rf"\('{stamp}'\), but not the first: name it \(--time-column NAME\) "
                           r"and, .* the series-id column \(--id-column NAME\) and value column "
                           r"\(--column NAME\)"):
            read_series(tmp_path / f"{name}.csv")
    with pytest.raises(ValueError, match=r"stocks\.csv:1: a long file with series-id column "
                       r"'symbol' needs a value column \(value, y, target, or --column NAME\)"):
        read_series(tmp_path / "stocks.csv", id_column="symbol")
    task = runner.profile({"task": "forecast", "data": str(tmp_path / "stocks.csv"),
                           "id_column": "symbol", "column": "price"})
    collection = task.read_file(str(tmp_path / "stocks.csv")).series
    assert collection.names == ["MSFT", "AAPL"] and collection.frequency == "monthly"
    np.testing.assert_array_equal(collection.values[1][:3], [21, 22, 23])
    # A timestamp column of another name too. Bare years count as timestamps
    # in a column named so; a file without any is told how a long one names
    # its columns.
    (tmp_path / "readings.csv").write_text("station,period,reading\na,2020-01,1\na,2020-02,2\n")
    readings = read_series(tmp_path / "readings.csv", column="reading", id_column="station",
                           time_column="period")
    assert readings.names == ["a"] and readings.frequency == "monthly"
    (tmp_path / "gdp.csv").write_text("country,year,gdp\nA,2000,1\nA,2001,2\n")
    for column in (None, "gdp"):  # bare years in a column named as a time
        assert read_series(tmp_path / "gdp.csv", column=column).starts[0].year == 2000
    # Bare years in a column named otherwise are numbers, no times: refused.
    (tmp_path / "gdp2.csv").write_text("country,yr,gdp\nA,2000,1\nA,2001,2\n")
    with pytest.raises(ValueError, match=r"gdp2\.csv:1: the first column holds no timestamps"):
        read_series(tmp_path / "gdp2.csv")
    (tmp_path / "plain.csv").write_text("a,b\n1,2\n3,4\n")
    with pytest.raises(ValueError, match=r"plain\.csv:1: the first column holds no timestamps "
                       r".* or a long file's value column beside its series-id"):
        read_series(tmp_path / "plain.csv")
    # Semicolons and decimal commas, as Excel writes them in much of Europe.
    (tmp_path / "semicolons.csv").write_text("Monat;Umsatz\n2020-01;1,5\n2020-02;1.002,25\n")
    semicolons = read_series(tmp_path / "semicolons.csv")
    assert semicolons.names == ["Umsatz"] and semicolons.frequency == "monthly"
    np.testing.assert_array_equal(semicolons.values[0], [1.5, 1002.25])
    gdp = read_series(tmp_path / "gdp.csv", column="gdp", id_column="country")
    assert gdp.names == ["A"] and gdp.frequency == "yearly"
    # A wide file's timestamps in another column than the first (vega's sf-temps).
    (tmp_path / "temps.csv").write_text("temp,date\n47.8,2010/01/01 00:00:00\n"
                                        "47.4,2010/01/01 01:00:00\n46.9,2010/01/01 02:00:00\n")
    temps = read_series(tmp_path / "temps.csv", time_column="date")
    assert temps.names == ["temp"] and temps.frequency == "hourly"
    np.testing.assert_array_equal(temps.values[0], [47.8, 47.4, 46.9])
    with pytest.raises(ValueError, match=r"no column 'ticker'; the columns are"):
        read_series(tmp_path / "stocks.csv", column="price", id_column="ticker")
    # Bare years beside the date's other parts, wherever they stand (the UCI
    # archive's Beijing PM2.5: the rows numbered in a column named `No`); a column
    # of words in a file of a series per column is told to name the one to read.
    (tmp_path / "pm.csv").write_text(
        "No,year,month,day,hour,pm2.5,cbwd\n1,2010,1,1,0,NA,NW\n2,2010,1,1,1,5,NW\n"
        "3,2010,1,1,2,6,SE\n4,2010,1,1,3,8,cv\n"
    )
    # The World Bank's downloads as they come: two lines of notes, blank lines,
    # then the years across the header (each line ending in a comma).
    years = ",".join(f'"{year}"' for year in range(1960, 1965))
    (tmp_path / "wb.csv").write_text(
        '"Data Source","World Development Indicators",\n\n"Last Updated Date","2023-12-18",\n'
        f'\n"Country Name","Country Code",{years},\n"Aruba","ABW",1,2,3,4,5,\n'
        '"Angola","AGO",6,7,8,9,10,\n'
    )
    bank = read_series(tmp_path / "wb.csv")
    assert bank.names == ["Aruba", "Angola"] and bank.frequency == "yearly"
    np.testing.assert_array_equal(bank.values[1], [6, 7, 8, 9, 10])
    pm = read_series(tmp_path / "pm.csv", column="pm2.5")
    assert pm.names == ["pm2.5"] and pm.frequency == "hourly"
    assert pm.starts == [datetime.datetime(2010, 1, 1, 1)]
    np.testing.assert_array_equal(pm.values[0], [5, 6, 8])
    with pytest.raises(ValueError, match=r"pm\.csv:2: column 'cbwd' is not a number: 'NW'\. A "
                       r"wide file holds a series per column \(name the one to forecast: "
                       r"--column NAME\)"):
        read_series(tmp_path / "pm.csv")


def test_a_column_without_timestamps_has_its_missing_values_filled(tmp_path, caplog):
    # Before, an empty cell or `#N/A` in the one column read stopped the read.
    (tmp_path / "readings.csv").write_text(
        "step,reading,note\n" + "".join(
            f"{i},{'#N/A' if i == 3 else '' if i == 6 else i},x\n" for i in range(10)
        )
    )
    read = read_series(tmp_path / "readings.csv", column="reading")
    np.testing.assert_array_equal(read.values[0], np.arange(10.0))
    assert "'reading' misses 2 of its 10 values" in caplog.text
    # A file of blank lines, its column named: said so (before: an IndexError).
    (tmp_path / "blank.csv").write_text("\n\n")
    with pytest.raises(ValueError, match=r"blank\.csv: the file holds only blank lines"):
        read_series(tmp_path / "blank.csv", column="reading")


def test_series_one_after_another_are_not_read_as_one(tmp_path):
    # A long file whose timestamps are bare years in a column not named as
    # time (`period`): only the series id running in blocks, and the years
    # starting again at each, tell it holds several series.
    def write(name, header, rows):
        (tmp_path / name).write_text(header + "\n" + "".join(f"{r}\n" for r in rows))
        return tmp_path / name

    panel = write("panel.csv", "country,period,gdp,population", [
        f"{country},{year},{i},{(7 * i) % 5}" for country, years in (("A", range(1990, 2000)),
                                                       ("B", range(1995, 2000)),
                                                       ("C", range(1990, 2000)))
        for i, year in enumerate(years)
    ])
    with pytest.raises(ValueError, match=r"panel\.csv:12: column 'country' holds 3 series one "
                       r"after another \('A' lines 2-11, 'B' lines 12-16, 'C' lines 17-26\): "
                       r"read as one series, 'gdp' would join them end to end; name the "
                       r"series-id column \(--id-column country\) and the timestamp column "
                       r"\(--time-column period\)"):
        read_series(panel, column="gdp")
    read = read_series(panel, column="gdp", id_column="country", time_column="period")
    assert read.names == ["A", "B", "C"] and [len(v) for v in read.values] == [10, 5, 10]
    # Without any other column, and with numeric ids in a column named `id`.
    bare = write("bare.csv", "country,gdp", [f"{c},{i}" for c in "AB" for i in range(10)])
    with pytest.raises(ValueError, match=r"bare\.csv:12: .* name the series-id column "
                       r"\(--id-column country\) to read each block as a series without "
                       r"timestamps; for one series, leave column 'country' out of the file"):
        read_series(bare, column="gdp")
    # A panel whose years are not in the file: its blocks alike, no time.
    untimed = write("untimed.csv", "country,gdp,pop",
                    [f"{c},{i},{i % 3}" for c in "ABC" for i in range(8)])
    with pytest.raises(ValueError, match=r"untimed\.csv:10: column 'country' holds 3 series .* "
                       r"\(--id-column country\) to read each block"):
        read_series(untimed, column="gdp")
    for path, column in ((bare, None), (untimed, "gdp")):
        read = read_series(path, column=column, id_column="country")
        assert read.names == list("AB" if path == bare else "ABC")
        assert read.starts == [None] * len(read.names) and read.frequency is None
        np.testing.assert_array_equal(read.values[1], np.arange(10 if path == bare else 8))
    with pytest.raises(ValueError, match=r"untimed\.csv:1: a long file with series-id column "
                       r"'country' needs a value column"):
        read_series(untimed, id_column="country")
    ids = write("ids.csv", "id,t,v", [f"{c},{t},{t}" for c in (1, 2) for t in range(10)])
    with pytest.raises(ValueError, match=r"ids\.csv:12: column 'id' holds 2 series"):
        read_series(ids, column="v")
    # One series: words in blocks beside steps that run on, numbers in blocks.
    regimes = write("regimes.csv", "regime,step,v",
                    [f"{'pre' if i < 6 else 'post'},{i},{i}" for i in range(12)])
    rates = write("rates.csv", "rate,v", [f"{r},{i}" for i, r in enumerate([5] * 4 + [5.25] * 4
                                                                          + [4.75] * 4)])
    # Words in two blocks or blocks of unequal lengths, and no time: phases.
    phases = write("phases.csv", "phase,v,w",
                   [f"{'warm' if i < 5 else 'cold'},{i},{-i}" for i in range(12)])
    for path in (regimes, rates, phases):
        np.testing.assert_array_equal(read_series(path, column="v").values[0], np.arange(12))


def test_a_file_with_its_years_across_the_header_is_a_series_a_row(tmp_path, caplog):
    # The World Bank's layout; before, "the first column holds no timestamps".
    years = list(range(1990, 2010))
    rows = ["Country Name,Indicator," + ",".join(map(str, years))]
    rows += [f"{c},rate," + ",".join(str(base + i) for i in range(len(years)))
             for c, base in (("A", 10), ("B", 50))]
    rows.append("Empty,rate," + "," * (len(years) - 1))
    (tmp_path / "wb.csv").write_text("\n".join(rows) + "\n")
    collection = read_series(tmp_path / "wb.csv")
    assert collection.names == ["A", "B"] and collection.frequency == "yearly"
    np.testing.assert_array_equal(collection.values[1], 50 + np.arange(20.0))
    assert "'Empty' misses 20 of its 20 values" in caplog.text
    # With a column named, that column is the series, as before (a row per day of
    # the year, a column per year).
    (tmp_path / "days.csv").write_text("day,2019,2020,2021\n1,5,6,7\n2,8,9,10\n")
    np.testing.assert_array_equal(read_series(tmp_path / "days.csv", column="2020").values[0],
                                  [6, 9])


def test_timestamps_after_a_column_numbering_the_rows_need_no_flag(tmp_path):
    # pandas' `to_csv` with its default index; before, refused ("column 'Quarter'
    # holds timestamps ... but not the first"), and with --time-column the index
    # was read as a series.
    rows = [",Quarter,Consumption,Income"]
    rows += [f"{i},{1970 + i // 4} Q{i % 4 + 1},{i * 0.1:.1f},{i}" for i in range(12)]
    (tmp_path / "us.csv").write_text("\n".join(rows) + "\n")
    us = read_series(tmp_path / "us.csv")
    assert us.names == ["Consumption", "Income"] and us.frequency == "quarterly"
    np.testing.assert_array_equal(us.values[1], np.arange(12.0))


def test_the_m4_competitions_csv_is_a_series_a_row(tmp_path):
    # Before: "the first column holds no timestamps".
    rows = ['"V1",' + ",".join(f'"V{i}"' for i in range(2, 42))]
    rows += [f'"M{k}",' + ",".join(str(k * 100 + i % 12) for i in range(40 - 4 * k)) + "," * 4 * k
             for k in range(3)]
    (tmp_path / "Monthly-train.csv").write_text("\n".join(rows) + "\n")
    collection = read_series(tmp_path / "Monthly-train.csv")
    assert collection.names == ["M0", "M1", "M2"] and collection.frequency == "monthly"
    assert [len(v) for v in collection.values] == [40, 36, 32]
    # Monthly from M4's letters: season 12; no start times, so no calendar.
    task = runner.profile({"task": "forecast", "data": str(tmp_path / "Monthly-train.csv")})
    assert task.data_profile["frequency"] == "monthly" and task.data_profile["examples"] == 3
    assert task.config.season == 12 and task.config.calendar is False


def test_a_gzipped_tsf_is_a_tsf(tmp_path):
    lines = ["@relation r", "@attribute series_name string", "@frequency yearly", "@data",
             "a:1,2,3,4,5,6", "b:6,5,4,3,2,1"]
    with gzip.open(tmp_path / "r.tsf.gz", "wt") as f:
        f.write("\n".join(lines) + "\n")
    collection = read_series(tmp_path / "r.tsf.gz")
    assert collection.names == ["a", "b"] and collection.frequency == "yearly"


def test_values_without_timestamps_get_the_season_found_in_them(tmp_path):
    rng = np.random.default_rng(0)
    steps = np.arange(300)
    files = {
        # A weekly cycle of daily values on a trend; a random walk; 4-digit
        # values in a single column (not years), no --column needed.
        "weekly": 50 + 0.1 * steps + 10 * np.sin(2 * np.pi * steps / 7) + rng.normal(size=300),
        "walk": 100 + np.cumsum(rng.normal(size=300)),
        "plain": 1500 + 200 * np.sin(2 * np.pi * steps[:80] / 12) + rng.normal(0, 20, 80),
    }
    resolved = {}
    for name, values in files.items():
        rows = ["value"] + [f"{v:.4f}" for v in values]
        (tmp_path / f"{name}.csv").write_text("\n".join(rows) + "\n")
        task = runner.profile({"task": "forecast", "data": str(tmp_path / f"{name}.csv")})
        assert task.data_profile["frequency"] is None
        resolved[name] = (task.config.season, task.config.horizon, task.config.window)
        assert "unknown frequency" in task.resolved["season"]["reason"]
    # The declared horizon 12, at most 1/8 of the values; two seasons or horizons.
    assert resolved == {"weekly": (7, 12, 24), "walk": (1, 12, 24), "plain": (12, 10, 24)}
    found = runner.profile({"task": "forecast", "data": str(tmp_path / "walk.csv")})
    assert found.data_profile["found_season"]["period"] is None


def test_a_table_of_series_without_timestamps_reads_as_a_collection(tmp_path, caplog):
    # R's multivariate ts as Rdatasets writes it (fpp2's `arrivals`, `visnights`):
    # the rows numbered, a column per series, no times. Before: "the first column
    # holds no timestamps".
    rng = np.random.default_rng(0)
    steps = np.arange(120)
    series = {name: level + 0.2 * steps + 8 * np.sin(2 * np.pi * steps / 4)
              + rng.normal(0, 1, 120) for name, level in (("Japan", 50), ("NZ", 80), ("UK", 30))}
    series["NZ"][5] = np.nan
    rows = ["rownames,Japan,NZ,UK"] + [
        f"{i + 1}," + ",".join("NA" if np.isnan(v[i]) else f"{v[i]:.4f}" for v in series.values())
        for i in steps
    ]
    (tmp_path / "arrivals.csv").write_text("\n".join(rows) + "\n")
    with caplog.at_level("WARNING", logger="rnn_keras"):
        arrivals = read_series(tmp_path / "arrivals.csv")
    assert arrivals.names == ["Japan", "NZ", "UK"] and arrivals.frequency is None
    assert arrivals.starts == [None, None, None]
    np.testing.assert_allclose(arrivals.values[0], series["Japan"], atol=1e-4)
    # The missing value filled as any other file's: halfway between its neighbours.
    assert arrivals.values[1][5] == pytest.approx(
        (arrivals.values[1][4] + arrivals.values[1][6]) / 2)
    assert ("then 3 columns of numbers: read as 3 series without timestamps ('Japan'; 'NZ'; "
            "'UK'); name one to forecast it alone (--column NAME)") in caplog.text
    # One named is read alone; the season is found in the values.
    assert read_series(tmp_path / "arrivals.csv", column="UK").names == ["UK"]
    task = runner.profile({"task": "forecast", "data": str(tmp_path / "arrivals.csv")})
    assert task.config.season == 4 and "unknown frequency" in task.resolved["season"]["reason"]
    # A dummy in two runs (Seatbelts' `law`) beside the series is read as one too.
    law = "rownames,drivers,law\n" + "".join(
        f"{i + 1},{100 + (i * 7) % 11},{int(i >= 6)}\n" for i in range(10))
    (tmp_path / "seatbelts.csv").write_text(law)
    assert read_series(tmp_path / "seatbelts.csv").names == ["drivers", "law"]
    # A panel written by pandas (its index unnamed): store 1's steps, then store
    # 2's. Read as columns, 'sales' would join the stores end to end: refused.
    panel = ",store,step,sales\n" + "".join(
        f"{i},{1 + i // 4},{1 + i % 4},{10 + i}\n" for i in range(8))
    (tmp_path / "panel.csv").write_text(panel)
    with pytest.raises(DataError, match=r"panel\.csv:6: column 'store' holds 2 series one after "
                       r"another .* name the series-id column \(--id-column store\) and the "
                       r"timestamp column \(--time-column step\)"):
        read_series(tmp_path / "panel.csv")
    # Words among the columns, no numbered rows, a column named as a time or as one
    # series' values (treering's `time,value`, its years before 0), or one counting
    # up in whole numbers as a time (BOD's `Time,demand`): told to name the column,
    # as before.
    (tmp_path / "words.csv").write_text("rownames,a,b\n1,1,x\n2,3,y\n")
    (tmp_path / "unnumbered.csv").write_text("a,b\n5,2\n3,4\n")
    (tmp_path / "treering.csv").write_text("rownames,time,value\n1,-6000,1.345\n2,-5999,1.077\n")
    (tmp_path / "bod.csv").write_text("rownames,Time,demand\n1,1,8.3\n2,2,10.3\n3,3,19\n"
                                      "4,5,16\n")
    (tmp_path / "counter.csv").write_text("rownames,step,demand\n1,1,8.3\n2,2,10.3\n3,4,19\n")
    for name in ("words", "unnumbered", "treering", "bod", "counter"):
        with pytest.raises(DataError, match="the first column holds no timestamps"):
            read_series(tmp_path / f"{name}.csv")


def test_named_columns_of_a_table_no_rule_reads_whole_are_read(tmp_path, caplog):
    # R's `airquality`: numbered rows, a `Day` column (named as a time) and words
    # beside the measurements. Its columns named, several (--column A,B) or one
    # beside covariates, were refused "the first column holds no timestamps ...
    # name the column", the very thing done; one alone was read.
    rows = ["rownames,Ozone,Temp,Wind,Month,Day,Note"] + [
        f"{i + 1},{'NA' if i == 0 else 30 + i % 7},{60 + i},{7 + (i * 3) % 5},"
        f"{5 + i // 31},{1 + i % 31},x" for i in range(40)
    ]
    (tmp_path / "airquality.csv").write_text("\n".join(rows) + "\n")
    path = tmp_path / "airquality.csv"
    with caplog.at_level("WARNING", logger="rnn_keras"):
        both = read_series(path, column="Temp,Wind")
    assert both.names == ["Temp", "Wind"] and both.starts == [None, None]
    np.testing.assert_array_equal(both.values[0], 60 + np.arange(40))
    assert "the columns named read as series without timestamps ('Temp'; 'Wind')" in caplog.text
    # Its first value missing, filled as any other file's.
    assert read_series(path, column="Ozone,Temp").values[0][0] == 31
    # One named: not a long file told by its cells (its `Month` of 5, 6 is no time
    # beside the words of `Note`; it was, and refused "'5' is not a timestamp").
    np.testing.assert_array_equal(read_series(path, column="Temp").values[0],
                                  60 + np.arange(40))
    # Beside covariates: one counting up (a trend) is read too.
    known = read_series(path, column="Temp", covariates="Wind,Day")
    assert known.names == ["Temp"] and known.covariate_names == ("Wind", "Day")
    np.testing.assert_array_equal(known.covariates[0][:, 1], 1 + np.arange(40) % 31)
    with pytest.raises(DataError, match=r"airquality\.csv:1: no column 'Rain' \(--column, "
                       r"--covariates or --past-covariates\) in the header; it holds "
                       r"'rownames', 'Ozone'"):
        read_series(path, column="Temp", past_covariates="Rain")
    # A covariate missing more than a series may is refused, naming it (left out, it
    # was "not a series of this file").
    sparse = tmp_path / "sparse.csv"
    sparse.write_text("rownames,Ozone,Temp,Day\n" + "".join(
        f"{i + 1},{'NA' if i % 3 else 30 + i},{60 + i % 9},{1 + i % 31}\n" for i in range(40)))
    with pytest.raises(DataError, match=r"sparse\.csv: covariate 'Ozone' misses 26 of its 40 "
                       r"values .* more than the 20% of a series filled by interpolation"):
        read_series(sparse, column="Temp", covariates="Ozone")
    # A table the rule reads whole, one of its columns counting up (a time): refused
    # as before where only covariates are named, that column not among them.
    counter = tmp_path / "counter.csv"
    counter.write_text("rownames,level,sales,x\n" + "".join(
        f"{i + 1},{100 + i},{50 + (i * 7) % 5},{i % 3}\n" for i in range(30)))
    with pytest.raises(DataError, match="the first column holds no timestamps"):
        read_series(counter, covariates="x")
    assert read_series(counter, column="sales", covariates="x,level").names == ["sales"]
    # Covariates and no series named: told to name them, where no rule reads the table.
    with pytest.raises(DataError, match=r"none is left to forecast; name the series to forecast "
                       r"\(--column NAME\)"):
        read_series(path, covariates="Wind")


def test_a_table_of_series_finds_each_columns_blocks_once(tmp_path, monkeypatch):
    # The check for series one after another looks at every column beside each
    # column read: finding each column's blocks again for every column read took
    # 101 s on a table of 300 columns and 2,000 rows (1.8 s once each).
    calls = []
    blocks = series_module._blocks
    monkeypatch.setattr(series_module, "_blocks", lambda cells: calls.append(1) or blocks(cells))
    rng = np.random.default_rng(0)
    values = rng.normal(size=(50, 12)).round(3)
    rows = ["rownames," + ",".join(f"s{i}" for i in range(12))]
    rows += [f"{r + 1}," + ",".join(map(str, values[r])) for r in range(50)]
    (tmp_path / "wide.csv").write_text("\n".join(rows) + "\n")
    assert len(read_series(tmp_path / "wide.csv").names) == 12
    assert len(calls) == 13  # the row numbers' column and the 12 series'


def test_a_trending_file_resolves_scaling_last_and_a_level_one_window(tmp_path):
    rng = np.random.default_rng(0)
    months = [f"{2000 + m // 12}-{m % 12 + 1:02d}" for m in range(120)]
    files = {"walk": 100 + np.cumsum(rng.normal(size=120)), "level": 100 + rng.normal(size=120)}
    resolved = {}
    for name, values in files.items():
        rows = ["month,sales"] + [f"{m},{v:.4f}" for m, v in zip(months, values)]
        (tmp_path / f"{name}.csv").write_text("\n".join(rows) + "\n")
        task = runner.profile({"task": "forecast", "data": str(tmp_path / f"{name}.csv")})
        resolved[name] = (task.data_profile["trending"], task.config.scaling)
        assert "KPSS" in task.resolved["scaling"]["reason"]
    assert resolved == {"walk": (1.0, "last"), "level": (0.0, "window")}
    # A scaling the user gives is kept.
    given = runner.profile({"task": "forecast", "data": str(tmp_path / "walk.csv"),
                            "scaling": "global"})
    assert given.config.scaling == "global" and "scaling" not in given.resolved


def test_too_short_series_are_refused_naming_the_horizon():
    task = make_task("forecast", {"horizon": 10, "defaults": "fixed"})
    with pytest.raises(ValueError, match="horizon=10"):
        task.split_off(_data(12, 8), 0, 0, split="test")


def test_statistical_baselines_are_fitted_on_each_history_before_its_origin():
    statsforecast = pytest.importorskip("statsforecast.models")
    rng = np.random.default_rng(0)
    values = 50 + np.cumsum(rng.normal(1, 2, 40))
    data = training_data(SeriesCollection(["a", "b"], [None, None], [values, values[:6]]))
    data = data.replace(data.values, [36, 3])
    origins = backtest.scored_origins(data, 3)
    results = backtest.statistical_forecasts(data, origins, 3, season=1, interval=0.8)
    forecasts, fallbacks, lower, upper = results["auto_ets"]
    expected = statsforecast.AutoETS(season_length=1).forecast(y=values[:36], h=3, level=[80])
    np.testing.assert_allclose(forecasts[0], expected["mean"])
    np.testing.assert_allclose(lower[0], expected["lo-80"])
    np.testing.assert_allclose(upper[0], expected["hi-80"])
    # Series "b" has 3-5 values before its origins: too few to fit, naive instead, counted.
    assert fallbacks == sum(1 for i, _ in origins if i == 1) == 1
    np.testing.assert_array_equal(forecasts[-1], np.full(3, values[2]))
    assert np.isnan(lower[-1]).all() and np.isnan(upper[-1]).all()  # the naive has none
    assert set(results) == {"auto_ets", "auto_theta"}
    # Without an interval asked for, none is forecast.
    assert backtest.statistical_forecasts(data, origins, 3, season=1)["auto_ets"].lower is None


def test_a_statistical_baseline_without_its_interval_counts_as_a_fallback(monkeypatch):
    # A fit whose forecast holds no interval is replaced whole, one row per window.
    statsforecast = pytest.importorskip("statsforecast.models")
    values = 50 + np.cumsum(np.random.default_rng(0).normal(0, 1, 40))
    data = training_data(SeriesCollection(["a"], [None], [values])).replace([values], [36])
    origins = backtest.scored_origins(data, 2)
    predict = statsforecast.AutoETS.predict
    monkeypatch.setattr(statsforecast.AutoETS, "predict",
                        lambda self, h, level=None: {"mean": predict(self, h=h)["mean"]})
    result = backtest.statistical_forecasts(data, origins, 2, season=1, interval=0.8)["auto_ets"]
    assert result.forecasts.shape == result.lower.shape == (len(origins), 2)
    assert result.fallbacks == len(origins) and np.isnan(result.lower).all()


def test_metrics_give_the_statistical_baselines_interval_coverage_on_the_same_windows(
    tmp_path,
):
    statsforecast = pytest.importorskip("statsforecast.models")
    rng = np.random.default_rng(0)
    values = 50 + np.cumsum(rng.normal(0.5, 1, 60))
    data = training_data(SeriesCollection(["a"], [None], [values]))
    data = data.replace(data.values, [53])  # 5 origins: AutoETS fitted at each
    task = make_task("forecast", {"window": 8, "horizon": 3, "season": 1, "defaults": "fixed",
                                  "cell": "gru", "units": 4, "interval": 0.8})
    task.prepare(data)
    keras.utils.set_random_seed(0)
    model = task.build_model()
    scores = task.evaluate(model, data)
    origins = backtest.scored_origins(data, 3)
    assert len(origins) == backtest.STATISTICAL_FITS
    ets = statsforecast.AutoETS(season_length=1)
    inside = []
    for i, o in origins:
        forecast = ets.fit(y=values[:o]).predict(h=3, level=[80])
        actual = values[o:o + 3]
        inside.extend((actual >= forecast["lo-80"]) & (actual <= forecast["hi-80"]))
    assert scores["auto_ets_interval_coverage"] == pytest.approx(np.mean(inside))
    assert 0 <= scores["auto_theta_interval_coverage"] <= 1
    assert "interval_coverage" in scores


def test_statistical_baselines_refit_a_few_times_over_many_origins(monkeypatch):
    # A hundred origins of a long series: fitted at every 20th, the model fitted
    # last forecasting from the origins between, its states run on to each.
    statsforecast = pytest.importorskip("statsforecast.models")
    rng = np.random.default_rng(0)
    values = 50 + np.cumsum(rng.normal(0, 1, 200))
    data = training_data(SeriesCollection(["a"], [None], [values]))
    data = data.replace(data.values, [100])
    origins = backtest.scored_origins(data, 2)
    assert len(origins) == 100 - 1
    fits = []
    fit = statsforecast.AutoETS.fit
    monkeypatch.setattr(statsforecast.AutoETS, "fit",
                        lambda self, y, **kw: fits.append(len(y)) or fit(self, y, **kw))
    forecasts, fallbacks, _, _ = backtest.statistical_forecasts(data, origins, 2, season=1)[
        "auto_ets"
    ]
    assert fits == [100, 120, 140, 160, 180] and fallbacks == 0
    model = statsforecast.AutoETS(season_length=1).fit(values[:120])
    np.testing.assert_allclose(forecasts[20], model.predict(h=2)["mean"])
    np.testing.assert_allclose(forecasts[25], model.forward(y=values[:125], h=2)["mean"])
    # Refitted there instead: near the same forecast (the series moves by about 1 a step).
    refitted = statsforecast.AutoETS(season_length=1).forecast(y=values[:125], h=2)["mean"]
    np.testing.assert_allclose(forecasts[25], refitted, atol=0.5)


def test_statistical_baselines_fit_a_big_collection_fewer_times(monkeypatch):
    # Four series of 100 values, 5 origins each: 4 x 95 values a round of fits.
    # Within 800 values fitted, each series is fitted twice (at its 1st and 4th
    # origins); within 100, once, at its first, the others forecast from it.
    statsforecast = pytest.importorskip("statsforecast.models")
    rng = np.random.default_rng(0)
    values = [50 + np.cumsum(rng.normal(0, 1, 100)) for _ in range(4)]
    data = training_data(SeriesCollection(list("abcd"), [None] * 4, values))
    data = data.replace(data.values, [95] * 4)
    origins = backtest.scored_origins(data, 1)
    assert len(origins) == 20 and backtest.statistical_fits(origins) == backtest.STATISTICAL_FITS
    fits = []
    fit = statsforecast.AutoETS.fit
    monkeypatch.setattr(statsforecast.AutoETS, "fit",
                        lambda self, y, **kw: fits.append(len(y)) or fit(self, y, **kw))
    for budget, expected in ((800, [95, 98]), (100, [95])):
        monkeypatch.setattr(backtest, "STATISTICAL_VALUES", budget)
        fits.clear()
        forecasts = backtest.statistical_forecasts(data, origins, 1, season=1)["auto_ets"]
        assert fits == expected * 4 and forecasts.fallbacks == 0
    model = statsforecast.AutoETS(season_length=1).fit(values[3][:95])
    last = model.forward(y=values[3][:99], h=1)["mean"]
    np.testing.assert_allclose(forecasts.forecasts[19], last)


def test_forecasters_of_two_seeds_ensemble_with_their_mean_calibration(tmp_path):
    _tsf(tmp_path / "toy.tsf", series=2, length=40)
    members = []
    for seed in (0, 1):
        folder = str(tmp_path / f"member-{seed}")
        runner.train({"task": "forecast", "data": str(tmp_path / "toy.tsf"), "output": folder,
                      "cell": "gru", "units": 4, "epochs": 2, "seed": seed}, verbose=0)
        members.append(folder)
    stretches = [runner.load(m)[0].state["interval_stretch"] for m in members]
    assert stretches[0] != stretches[1]  # fitted on each member's own model
    metrics = runner.ensemble(members, str(tmp_path / "both"), data=str(tmp_path / "toy.tsf"))
    task, _ = runner.load(str(tmp_path / "both"))
    assert task.state["interval_stretch"] == pytest.approx(np.mean(stretches))
    assert np.isfinite(metrics["test"]["mase"]) and "interval_coverage" in metrics["test"]
    # Each member is scored as it scores alone: with its own stretch, not the mean.
    for member in members:
        alone = runner.evaluate(member, str(tmp_path / "toy.tsf"))
        assert metrics["members"][member] == pytest.approx(alone)
    # A member whose task file holds the older widening instead: each factor is
    # averaged over both members, the one without it counting 0.
    path = os.path.join(members[0], "task.json")
    saved = read_json(path)
    del saved["state"]["interval_stretch"]
    saved["state"]["interval_widening"] = 0.3
    with open(path, "w") as f:
        json.dump(saved, f)
    runner.ensemble(members, str(tmp_path / "mixed"))
    task, _ = runner.load(str(tmp_path / "mixed"))
    assert task.state["interval_stretch"] == pytest.approx(stretches[1] / 2)
    assert task.state["interval_widening"] == pytest.approx(0.15)


def test_seeds_fit_the_average_its_own_stretch_on_the_validation_values(tmp_path):
    # `train --seeds 2`: the average's interval stretch is fitted on its own
    # validation forecasts, as one trained model's is, not the members' mean
    # (which `ensemble` of folders keeps); its combination weight stays their mean.
    _tsf(tmp_path / "toy.tsf", series=2, length=40)
    config = {"task": "forecast", "data": str(tmp_path / "toy.tsf"), "cell": "gru", "units": 4,
              "epochs": 2, "seeds": 2, "output": str(tmp_path / "avg")}
    metrics = runner.train(config, verbose=0)
    task, model = runner.load(str(tmp_path / "avg"))
    members = [runner.load(m)[0].state for m in sorted(metrics["members"])]
    weight, stretch = combination.COMBINATION_KEY, "interval_stretch"
    assert task.state[weight] == pytest.approx(np.mean([m[weight] for m in members]))
    assert task.state[stretch] != pytest.approx(np.mean([m[stretch] for m in members]))
    # The stretch `calibrate` fits on the average's validation forecasts at that weight.
    splits, _ = load_splits(runner.configure({**config, "seeds": 1, "split_seed": 0}))
    refit, _ = runner.load(str(tmp_path / "avg"))
    refit.state[stretch] = -1.0
    assert refit.calibrate(model, splits, averaged=True)
    assert refit.state[weight] == task.state[weight]
    assert refit.state[stretch] == pytest.approx(task.state[stretch])
    assert metrics["test"] == pytest.approx(runner.evaluate(str(tmp_path / "avg"),
                                                            str(tmp_path / "toy.tsf")))


@pytest.mark.parametrize("interval", [0.8, 0.0])
def test_each_window_weighs_in_the_loss_on_its_own_scale(tmp_path, interval):
    # A series of zeros beside them: its windows weigh as a typical one's.
    _tsf(tmp_path / "toy.tsf", series=2, length=40, zeros=1)
    task = make_task("forecast", {"data": str(tmp_path / "toy.tsf"), "cell": "gru", "units": 4,
                                  "interval": interval, "series_identity": False})
    data = task.read_file(str(tmp_path / "toy.tsf"))
    task.prepare(data)
    model = task.build_model()
    batches = list(task.dataset(data, training=True))
    x, y, w = (np.concatenate([batch[i].numpy() for batch in batches]) for i in range(3))
    prediction = np.asarray(model(x))
    got = float(model.compute_loss(x, y, prediction, sample_weight=w))
    # Each window's loss over its own level (squared for the squared error);
    # a window of zeros on the median level of the training windows.
    level = np.abs(x).mean(axis=(1, 2))
    assert np.sum(level == 0) > 0
    default = np.median(level[level > 0])
    assert task.state["default_scale"] == pytest.approx(default, rel=1e-5)
    level = np.where(level > 0, level, default) + 1e-6
    assert w.max() / w.min() < 10  # not a millionth of the zeros' weight, as before
    if interval:
        q = np.array(task.quantiles)
        e = y[..., None] - prediction
        per_window = np.maximum(q * e, (q - 1) * e).mean(axis=(1, 2, 3))
        scale = 1 / level
    else:
        per_window = ((y - prediction) ** 2).mean(axis=(1, 2))
        scale = 1 / level**2
    expected = np.mean(per_window * scale / task.state["weight_mean"])
    assert got == pytest.approx(expected, rel=1e-4)


def test_training_series_shorter_than_the_horizon_are_refused_by_name():
    task = make_task("forecast", {"horizon": 10, "defaults": "fixed"})
    with pytest.raises(ValueError, match="horizon=10"):
        task.prepare(_data(8, 10))


def test_a_validation_file_is_backtested_at_its_end(tmp_path):
    _tsf(tmp_path / "train.tsf", series=2, length=40)
    _tsf(tmp_path / "valid.tsf", series=2, length=30)
    metrics = runner.train({"task": "forecast", "data": str(tmp_path / "train.tsf"),
                            "valid": str(tmp_path / "valid.tsf"), "output": str(tmp_path / "m"),
                            "cell": "gru", "units": 4, "epochs": 1}, verbose=0)
    task, _ = runner.load(str(tmp_path / "m"))
    assert "interval_stretch" in task.state  # calibrated on the validation file's ends
    assert metrics["test"]["series"] == 2


def test_an_average_of_a_trending_seasonal_series_anchors_every_third_member_on_naive2(
        tmp_path):
    # Monthly, trending, a strong yearly season: the data resolve `adjusted_members`,
    # also where `seeds` is given (then `train_seeds` reads the data for it).
    rng = np.random.default_rng(0)
    t = np.arange(120)
    values = 100 + 2.0 * t + 15 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, t.size)
    months = [f"{2000 + i // 12}-{i % 12 + 1:02d}" for i in t]
    data = tmp_path / "monthly.csv"
    data.write_text("month,value\n" + "".join(f"{m},{v:.3f}\n" for m, v in zip(months, values)))
    output = tmp_path / "avg"
    config = {"task": "forecast", "data": str(data), "cell": "gru", "units": 4, "epochs": 2,
              "seeds": 3, "output": str(output)}
    metrics = runner.train(config, verbose=0, export=True)
    members = sorted(metrics["members"])
    scalings = [runner.load(m)[0].config.scaling for m in members]
    assert scalings == ["last", "last", "adjusted"]
    task, model = runner.load(str(output))
    assert task.config.adjusted_members and task.config.scaling == "last"
    assert "every third member" in read_json(output / "task.json")["resolved"][
        "adjusted_members"]["reason"]
    # The average answers as its members averaged, the SavedModel as `predict`.
    line = " ".join(f"{v:.3f}" for v in values[-40:])
    expected = task.predict(model, [line])[0]["forecast"]
    served = tf.saved_model.load(str(output / "1")).signatures["serving_default"]
    got = served(history=tf.constant(values[None, -40:].astype("float32")))["forecast"]
    np.testing.assert_allclose(got.numpy()[0], expected, rtol=1e-5)
    # Given otherwise, kept: no member anchored on Naive2.
    again = runner.train({**config, "output": str(tmp_path / "plain"),
                          "adjusted_members": False}, verbose=0)
    assert [runner.load(m)[0].config.scaling for m in sorted(again["members"])] == ["last"] * 3
    # Another scaling given: no member anchored on Naive2 is resolved beside it (the
    # rule was not told the scaling given, and training stopped at the first member).
    windowed = runner.train({**config, "output": str(tmp_path / "windowed"),
                             "scaling": "window"}, verbose=0)
    assert [runner.load(m)[0].config.scaling for m in sorted(windowed["members"])] == [
        "window"] * 3
    with pytest.raises(ConfigError, match="adjusted_members"):
        runner.train({**config, "output": str(tmp_path / "bad"), "scaling": "window",
                      "adjusted_members": True}, verbose=0)


def test_several_columns_name_the_series_of_a_table_to_forecast(tmp_path, caplog):
    # A wide file: two series and a column marking an event (Seatbelts' `law`).
    steps = range(30)
    wide = "month,front,rear,law\n" + "".join(
        f"{2000 + i // 12}-{i % 12 + 1:02d},{100 + (i * 7) % 11},{50 + i % 5},{int(i >= 20)}\n"
        for i in steps)
    (tmp_path / "wide.csv").write_text(wide)
    with caplog.at_level("WARNING", logger="rnn_keras"):
        everything = read_series(tmp_path / "wide.csv")
    assert everything.names == ["front", "rear", "law"]
    assert ("1 of 3 series hold one value and then another, as a column marking an event does: "
            "'law'") in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="rnn_keras"):
        chosen = read_series(tmp_path / "wide.csv", column="rear, front")
    assert chosen.names == ["rear", "front"] and "marking an event" not in caplog.text
    np.testing.assert_array_equal(chosen.values[0], everything.values[1])
    np.testing.assert_array_equal(chosen.values[1], everything.values[0])
    assert chosen.starts == everything.starts[:2] and chosen.frequency == "monthly"
    # R's table without timestamps (rownames, then a column per series).
    untimed = "rownames,front,rear,law\n" + "".join(
        f"{i + 1},{100 + (i * 7) % 11},{50 + i % 5},{int(i >= 20)}\n" for i in steps)
    (tmp_path / "untimed.csv").write_text(untimed)
    assert read_series(tmp_path / "untimed.csv", column="front,rear").names == ["front", "rear"]
    # Named wrong: the file's header line named, and what it holds.
    for column, problem in (("front,lawx", "no column 'lawx' in the header"),
                            ("front,front", "a column named twice")):
        with pytest.raises(DataError, match=rf"wide\.csv:1: {problem} \(--column {column}: .* "
                           r"the header holds 'month', 'front', 'rear', 'law'"):
            read_series(tmp_path / "wide.csv", column=column)
    with pytest.raises(DataError, match=r"column 'month' \(--column\) is not a series of this "
                       r"file; its series are 'front'; 'rear'; 'law'"):
        read_series(tmp_path / "wide.csv", column="month,front")
    # A header name holding a comma is one column.
    (tmp_path / "comma.csv").write_text(
        'month,"sales, net",other\n' + "".join(f"2000-{m:02d},{m},{2 * m}\n" for m in range(1, 13)))
    comma = read_series(tmp_path / "comma.csv", column="sales, net")
    assert comma.names == ["sales, net"] and comma.values[0][-1] == 12
    # A series of two values that changes more than once (sold now and then) is no
    # indicator; nor is a series alone.
    # A short series that moved once, its first or last value alone, is none either.
    (tmp_path / "sold.csv").write_text("month,a,b,c,d\n" + "".join(
        f"2000-{m:02d},{m},{int(m in (3, 7))},{int(m > 1)},{int(m == 12)}\n"
        for m in range(1, 13)))
    caplog.clear()
    with caplog.at_level("WARNING", logger="rnn_keras"):
        read_series(tmp_path / "sold.csv")
        read_series(tmp_path / "wide.csv", column="law")
    assert "marking an event" not in caplog.text


def test_a_named_series_of_a_tsf_file_is_read_alone(tmp_path):
    _tsf(tmp_path / "toy.tsf")
    assert read_series(tmp_path / "toy.tsf", column="S2,S0").names == ["S2", "S0"]
    assert read_series(tmp_path / "toy.tsf", column="S1").names == ["S1"]
    # Not silently read whole, as it was.
    with pytest.raises(DataError, match=r"toy\.tsf: column 'S7' \(--column\) is not a series of "
                       r"this file; its series are 'S0'; 'S1'; 'S2'"):
        read_series(tmp_path / "toy.tsf", column="S7")


def test_a_forecaster_of_several_named_columns_trains_on_those_alone(tmp_path):
    steps = range(60)
    (tmp_path / "wide.csv").write_text("month,a,b,law\n" + "".join(
        f"{2000 + i // 12}-{i % 12 + 1:02d},{100 + 10 * np.sin(i / 2):.3f},{50 + i},"
        f"{int(i >= 40)}\n" for i in steps))
    config = {"task": "forecast", "data": str(tmp_path / "wide.csv"), "column": "a,b",
              "output": str(tmp_path / "m"), "epochs": 1, "units": 4, "horizon": 3,
              "window": 6, "origins": 2, "statistical_baselines": False}
    metrics = runner.train(config, verbose=0)
    assert metrics["test"]["series"] == 2
    # The model's folder keeps the columns: its task reads the same file alike.
    task, model = runner.load(config["output"])
    assert task.config.column == "a,b"
    future = task.predict_series(model, str(tmp_path / "wide.csv"))
    assert [r["series"] for r in future] == ["a", "b"]
