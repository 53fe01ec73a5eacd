"""`QuantileError`: RMSE or MAE of one quantile of a probabilistic forecast."""

import keras
from keras import ops

KINDS = ("rmse", "mae")


@keras.saving.register_keras_serializable(package="rnn_keras")
class QuantileError(keras.metrics.Mean):
    """The RMSE or MAE of the forecast at one quantile (the median, say).

    A quantile forecaster's outputs have a last axis of quantiles; this
    metric scores the one at `index` against the targets, in the same
    units, so its figures compare with a point forecaster's.

    Args:
        kind: `"rmse"` or `"mae"`. Defaults to `"mae"`.
        index: `int.` The quantile's position on the last axis. Defaults
            to `0`.
        name, dtype: as for Keras metrics. `name` defaults to `kind`.

    Example:

    ```python
    metric = QuantileError("rmse", index=1)  # quantiles (0.1, 0.5, 0.9)
    metric.update_state(y_true, y_pred)
    ```
    """

    def __init__(self, kind="mae", index=0, name=None, dtype=None):
        if kind not in KINDS:
            raise ValueError(
                f"Invalid value for argument `kind`. Expected one of {KINDS}. "
                f"Received: kind={kind!r}"
            )
        super().__init__(name=name or kind, dtype=dtype)
        self.kind = kind
        self.index = int(index)

    def update_state(self, y_true, y_pred, sample_weight=None):
        forecast = y_pred[..., self.index]
        error = ops.cast(y_true, forecast.dtype) - forecast
        error = ops.square(error) if self.kind == "rmse" else ops.abs(error)
        return super().update_state(error, sample_weight=sample_weight)

    def result(self):
        mean = super().result()
        return ops.sqrt(mean) if self.kind == "rmse" else mean

    def get_config(self):
        return {"kind": self.kind, "index": self.index, "name": self.name, "dtype": self.dtype}
