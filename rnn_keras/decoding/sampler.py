"""Sampling from `build_generator` models: greedy, temperature, top-k."""

import keras
import tensorflow as tf


class Sampler(tf.Module):
    """Generates token sequences from a trained next-token model.

    The prompt runs through the model once; then a one-step model (sharing
    the trained layers by name) emits one token at a time, carrying the
    recurrent states. Decoding is a `tf.function` loop with a signature, so
    it exports.

    - `temperature == 0`: greedy (argmax).
    - `temperature > 0`: sample from `softmax(log p / temperature)`.
    - `top_k > 0`: sample among the `top_k` likeliest tokens only.
    - `seed`: the same seed gives the same sequence (stateless sampling).

    Args:
        model: a model from `rnn_keras.models.build_generator`.

    Example:

    ```python
    sampler = Sampler(model)
    ids = sampler.generate(prompt_ids, num_steps=200, temperature=0.8, top_k=0, seed=7)
    ```
    """

    def __init__(self, model):
        super().__init__(name="sampler")
        self.model = model
        self.decoder = model.get_layer("decoder")
        names = [layer.name for layer in model.layers]
        self.conditioned = "concatenate_condition" in names
        self.prefix_model, self.step_model = self._build_models()
        signature = [
            tf.TensorSpec((None, None), tf.int32, name="prompt"),
            tf.TensorSpec((), tf.int32, name="num_steps"),
            tf.TensorSpec((), tf.float32, name="temperature"),
            tf.TensorSpec((), tf.int32, name="top_k"),
            tf.TensorSpec((), tf.int32, name="seed"),
        ]
        if self.conditioned:
            condition_dim = model.get_layer("condition").output.shape[-1]
            signature.append(tf.TensorSpec((None, condition_dim), tf.float32, name="condition"))
        self.generate = tf.function(self._generate, input_signature=signature)

    def _embed(self, tokens, condition):
        embedded = self.model.get_layer("embedding")(tokens)
        if self.conditioned:
            embedded = self.model.get_layer("concatenate_condition")([embedded, condition])
        return embedded

    def _build_models(self):
        condition = None
        extra = []
        if self.conditioned:
            condition = keras.Input(shape=self.model.get_layer("condition").output.shape[1:], name="condition")
            extra = [condition]
        next_token = self.model.get_layer("next_token")

        prompt = keras.Input(shape=(None,), dtype="int32", name="prompt")
        outputs, states = self.decoder(self._embed(prompt, condition))
        flat = [s for layer_states in states for s in layer_states]
        # The masked RNN carries its last valid output to the end.
        prefix_model = keras.Model([prompt, *extra], [next_token(outputs[:, -1, :]), *flat])

        token = keras.Input(shape=(1,), dtype="int32", name="token")
        state_inputs = [keras.Input(shape=(s.shape[-1],), name=f"state_{i}") for i, s in enumerate(flat)]
        outputs, new_states = self.decoder(
            self._embed(token, condition), initial_state=self.decoder.nest_states(state_inputs)
        )
        new_flat = [s for layer_states in new_states for s in layer_states]
        step_model = keras.Model(
            [token, *state_inputs, *extra], [next_token(outputs)[:, 0, :], *new_flat]
        )
        return prefix_model, step_model

    @staticmethod
    def _pick(probabilities, temperature, top_k, seed, step):
        log_probs = tf.math.log(probabilities + 1e-9)
        greedy = tf.argmax(log_probs, axis=-1, output_type=tf.int32)
        vocab = tf.shape(log_probs)[-1]
        k = tf.where(top_k > 0, tf.minimum(top_k, vocab), vocab)
        kth_best = tf.math.top_k(log_probs, k=k).values[:, -1:]
        logits = tf.where(log_probs >= kth_best, log_probs, -1e9)
        logits = logits / tf.maximum(temperature, 1e-6)
        sampled = tf.random.stateless_categorical(
            logits, 1, seed=tf.stack([seed, step]), dtype=tf.int32
        )[:, 0]
        return tf.where(temperature > 0, sampled, greedy)

    def _generate(self, prompt, num_steps, temperature, top_k, seed, condition=None):
        """Returns `(batch, num_steps)` generated token ids (prompt excluded)."""
        extra = [condition] if self.conditioned else []
        probabilities, *states = self.prefix_model([prompt, *extra], training=False)
        tokens_ta = tf.TensorArray(tf.int32, size=num_steps)
        for step in tf.range(num_steps):
            token = self._pick(probabilities, temperature, top_k, seed, step)
            tokens_ta = tokens_ta.write(step, token)
            probabilities, *states = self.step_model(
                [token[:, None], *states, *extra], training=False
            )
        return tf.transpose(tokens_ta.stack())
