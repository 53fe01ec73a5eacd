"""1→N: sequence generation (language model, optionally conditioned)."""

import keras

from rnn_keras.layers import ConcatenateCondition
from rnn_keras.layers import recurrent_block
from rnn_keras.models.inputs import compile_model
from rnn_keras.models.inputs import sequence_input
from rnn_keras.validation import check_positive_int


def build_generator(
    vocab_size,
    cell="lstm",
    units=128,
    num_layers=1,
    dropout=0.0,
    recurrent_dropout=0.0,
    embedding_dim=64,
    one_hot=False,
    condition_dim=None,
    optimizer="adam",
    learning_rate=1e-3,
    clipnorm=None,
    global_clipnorm=1.0,
    ema_momentum=None,
    name="generator",
):
    """Builds and compiles a next-token model for generation (1→N).

    The language-model form reads tokens and predicts the next one at every
    step (train on `x[:, :-1]` → `x[:, 1:]`). With `condition_dim`, a
    conditioning vector (a class one-hot, a style, any vector) is
    concatenated to every step's input, so one vector plus a start token
    generates a whole sequence. Sample with `rnn_keras.decoding.Sampler`:
    greedy, temperature, top-k, with a seed.

    Args:
        vocab_size: `int.` Token ids, padding 0 included.
        cell, units, num_layers, dropout, recurrent_dropout: the recurrent
            block (named `decoder`).
        embedding_dim, one_hot: token embedding.
        condition_dim: `int` or `None.` Size of the conditioning vector
            (model input `condition`). Defaults to `None`.
        optimizer, learning_rate, clipnorm, global_clipnorm, ema_momentum: the optimizer,
            clipped to a global norm of 1.0 by default, and its weight
            averaging (`ema_momentum`, off by default); see `get_optimizer`.
        name: `str.` Defaults to `"generator"`.

    Returns:
        A compiled `keras.Model`: `tokens` (and `condition`) →
        `(batch, T, vocab_size)` next-token probabilities (layer
        `next_token`).

    Example:

    ```python
    model = build_generator(vocab_size=65, cell="lstm", units=256)
    model.fit(ids[:, :-1], ids[:, 1:])
    ```
    """
    check_positive_int("vocab_size", vocab_size)
    if condition_dim is not None:
        check_positive_int("condition_dim", condition_dim)

    # === Layers ===
    tokens, embedded = sequence_input(vocab_size, None, embedding_dim, one_hot)
    decoder = recurrent_block(
        cell,
        units,
        num_layers,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        return_sequences=True,
        return_state=True,
        name="decoder",
    )
    next_token = keras.layers.Dense(vocab_size, activation="softmax", name="next_token")

    # === Functional Model ===
    inputs = tokens
    if condition_dim is not None:
        condition = keras.Input(shape=(condition_dim,), name="condition")
        embedded = ConcatenateCondition(name="concatenate_condition")([embedded, condition])
        inputs = {"tokens": tokens, "condition": condition}
    outputs, _ = decoder(embedded)
    model = keras.Model(inputs, next_token(outputs), name=name)
    return compile_model(
        model,
        "sparse_categorical_crossentropy",
        [keras.metrics.SparseCategoricalAccuracy(name="token_accuracy")],
        optimizer,
        learning_rate,
        clipnorm,
        global_clipnorm,
        ema_momentum,
    )
