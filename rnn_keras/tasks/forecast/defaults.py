"""The forecast task's data profile and the options it resolves.

The profile is taken from the whole training file before anything is held
out, since what is held out depends on the horizon. The series' frequency
(from their timestamps, or a `.tsf` header) sets the season (5, 10, 15
minutes: a day of steps; hourly 24, daily 7, business days 5, weekly 52,
monthly 12, quarterly 4, yearly none) and the horizon (the file's own,
else the M4 competition's for the frequency, at most an eighth of the
typical series); the window covers
two seasons or two horizons, at most half of what a typical series keeps
to train on. Where a frequency has a longer cycle too (hourly 168, daily
365, business days 261) and the series are long enough to measure it,
the season is the longer one when its seasonality is clearly the
stronger (`SEASON_MARGIN`): daily temperatures follow the year, not the
week. The window then still covers two of the shorter cycles or two
horizons, and the calendar feature, where on, gives the position in the
longer one. Data of unknown frequency (no timestamps, or steps of no
known frequency) get the season found in their values
(`profile.find_season`: the shortest of the strongest cycles, where it is
clearly seasonal both in the values and in their changes, or stands out
sharply from the periods beside it; else none)
and the declared horizon, at most an eighth of the typical series. A small
collection gets the airline forecaster's recipe (`benchmarks/README.md`).

The series identity and calendar features are embedded ids, learnt from
the training windows that carry them: each is on when its ids get enough
windows on average (`WINDOWS_PER_POSITION`, `WINDOWS_PER_SERIES`), the
calendar only where the series' start times and frequency place every
window in the calendar (`features.has_calendar`). The thresholds lie
between the sets measured with and without them (`benchmarks/README.md`).

A collection of more than `WINDOWS_PER_EPOCH` training windows trains on
that many drawn afresh each epoch, in batches of `LARGE_BATCH`, as DeepAR
draws a fixed number of batches an epoch: an epoch over every window of
M4 hourly's size takes minutes.

The scaling follows a stationarity test, as the order of differencing does
in statistical forecasting (auto.arima's `ndiffs`): where most series fail
the KPSS level test at 5% on the values they train on (`trending_share`),
trending or wandering like a random walk, the model forecasts the change
from each window's last value (`scaling="last"`); where most hold a level
(cycles, mean-reverting series), each window is scaled by its level alone.
Where they trend and their season is strong, every third member of an
average forecasts instead from the last value seasonally adjusted, the
season put back (Naive2: `adjusted_members`).
"""

import math

from rnn_keras.data.series_readers import default_horizon
from rnn_keras.data.series_readers import seasonal_periods
from rnn_keras.profile import find_season
from rnn_keras.profile import seasonal_strengths
from rnn_keras.profile import series_profile
from rnn_keras.profile import trending_share
from rnn_keras.profile.series import FOUND_CHANGE_STRENGTH
from rnn_keras.profile.series import FOUND_STRENGTH
from rnn_keras.tasks.defaults import Default
from rnn_keras.tasks.defaults import size_reason
from rnn_keras.tasks.forecast.config import ForecastConfig
from rnn_keras.tasks.forecast.features import has_calendar

