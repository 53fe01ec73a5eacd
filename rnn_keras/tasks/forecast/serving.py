"""The forecast task's exports: the SavedModel and the numeric signatures.

| signature | inputs | outputs |
|---|---|---|
| `serving_default` | `history` `(batch, steps)` float32, at least 1 step (a history shorter than `window` is padded with its first value) | `forecast` `(batch, horizon)` in original units, combined with the seasonal naive forecast as `task.json` weighs it (`seasonal_naive_weight`); with an interval, `lower` and `upper` `(batch, horizon)` too |
| `with_features` (models trained with `series_identity` or `calendar`) | `history` as above; with series identity `series` `(batch,)`: the series' names (string) in the SavedModel, their int32 ids in the numeric formats (TFLite, ONNX: the name's index in `task.json`'s `state["series_names"]`, plus 1); with the calendar `calendar` `(batch,)` int32, the position in the season of the first forecast step (`rnn_keras.tasks.forecast.features`); a name or id training never saw, or a position outside `[0, season)` (-1), reads unknown | as `serving_default` |
| `with_features`, of models trained with `static_covariates` | `static_covariates` `(batch, k)` after `series` and `calendar`: each series' categories in `task.json`'s order (`state["static_covariate_names"]`), as text in the SavedModel, as int32 ids in the numeric formats (the value's index in `state["static_values"][j]`, plus 1); a value training never saw reads unknown (`serving_default` reads them all unknown) | as `serving_default` |
| both, of models trained with `covariates` | `covariates` `(batch, steps + horizon, k)` float32 after the inputs above: the covariates at each step of the history and of the horizon after it, in `task.json`'s order (padded as the history) | as `serving_default` |
| both, of models trained with `past_covariates` | `past_covariates` `(batch, steps, k)` float32 after the inputs above: the values observed at each step of the history, in `task.json`'s order (padded as the history) | as `serving_default` |

`serving_default` forecasts with the series and calendar position unknown,
as `predict` does for a plain history; covariates (and past covariates)
have no unknown value, so a model that reads them takes them in both
signatures.
"""

import inspect

import tensorflow as tf

from rnn_keras.tasks.common import float32
from rnn_keras.tasks.forecast.combination import combination_weight
from rnn_keras.tasks.forecast.combination import combined
from rnn_keras.tasks.forecast.combination import seasonal_naive_steps
from rnn_keras.tasks.forecast.intervals import interval_calibration
from rnn_keras.tasks.forecast.intervals import interval_margin

# The feature inputs read as ids (unknown: 0).
ID_FEATURES = ("series", "calendar", "static_covariates")
# Every feature input, in the order of the model's and the signatures' inputs.
FEATURES = (*ID_FEATURES, "covariates", "past_covariates")


def forecast_outputs(model, history, window, quantiles, calibration=None, features=None,
                     combination=None):
    """The signature's outputs for `(batch, steps)` histories (any length from 1).

    The forecast moves toward the seasonal naive forecast as
    `ForecastTask.calibrate` fitted, `combination` (`(weight, steps)`:
    `combination_of`; `None`: the network's alone), and the interval is
    widened by its conformal correction, `calibration`
    (`interval_calibration` of the task's state; `None`: not widened).
    `features` is `None` for a model with the history as its only input,
    else its feature inputs' ids, `{"series": ids, "calendar": ids}`
    (`(batch,)` int32, 0 unknown).
    """
    inputs = front_padded(history, window)[..., None]
    model_inputs = inputs if features is None else {"history": inputs, **features}
    outputs = float32(model(model_inputs, training=False))[:, :, 0]
    lower = upper = None
    if quantiles:
        outputs = tf.sort(outputs, axis=-1)  # quantiles never cross
        point, lower, upper = outputs[..., 1], outputs[..., 0], outputs[..., 2]
    else:
        point = outputs
    if combination is not None:
        weight, steps = combination
        baseline = tf.gather(inputs[:, :, 0], steps, axis=1)
        point, lower, upper = combined(weight, baseline, point, lower, upper)
    if not quantiles:
        return {"forecast": point}
    level = tf.reduce_mean(tf.abs(inputs), axis=[1, 2]) + 1e-6
    margin = interval_margin(calibration or {}, lower, upper, level)
    return {"forecast": point, "lower": lower - margin, "upper": upper + margin}


def combination_of(task):
    """`(weight, steps)` of `task`'s combination with the seasonal naive forecast, or `None`.

    `steps`: the window positions it repeats (`seasonal_naive_steps`).
    """
    weight = combination_weight(task.state)
    if not weight:
        return None
    c = task.config
    return weight, seasonal_naive_steps(c.window, c.horizon, c.season)


