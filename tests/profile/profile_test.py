import numpy as np
import pytest

from rnn_keras.profile import find_season
from rnn_keras.profile import kpss_level
from rnn_keras.profile import label_profile
from rnn_keras.profile import series_profile
from rnn_keras.profile import tag_profile
from rnn_keras.profile import tag_scheme
from rnn_keras.profile import text_profile
from rnn_keras.profile import seasonal_strength
from rnn_keras.profile import seasonal_strengths
from rnn_keras.profile import trending_share

SENTENCES = [
    "The film was good, and the actors too.",
    "A plot never seen before!",
    "Quite a story: the music is very good.",
]
DATES = ["12 March 1976", "Tuesday, March 12, 1976", "3/12/76", "1976-03-12", "12.03.1976"]


def test_sentences_are_language_and_dates_symbols():
    language = text_profile(SENTENCES)
    assert language["kind"] == "language"
    assert language["word_share"] > 0.7
    symbols = text_profile(DATES)
    assert symbols["kind"] == "symbols"
    assert symbols["word_share"] < 0.5
    assert text_profile(["12+35", "7+800", "66+1"])["kind"] == "symbols"


def test_text_without_spaces_is_unsegmented():
    assert text_profile(["我们今天去北京看看长城吧", "他喜欢在公园里散步和读书"])["kind"] == "unsegmented"
    assert text_profile(["ACGTTGACCATGGATTACAGATTACA", "TTGACCAGGATACAGATTACAGGA"])["kind"] == (
        "unsegmented"
    )


def test_sizes_lengths_and_unseen_share_by_hand():
    profile = text_profile(["a b c", "a b"], valid_texts=["a d", "e"])
    assert profile["examples"] == 2
    assert profile["vocabulary"] == 3
    assert profile["tokens"] == {"min": 2.0, "median": 2.5, "p95": pytest.approx(2.95), "max": 3.0}
    assert profile["characters"]["max"] == 5.0
    # d and e are unseen: 2 of the 3 validation tokens.
    assert profile["unseen_valid_tokens"] == pytest.approx(2 / 3, abs=1e-4)
    assert profile["singletons"] == pytest.approx(1 / 3)
    assert text_profile(["a b"])["unseen_valid_tokens"] is None


def test_token_lists_are_profiled_as_given_and_case_folded():
    profile = text_profile([["Ana", "visited", "Paris"]], [["ana", "Lima"]])
    assert profile["vocabulary"] == 3
    assert profile["unseen_valid_tokens"] == 0.5


@pytest.mark.parametrize(
    "tags, scheme",
    [
        (["O", "B-PER", "I-PER", "B-LOC"], "bio"),
        (["O", "I-PER", "I-LOC", "B-LOC"], "bio"),  # IOB1
        (["O", "B-PER", "E-PER", "S-LOC", "I-ORG"], "iobes"),
        (["NOUN", "VERB", "DET", "ADP"], None),
        (["O", "X-PER"], None),
        (["O"], None),
    ],
)
def test_tag_scheme(tags, scheme):
    assert tag_scheme(tags) == scheme


def test_tag_and_label_profiles():
    profile = tag_profile([["O", "B-PER", "I-PER"], ["O", "O", "B-LOC"]])
    assert profile == {"tags": 4, "scheme": "bio", "entity_token_share": 0.5}
    labels = label_profile(["a"] * 6 + ["b"] * 3 + ["c"])
    assert labels == {"classes": 3, "majority_share": 0.6, "imbalance": 6.0}


def test_series_scale_channels_and_normalisation():
    rng = np.random.default_rng(0)
    raw = [rng.normal(100, 5, size=n) for n in (20, 30, 25)]
    profile = series_profile(raw)
    assert profile["examples"] == 3
    assert profile["length"]["min"] == 20 and profile["length"]["max"] == 30
    assert profile["channels"] == 1
    assert profile["mean"] == pytest.approx(np.concatenate(raw).mean())
    assert not profile["normalised"]
    normalised = [(s - s.mean()) / s.std() for s in raw]
    assert series_profile(normalised)["normalised"]
    multivariate = series_profile([rng.normal(size=(12, 6)), rng.normal(size=(9, 6))])
    assert multivariate["channels"] == 6
    assert multivariate["length"]["max"] == 12
    # The spread of the series' own deviations: 90th over 10th percentile (NumPy's).
    scales = [0.01 * 10.0**k for k in range(11)]
    spread = series_profile([rng.normal(0, scale, size=50) for scale in scales])
    assert spread["scale_spread"] == pytest.approx(10**8, rel=0.5)
    assert series_profile(raw)["scale_spread"] < 2
    assert series_profile([np.zeros(10)] * 9 + [np.ones(10)])["scale_spread"] is None


