"""N→M: encoder-decoder with optional attention, and its inference models."""

import keras
from keras import ops

from rnn_keras.layers import SequenceAttention
from rnn_keras.layers import recurrent_block
from rnn_keras.models.inputs import compile_model
from rnn_keras.validation import check_one_of
from rnn_keras.validation import check_positive_int

ATTENTIONS = (None, "bahdanau", "luong")


def _bridge(encoder_states, cell, bidirectional):
    """Encoder final states → decoder initial states, layer by layer.

    A bidirectional encoder's forward and backward states are concatenated,
    so the decoder has twice the encoder's units.
    """
    if not bidirectional:
        return encoder_states
    per_direction = 2 if cell == "lstm" else 1
    bridged = []
    for states in encoder_states:
        forward, backward = states[:per_direction], states[per_direction:]
        bridged.append([ops.concatenate([f, b], axis=-1) for f, b in zip(forward, backward)])
    return bridged


def build_seq2seq(
    source_vocab_size,
    target_vocab_size,
    cell="lstm",
    units=64,
    num_layers=1,
    bidirectional=False,
    dropout=0.0,
    recurrent_dropout=0.0,
    embedding_dim=64,
    attention="luong",
    attention_units=None,
    optimizer="adam",
    learning_rate=1e-3,
    clipnorm=None,
    global_clipnorm=1.0,
    ema_momentum=None,
    name="seq2seq",
):
    """Builds and compiles an encoder-decoder trained with teacher forcing.

    The encoder reads the source token ids; its final states (forward and
    backward concatenated when `bidirectional`) start the decoder, which
    reads the target shifted right (`decoder_input`: start token, then the
    target) and predicts the next target token at every step. With
    `attention`, every decoder state attends over the encoder states
    (`SequenceAttention`, additive `"bahdanau"` or multiplicative `"luong"`
    scores) and `tanh(W [h_t; c_t])` feeds the output layer (the Luong
    architecture). Token id 0 is padding on both sides.

    Use `Seq2SeqInference(model)` (in `rnn_keras.decoding`) for greedy and
    beam-search decoding; it shares these layers by name.

    Args:
        source_vocab_size: `int.` Source vocabulary, padding 0 included.
        target_vocab_size: `int.` Target vocabulary, padding 0 and the
            start and end tokens included.
        cell, units, num_layers, dropout, recurrent_dropout: the encoder and
            decoder recurrent blocks (`units` per encoder direction).
        bidirectional: `bool.` Bidirectional encoder. Defaults to `False`.
        embedding_dim: `int.` Both embeddings. Defaults to `64`.
        attention: `None`, `"bahdanau"` or `"luong"`. Defaults to `"luong"`.
        attention_units: `int` or `None.` Hidden width of Bahdanau scores.
        optimizer, learning_rate, clipnorm, global_clipnorm, ema_momentum: the optimizer,
            clipped to a global norm of 1.0 by default, and its weight
            averaging (`ema_momentum`, off by default); see `get_optimizer`.
        name: `str.` Defaults to `"seq2seq"`.

    Returns:
        A compiled `keras.Model` with inputs `{"source", "decoder_input"}`
        and `(batch, target_steps, target_vocab_size)` probabilities. Its
        layers are named `source_embedding`, `encoder`, `target_embedding`,
        `decoder`, `attention`, `attention_combine`, `output`.

    Example:

    ```python
    model = build_seq2seq(12, 14, cell="gru", attention="bahdanau")
    model.fit({"source": src, "decoder_input": dec_in}, dec_out)
    ```
    """
    check_positive_int("source_vocab_size", source_vocab_size)
    check_positive_int("target_vocab_size", target_vocab_size)
    check_one_of("attention", attention, ATTENTIONS)
    check_positive_int("embedding_dim", embedding_dim)
    decoder_units = units * (2 if bidirectional else 1)

    # === Layers ===
    source_embedding = keras.layers.Embedding(
        source_vocab_size, embedding_dim, mask_zero=True, name="source_embedding"
    )
    encoder = recurrent_block(
        cell,
        units,
        num_layers,
        bidirectional,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        return_sequences=True,
        return_state=True,
        name="encoder",
    )
    target_embedding = keras.layers.Embedding(
        target_vocab_size, embedding_dim, mask_zero=True, name="target_embedding"
    )
    decoder = recurrent_block(
        cell,
        decoder_units,
        num_layers,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        return_sequences=True,
        return_state=True,
        name="decoder",
    )
    output_layer = keras.layers.Dense(target_vocab_size, activation="softmax", name="output")

    # === Functional Model ===
    source = keras.Input(shape=(None,), dtype="int32", name="source")
    decoder_input = keras.Input(shape=(None,), dtype="int32", name="decoder_input")
    encoder_outputs, encoder_states = encoder(source_embedding(source))
    initial_states = _bridge(encoder_states, cell, bidirectional)
    decoder_outputs, _ = decoder(target_embedding(decoder_input), initial_state=initial_states)
    if attention:
        attention_layer = SequenceAttention(attention, attention_units, name="attention")
        combine = keras.layers.Dense(decoder_units, activation="tanh", name="attention_combine")
        context, _ = attention_layer([decoder_outputs, encoder_outputs])
        decoder_outputs = combine(
            keras.layers.Concatenate(name="attention_concat")([decoder_outputs, context])
        )
    probabilities = output_layer(decoder_outputs)
    model = keras.Model(
        {"source": source, "decoder_input": decoder_input}, probabilities, name=name
    )
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


