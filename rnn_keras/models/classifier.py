"""N→1: sequence classification."""

import keras

from rnn_keras.layers import MaskedGlobalMaxPooling1D
from rnn_keras.layers import SeriesConvolution
from rnn_keras.layers import SeriesNormalization
from rnn_keras.layers import SeriesPatches
from rnn_keras.layers import recurrent_block
from rnn_keras.models.inputs import check_token_or_feature_arguments
from rnn_keras.metrics.macro_f1 import MacroF1
from rnn_keras.models.inputs import compile_model
from rnn_keras.models.inputs import sequence_input
from rnn_keras.validation import check_one_of
from rnn_keras.validation import check_positive_int
from rnn_keras.validation import check_rate

POOLINGS = ("last", "mean", "max")


def build_classifier(
    num_classes,
    vocab_size=None,
    num_features=None,
    cell="lstm",
    units=64,
    num_layers=1,
    bidirectional=False,
    merge_mode="concat",
    dropout=0.0,
    recurrent_dropout=0.0,
    embedding_dim=64,
    embedding_dropout=0.0,
    token_dropout=0.0,
    embedding_weights=None,
    freeze_embeddings=False,
    trainable_embedding_rows=None,
    one_hot=False,
    pooling="last",
    head_dropout=0.0,
    multi_label=False,
    input_length=None,
    inputs=None,
    series_normalization=None,
    feature_mean=0.0,
    feature_std=1.0,
    patch_size=1,
    conv_filters=0,
    conv_kernel_sizes=(8, 5),
    conv_branch=False,
    optimizer="adam",
    learning_rate=1e-3,
    clipnorm=None,
    global_clipnorm=1.0,
    ema_momentum=None,
    name="classifier",
):
    """Builds and compiles an N→1 classifier: sequence → recurrent block → classes.

    For sentiment, intent, topic and time-series classification. The input
    is token ids (`vocab_size`, embedded with `mask_zero=True` or one-hot)
    or real-valued steps (`num_features`, all-zero steps masked). The
    sequence is summarised by the last state (`pooling="last"`, which for a
    bidirectional block is both directions' final states) or by masked
    mean or max pooling over the outputs.

    Args:
        num_classes: `int >= 2.` Number of classes.
        vocab_size: `int` or `None.` Token-id inputs with this vocabulary
            (id 0 is padding). Exactly one of `vocab_size`, `num_features`.
        num_features: `int` or `None.` Real-valued inputs with this many
            features per step.
        cell: `"vanilla"`, `"lstm"` or `"gru"`. Defaults to `"lstm"`.
        units: `int.` Units per recurrent layer. Defaults to `64`.
        num_layers: `int.` Stacked recurrent layers. Defaults to `1`.
        bidirectional: `bool.` Defaults to `False`.
        merge_mode: `str.` How directions merge. Defaults to `"concat"`.
        dropout: `float.` Dropout between recurrent layers. Defaults to `0.0`.
        recurrent_dropout: `float.` Defaults to `0.0`.
        embedding_dim: `int.` Embedding size for token ids. Defaults to `64`.
        embedding_dropout: `float.` Dropout on the embedded (or real-valued)
            inputs, a strong regulariser for small text datasets. Defaults
            to `0.0`.
        token_dropout: `float.` Probability of replacing a token id by
            `<UNK>` (id 1) while training (`TokenDropout`), so the model
            learns what to do with words it never saw. Defaults to `0.0`.
        embedding_weights: optional `(vocab_size, dimension)` array: the
            embedding's initial weights (e.g. pretrained word vectors, see
            `rnn_keras.data.pretrained_embeddings`); `embedding_dim` is then
            `dimension`. Defaults to `None` (random).
        freeze_embeddings: `bool.` Keep the embedding weights fixed in
            training. Defaults to `False`.
        trainable_embedding_rows: `int` or `None.` Train only the rows of
            ids below this (`PretrainedEmbedding`): the tokens seen in
            training, when the vocabulary goes on with words that only the
            pretrained vectors hold. Defaults to `None` (every row).
        one_hot: `bool.` One-hot token ids instead of an embedding.
            Defaults to `False`.
        pooling: `"last"`, `"mean"` or `"max"`. Defaults to `"last"`.
        head_dropout: `float.` Dropout before the output layer. Defaults to
            `0.0`.
        multi_label: `bool.` Independent sigmoid per class (several labels
            per sequence) instead of one softmax. Defaults to `False`.
        input_length: `int` or `None.` Fixed sequence length, if any.
        inputs: optional `keras.Input` to build on (checked for rank and
            dtype).
        series_normalization: `None`, `"channel"` or `"series"`. For
            real-valued inputs: `None` masks all-zero steps (`Masking`);
            otherwise steps without a finite value (NaN padding) are masked
            and the values standardised (`SeriesNormalization`), by
            channel with `feature_mean` and `feature_std`, or per series.
            Defaults to `None`.
        feature_mean, feature_std: `float` or list of `float` per feature.
            The statistics of `series_normalization="channel"`. Defaults to
            `0.0` and `1.0`.
        patch_size: `int.` With `series_normalization`, read every
            `patch_size` steps as one (`SeriesPatches`), so a long series
            runs fewer recurrent steps. Defaults to `1`.
        conv_filters: `int.` With `series_normalization`, convolution
            blocks of this many filters (`SeriesConvolution`) read the
            normalised series before the patches and the recurrent block;
            `0` for none. Defaults to `0`.
        conv_kernel_sizes: sequence of `int`, the kernel of each block.
            Defaults to `(8, 5)`.
        conv_branch: `bool.` With `conv_filters`, the convolution blocks'
            output averaged over the unmasked steps joins the recurrent
            block's summary before the output layer: the fully
            convolutional branch of LSTM-FCN (Karim et al., 2018), so the
            classes can rest on the shapes the kernels find as well as on
            what the recurrent layer reads of them. Defaults to `False`.
        optimizer, learning_rate, clipnorm, global_clipnorm, ema_momentum: passed to
            `rnn_keras.optimizers.get_optimizer`; gradients are clipped to a
            global norm of 1.0 by default; `ema_momentum` (off by default)
            averages the weights.
        name: `str.` Model name. Defaults to `"classifier"`.

    Returns:
        A compiled `keras.Model` mapping the input to `(batch, num_classes)`
        probabilities, with layers `embedding`, `encoder` and `probabilities`.

    Example:

    ```python
    model = build_classifier(num_classes=2, vocab_size=20000, bidirectional=True)
    model.fit(token_ids, labels)
    ```
    """
    check_positive_int("num_classes", num_classes)
    if num_classes < 2:
        raise ValueError(
            "Invalid value for argument `num_classes`. Expected an integer "
            f">= 2. Received: num_classes={num_classes!r}"
        )
    check_one_of("pooling", pooling, POOLINGS)
    check_rate("head_dropout", head_dropout)
    check_rate("embedding_dropout", embedding_dropout)
    check_rate("token_dropout", token_dropout)
    check_positive_int("patch_size", patch_size)
    if conv_filters != 0:
        check_positive_int("conv_filters", conv_filters)
    if series_normalization is not None and num_features is None:
        raise ValueError(
            "Invalid value for argument `series_normalization`. It applies to "
            "real-valued inputs (`num_features`). Received: "
            f"series_normalization={series_normalization!r}, vocab_size={vocab_size!r}"
        )
    if conv_branch and not conv_filters:
        raise ValueError(
            "Invalid value for argument `conv_branch`. The branch averages the "
            "convolution blocks' output: it needs `conv_filters`. Received: "
            f"conv_branch={conv_branch!r}, conv_filters={conv_filters!r}"
        )
    if conv_filters and series_normalization is None:
        raise ValueError(
            "Invalid value for argument `conv_filters`. The convolution front end "
            "reads normalised series: it needs `series_normalization`. Received: "
            f"conv_filters={conv_filters!r}, series_normalization=None"
        )

    # === Layers ===
    if series_normalization is None:
        inputs, embedded = sequence_input(
            vocab_size, num_features, embedding_dim, one_hot, input_length, inputs,
            token_dropout=token_dropout,
            embedding_weights=embedding_weights,
            freeze_embeddings=freeze_embeddings,
            trainable_embedding_rows=trainable_embedding_rows,
        )
    else:
        check_token_or_feature_arguments(vocab_size, num_features, inputs)
        if inputs is None:
            inputs = keras.Input(shape=(input_length, num_features), name="series")
        embedded = SeriesNormalization(
            feature_mean, feature_std, series_normalization, name="series_normalization"
        )(inputs)
        if conv_filters:
            embedded = SeriesConvolution(
                conv_filters, conv_kernel_sizes, name="convolution"
            )(embedded)
            if conv_branch:
                convolved = keras.layers.GlobalAveragePooling1D(name="conv_pooling")(embedded)
        if patch_size > 1:
            embedded = SeriesPatches(patch_size, name="patches")(embedded)
    encoder = recurrent_block(
        cell,
        units=units,
        num_layers=num_layers,
        bidirectional=bidirectional,
        merge_mode=merge_mode,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        return_sequences=pooling != "last",
        name="encoder",
    )

    # === Functional Model ===
    if embedding_dropout:
        embedded = keras.layers.Dropout(embedding_dropout, name="embedding_dropout")(embedded)
    encoded = encoder(embedded)
    if pooling == "mean":
        encoded = keras.layers.GlobalAveragePooling1D(name="mean_pooling")(encoded)
    elif pooling == "max":
        encoded = MaskedGlobalMaxPooling1D(name="max_pooling")(encoded)
    if conv_branch:
        encoded = keras.layers.Concatenate(name="conv_branch")([encoded, convolved])
    if head_dropout:
        encoded = keras.layers.Dropout(head_dropout, name="head_dropout")(encoded)
    activation = "sigmoid" if multi_label else "softmax"
    probabilities = keras.layers.Dense(num_classes, activation=activation, name="probabilities")(
        encoded
    )
    model = keras.Model(inputs, probabilities, name=name)

    if multi_label:
        loss = "binary_crossentropy"
        metrics = [keras.metrics.BinaryAccuracy(name="accuracy")]
    else:
        loss = "sparse_categorical_crossentropy"
        metrics = [
            keras.metrics.SparseCategoricalAccuracy(name="accuracy"),
            MacroF1(num_classes, name="macro_f1"),
        ]
    return compile_model(
        model, loss, metrics, optimizer, learning_rate, clipnorm, global_clipnorm, ema_momentum
    )
