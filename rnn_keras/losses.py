"""Losses: the quantile (pinball) loss of probabilistic forecasters."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="rnn_keras")
class QuantileLoss(keras.losses.Loss):
    """The pinball loss of forecasts at several quantiles.

    For quantile `q` and error `e = y - f`, the loss is `max(q e, (q - 1) e)`;
    its minimiser is the `q`-quantile of `y`, so a model trained with it
    forecasts quantiles, and the outer two bound a prediction interval.
    The loss is averaged over the quantiles (and reduced over the rest as
    Keras losses are).

    Args:
        quantiles: list of `float` in `(0, 1)`, one per entry of the
            forecast's last axis.
        reduction, name: as for `keras.losses.Loss`.

    Call arguments:
        y_true: `(batch, ...)` values.
        y_pred: `(batch, ..., len(quantiles))` forecasts.

    Example:

    ```python
    loss = QuantileLoss([0.1, 0.5, 0.9])
    loss(y_true, y_pred)  # y_pred has a last axis of 3
    ```

    Reference:
        Koenker & Bassett, 1978. Regression quantiles.
    """

    def __init__(self, quantiles=(0.1, 0.5, 0.9), reduction="sum_over_batch_size",
                 name="quantile_loss"):
        super().__init__(reduction=reduction, name=name)
        quantiles = [float(q) for q in quantiles]
        if not quantiles or any(not 0 < q < 1 for q in quantiles):
            raise ValueError(
                "Invalid value for argument `quantiles`. Expected a non-empty list of "
                f"numbers in (0, 1). Received: quantiles={quantiles!r}"
            )
        self.quantiles = quantiles

    def call(self, y_true, y_pred):
        quantiles = ops.cast(ops.convert_to_tensor(self.quantiles), y_pred.dtype)
        error = ops.expand_dims(ops.cast(y_true, y_pred.dtype), -1) - y_pred
        loss = ops.maximum(quantiles * error, (quantiles - 1.0) * error)
        return ops.mean(loss, axis=-1)

    def get_config(self):
        return {**super().get_config(), "quantiles": self.quantiles}
