"""TensorFlow Serving's REST API over the standard library's `ThreadingHTTPServer`.

| request (`/v1/models/NAME[/versions/V]...`) | answer |
|---|---|
| `GET /v1/models/NAME` | `{"model_version_status": [{"version", "state", "status"}]}` |
| `GET /v1/models/NAME/metadata` | `{"model_spec", "metadata": {"signature_def": ...}}` |
| `POST /v1/models/NAME:predict` | `{"predictions": ...}` or `{"outputs": ...}` |

Without `/versions/V`, status covers every version, metadata and predict
the highest. Errors are answered `{"error": message}`: 400 for a malformed
request, 404 for an unknown model, version or path, 411/413 for a missing
or too large body (refused before reading it), 500 for anything else; the
server goes on serving. Each connection is served by a thread (keep-alive
connections are kept); predict requests go through a `RequestBatcher`.
"""

import http.server
import json
import logging
import re
import signal
import socket
import threading
import time
import urllib.parse

import tensorflow as tf

from rnn_keras.serve import json_tensors
from rnn_keras.serve.batching import RequestBatcher
from rnn_keras.serve.models import ModelRepository
from rnn_keras.serve.request_error import RequestError
from rnn_keras.version import __version__

logger = logging.getLogger(__name__)

DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024
_MODEL = r"/v1/models/(?P<name>[^/:]+)(?:/versions/(?P<version>\d+))?"
_GET = re.compile(_MODEL + r"(?P<metadata>/metadata)?/?")
_POST = re.compile(_MODEL + r":(?P<method>[A-Za-z]+)")


class ModelServer(http.server.ThreadingHTTPServer):
    """Serves the versions of a `ModelRepository` with TensorFlow Serving's REST API.

    `start()` serves in a background thread; `stop()` stops accepting,
    closes idle keep-alive connections, lets the requests in flight finish
    and answer, then stops the batcher. Also a context manager
    (`with ModelServer(...) as server:` starts and stops it).

    Args:
        models: a `ModelRepository`.
        host: `str.` The address to listen on. Defaults to `"127.0.0.1"`.
        port: `int.` The port (0: a free one, see `port`). Defaults to 8501,
            TensorFlow Serving's REST port.
        max_request_bytes: `int.` Larger request bodies are answered 413
            without being read. Defaults to 10 MiB.
        max_batch_size: `int.` Most rows of concurrent requests run in one
            signature call. Defaults to 64.
        batch_timeout_ms: `float.` Milliseconds a queued request waits at
            most for others to join it. Defaults to 2.
        batch_threads: `int.` Batched signature calls running at once.
            Defaults to 2.
        pad_batches: `bool.` Pad each batched call's rows to a power of two
            (`RequestBatcher`). Defaults to `True`.
        poll_seconds: `float.` Look for new version folders this often
            (0: only at start). Defaults to 0.

    Example:

    ```python
    with ModelServer(ModelRepository(["saved_models/dates"]), port=0) as server:
        print(server.url)  # http://127.0.0.1:PORT
    ```
    """

    daemon_threads = True
    # Connections waiting to be accepted: socketserver's 5 resets bursts of clients.
    request_queue_size = 128
    block_on_close = False  # `stop` waits for the requests in flight, with a time limit

    def __init__(
        self,
        models,
        host="127.0.0.1",
        port=8501,
        max_request_bytes=DEFAULT_MAX_REQUEST_BYTES,
        max_batch_size=64,
        batch_timeout_ms=2.0,
        batch_threads=2,
        pad_batches=True,
        poll_seconds=0.0,
    ):
        if max_request_bytes < 1:
            raise ValueError(
                f"Invalid value for argument `max_request_bytes`: expected an integer >= 1, "
                f"received {max_request_bytes}"
            )
        self.models = models
        self.max_request_bytes = max_request_bytes
        self.poll_seconds = poll_seconds
        self.batcher = RequestBatcher(
            max_batch_size, batch_timeout_ms / 1000.0, batch_threads, pad_batches
        )
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._connections = {}  # handler -> busy (a request is being answered)
        self._condition = threading.Condition()
        self._stopping = False
        self._stopped = threading.Event()
        self._workers = []
        try:
            super().__init__((host, port), _Handler)
        except BaseException:
            self.batcher.close()
            raise

    @property
    def port(self):
        return self.server_address[1]

    @property
    def url(self):
        host = self.server_address[0]
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    def start(self):
        """Serves in a background thread (and polls for new versions if asked); returns `self`."""
        self._workers.append(
            threading.Thread(
                target=self.serve_forever, kwargs={"poll_interval": 0.1},
                name="rnn-keras-serve", daemon=True,
            )
        )
        if self.poll_seconds > 0:
            self._workers.append(
                threading.Thread(target=self._poll, name="rnn-keras-serve-poll", daemon=True)
            )
        for thread in self._workers:
            thread.start()
        return self

    def stop(self, timeout=30.0):
        """Stops accepting, waits up to `timeout` seconds for the requests in flight, stops."""
        with self._condition:
            if self._stopping:
                return
            self._stopping = True
        self._stopped.set()
        if self._workers:
            self.shutdown()
        for thread in self._workers:
            thread.join()
        self.server_close()
        deadline = time.monotonic() + timeout
        with self._condition:
            for handler, busy in self._connections.items():
                if not busy:  # waiting for a next request on a keep-alive connection
                    _shutdown_reading(handler.connection)
            while self._connections and time.monotonic() < deadline:
                self._condition.wait(deadline - time.monotonic())
            if self._connections:
                logger.warning(
                    "stopped with %d connection(s) still answering", len(self._connections)
                )
        self.batcher.close()
        self._log_counts()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def track(self, handler, busy):
        """Notes whether `handler`'s connection is answering a request (`None`: it closed).

        Returns:
            `bool`: the server is stopping (the connection should close).
        """
        with self._condition:
            if busy is None:
                self._connections.pop(handler, None)
                self._condition.notify_all()
            else:
                self._connections[handler] = busy
            return self._stopping

    def handle_error(self, request, client_address):
        """A connection's unexpected error (a client gone mid-answer) is logged; serving goes on."""
        del request
        logger.debug("connection from %s failed", client_address, exc_info=True)

    def _log_counts(self):
        """Requests and signature calls per signature: how much the batching joined."""
        for name in self.models.names():
            for number in self.models.versions(name):
                for signature in self.models.get(name, number).signatures.values():
                    if signature.calls:
                        logger.info(
                            "%s version %d %s: %d requests in %d calls (%d rows, padding "
                            "included)", name, number, signature.name,
                            self.batcher.requests[signature], signature.calls, signature.rows,
                        )

    def _poll(self):
        while not self._stopped.wait(self.poll_seconds):
            try:
                self.models.refresh()
            except Exception:  # noqa: BLE001 - a failed look is tried again
                logger.exception("looking for new model versions failed")