# Up to this many training values a collection gives a few dozen windows: a
# small network, trained long with a long patience, three of them averaged
# (`seeds=3`). Seeds 0-2, backtest MASE of the networks' forecasts (before
# their combination with the seasonal naive forecast), the members' mean ->
# their average: airline 0.672 -> 0.622, shampoo 0.761 -> 0.699, lynx 0.633 -> 0.617, and on
# seven public series outside `../shared/datasets` (pmdarima's wineind,
# ausbeer, woolyrnq, austres; champagne, writing paper, seatbelts) better on
# every one, 1% to 12% (`benchmarks/README.md`).
SHORT_SERIES = 1000
# The horizon is at most this share of the median series length, so the
# backtest and the validation part leave most of a series to train on.
HORIZON_SHARE = 1 / 8
# Backtest origins and validation: the values every rule leaves to train on.
ORIGINS = 5
# Series longer than this (a typical one) are backtested over their last
# tenth, at most `MAX_ORIGINS` origins: five origins of a daily series are a
# few weeks of one season. Seattle's daily maximum temperatures (1,461 days),
# seed 0: over 5 origins (18 days of December) the model's MAE was 1.48x the
# naive forecast's, over 100 (Sep-Dec) 0.97x; AutoETS's 1.02x and 0.98x.
LONG_SERIES = 1000
BACKTEST_SHARE = 0.1
# AutoETS and AutoTheta are fitted at most five times a series over them
# (`backtest.STATISTICAL_FITS`).
MAX_ORIGINS = 100
# The calendar is on from this many training windows per position of the season
# (airline: 4.3, on, MASE 1.67 → 0.95; shampoo: 0.75, off, 0.81 → 0.84).
WINDOWS_PER_POSITION = 2
# Above this share of trending series (`trending_share`) the model forecasts changes.
TRENDING_SHARE = 0.5
# A longer cycle of the frequency is the season where its seasonal strength
# (`profile.seasonal_strength`, on the values trained on) is above the
# shortest cycle's by this much. Daily maximum temperatures of Seattle
# (2012-2015, vega_datasets): week 0.005, year 0.77; season 7 gave a backtest
# MASE 2.9x the naive forecast's, season 365 with the day of the year 1.5x.
# Hourly temperatures: day 0.840, week 0.842: the day stays.
SEASON_MARGIN = 0.1
# Above this many training windows an epoch draws this many afresh at random
# (`windows_per_epoch`), in batches of `LARGE_BATCH`: 414 hourly series of
# 700-1,000 values (M4 hourly's size) give about 246,000 windows, and an epoch
# over all of them in batches of 16 took 81-102 s here (200 epochs: hours).
# GluonTS's DeepAR draws 50 batches of 32 an epoch, whatever the data.
WINDOWS_PER_EPOCH = 12_800
LARGE_BATCH = 64
# Series identity is on from this many training windows per series. MASE without →
# with it, seeds 0-2 (benchmarks/README.md): M1 yearly, about 1 each: 3.45 → 3.49;
# fpp2's prisonLF, 15: 1.77 → 2.24 (each series' offset learnt from windows of the
# same few years); visnights, 28: 1.57 → 1.54; the generated monthly collection, 37:
# 1.00 → 0.88; vega's US industries, 42: 0.42 → 0.43; stocks, 45: 1.69 → 1.59;
# aus_accommodation, 31: 1.45 → 1.47; aus_arrivals, 84: 1.00 → 1.00.
WINDOWS_PER_SERIES = 20


def profile(data):
    """The profile of `ForecastData`: `series_profile`, frequency, the file's horizon, start times.

    `with_tests` adds the share of trending series and the seasonal strengths.
    """
    series = data.series
    return {
        **series_profile(data.values),
        "frequency": series.frequency,
        "file_horizon": series.horizon,
        "values": int(sum(len(v) for v in data.values)),
        "timestamps": all(start is not None for start in series.starts),
    }


def with_tests(profile, data, given=None, origins=ORIGINS):
    """`profile` with the tests of what the series train on: `trending` and `seasonality`.

    `trending` is the share of series that fail the KPSS level test;
    `seasonality` the seasonal strength of each cycle of the frequency
    (`{period: strength}`, where the series are long enough). Each series is
    tested without what the backtest's origins and the validation forecast
    hold out of its end: the origins and horizon given (in `given`), else the
    rules', else `origins` and the declared horizon.
    """
    given = given or {}
    chosen = {**{d.option: d.value for d in data_defaults(profile, given)}, **given}
    horizon = int(chosen.get("horizon", ForecastConfig().horizon))
    held_out = held_out_values(horizon, int(chosen.get("origins", origins)))
    periods = seasonal_periods(profile["frequency"])
    tests = {
        "trending": trending_share(data.values, held_out),
        "seasonality": seasonal_strengths(data.values, periods, held_out),
    }
    if profile["frequency"] is None:
        tests["found_season"] = find_season(data.values, held_out)
    return {**profile, **tests}


def data_defaults(profile, given=None):
    """The `Default`s of data with this `profile`.

    Args:
        profile: `profile`'s dict.
        given: `dict` of the options the user set, name to value: the
            feature rules count windows with the given season, window and
            horizon where set. Defaults to `None` (none given).
    """
    given = given or {}
    frequency = profile["frequency"]
    length = int(profile["length"]["median"])
    rules = []
    if frequency is not None:
        rules += frequency_defaults(
            frequency, profile["file_horizon"], length, profile.get("seasonality"), given
        )
    else:
        rules += unknown_frequency_defaults(profile["file_horizon"], length,
                                            profile.get("found_season"), given)
    chosen = {**{d.option: d.value for d in rules}, **given}
    declared = ForecastConfig()
    season, window, horizon = (
        int(chosen.get(name, getattr(declared, name))) for name in ("season", "window", "horizon")
    )
    rules += feature_defaults(profile, season, window, horizon)
    rules += epoch_defaults(profile, window, horizon)
    rules += origins_defaults(length, horizon)
    rules += scaling_defaults(profile.get("trending"), season_strength(profile, season), season,
                              window, given.get("scaling"))
    values = profile["values"]
    if values <= SHORT_SERIES:
        size = size_reason(values, "training values")
        rules += [
            Default("cell", "gru", f"{size}: GRU (airline recipe)"),
            Default("units", 32, f"{size}: 32 units (airline recipe)"),
            Default("epochs", 300, f"{size}: few windows per epoch"),
            Default("patience", 60, f"{size}: airline recipe"),
            Default("seeds", 3, f"{size}: three models averaged, short series vary by seed "
                    "(the networks' MASE, members' mean -> their average: shampoo 0.761 -> "
                    "0.699, airline 0.672 -> 0.622); --seeds 1 trains one"),
        ]
    return rules