def covariate_inputs(features, history, window, horizon):
    """The model's covariate inputs of the signature's `features` (those it holds).

    `covariates` `(batch, steps + horizon, k)`, refused unless they run
    `horizon` steps past the history, as `(batch, window + horizon, k)`;
    `past_covariates` `(batch, steps, k)`, refused unless they run as long
    as the history, as `(batch, window, k)`; both padded at the front with
    their first step as the history is.
    """
    inputs = {}
    for name, ahead, message in (
        ("covariates", horizon, "a step for each step of `history` and of the horizon"),
        ("past_covariates", 0, "a step for each step of `history`"),
    ):
        if name not in features:
            continue
        values = tf.cast(features[name], tf.float32)
        check = tf.debugging.assert_equal(
            tf.shape(values)[1], tf.shape(history)[1] + ahead,
            message=f"`{name}` needs {message}",
        )
        with tf.control_dependencies([check]):
            inputs[name] = front_padded(values, window + ahead)
    return inputs


def front_padded(values, length):
    """The last `length` steps (axis 1) of `values`, padded at the front with the first step.

    `length` copies of the first step in front, then the last `length` steps
    (a fixed tile: the ONNX and TFLite converters take no zero-length repeats).
    """
    multiples = [1, length] + [1] * (len(values.shape) - 2)
    padding = tf.tile(values[:, :1], multiples)
    return tf.concat([padding, values], axis=1)[:, -length:]


def known_ids(ids, count):
    """`ids` in `[0, count]` as they are, any other 0 (unknown)."""
    ids = tf.cast(ids, tf.int32)
    return tf.where((ids >= 0) & (ids <= count), ids, tf.zeros_like(ids))


def calendar_ids(positions, season):
    """The model's calendar ids of season positions: `position + 1`, 0 outside `[0, season)`."""
    positions = tf.cast(positions, tf.int32)
    return tf.where((positions >= 0) & (positions < season), positions + 1, tf.zeros_like(positions))


def unknown_features(names, history, static_covariates=0):
    """`None` for a model without feature inputs (`names` empty), else the ids' unknown, 0.

    `static_covariates`: how many (their ids `(batch, k)`). Covariates have
    no unknown value: a signature takes them (`default_inputs`).
    """
    if not names:
        return None
    unknown = tf.zeros(tf.shape(history)[:1], tf.int32)
    features = {name: unknown for name in names if name in ("series", "calendar")}
    if "static_covariates" in names:
        features["static_covariates"] = tf.zeros(
            tf.stack([tf.shape(history)[0], static_covariates]), tf.int32
        )
    return features


def default_inputs(names):
    """The feature inputs `serving_default` takes of a model with feature inputs `names`."""
    return tuple(name for name in names if name not in ID_FEATURES)


def with_features(call, names):
    """A function of `history` and the feature inputs `names`, calling `call(history, features)`.

    Its arguments are named as the signature's inputs: `history`, then
    those of `names`, in order.
    """
    if not set(names) <= set(FEATURES) or list(names) != sorted(names, key=FEATURES.index):
        raise ValueError(
            f"Invalid value for argument `names`. Expected some of {FEATURES}, in that order. "
            f"Received: names={names!r}"
        )

    def serve(history, *features):
        return call(history, dict(zip(names, features)))

    # Its arguments named as the inputs, for a call by keyword (`tf.function` reads it).
    serve.__signature__ = inspect.Signature([
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        for name in ("history", *names)
    ])
    return serve


def feature_specs(names, batch, series_dtype=tf.string, covariates=None,
                  past_covariates=None, static_covariates=None):
    """The `TensorSpec`s of the feature inputs `names`, after `history`'s.

    `covariates`, `past_covariates`, `static_covariates`: how many, where
    `names` holds them; the series' names and static covariates are of
    `series_dtype` (text in the SavedModel, ids in the numeric formats).
    """
    specs = []
    if "series" in names:
        specs.append(tf.TensorSpec((batch,), series_dtype, name="series"))
    if "calendar" in names:
        specs.append(tf.TensorSpec((batch,), tf.int32, name="calendar"))
    if "static_covariates" in names:
        specs.append(tf.TensorSpec((batch, static_covariates), series_dtype,
                                   name="static_covariates"))
    for name, count in (("covariates", covariates), ("past_covariates", past_covariates)):
        if name in names:
            specs.append(tf.TensorSpec((batch, None, count), tf.float32, name=name))
    return specs


def covariate_counts(task):
    """`feature_specs`' keyword arguments: the counts of `task`'s covariates, by kind."""
    return {"covariates": len(task.covariate_names),
            "past_covariates": len(task.past_covariate_names),
            "static_covariates": len(task.static_covariate_names)}


