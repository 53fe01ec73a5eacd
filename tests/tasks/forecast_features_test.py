"""Series identity and calendar features of the forecaster: ids, training, exports, predictions."""

import datetime
import json
import os
import pathlib

import numpy as np
import pytest
import tensorflow as tf

import task_data
from rnn_keras import runner
from rnn_keras.cli import main
from rnn_keras.config import ConfigError
from rnn_keras.data.series_readers import SeriesCollection
from rnn_keras.export import export_saved_model
from rnn_keras.files import read_json
from rnn_keras.tasks import make_task
from rnn_keras.tasks.forecast import defaults
from rnn_keras.tasks.forecast import features
from rnn_keras.tasks.forecast.series import training_data

at = datetime.datetime


@pytest.mark.parametrize(
    "start, frequency, season, steps, expected",
    [
        # Monthly from January 1949: the 15th value is March 1950 (month 2).
        (at(1949, 1, 1), "monthly", 12, [0, 11, 12, 14], [0, 11, 0, 2]),
        (at(1991, 5, 1), "monthly", 12, [0, 8, 20], [4, 0, 0]),
        (at(2000, 4, 1), "quarterly", 4, [0, 1, 2, 3], [1, 2, 3, 0]),
        # 2024-01-01 was a Monday (0); 1969-12-31, before the epoch, a Wednesday (2).
        (at(2024, 1, 1), "daily", 7, [0, 5, 7], [0, 5, 0]),
        (at(1969, 12, 31), "daily", 7, [0, 1], [2, 3]),
        # Day of the year: December 31st of a leap year is 364 too.
        (at(2024, 12, 30), "daily", 365, [0, 1, 2], [364, 364, 0]),
        (at(2024, 1, 1, 22), "hourly", 24, [0, 1, 2, 3], [22, 23, 0, 1]),
        # Hour of the week: Tuesday 05:00 is 29; six days later, Monday 05:00, 5.
        (at(2024, 1, 2, 5), "hourly", 168, [0, 144], [29, 5]),
        (at(2024, 1, 1, 23, 30), "half_hourly", 48, [0, 1], [47, 0]),
        (at(2024, 1, 7, 23, 30), "half_hourly", 336, [0, 1], [335, 0]),
        # Ten minutes: 00:10 is the day's second step; Monday 00:00 the week's first.
        (at(2024, 1, 7, 23, 50), "10_minutes", 144, [0, 2], [143, 1]),
        (at(2024, 1, 7, 23, 50), "10_minutes", 1008, [0, 1], [1007, 0]),
        # Week of the year: the 53rd week's days read 51.
        (at(2024, 1, 1), "weekly", 52, [0, 1, 51, 52, 53], [0, 1, 51, 51, 0]),
        # Business days: Friday 2024-01-05 is 4, the next step Monday 0.
        (at(2024, 1, 5), "business_daily", 5, [0, 1, 5, 6], [4, 0, 4, 0]),
        # Weekday of the year: 2024 has 262, its last two read 260; Friday
        # January 5th is the fifth, 4, the Monday after it 5.
        (at(2024, 12, 30), "business_daily", 261, [0, 1, 2], [260, 260, 0]),
        (at(2024, 1, 5), "business_daily", 261, [0, 1], [4, 5]),
        # No calendar: the index modulo the season.
        (None, "monthly", 12, [0, 13, 25], [0, 1, 1]),
        (at(2000, 3, 1), "monthly", 6, [0, 7], [0, 1]),
        (at(2000, 1, 1), "yearly", 3, [4, 5], [1, 2]),
        (at(2000, 1, 1), None, 4, [6], [2]),
    ],
)
def test_calendar_positions_by_frequency(start, frequency, season, steps, expected):
    positions = features.calendar_positions(start, frequency, season, steps)
    np.testing.assert_array_equal(positions, expected)
    np.testing.assert_array_equal(
        features.calendar_ids(start, frequency, season, steps), np.add(expected, 1)
    )