def frequency_defaults(frequency, file_horizon, length, seasonality=None, given=None):
    """Season, horizon and window of series at `frequency`, typically `length` values long.

    `seasonality`: `{period: strength}` (`with_tests`), or `None` (the
    shortest cycle is the season). The window covers two of the
    frequency's shortest cycles or two horizons: the horizon `given`
    (`{option: value}`, the options the user set), else the rule's.
    """
    periods = [p for p in seasonal_periods(frequency) if 2 * p <= length]
    cycle = periods[0] if periods else 1
    season = cycle
    if cycle > 1:
        season_reason = f"{frequency} series: season {season}"
    else:
        season_reason = f"{frequency} series of {length} values: no season to compare with"
    strengths = {int(p): s for p, s in (seasonality or {}).items()}
    if cycle in strengths:
        for period in periods[1:]:
            if strengths.get(period, 0.0) > strengths[season] + SEASON_MARGIN:
                season = period
        measured = ", ".join(f"{p} {strengths[p]:.2f}" for p in periods if p in strengths)
        season_reason = f"{frequency} series: season {season} (seasonal strength {measured})"
    standard = default_horizon(frequency) or season * 2 or 1
    horizon = horizon_default(file_horizon, standard, f"{frequency}: M4 horizon", length)
    given = given or {}
    return [
        Default("season", season, season_reason),
        horizon,
        window_default(cycle, given.get("horizon", horizon.value), length),
    ]


def unknown_frequency_defaults(file_horizon, length, found=None, given=None):
    """Season, horizon and window of series of unknown frequency, typically `length` values long.

    `found` is `find_season`'s answer (`with_tests`), or `None` (not yet
    tested: no season rule). The horizon is the file's, else the declared
    default, at most an eighth of the typical series. The window covers
    two seasons or two horizons, each the one `given` (`{option: value}`,
    the options the user set) where there is one, else the rule's.
    """
    rules = []
    cycle = 1
    if found is not None:
        cycle = found["period"] or 1
        if found["strength"] is None:
            reason = f"unknown frequency, series of {length} values: too short to find a season"
        else:
            measured = (f"seasonal strength {found['strength']:.2f}, of the changes "
                        f"{found['change_strength']:.2f}, above the periods beside it "
                        f"{found['sharpness']:.2f}")
            if found["period"]:
                reason = f"unknown frequency: season {cycle} found in the values ({measured})"
            else:
                reason = (f"unknown frequency: no season in the values (the strongest, "
                          f"{measured}: under {FOUND_STRENGTH} or {FOUND_CHANGE_STRENGTH}, "
                          "and not sharp)")
        rules.append(Default("season", cycle, reason))
    given = given or {}
    standard = ForecastConfig().horizon
    horizon = horizon_default(file_horizon, standard, "unknown frequency: declared", length)
    window = window_default(given.get("season", cycle), given.get("horizon", horizon.value),
                            length)
    return rules + [horizon, window]


def horizon_default(file_horizon, standard, source, length):
    """The horizon: the file's, else `standard` (from `source`) at most 1/8 of `length` values."""
    if file_horizon:
        return Default("horizon", int(file_horizon), "the file's horizon")
    horizon = min(standard, max(1, math.floor(length * HORIZON_SHARE)))
    reason = f"{source} {standard}" + (
        f", at most 1/8 of {length} values" if horizon < standard else ""
    )
    return Default("horizon", int(horizon), reason)


