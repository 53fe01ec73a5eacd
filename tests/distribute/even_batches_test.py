"""`even_batches`: two mirrored replicas train exactly as one device.

The guard that plain Keras still weighs uneven batches unequally is in
`tests/compat_test.py`.
"""

import numpy as np
import pytest
import tensorflow as tf

from replica_models import LENGTH
from replica_models import build
from replica_models import build_sequence_tagger
from replica_models import examples
from replica_models import fit
from replica_models import max_drift
from replica_models import tagged
from rnn_keras import distribute
from rnn_keras.tasks.common import target_steps


def test_pads_rows_and_weights_real_rows():
    tokens, labels = examples(13)
    dataset = tf.data.Dataset.from_tensor_slices((tokens, labels)).batch(16)
    ((x, y, w),) = list(distribute.even_batches(dataset, 2))
    assert x.shape == (14, LENGTH) and y.shape == (14,) and w.shape == (14,)
    np.testing.assert_array_equal(x[:13], tokens)
    np.testing.assert_array_equal(x[13], 0)
    np.testing.assert_allclose(w, [14 / 13] * 13 + [0.0], rtol=1e-6)
    # Each replica's mean over its 7 rows, halved, sums to the mean of the real rows.
    assert float(tf.reduce_sum(w)) == pytest.approx(14.0)


def test_keeps_given_sample_weights_and_nested_inputs():
    inputs = {"a": np.ones((5, 3), "float32"), "b": np.arange(5, dtype="int32")}
    dataset = tf.data.Dataset.from_tensor_slices(
        (inputs, np.arange(5, dtype="int32"), np.array([1, 2, 0, 1, 1], "float32"))
    ).batch(5)
    ((x, y, w),) = list(distribute.even_batches(dataset, 4))
    assert x["a"].shape == (8, 3) and x["b"].shape == (8,) and y.shape == (8,)
    np.testing.assert_allclose(w, np.array([1, 2, 0, 1, 1, 0, 0, 0]) * 8 / 5, rtol=1e-6)


def test_per_element_weights_keep_their_shape():
    # A forecaster's weights: one per window, repeated over the horizon's steps.
    weights = np.repeat(np.array([1, 2, 0, 1, 3], "float32")[:, None], 4, axis=1)[..., None]
    dataset = tf.data.Dataset.from_tensor_slices(
        (np.ones((5, 6, 1), "float32"), np.ones((5, 4, 1), "float32"), weights)
    ).batch(5)
    ((_, y, w),) = list(distribute.even_batches(dataset, 2))
    assert y.shape == (6, 4, 1) and w.shape == (6, 4, 1)
    np.testing.assert_allclose(w[:5], weights * 6 / 5, rtol=1e-6)
    np.testing.assert_array_equal(w[5], 0)


def test_token_mask_weights_each_replica_by_its_share_of_tokens():
    targets = np.array([[1, 2, 0], [1, 0, 0], [3, 3, 3], [2, 0, 0], [1, 1, 0]], "int32")
    dataset = tf.data.Dataset.from_tensors((targets, targets))
    ((x, y, w),) = list(distribute.even_batches(dataset, 2, token_mask=target_steps))
    assert x.shape == (6, 3) and w.shape == (6, 3)
    # Replica 0 holds rows 0-2 (6 real steps), replica 1 rows 3-5 (3 steps).
    mask = (np.pad(targets, [[0, 1], [0, 0]]) > 0).astype("float32")
    share = np.repeat([2 * 6 / 9, 2 * 3 / 9], 3)[:, None]
    np.testing.assert_allclose(w, mask * share, rtol=1e-6)
    # Each replica's mean over its own steps, halved, sums to the batch's mean.
    loss, w = np.arange(18, dtype="float32").reshape(6, 3), w.numpy()
    per_replica = [(loss * w)[r * 3:(r + 1) * 3].sum() / mask[r * 3:(r + 1) * 3].sum()
                   for r in range(2)]
    assert sum(per_replica) / 2 == pytest.approx((loss * mask).sum() / mask.sum())


@pytest.mark.parametrize(
    "count, batch_size",
    # A first batch that does not split: also checked by default for per-example losses.
    [(45, 16), pytest.param(13, 16, marks=pytest.mark.large)],
)
# A CRF's likelihood loss, divided by replicas; the softmax (about 25 s) is
# large: the token-mask weighting is unit-tested above by default.
@pytest.mark.parametrize("crf", [pytest.param(False, marks=pytest.mark.large), True])
def test_masked_sequence_loss_matches_one_device(count, batch_size, crf):
    tokens, tags = tagged(count)
    initial = build_sequence_tagger(crf=crf).get_weights()
    one = build_sequence_tagger(initial, crf=crf)
    fit(one, tokens, tags, batch_size, 1, sequence=True, epochs=1)
    with distribute.get_strategy("mirrored").scope():
        two = build_sequence_tagger(initial, crf=crf)
    fit(two, tokens, tags, batch_size, 2, sequence=True, epochs=1)
    assert max_drift(one, two) < 1e-5
    assert not np.allclose(one.get_weights()[0], initial[0], atol=1e-3)


def test_one_replica_is_unchanged():
    dataset = tf.data.Dataset.range(3).batch(2)
    assert distribute.even_batches(dataset, 1) is dataset


@pytest.mark.parametrize(
    "count, batch_size",
    [
        pytest.param(48, 16, marks=pytest.mark.large),  # every batch splits evenly
        (45, 16),  # the last batch (13 rows) does not
        (13, 16),  # the first and only batch does not
        pytest.param(45, 15, marks=pytest.mark.large),  # no batch does
    ],
)
def test_two_replicas_match_one_device(count, batch_size):
    tokens, labels = examples(count)
    initial = build().get_weights()
    one = build(initial)
    one_losses = fit(one, tokens, labels, batch_size, 1)
    strategy = distribute.get_strategy("mirrored")
    assert strategy.num_replicas_in_sync == 2
    with strategy.scope():
        two = build(initial)
    two_losses = fit(two, tokens, labels, batch_size, 2)
    assert max_drift(one, two) < 1e-5
    if batch_size % 2 == 0 and count % 2 == 0:
        # Keras weighs the epoch's loss by (padded) batch sizes: equal only
        # when no batch was padded.
        np.testing.assert_allclose(one_losses, two_losses, atol=1e-5)
    # Training did move the weights: the comparison is not trivial.
    assert not np.allclose(one.get_weights()[0], initial[0], atol=1e-3)
