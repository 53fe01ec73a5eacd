"""`CharacterEncoder`: a word vector from its characters (CNN + max pooling)."""

import keras
from keras import ops

from rnn_keras.validation import check_positive_int


@keras.saving.register_keras_serializable(package="rnn_keras")
class CharacterEncoder(keras.layers.Layer):
    """Encodes each token from its characters: embedding, convolution, max over time.

    Word embeddings know nothing of a word never seen in training; its
    spelling still tells a lot (capitals, digits, `@`/`#`, suffixes). Each
    token's character ids are embedded, convolved (`kernel_size` wide,
    ReLU) and max-pooled over the token's real characters, giving a
    `filters`-wide vector per token to concatenate with the word
    embedding (Ma and Hovy, 2016). Character id 0 is padding: it embeds as
    zeros and never wins the maximum, so trailing padding changes nothing;
    a token with no characters gives zeros and is masked (the output mask
    is "has characters"), so concatenated with a masked word embedding
    (Keras ORs the masks) padding tokens stay masked.

    Args:
        vocab_size: `int.` Character vocabulary, padding 0 included.
        embedding_dim: `int.` Character embedding size. Defaults to `25`.
        filters: `int.` Output size per token. Defaults to `50`.
        kernel_size: `int.` Convolution width in characters. Defaults to `3`.

    Call arguments:
        inputs: `(batch, tokens, characters)` int character ids.

    Returns:
        `(batch, tokens, filters)`.

    Reference:
        Ma and Hovy, 2016. End-to-end Sequence Labeling via Bi-directional
        LSTM-CNNs-CRF.
    """

    def __init__(self, vocab_size, embedding_dim=25, filters=50, kernel_size=3, **kwargs):
        check_positive_int("vocab_size", vocab_size)
        check_positive_int("embedding_dim", embedding_dim)
        check_positive_int("filters", filters)
        check_positive_int("kernel_size", kernel_size)
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.filters = filters
        self.kernel_size = kernel_size
        self.embedding = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")
        self.convolution = keras.layers.Conv1D(
            filters, kernel_size, padding="same", activation="relu", name="convolution"
        )

    def build(self, inputs_shape):
        self.embedding.build((None, inputs_shape[-1]))
        self.convolution.build((None, inputs_shape[-1], self.embedding_dim))

    def call(self, inputs):
        shape = ops.shape(inputs)
        characters = ops.reshape(inputs, (-1, shape[-1]))
        real = ops.expand_dims(ops.not_equal(characters, 0), -1)
        # Padding characters embed as zeros, like the convolution's own
        # edge padding, so trailing padding changes nothing.
        embedded = self.embedding(characters)
        embedded = ops.where(real, embedded, ops.zeros_like(embedded))
        features = self.convolution(embedded)
        # ReLU outputs are >= 0, so 0 at padding never beats a real character.
        features = ops.where(real, features, ops.zeros_like(features))
        pooled = ops.max(features, axis=1)
        return ops.reshape(pooled, (shape[0], shape[1], self.filters))

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.not_equal(inputs, 0), axis=-1)

    def compute_output_shape(self, inputs_shape):
        return (*inputs_shape[:2], self.filters)

    def get_config(self):
        config = {
            "vocab_size": self.vocab_size,
            "embedding_dim": self.embedding_dim,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
        }
        return {**super().get_config(), **config}
