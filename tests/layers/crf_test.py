import inspect
import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_keras.layers import CRF

NUM_TAGS = 3


def _crf(features=4, seed=0):
    """A built CRF with random (not constant) weights."""
    crf = CRF(NUM_TAGS)
    crf.build((None, None, features))
    rng = np.random.default_rng(seed)
    for weight in crf.weights:
        weight.assign(rng.normal(size=weight.shape).astype("float32"))
    return crf


def _path_scores(crf, scores, length):
    """Every tag path of the first `length` steps and its score, by enumeration."""
    transitions = crf.transitions.numpy()
    start, end = crf.start_transitions.numpy(), crf.end_transitions.numpy()
    paths = list(itertools.product(range(NUM_TAGS), repeat=length))
    totals = []
    for path in paths:
        total = start[path[0]] + end[path[-1]] + sum(scores[t, tag] for t, tag in enumerate(path))
        total += sum(transitions[a, b] for a, b in zip(path, path[1:]))
        totals.append(total)
    return paths, np.array(totals, "float64")


@pytest.fixture
def batch():
    rng = np.random.default_rng(1)
    lengths = np.array([5, 3, 1, 4])
    mask = np.arange(5)[None, :] < lengths[:, None]
    scores = rng.normal(size=(4, 5, NUM_TAGS)).astype("float32")
    tags = rng.integers(0, NUM_TAGS, size=(4, 5)) * mask
    return scores, tags, mask, lengths


def test_output_is_a_projection_of_the_features():
    crf = _crf()
    features = np.random.default_rng(2).normal(size=(2, 3, 4)).astype("float32")
    expected = features @ crf.kernel.numpy() + crf.bias.numpy()
    np.testing.assert_allclose(crf(features), expected, atol=1e-5)
    assert crf.compute_output_shape((2, 3, 4)) == (2, 3, NUM_TAGS)


def test_log_likelihood_matches_enumeration_of_all_paths(batch):
    scores, tags, mask, lengths = batch
    crf = _crf()
    got = np.array(crf.log_likelihood(scores, tags, mask))
    for row, length in enumerate(lengths):
        paths, totals = _path_scores(crf, scores[row], length)
        log_z = np.logaddexp.reduce(totals)
        gold = totals[paths.index(tuple(tags[row, :length]))]
        np.testing.assert_allclose(got[row], gold - log_z, atol=1e-4)
        np.testing.assert_allclose(crf.log_partition(scores, mask)[row], log_z, atol=1e-4)


def test_probabilities_of_all_paths_sum_to_one(batch):
    scores, _, mask, lengths = batch
    crf = _crf()
    length = int(lengths[1])
    total = 0.0
    for path in itertools.product(range(NUM_TAGS), repeat=length):
        tags = np.zeros((4, 5), "int32")
        tags[1, :length] = path
        total += np.exp(np.array(crf.log_likelihood(scores, tags, mask))[1])
    np.testing.assert_allclose(total, 1.0, atol=1e-4)


def test_decode_is_the_best_path(batch):
    scores, _, mask, lengths = batch
    crf = _crf()
    decoded = np.array(crf.decode(scores, mask))
    assert decoded.dtype == np.int32
    for row, length in enumerate(lengths):
        paths, totals = _path_scores(crf, scores[row], length)
        np.testing.assert_array_equal(decoded[row, :length], paths[int(totals.argmax())])
        np.testing.assert_array_equal(decoded[row, length:], 0)


def test_float16_scores_are_scored_in_float32(batch):
    scores, tags, mask, _ = batch
    crf = _crf()
    # Large scores: their sums lose digits in float16 (a mixed-precision output).
    half = (scores * 300.0).astype("float16")
    likelihood = crf.log_likelihood(half, tags, mask)
    assert keras.backend.standardize_dtype(likelihood.dtype) == "float32"
    expected = crf.log_likelihood(half.astype("float32"), tags, mask)
    np.testing.assert_allclose(likelihood, expected, rtol=1e-6)
    np.testing.assert_array_equal(crf.decode(half, mask), crf.decode(half.astype("float32"), mask))


