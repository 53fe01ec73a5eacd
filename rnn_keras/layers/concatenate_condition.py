import keras
from keras import ops


@keras.saving.register_keras_serializable(package="rnn_keras")
class ConcatenateCondition(keras.layers.Layer):
    """Appends one conditioning vector to every step of a sequence.

    The 1→N generator's way of feeding a single vector (a class, a style, any
    conditioning) to every step: `[x_t; c]` for all `t`. The sequence's mask
    passes through.

    Call arguments:
        inputs: list `[sequence, condition]`, `(batch, T, d)` and
            `(batch, c)`.

    Returns:
        `(batch, T, d + c)`.

    Example:

    ```python
    ConcatenateCondition()([np.zeros((2, 5, 3)), np.ones((2, 4))])  # (2, 5, 7)
    ```
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        sequence, condition = inputs
        steps = ops.shape(sequence)[1]
        condition = ops.cast(condition, sequence.dtype)[:, None, :]
        condition = ops.repeat(condition, steps, axis=1)
        return ops.concatenate([sequence, condition], axis=-1)

    def compute_mask(self, inputs, mask=None):
        return None if mask is None else mask[0]

    def compute_output_shape(self, inputs_shape):
        sequence_shape, condition_shape = inputs_shape
        return (*sequence_shape[:-1], sequence_shape[-1] + condition_shape[-1])