class _Handler(http.server.BaseHTTPRequestHandler):
    """One connection: TensorFlow Serving's REST requests, answered in JSON."""

    protocol_version = "HTTP/1.1"  # keep-alive
    # An answer's head and body are two writes: without TCP_NODELAY the body waits for
    # the client's delayed acknowledgement of the head (40 ms on Linux).
    disable_nagle_algorithm = True
    server_version = f"rnn-keras/{__version__}"
    timeout = 60  # seconds an idle keep-alive connection (or a stalled body) is kept
    unread_body = False  # the request's body was left unread: close after answering

    def setup(self):
        super().setup()
        self.server.track(self, busy=False)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.track(self, busy=None)

    def parse_request(self):
        self.server.track(self, busy=True)
        return super().parse_request()

    def handle_expect_100(self):
        """Refuses a body over the limit before the client sends it."""
        length = self.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.server.max_request_bytes:
            self._send_json(413, {"error": _too_large(int(length), self.server)}, close=True)
            return False
        return super().handle_expect_100()

    def do_GET(self):
        self._answer(self._get)

    def do_POST(self):
        self._answer(self._post)

    def send_error(self, code, message=None, explain=None):
        """Protocol errors (malformed request line, unsupported method) in JSON, too."""
        del explain
        text = message or self.responses.get(code, ("Error",))[0]
        self._send_json(code, {"error": text}, close=True)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        logger.debug("%s %s", self.address_string(), format % args)

    def _answer(self, route):
        try:
            status, payload = route()
        except RequestError as error:
            status, payload = error.status, {"error": error.message}
        except Exception as error:  # noqa: BLE001 - answered 500, the server goes on
            logger.exception("%s %s failed", self.command, self.path)
            status, payload = 500, {"error": f"Internal error: {type(error).__name__}: {error}"}
        self._send_json(status, payload, close=self.unread_body)
        if self.unread_body:
            _discard_unread(self.connection)
        if self.server.track(self, busy=False):
            self.close_connection = True

    def _get(self):
        match = _GET.fullmatch(_path(self.path))
        if match is None:
            raise RequestError(404, _unknown_path(self.command, self.path, self.server))
        name, version = _model(match)
        if match["metadata"]:
            return 200, self.server.models.metadata(name, version)
        return 200, self.server.models.status(name, version)

    def _post(self):
        body = self._read_body()  # first, so that a keep-alive connection stays in step
        match = _POST.fullmatch(_path(self.path))
        if match is None:
            raise RequestError(404, _unknown_path(self.command, self.path, self.server))
        if match["method"] != "predict":
            raise RequestError(
                400, f"Method :{match['method']} is not served; :predict is (TensorFlow "
                "Serving's :classify and :regress take tf.Example signatures)"
            )
        name, version = _model(match)
        served = self.server.models.get(name, version)
        try:
            request = json.loads(body)
        except (ValueError, RecursionError) as error:
            raise RequestError(400, f"The request body is not valid JSON: {error}") from None
        signature_name = json_tensors.signature_name(request)
        signature = served.signatures.get(signature_name)
        if signature is None:
            raise RequestError(
                400, f"Serving signature name: {signature_name!r} not found in model {name!r} "
                f"version {served.version} (signatures: {', '.join(sorted(served.signatures))})"
            )
        inputs, rows = json_tensors.request_inputs(signature, request)
        try:
            outputs = self.server.batcher.run(signature, inputs)
        except tf.errors.InvalidArgumentError as error:
            raise RequestError(400, _graph_error(error)) from None
        return 200, json_tensors.predict_response(outputs, rows)

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.unread_body = True
            raise RequestError(411, "Chunked request bodies are not served: send Content-Length")
        length = self.headers.get("Content-Length")
        if length is None:
            raise RequestError(411, "A predict request needs a Content-Length header")
        if not length.strip().isdigit():
            self.unread_body = True
            raise RequestError(400, f"Invalid Content-Length header: {length!r}")
        length = int(length)
        if length > self.server.max_request_bytes:
            self.unread_body = True
            raise RequestError(413, _too_large(length, self.server))
        body = self.rfile.read(length)
        if len(body) < length:
            self.unread_body = True
            raise RequestError(400, f"The body ended after {len(body)} of {length} bytes")
        return body

    def _send_json(self, status, payload, close=False):
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve(model_dirs, **options):
    """Serves `model_dirs` until SIGTERM or Ctrl-C (SIGINT), then stops gracefully.

    Loads every version of every model folder, listens on `host:port`,
    prints the models' addresses, and on SIGTERM or SIGINT stops accepting,
    finishes the requests in flight and returns. Call it from the main
    thread (signal handlers are installed there); in other threads use
    `ModelServer`.

    Args:
        model_dirs: model folders, each holding SavedModel versions `N/`.
        **options: `ModelServer`'s keyword arguments (`host`, `port`,
            `max_request_bytes`, `max_batch_size`, ...), with its defaults.

    Returns:
        0.
    """
    models = ModelRepository(model_dirs)
    server = ModelServer(models, **options)
    received = []
    handlers = {
        number: signal.signal(number, lambda number, frame: received.append(number))
        for number in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        server.start()
        for name in models.names():
            versions = ", ".join(map(str, models.versions(name)))
            print(f"Serving {name} (versions {versions}) at {server.url}/v1/models/{name}")
        print("Press Ctrl-C (or send SIGTERM) to stop.", flush=True)
        while not received:
            time.sleep(0.1)  # a signal handler runs between sleeps
        logger.info("%s: stopping", signal.Signals(received[0]).name)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        server.stop()
    return 0


def _path(path):
    return urllib.parse.urlsplit(path).path


def _model(match):
    version = match["version"]
    return urllib.parse.unquote(match["name"]), int(version) if version is not None else None


def _unknown_path(method, path, server):
    return (
        f"Malformed request: {method} {path}; served: GET /v1/models/NAME[/versions/N]"
        "[/metadata] and POST /v1/models/NAME[/versions/N]:predict, for NAME in "
        f"{', '.join(server.models.names())}"
    )


def _too_large(length, server):
    return (
        f"The request body of {length} bytes is over the limit of "
        f"{server.max_request_bytes} bytes (--max-request-bytes)"
    )


def _graph_error(error):
    """The lines of a TensorFlow error that say what is wrong, without the graph's trace."""
    lines = [line.strip() for line in str(error.message).splitlines()]
    kept = [
        line
        for line in lines
        if line
        and not line.startswith(("File ", "Detected at node", "Graph execution error", "[[", "<"))
        and "most recent call last" not in line
    ]
    return kept[-1] if kept else "the signature refused the inputs"


def _shutdown_reading(connection):
    try:
        connection.shutdown(socket.SHUT_RD)
    except OSError:
        pass


def _discard_unread(connection, seconds=1.0):
    """Ends a connection whose request body was not read, so that the client still reads the answer.

    Closing a socket with unread data resets the connection, and the client
    may lose the answer: the writing side is shut first, then what the
    client still sends is dropped unread for at most `seconds`.
    """
    try:
        connection.shutdown(socket.SHUT_WR)
        connection.settimeout(seconds)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and connection.recv(65536):
            pass
    except OSError:
        pass
