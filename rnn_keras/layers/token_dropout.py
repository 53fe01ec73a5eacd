"""`TokenDropout`: replace random token ids by the unknown id while training."""

import keras
from keras import ops

from rnn_keras.validation import check_rate


@keras.saving.register_keras_serializable(package="rnn_keras")
class TokenDropout(keras.layers.Layer):
    """Replaces each non-padding token id by `unknown_id` with probability `rate`.

    At test time every word the model never saw in training is `<UNK>`;
    if training never shows `<UNK>`, the model has not learned what to do
    with it. Dropping known words to `<UNK>` during training (word
    dropout) teaches it to lean on context and spelling for rare words.
    Inactive at inference. Padding (id 0) is never touched.

    Args:
        rate: `float` in `[0, 1).` Probability of replacing a token.
        unknown_id: `int.` The id that replaces it. Defaults to `1`
            (`<UNK>` in `rnn_keras.data.Vocabulary`).
        seed: `int` or `None.` Random seed. Defaults to `None`.

    Call arguments:
        inputs: int token ids of any shape.
        training: `bool.` Replace only when `True`.

    Reference:
        Lample et al., 2016. Neural Architectures for Named Entity
        Recognition.
    """

    def __init__(self, rate, unknown_id=1, seed=None, **kwargs):
        check_rate("rate", rate)
        super().__init__(**kwargs)
        self.rate = float(rate)
        self.unknown_id = int(unknown_id)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        drop = keras.random.uniform(ops.shape(inputs), seed=self.seed_generator) < self.rate
        drop = drop & ops.not_equal(inputs, 0)
        return ops.where(drop, ops.cast(self.unknown_id, inputs.dtype), inputs)

    def compute_output_shape(self, inputs_shape):
        return inputs_shape

    def get_config(self):
        config = {"rate": self.rate, "unknown_id": self.unknown_id, "seed": self.seed}
        return {**super().get_config(), **config}
