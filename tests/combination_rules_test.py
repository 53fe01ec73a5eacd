"""`benchmarks/combination_rules.py`: weight rules scored on the very models trained."""

import json
import os

import numpy as np
import pytest

import benchmark_scripts
from rnn_keras import runner


@pytest.fixture(scope="module")
def rules():
    return benchmark_scripts.load("combination_rules")


def test_rules_turn_validation_errors_into_weights(rules):
    # Errors over the 21 weights 0, 0.05, ..., 1: least at 0.8 (index 16), within
    # 1% of it from 0.7 (index 14), 4% better than the network alone.
    errors = [1.0] * 21
    errors[14], errors[15], errors[16] = 0.965, 0.97, 0.96
    assert rules.RULES["least error (the default)"](errors) == 0.8
    assert rules.RULES["capped at 0.5"](errors) == 0.5
    assert rules.RULES["capped at 0.7"](errors) == 0.7
    assert rules.RULES["halved"](errors) == 0.4
    assert rules.RULES["three quarters"](errors) == pytest.approx(0.6)
    assert rules.RULES["2% better than the network, else 0"](errors) == 0.8
    assert rules.RULES["5% better than the network, else 0"](errors) == 0.0
    assert rules.RULES["smallest within 1% of the least"](errors) == 0.7
    assert rules.RULES["mean of those within 2% of the least"](errors) == pytest.approx(0.75)
    assert rules.RULES["network alone"](errors) == 0.0
    assert rules.RULES["fixed 0.5"](errors) == 0.5


def test_naive2_partner_moves_the_last_value_by_the_seasonal_indices(rules):
    class Task:
        config = type("Config", (), {"season": 4, "horizon": 6})()

        def seasonal_naive(self, inputs):
            return rules.combination.seasonal_naive(inputs[..., 0], 6, 4)

    # A linear trend plus a season summing to 0: the centred moving average is the
    # trend, so the indices are the season itself, and Naive2 forecasts the last
    # value less its position's index plus each step's.
    season = np.array([3.0, -1.0, 0.5, -2.5])
    t = np.arange(12)
    window = 100.0 + 2.0 * t + season[t % 4]
    expected = window[-1] - season[11 % 4] + season[(11 + np.arange(1, 7)) % 4]
    np.testing.assert_allclose(rules.naive2(Task(), window[None, :, None])[0], expected)
    # A window short of two seasons: the seasonal naive forecast.
    short = window[None, -7:, None]
    np.testing.assert_array_equal(rules.naive2(Task(), short), Task().seasonal_naive(short))


def test_recent_shift_flags_a_level_shift_in_the_last_season(rules):
    rng = np.random.default_rng(0)
    t = np.arange(36)
    # Trend, season and noise: the seasonal differences hover around the trend's 24.
    steady = 100.0 + 2.0 * t + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, t.size)
    shifted = steady - 30.0 * (t >= 30)  # a fall of 30 six months before the end
    # A fall over a season before the end: the last season is all after it.
    earlier = steady - 30.0 * (t >= 20)
    windows = np.stack([steady, shifted, earlier])
    np.testing.assert_array_equal(
        rules.recent_shift(windows, 12, 1.5), [False, True, False]
    )
    # Under three seasons, or without a season: never flagged.
    assert not rules.recent_shift(windows[:, -35:], 12, 1.5).any()
    assert not rules.recent_shift(windows, 1, 1.5).any()

    # The partner after a shift: the alternative's forecast in the flagged window only.
    class Task:
        config = type("Config", (), {"season": 12, "horizon": 6})()

        def seasonal_naive(self, inputs):
            return rules.combination.seasonal_naive(inputs[..., 0], 6, 12)

    network = np.full((3, 6), -1.0)
    partner = rules.after_shift("network", 1.5)(Task(), windows[..., None], network)
    seasonal = Task().seasonal_naive(windows[..., None])
    np.testing.assert_array_equal(partner[[0, 2]], seasonal[[0, 2]])
    np.testing.assert_array_equal(partner[1], network[1])