@pytest.mark.parametrize("length", [30, 120, 400])
def test_kpss_level_agrees_with_statsmodels(length):
    stattools = pytest.importorskip("statsmodels.tsa.stattools")
    rng = np.random.default_rng(length)
    for values in (rng.normal(size=length), np.cumsum(rng.normal(size=length))):
        lags = int(3 * np.sqrt(length) / 13)
        expected = stattools.kpss(values, regression="c", nlags=lags)[0]
        assert kpss_level(values) == pytest.approx(expected, rel=1e-9)


def test_kpss_level_tells_a_level_from_a_trend_and_a_random_walk():
    rng = np.random.default_rng(0)
    noise = rng.normal(size=200)
    assert kpss_level(noise) < 0.463
    assert kpss_level(np.arange(200) * 0.05 + noise) > 0.463
    assert kpss_level(np.cumsum(noise)) > 0.463
    assert kpss_level(np.full(50, 3.0)) == 0.0
    with_gaps = np.cumsum(noise)
    with_gaps[::10] = np.nan
    assert kpss_level(with_gaps) == pytest.approx(kpss_level(with_gaps[np.isfinite(with_gaps)]))


def test_trending_share_tests_what_is_left_after_the_held_out_end():
    rng = np.random.default_rng(1)
    level = rng.normal(size=100)
    # A level that jumps in its last 20 values trends only when they are tested.
    jumps = np.concatenate([level[:80], level[80:] + 20])
    assert trending_share([jumps]) == 1.0
    assert trending_share([jumps], held_out=20) == 0.0
    walks = [np.cumsum(rng.normal(size=100)) + 50 * i for i in range(3)]
    assert trending_share([level, *walks]) == 0.75
    # Each channel of a multivariate series counts; series too short are left out.
    assert trending_share([np.stack([level, walks[0]], axis=1)]) == 0.5
    assert trending_share([level, rng.normal(size=9)]) == 0.0
    assert trending_share([rng.normal(size=14)], held_out=5) is None
    # A constant series (an indicator that never fires) does not vote.
    assert trending_share([walks[0], np.zeros(30)]) == 1.0
    assert trending_share([np.full(30, 3.0)]) is None


def test_seasonal_strength_finds_the_cycle_a_series_repeats():
    rng = np.random.default_rng(2)
    steps = np.arange(4 * 365)
    # Four years of daily values that follow the year, with weather on top.
    yearly = 10 * np.sin(2 * np.pi * steps / 365) + rng.normal(size=steps.size)
    assert seasonal_strength(yearly, 365) > 0.8
    assert seasonal_strength(yearly, 7) < 0.05
    # A trend is not a cycle: it is removed before the positions are averaged.
    weekly = np.tile([0.0, 0, 0, 0, 0, 3, 3], 200) + 0.01 * np.arange(1400) + rng.normal(size=1400)
    assert seasonal_strength(weekly, 7) > 0.6
    # What the position means of noise explain by chance is taken off.
    for period in (7, 24, 365):
        assert seasonal_strength(rng.normal(size=1500), period) < 0.1
    assert seasonal_strength(np.full(100, 2.0), 7) == 0.0
    assert seasonal_strength(np.arange(100.0), 7) == 0.0
    # The 2 x 12 centred average of an even period, checked by hand: a clean
    # cycle of 12 is all season.
    assert seasonal_strength(np.tile(np.arange(12.0), 6), 12) == pytest.approx(1.0)
    # Two periods of detrended values at least.
    assert seasonal_strength(rng.normal(size=19), 7) is None  # 13 detrended values
    assert seasonal_strength(rng.normal(size=20), 7) is not None
    # Shorter than the moving average itself (half-hourly days against a week).
    assert seasonal_strength(rng.normal(size=45), 336) is None


