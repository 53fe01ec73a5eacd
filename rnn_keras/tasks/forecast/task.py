"""Forecasting series: a window of the past → the next `horizon` steps, backtested."""

import re

import numpy as np

from rnn_keras.data.readers import DataError
from rnn_keras.data.series_readers import SeriesCollection
from rnn_keras.layers.window_scaling import window_levels
from rnn_keras.layers.window_scaling import zero_window_scale
from rnn_keras.metrics.scores import interval_coverage
from rnn_keras.models import build_forecaster
from rnn_keras.tasks.common import check_size
from rnn_keras.tasks.common import embedding_rows
from rnn_keras.tasks.common import find_layer
from rnn_keras.tasks.common import logger
from rnn_keras.tasks.common import parse_numbers
from rnn_keras.tasks.common import predict_batch
from rnn_keras.tasks.forecast import backtest
from rnn_keras.tasks.forecast import combination
from rnn_keras.tasks.forecast import defaults
from rnn_keras.tasks.forecast import features
from rnn_keras.tasks.forecast.config import ForecastConfig
from rnn_keras.tasks.forecast.intervals import CALIBRATION_KEYS
from rnn_keras.tasks.forecast.intervals import fit_stretch
from rnn_keras.tasks.forecast.intervals import interval_calibration
from rnn_keras.tasks.forecast.intervals import interval_margin
from rnn_keras.tasks.forecast.series import ForecastData
from rnn_keras.tasks.forecast.series import read_series
from rnn_keras.tasks.forecast.series import training_data
from rnn_keras.tasks.task import Task

# Windows per model call when scoring or predicting.
PREDICT_BATCH = 1024
# The feature inputs, in words.
FEATURE_WORDS = {"series": "series", "calendar": "calendar position",
                 "static_covariates": "static covariates", "covariates": "covariates",
                 "past_covariates": "past covariates"}
# Share of training windows whose series id and calendar position read unknown. Higher
# rates forecast a plain history a little better and a known window worse (seeds 0-2,
# MASE known / unknown; airline, calendar: 0.1: 0.95 / 2.09, 0.3: 1.17 / 2.01, 0.5:
# 1.36 / 2.02; the generated collection, both: 0.1: 0.89 / 1.12, 0.3: 0.95 / 1.06).
UNKNOWN_RATE = 0.1
# The covariates' names a collection reads and `task.json`'s state keeps, by key, in words.
COVARIATE_KINDS = {"covariate_names": "covariates", "past_covariate_names": "past covariates",
                   "static_covariate_names": "static covariates"}

# The most values (window and target) of the training windows held in memory: a
# collection of more windows trains on as many as fit, drawn at random once
# (`ForecastTask.training_origins`). 246,000 windows of 96 + 48 values (35
# million) trained in 4.1 GB here; 321 series of 26,304 hours (the UCI
# electricity loads' size) give 8.3 million windows of 96 + 48, 1.2 billion
# values, and trained on 347,222 of them in 6.8 GB.
MOST_WINDOW_VALUES = 50_000_000