def test_table_counts_sets_worse_and_better_than_the_network_alone(rules):
    def row(default, seasonal_naive):
        scores = {"seasonal_naive_mase": seasonal_naive, "auto_ets_mase": None}
        mases = {shown: 1.0 for shown in (*rules.RULES, *rules.PARTNER_RULES)}
        mases["least error (the default)"] = default
        return {"rules": {k: {"weight": 0.0, "mase": v} for k, v in mases.items()},
                "scores": scores}

    table = rules.table({"a": row(0.5, 2.0), "b": row(1.2, 1.0)}).splitlines()
    default = next(line for line in table if line.startswith("| least error"))
    # sqrt(0.5 * 1.2); b worse, a better; worst 1.2; sqrt(0.25 * 1.2); a below.
    assert default == ("| least error (the default) | 0.775 | 1 | 1 | 1.200 | 0.548 | "
                       "1 of 2 | – |")
    # A seasonal naive forecast without error (an intermittent series' zeros) gives no
    # ratio: the mean is over the others, and the set is not below it.
    table = rules.table({"a": row(0.5, 2.0), "b": row(1.2, 0.0)}).splitlines()
    default = next(line for line in table if line.startswith("| least error"))
    assert default == ("| least error (the default) | 0.775 | 1 | 1 | 1.200 | 0.250 | "
                       "1 of 2 | – |")


def test_rules_scored_on_an_average_as_training_scored_it(rules, tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    t = np.arange(96)
    values = 100 + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, t.size)
    months = [f"{2000 + i // 12}-{i % 12 + 1:02d}" for i in t]
    data = tmp_path / "monthly.csv"
    data.write_text("month,value\n" + "".join(f"{m},{v:.3f}\n" for m, v in zip(months, values)))
    folder = tmp_path / "avg"
    monkeypatch.setattr(rules.series, "data_file", lambda name: str(data))

    def trained(name):
        if not folder.exists():
            runner.train({"task": "forecast", "data": str(data), "cell": "gru", "units": 4,
                          "epochs": 2, "seeds": 2, "output": str(folder)}, verbose=0)
        return str(folder)

    monkeypatch.setattr(rules, "trained", trained)
    row = rules.record("monthly")
    assert len(row["validation_errors"]) == 2
    assert all(len(errors) == 21 for errors in row["validation_errors"])
    # The default rule gives the weight and MASE `metrics.json` reports for the average.
    default = row["rules"]["least error (the default)"]
    assert default["weight"] == pytest.approx(row["scores"]["seasonal_naive_weight"])
    assert default["mase"] == pytest.approx(row["scores"]["mase"])
    assert row["rules"]["network alone"]["mase"] == pytest.approx(row["scores"]["network_mase"])
    # Every partner is fitted on the same validation forecasts: at weight 0 (the
    # network alone) their errors are the seasonal naive partner's.
    for member, partners in zip(row["validation_errors"], row["partner_validation_errors"]):
        assert set(partners) == set(rules.PARTNERS) - {"seasonal naive"}
        for errors in partners.values():
            assert errors[0] == pytest.approx(member[0])
        for partner in ("Naive2", "mean of seasonal naive and Naive2"):
            assert partners[partner][1:] != member[1:]
    for shown in rules.PARTNER_RULES:
        assert row["rules"][shown]["weight"] in np.round(np.arange(0, 1.0001, 0.025), 3)
    # The windows refitted must give each member the weight training fitted.
    member = folder.parent / "avg-members" / "seed-0" / "task.json"
    saved = json.loads(member.read_text())
    fitted = saved["state"].get("seasonal_naive_weight", 0.0)
    saved["state"]["seasonal_naive_weight"] = 0.55 if fitted != 0.55 else 0.6
    member.write_text(json.dumps(saved))
    with pytest.raises(SystemExit, match="refitted"):
        rules.record("monthly")
    assert os.path.isdir(folder)
