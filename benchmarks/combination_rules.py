"""Rules for the seasonal naive forecast's weight, side by side on the very same trained models.

The forecast is `(1 - w) network + w seasonal naive`, `w` fitted on the
validation forecasts (`rnn_keras.tasks.forecast.combination`). For each
forecasting set of `series.py`, trains `rnn-keras train --task forecast --data
FILE --seed 0` once (defaults only; the model folder is kept under
`saved_models/combination-NAME` and reused when it exists), then:

- for each member model, the validation error of every weight of
  `combination.WEIGHTS` (`combination.fit_weight`, on the windows the task's
  calibration reads); the least-error weight must be the member's own
  (`seasonal_naive_weight` in its task state), a check that the windows are
  the training run's;
- each rule of `RULES` turns a member's validation errors into a weight (an
  average takes its members' mean weight, as training does), and the model
  scored (the members' average where the defaults train several) is
  backtested at that weight, as `metrics.json` scores it;
- the least-error weight again with another partner than the seasonal naive
  forecast (`PARTNERS`: Naive2, the mean of both, and the seasonal naive
  forecast but where a window's last season shifted, `recent_shift`, Naive2's
  or the network's own), fitted on the same validation forecasts and
  backtested the same way.

The table gives, over the sets, the geometric mean of the backtest MASE over
the network's alone, how many sets each rule makes worse or better than the
network alone by over 1%, the worst ratio, and the geometric means over the
seasonal naive forecast and (with statsforecast) AutoETS.

Usage (from the repository root):

    python benchmarks/combination_rules.py airline shampoo lynx --json out.json
"""

import argparse
import glob
import os
import subprocess
import sys

import numpy as np

from rnn_keras import runner
from rnn_keras.files import write_json
from rnn_keras.layers.window_scaling import seasonal_anchor_matrix
from rnn_keras.runner.seeds import member_folders
from rnn_keras.tasks.forecast import backtest
from rnn_keras.tasks.forecast import combination
from rnn_keras.tasks.forecast.task import history_of

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import series  # noqa: E402 - the benchmark's data files

WEIGHTS = np.asarray(combination.WEIGHTS)
# `recent_shift`'s thresholds tried, in standard deviations of the seasonal differences.
SHIFT_THRESHOLDS = (1.0, 1.5, 2.0)


def least(errors):
    return float(WEIGHTS[int(np.argmin(errors))])


def capped(cap):
    return lambda errors: min(least(errors), cap)


def shrunk(factor):
    return lambda errors: factor * least(errors)


def with_margin(margin):
    """The least-error weight where it beats the network alone by `margin`, else 0."""
    return lambda errors: least(errors) if min(errors) < (1 - margin) * errors[0] else 0.0


def smallest_within(tolerance):
    """The smallest weight whose error is within `tolerance` of the least."""
    def rule(errors):
        errors = np.asarray(errors)
        return float(WEIGHTS[np.flatnonzero(errors <= (1 + tolerance) * errors.min())[0]])
    return rule


def mean_within(tolerance):
    """The mean of the weights whose error is within `tolerance` of the least."""
    def rule(errors):
        errors = np.asarray(errors)
        return float(WEIGHTS[errors <= (1 + tolerance) * errors.min()].mean())
    return rule


RULES = {
    "least error (the default)": least,
    "network alone": lambda errors: 0.0,
    "fixed 0.5": lambda errors: 0.5,
    "capped at 0.5": capped(0.5),
    "capped at 0.7": capped(0.7),
    "halved": shrunk(0.5),
    "three quarters": shrunk(0.75),
    "2% better than the network, else 0": with_margin(0.02),
    "5% better than the network, else 0": with_margin(0.05),
    "smallest within 1% of the least": smallest_within(0.01),
    "mean of those within 2% of the least": mean_within(0.02),
}


