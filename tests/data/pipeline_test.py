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
