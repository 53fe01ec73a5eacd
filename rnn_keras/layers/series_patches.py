"""`SeriesPatches`: a long series read as a shorter series of patches."""

import keras
from keras import ops

from rnn_keras.validation import check_positive_int


@keras.saving.register_keras_serializable(package="rnn_keras")
class SeriesPatches(keras.layers.Layer):
    """Groups every `patch_size` consecutive steps of a series into one step.

    A recurrent network over a 1,500-step series runs 1,500 sequential
    steps; over patches of 8 it runs 188, each reading the 8 values of its
    patch at once (the recurrent layer's input kernel is then the patch
    embedding, as in PatchTST's linear patch projection). The series is
    padded with zeros to a multiple of `patch_size`; a patch is masked
    when every step in it is.

    Args:
        patch_size: `int.` Steps per patch. Defaults to `1` (unchanged).

    Call arguments:
        inputs: `(batch, timesteps, channels)`.
        mask: optional `(batch, timesteps)` bool mask.

    Returns:
        `(batch, ceil(timesteps / patch_size), patch_size * channels)`, the
        steps of a patch in order, channels interleaved; with a mask when
        the input has one.

    Example:

    ```python
    patches = SeriesPatches(4)(np.zeros((2, 10, 3)))  # shape (2, 3, 12)
    ```

    Reference:
        Nie et al., 2023. A time series is worth 64 words: long-term
        forecasting with Transformers.
    """

    def __init__(self, patch_size=1, **kwargs):
        super().__init__(**kwargs)
        check_positive_int("patch_size", patch_size)
        self.patch_size = int(patch_size)
        self.supports_masking = True

    def _padding(self, timesteps):
        return (-timesteps) % self.patch_size

    def call(self, inputs):
        if self.patch_size == 1:
            return inputs
        shape = ops.shape(inputs)
        padding = self._padding(shape[1])
        padded = ops.pad(inputs, [[0, 0], [0, padding], [0, 0]])
        patches = (shape[1] + padding) // self.patch_size
        return ops.reshape(padded, (shape[0], patches, self.patch_size * shape[2]))

    def compute_mask(self, inputs, mask=None):
        if mask is None or self.patch_size == 1:
            return mask
        # Padded with `patch_size - 1` masked steps, a "valid" max pooling of
        # stride `patch_size` gives ceil(timesteps / patch_size) patches, as
        # many as `call` makes (also for a symbolic, unknown length).
        steps = ops.pad(ops.cast(mask, "float32"), [[0, 0], [0, self.patch_size - 1]])
        pooled = ops.max_pool(steps[:, :, None], self.patch_size, self.patch_size, "valid")
        return pooled[:, :, 0] > 0

    def compute_output_shape(self, input_shape):
        batch, timesteps, channels = input_shape
        if timesteps is not None:
            timesteps = -(-timesteps // self.patch_size)
        return (batch, timesteps, None if channels is None else channels * self.patch_size)

    def get_config(self):
        return {**super().get_config(), "patch_size": self.patch_size}
