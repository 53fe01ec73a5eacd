"""Optimizers with gradient clipping, the cure for exploding gradients.

Backpropagation through time multiplies by `W_hh` once per step, so the
gradients of a long sequence can grow without bound. Every model in
`rnn_keras` is compiled through `get_optimizer`, whose clipping options are
exposed wherever a model is compiled.
"""

import keras

from rnn_keras.validation import check_one_of

OPTIMIZERS = {
    "adam": keras.optimizers.Adam,
    "adamw": keras.optimizers.AdamW,
    "rmsprop": keras.optimizers.RMSprop,
    "sgd": keras.optimizers.SGD,
}


def get_optimizer(
    name="adam",
    learning_rate=1e-3,
    clipnorm=None,
    global_clipnorm=None,
    clipvalue=None,
    ema_momentum=None,
):
    """Returns a Keras optimizer with optional gradient clipping and weight averaging.

    Args:
        name: `str`, one of `"adam"`, `"adamw"`, `"rmsprop"`, `"sgd"`.
            Defaults to `"adam"`.
        learning_rate: `float > 0`. Defaults to `1e-3`.
        clipnorm: `float > 0` or `None`. Clip each variable's gradient to
            this L2 norm. Defaults to `None`.
        global_clipnorm: `float > 0` or `None`. Clip all gradients together
            to this global L2 norm (the usual choice for RNNs). Defaults to
            `None`.
        clipvalue: `float > 0` or `None`. Clip each gradient element to
            `[-clipvalue, clipvalue]`. Defaults to `None`. At most one of
            the three clipping options can be set.
        ema_momentum: `float` in `(0, 1)` or `None`. Keep an exponential
            moving average of the weights (Polyak averaging, Keras's
            `use_ema`): after each step `average = m * average + (1 - m) *
            weights`. The average of the last `~1 / (1 - m)` steps
            generalises better than the last weights on small, noisy
            datasets; evaluate and save it with
            `keras.callbacks.SwapEMAWeights(swap_on_epoch=True)`, as
            `rnn-keras train --ema-momentum` does. Defaults to `None` (off).

    Returns:
        A `keras.optimizers.Optimizer`. Models compiled under a multi-replica
        strategy by the builders clip the gradients summed over the
        replicas, as one device would (`rnn_keras.compat.clip_after_reduce`).

    Example:

    ```python
    model.compile(
        optimizer=rnn_keras.optimizers.get_optimizer(global_clipnorm=1.0),
        loss="sparse_categorical_crossentropy",
    )
    ```
    """
    check_one_of("name", name, OPTIMIZERS)
    if ema_momentum is not None and (
        isinstance(ema_momentum, bool)
        or not isinstance(ema_momentum, (int, float))
        or not 0 < ema_momentum < 1
    ):
        raise ValueError(
            "Invalid value for argument `ema_momentum`. Expected a number "
            f"between 0 and 1 (exclusive) or None. Received: ema_momentum={ema_momentum!r}"
        )
    for argument, value in (
        ("learning_rate", learning_rate),
        ("clipnorm", clipnorm),
        ("global_clipnorm", global_clipnorm),
        ("clipvalue", clipvalue),
    ):
        if value is None and argument != "learning_rate":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError(
                f"Invalid value for argument `{argument}`. Expected a "
                f"positive number. Received: {argument}={value!r}"
            )
    if sum(value is not None for value in (clipnorm, global_clipnorm, clipvalue)) > 1:
        raise ValueError(
            "Only one of the arguments `clipnorm`, `global_clipnorm` and "
            f"`clipvalue` can be set. Received: clipnorm={clipnorm}, "
            f"global_clipnorm={global_clipnorm}, clipvalue={clipvalue}"
        )
    return OPTIMIZERS[name](
        learning_rate=learning_rate,
        clipnorm=clipnorm,
        global_clipnorm=global_clipnorm,
        clipvalue=clipvalue,
        use_ema=ema_momentum is not None,
        ema_momentum=0.99 if ema_momentum is None else float(ema_momentum),
    )