def build_inference_models(model):
    """The encoder and one-step decoder of a trained `build_seq2seq` model.

    Both reuse the trained layers, found by name, so they see every update
    to the training model's weights.

    Returns:
        `(encoder_model, decoder_step_model)`:
        - `encoder_model(source)` → `[encoder_outputs, *initial_states]`;
        - `decoder_step_model([token, encoder_outputs, source, *states])` →
          `[probabilities (batch, vocab), *new_states, attention_weights]`,
          with `token` of shape `(batch, 1)` and the weights `(batch, S)`
          (zeros without attention).
    """
    encoder = model.get_layer("encoder")
    decoder = model.get_layer("decoder")
    has_attention = any(layer.name == "attention" for layer in model.layers)

    source = keras.Input(shape=(None,), dtype="int32", name="source")
    encoder_outputs, encoder_states = encoder(model.get_layer("source_embedding")(source))
    initial_states = _bridge(encoder_states, encoder.cell, encoder.bidirectional)
    flat_states = [s for layer_states in initial_states for s in layer_states]
    encoder_model = keras.Model(source, [encoder_outputs, *flat_states], name="encoder_model")

    token = keras.Input(shape=(1,), dtype="int32", name="token")
    step_encoder_outputs = keras.Input(
        shape=(None, encoder_outputs.shape[-1]), name="encoder_outputs"
    )
    step_source = keras.Input(shape=(None,), dtype="int32", name="source")
    state_inputs = [
        keras.Input(shape=(decoder.units,), name=f"state_{i}") for i in range(len(flat_states))
    ]
    outputs, new_states = decoder(
        model.get_layer("target_embedding")(token), initial_state=decoder.nest_states(state_inputs)
    )
    if has_attention:
        source_mask = ops.not_equal(step_source, 0)
        context, weights = model.get_layer("attention")(
            [outputs, step_encoder_outputs], mask=[None, source_mask]
        )
        outputs = model.get_layer("attention_combine")(ops.concatenate([outputs, context], axis=-1))
        weights = weights[:, 0, :]
    else:
        weights = ops.zeros_like(ops.cast(step_source, outputs.dtype))
    probabilities = model.get_layer("output")(outputs)[:, 0, :]
    decoder_step_model = keras.Model(
        [token, step_encoder_outputs, step_source, *state_inputs],
        [probabilities, *[s for layer_states in new_states for s in layer_states], weights],
        name="decoder_step_model",
    )
    return encoder_model, decoder_step_model
