"""Helpers the tasks share: batching outside `tf.data`, padding, cached prediction."""

import logging
import weakref

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


def pad(sequences, dtype="int32", length=None):
    """`(batch, length, ...)` array of sequences padded with 0 at the end."""
    length = length or max([len(s) for s in sequences] + [1])
    step_shape = np.shape(sequences[0])[1:] if sequences and len(sequences[0]) else ()
    out = np.zeros((len(sequences), length, *step_shape), dtype)
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


def string_ids(vocabulary, text):
    """Token ids of a string batch, with one trailing pad so no row is empty."""
    ids = vocabulary.encode_tensor(text)
    return tf.pad(ids, [[0, 0], [0, 1]])


def supervised_keys(info, name, task):
    """The `(input, target)` feature names of a supervised TFDS dataset."""
    if info.supervised_keys is None:
        raise ValueError(f"tfds:{name} has no supervised keys; it cannot feed task {task!r}")
    return info.supervised_keys[:2]
