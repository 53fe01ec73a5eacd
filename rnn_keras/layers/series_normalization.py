"""`SeriesNormalization`: standardised series with missing steps masked."""

import keras
from keras import ops

MODES = ("channel", "series")


@keras.saving.register_keras_serializable(package="rnn_keras")
class SeriesNormalization(keras.layers.Layer):
    """Standardises real-valued series and masks the steps that hold no value.

    Variable-length series are padded with NaN (as sktime and aeon pad
    unequal-length collections), so a padded step cannot be confused with a
    measured value of 0: a step is masked when none of its channels is a
    finite number, and non-finite values become 0 after standardising.

    `mode="channel"` standardises every channel with fixed statistics (the
    training data's per-channel mean and standard deviation), keeping the
    level of a series, which often tells the classes apart. `mode="series"`
    standardises every series and channel by its own mean and standard
    deviation over its finite values (z-normalisation, as the UCR archive
    ships its series), for data where only the shape matters.

    Args:
        mean: `float` or list of `float`, one per channel. The per-channel
            means for `mode="channel"`. Defaults to `0.0`.
        std: `float` or list of `float`, one per channel. The per-channel
            standard deviations for `mode="channel"`. Defaults to `1.0`.
        mode: `"channel"` or `"series"`. Defaults to `"channel"`.
        epsilon: `float.` Floor of a standard deviation. Defaults to `1e-6`.

    Call arguments:
        inputs: `(batch, timesteps, channels)` float values, NaN where a
            step is missing or padding.

    Returns:
        `(batch, timesteps, channels)` standardised values (0 where NaN),
        with a `(batch, timesteps)` mask of the steps that hold a value.

    Example:

    ```python
    layer = SeriesNormalization(mean=[1.2, -0.3], std=[0.4, 0.2])
    outputs = layer(np.array([[[1.6, -0.1], [np.nan, np.nan]]]))  # 2nd step masked
    ```
    """

    def __init__(self, mean=0.0, std=1.0, mode="channel", epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        if mode not in MODES:
            raise ValueError(
                f"Invalid value for argument `mode`. Expected one of {MODES}. "
                f"Received: mode={mode!r}"
            )
        self.mean = [float(v) for v in mean] if isinstance(mean, (list, tuple)) else float(mean)
        self.std = [float(v) for v in std] if isinstance(std, (list, tuple)) else float(std)
        self.mode = mode
        self.epsilon = float(epsilon)
        self.supports_masking = True

    def call(self, inputs):
        finite = ops.isfinite(inputs)
        values = ops.where(finite, inputs, ops.zeros_like(inputs))
        if self.mode == "channel":
            mean = ops.cast(ops.convert_to_tensor(self.mean), inputs.dtype)
            std = ops.cast(ops.convert_to_tensor(self.std), inputs.dtype)
        else:
            weights = ops.cast(finite, inputs.dtype)
            count = ops.maximum(ops.sum(weights, axis=1, keepdims=True), 1.0)
            mean = ops.sum(values, axis=1, keepdims=True) / count
            variance = ops.sum(weights * ops.square(values - mean), axis=1, keepdims=True) / count
            std = ops.sqrt(variance)
        scaled = (values - mean) / ops.maximum(std, self.epsilon)
        return ops.where(finite, scaled, ops.zeros_like(scaled))

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.isfinite(inputs), axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {
            "mean": self.mean,
            "std": self.std,
            "mode": self.mode,
            "epsilon": self.epsilon,
        }
        return {**super().get_config(), **config}
