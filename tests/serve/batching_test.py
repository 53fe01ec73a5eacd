"""`RequestBatcher`: concurrent requests run as one call on their rows, each answered its own."""

import threading
import time

import numpy as np
import pytest

from rnn_keras.serve import RequestBatcher


class FakeSignature:
    """Doubles `x` (plus the scalar `shift`), slowly; records each call's rows; refuses `x < 0`."""

    def __init__(self, batchable=True, seconds=0.05):
        self.batched_inputs = ("x",)
        self.batchable = batchable
        self.seconds = seconds
        self.calls = []
        self._lock = threading.Lock()

    def __call__(self, inputs):
        with self._lock:
            self.calls.append({key: np.copy(value) for key, value in inputs.items()})
        time.sleep(self.seconds)
        if (inputs["x"] < 0).any():
            raise ValueError("negative input")
        return {"y": 2 * inputs["x"] + inputs.get("shift", 0), "n": np.arange(len(inputs["x"]))}


def run_together(batcher, signature, requests):
    """Runs `requests` (inputs) at once from threads; returns each one's outputs or error."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def client(index):
        barrier.wait()
        try:
            results[index] = batcher.run(signature, requests[index])
        except ValueError as error:
            results[index] = error

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def batcher():
    running = RequestBatcher(max_batch_size=8, batch_timeout=0.05, num_threads=2)
    yield running
    running.close()


def test_concurrent_requests_share_calls(batcher):
    signature = FakeSignature()
    requests = [{"x": np.array([i, 100 + i], np.float32)} for i in range(16)]
    results = run_together(batcher, signature, requests)
    assert len(signature.calls) < 16
    # At most max_batch_size rows, padded to a power of two.
    assert all(len(call["x"]) in (2, 4, 8) for call in signature.calls)
    for request, result in zip(requests, results):
        np.testing.assert_array_equal(result["y"], 2 * request["x"])
        assert len(result["n"]) == 2


def test_only_equal_scalars_and_shapes_run_together(batcher):
    signature = FakeSignature()
    requests = [
        {"x": np.full((1, 1 + i % 2), i, np.float32), "shift": np.array(i % 3)} for i in range(12)
    ]
    results = run_together(batcher, signature, requests)
    for call in signature.calls:
        assert call["shift"].ndim == 0  # one value for the whole call
    for request, result in zip(requests, results):
        np.testing.assert_array_equal(result["y"], 2 * request["x"] + request["shift"])


def test_a_failing_request_fails_alone(batcher):
    signature = FakeSignature()
    requests = [{"x": np.array([i], np.float32)} for i in range(-1, 7)]
    results = run_together(batcher, signature, requests)
    assert isinstance(results[0], ValueError) and "negative" in str(results[0])
    for request, result in zip(requests[1:], results[1:]):
        np.testing.assert_array_equal(result["y"], 2 * request["x"])


def test_unbatchable_and_oversized_requests_run_at_once(batcher):
    signature = FakeSignature(batchable=False)
    results = run_together(batcher, signature, [{"x": np.array([i], np.float32)} for i in range(4)])
    assert len(signature.calls) == 4 and [r["y"][0] for r in results] == [0, 2, 4, 6]
    signature = FakeSignature()
    result = batcher.run(signature, {"x": np.arange(9, dtype=np.float32)})  # over 8 rows
    assert len(signature.calls) == 1 and len(result["y"]) == 9


@pytest.mark.parametrize("pad_batches,called", [(True, 4), (False, 3)])
def test_rows_are_padded_to_a_power_of_two(pad_batches, called):
    batcher = RequestBatcher(max_batch_size=8, pad_batches=pad_batches)
    try:
        signature = FakeSignature(seconds=0.0)
        result = batcher.run(signature, {"x": np.array([1, 2, 3], np.float32)})
        (call,) = signature.calls
        assert call["x"].tolist() == [1, 2, 3, 3][:called]  # the last row repeated
        assert result["y"].tolist() == [2, 4, 6]
    finally:
        batcher.close()


def test_a_lone_request_does_not_wait():
    batcher = RequestBatcher(max_batch_size=64, batch_timeout=5.0, num_threads=1)
    try:
        signature = FakeSignature(seconds=0.0)
        begin = time.monotonic()
        for i in range(5):
            assert batcher.run(signature, {"x": np.array([i], np.float32)})["y"][0] == 2 * i
        assert time.monotonic() - begin < 2.0  # never the 5 s timeout
    finally:
        batcher.close()


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="max_batch_size"):
        RequestBatcher(max_batch_size=0)
    with pytest.raises(ValueError, match="batch_timeout"):
        RequestBatcher(batch_timeout=-1)
    with pytest.raises(ValueError, match="num_threads"):
        RequestBatcher(num_threads=0)
