"""Model inputs shared by the builders: token ids or real-valued features."""

import keras

from rnn_keras.compat import clip_after_reduce
from rnn_keras.layers import OneHotEmbedding
from rnn_keras.layers import PretrainedEmbedding
from rnn_keras.layers import TokenDropout
from rnn_keras.optimizers import get_optimizer
from rnn_keras.validation import check_positive_int

_INTEGER_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32")


def check_token_or_feature_arguments(vocab_size, num_features, inputs=None):
    """Exactly one of `vocab_size` (token ids) or `num_features` (floats)."""
    if (vocab_size is None) == (num_features is None):
        raise ValueError(
            "Exactly one of the arguments `vocab_size` (token-id inputs) and "
            "`num_features` (real-valued inputs) must be set. Received: "
            f"vocab_size={vocab_size!r}, num_features={num_features!r}"
        )
    if vocab_size is not None:
        check_positive_int("vocab_size", vocab_size)
    else:
        check_positive_int("num_features", num_features)
    if inputs is None:
        return
    if not keras.backend.is_keras_tensor(inputs):
        raise TypeError(
            "Invalid type for argument `inputs`. Expected a `keras.Input`. "
            f"Received: inputs={inputs!r}"
        )
    if vocab_size is not None:
        if len(inputs.shape) != 2 or inputs.dtype not in _INTEGER_DTYPES:
            raise ValueError(
                "Invalid value for argument `inputs`. Expected token ids of "
                "rank 2 `(batch, timesteps)` and an integer dtype. Received: "
                f"shape={inputs.shape}, dtype={inputs.dtype}"
            )
    elif len(inputs.shape) != 3 or inputs.shape[-1] != num_features or "float" not in inputs.dtype:
        raise ValueError(
            "Invalid value for argument `inputs`. Expected real values of rank "
            f"3 `(batch, timesteps, {num_features})` and a float dtype. "
            f"Received: shape={inputs.shape}, dtype={inputs.dtype}"
        )


def sequence_input(
    vocab_size=None,
    num_features=None,
    embedding_dim=64,
    one_hot=False,
    input_length=None,
    inputs=None,
    name="tokens",
    embedding_name="embedding",
    token_dropout=0.0,
    embedding_weights=None,
    freeze_embeddings=False,
    trainable_embedding_rows=None,
):
    """Builds a model's sequence input and its masked, embedded form.

    Token ids `(batch, timesteps)` go through `Embedding(mask_zero=True)`
    (or `OneHotEmbedding` with `one_hot=True`): id 0 is padding. Features
    `(batch, timesteps, num_features)` go through `Masking(0.0)`: an
    all-zero step is padding. With `token_dropout`, token ids first go
    through `TokenDropout` (training only). `embedding_weights`, a
    `(vocab_size, dimension)` array (e.g. pretrained word vectors, see
    `rnn_keras.data.pretrained_embeddings`), sets the embedding's initial
    weights and its size; `freeze_embeddings` keeps them fixed in training,
    and `trainable_embedding_rows` trains only the rows of the ids below it
    (a `PretrainedEmbedding`).

    Returns:
        `(inputs, embedded)`: the `keras.Input` and the masked tensor.
    """
    check_token_or_feature_arguments(vocab_size, num_features, inputs)
    if vocab_size is not None:
        if inputs is None:
            inputs = keras.Input(shape=(input_length,), dtype="int32", name=name)
        ids = inputs
        if token_dropout:
            ids = TokenDropout(token_dropout, name="token_dropout")(inputs)
        if embedding_weights is not None:
            embedding_dim = _check_embedding_weights(embedding_weights, vocab_size, one_hot)
        if one_hot:
            return inputs, OneHotEmbedding(vocab_size, name=embedding_name)(ids)
        check_positive_int("embedding_dim", embedding_dim)
        if trainable_embedding_rows is None:
            embedding = keras.layers.Embedding(
                vocab_size,
                embedding_dim,
                mask_zero=True,
                trainable=not freeze_embeddings,
                name=embedding_name,
            )
        else:
            embedding = PretrainedEmbedding(
                vocab_size,
                embedding_dim,
                trainable_embedding_rows,
                trainable=not freeze_embeddings,
                name=embedding_name,
            )
        embedded = embedding(ids)
        if embedding_weights is not None:
            if trainable_embedding_rows is None:
                embedding.set_weights([embedding_weights])
            else:
                embedding.set_embeddings(embedding_weights)
        return inputs, embedded
    if embedding_weights is not None:
        raise ValueError(
            "Invalid value for argument `embedding_weights`. Real-valued inputs "
            "(`num_features`) are not embedded; pass `vocab_size` instead."
        )
    if inputs is None:
        inputs = keras.Input(shape=(input_length, num_features), dtype="float32", name=name)
    return inputs, keras.layers.Masking(0.0, name="masking")(inputs)


def _check_embedding_weights(weights, vocab_size, one_hot):
    """The embedding size of `embedding_weights`, checked against `vocab_size`."""
    shape = getattr(weights, "shape", None)
    if one_hot:
        raise ValueError(
            "Invalid value for argument `embedding_weights`. One-hot inputs "
            "(`one_hot=True`) have no embedding weights to set."
        )
    if shape is None or len(shape) != 2 or shape[0] != vocab_size:
        raise ValueError(
            "Invalid value for argument `embedding_weights`. Expected an array "
            f"of shape `(vocab_size, dimension)` = `({vocab_size}, dimension)`. "
            f"Received: shape={shape}"
        )
    return int(shape[1])


def compile_model(
    model,
    loss,
    metrics,
    optimizer,
    learning_rate,
    clipnorm,
    global_clipnorm,
    ema_momentum=None,
    weighted_metrics=None,
):
    """Compiles a builder's model; the one place the optimizer options are wired in.

    Under a strategy of several replicas (the one whose scope the model is
    built in), the optimizer clips the replicas' summed gradients, as one
    device does (`rnn_keras.compat.clip_after_reduce`).
    """
    optimizer = get_optimizer(
        optimizer,
        learning_rate,
        clipnorm=clipnorm,
        global_clipnorm=global_clipnorm,
        ema_momentum=ema_momentum,
    )
    model.compile(
        optimizer=clip_after_reduce(optimizer),
        loss=loss,
        metrics=metrics,
        weighted_metrics=weighted_metrics,
    )
    return model