def test_series_ids_follow_the_training_names_and_read_unknown_names_as_0():
    vocabulary = features.series_vocabulary(["b", "a", "b", "c"])
    assert vocabulary == {"b": 1, "a": 2, "c": 3}
    np.testing.assert_array_equal(features.series_ids(vocabulary, ["a", "zzz", "c"]), [2, 0, 3])


def _monthly(names, starts, length=30):
    values = [100 + 10 * i + np.arange(length, dtype="float64") for i in range(len(names))]
    return training_data(SeriesCollection(names, starts, values, frequency="monthly"))


def test_windows_carry_their_series_id_and_the_month_of_their_first_forecast_step():
    task = make_task("forecast", {"window": 6, "horizon": 3, "season": 12, "calendar": True,
                                  "series_identity": True, "defaults": "fixed"})
    task.prepare(_monthly(["a", "b"], [at(1949, 1, 1), at(2000, 6, 1)]))
    assert task.state["series_names"] == ["a", "b"]
    assert task.feature_names == ("series", "calendar")
    inputs, _ = task._windows(_monthly(["a", "b"], [at(1949, 1, 1), at(2000, 6, 1)]),
                              [(0, 14), (1, 7)])
    assert sorted(inputs) == ["calendar", "history", "series"]
    # a: March 1950 (month 2); b: January 2001 (month 0). Ids are positions + 1.
    np.testing.assert_array_equal(inputs["calendar"], [3, 1])
    np.testing.assert_array_equal(inputs["series"], [1, 2])
    # Another file: series by name ("b" known, "new" not), months from its own starts.
    other = _monthly(["new", "b"], [at(2010, 12, 1), None])
    inputs, _ = task._windows(other, [(0, 1), (1, 13)])
    np.testing.assert_array_equal(inputs["series"], [0, 2])
    np.testing.assert_array_equal(inputs["calendar"], [1, 2])  # January; 13 % 12 without start
    # The training batches hold them too.
    batch, _, _ = next(iter(task.dataset(other, training=True).take(1)))
    assert sorted(batch) == ["calendar", "history", "series"]


def test_a_calendar_needs_a_season():
    task = make_task("forecast", {"season": 1, "calendar": True, "defaults": "fixed"})
    with pytest.raises(ConfigError, match="calendar"):
        task.prepare(_monthly(["a"], [None], length=60))


def _train(data, options, epochs=40):
    task = make_task("forecast", {"window": 2, "horizon": 1, "interval": 0, "cell": "gru",
                                  "units": 16, "learning_rate": 1e-2, "batch_size": 8,
                                  "defaults": "fixed", **options})
    return task_data.forecast_fit_error(task, data, epochs)


def test_identity_tells_apart_series_whose_windows_look_alike():
    # After 10, 11 one series goes on to 12, the other to 10 (and after 11, 10 to 11 or 9):
    # half the windows of two values cannot tell which comes next; the series' id can.
    patterns = ([10.0, 11.0, 12.0, 11.0], [10.0, 11.0, 10.0, 9.0])
    values = [np.tile(pattern, 16) for pattern in patterns]
    data = training_data(SeriesCollection(["up", "down"], [None, None], values))
    without = _train(data, {"series_identity": False, "season": 4})
    with_identity = _train(data, {"series_identity": True, "season": 4})
    assert with_identity < 0.5 * without, (with_identity, without)
    assert without > 0.3  # the ambiguous windows' error, about 0.5


def test_the_calendar_tells_apart_windows_that_recur_within_a_season():
    # 10, 11 comes twice a season, followed by 10 (month 2) and by 12 (month 4).
    values = np.tile([10.0, 11.0, 10.0, 11.0, 12.0, 11.0], 16)
    data = training_data(SeriesCollection(["s"], [at(2000, 1, 1)], [values], frequency="monthly"))
    without = _train(data, {"calendar": False, "season": 6})
    with_calendar = _train(data, {"calendar": True, "season": 6})
    assert with_calendar < 0.5 * without, (with_calendar, without)


