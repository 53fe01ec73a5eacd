import keras
from keras import ops

from rnn_keras.validation import check_positive_int


@keras.saving.register_keras_serializable(package="rnn_keras")
class OneHotEmbedding(keras.layers.Layer):
    """Token ids to one-hot vectors, with id 0 masked as padding.

    The textbook input of a recurrent network: `x_t` is the one-hot vector
    of token `t`, so `x_t W_xh` picks one row of `W_xh`. Equivalent to an
    `Embedding(vocab_size, vocab_size, mask_zero=True)` frozen to the
    identity, without the parameters.

    Args:
        vocab_size: `int.` Number of token ids (the one-hot width).
        **kwargs: Base layer arguments.

    Call arguments:
        inputs: `(batch, timesteps)` integer token ids.

    Returns:
        `(batch, timesteps, vocab_size)` float one-hot vectors; the mask is
        `inputs != 0`.

    Example:

    ```python
    OneHotEmbedding(5)(np.array([[1, 3, 0]]))  # (1, 3, 5); last step masked
    ```
    """

    def __init__(self, vocab_size, **kwargs):
        check_positive_int("vocab_size", vocab_size)
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.supports_masking = True

    def call(self, inputs):
        return ops.one_hot(ops.cast(inputs, "int32"), self.vocab_size, dtype=self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.vocab_size)

    def get_config(self):
        return {**super().get_config(), "vocab_size": self.vocab_size}
