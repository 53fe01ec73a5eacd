import keras
from keras import ops

from rnn_keras.validation import check_one_of
from rnn_keras.validation import check_positive_int

SCORES = ("bahdanau", "luong")


@keras.saving.register_keras_serializable(package="rnn_keras")
class SequenceAttention(keras.layers.Layer):
    """Attention of decoder steps over encoder states.

    For each decoder state `q_t` and encoder state `k_s`:

    ```
    bahdanau (additive):        e_ts = v^T tanh(W_q q_t + W_k k_s)
    luong (multiplicative):     e_ts = q_t^T W_a k_s
    a_ts = softmax_s(e_ts)      (masked source steps get weight 0)
    c_t  = sum_s a_ts k_s       (context vector)
    ```

    Args:
        score: `"bahdanau"` or `"luong"`. Defaults to `"luong"`.
        units: `int` or `None.` Width of the additive score's hidden layer
            (Bahdanau only); `None` uses the query width. Defaults to
            `None`.
        **kwargs: Base layer arguments.

    Call arguments:
        inputs: list `[query, value]`, `(batch, T, d_q)` decoder states and
            `(batch, S, d_v)` encoder states.
        mask: optional list `[query_mask, value_mask]`; masked source steps
            receive no attention. Passed automatically by Keras masking.

    Returns:
        `[context, weights]`: `(batch, T, d_v)` and `(batch, T, S)`.

    Reference:
        - [Bahdanau et al., 2015](https://arxiv.org/abs/1409.0473)
        - [Luong et al., 2015](https://arxiv.org/abs/1508.04025)
    """

    def __init__(self, score="luong", units=None, **kwargs):
        check_one_of("score", score, SCORES)
        if units is not None:
            check_positive_int("units", units)
        super().__init__(**kwargs)
        self.score = score
        self.units = units
        self.supports_masking = True

    def build(self, inputs_shape):
        query_shape, value_shape = inputs_shape
        query_dim, value_dim = query_shape[-1], value_shape[-1]
        if self.score == "luong":
            self.score_kernel = self.add_weight(
                shape=(query_dim, value_dim), name="score_kernel", initializer="glorot_uniform"
            )
        else:
            units = self.units or query_dim
            self.query_kernel = self.add_weight(
                shape=(query_dim, units), name="query_kernel", initializer="glorot_uniform"
            )
            self.value_kernel = self.add_weight(
                shape=(value_dim, units), name="value_kernel", initializer="glorot_uniform"
            )
            self.score_vector = self.add_weight(
                shape=(units,), name="score_vector", initializer="glorot_uniform"
            )

    def call(self, inputs, mask=None):
        query, value = inputs
        if self.score == "luong":
            scores = ops.einsum("btq,qv,bsv->bts", query, self.score_kernel, value)
        else:
            projected_query = ops.matmul(query, self.query_kernel)[:, :, None, :]
            projected_value = ops.matmul(value, self.value_kernel)[:, None, :, :]
            scores = ops.sum(ops.tanh(projected_query + projected_value) * self.score_vector, axis=-1)
        value_mask = None if mask is None else mask[1]
        if value_mask is not None:
            big_negative = -65000.0 if scores.dtype == "float16" else -1e9
            scores = ops.where(value_mask[:, None, :], scores, ops.full_like(scores, big_negative))
        weights = ops.softmax(scores, axis=-1)
        if value_mask is not None:
            # A fully masked source attends nowhere.
            weights = weights * ops.cast(value_mask[:, None, :], weights.dtype)
        context = ops.matmul(weights, value)
        return [context, weights]

    def compute_mask(self, inputs, mask=None):
        query_mask = None if mask is None else mask[0]
        return [query_mask, None]

    def compute_output_shape(self, inputs_shape):
        query_shape, value_shape = inputs_shape
        return [
            (query_shape[0], query_shape[1], value_shape[-1]),
            (query_shape[0], query_shape[1], value_shape[1]),
        ]

    def get_config(self):
        return {**super().get_config(), "score": self.score, "units": self.units}