def test_predict_series_and_the_saved_model_read_names_and_calendar_positions(
    trained, tmp_path, capsys
):
    folder = trained["forecast_features"]
    task, model = runner.load(folder)
    data_file = os.path.join(os.path.dirname(folder), "forecast_long.csv")
    saved = read_json(os.path.join(folder, "task.json"))
    assert saved["state"]["series_names"] == ["S0", "S1", "S2"]
    assert [t.name for t in model.inputs] == ["calendar", "history", "series"]
    # A renamed series reads unknown, and forecasts as the SavedModel does for unknown names.
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(pathlib.Path(data_file).read_text().replace(",S1,", ",S9,"))
    named = task.predict_series(model, data_file) + task.predict_series(model, str(renamed))[1:2]
    assert [r["series"] for r in named] == ["S0", "S1", "S2", "S9"]
    served = tf.saved_model.load(os.path.join(folder, "1"))
    assert sorted(served.signatures) == ["serving_default", "with_features"]
    collection = task.read_file(data_file).series
    for result, name, index in zip(named, ["S0", "S1", "S2", "S9"], [0, 1, 2, 1]):
        values = collection.values[index]
        # The step after the end: its month of the year from the series' start.
        start = collection.starts[index]
        position = (start.month - 1 + len(values)) % 12
        got = served.signatures["with_features"](
            history=tf.constant(values[None], tf.float32),
            series=tf.constant([name]),
            calendar=tf.constant([position], tf.int32),
        )
        np.testing.assert_allclose(got["forecast"][0], result["forecast"], rtol=1e-5)
        np.testing.assert_allclose(got["upper"][0], result["upper"], rtol=1e-5)
    # The name matters: S1's history under S0's name forecasts otherwise.
    as_s0 = served.signatures["with_features"](
        history=tf.constant(collection.values[1][None], tf.float32),
        series=tf.constant(["S0"]), calendar=tf.constant([-1], tf.int32),
    )
    unknown = served.signatures["serving_default"](
        history=tf.constant(collection.values[1][None], tf.float32)
    )
    assert not np.allclose(as_s0["forecast"], unknown["forecast"])
    # A plain history line reads every feature unknown, as `serving_default` does.
    line = task.predict(model, [" ".join(map(str, collection.values[1]))])[0]
    np.testing.assert_allclose(unknown["forecast"][0], line["forecast"], rtol=1e-5)
    # The command line names every series.
    assert main(["predict", folder, "--series", data_file, "--json"]) == 0
    printed = [json.loads(r) for r in capsys.readouterr().out.splitlines() if r.startswith("{")]
    assert [r["series"] for r in printed] == ["S0", "S1", "S2"]
    np.testing.assert_allclose(printed[1]["forecast"], named[1]["forecast"], rtol=1e-6)
    # A task.json that names other features than the model's is refused.
    other = type(task)(task.config.replace(calendar=False), task.state)
    with pytest.raises(ValueError, match="features"):
        other.check_model(model)
    # The export of the loaded model (the `.keras` round trip) serves the same.
    export_saved_model(task, model, str(tmp_path / "again"))
    again = tf.saved_model.load(str(tmp_path / "again"))
    np.testing.assert_allclose(
        again.signatures["with_features"](
            history=tf.constant(collection.values[1][None], tf.float32),
            series=tf.constant(["S0"]), calendar=tf.constant([-1], tf.int32),
        )["forecast"],
        as_s0["forecast"], rtol=1e-6,
    )


def _profile(series, frequency="monthly", timestamps=True, length=100):
    return {
        "examples": series,
        "length": {"median": float(length)},
        "frequency": frequency,
        "file_horizon": None,
        "values": series * length,
        "timestamps": timestamps,
    }


