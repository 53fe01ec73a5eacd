"""`CategoryEmbeddings`: a vector for each of several categorical ids, side by side."""

import keras
from keras import ops

from rnn_keras.validation import check_positive_int
from rnn_keras.validation import check_rate


@keras.saving.register_keras_serializable(package="rnn_keras")
class CategoryEmbeddings(keras.layers.Layer):
    """Embeds each column of `(batch, k)` category ids by its own table, the vectors joined.

    A series' static covariates (GluonTS's `feat_static_cat`, Darts'
    static covariates: its store, state, product group): column `j` holds
    ids `1..cardinalities[j]`, 0 for a value training never saw. An id
    outside `[0, cardinalities[j]]` reads 0 too. While training, each id
    reads 0 with probability `rate`, so that the unknown value gets a
    learnt vector (`TokenDropout`'s word dropout).

    Args:
        cardinalities: list of `int`, the number of known values of each
            column.
        output_dims: list of `int` or `None.` Each column's vector size.
            Defaults to `None`: as many as its values, at most 16.
        rate: `float` in `[0, 1).` Probability of reading an id as 0 while
            training. Defaults to `0.0`.
        seed: `int` or `None.` Random seed. Defaults to `None`.

    Call arguments:
        inputs: `(batch, k)` int ids, `k = len(cardinalities)`.
        training: `bool.` Drop ids only when `True`.

    Returns:
        `(batch, sum(output_dims))` float vectors.

    Example:

    ```python
    layer = CategoryEmbeddings([8, 2, 2])
    vectors = layer(np.array([[1, 2, 0]]))  # (1, 12): 8 + 2 + 2
    ```
    """

    def __init__(self, cardinalities, output_dims=None, rate=0.0, seed=None, **kwargs):
        cardinalities = [int(count) for count in cardinalities]
        if not cardinalities:
            raise ValueError(
                "Invalid value for argument `cardinalities`. Expected a non-empty list of "
                "positive integers. Received: cardinalities=[]"
            )
        for count in cardinalities:
            check_positive_int("cardinalities", count)
        if output_dims is None:
            output_dims = [min(count, 16) for count in cardinalities]
        output_dims = [int(dim) for dim in output_dims]
        if len(output_dims) != len(cardinalities):
            raise ValueError(
                "Invalid value for argument `output_dims`. Expected one size per column "
                f"({len(cardinalities)}). Received: output_dims={output_dims}"
            )
        for dim in output_dims:
            check_positive_int("output_dims", dim)
        check_rate("rate", rate)
        super().__init__(**kwargs)
        self.cardinalities = cardinalities
        self.output_dims = output_dims
        self.rate = float(rate)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        if input_shape[-1] is not None and input_shape[-1] != len(self.cardinalities):
            raise ValueError(
                f"Invalid input shape for `{self.name}`. Expected (batch, "
                f"{len(self.cardinalities)}): a column per category. Received: {input_shape}"
            )
        self.tables = [
            self.add_weight(
                shape=(count + 1, dim), initializer="uniform", name=f"embeddings_{index}"
            )
            for index, (count, dim) in enumerate(zip(self.cardinalities, self.output_dims))
        ]

    def call(self, inputs, training=False):
        ids = ops.cast(inputs, "int32")
        if training and self.rate > 0:
            drop = keras.random.uniform(ops.shape(ids), seed=self.seed_generator) < self.rate
            ids = ops.where(drop, ops.zeros_like(ids), ids)
        vectors = []
        for index, (count, table) in enumerate(zip(self.cardinalities, self.tables)):
            column = ids[:, index]
            column = ops.where((column >= 0) & (column <= count), column, ops.zeros_like(column))
            vectors.append(ops.take(table, column, axis=0))
        return ops.concatenate(vectors, axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], sum(self.output_dims))

    def get_config(self):
        config = {
            "cardinalities": self.cardinalities,
            "output_dims": self.output_dims,
            "rate": self.rate,
            "seed": self.seed,
        }
        return {**super().get_config(), **config}