def naive2(task, inputs):
    """Naive2's forecasts of `inputs` (the seasonal naive ones where a window holds < 2 seasons)."""
    c = task.config
    history = history_of(inputs)[..., 0].astype("float64")
    if c.season <= 1 or history.shape[1] < 2 * c.season:
        return task.seasonal_naive(inputs)
    return history @ seasonal_anchor_matrix(history.shape[1], c.horizon, c.season).T


def recent_shift(history, season, threshold):
    """`(windows,)` bool: each window's last season moved off its earlier seasons.

    A level shift within a window's last season (a law, a new measuring
    method) leaves the seasonal naive forecast repeating the values from
    before it. The test compares the mean of the last season's seasonal
    differences (`y_t - y_{t-m}`) with the mean of the earlier ones, in
    units of the earlier ones' standard deviation; above `threshold` the
    window shifted. Windows of under three seasons (two of differences)
    are never flagged, nor are series without a season.
    """
    windows, length = history.shape
    if season <= 1 or length < 3 * season:
        return np.zeros(windows, bool)
    differences = history[:, season:] - history[:, :-season]
    recent, earlier = differences[:, -season:], differences[:, :-season]
    spread = np.maximum(earlier.std(axis=1, ddof=1), 1e-12 * np.abs(history).mean(axis=1))
    return np.abs(recent.mean(axis=1) - earlier.mean(axis=1)) > threshold * spread


def after_shift(alternative, threshold):
    """The seasonal naive forecast, but `alternative`'s where a window shifted (`recent_shift`)."""
    def partner(task, inputs, network):
        seasonal = task.seasonal_naive(inputs)
        history = history_of(inputs)[..., 0].astype("float64")
        shifted = recent_shift(history, task.config.season, threshold)
        other = network if alternative == "network" else naive2(task, inputs)
        return np.where(shifted[:, None], other, seasonal)
    return partner


# The forecasts the network is combined with, by name:
# `(task, inputs, network) -> (windows, horizon)`.
PARTNERS = {
    "seasonal naive": lambda task, inputs, network: task.seasonal_naive(inputs),
    "Naive2": lambda task, inputs, network: naive2(task, inputs),
    "mean of seasonal naive and Naive2": (
        lambda task, inputs, network: 0.5 * (task.seasonal_naive(inputs) + naive2(task, inputs))
    ),
    **{
        f"seasonal naive, {alternative} after a shift of {threshold} sd": after_shift(
            alternative, threshold
        )
        for alternative in ("Naive2", "network")
        for threshold in SHIFT_THRESHOLDS
    },
}
# Rows of the least-error weight with another partner, by their name in the table.
PARTNER_RULES = {f"least error, partner {name}": name for name in list(PARTNERS)[1:]}


def trained(name):
    """The model folder of `name` trained with seed 0 and the defaults (trained if missing)."""
    folder = f"saved_models/combination-{name}"
    if not os.path.exists(os.path.join(folder, "metrics.json")):
        subprocess.run(
            [sys.executable, "-m", "rnn_keras", "train", "--task", "forecast",
             "--data", series.data_file(name), "--output", folder, "--overwrite",
             "--verbose", "0", "--no-export", "--seed", "0"],
            check=True,
        )
    return folder


def validation_errors(folder, name):
    """A member's validation error of each of `combination.WEIGHTS`, by partner."""
    task, model = runner.load(folder)
    valid, _ = series.held_out_parts(task, name)
    inputs, actual, scored = task._validation_windows(valid)
    network, _, _ = task.forecast(model, inputs, calibrated=False, combined=False)
    level = task.window_level(inputs)
    errors = {
        partner: combination.fit_weight(
            actual[..., 0], network, forecast(task, inputs, network), level, scored
        )
        for partner, forecast in PARTNERS.items()
    }
    weight, fitted = errors["seasonal naive"][0], combination.combination_weight(task.state)
    if weight != fitted:
        raise SystemExit(f"{folder}: weight {weight} refitted, {fitted} in training")
    return {partner: partner_errors for partner, (_, partner_errors) in errors.items()}


