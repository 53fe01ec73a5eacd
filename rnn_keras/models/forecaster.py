"""Forecasting: real-valued history in, future steps out."""

import keras
import numpy as np

from rnn_keras.layers import CategoryEmbeddings
from rnn_keras.layers import ConcatenateCondition
from rnn_keras.layers import TokenDropout
from rnn_keras.layers import WindowScaling
from rnn_keras.layers import recurrent_block
from rnn_keras.layers.window_scaling import window_levels
from rnn_keras.layers.window_scaling import zero_window_scale
from rnn_keras.losses import QuantileLoss
from rnn_keras.metrics import QuantileError
from rnn_keras.models.inputs import check_token_or_feature_arguments
from rnn_keras.models.inputs import compile_model
from rnn_keras.validation import check_one_of
from rnn_keras.validation import check_positive_int
from rnn_keras.validation import check_rate

# The largest embedding of a series id or calendar position.
MAX_FEATURE_DIM = 16


def _statistics(history, mean, std, num_features, argument):
    """Per-feature mean and variance, from explicit values or from data."""
    if history is not None:
        history = np.asarray(history, "float64")
        if history.ndim != 3 or history.shape[-1] != num_features:
            raise ValueError(
                f"Invalid value for argument `{argument}`. Expected an array of shape "
                f"(samples, timesteps, {num_features}). Received: shape={history.shape}"
            )
        flat = history.reshape(-1, num_features)
        return flat.mean(0), np.maximum(flat.var(0), 1e-12)
    if mean is None:
        return np.zeros(num_features), np.ones(num_features)
    mean = np.broadcast_to(np.asarray(mean, "float64"), (num_features,))
    std = np.broadcast_to(np.asarray(1.0 if std is None else std, "float64"), (num_features,))
    return mean, np.maximum(std, 1e-6) ** 2


def _covariate_normalization(history, count, argument, name):
    """A `Normalization` of covariates by `history`'s statistics (`_statistics`).

    A covariate constant in training (a law not yet passed) tells nothing
    the model could learn: its variance is taken as 1e24, so that it reads
    as nothing, rather than its other values as millions of deviations.
    """
    mean, variance = _statistics(history, None, None, count, argument)
    variance = np.where(variance <= 1e-12, 1e24, variance)
    return keras.layers.Normalization(
        axis=-1, mean=mean.tolist(), variance=variance.tolist(), name=name
    )