def test_find_season_takes_the_shortest_strong_cycle_and_no_wandering():
    rng = np.random.default_rng(4)
    steps = np.arange(240)
    monthly = 100 + steps + 20 * np.sin(2 * np.pi * steps / 12) + rng.normal(size=240)
    found = find_season([monthly])
    # 24 and 36 repeat the cycle of 12 as strongly: the shortest is the season.
    assert found["period"] == 12 and found["strength"] > 0.9
    assert found["change_strength"] > 0.25
    # The cycle only in the held-out end is not found; nor in noise.
    late = np.concatenate([rng.normal(size=200), monthly[200:] - monthly[200:].mean()])
    assert find_season([late], held_out=40)["period"] is None
    assert find_season([rng.normal(size=240)])["period"] is None
    # A random walk's wiggles can look like a long cycle in its values, not in its steps.
    for seed in range(7):
        walk = np.cumsum(np.random.default_rng(seed).normal(size=300))
        assert find_season([walk])["period"] is None, seed
    # Several series: their strengths averaged; too short for any period: nothing measured.
    assert find_season([monthly, monthly[::-1] + rng.normal(size=240)])["period"] == 12
    assert find_season([monthly[:7]]) == {"period": None, "strength": None,
                                          "change_strength": None, "sharpness": None}


def test_find_season_takes_a_sharp_cycle_in_noise_and_no_sharp_wandering():
    # A cycle in as much noise: weak in the steps, but far above the periods beside it.
    steps = np.arange(240)
    for seed in range(5):
        rng = np.random.default_rng(seed)
        noisy = np.sqrt(2) * np.sin(2 * np.pi * steps / 12) + rng.normal(size=240)
        found = find_season([noisy])
        assert found["period"] == 12 and found["change_strength"] < 0.25, seed
        assert found["sharpness"] > 4 / np.sqrt(240), seed
    # Noise, random walks and AR(1) series score alike at periods close together.
    for seed in range(20):
        rng = np.random.default_rng(100 + seed)
        noise = rng.normal(size=120)
        ar = np.zeros(120)
        for t in range(1, 120):
            ar[t] = 0.9 * ar[t - 1] + noise[t]
        for null in (noise, np.cumsum(noise), ar):
            assert find_season([null])["period"] is None, seed


def test_find_season_takes_a_weekly_cycle_before_a_multiple_that_few_cycles_span():
    # Daily demand: a weekday/weekend cycle, a slow yearly swing and autocorrelated
    # noise. Four cycles of 357 days measure strongest (a near-year of whole weeks
    # fits the swing); the week they repeat is the season.
    week = np.array([0, 0, 0, 0, 0, -1.5, -1.5]) + 0.43
    steps = np.arange(1460)
    for seed in range(3):
        rng = np.random.default_rng(seed)
        noise = rng.normal(0, 0.5, steps.size)
        ar = np.zeros(steps.size)
        for t in range(1, steps.size):
            ar[t] = 0.7 * ar[t - 1] + noise[t]
        demand = (10 + np.tile(week, 209)[: steps.size] + 2 * np.sin(2 * np.pi * steps / 365)
                  + ar)
        strengths = seasonal_strengths([demand[:-28]], [7, 357])
        assert strengths[357] > strengths[7] + 0.05, seed
        found = find_season([demand], held_out=28)
        assert found["period"] == 7 and found["strength"] == pytest.approx(strengths[7], abs=1e-3)
    # A fortnight whose second week is weaker, over 28 cycles: its own season, though
    # the week comes within 0.1 of it.
    rng = np.random.default_rng(0)
    fortnight = np.tile(np.concatenate([week, 0.4 * week]), 30)[:420] + rng.normal(0, 0.15, 420)
    strengths = seasonal_strengths([fortnight[:-28]], [7, 14])
    assert 0.05 < strengths[14] - strengths[7] < 0.1
    assert find_season([fortnight], held_out=28)["period"] == 14


def test_seasonal_strengths_average_the_series_long_enough_without_the_held_out_end():
    rng = np.random.default_rng(3)
    cycle = np.tile([0.0, 5.0, 0.0, -5.0], 30)
    noise = rng.normal(size=120)
    strengths = seasonal_strengths([cycle + 0.1 * noise, noise], (4, 12))
    assert strengths[4] == pytest.approx(
        (seasonal_strength(cycle + 0.1 * noise, 4) + seasonal_strength(noise, 4)) / 2
    )
    # The held-out end is not measured: a cycle only there does not count.
    late = np.concatenate([noise[:80], cycle[:40]])
    assert seasonal_strengths([late], (4,), held_out=40)[4] < 0.1
    assert seasonal_strengths([late], (4,))[4] > 0.1
    # Too short for a period, or with missing values: not counted.
    assert seasonal_strengths([noise[:20]], (12,)) == {}
    gaps = noise.copy()
    gaps[5] = np.nan
    assert seasonal_strengths([gaps, cycle], (4,))[4] == pytest.approx(seasonal_strength(cycle, 4))
