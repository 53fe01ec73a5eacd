"""Forecasting one numeric column: a window of the past → the next `horizon` steps."""

import numpy as np

from rnn_keras.config import ConfigError
from rnn_keras.data import readers
from rnn_keras.metrics.scores import forecast_scores
from rnn_keras.models import build_forecaster
from rnn_keras.tasks.common import check_size
from rnn_keras.tasks.common import logger
from rnn_keras.tasks.common import parse_numbers
from rnn_keras.tasks.common import predict_batch
from rnn_keras.tasks.forecast import defaults
from rnn_keras.tasks.forecast.config import ForecastConfig
from rnn_keras.tasks.task import Task


class ForecastTask(Task):
    """A univariate series (a CSV column) → the next `horizon` values.

    Examples are `(series, start)`: the values from `start` on are the ones
    to forecast, those before are context. From one file, the last
    `horizon` values are the test split and the `horizon` before them
    the validation split (held out in time, never shuffled in). Forecasts
    are single-shot from origins `start, start + horizon, ...`.

    Scores: RMSE and MAE of the forecasts, and of the seasonal-naive
    forecast (the value one `season` earlier), with their ratio.
    """

    name = "forecast"
    config_class = ForecastConfig
    defaults_rules = defaults
    ensemble_options = ("window", "horizon", "season", "column")
    carve_test = True

    # === Data ===

    def read_file(self, path):
        if not self.config.column:
            raise ConfigError(
                "column",
                f"the CSV column to forecast in {path} is required (--column NAME)",
                self.config.given.get("column"),
            )
        return readers.read_csv_column(path, self.config.column, self.config.encoding)

    def split_off(self, examples, fraction, seed):
        """Holds out the last `horizon` values (with all before as context)."""
        del fraction, seed
        series, start = as_example(examples)
        window, horizon = self.config.window, self.config.horizon
        cut = len(series) - horizon
        if cut - start < window + horizon:
            raise ValueError(
                f"forecast: {len(series)} values are too few to hold out {horizon} "
                f"and keep a window of {window} plus a horizon for training"
            )
        return (series[:cut], start), (series, cut), None

    def profile(self, splits):
        series, _ = as_example(splits["train"])
        return defaults.profile(series)

    def prepare(self, train):
        series, _ = as_example(train)
        self.state = {"training_values": len(series)}
        self._training = train  # The normalisation statistics come from it.
        logger.info("forecast: %d training values", len(series))

    def check_state(self):
        super().check_state()
        int(self.state["training_values"])

    def check_model(self, model):
        check_size("horizon", self.config.horizon, model.outputs[0].shape[1])
        check_size("window", self.config.window, model.inputs[0].shape[1])

    def _windows(self, examples):
        series, start = as_example(examples)
        window, horizon = self.config.window, self.config.horizon
        values = np.asarray(series, "float32")
        first = max(start, window)
        origins = range(first, len(values) - horizon + 1)
        inputs = np.stack([values[o - window : o, None] for o in origins])
        targets = np.stack([values[o : o + horizon, None] for o in origins])
        return inputs, targets

    def dataset(self, examples, training, origin=None):
        inputs, targets = self._windows(examples)
        return self.batched(inputs, targets, training)

    # === Model ===

    def build_model(self):
        c = self.config
        return build_forecaster(
            1,
            horizon=c.horizon,
            bidirectional=c.bidirectional,
            history=self._windows(self._training)[0],
            input_length=c.window,
            scaling=c.scaling,
            **self.recurrent_arguments(),
        )

    # === Scores and predictions ===

    def evaluate(self, model, examples, origin=None):
        """Scores forecasts from `start` on; a plain series scores its last `horizon` values."""
        window, horizon, season = self.config.window, self.config.horizon, self.config.season
        if not isinstance(examples, tuple):
            examples = (list(examples), len(examples) - horizon)
        series, start = as_example(examples)
        values = np.asarray(series, "float64")
        first = max(start, window, season)
        origins = list(range(first, len(values) - horizon + 1, horizon))
        if not origins:
            raise ValueError(
                f"forecast: no {horizon}-step forecast fits in {len(values)} values from {start}"
            )
        inputs = np.stack([values[o - window : o, None] for o in origins]).astype("float32")
        forecasts = predict_batch(model, inputs)[..., 0]
        actual = np.stack([values[o : o + horizon] for o in origins])
        naive = np.stack(
            [[values[o - season + (j % season)] for j in range(horizon)] for o in origins]
        )
        scores = forecast_scores(actual.ravel(), forecasts.ravel(), naive.ravel())
        scores["forecasts"] = int(actual.size)
        return scores

    def predict(self, model, lines):
        window = self.config.window
        results = []
        for line in lines:
            values = parse_numbers(line)
            if len(values) < window:
                raise ValueError(
                    f"forecast: expected at least window={window} values; got {len(values)}"
                )
            history = np.asarray(values[-window:], "float32")[None, :, None]
            forecast = predict_batch(model, history)[0, :, 0]
            results.append({"input": line, "forecast": [float(v) for v in forecast]})
        return results

    # === Serving ===

    def serving_module(self, model):
        from rnn_keras.tasks.forecast.serving import ForecastServing

        return ForecastServing(self, model)

    def numeric_signatures(self, model, batch=None):
        from rnn_keras.tasks.forecast.serving import numeric_signatures

        return numeric_signatures(self, model, batch)


def as_example(examples):
    """`(values, start)` of a forecast example, or of a plain series (start 0)."""
    if isinstance(examples, tuple) and len(examples) == 2 and not isinstance(examples[1], list):
        return list(examples[0]), int(examples[1])
    return list(examples), 0