def id_table(values):
    """A lookup of `values` (text) to their ids, 1, 2, ... in order; any other text 0 (unknown)."""
    return tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(
            tf.constant(list(values), tf.string),
            tf.range(1, len(values) + 1, dtype=tf.int32),
        ),
        default_value=0,
    )


def history_spec(batch=None):
    return tf.TensorSpec((batch, None), tf.float32, name="history")


class ForecastServing(tf.Module):
    """A trained forecaster whose `serve` takes a history of values (and `with_features` more)."""

    def __init__(self, task, model):
        super().__init__(name="forecast_serving")
        self.model = model
        self.task_features = task.feature_names
        self.window = task.config.window
        self.horizon = task.config.horizon
        self.season = task.config.season
        self.quantiles = task.quantiles
        self.calibration = interval_calibration(task.state)
        self.combination = combination_of(task)
        counts = covariate_counts(task)
        self.static_count = counts["static_covariates"]
        defaults = default_inputs(self.task_features)
        self.serve = tf.function(
            with_features(self._serve, defaults),
            input_signature=[history_spec(), *feature_specs(defaults, None, **counts)],
        )
        self.serve_features = None
        if set(self.task_features) & set(ID_FEATURES):
            if "series" in self.task_features:
                self.series_table = id_table(task.state["series_names"])
            if "static_covariates" in self.task_features:
                self.static_tables = [id_table(values) for values in task.state["static_values"]]
            self.serve_features = tf.function(
                with_features(self._serve_features, self.task_features),
                input_signature=[
                    history_spec(),
                    *feature_specs(self.task_features, None, **counts),
                ],
            )

    def signatures(self):
        signatures = {"serving_default": self.serve}
        if self.serve_features is not None:
            signatures["with_features"] = self.serve_features
        return signatures

    def _check(self, history):
        """`history`, once it is checked: nothing reads it before the check has run."""
        check = tf.debugging.assert_greater(
            tf.shape(history)[1], 0, message="`history` needs at least one value"
        )
        with tf.control_dependencies([check]):
            return tf.identity(history)

    def _serve(self, history, features):
        history = self._check(history)
        given = features
        features = unknown_features(self.task_features, history, self.static_count)
        if features is not None:
            features.update(covariate_inputs(given, history, self.window, self.horizon))
        return forecast_outputs(
            self.model, history, self.window, self.quantiles, self.calibration, features,
            self.combination,
        )

    def _serve_features(self, history, features):
        history = self._check(history)
        ids = {}
        if "series" in features:
            ids["series"] = self.series_table.lookup(features["series"])
        if "calendar" in features:
            ids["calendar"] = calendar_ids(features["calendar"], self.season)
        if "static_covariates" in features:
            values = features["static_covariates"]
            ids["static_covariates"] = tf.stack(
                [table.lookup(values[:, index]) for index, table in enumerate(self.static_tables)],
                axis=1,
            )
        ids.update(covariate_inputs(features, history, self.window, self.horizon))
        return forecast_outputs(
            self.model, history, self.window, self.quantiles, self.calibration, ids,
            self.combination,
        )


def numeric_signatures(task, model, batch):
    """A history in, the forecast (and the interval's bounds) out; with features, a second one.

    A model with covariates (or past covariates) takes them in both
    (`default_inputs`).
    """
    c = task.config
    window, horizon, quantiles, season = c.window, c.horizon, task.quantiles, c.season
    calibration = interval_calibration(task.state)
    combination = combination_of(task)
    counts = covariate_counts(task)
    count = len(task.state.get("series_names") or ())

    def inputs(history, features, ids):
        if ids is not None:
            ids.update(covariate_inputs(features, history, window, horizon))
        return forecast_outputs(model, history, window, quantiles, calibration, ids, combination)

    def serve(history, features):
        return inputs(history, features, unknown_features(
            task.feature_names, history, counts["static_covariates"]
        ))

    def serve_features(history, features):
        ids = {}
        if "series" in features:
            ids["series"] = known_ids(features["series"], count)
        if "calendar" in features:
            ids["calendar"] = calendar_ids(features["calendar"], season)
        if "static_covariates" in features:
            # An id outside a covariate's values reads unknown in the model (`CategoryEmbeddings`).
            ids["static_covariates"] = tf.cast(features["static_covariates"], tf.int32)
        return inputs(history, features, ids)

    names = task.feature_names
    defaults = default_inputs(names)
    signatures = {
        "serving_default": (
            with_features(serve, defaults),
            [history_spec(batch), *feature_specs(defaults, batch, **counts)],
        )
    }
    if set(names) & set(ID_FEATURES):
        signatures["with_features"] = (
            with_features(serve_features, names),
            [history_spec(batch), *feature_specs(names, batch, tf.int32, **counts)],
        )
    return signatures
