"""A tiny classifier trained on one device and on two mirrored replicas, to compare."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import tensorflow as tf

from rnn_keras import distribute
from rnn_keras.models import build_classifier
from rnn_keras.models import build_tagger
from rnn_keras.tasks.common import target_steps

VOCAB = 30
LENGTH = 7


def examples(count, seed=0):
    """Variable-length token sequences (zero-padded, masked) and a parity label."""
    rng = np.random.default_rng(seed)
    tokens = rng.integers(1, VOCAB, size=(count, LENGTH)).astype("int32")
    lengths = rng.integers(2, LENGTH + 1, size=count)
    tokens[np.arange(LENGTH)[None, :] >= lengths[:, None]] = 0
    labels = (tokens % 3 == 0).sum(axis=1) % 2
    return tokens, labels.astype("int32")


def tagged(count, seed=0):
    """`examples` with a tag per token (1 + token % 3), 0 on padding."""
    tokens, _ = examples(count, seed)
    return tokens, np.where(tokens > 0, 1 + tokens % 3, 0).astype("int32")


def build_sequence_tagger(initial=None, crf=False):
    """A masked BiGRU tagger: its loss is averaged over the unpadded steps."""
    model = build_tagger(4, vocab_size=VOCAB, cell="gru", units=8, embedding_dim=8,
                         learning_rate=0.05, crf=crf)
    if initial is not None:
        model.set_weights(initial)
    return model


def build(initial=None, **kwargs):
    """An LSTM classifier compiled by the package's builder, optionally with set weights."""
    config = dict(cell="lstm", units=8, embedding_dim=8, learning_rate=0.05)
    model = build_classifier(2, vocab_size=VOCAB, **{**config, **kwargs})
    if initial is not None:
        model.set_weights(initial)
    return model


def fit(model, tokens, labels, batch_size, replicas, even=True, epochs=3, sequence=False):
    """Per-epoch losses of `model.fit` on `(tokens, labels)` batched by `batch_size`."""
    dataset = tf.data.Dataset.from_tensor_slices((tokens, labels)).batch(batch_size)
    if even:
        mask = target_steps if sequence else None
        dataset = distribute.even_batches(dataset, replicas, token_mask=mask)
    history = model.fit(dataset, epochs=epochs, shuffle=False, verbose=0)
    return history.history["loss"]


def count_traces(model):
    """A list that grows by one each time `model`'s training step is traced."""
    traces = []
    step = model.train_step

    def counted(data):
        traces.append(1)
        return step(data)

    model.train_step = counted
    return traces


def max_drift(a, b):
    """Largest absolute difference between two models' weights."""
    return max(float(np.abs(x - y).max()) for x, y in zip(a.get_weights(), b.get_weights()))



def one_and_two_replicas(optimizer):
    """Weights drift between one device and two replicas, both compiled with `optimizer()`."""
    tokens, labels = examples(45)
    initial = build().get_weights()
    one = build(initial)
    one.compile(optimizer=optimizer(), loss="sparse_categorical_crossentropy")
    fit(one, tokens, labels, 16, 1)
    with distribute.get_strategy("mirrored").scope():
        two = build(initial)
        two.compile(optimizer=optimizer(), loss="sparse_categorical_crossentropy")
    fit(two, tokens, labels, 16, 2)
    return max_drift(one, two)

_PRELUDE = """
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path.insert(0, {tests!r})
import keras
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
keras.utils.set_random_seed(1337)
from replica_models import *
from rnn_keras import distribute
"""


def run_apart(body, timeout=300):
    """Runs `body` in a fresh process with two logical CPUs; returns what it `emit`s.

    An aborted collective (as Keras's own failures under `MirroredStrategy`
    cause) breaks every later collective in the process ("Restart your
    program to reset"), so tests that provoke one run apart. `body` is
    Python source that may use this module and ends by calling
    `emit(value)` with a JSON-serialisable value.
    """
    tests = os.path.dirname(os.path.abspath(__file__))
    source = _PRELUDE.format(tests=tests) + textwrap.dedent(
        """
        def emit(value):
            print("RESULT " + json.dumps(value))
        """
    ) + textwrap.dedent(body)
    result = subprocess.run(
        [sys.executable, "-c", source], capture_output=True, text=True, timeout=timeout
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    if result.returncode != 0 or not lines:
        raise AssertionError(f"exit {result.returncode}:\n{result.stdout}\n{result.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT ") :])
