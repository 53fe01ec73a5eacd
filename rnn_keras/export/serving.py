"""Serving modules: a trained task as a `tf.Module` whose signatures take raw inputs.

Text tasks take a batch of UTF-8 strings and vectorise inside the graph
(the task's vocabulary as a lookup table, `<UNK>` for unseen tokens);
series tasks take float values. Batch size and sequence length are
variable.

| task | signature | inputs | outputs |
|---|---|---|---|
| classify (text) | `serving_default` | `text` `(batch,)` string | `label` string, `probability`, `probabilities` `(batch, classes)` |
| classify (series) | `serving_default` | `series` `(batch, steps)` float | as above |
| tag | `serving_default` | `text` (tokens split at spaces) | `tags` `(batch, tokens)` string (a CRF tagger's Viterbi path), `tokens` |
| seq2seq | `serving_default` (greedy), `beam_search` | `text` (+ `beam_width`) | `output` string, `score` |
| generate | `serving_default` | `prompt`, `num_steps`, `temperature`, `top_k`, `seed` | `output` string |
| forecast | `serving_default` | `history` `(batch, steps)` float | `forecast` `(batch, horizon)` in original units |
"""

import tensorflow as tf

from rnn_keras.data.vocabulary import Vocabulary
from rnn_keras.decoding import Sampler
from rnn_keras.models.crf_model import crf_layer
from rnn_keras.models.crf_model import decode_scores


def _ids(vocabulary, text):
    """Token ids of a string batch, with one trailing pad so no row is empty."""
    ids = vocabulary.encode_tensor(text)
    return tf.pad(ids, [[0, 0], [0, 1]])


class ClassifyServing(tf.Module):
    def __init__(self, task, model):
        super().__init__(name="classify_serving")
        self.model = model
        self.classes = tf.constant(task.state["classes"])
        self.series = task.series
        if self.series:
            self.mean = tf.constant(task.state["mean"], tf.float32)
            self.std = tf.constant(task.state["std"], tf.float32)
            spec = tf.TensorSpec((None, None), tf.float32, name="series")
        else:
            self.vocabulary = Vocabulary.from_config(task.state["vocabulary"])
            self.table = self.vocabulary.lookup_table()
            spec = tf.TensorSpec((None,), tf.string, name="text")
        self.serve = tf.function(self._serve, input_signature=[spec])

    def _serve(self, inputs):
        if self.series:
            features = ((inputs - self.mean) / self.std)[:, :, None]
        else:
            features = _ids(self.vocabulary, inputs)
        probabilities = tf.cast(self.model(features, training=False), tf.float32)
        best = tf.argmax(probabilities, axis=-1, output_type=tf.int32)
        return {
            "label": tf.gather(self.classes, best),
            "probability": tf.reduce_max(probabilities, axis=-1),
            "probabilities": probabilities,
        }


class TagServing(tf.Module):
    def __init__(self, task, model):
        super().__init__(name="tag_serving")
        self.model = model
        self.crf = crf_layer(model)
        self.tags = tf.constant(task.state["tags"])
        self.vocabulary = Vocabulary.from_config(task.state["vocabulary"])
        self.table = self.vocabulary.lookup_table()
        self.characters = None
        if "characters" in task.state:
            self.characters = Vocabulary.from_config(task.state["characters"])
            self.character_table = self.characters.lookup_table()
            self.max_chars = int(task.config["max_chars"])
        self.serve = tf.function(
            self._serve, input_signature=[tf.TensorSpec((None,), tf.string, name="text")]
        )

    def _serve(self, text):
        tokens = tf.strings.split(text)
        ids = _ids(self.vocabulary, text)
        inputs = ids
        if self.characters is not None:
            characters = tf.ragged.map_flat_values(
                self.character_table.lookup, tf.strings.unicode_split(tokens, "UTF-8")
            )
            characters = characters.to_tensor(0, shape=[None, None, self.max_chars])
            # One padding token more, as `_ids` adds.
            characters = tf.pad(tf.cast(characters, tf.int32), [[0, 0], [0, 1], [0, 0]])
            inputs = {"tokens": ids, "characters": characters}
        outputs = tf.cast(self.model(inputs, training=False), tf.float32)
        lengths = tokens.row_lengths()
        if self.crf is not None:
            best = decode_scores(self.crf, outputs, ids != 0)
        else:
            # Never predict the padding tag.
            outputs = tf.concat([tf.fill(tf.shape(outputs[..., :1]), -1.0), outputs[..., 1:]], -1)
            best = tf.argmax(outputs, axis=-1, output_type=tf.int32)
        tags = tf.RaggedTensor.from_tensor(tf.gather(self.tags, best), lengths=lengths)
        return {"tags": tags.to_tensor(""), "tokens": tokens.to_tensor("")}