class ForecastTask(Task):
    """Series (a CSV column, a timestamped CSV, a `.tsf` or GluonTS JSON file) → their next values.

    One model learns from the windows of every series of the file (a global
    model, as DeepAR): each window is scaled by its own level
    (`scaling="window"`) and weighs in the loss as on that scale, so series
    of any size train it alike. With `interval > 0` it forecasts three
    quantiles per step (the interval's bounds and the median, the point
    forecast), trained with the pinball loss.

    With `series_identity`, the model also reads which training series a
    window comes from (an embedded id); with `calendar`, the position in
    the season of its first forecast step (month of the year, day of the
    week: `rnn_keras.tasks.forecast.features`). A tenth of the training
    windows read them unknown, as a history given without name or time is.
    With `static_covariates`, it reads each series' categories (its state,
    store, product group), each embedded and read unknown for a tenth of
    the windows, as the series id is.
    With `covariates`, it reads those columns of the table over each window
    and the horizon after it (values known ahead), which have no unknown:
    `predict` then forecasts a file's series only (`predict_series`).

    With `combine_seasonal_naive`, the forecast is the model's combined
    with the seasonal naive forecast, weighed on the validation values
    (`rnn_keras.tasks.forecast.combination`).

    Held out in time from every series (never shuffled in): a rolling
    backtest of `origins` forecast origins at the end (stride 1), and the
    `horizon` values before it for validation (`rnn_keras.tasks.forecast.
    backtest`). Scores on the backtest: MASE, sMAPE, RMSE and MAE, the same
    for the naive and seasonal-naive forecasts on the same windows (and
    AutoETS and AutoTheta with statsforecast installed, and AutoARIMA with
    the covariates as regressors where there are some), and the interval's
    coverage.
    """

    name = "forecast"
    config_class = ForecastConfig
    defaults_rules = defaults
    ensemble_options = (
        "window", "horizon", "season", "column", "covariates", "past_covariates",
        "static_covariates", "interval",
        "calendar",
        "series_identity",
    )
    carve_test = True
    profiles_whole_data = True
    model_fitted_state = (*CALIBRATION_KEYS, combination.COMBINATION_KEY)
    resolves_seeds = True
    varies_members = True

    # === Data ===

    def read_file(self, path):
        """The file's series; of a trained model, refused where its covariates are not training's.

        (A JSON lines field of another number of rows than in training.)
        """
        c = self.config
        series = read_series(
            path, c.column, c.encoding, c.missing, id_column=c.id_column,
            time_column=c.time_column, covariates=c.covariates,
            past_covariates=c.past_covariates, static_covariates=c.static_covariates,
        )
        for key, word in COVARIATE_KINDS.items():
            trained = (self.state or {}).get(key)
            if trained is not None and list(getattr(series, key)) != trained:
                raise DataError(
                    path, None,
                    f"{word} {', '.join(getattr(series, key))}; the model was trained on "
                    f"{', '.join(trained)}",
                )
        return training_data(series)

    def split_off(self, examples, fraction, seed, split="validation"):
        """Holds out each series' end: `origins` backtest origins for the test, and the validation.

        The validation holds out one origin, or as many as the backtest
        where it has more than five (`defaults.validation_origins`).
        """
        del fraction, seed
        data = as_data(examples)
        horizon = self.config.horizon
        origins = self.config.origins
        if split != "test":
            origins = defaults.validation_origins(origins)
        rest, held = backtest.hold_out(data, horizon, origins, keep=horizon + 1)
        if held.scored_values == 0:
            longest = max(len(v) for v in data.values)
            raise ValueError(
                f"forecast: no series is long enough to hold out a {split} forecast of "
                f"horizon={horizon} and keep {horizon + 1} values to train on (the longest "
                f"has {longest}); give a shorter --horizon"
                + (" or a --valid file" if split == "validation" else "")
            )
        return rest, held, None

    def profile(self, splits):
        data = as_data(splits["train"])
        return defaults.with_tests(defaults.profile(data), data, self._given_options())

    def data_defaults(self, profile):
        """The rules of `defaults`, with the options given that they read (`_given_options`)."""
        return defaults.data_defaults(profile, self._given_options())

    def _given_options(self):
        """The season, window, horizon, origins and scaling the user gave, by name.

        The rules resolve others from them: the feature rules count windows
        of the season, window and horizon given; `adjusted_members` needs
        `scaling="last"`.
        """
        return {
            name: getattr(self.config, name)
            for name in ("season", "window", "horizon", "origins", "scaling")
            if name in self.config.given
        }

    def prepare(self, train):
        data = as_data(train)
        c = self.config
        self.check_option(
            "calendar", not c.calendar or c.season >= 2,
            f"a calendar position needs a season of 2 or more steps; season={c.season}",
        )
        self.check_option(
            "scaling", c.scaling != "season" or 2 <= c.season <= c.window,
            f"the seasonal naive forecast needs a season of 2 or more steps within the window; "
            f"season={c.season}, window={c.window}",
        )
        # Naive2's seasonal indices need two seasons of the window.
        two_seasons = 2 <= c.season and 2 * c.season <= c.window
        self.check_option(
            "scaling", c.scaling != "adjusted" or two_seasons,
            f"seasonal indices need a season of 2 or more steps and a window of two seasons; "
            f"season={c.season}, window={c.window}",
        )
        self.check_option(
            "adjusted_members", not c.adjusted_members or (c.scaling == "last" and two_seasons),
            f"members anchored on Naive2 beside members anchored on the last value need "
            f"scaling='last' and a season of 2 or more that the window holds twice; "
            f"scaling={c.scaling!r}, season={c.season}, window={c.window}",
        )
        origins = self.training_origins(data)
        every = sum(len(backtest.training_origins(len(v), c.window, c.horizon))
                    for v in data.values)
        if every > len(origins):
            logger.warning(
                "forecast: %s training windows of %d values: training on %s of them drawn at "
                "random, the most held in memory (%s values)", f"{every:,}",
                c.window + c.horizon, f"{len(origins):,}", f"{MOST_WINDOW_VALUES:,}",
            )
        if not origins:
            raise ValueError(
                f"forecast: no training series is longer than horizon={c.horizon}: nothing to "
                "learn from; give a shorter --horizon or longer series"
            )
        self.state = {
            "series": len(data),
            "training_values": int(sum(len(v) for v in data.values)),
            "quantiles": self.quantiles,
        }
        if c.series_identity:
            self.state["series_names"] = list(features.series_vocabulary(data.series.names))
        # The covariates read (of a JSON field of several rows, one a row: `feat_dynamic_real[0]`).
        for kind in COVARIATE_KINDS:
            if getattr(data.series, kind):
                self.state[kind] = list(getattr(data.series, kind))
        if c.static_covariates:
            self.state["static_values"] = _static_values(data.series)
        # The training windows: the model's normalisation statistics come from them.
        inputs, _ = self._windows(data, origins)
        self._training_inputs = history_of(inputs)
        self._training_covariates = inputs["covariates"] if c.covariates else None
        if c.covariates:
            _warn_constant_covariates(self.covariate_names, self._training_covariates)
        self._training_past_covariates = (
            inputs["past_covariates"] if c.past_covariates else None
        )
        if c.past_covariates:
            _warn_constant_covariates(self.past_covariate_names, self._training_past_covariates)
        if c.scaling != "global":
            # What the model's `WindowScaling` scales a window of zeros by.
            self.state["default_scale"] = zero_window_scale(self._training_inputs)[0]
        self.state["weight_mean"] = float(np.mean(self._scale_weights(inputs)))
        logger.info(
            "forecast: %d series, %d training values; window %d, horizon %d, season %d%s",
            len(data), self.state["training_values"], c.window, c.horizon, c.season,
            "".join(f"; {name} feature" for name in self.feature_names),
        )

    def check_state(self):
        super().check_state()
        int(self.state["training_values"])
        if "default_scale" in self.state:
            float(self.state["default_scale"])
        if self.config.series_identity:
            [str(name) for name in self.state["series_names"]]
        if self.config.static_covariates:
            values = self.state["static_values"]
            if len(values) != len(self.static_covariate_names):
                raise ValueError(
                    f"forecast: task.json's state holds the values of {len(values)} static "
                    f"covariates, its names {len(self.static_covariate_names)}"
                )
            [[str(value) for value in known] for known in values]

    def check_model(self, model):
        check_size("horizon", self.config.horizon, model.outputs[0].shape[1])
        inputs = {tensor.name: tensor for tensor in model.inputs}
        history = inputs.get("history", model.inputs[0])
        check_size("window", self.config.window, history.shape[1])
        names = tuple(name for name in FEATURE_WORDS if name in inputs)
        if names != self.feature_names:
            raise ValueError(
                f"features: {list(self.feature_names)} in task.json, {list(names)} in the model"
            )
        if "covariates" in names:
            steps, count = inputs["covariates"].shape[1:]
            check_size("covariate steps (window + horizon)",
                       self.config.window + self.config.horizon, steps)
            check_size("covariates", len(self.covariate_names), count)
        if "past_covariates" in names:
            steps, count = inputs["past_covariates"].shape[1:]
            check_size("past covariate steps (window)", self.config.window, steps)
            check_size("past covariates", len(self.past_covariate_names), count)
        if "static_covariates" in names:
            cardinalities = find_layer(model, "static_covariate_embeddings").cardinalities
            check_size("static covariates", len(self.static_covariate_names),
                       len(cardinalities))
            for name, known, count in zip(self.static_covariate_names,
                                          self.state["static_values"], cardinalities):
                check_size(f"values of static covariate {name!r}", len(known), count)
        if "series" in names:
            rows = embedding_rows(model, "series_embedding")
            check_size("series ids", len(self.state["series_names"]) + 1, rows)
        if "calendar" in names:
            rows = embedding_rows(model, "calendar_embedding")
            check_size("calendar ids", self.config.season + 1, rows)

    @property
    def feature_names(self):
        """The model's inputs besides the history (`FEATURE_WORDS`' names), those on."""
        c = self.config
        enabled = (("series", c.series_identity), ("calendar", c.calendar),
                   ("static_covariates", bool(c.static_covariates)),
                   ("covariates", bool(c.covariates)),
                   ("past_covariates", bool(c.past_covariates)))
        return tuple(name for name, on in enabled if on)

    @property
    def covariate_names(self):
        """The covariates the model reads (`covariates`), in order; `[]` without.

        As training read them (`state`): a table's columns, or the rows of
        a JSON lines field (`feat_dynamic_real[0]`, ...); before training,
        the columns the option names.
        """
        return self._covariates("covariate_names", self.config.covariates, "covariates")

    @property
    def past_covariate_names(self):
        """The past covariates the model reads (`past_covariates`), as `covariate_names`."""
        return self._covariates("past_covariate_names", self.config.past_covariates,
                                "past covariates")

    @property
    def static_covariate_names(self):
        """The static covariates the model reads (`static_covariates`), as `covariate_names`."""
        return self._covariates("static_covariate_names", self.config.static_covariates,
                                "static covariates")

    def _covariates(self, key, option, word):
        """`state[key]`, checked against the fields `option` names, or those names."""
        if not option:
            return []
        named = _names(option)
        read = (self.state or {}).get(key)
        if read is None:
            return named
        # A field of rows read a covariate a row: `feat_dynamic_real[0]`, ...
        fields = [next((name for name in named
                        if entry == name or re.fullmatch(re.escape(name) + r"\[\d+\]", entry)),
                       None) for entry in read]
        if list(dict.fromkeys(fields)) != named:
            raise ValueError(
                f"forecast: task.json's state reads {word} {', '.join(read)}; its options name "
                f"{option!r}"
            )
        return list(read)

    @property
    def series_vocabulary(self):
        """`{name: id}` of the training series (series identity)."""
        return {name: index for index, name in enumerate(self.state["series_names"], start=1)}

    @property
    def quantiles(self):
        """`[lower, 0.5, upper]` of the prediction interval, or `None` for point forecasts."""
        interval = self.config.interval
        if not interval:
            return None
        return [round((1 - interval) / 2, 6), 0.5, round((1 + interval) / 2, 6)]

    def _windows(self, data, origins):
        """`(inputs, targets)` of the windows at `origins` (`[(series, origin), ...]`).

        The inputs are the `(windows, window, 1)` histories, or for a model
        with feature inputs a dict of them (`"history"`) and the features'
        ids (`_features`); the targets `(windows, horizon, 1)`.
        """
        inputs, targets = backtest.windows(data, origins, self.config.window, self.config.horizon)
        history = inputs[..., None].astype("float32")
        inputs = self._model_inputs(history, self._features(data, origins))
        return inputs, targets[..., None].astype("float32")

    def _model_inputs(self, history, feature_ids):
        """The model's inputs: `history` alone, or a dict of it and `feature_ids`."""
        return {"history": history, **feature_ids} if self.feature_names else history

    def _features(self, data, origins):
        """`{feature: (windows,) int32 ids}` of windows whose first forecast step is at `origins`.

        The series' ids from the training names (0 for a name training never
        saw) and the calendar ids of the origins (`features.calendar_ids`);
        with covariates, their `(windows, window + horizon, k)` values over
        each window and its horizon (`features.covariate_windows`); with
        past covariates, their `(windows, window, k)` values over each
        window; with static covariates, their `(windows, k)` ids
        (`features.static_ids`).
        """
        c = self.config
        result = {}
        if c.covariates:
            result["covariates"] = features.covariate_windows(
                data.series.covariates, origins, c.window, c.horizon
            )
        if c.past_covariates:
            result["past_covariates"] = features.covariate_windows(
                data.series.past_covariates, origins, c.window, 0
            )
        if c.static_covariates:
            result["static_covariates"] = features.static_ids(
                self.state["static_values"], data.series.static_covariates,
                [i for i, _ in origins],
            )
        if c.series_identity:
            names = [data.series.names[i] for i, _ in origins]
            result["series"] = features.series_ids(self.series_vocabulary, names)
        if c.calendar:
            series = data.series
            index = np.array([i for i, _ in origins], "int64")
            steps = np.array([o for _, o in origins], "int64")
            ids = np.zeros(len(origins), "int32")
            for i in np.unique(index):
                chosen = index == i
                ids[chosen] = features.calendar_ids(
                    series.starts[i], series.frequency, c.season, steps[chosen]
                )
            result["calendar"] = ids
        return result

    def training_origins(self, data):
        """`[(series, origin), ...]` of the training windows: every one, or `most_windows` drawn."""
        c = self.config
        lengths = [len(values) for values in data.values]
        return backtest.collection_origins(lengths, c.window, c.horizon, self.most_windows, c.seed)

    @property
    def most_windows(self):
        """The most training windows held in memory: `MOST_WINDOW_VALUES` values in all."""
        return max(1, MOST_WINDOW_VALUES // (self.config.window + self.config.horizon))

    def dataset(self, examples, training, origin=None):
        """Training windows, or validation windows: every forecast of the scored values.

        Validation reads the windows `calibrate` reads
        (`backtest.calibration_origins`), the steps at values the model
        trained on weighing 0: early stopping and the best epoch then rest
        on `h (h + 1) / 2` forecasts of a single series' `h` validation
        values rather than on `h` (seven of eleven series forecast better,
        four worse: `benchmarks/README.md`).
        """
        data = as_data(examples)
        if training:
            origins = self.training_origins(data)
            inputs, targets = self._windows(data, origins)
            return self.batched(inputs, targets, training, weights=self._loss_weights(inputs),
                                per_epoch=self.config.windows_per_epoch)
        inputs, targets, unseen = self._validation_windows(data)
        # Shaped as the loss per element, as `_loss_weights`.
        mask = unseen[..., None] if self.quantiles else unseen
        weights = self._loss_weights(inputs)
        weights = mask.astype("float32") if weights is None else weights * mask
        return self.batched(inputs, targets, training, weights=weights)

    def _validation_windows(self, examples):
        """`(inputs, targets, unseen)` of every forecast of the scored values of `examples`.

        The windows of `backtest.calibration_origins` (`unseen`: which
        steps are at scored values), as `fit` validates on them and
        `calibrate` reads them; `None` where nothing is scored.
        """
        data = self.scored(as_data(examples))
        origins, unseen = backtest.calibration_origins(data, self.config.horizon)
        if not origins:
            return None
        inputs, targets = self._windows(data, origins)
        return inputs, targets, unseen

    def _loss_weights(self, inputs):
        """Per window, the weight that puts its loss on the window's own scale.

        With window scaling the model forecasts relative to each window's
        level (the mean of its absolute values); weighting the loss by
        `1 / level` (pinball) or `1 / level²` (squared error) is the loss
        on that scale, so a series of millions does not drown one of tens.
        Normalised to a mean of 1 over the training windows. Shaped as the
        loss per element (`(windows, horizon)` for the squared error,
        `(windows, horizon, 1)` for the pinball loss), since Keras weighs a
        loss of more axes than its weights only where their shapes align.
        """
        if self.config.scaling == "global":
            return None
        weights = self._scale_weights(inputs)
        weights = np.repeat((weights / self.state["weight_mean"])[:, None], self.config.horizon, 1)
        return (weights[..., None] if self.quantiles else weights).astype("float32")

    def window_level(self, inputs):
        """`(windows,)`: each window's level, as the model's `WindowScaling` computes it.

        A window of zeros takes `state["default_scale"]` (tasks trained
        before it existed: none, as their models).
        """
        default = self.state.get("default_scale")
        levels = window_levels(history_of(inputs), None if default is None else [default])
        return levels.mean(axis=(1, 2))

    def _scale_weights(self, inputs):
        """`(windows,)`: `1 / level` (pinball loss) or `1 / level²` (squared error)."""
        level = self.window_level(inputs)
        return 1.0 / level if self.quantiles else 1.0 / level**2

    # === Model ===

    def build_model(self):
        c = self.config
        return build_forecaster(
            1,
            horizon=c.horizon,
            bidirectional=c.bidirectional,
            history=self._training_inputs,
            input_length=c.window,
            scaling=c.scaling,
            seasonal_period=c.season if c.scaling in ("season", "adjusted") else None,
            quantiles=self.quantiles,
            num_series=len(self.state["series_names"]) if c.series_identity else None,
            season=c.season if c.calendar else None,
            static_cardinalities=[len(known) for known in self.state["static_values"]]
            if c.static_covariates else None,
            num_covariates=len(self.covariate_names) or None,
            covariate_history=self._training_covariates,
            num_past_covariates=len(self.past_covariate_names) or None,
            past_covariate_history=self._training_past_covariates,
            unknown_rate=UNKNOWN_RATE,
            **self.recurrent_arguments(),
        )

    # === Scores and predictions ===

    def forecast(self, model, inputs, calibrated=True, combined=True):
        """`(point, lower, upper)` forecasts of `(windows, window, 1)` inputs (or `_windows`' dict).

        The bounds are `None` without quantiles. `combined` moves the
        forecast and its bounds toward the seasonal naive forecast by the
        weight `calibrate` fitted (`combination`); `calibrated` widens the
        interval by the conformal correction it fitted.
        """
        outputs = np.concatenate(
            [
                predict_batch(model, rows(inputs, start, start + PREDICT_BATCH))
                for start in range(0, len(history_of(inputs)), PREDICT_BATCH)
            ]
        )[:, :, 0]
        lower = upper = None
        if self.quantiles:
            outputs = np.sort(outputs, axis=-1)  # quantiles never cross
            point, lower, upper = outputs[..., 1], outputs[..., 0], outputs[..., 2]
        else:
            point = outputs
        if combined:
            point, lower, upper = self.combine(inputs, point, lower, upper)
        calibration = interval_calibration(self.state) if calibrated else {}
        if calibration and lower is not None:
            margin = interval_margin(calibration, lower, upper, self.window_level(inputs))
            lower, upper = lower - margin, upper + margin
        return point, lower, upper

    def combine(self, inputs, point, lower=None, upper=None):
        """`(point, lower, upper)` of the network moved toward the seasonal naive forecast.

        By the weight `calibrate` fitted (as they are where there is none).
        The interval's conformal margin depends on its width and the
        window's level only, so it may be added before or after.
        """
        weight = combination.combination_weight(self.state)
        if not weight:
            return point, lower, upper
        return combination.combined(weight, self.seasonal_naive(inputs), point, lower, upper)

    def seasonal_naive(self, inputs):
        """`(windows, horizon)`: the seasonal naive forecasts of model inputs' windows."""
        c = self.config
        history = history_of(inputs)[..., 0].astype("float64")
        return combination.seasonal_naive(history, c.horizon, c.season)

    def member_options(self, position):
        """Every third member anchored on Naive2, with `adjusted_members` (`scaling="adjusted"`)."""
        if self.config.adjusted_members and position % 3 == 2:
            return {"scaling": "adjusted", "adjusted_members": False}
        return {}

    def calibrate(self, model, splits, averaged=False):
        """Fits the combination's weight, then the interval's, on the validation part's values.

        Each validation value is forecast from every origin whose window
        reaches it (`backtest.calibration_origins`). First, with
        `combine_seasonal_naive`, the seasonal naive forecast's weight in
        the forecast (`combination.fit_weight`). Then conformalised quantile
        regression: quantiles fitted on a few dozen windows cover less than
        they claim (the training windows are fitted too well), so the
        interval is stretched by the conformal quantile of how far the
        values lie outside it, as a share of its width
        (`intervals.fit_stretch`; never narrowed). A series' values are not
        exchangeable, so the coverage is the target, not a guarantee; the
        earlier origins make it steadier on a single series, whose one
        validation window holds only `horizon` values
        (`benchmarks/README.md`).

        `averaged`: the model averages members (`train --seeds`) and the
        state holds their means. The weight stays theirs: a mean of three
        weights fitted on the same few dozen values is steadier than one
        (refitted on the average, lynx's seed-0 MASE went 0.533 to 0.617);
        the stretch is fitted again, since the average forecasts better than
        its members and their mean stretch widens it more than it needs
        (airline's seed-0 coverage 0.91 with their mean, 0.82 refitted;
        `benchmarks/README.md`).
        """
        if "validation" not in splits:
            return False
        windows = self._validation_windows(splits["validation"])
        if windows is None:
            return False
        inputs, actual, unseen = windows
        actual = actual[..., 0]
        refitted = CALIBRATION_KEYS if averaged else self.model_fitted_state
        for key in refitted:
            self.state.pop(key, None)
        level = self.window_level(inputs)
        network, lower, upper = self.forecast(model, inputs, calibrated=False, combined=False)
        if self.config.combine_seasonal_naive and not averaged:
            weight, _ = combination.fit_weight(
                actual, network, self.seasonal_naive(inputs), level, unseen
            )
            self.state[combination.COMBINATION_KEY] = weight
            logger.info(
                "forecast: combined with the seasonal naive forecast (season %d) at weight %g, "
                "the least error on %d forecasts of validation values",
                self.config.season, weight, int(unseen.sum()),
            )
        if not self.quantiles:
            return self.config.combine_seasonal_naive and not averaged
        _, lower, upper = self.combine(inputs, network, lower, upper)
        stretch, count = fit_stretch(actual, lower, upper, level, unseen, self.config.interval)
        self.state["interval_stretch"] = stretch
        logger.info(
            "forecast: %g%% interval stretched by %.3f of its width on each side (conformal, "
            "%d forecasts of validation values)",
            100 * self.config.interval, stretch, count,
        )
        return True

    def scored(self, data):
        """`data` as it is scored: a file's series (scored nowhere) backtested at their ends."""
        if data.scored_values:
            return data
        return self.split_off(data, 0, 0, split="test")[1]

    def evaluate(self, model, examples, origin=None):
        """Backtest scores: the model's, the naive and seasonal-naive forecasts', coverage.

        Examples scored nowhere (a file given to `evaluate`) are backtested
        at their end, as training held out its test part.
        """
        c = self.config
        data = self.scored(as_data(examples))
        origins = backtest.scored_origins(data, c.horizon)
        inputs, actual = self._windows(data, origins)
        actual = actual[..., 0].astype("float64")
        network, lower, upper = self.forecast(model, inputs, combined=False)
        point, lower, upper = self.combine(inputs, network, lower, upper)
        scales = backtest.scales(data, c.season)
        scores = backtest.scores(actual, point, origins, scales)
        # What the combination with the seasonal naive forecast changed.
        scores["network_mase"] = backtest.scores(actual, network, origins, scales)["mase"]
        naive = backtest.naive(data, origins, c.horizon)
        scores.update(backtest.scores(actual, naive, origins, scales, "naive_"))
        seasonal = backtest.seasonal_naive(data, origins, c.horizon, c.season)
        scores.update(backtest.scores(actual, seasonal, origins, scales, "seasonal_naive_"))
        baselines = ["naive", "seasonal_naive"]
        if c.statistical_baselines:
            statistical = backtest.statistical_forecasts(
                data, origins, c.horizon, c.season, interval=c.interval
            )
            for name, result in statistical.items():
                forecasts = result.forecasts
                scores.update(backtest.scores(actual, forecasts, origins, scales, f"{name}_"))
                scores[f"{name}_fallbacks"] = result.fallbacks
                fitted = np.isfinite(result.lower[:, 0]) if c.interval else []
                if np.any(fitted):
                    # The model's coverage has a reference: the statistical model's own
                    # interval of the same coverage, on the windows it could be fitted to.
                    scores[f"{name}_interval_coverage"] = interval_coverage(
                        actual[fitted], result.lower[fitted], result.upper[fitted]
                    )
                baselines.append(name)
        for baseline in baselines:
            # A baseline without error (a series constant through its backtest) has no ratio.
            reference = scores[f"{baseline}_mase"]
            ratio = scores["mase"] / reference if reference > 0 else float("nan")
            scores[f"mase_vs_{baseline}"] = ratio if np.isfinite(ratio) else None
        if lower is not None:
            scores["interval"] = c.interval
            scores["interval_coverage"] = interval_coverage(actual, lower, upper)
        scores.update(
            forecasts=int(actual.size),
            origins=len(origins),
            series=len({i for i, _ in origins}),
            season=c.season,
            seasonal_naive_weight=combination.combination_weight(self.state),
        )
        return scores

    def plots(self, model, examples, directory):
        from rnn_keras import plots

        c = self.config
        data = as_data(examples)
        origins = backtest.scored_origins(data, c.horizon)
        if not origins:
            return []
        inputs, _ = self._windows(data, origins)
        point, lower, upper = self.forecast(model, inputs)
        path = f"{directory}/backtest.png"
        plots.backtest(data, origins, point, lower, upper, c.horizon, path)
        return [path]

    def predict(self, model, lines):
        """The next `horizon` values after each line's history (and the interval's bounds).

        A plain history has no name and no time: a model with feature inputs
        reads them unknown (`predict_series` reads them from a file).
        """
        c = self.config
        if c.covariates or c.past_covariates:
            read = (f"covariates ({c.covariates}) over each window and the horizon after it"
                    if c.covariates else f"past covariates ({c.past_covariates}) over each window")
            raise ValueError(
                f"forecast: the model reads {read}, which a plain history does not give: "
                "forecast the series of a file that holds them (--series FILE)"
            )
        histories = [parse_numbers(line) for line in lines]
        for line, values in zip(lines, histories):
            if not values:
                raise ValueError(f"forecast: expected a history of numbers; got {line[:60]!r}")
        if self.feature_names:
            logger.warning(
                "forecast: the model reads each window's %s; a plain history reads them unknown "
                "(forecast a file's named, timestamped series with --series FILE)",
                " and ".join(FEATURE_WORDS[name] for name in self.feature_names),
            )
        return self._future(model, lines, histories)

    def predict_series(self, model, path):
        """The next `horizon` values after the end of every series of a file, by name.

        A model with feature inputs reads each series' id by its name and
        the calendar position of the step after its end.
        """
        data = as_data(self.read_file(path))
        series = data.series
        ends = [(i, len(values)) for i, values in enumerate(series.values)]
        if self.config.covariates:
            features.check_covariates_ahead(path, series, self.config.horizon)
        results = self._future(model, series.names, series.values, self._features(data, ends))
        for result in results:
            result["series"] = result["input"]
        return results

    def _future(self, model, names, histories, feature_ids=None):
        """Forecasts past the end of `histories`, with `feature_ids` (default: all unknown)."""
        history = np.stack(
            [backtest.window(values, len(values), self.config.window) for values in histories]
        )[..., None].astype("float32")
        if feature_ids is None:
            feature_ids = {
                name: np.zeros((len(history), len(self.static_covariate_names))
                               if name == "static_covariates" else len(history), "int32")
                for name in self.feature_names
            }
        point, lower, upper = self.forecast(model, self._model_inputs(history, feature_ids))
        results = []
        for row, name in enumerate(names):
            result = {"input": name, "forecast": [float(v) for v in point[row]]}
            if lower is not None:
                result["lower"] = [float(v) for v in lower[row]]
                result["upper"] = [float(v) for v in upper[row]]
            results.append(result)
        return results

    # === Serving ===

    def serving_module(self, model):
        from rnn_keras.tasks.forecast.serving import ForecastServing

        return ForecastServing(self, model)

    def numeric_signatures(self, model, batch=None):
        from rnn_keras.tasks.forecast.serving import numeric_signatures

        return numeric_signatures(self, model, batch)


def _static_values(series):
    """Each static covariate's values in `series` (sorted: their ids 1, 2, ...), none missing.

    A missing value (`""`) reads unknown. Raises `ValueError` where the
    data hold none, or a covariate no value.
    """
    if series.static_covariates is None:
        raise ValueError(
            "forecast: --static-covariates names categories of each series, and the data hold "
            "none (a SeriesCollection without static_covariates)"
        )
    values = []
    for index, name in enumerate(series.static_covariate_names):
        known = sorted({row[index] for row in series.static_covariates} - {""})
        if not known:
            raise ValueError(
                f"forecast: static covariate {name!r} (--static-covariates) holds no value in "
                "the training series"
            )
        values.append(known)
    return values


def _warn_constant_covariates(names, covariates):
    """A warning naming the covariates that hold one value over every training window.

    What such a covariate does is not in the training data (Seatbelts'
    `law`, passed after the values trained on): the model reads it as
    nothing (`build_forecaster`), whatever its value, where any other would
    be read as millions of standard deviations from the mean.
    """
    flat = covariates.reshape(-1, covariates.shape[-1])
    constant = [
        f"{name!r} ({flat[0, index]:g})"
        for index, name in enumerate(names) if np.all(flat[:, index] == flat[0, index])
    ]
    if constant:
        logger.warning(
            "forecast: covariate %s holds one value over every training window: what another "
            "value does is not in the training data, so the model leaves it out",
            ", ".join(constant),
        )


def _names(option):
    """The column names an option lists, separated by commas (`a,b`); `[]` for `None`."""
    return [name.strip() for name in option.split(",")] if option else []


def history_of(inputs):
    """The `(windows, window, 1)` histories of model inputs (an array, or a dict of inputs)."""
    return inputs["history"] if isinstance(inputs, dict) else inputs


def rows(inputs, start, stop):
    """Rows `start:stop` of model inputs (an array, or each array of a dict)."""
    if isinstance(inputs, dict):
        return {name: values[start:stop] for name, values in inputs.items()}
    return inputs[start:stop]


def as_data(examples):
    """`ForecastData` of forecast examples, or of a plain list of numbers (one series)."""
    if isinstance(examples, ForecastData):
        return examples
    values = np.asarray(list(examples), "float64")
    return training_data(SeriesCollection(["series"], [None], [values]))
