"""Concurrent predict requests run together: one signature call on their rows, split back."""

import collections
import threading
import time

import numpy as np

_Request = collections.namedtuple("_Request", "inputs rows deadline done result")


class RequestBatcher:
    """Queues concurrent calls of a signature and runs them as one call on their rows.

    Requests for the same signature (of the same model version) whose
    inputs concatenate along the batch dimension queue together: the same
    shapes after the first dimension and the same values of scalar inputs
    (`beam_width`). Worker threads take a queue's requests, oldest first,
    up to `max_batch_size` rows, once the queue holds that many rows, or its
    oldest request has waited `batch_timeout` seconds, or nothing else is
    queued or running (a lone request does not wait: it runs at once, in
    the caller's thread). They call the
    signature once on the concatenated rows and hand each request its own
    rows of the outputs. While the workers are busy the queues fill, so the
    batches grow with the load. When a batched call fails, its requests are
    run one by one, so that each gets its own answer or error.

    With `pad_batches`, a call's rows are padded (the last row repeated, its
    outputs dropped) to a power of two, or to `max_batch_size`: a model that
    compiles each new input shape (the XLA-compiled recurrent loops compile
    each `(batch, time)` shape once, about half a second) then compiles
    7 batch sizes (1, 2, 4, ..., 64) instead of up to 64.

    Requests that cannot be batched run at once in the caller's thread:
    those of a signature whose rows depend on the batch
    (`ServedSignature.batchable`), and those of more rows than
    `max_batch_size`.

    `requests` counts the requests run per signature (`calls` of a
    `ServedSignature` counts its calls).

    Args:
        max_batch_size: `int.` Most rows in one call. Defaults to 64.
        batch_timeout: `float.` Seconds a queued request waits at most for
            others to join it. Defaults to 0.002.
        num_threads: `int.` Worker threads (calls running at once).
            Defaults to 2.
        pad_batches: `bool.` Pad each call's rows to a power of two.
            Defaults to `True`.

    Example:

    ```python
    batcher = RequestBatcher(max_batch_size=64, batch_timeout=0.002)
    outputs = batcher.run(signature, {"text": np.array([b"3/4/01"], dtype=object)})
    batcher.close()
    ```
    """

    def __init__(self, max_batch_size=64, batch_timeout=0.002, num_threads=2, pad_batches=True):
        if max_batch_size < 1:
            raise ValueError(
                f"Invalid value for argument `max_batch_size`: expected an integer >= 1, "
                f"received {max_batch_size}"
            )
        if batch_timeout < 0:
            raise ValueError(
                f"Invalid value for argument `batch_timeout`: expected seconds >= 0, "
                f"received {batch_timeout}"
            )
        if num_threads < 1:
            raise ValueError(
                f"Invalid value for argument `num_threads`: expected an integer >= 1, "
                f"received {num_threads}"
            )
        self.max_batch_size = max_batch_size
        self.batch_timeout = batch_timeout
        self.num_threads = num_threads
        self.pad_batches = pad_batches
        self.requests = collections.Counter()  # signature -> requests run
        self._condition = threading.Condition()
        self._queues = {}  # batch key -> deque of _Request, oldest first
        self._queued = 0
        self._running = 0
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"rnn-keras-batcher-{i}", daemon=True)
            for i in range(num_threads)
        ]
        for thread in self._threads:
            thread.start()

    def run(self, signature, inputs):
        """Calls `signature` on `inputs`, together with concurrent requests when it can.

        Args:
            signature: a `ServedSignature`.
            inputs: `dict` from input name to a NumPy array.

        Returns:
            `dict` from output name to a NumPy array: this request's rows.
        """
        with self._condition:
            self.requests[signature] += 1
        rows = {len(inputs[key]) for key in signature.batched_inputs}
        if not signature.batchable or len(rows) != 1 or not 0 < min(rows) <= self.max_batch_size:
            return signature(inputs)
        request = _Request(
            inputs, rows.pop(), time.monotonic() + self.batch_timeout, threading.Event(), {}
        )
        key = _batch_key(signature, inputs)
        with self._condition:
            if self._closed:
                return signature(inputs)
            alone = self._running == 0 and self._queued == 0
            if alone:  # nothing to wait for: run in this thread, without a hand-over
                self._running += 1
            else:
                self._queues.setdefault(key, collections.deque()).append(request)
                self._queued += 1
                self._condition.notify_all()
        if alone:
            try:
                self._run_batch(signature, [request])
            finally:
                with self._condition:
                    self._running -= 1
                    self._condition.notify_all()
        request.done.wait()
        if "error" in request.result:
            raise request.result["error"]
        return request.result["outputs"]

    def close(self):
        """Runs what is queued, then stops the workers."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()
        for thread in self._threads:
            thread.join()

    def _work(self):
        while True:
            with self._condition:
                while True:
                    if self._closed and not self._queued:
                        return
                    key, wait = self._ready(time.monotonic())
                    if key is not None:
                        break
                    self._condition.wait(wait)
                batch = self._take(key)
                self._running += 1
            try:
                self._run_batch(key[0], batch)
            finally:
                with self._condition:
                    self._running -= 1
                    self._condition.notify_all()

    def _ready(self, now):
        """The key of the queue to run now (the oldest ready), or `None` and how long to wait."""
        ready, deadline = None, None
        for key, queue in self._queues.items():
            first = queue[0].deadline
            alone = self._running == 0 and len(queue) == self._queued
            full = sum(request.rows for request in queue) >= self.max_batch_size
            if first <= now or full or alone or self._closed:
                if ready is None or first < self._queues[ready][0].deadline:
                    ready = key
            elif deadline is None or first < deadline:
                deadline = first
        if ready is not None:
            return ready, None
        return None, None if deadline is None else deadline - now

    def _take(self, key):
        queue = self._queues[key]
        batch, rows = [], 0
        while queue and rows + queue[0].rows <= self.max_batch_size:
            request = queue.popleft()
            batch.append(request)
            rows += request.rows
        if not queue:
            del self._queues[key]
        self._queued -= len(batch)
        return batch

    def _run_batch(self, signature, batch):
        total = sum(request.rows for request in batch)
        size = self._padded_size(total)
        inputs = {}
        for key, value in batch[0].inputs.items():
            if key not in signature.batched_inputs:
                inputs[key] = value
                continue
            parts = [request.inputs[key] for request in batch]
            if size > total:
                parts.append(np.repeat(parts[-1][-1:], size - total, axis=0))
            inputs[key] = np.concatenate(parts) if len(parts) > 1 else parts[0]
        try:
            outputs = signature(inputs)
        except Exception as error:  # noqa: BLE001 - handed to the requests
            if len(batch) == 1 and size == total:
                batch[0].result["error"] = error
                batch[0].done.set()
                return
            outputs = None
        if outputs is None or any(len(value) != size for value in outputs.values()):
            for request in batch:  # each gets its own answer, or its own error
                _run_alone(signature, request)
            return
        start = 0
        for request in batch:
            stop = start + request.rows
            request.result["outputs"] = {key: value[start:stop] for key, value in outputs.items()}
            request.done.set()
            start = stop

    def _padded_size(self, rows):
        if not self.pad_batches:
            return rows
        return min(1 << (rows - 1).bit_length(), self.max_batch_size)


def _run_alone(signature, request):
    try:
        request.result["outputs"] = signature(request.inputs)
    except Exception as error:  # noqa: BLE001 - raised in the request's thread
        request.result["error"] = error
    finally:
        request.done.set()


def _batch_key(signature, inputs):
    """Requests of equal keys concatenate: same signature, shapes after the batch, scalars."""
    return (
        signature,
        tuple(
            (key, value.shape[1:], value.dtype.str)
            if key in signature.batched_inputs
            else (key, value.item())
            for key, value in sorted(inputs.items())
        ),
    )
