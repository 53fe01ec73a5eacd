"""The options of the forecast task."""

import dataclasses
from typing import Optional

from rnn_keras.config import option
from rnn_keras.data.columns import ID_COLUMNS
from rnn_keras.data.columns import TIME_COLUMNS
from rnn_keras.data.columns import listed
from rnn_keras.config import with_default
from rnn_keras.tasks.config import TaskConfig

SCALINGS = ("global", "window", "last", "season", "adjusted")
# How `read_series` fills the missing values of a file.
MISSING = ("interpolate", "zero")


@dataclasses.dataclass
class ForecastConfig(TaskConfig):
    """Options of `ForecastTask`: a window of a series → its next `horizon` values."""

    context = "task forecast"
    logged_metrics = ("loss", "rmse", "mae")

    learning_rate: float = with_default(TaskConfig, "learning_rate", 3e-3)
    batch_size: int = with_default(TaskConfig, "batch_size", 16)
    epochs: int = with_default(TaskConfig, "epochs", 200)
    patience: int = with_default(TaskConfig, "patience", 30)
    windows_per_epoch: Optional[int] = option(
        None,
        "Training windows drawn afresh at random for each epoch (default: every window, every "
        "epoch): a collection of many long series gives hundreds of thousands of windows, and "
        "an epoch over them all takes minutes.",
        minimum=1,
        group="training",
    )
    column: Optional[str] = option(
        None,
        "The CSV column to forecast (default: every series of a timestamped CSV or .tsf file); "
        "several separated by commas: those series of a table, its other columns left out (a "
        "column marking an event, a covariate); of a .tsf or JSON lines file, the series so "
        "named.",
        group="data",
    )
    covariates: Optional[str] = option(
        None,
        "Columns of a table that the model reads rather than forecasts, separated by commas: "
        "values known at every step of the window and of the horizon after it (working days, "
        "a price set ahead, a temperature forecast): of a wide table, shared by its series; of "
        "a long file (unique_id,ds,y,price), each series' own; of GluonTS's JSON lines, fields "
        "of each line (feat_dynamic_real, a covariate a row). Forecasting past a series' end "
        "(predict --series FILE) needs them for the horizon after it: rows whose value cells "
        "are empty.",
        group="data",
    )
    past_covariates: Optional[str] = option(
        None,
        "Columns of a table that the model reads over each window only, separated by commas: "
        "values observed with the series up to its last value and not known ahead (another "
        "measurement, a related series; Darts' past covariates; GluonTS's "
        "past_feat_dynamic_real), read as --covariates are.",
        group="data",
    )
    static_covariates: Optional[str] = option(
        None,
        "Categories that hold for a whole series, separated by commas, that the model reads "
        "beside each window (an embedding each: a store, a state, a product group): columns of "
        "a long file holding one value per series (state,gender), fields of GluonTS's JSON "
        "lines (feat_static_cat, a category an entry) or attributes of a .tsf file. A value "
        "training never saw reads unknown.",
        group="data",
    )
    id_column: Optional[str] = option(
        None,
        "The series-id column of a long CSV (a row per series and time), where it is named "
        f"otherwise than {listed(ID_COLUMNS)}; several separated by commas where together "
        "they tell the series apart (store,item).",
        group="data",
    )
    time_column: Optional[str] = option(
        None,
        f"The timestamp column of a long CSV, where it is named otherwise than "
        f"{listed(TIME_COLUMNS)}; of a wide CSV, where it is not the first.",
        group="data",
    )
    missing: str = option(
        "interpolate",
        "Missing values of a file (an empty cell, NA, #N/A, .., ?, a step without a row): "
        "interpolate (linearly, up to a fifth of a series; a series missing more is left out of "
        "a collection) or zero (nothing happened: sales or counts whose files list only the "
        "steps with some).",
        choices=MISSING,
        group="data",
    )
    window: int = option(24, "Input window length.", minimum=1, group="data")
    horizon: int = option(12, "Steps forecast at once (and held out).", minimum=1, group="data")
    season: int = option(
        12, "Season length of the seasonal-naive baseline and of MASE (1: none).", minimum=1,
        group="data",
    )
    origins: int = option(
        5,
        "Forecast origins of the rolling backtest per series (held out at the end).",
        minimum=1,
        group="data",
    )
    interval: float = option(
        0.8,
        "Coverage of the prediction interval, from quantile outputs (0: point forecasts, MSE).",
        minimum=0,
        maximum=1,
        exclusive_maximum=True,
    )
    scaling: str = option(
        "window",
        "Normalisation: window (each window by its level, DeepAR's), last (as window, and the "
        "model forecasts the change from the window's last value: the naive forecast plus a "
        "learnt correction), season (as last, from the seasonal naive forecast: the value a "
        "season before each step; the window holds a season), adjusted (as last, from the "
        "last value seasonally adjusted by the window's seasonal indices, each step's index "
        "put back: Naive2; the window holds two seasons) or global (the training windows' "
        "mean and variance).",
        choices=SCALINGS,
    )
    calendar: bool = option(
        False,
        "Feed the model the position in the season (month of the year, day of the week, ...) of "
        "each window's first forecast step, from the series' start times (else the value's "
        "index modulo --season); needs --season 2 or more.",
    )
    series_identity: bool = option(
        False,
        "Feed the model which training series each window comes from (an embedded id; a series "
        "training never saw, or a history without a name, reads unknown).",
    )
    adjusted_members: bool = option(
        False,
        "In an average of models (--seeds 2 or more) with --scaling last, train every third "
        "member (the third, sixth, ...) with --scaling adjusted: anchored on Naive2 instead of "
        "the last value, they err differently, and the average errs less; needs a season of 2 "
        "or more that the window holds twice.",
    )
    combine_seasonal_naive: bool = option(
        True,
        "Combine the network's forecast with the seasonal naive forecast (the value a season "
        "before each step), the weight (0 to 1 in steps of 0.05; 0: the network alone) the one "
        "of least error on the validation values; the interval moves with the forecast.",
    )
    statistical_baselines: bool = option(
        True,
        "Score AutoETS and AutoTheta on the backtest too, and with --covariates AutoARIMA with "
        "them as regressors (needs statsforecast: the series extra).",
    )
