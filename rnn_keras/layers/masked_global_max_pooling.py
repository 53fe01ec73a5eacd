import keras
from keras import ops


@keras.saving.register_keras_serializable(package="rnn_keras")
class MaskedGlobalMaxPooling1D(keras.layers.Layer):
    """Maximum over time of the unmasked steps only.

    `keras.layers.GlobalMaxPooling1D` ignores masks, so padding can win the
    maximum; here masked steps never do. A fully masked row gives zeros.

    Call arguments:
        inputs: `(batch, timesteps, features)`.
        mask: optional `(batch, timesteps)` bool mask.

    Returns:
        `(batch, features)`.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return ops.max(inputs, axis=1)
        mask = ops.cast(mask, "bool")[:, :, None]
        lowest = ops.full_like(inputs, -65000.0 if inputs.dtype == "float16" else -3.0e38)
        pooled = ops.max(ops.where(mask, inputs, lowest), axis=1)
        return ops.where(ops.any(mask, axis=1), pooled, ops.zeros_like(pooled))

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2])