def _chosen(profile):
    return {d.option: d.value for d in defaults.data_defaults(profile)
            if d.option in ("calendar", "series_identity")}


def test_features_are_on_where_their_ids_get_enough_training_windows():
    # Airline's shape: one monthly series of 144 values, 4.3 windows per month: calendar only.
    assert _chosen(_profile(1, length=144)) == {"calendar": True, "series_identity": False}
    # Shampoo's: 36 values, under one window per month.
    assert _chosen(_profile(1, length=36)) == {"calendar": False, "series_identity": False}
    # Many long monthly series: both; many short yearly ones (M1): neither.
    assert _chosen(_profile(60, length=100)) == {"calendar": True, "series_identity": True}
    assert _chosen(_profile(181, "yearly", length=21)) == {
        "calendar": False, "series_identity": False
    }
    # prisonLF's: 32 quarterly series of 48, about 15 windows each: no series identity.
    prison = {d.option: d for d in defaults.data_defaults(_profile(32, "quarterly", length=48))}
    assert prison["series_identity"].value is False
    assert "about 15 training windows each (fewer than 20)" in prison["series_identity"].reason
    # Without start times there is no calendar; without a frequency no season to place.
    assert not _chosen(_profile(60, timestamps=False, length=100))["calendar"]
    assert not _chosen(_profile(60, frequency=None, length=100))["calendar"]
    # A season the user gave that has no calendar (monthly data, season 6) turns it off.
    assert not _chosen_given(_profile(1, length=144), {"season": 6})["calendar"]
    reasons = {d.option: d.reason for d in defaults.data_defaults(_profile(60, length=100))}
    assert "per position of the season" in reasons["calendar"]
    assert "60 series" in reasons["series_identity"]


def test_short_series_average_three_models():
    def seeds(profile):
        return {d.option: d for d in defaults.data_defaults(profile)}.get("seeds")

    # Airline's 144 values and 60 series of 16: three models; M1-like 181 series of
    # 21 (3,801 values) and longer series: one.
    assert seeds(_profile(1, length=144)).value == 3
    assert "three models averaged" in seeds(_profile(1, length=144)).reason
    assert seeds(_profile(60, length=16)).value == 3
    assert seeds(_profile(181, "yearly", length=21)) is None
    assert seeds(_profile(1, "hourly", length=4032)) is None


def test_a_big_collection_draws_its_epochs_in_larger_batches(tmp_path):
    def chosen(profile):
        rules = {d.option: d for d in defaults.data_defaults(profile)}
        return {name: rules[name].value for name in ("windows_per_epoch", "batch_size")
                if name in rules}

    # M4 hourly's size: 414 series of 850 hours (window 96, horizon 48), about
    # 250,000 windows: epochs of 12,800 drawn afresh, in batches of 64.
    big = chosen(_profile(414, "hourly", length=850))
    assert big == {"windows_per_epoch": defaults.WINDOWS_PER_EPOCH,
                   "batch_size": defaults.LARGE_BATCH}
    # A year of hours (about 8,500 windows), M1, airline: every window, batches of 16.
    for profile in (_profile(1, "hourly", length=8760), _profile(181, "yearly", length=21),
                    _profile(1, length=144)):
        assert chosen(profile) == {}
    # From a file: 30 quarterly series of 600 values, about 17,000 windows.
    rng = np.random.default_rng(0)
    lines = ["@relation big", "@attribute series_name string",
             "@attribute start_timestamp date", "@frequency quarterly", "@horizon 4", "@data"]
    lines += [f"S{i}:2000-01-01 00-00-00:" + ",".join(f"{v:.2f}" for v in rng.normal(9, 1, 600))
              for i in range(30)]
    (tmp_path / "big.tsf").write_text("\n".join(lines) + "\n")
    task = runner.profile({"task": "forecast", "data": str(tmp_path / "big.tsf")})
    assert task.config.windows_per_epoch == defaults.WINDOWS_PER_EPOCH
    assert task.config.batch_size == defaults.LARGE_BATCH
    assert "each epoch draws 12,800" in task.resolved["windows_per_epoch"]["reason"]


