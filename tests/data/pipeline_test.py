"""`make_dataset`: every example once per epoch, padding, buckets, shuffling."""

import numpy as np
import pytest

from rnn_keras.data.pipeline import bucket_boundaries
from rnn_keras.data.pipeline import make_dataset


def _sequences(count, seed=0):
    rng = np.random.default_rng(seed)
    return [list(rng.integers(1, 50, size=rng.integers(1, 40))) for _ in range(count)]


def _rows(dataset):
    """(input row without padding, target) of every example, in order."""
    rows = []
    for x, y in dataset:
        for row, target in zip(x.numpy(), y.numpy()):
            rows.append((tuple(int(v) for v in row if v != 0), int(target)))
    return rows


def test_every_example_once_and_padded_with_zeros():
    sequences = _sequences(203)
    targets = list(range(203))
    expected = sorted((tuple(s), t) for s, t in zip(sequences, targets))
    for bucket_by in (None, "input"):
        dataset = make_dataset(sequences, targets, batch_size=16, shuffle=True, bucket_by=bucket_by)
        first, second = _rows(dataset), _rows(dataset)
        assert sorted(first) == expected and sorted(second) == expected
        assert first != second  # reshuffled every epoch


def test_unshuffled_keeps_order():
    sequences = _sequences(40)
    rows = _rows(make_dataset(sequences, list(range(40)), batch_size=7))
    assert [t for _, t in rows] == list(range(40))


def test_buckets_cut_padding():
    sequences = _sequences(1000)

    def padded_tokens(dataset):
        return sum(int((x.numpy() == 0).sum()) for x, _ in dataset)

    plain = padded_tokens(make_dataset(sequences, [0] * 1000, batch_size=32, shuffle=True))
    bucketed = padded_tokens(
        make_dataset(sequences, [0] * 1000, batch_size=32, shuffle=True, bucket_by="input")
    )
    assert bucketed < 0.4 * plain


def test_named_inputs_and_sequence_targets():
    sources = _sequences(30)
    dataset = make_dataset(
        {"source": sources, "decoder_input": [[2] + s for s in sources]},
        [s + [3] for s in sources],
        batch_size=8,
        bucket_by="source",
    )
    count = 0
    for inputs, targets in dataset:
        assert set(inputs) == {"source", "decoder_input"}
        assert inputs["decoder_input"].shape == targets.shape
        count += len(targets)
    assert count == 30
    with pytest.raises(ValueError, match="bucket_by"):
        make_dataset({"source": sources}, bucket_by="target")


def test_bucket_boundaries_are_quantiles():
    lengths = list(range(1, 101))
    boundaries = bucket_boundaries(lengths, 4)
    assert boundaries == [26, 51, 76]
    assert bucket_boundaries([5] * 10, 4) == []


def test_float_series_keep_their_values():
    series = [[[0.25], [1.5]], [[-2.75], [3.0]], [[0.5], [0.125], [9.0]]]
    ((x, _),) = list(make_dataset(series, [0, 1, 0], batch_size=3))
    assert x.dtype == "float32"
    np.testing.assert_array_equal(
        x.numpy()[:, :, 0], [[0.25, 1.5, 0], [-2.75, 3.0, 0], [0.5, 0.125, 9.0]]
    )


def test_per_epoch_draws_afresh_each_pass():
    inputs = np.arange(1000, dtype="float32")[:, None] * [1.0, -1.0]
    targets = np.arange(1000)
    weights = np.arange(1000, dtype="float32") / 10
    dataset = make_dataset(
        inputs, targets, batch_size=64, shuffle=True, seed=3, sample_weights=weights, per_epoch=200
    )
    assert int(dataset.cardinality()) == 4  # 200 windows in batches of 64

    def drawn(dataset):
        rows = []
        for x, y, w in dataset:
            # Each drawn row keeps its own input, target and weight together.
            np.testing.assert_array_equal(x.numpy()[:, 0], y.numpy())
            np.testing.assert_array_equal(x.numpy()[:, 1], -y.numpy())
            np.testing.assert_allclose(w.numpy(), y.numpy() / 10)
            rows.append(y.numpy())
        return np.concatenate(rows)

    passes = [drawn(dataset) for _ in range(3)]
    for rows in passes:
        assert len(rows) == 200 and len(set(rows.tolist())) == 200  # none twice in a pass
    assert set(passes[0].tolist()) != set(passes[1].tolist())  # a fresh draw each pass
    # Examples from across the whole set, not a fixed front part.
    assert passes[0].max() > 800 and passes[0].min() < 200
    again = make_dataset(
        inputs, targets, batch_size=64, shuffle=True, seed=3, sample_weights=weights, per_epoch=200
    )
    np.testing.assert_array_equal(drawn(again), passes[0])  # the seed fixes the draws
    # A resumed run makes (and drops) an iterator per finished epoch
    # (`runner.resume.skip_shuffles`): its next epoch draws what the
    # uninterrupted run's did.
    resumed = make_dataset(
        inputs, targets, batch_size=64, shuffle=True, seed=3, sample_weights=weights, per_epoch=200
    )
    for _ in range(2):
        iter(resumed)
    np.testing.assert_array_equal(drawn(resumed), passes[2])


def test_per_epoch_of_every_example_or_more_is_every_example():
    dataset = make_dataset(np.arange(50), np.arange(50), batch_size=8, shuffle=True, per_epoch=80)
    assert sorted(np.concatenate([y.numpy() for _, y in dataset]).tolist()) == list(range(50))


def test_per_epoch_needs_shuffling():
    with pytest.raises(ValueError, match="per_epoch"):
        make_dataset(np.arange(50), np.arange(50), batch_size=8, per_epoch=10)
    with pytest.raises(ValueError, match="per_epoch"):
        make_dataset(np.arange(50), np.arange(50), batch_size=8, shuffle=True, per_epoch=0)