def window_default(cycle, horizon, length):
    """The window: two cycles or two horizons, at most half of what a typical series trains on."""
    kept = length - held_out_values(horizon, ORIGINS)
    window = max(2 * cycle, 2 * horizon)
    reason = f"two cycles of {cycle} or two horizons ({window})"
    if window > max(horizon, kept // 2):
        window = max(horizon, kept // 2)
        reason = f"half of the {kept} values a typical series keeps to train on"
    return Default("window", int(window), reason)


def held_out_values(horizon, origins):
    """The values held out of a series' end: the backtest's, then the validation's before them."""
    return horizon + origins - 1 + horizon + validation_origins(origins) - 1


def validation_origins(origins):
    """The validation's origins beside a backtest of `origins`: one, or as many beyond five.

    A long series' validation then spans as much as its backtest: early
    stopping and the interval's calibration read more than one stretch of
    `horizon` values. Seattle's daily temperatures, seed 0, 100 origins:
    validating on 14 values, MASE 0.724 and 80% coverage 0.46; on 113,
    0.621 and 0.756.
    """
    return origins if origins > ORIGINS else 1


def origins_defaults(length, horizon):
    """`origins` of series typically `length` values long: their last tenth, where long."""
    if length <= LONG_SERIES:
        return []
    origins = min(MAX_ORIGINS, math.floor(length * BACKTEST_SHARE) - horizon + 1)
    if origins <= ORIGINS:
        return []
    return [Default("origins", origins, f"series of {length:,} values: backtest over the last "
                    f"tenth, {origins} origins (at most {MAX_ORIGINS})")]


def training_windows(length, window, horizon):
    """About how many training windows a series of `length` values gives (at least 1).

    What the backtest (`ORIGINS` origins) and the validation forecast hold
    out of its end is not trained on; every window then needs a full
    target (`backtest.training_origins`).
    """
    return max(1, length - held_out_values(horizon, ORIGINS) - horizon - window + 1)


def collection_windows(profile, window, horizon):
    """`(per_series, windows)`: about how many training windows a typical series and all give."""
    per_series = training_windows(int(profile["length"]["median"]), window, horizon)
    return per_series, profile["examples"] * per_series


def feature_defaults(profile, season, window, horizon):
    """`calendar` and `series_identity`: on where their ids each get enough training windows."""
    series = profile["examples"]
    frequency = profile["frequency"]
    per_series, windows = collection_windows(profile, window, horizon)
    count = f"about {windows:,} training windows"
    if not profile.get("timestamps") or not has_calendar(frequency, season):
        calendar = Default(
            "calendar", False,
            f"{frequency or 'unknown frequency'}, season {season}"
            + ("" if profile.get("timestamps") else ", no start times")
            + ": no calendar position",
        )
    else:
        per_position = windows / season
        on = per_position >= WINDOWS_PER_POSITION
        calendar = Default(
            "calendar", on,
            f"{count}, {per_position:.1f} per position of the season ("
            + ("at least" if on else "fewer than") + f" {WINDOWS_PER_POSITION})",
        )
    if series < 2:
        identity = Default("series_identity", False, "one series")
    else:
        on = per_series >= WINDOWS_PER_SERIES
        identity = Default(
            "series_identity", on,
            f"{series:,} series of about {per_series:,} training windows each ("
            + ("at least" if on else "fewer than") + f" {WINDOWS_PER_SERIES})",
        )
    return [calendar, identity]


def epoch_defaults(profile, window, horizon):
    """`windows_per_epoch` and `batch_size` where there are over `WINDOWS_PER_EPOCH` windows."""
    _, windows = collection_windows(profile, window, horizon)
    if windows <= WINDOWS_PER_EPOCH:
        return []
    count = f"about {windows:,} training windows"
    return [
        Default("windows_per_epoch", WINDOWS_PER_EPOCH,
                f"{count}: each epoch draws {WINDOWS_PER_EPOCH:,} of them afresh"),
        Default("batch_size", LARGE_BATCH, f"{count}: batches of {LARGE_BATCH}"),
    ]


def season_strength(profile, season):
    """The seasonal strength at `season` that the profile measured (`None`: not measured)."""
    found = profile.get("found_season")
    if found is not None and found.get("period") == season:
        return found["strength"]
    strengths = {int(p): s for p, s in (profile.get("seasonality") or {}).items()}
    return strengths.get(season)


def scaling_defaults(trending, strength=None, season=1, window=0, scaling=None):
    """`scaling` from the share of trending series (none for a profile without it).

    Trending series whose season is strong (`strength` at `season` of at
    least `FOUND_STRENGTH`) and that the window holds twice also train
    every third member of an average anchored on Naive2
    (`adjusted_members`), where the scaling is `last` (resolved, or the
    `scaling` given): the two anchors err differently. On 22 public series
    of such a season (seed 0), two members anchored on the last value and
    one on Naive2 erred less than three on the last value: geometric mean
    of the MASE ratios 0.933, worse by over 1% on 4 (at most 4.4%), below
    the seasonal naive forecast on 18 where 14 were (`benchmarks/README.md`).
    """
    if trending is None:
        return []
    tested = f"{trending:.0%} of series fail the KPSS level test"
    if trending <= TRENDING_SHARE:
        return [Default("scaling", "window", f"{tested}: scale each window by its level")]
    rules = [Default("scaling", "last", f"{tested}: forecast the change from the last value")]
    if (strength is not None and strength >= FOUND_STRENGTH and season >= 2
            and window >= 2 * season and scaling in (None, "last")):
        rules.append(Default(
            "adjusted_members", True,
            f"{tested}, seasonal strength {strength:.2f} at season {season}: every third "
            "member of an average anchored on the seasonally adjusted last value (Naive2)",
        ))
    return rules