def test_an_epoch_trains_on_windows_drawn_afresh():
    values = [np.arange(200.0) + 1000 * i for i in range(3)]
    data = training_data(SeriesCollection(list("abc"), [None] * 3, values))
    options = {"window": 8, "horizon": 2, "season": 1, "defaults": "fixed", "cell": "gru",
               "units": 4, "batch_size": 10}
    task = make_task("forecast", {**options, "windows_per_epoch": 100})
    task.prepare(data)
    dataset = task.dataset(data, training=True)
    assert int(dataset.cardinality()) == 10

    def drawn():
        # A window's last value over its level tells it apart from every other window.
        return np.concatenate([x.numpy()[:, -1, 0] for x, _, _ in dataset])

    first, second = drawn(), drawn()
    assert len(first) == 100 and len(np.unique(first)) == 100  # none twice in an epoch
    assert set(first.tolist()) != set(second.tolist())  # drawn afresh
    every = make_task("forecast", options)
    every.prepare(data)
    assert int(every.dataset(data, training=True).cardinality()) == -(-len(
        every.training_origins(data)) // 10)


def test_a_collection_of_too_many_windows_trains_on_as_many_as_fit(monkeypatch, caplog):
    from rnn_keras.tasks.forecast import backtest
    from rnn_keras.tasks.forecast import task as forecast_task

    lengths = [30, 5, 60]  # 21, 1 (padded) and 51 windows of 8 + 2 values
    every = backtest.collection_origins(lengths, 8, 2)
    assert every == [(0, o) for o in range(8, 29)] + [(1, 3)] + [(2, o) for o in range(8, 59)]
    drawn = backtest.collection_origins(lengths, 8, 2, most=30, seed=1)
    assert len(drawn) == len(set(drawn)) == 30 and set(drawn) <= set(every)
    assert drawn == sorted(drawn)  # in the order of every window
    assert {i for i, _ in drawn} >= {0, 2}  # from across the collection
    assert drawn == backtest.collection_origins(lengths, 8, 2, most=30, seed=1)
    assert drawn != backtest.collection_origins(lengths, 8, 2, most=30, seed=2)
    assert backtest.collection_origins(lengths, 8, 2, most=73) == every

    # Through the task: at most `MOST_WINDOW_VALUES` values of windows, with a warning.
    monkeypatch.setattr(forecast_task, "MOST_WINDOW_VALUES", 300)  # 30 windows of 10
    values = [np.arange(float(n)) + 1 for n in lengths]
    data = training_data(SeriesCollection(["a", "b", "c"], [None] * 3, values))
    task = make_task("forecast", {"window": 8, "horizon": 2, "season": 1, "defaults": "fixed",
                                  "cell": "gru", "units": 4, "batch_size": 10})
    with caplog.at_level("WARNING", logger="rnn_keras"):
        task.prepare(data)
    assert "73 training windows of 10 values: training on 30 of them" in caplog.text
    assert task.training_origins(data) == backtest.collection_origins(lengths, 8, 2, 30, 0)
    assert int(task.dataset(data, training=True).cardinality()) == 3


def _chosen_given(profile, given):
    return {d.option: d.value for d in defaults.data_defaults(profile, given)
            if d.option in ("calendar", "series_identity")}


def test_scaling_follows_the_share_of_series_that_fail_the_kpss_level_test():
    def scaling(trending):
        profile = {**_profile(1, length=144), "trending": trending}
        return {d.option: d for d in defaults.data_defaults(profile)}.get("scaling")

    assert scaling(1.0).value == "last" and "100% of series" in scaling(1.0).reason
    assert scaling(0.6).value == "last"
    assert scaling(0.5).value == "window"
    assert scaling(0.0).value == "window"
    # A profile written before the test (no `trending`) resolves no scaling.
    assert scaling(None) is None


def test_trending_series_of_a_strong_season_average_members_anchored_on_naive2():
    def resolved(trending, seasonality, frequency="monthly", length=144, given=None, found=None):
        profile = {**_profile(1, frequency, length=length), "trending": trending,
                   "seasonality": seasonality}
        if found is not None:
            profile["found_season"] = found
        rules = {d.option: d for d in defaults.data_defaults(profile, given)}
        return rules["scaling"].value, rules.get("adjusted_members")

    scaling, members = resolved(1.0, {"12": 0.81})  # as JSON keys come back from task.json
    assert scaling == "last" and members.value is True
    assert "seasonal strength 0.81 at season 12" in members.reason
    assert resolved(1.0, {12: 0.5})[1].value is True  # FOUND_STRENGTH
    assert resolved(1.0, {12: 0.49}) == ("last", None)
    assert resolved(1.0, {}) == ("last", None)  # not measured
    assert resolved(0.0, {12: 0.9}) == ("window", None)  # a level: no anchor
    # The window holds the season twice, or the seasonal indices are not estimated.
    assert resolved(1.0, {12: 0.9}, given={"window": 23}) == ("last", None)
    assert resolved(1.0, {12: 0.9}, given={"window": 24})[1].value is True
    # The strength at the season given, not at the frequency's.
    assert resolved(1.0, {12: 0.9, 6: 0.2}, given={"season": 6}) == ("last", None)
    # A scaling given: members anchored on Naive2 beside `last` only.
    assert resolved(1.0, {12: 0.9}, given={"scaling": "last"})[1].value is True
    assert resolved(1.0, {12: 0.9}, given={"scaling": "window"})[1] is None
    # A season found in values of unknown frequency: its strength.
    found = {"period": 7, "strength": 0.68, "change_strength": 0.55, "sharpness": 0.68}
    assert resolved(1.0, None, None, 200, found=found)[1].value is True
    assert resolved(1.0, None, None, 200, found={**found, "strength": 0.4})[1] is None
    assert resolved(1.0, None, "yearly", 40) == ("last", None)


def test_every_third_member_is_anchored_on_naive2():
    task = make_task("forecast", {"adjusted_members": True, "scaling": "last"})
    adjusted = {"scaling": "adjusted", "adjusted_members": False}
    assert [task.member_options(i) for i in range(6)] == [{}, {}, adjusted, {}, {}, adjusted]
    assert make_task("forecast", {"scaling": "last"}).member_options(2) == {}


def test_the_trend_test_leaves_out_the_backtest_and_validation_ends():
    rng = np.random.default_rng(0)
    level = rng.normal(size=120)
    # 120 monthly values: horizon 15 (an eighth), so 15 + 4 + 15 = 34 are held out,
    # and the jump at 90 lies in them.
    jumped = np.concatenate([level[:90], level[90:] + 30])
    data = training_data(SeriesCollection(["s"], [at(2000, 1, 1)], [jumped], frequency="monthly"))
    profile = defaults.profile(data)
    assert {d.option: d.value for d in defaults.data_defaults(profile)}["horizon"] == 15
    assert defaults.with_tests(profile, data)["trending"] == 0.0
    # A shorter horizon the user gives (16 held out) leaves the jump in what is tested...
    assert defaults.with_tests(profile, data, {"horizon": 6})["trending"] == 1.0
    # ... and more backtest origins (31 held out) take it out again.
    assert defaults.with_tests(profile, data, {"horizon": 6, "origins": 20})["trending"] == 0.0


@pytest.mark.parametrize(
    "frequency, year, week, horizon, window",
    [("daily", 365, 7, 14, 28), ("business_daily", 261, 5, 10, 20)],
)
def test_a_daily_series_that_follows_the_year_takes_the_year_as_its_season(
    frequency, year, week, horizon, window
):
    rng = np.random.default_rng(4)
    steps = np.arange(4 * year)
    yearly = 15 + 8 * np.sin(2 * np.pi * steps / year) + 2 * rng.normal(size=steps.size)
    pattern = [0.0] * (week - 2) + [6, 6]
    weekly = 15 + np.tile(pattern, steps.size // week + 1)[: steps.size] + rng.normal(
        size=steps.size
    )

    def resolved(values):
        collection = SeriesCollection(["s"], [at(2012, 1, 2)], [values], frequency=frequency)
        data = training_data(collection)
        profile = defaults.with_tests(defaults.profile(data), data)
        return profile, {d.option: d for d in defaults.data_defaults(profile)}

    profile, chosen = resolved(yearly)
    assert profile["seasonality"][year] > 0.8 > 0.1 > profile["seasonality"][week]
    assert chosen["season"].value == year and f"{year} 0.8" in chosen["season"].reason
    # The window still covers two horizons or two weeks; the calendar gives the
    # (week)day of the year, with several training windows for each.
    assert chosen["window"].value == window and chosen["horizon"].value == horizon
    assert chosen["calendar"].value is True
    _, chosen = resolved(weekly)
    assert chosen["season"].value == week
    # A profile without the measurements (written before them) keeps the shortest cycle.
    profile = defaults.profile(training_data(
        SeriesCollection(["s"], [at(2012, 1, 2)], [yearly], frequency=frequency)))
    assert {d.option: d.value for d in defaults.data_defaults(profile)}["season"] == week


def test_the_window_covers_the_season_and_horizon_given():
    def window(profile, given=None):
        return {d.option: d for d in defaults.data_defaults(profile, given)}["window"]

    # Monthly, 144 values: two M4 horizons (18); a horizon given counts instead.
    monthly = _profile(1, length=144)
    assert window(monthly).value == 36
    assert window(monthly, {"horizon": 6}).reason == "two cycles of 12 or two horizons (24)"
    # Two horizons of 24 are more than half of what the series keeps to train on.
    assert window(monthly, {"horizon": 24}).reason == (
        "half of the 92 values a typical series keeps to train on")
    # A known frequency's window keeps its shortest cycle, whatever season is given.
    assert window(monthly, {"season": 6, "horizon": 6}).value == 24
    # Unknown frequency: a season given replaces the one found (elecdaily's demand
    # alone: 84 found, a week given).
    found = {"period": 84, "strength": 0.73, "change_strength": 0.81, "sharpness": 0.66}
    unknown = {**_profile(1, frequency=None, length=365), "found_season": found}
    assert window(unknown).value == 168
    assert window(unknown, {"season": 7}).reason == "two cycles of 7 or two horizons (24)"
    assert window(unknown, {"season": 7, "horizon": 14}).value == 28
    assert window(unknown, {"window": 10}).value == 168  # given, it is not resolved


def test_a_long_series_is_backtested_over_its_last_tenth():
    def origins(length, horizon=14):
        return {d.option: d.value for d in defaults.origins_defaults(length, horizon)}.get(
            "origins", defaults.ORIGINS
        )

    # 1,460 values: the last 146, 133 origins of 14 steps, at most 100.
    assert origins(1460) == 100
    assert origins(1100) == 110 - 14 + 1
    # Up to 1,000 values, or where a tenth gives no more than five: five.
    assert origins(1000) == origins(144, 18) == 5
    assert origins(1100, 106) == 5
    # The tests of the profile leave out what the origins hold out: a jump in the
    # last 110 values of 1,460 is in the backtest, not in what is tested.
    rng = np.random.default_rng(5)
    values = rng.normal(size=1460)
    values[-110:] += 30
    data = training_data(SeriesCollection(["s"], [at(2012, 1, 1)], [values], frequency="daily"))
    profile = defaults.profile(data)
    assert defaults.with_tests(profile, data)["trending"] == 0.0
    assert defaults.with_tests(profile, data, {"origins": 5})["trending"] == 1.0
