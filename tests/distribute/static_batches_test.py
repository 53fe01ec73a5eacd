"""`static_batches`: a few fixed shapes for XLA, and the same training as variable batches."""

import numpy as np
import pytest
import tensorflow as tf

from replica_models import build
from replica_models import build_sequence_tagger
from replica_models import examples
from replica_models import max_drift
from replica_models import tagged
from rnn_keras import distribute
from rnn_keras.data import make_dataset
from rnn_keras.distribute.static_batches import bucket_length
from rnn_keras.tasks.common import target_steps


def ragged(count, sequence=False, seed=0):
    """Token lists of 2-7 ids and a label (or a tag per token): batches pad them per batch."""
    tokens, labels = (tagged if sequence else examples)(count, seed)
    rows = [list(row[row > 0]) for row in tokens]
    return rows, [list(row[row > 0]) for row in labels] if sequence else labels


@pytest.mark.parametrize(
    "length, padded", [(1, 8), (7, 8), (8, 8), (9, 16), (16, 16), (17, 32), (1000, 1024)]
)
def test_bucket_length_is_the_next_power_of_two_from_the_minimum(length, padded):
    assert int(bucket_length(length)) == padded


def test_every_batch_is_full_and_lengths_are_powers_of_two():
    rows, labels = ragged(45)
    rows[3] = list(range(1, 12))  # one sequence longer than 8
    dataset = distribute.static_batches(make_dataset(rows, labels, batch_size=16), 16)
    shapes = set()
    for x, y, w in dataset:
        real = int(tf.reduce_sum(tf.cast(w > 0, tf.int32)))
        shapes.add(tuple(x.shape))
        assert y.shape == (16,) and w.shape == (16,)
        np.testing.assert_array_equal(x[real:], 0)
        # Per-example loss: the real rows' weights make the batch mean their mean.
        np.testing.assert_allclose(w[:real], 16 / real, rtol=1e-6)
    assert shapes == {(16, 16), (16, 8)}  # the batch with the long sequence, the others
    assert sum(int(tf.reduce_sum(tf.cast(w > 0, tf.int32))) for _, _, w in dataset) == 45


def test_per_step_weights_are_one_for_real_rows_and_keep_given_weights():
    rows, tags = ragged(5, sequence=True)
    given = tf.data.Dataset.from_tensors(([[1, 2, 3]], [[1, 1, 0]], [[1.0, 0.5, 0.0]]))
    ((x, y, w),) = list(distribute.static_batches(given, 4, per_step=True, min_length=4))
    # Axes of known size (3 here) stay; only the rows are padded.
    assert x.shape == y.shape == w.shape == (4, 3)
    np.testing.assert_allclose(w, [[1.0, 0.5, 0.0]] + [[0.0] * 3] * 3)
    # Given weights of more axes (a forecast's `(batch, horizon, 1)`): each row's weight
    # for all of its elements.
    given = tf.data.Dataset.from_tensors(([[1.0, 2.0]] * 3, [[[1.0]] * 4] * 3, [[[2.0]] * 4] * 3))
    ((x, y, w),) = list(distribute.static_batches(given, 4))
    assert w.shape == y.shape == (4, 4, 1)
    np.testing.assert_allclose(w[:3], 2.0 * 4 / 3)
    np.testing.assert_array_equal(w[3], 0.0)
    ((x, y, w),) = list(
        distribute.static_batches(make_dataset(rows, tags, batch_size=8), 8, per_step=True)
    )
    # Without given weights, one per step of the targets: Keras weighs a per-step loss
    # only by weights of its shape.
    assert x.shape == y.shape == w.shape == (8, 8)
    np.testing.assert_array_equal(w, [[1.0] * 8] * 5 + [[0.0] * 8] * 3)


def test_a_per_step_loss_on_static_batches_is_the_loss_on_variable_ones():
    # A masked tagger without a CRF: softmax per step, the loss averaged over the
    # unpadded steps. On one device (no `even_batches` to make per-step weights) the
    # static batches' weights must take the loss's shape.
    # One batch of 5 rows of up to 7 steps, padded to 8 rows of 8 steps.
    rows, tags = ragged(5, sequence=True)
    model = build_sequence_tagger()
    variable = make_dataset(rows, tags, batch_size=8)
    static = distribute.static_batches(variable, 8, per_step=True)
    ((x, _, w),) = list(static)
    assert x.shape == w.shape == (8, 8)
    expected = model.evaluate(variable, verbose=0, return_dict=True)
    got = model.evaluate(static, verbose=0, return_dict=True)
    assert got["loss"] == pytest.approx(expected["loss"], rel=1e-5)
    model.fit(static, epochs=1, verbose=0)  # raised a shape error before


def test_a_classifier_trains_on_static_batches_as_on_variable_ones():
    rows, labels = ragged(45)
    initial = build().get_weights()
    variable, static = build(initial), build(initial)
    dataset = make_dataset(rows, labels, batch_size=16)
    variable.fit(dataset, epochs=3, shuffle=False, verbose=0)
    static.fit(distribute.static_batches(dataset, 16), epochs=3, shuffle=False, verbose=0)
    assert max_drift(variable, static) < 1e-5


@pytest.mark.large  # about 35 s; the classifier on static batches is checked by default
def test_a_masked_tagger_on_two_replicas_with_static_batches_trains_as_one_device():
    rows, tags = ragged(45, sequence=True)
    initial = build_sequence_tagger().get_weights()
    one = build_sequence_tagger(initial)
    dataset = make_dataset(rows, tags, batch_size=16)
    one.fit(dataset, epochs=3, shuffle=False, verbose=0)
    with distribute.get_strategy("mirrored").scope():
        two = build_sequence_tagger(initial)
    static = distribute.static_batches(dataset, 16, per_step=True)
    two.fit(
        distribute.even_batches(static, 2, token_mask=target_steps), epochs=3, shuffle=False,
        verbose=0,
    )
    assert max_drift(one, two) < 1e-5
