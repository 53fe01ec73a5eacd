"""Greedy and beam-search decoding for `build_seq2seq` models."""

import tensorflow as tf

from rnn_keras.models.seq2seq import build_inference_models
from rnn_keras.validation import check_positive_int

_EPSILON = 1e-9


class Seq2SeqInference(tf.Module):
    """Decodes with a trained encoder-decoder, greedily or by beam search.

    Both decoders are `tf.function` loops over the one-step decoder, with
    variable batch size and source length (signature `(None, None)` int32),
    so they run in graph mode and export as SavedModel signatures. Decoding
    stops when every sequence has produced `end_id` or after `max_decode_length`
    tokens; positions after a sequence's end hold 0 (padding).

    Scores are sums of natural-log probabilities of the emitted tokens, the
    end token included.

    Args:
        model: a model from `rnn_keras.models.build_seq2seq`.
        start_id: `int.` Token id that starts every decoder input.
        end_id: `int.` Token id that ends a sequence.
        max_decode_length: `int.` Most tokens to emit. Defaults to `50`.

    Example:

    ```python
    inference = Seq2SeqInference(model, start_id=1, end_id=2, max_decode_length=12)
    result = inference.greedy(source_ids)        # tokens, scores, attention
    best = inference.beam_search(source_ids, beam_width=4, length_penalty=0.6)
    ```
    """

    def __init__(self, model, start_id, end_id, max_decode_length=50):
        super().__init__(name="seq2seq_inference")
        check_positive_int("max_decode_length", max_decode_length)
        self.model = model
        self.start_id = int(start_id)
        self.end_id = int(end_id)
        self.max_decode_length = int(max_decode_length)
        self.encoder_model, self.decoder_step_model = build_inference_models(model)
        self.num_states = len(self.encoder_model.outputs) - 1
        signature = [tf.TensorSpec((None, None), tf.int32, name="source")]
        self.greedy = tf.function(self._greedy, input_signature=signature)
        self.beam_search = tf.function(
            self._beam_search,
            input_signature=signature
            + [
                tf.TensorSpec((), tf.int32, name="beam_width"),
                tf.TensorSpec((), tf.float32, name="length_penalty"),
            ],
        )

    def encode(self, source):
        """The encoder's outputs and the decoder's initial states for `source` ids."""
        encoder_outputs, *states = self.encoder_model(source, training=False)
        # Fresh tensors: drop the Keras mask attached to the encoder outputs.
        return tf.identity(encoder_outputs), [tf.identity(s) for s in states]

    def step(self, tokens, encoder_outputs, source, states):
        """One decoder step: `(log-probabilities, new states, attention weights)`."""
        probabilities, *rest = self.decoder_step_model(
            [tokens[:, None], encoder_outputs, source, *states], training=False
        )
        return tf.math.log(probabilities + _EPSILON), rest[:-1], rest[-1]

    def _greedy(self, source):
        """Greedy decoding.

        Returns:
            dict with `tokens` `(batch, length)` int32, `scores` `(batch,)`,
            `lengths` `(batch,)` (end token included) and `attention`
            `(batch, length, source_length)` weights.
        """
        source = tf.convert_to_tensor(source, tf.int32)
        batch = tf.shape(source)[0]
        encoder_outputs, states = self.encode(source)
        tokens = tf.fill([batch], self.start_id)
        finished = tf.zeros([batch], tf.bool)
        scores = tf.zeros([batch])
        lengths = tf.zeros([batch], tf.int32)
        tokens_ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
        attention_ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        for t in tf.range(self.max_decode_length):
            log_probs, states, weights = self.step(tokens, encoder_outputs, source, states)
            tokens = tf.argmax(log_probs, axis=-1, output_type=tf.int32)
            tokens = tf.where(finished, 0, tokens)
            picked = tf.gather(log_probs, tokens, batch_dims=1)
            scores += tf.where(finished, 0.0, picked)
            lengths += tf.cast(~finished, tf.int32)
            tokens_ta = tokens_ta.write(t, tokens)
            attention_ta = attention_ta.write(t, tf.cast(weights, tf.float32))
            finished = finished | tf.equal(tokens, self.end_id)
            if tf.reduce_all(finished):
                break
        return {
            "tokens": tf.transpose(tokens_ta.stack()),
            "scores": scores,
            "lengths": lengths,
            "attention": tf.transpose(attention_ta.stack(), (1, 0, 2)),
        }

    def _beam_search(self, source, beam_width, length_penalty):
        """Beam search with a pool of finished hypotheses and a length penalty.

        At every step the `beam_width` best continuations of the alive
        prefixes are kept; those that end with `end_id` move to a pool of
        finished hypotheses, where alive prefixes can no longer displace
        them, ranked by `score / ((5 + length) / 6) ** length_penalty` (the
        GNMT penalty; plain summed log-probability for `length_penalty=0`).
        The search stops when no alive prefix can still beat the best
        finished one, or after `max_decode_length` tokens. Width 1 is greedy
        decoding.

        Returns:
            dict with `tokens` `(batch, length)`, `scores` (summed log
            probabilities), `normalized_scores` and `lengths` of the best
            hypothesis (the best alive one where none finished).
        """
        source = tf.convert_to_tensor(source, tf.int32)
        beam_width = tf.convert_to_tensor(beam_width, tf.int32)
        tf.debugging.assert_positive(beam_width, message="`beam_width` must be positive")
        batch = tf.shape(source)[0]
        encoder_outputs, states = self.encode(source)

        def tile(tensor):
            return tf.repeat(tensor, beam_width, axis=0)

        def penalty(length):
            return tf.pow((5.0 + tf.cast(length, tf.float32)) / 6.0, length_penalty)

        encoder_outputs = tile(encoder_outputs)
        beam_source = tile(source)
        states = [tile(s) for s in states]
        tokens = tf.fill([batch * beam_width], self.start_id)
        dead = -1e9
        # Only the first beam is alive at the start, so beams do not repeat.
        alive_scores = tf.tile(tf.one_hot(0, beam_width, on_value=0.0, off_value=dead)[None], [batch, 1])
        alive = tf.zeros([batch, beam_width, 0], tf.int32)
        finished = tf.zeros([batch, beam_width, 0], tf.int32)
        finished_scores = tf.fill([batch, beam_width], dead)
        finished_normalized = tf.fill([batch, beam_width], dead)
        finished_lengths = tf.zeros([batch, beam_width], tf.int32)
        step = tf.constant(0)
        for _ in tf.range(self.max_decode_length):
            tf.autograph.experimental.set_loop_options(
                shape_invariants=[
                    (alive, tf.TensorShape([None, None, None])),
                    (finished, tf.TensorShape([None, None, None])),
                ]
            )
            step += 1
            log_probs, states, _ = self.step(tokens, encoder_outputs, beam_source, states)
            vocab = tf.shape(log_probs)[-1]
            candidates = alive_scores[:, :, None] + tf.reshape(log_probs, [batch, beam_width, vocab])
            scores, indices = tf.math.top_k(tf.reshape(candidates, [batch, -1]), k=beam_width)
            parents = indices // vocab
            new_tokens = indices % vocab
            sequences = tf.concat(
                [tf.gather(alive, parents, batch_dims=1), new_tokens[:, :, None]], axis=2
            )
            ended = tf.equal(new_tokens, self.end_id) & (scores > dead / 2)

            # Ended candidates join the finished pool; the best stay.
            finished = tf.pad(finished, [[0, 0], [0, 0], [0, 1]])
            pool = tf.concat([finished, sequences], axis=1)
            pool_scores = tf.concat([finished_scores, tf.where(ended, scores, dead)], axis=1)
            pool_normalized = tf.concat(
                [finished_normalized, tf.where(ended, scores / penalty(step), dead)], axis=1
            )
            pool_lengths = tf.concat(
                [finished_lengths, tf.fill([batch, beam_width], step)], axis=1
            )
            finished_normalized, keep = tf.math.top_k(pool_normalized, k=beam_width)
            finished = tf.gather(pool, keep, batch_dims=1)
            finished_scores = tf.gather(pool_scores, keep, batch_dims=1)
            finished_lengths = tf.gather(pool_lengths, keep, batch_dims=1)

            # The other candidates stay alive; ended ones leave dead slots.
            alive = sequences
            alive_scores = tf.where(ended, dead, scores)
            flat_parents = tf.reshape(parents + tf.range(batch)[:, None] * beam_width, [-1])
            states = [tf.gather(s, flat_parents) for s in states]
            tokens = tf.reshape(new_tokens, [-1])

            # Alive scores only fall, so none can beat this bound any more.
            best_possible = tf.reduce_max(alive_scores, axis=1) / penalty(self.max_decode_length)
            if tf.reduce_all(finished_normalized[:, 0] >= best_possible):
                break

        has_finished = finished_scores[:, 0] > dead / 2
        best_alive = tf.argmax(alive_scores, axis=1, output_type=tf.int32)
        alive_tokens = tf.gather(alive, best_alive, batch_dims=1)
        alive_best_scores = tf.gather(alive_scores, best_alive, batch_dims=1)
        return {
            "tokens": tf.where(has_finished[:, None], finished[:, 0], alive_tokens),
            "scores": tf.where(has_finished, finished_scores[:, 0], alive_best_scores),
            "normalized_scores": tf.where(
                has_finished, finished_normalized[:, 0], alive_best_scores / penalty(step)
            ),
            "lengths": tf.where(has_finished, finished_lengths[:, 0], step),
        }
