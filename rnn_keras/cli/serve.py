"""`rnn-keras serve`: serve SavedModels over HTTP with TensorFlow Serving's REST API.

Each MODEL_DIR is a model folder holding numbered SavedModel versions
(`MODEL/1/`, `MODEL/2/`, ... as `rnn-keras train` and `rnn-keras export`
write them: TensorFlow Serving's layout); the model's name is the folder's
base name, and every version is loaded. The same requests as TensorFlow
Serving's REST API are answered, with the same paths and JSON:

  GET  /v1/models/NAME[/versions/V]            status of every version (or V)
  GET  /v1/models/NAME[/versions/V]/metadata   signatures: inputs, outputs, dtypes, shapes
  POST /v1/models/NAME[/versions/V]:predict    {"instances": [...]} (rows) or
                                               {"inputs": ...} (columns), and an
                                               optional "signature_name"

Without /versions/V the highest version answers. Concurrent predict
requests for one signature run as one call on their rows (up to
--max-batch-size rows, waiting at most --batch-timeout-ms for others,
padded to a power of two); a lone request runs at once. Malformed requests are answered 4xx with
{"error": ...}. SIGTERM or Ctrl-C stops accepting, finishes the requests in
flight and exits 0.

Examples:

    rnn-keras serve saved_models/dates --port 8501
    curl localhost:8501/v1/models/dates/metadata
    curl -d '{"instances": ["March 3, 2001"]}' localhost:8501/v1/models/dates:predict
    curl -d '{"signature_name": "beam_search", "inputs": {"text": ["3/4/01"], "beam_width": 4}}' \\
        localhost:8501/v1/models/dates:predict
"""

import argparse

from rnn_keras.config import ConfigError


def register_subparser(subparsers):
    parser = subparsers.add_parser(
        "serve",
        help="Serve SavedModel versions over HTTP (TensorFlow Serving's REST API).",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "models", nargs="+", metavar="MODEL_DIR",
        help="Model folders holding numbered SavedModel versions (MODEL/1, MODEL/2, ...).",
    )
    parser.add_argument(
        "--port", type=int, default=8501,
        help="Port to listen on (0: any free port). Default: 8501, TensorFlow Serving's.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1",
        help="Address to listen on (0.0.0.0: every interface). Default: 127.0.0.1.",
    )
    parser.add_argument(
        "--max-request-bytes", type=int, default=10 * 1024 * 1024,
        help="Larger request bodies are answered 413 unread. Default: 10485760 (10 MiB).",
    )
    parser.add_argument(
        "--max-batch-size", type=int, default=64,
        help="Most rows of concurrent requests run in one signature call. Default: 64.",
    )
    parser.add_argument(
        "--batch-timeout-ms", type=float, default=2.0,
        help="Milliseconds a queued request waits at most for others to join it. Default: 2.",
    )
    parser.add_argument(
        "--batch-threads", type=int, default=2,
        help="Batched signature calls running at once. Default: 2.",
    )
    parser.add_argument(
        "--no-batch-padding", dest="pad_batches", action="store_false",
        help="Run batches of any number of rows. By default a batch's rows are padded to a "
        "power of two (the last row repeated), so that models compiled per input shape "
        "(XLA-compiled recurrent loops) compile a few batch sizes, not each one.",
    )
    parser.add_argument(
        "--poll-seconds", type=float, default=0.0,
        help="Look for new version folders this often (0: only at start). Default: 0.",
    )
    parser.set_defaults(run=run)
    return parser


def run(args):
    from rnn_keras.serve import serve

    if not 0 <= args.port <= 65535:
        raise ConfigError("port", f"expected a port from 0 to 65535, got {args.port}")
    for key in ("max_request_bytes", "max_batch_size", "batch_threads"):
        if getattr(args, key) < 1:
            raise ConfigError(key, f"expected an integer >= 1, got {getattr(args, key)}")
    for key in ("batch_timeout_ms", "poll_seconds"):
        if getattr(args, key) < 0:
            raise ConfigError(key, f"expected a number >= 0, got {getattr(args, key)}")
    return serve(
        args.models,
        host=args.host,
        port=args.port,
        max_request_bytes=args.max_request_bytes,
        max_batch_size=args.max_batch_size,
        batch_timeout_ms=args.batch_timeout_ms,
        batch_threads=args.batch_threads,
        pad_batches=args.pad_batches,
        poll_seconds=args.poll_seconds,
    )