def test_decode_without_a_mask_and_of_one_step():
    crf = _crf()
    scores = np.random.default_rng(3).normal(size=(2, 1, NUM_TAGS)).astype("float32")
    decoded = np.array(crf.decode(scores))
    best = scores[:, 0] + crf.start_transitions.numpy() + crf.end_transitions.numpy()
    np.testing.assert_array_equal(decoded[:, 0], best.argmax(-1))


@pytest.mark.parametrize("steps", [1, 2, 5])
def test_traced_with_unknown_batch_and_length(batch, steps):
    # As in exported graphs and `fit`: shapes unknown when traced, one step included.
    scores, tags, mask, _ = batch
    scores, tags, mask = scores[:, :steps], tags[:, :steps], mask[:, :steps]
    crf = _crf()
    spec = [tf.TensorSpec((None, None, NUM_TAGS)), tf.TensorSpec((None, None), tf.int32),
            tf.TensorSpec((None, None), tf.bool)]

    @tf.function(input_signature=spec)
    def traced(scores, tags, mask):
        return crf.decode(scores, mask), crf.log_likelihood(scores, tags, mask)

    decoded, likelihood = traced(scores, tags.astype("int32"), mask)
    np.testing.assert_array_equal(decoded, crf.decode(scores, mask))
    np.testing.assert_allclose(likelihood, crf.log_likelihood(scores, tags, mask), atol=1e-5)


def test_transitions_change_the_decoded_path():
    crf = _crf()
    scores = np.zeros((1, 4, NUM_TAGS), "float32")
    scores[0, :, 1] = 0.1  # Alone, every step would take tag 1.
    for weight in (crf.start_transitions, crf.end_transitions):
        weight.assign(np.zeros(NUM_TAGS, "float32"))
    transitions = np.zeros((NUM_TAGS, NUM_TAGS), "float32")
    transitions[1, 1] = -5.0  # ... but tag 1 never follows tag 1.
    crf.transitions.assign(transitions)
    decoded = np.array(crf.decode(scores))[0]
    assert all(not (a == 1 and b == 1) for a, b in zip(decoded, decoded[1:]))
    assert list(decoded).count(1) == 2


def test_empty_rows_have_zero_log_likelihood():
    crf = _crf()
    scores = np.ones((2, 3, NUM_TAGS), "float32")
    mask = np.array([[True, True, False], [False, False, False]])
    likelihood = np.array(crf.log_likelihood(scores, np.ones((2, 3), "int32"), mask))
    assert likelihood[1] == 0.0 and likelihood[0] < 0.0


def test_training_raises_the_gold_likelihood(batch):
    scores, tags, mask, _ = batch
    crf = _crf()
    features = keras.ops.convert_to_tensor(np.random.default_rng(4).normal(size=(4, 5, 4)))
    optimizer = keras.optimizers.Adam(0.05)
    import tensorflow as tf

    before = float(np.mean(crf.log_likelihood(crf(features), tags, mask)))
    for _ in range(50):
        with tf.GradientTape() as tape:
            loss = -keras.ops.mean(crf.log_likelihood(crf(features), tags, mask))
        gradients = tape.gradient(loss, crf.trainable_weights)
        optimizer.apply_gradients(zip(gradients, crf.trainable_weights))
    after = float(np.mean(crf.log_likelihood(crf(features), tags, mask)))
    assert after > before + 1.0


def test_config_covers_the_constructor_and_round_trips():
    crf = CRF(7, transitions_initializer="ones", name="crf")
    config = crf.get_config()
    arguments = set(inspect.signature(CRF.__init__).parameters) - {"self", "kwargs"}
    assert arguments <= set(config)
    clone = CRF.from_config(config)
    clone.build((None, None, 2))
    assert clone.num_tags == 7 and clone.name == "crf"
    np.testing.assert_array_equal(clone.transitions.numpy(), np.ones((7, 7)))


def test_invalid_num_tags_is_refused():
    with pytest.raises(ValueError, match="num_tags"):
        CRF(0)