def build_forecaster(
    num_features,
    horizon=1,
    target_indices=None,
    cell="lstm",
    units=64,
    num_layers=1,
    bidirectional=False,
    dropout=0.0,
    recurrent_dropout=0.0,
    history=None,
    mean=None,
    std=None,
    input_length=None,
    scaling="global",
    seasonal_period=None,
    quantiles=None,
    num_series=None,
    season=None,
    feature_dim=None,
    static_cardinalities=None,
    num_covariates=None,
    covariate_history=None,
    num_past_covariates=None,
    past_covariate_history=None,
    unknown_rate=0.1,
    optimizer="adam",
    learning_rate=1e-3,
    clipnorm=None,
    global_clipnorm=1.0,
    ema_momentum=None,
    name="forecaster",
):
    """Builds and compiles a forecaster: a window of the past → the next steps.

    Inputs are standardised inside the model (`Normalization` with stored
    mean and variance) and forecasts are mapped back to original units
    (`Normalization(invert=True)`), so the saved model takes and returns
    raw values. Forecasting is single-shot: all `horizon` steps at once.
    For autoregressive forecasting, build with `horizon=1` and every
    feature as a target, and roll it forward with `forecast_autoregressive`.

    Args:
        num_features: `int.` Features per step.
        horizon: `int.` Future steps predicted at once. Defaults to `1`.
        target_indices: `list` of feature indices to forecast, or `None`
            for all features. Defaults to `None`.
        cell, units, num_layers, bidirectional, dropout, recurrent_dropout:
            the recurrent block.
        history: optional `(samples, timesteps, num_features)` training
            windows to take the normalisation statistics from.
        mean, std: per-feature statistics when `history` is not given
            (scalars broadcast). Without either, no normalisation.
        input_length: `int` or `None.` Fixed window length, if any.
        scaling: `"global"`: standardise with the statistics above.
            `"window"`: also divide each window by its own mean absolute
            level and multiply the forecast back (`WindowScaling`), for
            series with a trend; a window of zeros is scaled by the median
            level of `history`'s other windows (`zero_window_scale`).
            `"last"`: as `"window"`, and the output is the change from the
            window's last value (in the window's scale), so a head that
            says nothing forecasts the naive forecast. `"season"`: as
            `"last"`, from the seasonal naive forecast (the value one
            `seasonal_period` before each step). `"adjusted"`: as `"last"`,
            from the last value less its seasonal index plus each step's,
            the indices those of the window's classical decomposition
            (Naive2, `seasonal_anchor_matrix`). Defaults to `"global"`.
        seasonal_period: `int` (2 or more) with `scaling="season"`, at most
            `input_length`; with `scaling="adjusted"`, at most half a fixed
            `input_length`; else `None`. Defaults to `None`.
        quantiles: list of `float` in `(0, 1)`, or `None.` Forecast these
            quantiles of every step (a last output axis of their size),
            trained with the pinball loss (`QuantileLoss`), instead of one
            value trained with the mean squared error. Defaults to `None`.
        num_series: `int` or `None.` With it, the model also takes a
            `series` input: each window's series id, `1..num_series` (0:
            unknown), embedded and joined to the encoder's summary before
            the output layer (DeepAR's series identity). Defaults to `None`.
        season: `int` (2 or more) or `None.` With it, the model also takes a
            `calendar` input: the position in the season of each window's
            first forecast step, as `position + 1` (0: unknown), embedded
            and joined as the series id. Defaults to `None`.
        feature_dim: `int` or `None.` Size of each embedding. Defaults to
            `None`: as many as ids, at most 16.
        static_cardinalities: list of `int` or `None.` With it, the model
            also takes a `static_covariates` input: `(batch, k)` int32 ids
            of each series' categories (GluonTS's `feat_static_cat`: its
            state, store, product group), column `j` in
            `1..static_cardinalities[j]` (0: unknown), each embedded by its
            own table (`CategoryEmbeddings`), the vectors joined to every
            step of the encoder's input (DeepAR's) and to its summary.
            Defaults to `None`.
        num_covariates: `int` or `None.` With it (and a fixed
            `input_length`), the model also takes a `covariates` input:
            `(batch, input_length + horizon, num_covariates)` values known
            over the window and the horizon after it (Darts' future
            covariates), standardised inside the model. Those of the window
            join the history's features at each step of the encoder; those
            of the horizon, each step's through a `tanh` layer of 16 units,
            join its summary before the output layer. A covariate constant
            in `covariate_history` is read as 0 whatever its value (its
            variance taken as 1e24).
            Defaults to `None`.
        covariate_history: optional `(samples, input_length + horizon,
            num_covariates)` training covariates to take their
            standardisation statistics from. Defaults to `None`: none.
        num_past_covariates: `int` or `None.` With it (and a fixed
            `input_length`), the model also takes a `past_covariates`
            input: `(batch, input_length, num_past_covariates)` values
            observed over the window only (Darts' past covariates),
            standardised inside the model as the covariates are, joining
            the history's features at each step of the encoder. Defaults
            to `None`.
        past_covariate_history: optional `(samples, input_length,
            num_past_covariates)` training values to take their
            standardisation statistics from. Defaults to `None`: none.
        unknown_rate: `float` in `[0, 1).` Share of training windows whose
            series id and calendar position read unknown (`TokenDropout`
            to 0), so that a history without them gets a learnt forecast
            too. Defaults to `0.1`.
        optimizer, learning_rate, clipnorm, global_clipnorm, ema_momentum: the optimizer
            (see `rnn_keras.optimizers.get_optimizer`).
        name: `str.` Defaults to `"forecaster"`.

    Returns:
        A compiled `keras.Model`: `history` `(batch, T, num_features)` (with
        `num_series` or `season`, a dict of it and the `series` and
        `calendar` `(batch,)` int32 ids, `static_covariates`, `covariates`,
        `past_covariates`) →
        `(batch, horizon, num_targets)` in original units; loss MSE,
        metrics RMSE and MAE (in original units). With `quantiles`,
        `(batch, horizon, num_targets, len(quantiles))`, loss `QuantileLoss`,
        metrics RMSE and MAE of the quantile nearest the median.

    Example:

    ```python
    model = build_forecaster(1, horizon=12, history=train_windows)
    model.fit(train_windows, train_targets)
    ```
    """
    check_token_or_feature_arguments(None, num_features)
    check_positive_int("horizon", horizon)
    check_one_of("scaling", scaling, ("global", "window", "last", "season", "adjusted"))
    # The seasonal naive forecast needs a period of history; the indices two.
    periods = 2 if scaling == "adjusted" else 1
    if (scaling in ("season", "adjusted")) != (seasonal_period is not None) or (
        seasonal_period is not None
        and (not isinstance(seasonal_period, (int, np.integer)) or seasonal_period < 2
             or (scaling == "adjusted" and input_length is None)
             or (input_length is not None and periods * seasonal_period > input_length))
    ):
        raise ValueError(
            "Invalid value for argument `seasonal_period`. Expected an integer from 2 to "
            "`input_length` with scaling='season', to half a fixed `input_length` with "
            "scaling='adjusted', and None otherwise. Received: "
            f"seasonal_period={seasonal_period!r}, scaling={scaling!r}, "
            f"input_length={input_length!r}"
        )
    if num_series is not None:
        check_positive_int("num_series", num_series)
    if season is not None and (not isinstance(season, (int, np.integer)) or season < 2):
        raise ValueError(
            "Invalid value for argument `season`. Expected an integer of 2 or more (or None). "
            f"Received: season={season!r}"
        )
    if feature_dim is not None:
        check_positive_int("feature_dim", feature_dim)
    if static_cardinalities is not None:
        if not static_cardinalities:
            raise ValueError(
                "Invalid value for argument `static_cardinalities`. Expected a non-empty list of "
                "positive integers, or None. Received: static_cardinalities=[]"
            )
        for count in static_cardinalities:
            check_positive_int("static_cardinalities", count)
    for argument, count in (("num_covariates", num_covariates),
                            ("num_past_covariates", num_past_covariates)):
        if count is None:
            continue
        check_positive_int(argument, count)
        if input_length is None:
            raise ValueError(
                "Invalid value for argument `input_length`. Expected the window's fixed length "
                f"with `{argument}`, read at the window's steps. Received: input_length=None"
            )
    check_rate("unknown_rate", unknown_rate)
    if target_indices is None:
        target_indices = list(range(num_features))
    target_indices = list(target_indices)
    if not target_indices or any(
        not isinstance(i, (int, np.integer)) or not 0 <= i < num_features for i in target_indices
    ):
        raise ValueError(
            "Invalid value for argument `target_indices`. Expected a non-empty "
            f"list of feature indices in [0, {num_features}). Received: "
            f"target_indices={target_indices!r}"
        )
    default_scale = None
    if scaling != "global" and history is not None and np.ndim(history) == 3:
        # The statistics of what the encoder sees: windows over their level.
        default_scale = zero_window_scale(history)
        history = history / window_levels(history, default_scale)
    feature_mean, feature_variance = _statistics(history, mean, std, num_features, "history")
    num_targets = len(target_indices)
    if quantiles is not None:
        loss = QuantileLoss(quantiles)
        # Every target's quantiles side by side: target-major outputs.
        outputs_per_step = num_targets * len(loss.quantiles)
        output_targets = [i for i in target_indices for _ in loss.quantiles]
    else:
        loss = "mse"
        outputs_per_step = num_targets
        output_targets = target_indices

    # === Layers ===
    normalization = keras.layers.Normalization(
        axis=-1,
        mean=feature_mean.tolist(),
        variance=feature_variance.tolist(),
        name="normalization",
    )
    encoder = recurrent_block(
        cell,
        units,
        num_layers,
        bidirectional,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        name="encoder",
    )
    head = keras.layers.Dense(horizon * outputs_per_step, name="forecast_normalized")
    reshape = keras.layers.Reshape((horizon, outputs_per_step), name="reshape")
    last = "forecast" if quantiles is None else "forecast_steps"
    # Anchored ("last", "season", "adjusted"), the output is a change from a naive
    # forecast: centred on 0.
    anchored = scaling in ("last", "season", "adjusted")
    output_mean = np.zeros_like(feature_mean) if anchored else feature_mean
    denormalization = keras.layers.Normalization(
        axis=-1,
        mean=output_mean[output_targets].tolist(),
        variance=feature_variance[output_targets].tolist(),
        invert=True,
        name=last if scaling == "global" else "denormalization",
    )

    features = {"series": num_series, "calendar": season}
    features = {name: count for name, count in features.items() if count is not None}
    feature_layers = {
        name: (
            TokenDropout(unknown_rate, unknown_id=0, name=f"{name}_dropout"),
            keras.layers.Embedding(
                count + 1, feature_dim or min(count, MAX_FEATURE_DIM), name=f"{name}_embedding"
            ),
        )
        for name, count in features.items()
    }

    if num_covariates is not None:
        covariate_normalization = _covariate_normalization(
            covariate_history, num_covariates, "covariate_history", "covariate_normalization"
        )
    if num_past_covariates is not None:
        past_normalization = _covariate_normalization(
            past_covariate_history, num_past_covariates, "past_covariate_history",
            "past_covariate_normalization",
        )

    # === Functional Model ===
    inputs = keras.Input(shape=(input_length, num_features), name="history")
    feature_inputs = {
        name: keras.Input(shape=(), dtype="int32", name=name) for name in feature_layers
    }
    static = []
    if static_cardinalities is not None:
        feature_inputs["static_covariates"] = keras.Input(
            shape=(len(static_cardinalities),), dtype="int32", name="static_covariates"
        )
        static = [CategoryEmbeddings(
            static_cardinalities,
            None if feature_dim is None else [feature_dim] * len(static_cardinalities),
            rate=unknown_rate,
            name="static_covariate_embeddings",
        )(feature_inputs["static_covariates"])]
    scaled = inputs
    if scaling != "global":
        scaled = WindowScaling(default_scale=default_scale, name="window_scaling")(inputs)
    encoded = normalization(scaled)
    ahead = []
    if num_covariates is not None:
        feature_inputs["covariates"] = keras.Input(
            shape=(input_length + horizon, num_covariates), name="covariates"
        )
        known = covariate_normalization(feature_inputs["covariates"])
        past = keras.layers.Cropping1D((0, horizon), name="window_covariates")(known)
        encoded = keras.layers.Concatenate(name="history_and_covariates")([encoded, past])
        future = keras.layers.Cropping1D((input_length, 0), name="horizon_covariates")(known)
        # Each step's covariates through a layer of their own (the demand a temperature
        # brings is no straight line in it), then every step's side by side.
        future = keras.layers.Dense(
            MAX_FEATURE_DIM, activation="tanh", name="horizon_covariates_dense"
        )(future)
        ahead = [keras.layers.Flatten(name="horizon_covariates_flat")(future)]
    if static:
        # At every step of the encoder too, as DeepAR's: a category may set how the
        # series moves (its dynamics), not only an offset of the forecast.
        encoded = ConcatenateCondition(name="history_and_static_covariates")(
            [encoded, static[0]]
        )
    if num_past_covariates is not None:
        feature_inputs["past_covariates"] = keras.Input(
            shape=(input_length, num_past_covariates), name="past_covariates"
        )
        observed = past_normalization(feature_inputs["past_covariates"])
        encoded = keras.layers.Concatenate(name="history_and_past_covariates")(
            [encoded, observed]
        )
    summary = encoder(encoded)
    if feature_inputs:
        embedded = [
            embedding(dropout(feature_inputs[name]))
            for name, (dropout, embedding) in feature_layers.items()
        ]
        summary = keras.layers.Concatenate(name="summary_and_features")(
            [summary, *embedded, *static, *ahead]
        )
    forecast = reshape(head(summary))
    if scaling != "global":
        forecast = WindowScaling(
            output_targets,
            invert=True,
            anchor=anchored,
            default_scale=default_scale,
            period=seasonal_period,
            adjusted=scaling == "adjusted",
            name=last,
        )([denormalization(forecast), inputs])
    else:
        forecast = denormalization(forecast)
    if quantiles is not None:
        forecast = keras.layers.Reshape(
            (horizon, num_targets, len(loss.quantiles)), name="forecast"
        )(forecast)
    model_inputs = {"history": inputs, **feature_inputs} if feature_inputs else inputs
    model = keras.Model(model_inputs, forecast, name=name)
    if quantiles is None:
        metrics = [
            keras.metrics.RootMeanSquaredError(name="rmse"),
            keras.metrics.MeanAbsoluteError(name="mae"),
        ]
    else:
        median = min(range(len(loss.quantiles)), key=lambda i: abs(loss.quantiles[i] - 0.5))
        metrics = [QuantileError("rmse", median), QuantileError("mae", median)]
    return compile_model(
        model,
        loss,
        metrics,
        optimizer,
        learning_rate,
        clipnorm,
        global_clipnorm,
        ema_momentum,
    )


def forecast_autoregressive(model, history, steps):
    """Rolls a one-step forecaster forward `steps` times on its own outputs.

    Args:
        model: a `build_forecaster` model with `horizon=1` that forecasts
            every input feature.
        history: `(batch, T, num_features)` array of the latest windows.
        steps: `int.` Steps to forecast.

    Returns:
        `(batch, steps, num_features)` forecasts in original units.
    """
    check_positive_int("steps", steps)
    horizon, num_targets = model.output.shape[1:]
    num_features = model.input.shape[-1]
    if horizon != 1 or num_targets != num_features:
        raise ValueError(
            "Invalid value for argument `model`. Expected a forecaster with "
            f"horizon 1 that forecasts all {num_features} features. Received: "
            f"horizon={horizon}, targets={num_targets}"
        )
    window = np.asarray(history, "float32")
    forecasts = []
    for _ in range(steps):
        next_step = np.asarray(model(window, training=False))
        forecasts.append(next_step)
        window = np.concatenate([window[:, 1:], next_step], axis=1)
    return np.concatenate(forecasts, axis=1)
