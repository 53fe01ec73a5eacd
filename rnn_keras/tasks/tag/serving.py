"""The tag task's exports: raw-input serving and numeric signatures.

| signature | inputs | outputs |
|---|---|---|
| SavedModel `serving_default` | `text` `(batch,)` string, tokens split at spaces | `tags` `(batch, tokens)` string (a CRF tagger's Viterbi path), `tokens` |
| numeric `serving_default` | `tokens` (+ `characters` `(batch, steps, max_chars)`) int32 | `probabilities` `(batch, steps, tags)`; with a CRF `scores` and the Viterbi `tags` `(batch, steps)` int32 |
"""

import tensorflow as tf

from rnn_keras.data.vocabulary import split_words_tensor
from rnn_keras.models.crf_model import crf_layer
from rnn_keras.models.crf_model import decode_scores
from rnn_keras.tasks.common import float32
from rnn_keras.tasks.common import string_ids
from rnn_keras.tasks.common import token_spec


class TagServing(tf.Module):
    """A trained tagger whose `serve` takes raw sentences and returns their tags."""

    def __init__(self, task, model):
        super().__init__(name="tag_serving")
        self.model = model
        self.crf = crf_layer(model)
        self.tags = tf.constant(task.tags)
        self.vocabulary = task.vocabulary
        self.table = self.vocabulary.lookup_table()
        self.characters = task.characters
        if self.characters is not None:
            self.character_table = self.characters.lookup_table()
            self.max_chars = task.config.max_chars
        self.serve = tf.function(
            self._serve, input_signature=[tf.TensorSpec((None,), tf.string, name="text")]
        )

    def signatures(self):
        return {"serving_default": self.serve}

    def _serve(self, text):
        tokens = split_words_tensor(text)
        ids = string_ids(self.vocabulary, text)
        inputs = ids
        if self.characters is not None:
            characters = tf.ragged.map_flat_values(
                self.character_table.lookup, tf.strings.unicode_split(tokens, "UTF-8")
            )
            characters = characters.to_tensor(0, shape=[None, None, self.max_chars])
            # One padding token more, as `string_ids` adds.
            characters = tf.pad(tf.cast(characters, tf.int32), [[0, 0], [0, 1], [0, 0]])
            inputs = {"tokens": ids, "characters": characters}
        outputs = float32(self.model(inputs, training=False))
        lengths = tokens.row_lengths()
        if self.crf is not None:
            best = decode_scores(self.crf, outputs, ids != 0)
        else:
            # Never predict the padding tag.
            outputs = tf.concat([tf.fill(tf.shape(outputs[..., :1]), -1.0), outputs[..., 1:]], -1)
            best = tf.argmax(outputs, axis=-1, output_type=tf.int32)
        tags = tf.RaggedTensor.from_tensor(tf.gather(self.tags, best), lengths=lengths)
        return {"tags": tags.to_tensor(""), "tokens": tokens.to_tensor("")}


def numeric_signatures(task, model, batch):
    """Token (and character) ids in, tag probabilities (or CRF scores and tags) out."""
    crf = crf_layer(model)

    def outputs(tokens, inputs):
        scores = float32(model(inputs))
        if crf is None:
            return {"probabilities": scores}
        return {"scores": scores, "tags": decode_scores(crf, scores, tokens != 0)}

    if task.characters is None:

        def serve(tokens):
            return outputs(tokens, tokens)

        return {"serving_default": (serve, [token_spec(batch)])}

    def serve(tokens, characters):
        return outputs(tokens, {"tokens": tokens, "characters": characters})

    characters = tf.TensorSpec((batch, None, task.config.max_chars), tf.int32, name="characters")
    return {"serving_default": (serve, [token_spec(batch), characters])}