class Seq2SeqServing(tf.Module):
    def __init__(self, task, model):
        super().__init__(name="seq2seq_serving")
        self.inference = task.inference(model)
        self.source_vocabulary = task.source_vocabulary
        self.target_vocabulary = task.target_vocabulary
        self.table = self.source_vocabulary.lookup_table()
        self.length_penalty = float(task.config["length_penalty"])
        text = tf.TensorSpec((None,), tf.string, name="text")
        self.serve = tf.function(self._greedy, input_signature=[text])
        self.beam_search = tf.function(
            self._beam_search,
            input_signature=[text, tf.TensorSpec((), tf.int32, name="beam_width")],
        )

    def _greedy(self, text):
        result = self.inference.greedy(_ids(self.source_vocabulary, text))
        return {
            "output": self.target_vocabulary.decode_tensor(result["tokens"]),
            "score": result["scores"],
        }

    def _beam_search(self, text, beam_width):
        result = self.inference.beam_search(
            _ids(self.source_vocabulary, text), beam_width, tf.constant(self.length_penalty)
        )
        return {
            "output": self.target_vocabulary.decode_tensor(result["tokens"]),
            "score": result["scores"],
        }


class GenerateServing(tf.Module):
    def __init__(self, task, model):
        super().__init__(name="generate_serving")
        self.sampler = Sampler(model)
        self.vocabulary = task.vocabulary
        self.table = self.vocabulary.lookup_table()
        self.serve = tf.function(
            self._serve,
            input_signature=[
                tf.TensorSpec((None,), tf.string, name="prompt"),
                tf.TensorSpec((), tf.int32, name="num_steps"),
                tf.TensorSpec((), tf.float32, name="temperature"),
                tf.TensorSpec((), tf.int32, name="top_k"),
                tf.TensorSpec((), tf.int32, name="seed"),
            ],
        )

    def _serve(self, prompt, num_steps, temperature, top_k, seed):
        ids = self.vocabulary.encode_tensor(prompt)
        tokens = self.sampler.generate(ids, num_steps, temperature, top_k, seed)
        return {"output": self.vocabulary.decode_tensor(tokens)}


class ForecastServing(tf.Module):
    def __init__(self, task, model):
        super().__init__(name="forecast_serving")
        self.model = model
        self.window = int(task.config["window"])
        self.serve = tf.function(
            self._serve, input_signature=[tf.TensorSpec((None, None), tf.float32, name="history")]
        )

    def _serve(self, history):
        tf.debugging.assert_greater_equal(
            tf.shape(history)[1], self.window, message="`history` is shorter than the window"
        )
        window = history[:, -self.window :, None]
        forecast = tf.cast(self.model(window, training=False), tf.float32)
        return {"forecast": forecast[:, :, 0]}


SERVING = {
    "classify": ClassifyServing,
    "tag": TagServing,
    "seq2seq": Seq2SeqServing,
    "generate": GenerateServing,
    "forecast": ForecastServing,
}


def serving_module(task, model):
    """The serving `tf.Module` of a trained task."""
    return SERVING[task.name](task, model)
