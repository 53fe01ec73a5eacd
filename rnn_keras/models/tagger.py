"""N→N: one label per step (POS, NER, per-step classification)."""

import keras

from rnn_keras.layers import CRF
from rnn_keras.layers import CharacterEncoder
from rnn_keras.layers import recurrent_block
from rnn_keras.metrics import EntityF1
from rnn_keras.models.crf_model import CRFModel
from rnn_keras.models.inputs import compile_model
from rnn_keras.models.inputs import sequence_input
from rnn_keras.validation import check_positive_int
from rnn_keras.validation import check_rate


def build_tagger(
    num_tags,
    vocab_size=None,
    num_features=None,
    cell="lstm",
    units=64,
    num_layers=1,
    bidirectional=True,
    merge_mode="concat",
    dropout=0.0,
    recurrent_dropout=0.0,
    embedding_dim=64,
    embedding_dropout=0.0,
    token_dropout=0.0,
    embedding_weights=None,
    freeze_embeddings=False,
    trainable_embedding_rows=None,
    char_vocab_size=None,
    char_embedding_dim=25,
    char_filters=50,
    one_hot=False,
    head_dropout=0.0,
    crf=False,
    tags=None,
    input_length=None,
    inputs=None,
    optimizer="adam",
    learning_rate=1e-3,
    clipnorm=None,
    global_clipnorm=1.0,
    ema_momentum=None,
    name="tagger",
):
    """Builds and compiles an N→N tagger: one tag distribution per step.

    Tag id 0 is padding: input padding (token id 0, or an all-zero feature
    step) is masked through the whole model, so padded steps count in
    neither the loss nor the metrics. With `tags` (BIO names by id), the
    model also reports entity-level precision, recall and F1
    (`rnn_keras.metrics.EntityF1`), the way NER is scored.

    Args:
        num_tags: `int >= 2.` Number of tag ids, padding (0) included.
        vocab_size, num_features: the input, as in `build_classifier`.
        cell, units, num_layers, bidirectional, merge_mode, dropout,
            recurrent_dropout: the recurrent block. `bidirectional`
            defaults to `True` (a tag may depend on what follows).
        embedding_dim, one_hot: token embedding. Defaults to `64`, `False`.
        embedding_dropout: `float.` Dropout on the embedded inputs. Defaults
            to `0.0`.
        token_dropout: `float.` Probability of replacing a token id by
            `<UNK>` (id 1) while training (`TokenDropout`), so the model
            learns what to do with words it never saw. Defaults to `0.0`.
        embedding_weights, freeze_embeddings, trainable_embedding_rows:
            pretrained token embeddings, as in `build_classifier`.
        char_vocab_size: `int` or `None.` With a character vocabulary
            (padding 0 included), the model takes a second input,
            `characters` `(batch, timesteps, max_chars)`, and concatenates
            a `CharacterEncoder` vector to each token's embedding, so words
            never seen in training are still read by their spelling.
            Defaults to `None`.
        char_embedding_dim, char_filters: the `CharacterEncoder`. Defaults
            to `25`, `50`.
        head_dropout: `float.` Dropout before the output. Defaults to `0.0`.
        crf: `bool.` End in a linear-chain `CRF` instead of a softmax: the
            model (a `CRFModel`) is trained by the likelihood of whole tag
            sequences and predicts them with Viterbi (`model.decode`), so
            tags are chosen jointly (no `I-X` after `O` once the
            transitions have learned it). Defaults to `False`.
        tags: optional `list` of `num_tags` BIO tag names; adds entity
            metrics. Defaults to `None`.
        input_length, inputs: as in `build_classifier`.
        optimizer, learning_rate, clipnorm, global_clipnorm, ema_momentum: the optimizer,
            clipped to a global norm of 1.0 by default, and its weight
            averaging (`ema_momentum`, off by default); see `get_optimizer`.
        name: `str.` Defaults to `"tagger"`.

    Returns:
        A compiled `keras.Model` mapping the input (`{"tokens",
        "characters"}` with `char_vocab_size`) to `(batch, timesteps,
        num_tags)` probabilities (layer `tag_probabilities`), masked. With
        `crf=True`, a compiled `CRFModel` whose output is the `CRF` layer
        `crf`'s tag scores; its metrics score the Viterbi tags.

    Example:

    ```python
    tags = ["<pad>", "O", "B-PER", "I-PER"]
    model = build_tagger(len(tags), vocab_size=5000, tags=tags)
    ```
    """
    check_positive_int("num_tags", num_tags)
    if num_tags < 2:
        raise ValueError(
            "Invalid value for argument `num_tags`. Expected an integer >= 2 "
            f"(padding and at least one tag). Received: num_tags={num_tags!r}"
        )
    if tags is not None and len(tags) != num_tags:
        raise ValueError(
            f"Invalid value for argument `tags`. Expected {num_tags} names "
            f"(one per tag id). Received {len(tags)}: tags={tags!r}"
        )
    check_rate("head_dropout", head_dropout)
    check_rate("embedding_dropout", embedding_dropout)
    check_rate("token_dropout", token_dropout)

    # === Layers ===
    inputs, embedded = sequence_input(
        vocab_size, num_features, embedding_dim, one_hot, input_length, inputs,
        token_dropout=token_dropout,
        embedding_weights=embedding_weights,
        freeze_embeddings=freeze_embeddings,
        trainable_embedding_rows=trainable_embedding_rows,
    )
    encoder = recurrent_block(
        cell,
        units=units,
        num_layers=num_layers,
        bidirectional=bidirectional,
        merge_mode=merge_mode,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        return_sequences=True,
        name="encoder",
    )

    if char_vocab_size is not None:
        if vocab_size is None:
            raise ValueError(
                "Invalid value for argument `char_vocab_size`. Character features "
                "need token-id inputs (`vocab_size`)."
            )
        characters = keras.Input(shape=(input_length, None), dtype="int32", name="characters")
        character_encoder = CharacterEncoder(
            char_vocab_size, char_embedding_dim, char_filters, name="character_encoder"
        )

    # === Functional Model ===
    if char_vocab_size is not None:
        embedded = keras.layers.Concatenate(name="word_and_characters")(
            [embedded, character_encoder(characters)]
        )
        inputs = {"tokens": inputs, "characters": characters}
    if embedding_dropout:
        embedded = keras.layers.Dropout(embedding_dropout, name="embedding_dropout")(embedded)
    encoded = encoder(embedded)
    if head_dropout:
        encoded = keras.layers.Dropout(head_dropout, name="head_dropout")(encoded)
    if crf:
        model = CRFModel(inputs, CRF(num_tags, name="crf")(encoded), name=name)
    else:
        probabilities = keras.layers.Dense(
            num_tags, activation="softmax", name="tag_probabilities"
        )(encoded)
        model = keras.Model(inputs, probabilities, name=name)

    metrics = [keras.metrics.SparseCategoricalAccuracy(name="token_accuracy")]
    if tags is not None:
        metrics += [EntityF1(tags, result) for result in ("precision", "recall", "f1")]
    # A `CRFModel` weights its metrics by the real steps (its Viterbi tags
    # carry no Keras mask).
    return compile_model(
        model,
        None if crf else "sparse_categorical_crossentropy",
        None if crf else metrics,
        optimizer,
        learning_rate,
        clipnorm,
        global_clipnorm,
        ema_momentum,
        weighted_metrics=metrics if crf else None,
    )
