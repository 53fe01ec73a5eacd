"""The `Task` base class: what `rnn-keras train/evaluate/predict` needs of a task."""

import logging
import os
import weakref

import numpy as np
import tensorflow as tf

from rnn_keras.data.pipeline import make_dataset
from rnn_keras.data.word_vectors import pretrained_embeddings
from rnn_keras.validation import check_positive_int

logger = logging.getLogger("rnn_keras")

# Options of the tasks that embed words (classify, tag): pretrained vectors.
WORD_VECTOR_DEFAULTS = {"embeddings": None, "max_vectors": 100000, "freeze_embeddings": False}

# Hyperparameters every task understands, with their defaults.
COMMON_DEFAULTS = {
    "cell": "lstm",
    "units": 64,
    "layers": 1,
    "bidirectional": False,
    "dropout": 0.0,
    "recurrent_dropout": 0.0,
    "embedding_dim": 64,
    "learning_rate": 1e-3,
    "clipnorm": 1.0,
    "ema_momentum": None,  # None or 0: no weight averaging
    "batch_size": 32,
    "epochs": 10,
    "patience": 3,
    "seed": 0,
    "valid_fraction": 0.1,
    "test_fraction": 0.0,
    "monitor": "val_loss",
    "max_minutes": None,
    # Distribution (see `rnn_keras.distribute`): `batch_size` is per replica.
    "strategy": "auto",
    "tpu": None,
    "static_shapes": None,  # None: on under a TPU strategy (see `distribute.static_batches`)
}


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
    return targets != 0


class Task:
    """A learning problem: its data form, preprocessing, model and scores.

    Subclasses set `name` and `defaults` (their own hyperparameters) and
    implement the methods below. The `monitor` hyperparameter names the
    validation metric that early stopping and the best checkpoint follow
    (`val_loss` by default; `monitor_mode` tells whether lower is better).
    The fitted preprocessing (vocabularies, label names, statistics) is the task's `state`, a JSON-able dict that is saved
    beside the model, so `evaluate` and `predict` see the same ids.

    Args:
        config: `dict` of hyperparameters; missing ones take the defaults.
        state: `dict` or `None.` The fitted preprocessing of a trained task.
    """

    name = None
    defaults = {}
    # Whether a missing test split is held out of the training data too.
    carve_test = False
    # Config keys that shape the model's inputs and outputs outside the
    # model (encoding, lengths): models averaged by `tasks.ensemble` must
    # agree on them and on `state`. `None`: the task's models cannot be
    # averaged as one Keras model.
    ensemble_keys = ()

    def __init__(self, config=None, state=None):
        config = dict(config or {})
        self.config = {**COMMON_DEFAULTS, **self.defaults}
        self.config.update({k: v for k, v in config.items() if v is not None})
        self.state = state
        # Replicas in sync of the strategy that trains the model (set by
        # the runner); a global batch holds `batch_size * replicas` examples.
        self.replicas = 1
        # Pretrained embedding weights read by `with_word_vectors` (not in
        # `state`: a trained model holds them among its weights).
        self.embedding_weights = None

    @property
    def monitor_mode(self):
        """`"min"` or `"max"`: which way the monitored metric improves."""
        return metric_direction(self.config["monitor"])

    # --- Data ---

    def split_off(self, examples, fraction, seed):
        """Splits a validation part off the training examples: `(train, valid)`.

        The default shuffles list-like examples with `seed`; tasks whose data
        is one sequence (text, a series) split it in time instead.
        """
        order = np.random.default_rng(seed).permutation(_length(examples))
        cut = max(1, int(round(len(order) * fraction)))
        return _take(examples, order[cut:]), _take(examples, order[:cut])

    def prepare(self, train):
        """Fits the preprocessing on the training examples; sets `state`."""
        raise NotImplementedError

    def dataset(self, examples, training, origin=None):
        """A batched `tf.data.Dataset` for `fit`/`evaluate` (`origin` names the data)."""
        raise NotImplementedError

    # `(inputs, targets) -> (batch, timesteps)` mask of the steps the loss is
    # averaged over, for tasks with sequence outputs (see `even_batches`).
    loss_mask = None

    def batched(self, inputs, targets, training, bucket_by=None):
        """`make_dataset` with the task's global batch size and seed, shuffled for training."""
        return make_dataset(
            inputs,
            targets,
            batch_size=int(self.config["batch_size"]) * self.replicas,
            shuffle=training,
            seed=int(self.config["seed"]),
            bucket_by=bucket_by,
        )

    def with_word_vectors(self, vocabulary):
        """`vocabulary`, joined by the words of the `embeddings` vectors file if one is set.

        The file (GloVe / word2vec text format) gives its first
        `max_vectors` words ids and their vectors the embedding's initial
        weights (`rnn_keras.data.pretrained_embeddings`), so words never seen
        in training are still read by their vector. Sets `state["embedding_dim"]`
        and `state["trained_embedding_rows"]`.
        """
        path = self.config.get("embeddings")
        if not path:
            return vocabulary
        check_positive_int("max_vectors", self.config["max_vectors"])
        # The training tokens' rows train; the words only the file holds never
        # get a gradient, so they stay fixed (`PretrainedEmbedding`).
        self.state["trained_embedding_rows"] = vocabulary.size
        vocabulary, self.embedding_weights = pretrained_embeddings(
            vocabulary,
            os.path.expanduser(path),
            self.config["max_vectors"],
            seed=int(self.config["seed"]),
        )
        self.state["embedding_dim"] = int(self.embedding_weights.shape[1])
        return vocabulary

    # --- Model ---

    def build_model(self):
        """The compiled Keras model for the fitted preprocessing."""
        raise NotImplementedError

    def evaluate(self, model, examples, origin=None):
        """Task scores of `model` on `examples`: a `dict` of floats."""
        raise NotImplementedError

    def predict(self, model, lines):
        """Readable predictions for raw input lines (a list of strings)."""
        raise NotImplementedError

    def plots(self, model, examples, directory):
        """Writes task-specific figures to `directory`; returns their paths."""
        del model, examples, directory
        return []

    def get_config(self):
        return {"task": self.name, "config": self.config, "state": self.state}

    def embedding_arguments(self):
        """The builder's token-embedding arguments (the vectors' size when pretrained)."""
        return {
            "embedding_dim": int(self.state.get("embedding_dim") or self.config["embedding_dim"]),
            "embedding_weights": self.embedding_weights,
            "freeze_embeddings": bool(self.config.get("freeze_embeddings")),
            "trainable_embedding_rows": self.state.get("trained_embedding_rows"),
        }

    def recurrent_arguments(self):
        """The builder arguments shared by every task."""
        c = self.config
        return {
            "cell": c["cell"],
            "units": int(c["units"]),
            "num_layers": int(c["layers"]),
            "dropout": float(c["dropout"]),
            "recurrent_dropout": float(c["recurrent_dropout"]),
            "learning_rate": float(c["learning_rate"]),
            "global_clipnorm": float(c["clipnorm"]) if c["clipnorm"] else None,
            "ema_momentum": float(c["ema_momentum"]) if c["ema_momentum"] else None,
        }


def _length(examples):
    return len(examples[0]) if isinstance(examples, tuple) else len(examples)


def _take(examples, indices):
    if isinstance(examples, tuple):
        return tuple([part[i] for i in indices] for part in examples)
    return [examples[i] for i in indices]


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
