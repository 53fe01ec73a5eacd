"""The seq2seq task's exports: raw-input serving and numeric signatures.

| signature | inputs | outputs |
|---|---|---|
| SavedModel `serving_default` (greedy) | `text` `(batch,)` string | `output` string, `score`; a date normaliser also `valid`, `confidence`, `ambiguous` |
| SavedModel `beam_search` | `text`, `beam_width` | as `serving_default` |
| numeric `serving_default` (greedy) | `source` `(batch, steps)` int32 | `tokens` `(batch, max_decode_length)` int32 (0 after the end token), `score` `(batch,)` |
"""

import tensorflow as tf

from rnn_keras.tasks.common import string_ids
from rnn_keras.tasks.seq2seq import dates
from rnn_keras.tasks.common import token_spec


class Seq2SeqServing(tf.Module):
    """A trained encoder-decoder whose signatures take raw strings and return decodes."""

    def __init__(self, task, model):
        super().__init__(name="seq2seq_serving")
        self.inference = task.inference(model)
        self.source_vocabulary = task.source_vocabulary
        self.target_vocabulary = task.target_vocabulary
        self.table = self.source_vocabulary.lookup_table()
        self.length_penalty = float(task.config.length_penalty)
        self.limit = task.input_limit
        self.normalises_dates = task.normalises_dates
        text = tf.TensorSpec((None,), tf.string, name="text")
        self.serve = tf.function(self._greedy, input_signature=[text])
        self.beam_search = tf.function(
            self._beam_search,
            input_signature=[text, tf.TensorSpec((), tf.int32, name="beam_width")],
        )

    def signatures(self):
        return {"serving_default": self.serve, "beam_search": self.beam_search}

    def _greedy(self, text):
        result = self.inference.greedy(string_ids(self.source_vocabulary, text, self.limit))
        return self._outputs(text, result)

    def _beam_search(self, text, beam_width):
        source = string_ids(self.source_vocabulary, text, self.limit)
        result = self.inference.beam_search(
            source, beam_width, tf.constant(self.length_penalty)
        )
        return self._outputs(text, result)

    def _outputs(self, text, result):
        outputs = {
            "output": self.target_vocabulary.decode_tensor(result["tokens"]),
            "score": result["scores"],
        }
        if self.normalises_dates:
            outputs.update(
                valid=dates.calendar_dates(outputs["output"]),
                confidence=tf.exp(outputs["score"]),
                ambiguous=dates.ambiguous_inputs(text),
            )
        return outputs


def numeric_signatures(task, model, batch):
    """Source ids in, greedy decoded ids out, without a growing `TensorArray`.

    The twin of `Seq2SeqInference.greedy` that TFLite lowers: a fixed
    number of steps writing into a fixed-size tensor.
    """
    inference = task.inference(model)
    length = inference.max_decode_length

    def greedy(source):
        rows = source.shape[0] or tf.shape(source)[0]
        encoder_outputs, states = inference.encode(source)
        token = tf.fill([rows], inference.start_id)
        tokens = tf.zeros([rows, length], tf.int32)
        score = tf.zeros([rows])
        finished = tf.zeros([rows], tf.bool)
        for t in tf.range(length):
            log_probs, states, _ = inference.step(token, encoder_outputs, source, states)
            token = tf.where(finished, 0, tf.argmax(log_probs, axis=-1, output_type=tf.int32))
            score += tf.where(finished, 0.0, tf.gather(log_probs, token, batch_dims=1))
            at_t = tf.cast(tf.equal(tf.range(length), t), tf.int32)
            tokens += at_t[None] * token[:, None]
            finished = finished | tf.equal(token, inference.end_id)
        return {"tokens": tokens, "score": score}

    return {"serving_default": (greedy, [token_spec(batch, "source")])}