def backtest_mase(folder, name):
    """`(mase, scores)`: the backtest MASE by weight and partner, and `metrics.json`'s."""
    task, model = runner.load(folder)
    _, test = series.held_out_parts(task, name)
    origins = backtest.scored_origins(test, task.config.horizon)
    inputs, actual = task._windows(test, origins)
    actual = actual[..., 0].astype("float64")
    network, _, _ = task.forecast(model, inputs, combined=False)
    partners = {
        partner: forecast(task, inputs, network) for partner, forecast in PARTNERS.items()
    }
    scales = backtest.scales(test, task.config.season)

    def mase(weight, partner="seasonal naive"):
        point = combination.combined(weight, partners[partner], network)[0]
        return backtest.scores(actual, point, origins, scales)["mase"]

    metrics = series.read_json(os.path.join(folder, "metrics.json"))
    return mase, metrics[metrics["scored_on"]]


def record(name):
    """A set's validation errors, and each rule's weight and backtest MASE."""
    folder = trained(name)
    # The members an average was trained from (`train --seeds`), else the model itself.
    members = sorted(glob.glob(os.path.join(member_folders(folder, 0, 1)[0], "..", "seed-*")))
    errors = [validation_errors(member, name) for member in (members or [folder])]
    mase, scores = backtest_mase(folder, name)
    rules = {}
    # An average takes its members' mean weight, as training gives it.
    for shown, rule in RULES.items():
        weight = float(np.mean([rule(member["seasonal naive"]) for member in errors]))
        rules[shown] = {"weight": weight, "mase": mase(weight)}
    for shown, partner in PARTNER_RULES.items():
        weight = float(np.mean([least(member[partner]) for member in errors]))
        rules[shown] = {"weight": weight, "mase": mase(weight, partner)}
    return {
        "validation_errors": [member["seasonal naive"] for member in errors],
        "partner_validation_errors": [
            {partner: member[partner] for partner in PARTNER_RULES.values()} for member in errors
        ],
        "rules": rules,
        "scores": {key: scores.get(key) for key in (
            "mase", "network_mase", "seasonal_naive_weight", "seasonal_naive_mase",
            "naive_mase", "auto_ets_mase", "auto_theta_mase")},
    }


def geometric_mean(values):
    return float(np.exp(np.mean(np.log(values))))


def ratios(pairs):
    """`a / b` of each `(a, b)` pair, but those whose `b` is 0 or missing.

    No ratio to a perfect forecast: pbs's seasonal naive MASE is 0.
    """
    return np.array([a / b for a, b in pairs if b])


def table(results):
    lines = [
        "| rule | MASE over the network's alone (geometric mean) | worse by >1% | better by >1% "
        "| worst | over seasonal naive | below seasonal naive | over AutoETS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for shown in (*RULES, *PARTNER_RULES):
        rows = [(row, row["rules"][shown]["mase"]) for row in results.values()]
        alone = ratios((mase, row["rules"]["network alone"]["mase"]) for row, mase in rows)
        seasonal = [(mase, row["scores"]["seasonal_naive_mase"]) for row, mase in rows]
        below = sum(mase < baseline for mase, baseline in seasonal)
        seasonal = ratios(seasonal)
        ets = ratios((mase, row["scores"].get("auto_ets_mase")) for row, mase in rows)
        lines.append(
            f"| {shown} | {geometric_mean(alone):.3f} | {np.sum(alone > 1.01)} | "
            f"{np.sum(alone < 0.99)} | {alone.max():.3f} | "
            + (f"{geometric_mean(seasonal):.3f}" if seasonal.size else "–")
            + f" | {below} of {len(rows)} | "
            + (f"{geometric_mean(ets):.3f} |" if ets.size else "– |")
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", help="Forecasting sets of `series.py`.")
    parser.add_argument("--json", help="Write every set's errors and backtest MASEs here.")
    args = parser.parse_args()
    results = {name: record(name) for name in args.names}
    if args.json:
        write_json(args.json, results)
    print(table(results))


if __name__ == "__main__":
    main()
