import keras
from keras import ops

from rnn_keras.validation import check_positive_int


@keras.saving.register_keras_serializable(package="rnn_keras")
class PretrainedEmbedding(keras.layers.Layer):
    """A token embedding whose first `trainable_rows` rows train and the rest stay fixed.

    For pretrained word vectors (`rnn_keras.data.pretrained_embeddings`):
    the vocabulary is the training tokens (ids below `trainable_rows`)
    followed by the words only the vectors file holds. Those never occur in
    the training data, so they never get a gradient; keeping them in a
    non-trainable weight spares the optimizer its dense update of every
    row (with 347,000 rows of GloVe words, a WNUT17 training epoch took
    over ten times longer as one trainable `Embedding`), and their vectors
    stay where the pretrained space put them. The lookup equals a
    `keras.layers.Embedding` with the concatenated weights.

    Args:
        input_dim: `int.` Number of token ids.
        output_dim: `int.` Embedding size.
        trainable_rows: `int.` The ids `0 .. trainable_rows - 1` train;
            `1 <= trainable_rows <= input_dim`.
        mask_zero: `bool.` Id 0 is padding and masked. Defaults to `True`.
        **kwargs: Base layer arguments (`trainable=False` fixes every row).

    Call arguments:
        inputs: `(batch, timesteps)` integer token ids.

    Returns:
        `(batch, timesteps, output_dim)` embeddings; with `mask_zero`, the
        mask is `inputs != 0`.

    Example:

    ```python
    layer = PretrainedEmbedding(10, 4, trainable_rows=6)
    layer.build((None, None))
    layer.set_embeddings(vectors)  # a (10, 4) array
    ```
    """

    def __init__(self, input_dim, output_dim, trainable_rows, mask_zero=True, **kwargs):
        check_positive_int("input_dim", input_dim)
        check_positive_int("output_dim", output_dim)
        check_positive_int("trainable_rows", trainable_rows)
        if trainable_rows > input_dim:
            raise ValueError(
                "Invalid value for argument `trainable_rows`. Expected at most "
                f"`input_dim` ({input_dim}). Received: trainable_rows={trainable_rows}"
            )
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.trainable_rows = trainable_rows
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero

    def build(self, input_shape):
        self.trained_embeddings = self.add_weight(
            shape=(self.trainable_rows, self.output_dim),
            initializer="uniform",
            name="trained_embeddings",
        )
        self.fixed_embeddings = self.add_weight(
            shape=(self.input_dim - self.trainable_rows, self.output_dim),
            initializer="uniform",
            trainable=False,
            name="fixed_embeddings",
        )

    @property
    def embeddings(self):
        """The whole `(input_dim, output_dim)` table, trained rows first."""
        return ops.concatenate([self.trained_embeddings, self.fixed_embeddings], axis=0)

    def set_embeddings(self, matrix):
        """Sets the whole table from an `(input_dim, output_dim)` array."""
        shape = tuple(getattr(matrix, "shape", ()))
        if shape != (self.input_dim, self.output_dim):
            raise ValueError(
                "Invalid value for argument `matrix`. Expected shape "
                f"{(self.input_dim, self.output_dim)}. Received: shape={shape}"
            )
        self.trained_embeddings.assign(matrix[: self.trainable_rows])
        self.fixed_embeddings.assign(matrix[self.trainable_rows :])

    def call(self, inputs):
        ids = ops.cast(inputs, "int32")
        rows = self.trainable_rows
        trained = ops.take(self.trained_embeddings, ops.minimum(ids, rows - 1), axis=0)
        if self.input_dim > rows:
            fixed = ops.take(self.fixed_embeddings, ops.maximum(ids - rows, 0), axis=0)
            trained = ops.where(ops.expand_dims(ids < rows, -1), trained, fixed)
        return ops.cast(trained, self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "trainable_rows": self.trainable_rows,
            "mask_zero": self.mask_zero,
        }
