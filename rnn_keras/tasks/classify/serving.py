"""The classify task's exports: raw-input serving and numeric signatures.

| signature | inputs | outputs |
|---|---|---|
| SavedModel `serving_default` (text) | `text` `(batch,)` string | `label` string, `probability`, `probabilities` `(batch, classes)` |
| SavedModel `serving_default` (series) | `series` `(batch, steps)` float, or `(batch, steps, channels)` for several channels; NaN pads shorter series | as above |
| numeric `serving_default` (text) | `tokens` `(batch, steps)` int32 | `probabilities` `(batch, classes)` |
| numeric `serving_default` (series) | `series` as in the SavedModel, float32 | `probabilities` |
"""

import tensorflow as tf

from rnn_keras.tasks.common import float32
from rnn_keras.tasks.common import string_ids
from rnn_keras.tasks.common import token_spec


class ClassifyServing(tf.Module):
    """A trained classifier whose `serve` takes raw text (or series) and returns labels."""

    def __init__(self, task, model):
        super().__init__(name="classify_serving")
        self.model = model
        self.classes = tf.constant(task.classes)
        self.series = task.series
        if self.series:
            spec = series_spec(task, None)
        else:
            self.vocabulary = task.vocabulary
            self.table = self.vocabulary.lookup_table()
            self.limit = task.input_limit
            spec = tf.TensorSpec((None,), tf.string, name="text")
        self.serve = tf.function(self._serve, input_signature=[spec])

    def signatures(self):
        return {"serving_default": self.serve}

    def _serve(self, inputs):
        if self.series:
            features = inputs[:, :, None] if inputs.shape.rank == 2 else inputs
        else:
            features = string_ids(self.vocabulary, inputs, self.limit)
        probabilities = float32(self.model(features, training=False))
        best = tf.argmax(probabilities, axis=-1, output_type=tf.int32)
        return {
            "label": tf.gather(self.classes, best),
            "probability": tf.reduce_max(probabilities, axis=-1),
            "probabilities": probabilities,
        }


def numeric_signatures(task, model, batch):
    """Token ids (or raw floats) in, class probabilities out."""
    if not task.series:

        def serve(tokens):
            return {"probabilities": float32(model(tokens))}

        return {"serving_default": (serve, [token_spec(batch)])}
    spec = series_spec(task, batch)

    def serve(series):
        features = series[:, :, None] if series.shape.rank == 2 else series
        return {"probabilities": float32(model(features))}

    return {"serving_default": (serve, [spec])}


def series_spec(task, batch):
    """`(batch, steps)` for one channel, `(batch, steps, channels)` for several."""
    shape = (batch, None) if task.channels == 1 else (batch, None, task.channels)
    return tf.TensorSpec(shape, tf.float32, name="series")
