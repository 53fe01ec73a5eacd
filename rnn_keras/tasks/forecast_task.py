"""Forecasting one numeric column: a window of the past → the next `horizon` steps."""

import numpy as np

from rnn_keras.metrics.scores import forecast_scores
from rnn_keras.models import build_forecaster
from rnn_keras.tasks.task import Task
from rnn_keras.tasks.task import logger
from rnn_keras.tasks.task import parse_numbers
from rnn_keras.tasks.task import predict_batch


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
    ensemble_keys = ("window", "horizon", "season", "column")
    defaults = {
        "window": 24,
        "horizon": 12,
        "season": 12,
        "scaling": "window",
        "batch_size": 16,
        "epochs": 200,
        "patience": 30,
        "learning_rate": 3e-3,
        "column": None,
    }
    carve_test = True

    def split_off(self, examples, fraction, seed):
        """Holds out the last `horizon` values (with all before as context)."""
        del fraction, seed
        series, start = _as_example(examples)
        cut = len(series) - int(self.config["horizon"])
        if cut - start < int(self.config["window"]) + int(self.config["horizon"]):
            raise ValueError(
                f"forecast: {len(series)} values are too few to hold out {self.config['horizon']} "
                f"and keep a window of {self.config['window']} plus a horizon for training"
            )
        return (series[:cut], start), (series, cut)

    def prepare(self, train):
        series, _ = _as_example(train)
        self.state = {"training_values": len(series)}
        self._training = train  # The normalisation statistics come from it.
        logger.info("forecast: %d training values", len(series))

    def _windows(self, examples):
        series, start = _as_example(examples)
        window, horizon = int(self.config["window"]), int(self.config["horizon"])
        values = np.asarray(series, "float32")
        first = max(start, window)
        origins = range(first, len(values) - horizon + 1)
        inputs = np.stack([values[o - window : o, None] for o in origins])
        targets = np.stack([values[o : o + horizon, None] for o in origins])
        return inputs, targets

    def dataset(self, examples, training, origin=None):
        inputs, targets = self._windows(examples)
        return self.batched(inputs, targets, training)

    def build_model(self):
        c = self.config
        arguments = self.recurrent_arguments()
        return build_forecaster(
            1,
            horizon=int(c["horizon"]),
            bidirectional=bool(c["bidirectional"]),
            history=self._windows(self._training)[0],
            input_length=int(c["window"]),
            scaling=c["scaling"],
            **arguments,
        )

    def evaluate(self, model, examples, origin=None):
        """Scores forecasts from `start` on; a plain series scores its last `horizon` values."""
        if not isinstance(examples, tuple):
            examples = (list(examples), len(examples) - int(self.config["horizon"]))
        series, start = _as_example(examples)
        window, horizon, season = (int(self.config[k]) for k in ("window", "horizon", "season"))
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
        window = int(self.config["window"])
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


def _as_example(examples):
    if isinstance(examples, tuple) and len(examples) == 2 and not isinstance(examples[1], list):
        return list(examples[0]), int(examples[1])
    return list(examples), 0
