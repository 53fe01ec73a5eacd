"""`CRF`: a linear-chain conditional random field output layer for tagging."""

import keras
from keras import ops

from rnn_keras.validation import check_positive_int


def _argmax(x, axis):
    """The first index of the maximum along `axis`, as int32.

    `ops.argmax` of floats also tests for negative zeros with bitwise ops
    that TFLite's builtin ops lack; this needs only comparisons.
    """
    x = ops.moveaxis(x, axis, -1)
    best = ops.max(x, axis=-1, keepdims=True)
    size = ops.shape(x)[-1]
    index = ops.where(x == best, ops.arange(size, dtype="int32"), size)
    return ops.min(index, axis=-1)


def _time_major(scores, mask):
    """`(timesteps, batch, ...)` scores and mask: each loop step reads one row."""
    return ops.moveaxis(scores, 1, 0), ops.moveaxis(mask, 1, 0)


@keras.saving.register_keras_serializable(package="rnn_keras")
class CRF(keras.layers.Layer):
    """Linear-chain conditional random field: tag scores per step and tag transitions.

    The layer projects each step's features to tag scores,
    `e_t = x_t W + b`, and holds transition scores `A[i, j]` (tag `i`
    followed by tag `j`) and start and end scores `s`, `f`. A tag sequence
    `y_1..y_T` of a sequence of length `T` scores

    `score(y) = s[y_1] + sum_t e_t[y_t] + sum_{t>1} A[y_{t-1}, y_t] + f[y_T]`

    and has probability `p(y | x) = exp(score(y)) / Z(x)`, `Z` summing over
    every tag sequence (forward algorithm). Training maximises
    `log p(gold | x)` (`log_likelihood`); prediction takes the best
    sequence (`decode`, Viterbi), so the tags are chosen jointly: a tagger
    with a CRF does not emit `I-PER` after `O` once it has learned that
    this never happens. `rnn_keras.models.CRFModel` trains a Functional
    model that ends in this layer.

    Masked steps must be trailing padding (right-padded sequences); they
    neither score nor move the chain. Likelihoods and decoding run in
    float32 whatever the scores' dtype (as under a mixed-precision policy).

    Args:
        num_tags: `int.` Number of tags.
        kernel_initializer: initializer of `W`. Defaults to
            `"glorot_uniform"`.
        transitions_initializer: initializer of `A`, `s` and `f`.
            Defaults to `"zeros"` (no preference between tags at first).

    Call arguments:
        inputs: `(batch, timesteps, features)` floats.
        mask: `(batch, timesteps)` bools, `True` for real steps.

    Returns:
        `(batch, timesteps, num_tags)` tag scores `e_t` (the mask is kept).

    Reference:
        Lafferty et al., 2001. Conditional Random Fields: Probabilistic
        Models for Segmenting and Labeling Sequence Data. Lample et al.,
        2016. Neural Architectures for Named Entity Recognition.

    Example:

    ```python
    crf = CRF(5)
    scores = crf(features)                       # (batch, timesteps, 5)
    loss = -crf.log_likelihood(scores, tags, mask)
    tags = crf.decode(scores, mask)              # (batch, timesteps) int32
    ```
    """

    def __init__(
        self,
        num_tags,
        kernel_initializer="glorot_uniform",
        transitions_initializer="zeros",
        **kwargs,
    ):
        check_positive_int("num_tags", num_tags)
        super().__init__(**kwargs)
        self.num_tags = int(num_tags)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.transitions_initializer = keras.initializers.get(transitions_initializer)
        self.supports_masking = True

    def build(self, inputs_shape):
        n = self.num_tags
        self.kernel = self.add_weight(
            shape=(inputs_shape[-1], n), initializer=self.kernel_initializer, name="kernel"
        )
        self.bias = self.add_weight(shape=(n,), initializer="zeros", name="bias")
        self.transitions = self.add_weight(
            shape=(n, n), initializer=self.transitions_initializer, name="transitions"
        )
        self.start_transitions = self.add_weight(
            shape=(n,), initializer=self.transitions_initializer, name="start_transitions"
        )
        self.end_transitions = self.add_weight(
            shape=(n,), initializer=self.transitions_initializer, name="end_transitions"
        )

    def call(self, inputs):
        return ops.matmul(inputs, self.kernel) + self.bias

    def compute_output_shape(self, inputs_shape):
        return (*inputs_shape[:-1], self.num_tags)

    def _float32(self, scores):
        # Sums of exponentials in float16 (a mixed-precision policy's
        # outputs) overflow; the chain runs in float32.
        return ops.cast(scores, "float32")

    def _mask(self, scores, mask):
        if mask is None:
            return ops.ones(ops.shape(scores)[:2], "bool")
        return ops.cast(mask, "bool")

    def log_likelihood(self, scores, tags, mask=None):
        """`log p(tags | x)` of each sequence: `(batch,)`; 0 for an empty one.

        Args:
            scores: `(batch, timesteps, num_tags)` tag scores (this layer's output).
            tags: `(batch, timesteps)` int tag ids; masked steps are ignored.
            mask: `(batch, timesteps)` bools, or `None` (every step real).
        """
        scores, mask = self._float32(scores), self._mask(scores, mask)
        tags = ops.cast(tags, "int32") * ops.cast(mask, "int32")
        weights = ops.cast(mask, scores.dtype)
        emitted = ops.take_along_axis(scores, tags[..., None], axis=-1)[..., 0]
        gold = ops.sum(emitted * weights, axis=1)
        pairs = tags[:, :-1] * self.num_tags + tags[:, 1:]
        transitions = ops.take(ops.reshape(self.transitions, (-1,)), pairs)
        gold += ops.sum(transitions * weights[:, 1:], axis=1)
        lengths = ops.sum(ops.cast(mask, "int32"), axis=1)
        last = ops.take_along_axis(tags, ops.maximum(lengths - 1, 0)[:, None], axis=1)[:, 0]
        gold += ops.take(self.start_transitions, tags[:, 0]) + ops.take(self.end_transitions, last)
        return ops.where(lengths > 0, gold - self.log_partition(scores, mask), 0.0)

    def log_partition(self, scores, mask=None):
        """`log Z(x)` of each sequence (forward algorithm): `(batch,)`."""
        scores, mask = self._float32(scores), self._mask(scores, mask)
        scores_t, mask_t = _time_major(scores, mask)

        def step(t, alpha):
            moved = ops.logsumexp(alpha[:, :, None] + self.transitions, axis=1)
            moved += ops.take(scores_t, t, axis=0)
            return ops.where(ops.take(mask_t, t, axis=0)[:, None], moved, alpha)

        alpha = self.start_transitions + scores[:, 0]
        alpha = ops.fori_loop(1, ops.shape(scores)[1], step, alpha)
        return ops.logsumexp(alpha + self.end_transitions, axis=1)

    def decode(self, scores, mask=None):
        """The best tag sequence of each row (Viterbi): `(batch, timesteps)` int32.

        Masked steps get tag 0.
        """
        scores, mask = self._float32(scores), self._mask(scores, mask)
        steps = ops.shape(scores)[1]
        # Loops over steps write their results through one-hot step masks
        # (no scans or scatters): plain loops of dense tensors, which the
        # TFLite and ONNX converters take, for any number of steps, one too.
        positions = ops.arange(steps, dtype="int32")
        identity = ops.arange(self.num_tags, dtype="int32")
        scores_t, mask_t = _time_major(scores, mask)

        def forward(t, carry):
            best, pointers = carry
            candidates = best[:, :, None] + self.transitions
            moved = ops.max(candidates, axis=1) + ops.take(scores_t, t, axis=0)
            real = ops.take(mask_t, t, axis=0)[:, None]
            # A masked step keeps the chain where it is: its pointer is the identity.
            step_pointers = ops.where(real, _argmax(candidates, axis=1), identity)
            at_t = ops.cast(positions == t, "int32")[:, None, None]
            return ops.where(real, moved, best), pointers + at_t * step_pointers[None]

        best = self.start_transitions + scores[:, 0]
        pointers = ops.zeros_like(scores_t, "int32")
        best, pointers = ops.fori_loop(1, steps, forward, (best, pointers))
        last = _argmax(best + self.end_transitions, axis=-1)

        def backward(i, carry):
            tag, tags = carry
            t = steps - 1 - i
            pointers_t = ops.take(pointers, t, axis=0)
            previous = ops.take_along_axis(pointers_t, tag[:, None], axis=1)[:, 0]
            at_t = ops.cast(positions == t - 1, "int32")[None, :]
            return previous, tags + at_t * previous[:, None]

        tags = ops.cast(positions == steps - 1, "int32")[None, :] * last[:, None]
        _, tags = ops.fori_loop(0, steps - 1, backward, (last, tags))
        return tags * ops.cast(mask, "int32")

    def get_config(self):
        config = {
            "num_tags": self.num_tags,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "transitions_initializer": keras.initializers.serialize(
                self.transitions_initializer
            ),
        }
        return {**super().get_config(), **config}
