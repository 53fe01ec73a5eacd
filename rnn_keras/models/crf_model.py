"""`CRFModel`: a Functional model that ends in a `CRF` and trains by its likelihood."""

import keras
import tensorflow as tf
from keras import ops

from rnn_keras.layers import CRF


def crf_layer(model):
    """The `CRF` layer whose output is `model`'s output, or `None`."""
    if not isinstance(model, keras.Model) or len(getattr(model, "outputs", None) or []) != 1:
        return None
    for layer in model.layers:
        if isinstance(layer, CRF) and layer.output is model.outputs[0]:
            return layer
    return None


@keras.saving.register_keras_serializable(package="rnn_keras")
class CRFModel(keras.Model):
    """A Functional model whose output layer is a `CRF`, trained as a CRF.

    Build it like `keras.Model(inputs, outputs)` with `outputs` the tag
    scores of a `rnn_keras.layers.CRF`. Targets are `(batch, timesteps)`
    tag ids with `0` for padding (the steps the loss skips, and a tag
    never predicted; real steps must come first in each row). Compile it without a loss: the loss is
    the CRF's negative log-likelihood of each target sequence, spread
    evenly over the sequence's tags and averaged over the batch's tags
    (so it reads per tag, like a softmax tagger's cross-entropy, and
    sample weights per step or per sequence apply as they would there).
    Compiled metrics see the Viterbi tags (`decode`) as one-hot
    predictions, so a validation entity F1 is the F1 of what the model
    will predict. Give them as `weighted_metrics`: those are weighted by
    the real steps (plain `metrics` would also count the padding, which
    the one-hot tags carry no Keras mask to hide).

    The model's output is the CRF's tag scores; `decode` gives the tags.
    Saved to `.keras` and loaded back like any Functional model.

    Example:

    ```python
    features = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(100, 16, mask_zero=True)(features)
    x = keras.layers.Bidirectional(keras.layers.LSTM(16, return_sequences=True))(x)
    model = CRFModel(features, CRF(5, name="crf")(x))
    model.compile("adam", weighted_metrics=["accuracy"])
    model.fit(token_ids, tag_ids)
    tags = model.decode(token_ids, mask=token_ids != 0)
    ```
    """

    @property
    def crf(self):
        layer = crf_layer(self)
        if layer is None:
            raise ValueError(
                "A `CRFModel`'s output must be the output of a `rnn_keras.layers.CRF` layer. "
                f"Received a model whose output is {self.outputs}"
            )
        return layer

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        del x, training
        y_pred = ops.cast(y_pred, "float32")
        tags = _target_tags(y)
        mask = ops.not_equal(tags, 0)
        real = ops.cast(mask, y_pred.dtype)
        lengths = ops.sum(real, axis=1)
        per_tag = -self.crf.log_likelihood(y_pred, tags, mask) / ops.maximum(lengths, 1.0)
        weights = real
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, y_pred.dtype)
            weights = weights * (
                sample_weight if len(sample_weight.shape) == 2 else sample_weight[:, None]
            )
        loss = ops.sum(per_tag[:, None] * weights) / ops.maximum(ops.sum(real), 1.0)
        # As Keras scales compiled losses: replicas' gradients are summed.
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        if replicas > 1:
            loss = loss / replicas
        for extra in self.losses:
            loss = loss + ops.cast(ops.sum(extra), loss.dtype)
        return loss

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        tags = _target_tags(y)
        mask = ops.not_equal(tags, 0)
        del sample_weight  # For the loss; metrics count every real step alike.
        decoded = ops.one_hot(decode_scores(self.crf, y_pred, mask), self.crf.num_tags)
        return super().compute_metrics(x, y, decoded, ops.cast(mask, "float32"))

    def decode(self, inputs, mask=None):
        """Viterbi tags of `inputs`: `(batch, timesteps)` int32, `0` only at masked steps.

        Args:
            inputs: the model's inputs (one batch).
            mask: `(batch, timesteps)` bools of the real steps, or `None`
                (every step).
        """
        return decode_scores(self.crf, self(inputs, training=False), mask)


def _target_tags(y):
    """`(batch, timesteps)` int32 tag ids of targets given with or without a last axis of 1."""
    tags = ops.cast(y, "int32")
    return ops.squeeze(tags, -1) if len(tags.shape) == 3 else tags


def decode_scores(crf, scores, mask=None):
    """`crf.decode` of a `CRFModel`'s scores: tag 0 (padding) only at masked steps."""
    scores = ops.where(ops.arange(crf.num_tags) == 0, -1e9, ops.cast(scores, "float32"))
    return crf.decode(scores, mask)
