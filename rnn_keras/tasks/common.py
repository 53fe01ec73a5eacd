"""Helpers the tasks share: batching outside `tf.data`, padding, cached prediction."""

import logging
import weakref

import keras
import numpy as np
import tensorflow as tf

logger = logging.getLogger("rnn_keras")


def metric_direction(name):
    """`"min"` for losses and errors, `"max"` for accuracies and F1."""
    lower_is_better = ("loss", "rmse", "mae", "mse", "perplexity", "bits")
    return "min" if any(k in name for k in lower_is_better) else "max"


def target_steps(inputs, targets):
    """The steps whose target is not padding (id 0), which a masked loss averages over.

    For the sequence tasks, the model's input mask (`mask_zero`) covers
    the same steps: the targets are the inputs' labels, or the inputs
    shifted by one.
    """
    del inputs
    return targets != 0


def batches(items, batch_size):
    """Yields `(indices, items)` chunks of at most `batch_size`, shortest first.

    Sorting by length keeps padding low when decoding or predicting outside
    `tf.data`; the indices put results back in the original order.
    """
    order = sorted(range(len(items)), key=lambda i: len(items[i]))
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        yield chunk, [items[i] for i in chunk]


def parse_numbers(line):
    """The numbers of a `predict` input line, separated by commas or spaces."""
    try:
        return [float(v) for v in line.replace(",", " ").split()]
    except ValueError as error:
        raise ValueError(
            f"Expected numbers separated by commas or spaces; got {line[:60]!r}"
        ) from error


def pad(sequences, dtype="int32", length=None, value=0):
    """`(batch, length, ...)` array of sequences padded with `value` (0) at the end."""
    length = length or max([len(s) for s in sequences] + [1])
    step_shape = np.shape(sequences[0])[1:] if sequences and len(sequences[0]) else ()
    out = np.full((len(sequences), length, *step_shape), value, dtype)
    for row, sequence in enumerate(sequences):
        out[row, : len(sequence)] = sequence[:length]
    return out


_PREDICT_FUNCTIONS = weakref.WeakKeyDictionary()


def _call(model, batch):
    return model(batch, training=False)


def predict_batch(model, batch, call=_call):
    """`call(model, batch)` as a NumPy array, through one `tf.function` per model and call.

    `call` defaults to `model(batch, training=False)`; give a module-level
    function (it keys the cache). `reduce_retracing` generalises the traced
    shapes after the first lengths, so predicting batches of many lengths
    does not retrace for each (as `model.predict_on_batch` does).
    """
    functions = _PREDICT_FUNCTIONS.setdefault(model, {})
    function = functions.get(call)
    if function is None:
        function = tf.function(lambda x: call(model, x), reduce_retracing=True)
        functions[call] = function
    return np.array(function(tf.nest.map_structure(tf.convert_to_tensor, batch)))


def float32(tensor):
    """`tensor` cast to float32 (outputs of mixed-precision models)."""
    return tf.cast(tensor, tf.float32)


def token_spec(batch, name="tokens"):
    """The `TensorSpec` of a `(batch, steps)` batch of token ids."""
    return tf.TensorSpec((batch, None), tf.int32, name=name)


def string_ids(vocabulary, text, limit=None):
    """Token ids of a string batch (at most `limit` each), one trailing pad so no row is empty."""
    ids = vocabulary.encode_tensor(text)
    if limit:
        ids = ids[:, :limit]
    return tf.pad(ids, [[0, 0], [0, 1]])


def supervised_keys(info, name, task):
    """The `(input, target)` feature names of a supervised TFDS dataset."""
    if info.supervised_keys is None:
        raise ValueError(f"tfds:{name} has no supervised keys; it cannot feed task {task!r}")
    return info.supervised_keys[:2]


def find_layer(model, name):
    """The layer `name` of `model`, or of a model nested in it (an ensemble's members); `None`."""
    for layer in model.layers:
        if layer.name == name:
            return layer
        if isinstance(layer, keras.Model):
            found = find_layer(layer, name)
            if found is not None:
                return found
    return None


def embedding_rows(model, name="embedding"):
    """The ids the token embedding `name` of `model` reads (`None` if it has none)."""
    layer = find_layer(model, name)
    rows = getattr(layer, "input_dim", None) or getattr(layer, "vocab_size", None)
    return None if rows is None else int(rows)


def check_size(what, saved, actual):
    """Raises `ValueError` when the model's `actual` size is not the `saved` one of `task.json`."""
    if actual is not None and int(actual) != int(saved):
        raise ValueError(f"{what}: {saved} in task.json, {actual} in the model")


def input_length_limit(lengths, given=None):
    """The most tokens an input keeps: `given`, else a bound far above the bulk of `lengths`.

    Without a given limit, inputs over four times the 99th-percentile
    training length (and over 128 tokens) are outliers: a 146,000-token line
    among 20-token sentences would otherwise make every epoch crawl. They are
    truncated to that bound, which the fitted state keeps, so prediction and
    serving cut alike.
    """
    if given:
        return int(given)
    return max(128, 4 * int(np.ceil(np.percentile(lengths, 99)))) if len(lengths) else 128


def truncate(encoded, limit, what, task_name):
    """`encoded` (lists of ids) cut to `limit` ids each (`None`: none); logs how many were cut."""
    if not limit:
        return encoded
    long = sum(len(ids) > limit for ids in encoded)
    if long:
        logger.warning(
            "%s: truncated %d %s to %d tokens (--max-input-length)", task_name, long, what, limit
        )
    return [ids[:limit] for ids in encoded]
