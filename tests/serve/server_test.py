"""`ModelServer`: TensorFlow Serving's REST API answered as the SavedModels answer in-process."""

import json
import shutil
import socket
import threading
import time

import numpy as np
import pytest
import tensorflow as tf

from rest_client import call
from rest_client import predict
from rnn_keras.serve import ModelRepository
from rnn_keras.serve import ModelServer
from rnn_keras.serve.json_tensors import dtype_name

TEXTS = ["the film was good", "a plot never seen before and never again , sadly", "bad"]
SOURCES = ["a b c", "h g f e d c b a", "z"]


def direct(repository, model, signature, **inputs):
    """The SavedModel's signature called in-process, outputs as JSON-like lists (text decoded)."""
    function = repository.get(model).module.signatures[signature]
    outputs = function(**{key: tf.constant(value) for key, value in inputs.items()})
    return {key: _decoded(value.numpy()) for key, value in outputs.items()}


def _decoded(array):
    if array.dtype == object:
        return np.vectorize(lambda b: b.decode("utf-8"), otypes=[object])(array)
    return array


def assert_same(answer, expected):
    """A JSON answer (`{output: lists}`) equals NumPy outputs: text exactly, floats closely."""
    assert set(answer) == set(expected)
    for key, value in expected.items():
        got = np.array(answer[key], dtype=value.dtype)
        assert got.shape == value.shape, key
        if value.dtype.kind == "f":
            np.testing.assert_allclose(got, value, rtol=1e-5, atol=1e-6, err_msg=key)
        else:
            assert (got == value).all(), key


def columns(rows):
    """Row-format predictions (a list of objects) as columns."""
    return {key: [row[key] for row in rows] for key in rows[0]}


def test_status_lists_every_version(server):
    status, answer = call(server.url, "GET", "/v1/models/seq2seq")
    assert status == 200
    ok = {"error_code": "OK", "error_message": ""}
    assert answer == {
        "model_version_status": [
            {"version": version, "state": "AVAILABLE", "status": ok} for version in ("1", "2")
        ]
    }
    status, answer = call(server.url, "GET", "/v1/models/seq2seq/versions/1")
    assert status == 200 and [v["version"] for v in answer["model_version_status"]] == ["1"]
    status, answer = call(server.url, "GET", "/v1/models/seq2seq/versions/3")
    assert status == 404 and "no version 3" in answer["error"]


@pytest.mark.parametrize("model", ["seq2seq", "classify", "forecast"])
def test_metadata_describes_the_loaded_signatures(server, repository, model):
    status, answer = call(server.url, "GET", f"/v1/models/{model}/metadata")
    assert status == 200
    served = repository.get(model)
    assert answer["model_spec"] == {
        "name": model, "signature_name": "", "version": str(served.version)
    }
    definitions = answer["metadata"]["signature_def"]["signature_def"]
    for name, function in served.module.signatures.items():
        definition = definitions[name]
        assert definition["method_name"] == "tensorflow/serving/predict"
        _, inputs = function.structured_input_signature
        for kind, specs in (("inputs", inputs), ("outputs", function.structured_outputs)):
            assert set(definition[kind]) == set(specs)
            for key, spec in specs.items():
                info = definition[kind][key]
                assert info["dtype"] == dtype_name(spec.dtype)
                assert info["tensor_shape"] == {
                    "dim": [{"size": str(d if d is not None else -1), "name": ""}
                            for d in spec.shape.as_list()],
                    "unknown_rank": False,
                }
                assert info["name"]
    status, answer = call(server.url, "GET", f"/v1/models/{model}/versions/1/metadata")
    assert status == 200 and answer["model_spec"]["version"] == "1"


def test_text_classifier_rows_and_columns(server, repository):
    expected = direct(repository, "classify", "serving_default", text=TEXTS)
    status, rows = predict(server.url, "classify", {"instances": TEXTS})
    assert status == 200
    assert_same(columns(rows["predictions"]), expected)
    status, answer = predict(server.url, "classify", {"inputs": {"text": TEXTS}})
    assert status == 200
    assert_same(answer["outputs"], expected)
    # One input: the rows may be objects keyed by its name, the columns its value alone.
    assert predict(server.url, "classify", {"instances": [{"text": t} for t in TEXTS]}) == (
        200, rows
    )
    assert predict(server.url, "classify", {"inputs": TEXTS}) == (200, answer)


def test_seq2seq_greedy_and_beam_search(server, repository):
    expected = direct(repository, "seq2seq", "serving_default", text=SOURCES)
    status, answer = predict(server.url, "seq2seq", {"instances": SOURCES})
    assert status == 200
    assert_same(columns(answer["predictions"]), expected)
    beam = direct(repository, "seq2seq", "beam_search", text=SOURCES, beam_width=3)
    body = {"signature_name": "beam_search", "inputs": {"text": SOURCES, "beam_width": 3}}
    status, answer = predict(server.url, "seq2seq", body)
    assert status == 200
    assert_same(answer["outputs"], beam)
    # Rows repeat the scalar `beam_width`.
    instances = [{"text": source, "beam_width": 3} for source in SOURCES]
    status, answer = predict(
        server.url, "seq2seq", {"signature_name": "beam_search", "instances": instances}
    )
    assert status == 200
    assert_same(columns(answer["predictions"]), beam)


@pytest.mark.parametrize("model,key", [("forecast", "history"), ("classify_series", "series")])
def test_series_models(server, repository, model, key):
    series = np.random.default_rng(0).normal(100, 10, size=(3, 30)).astype(np.float32)
    if model == "classify_series":
        series[1, -5:] = np.nan  # a shorter series, padded
    expected = direct(repository, model, "serving_default", **{key: series})
    status, answer = predict(server.url, model, {"instances": series.tolist()})
    assert status == 200
    assert_same(columns(answer["predictions"]), expected)
    status, answer = predict(server.url, model, {"inputs": {key: series.tolist()}})
    assert status == 200
    assert_same(answer["outputs"], expected)


def test_tagger_and_generator_run_alone(server, repository):
    """Rows of a tagger come back padded to the batch's longest, a sampler's draws per batch."""
    tag = repository.get("tag").signatures["serving_default"]
    generate = repository.get("generate").signatures["serving_default"]
    assert "unknown size" in tag.unbatchable and "random" in generate.unbatchable
    assert repository.get("classify").signatures["serving_default"].batchable
    expected = direct(repository, "tag", "serving_default", text=["Ana Silva visited Paris"])
    status, answer = predict(server.url, "tag", {"instances": ["Ana Silva visited Paris"]})
    assert status == 200
    assert_same(columns(answer["predictions"]), expected)
    prompt = {"prompt": "abc", "num_steps": 5, "temperature": 1.0, "top_k": 0, "seed": 7}
    expected = direct(repository, "generate", "serving_default", **{**prompt, "prompt": ["abc"]})
    status, answer = predict(server.url, "generate", {"instances": [prompt]})
    assert status == 200 and answer["predictions"] == list(expected["output"])


def test_versions_are_routed(server, repository):
    counts = {v: repository.get("seq2seq", v).signatures["serving_default"] for v in (1, 2)}
    before = {v: signature.calls for v, signature in counts.items()}
    assert predict(server.url, "seq2seq", {"instances": ["a"]}, version=1)[0] == 200
    assert predict(server.url, "seq2seq", {"instances": ["a"]})[0] == 200  # the highest
    assert predict(server.url, "seq2seq", {"instances": ["a"]}, version=2)[0] == 200
    assert {v: counts[v].calls - before[v] for v in counts} == {1: 1, 2: 2}


SEQ2SEQ = "/v1/models/seq2seq:predict"
FORECAST = "/v1/models/forecast:predict"
BEAM = {"signature_name": "beam_search"}
TWO_BEAMS = [{"text": "a", "beam_width": 2}, {"text": "b", "beam_width": 3}]


@pytest.mark.parametrize(
    "path,body,status,message",
    [
        ("/v1/models/nope:predict", {"instances": ["a"]}, 404, "no model named 'nope'"),
        ("/v1/models/seq2seq/versions/9:predict", {"instances": ["a"]}, 404, "no version 9"),
        (SEQ2SEQ, b"{not json", 400, "not valid JSON"),
        (SEQ2SEQ, [1], 400, "must be a JSON object"),
        (SEQ2SEQ, {"signature_name": "x", "inputs": ["a"]}, 400, "'x' not found"),
        (SEQ2SEQ, {"instances": ["a"], "inputs": ["a"]}, 400, "holds both"),
        (SEQ2SEQ, {}, 400, "holds neither"),
        (SEQ2SEQ, {"instance": ["a"]}, 400, "Unknown key(s) 'instance'"),
        (SEQ2SEQ, {"instances": []}, 400, "non-empty list"),
        (SEQ2SEQ, {**BEAM, "inputs": {"text": ["a"]}}, 400, "lacks input(s) 'beam_width'"),
        (
            SEQ2SEQ, {**BEAM, "inputs": {"text": ["a"], "beam": 2, "beam_width": 2}}, 400,
            "unknown input(s) 'beam'",
        ),
        (
            SEQ2SEQ, {**BEAM, "inputs": {"text": ["a"], "beam_width": 1.5}}, 400,
            "`beam_width` takes whole numbers (DT_INT32)",
        ),
        (SEQ2SEQ, {**BEAM, "instances": TWO_BEAMS}, 400, "same in every instance"),
        (SEQ2SEQ, {**BEAM, "instances": ["a"]}, 400, "several inputs"),
        (SEQ2SEQ, {"instances": [1, 2]}, 400, "`text` takes strings"),
        (SEQ2SEQ, {"instances": [["a"], ["b"]]}, 400, "takes shape [-1]"),
        (FORECAST, {"inputs": [[1.0, 2.0], [3.0]]}, 400, "different lengths"),
        (FORECAST, {"inputs": [["a", "b"]]}, 400, "takes numbers (DT_FLOAT), got strings"),
        (FORECAST, {"inputs": [[]]}, 400, "`history` needs at least one value"),
        ("/v1/models/seq2seq:classify", {"instances": ["a"]}, 400, ":predict is"),
        ("/v1/nothing", None, 404, "Malformed request"),
    ],
)
def test_malformed_requests_are_refused_by_name(server, path, body, status, message):
    raw = body if isinstance(body, bytes) else None
    got, answer = call(server.url, "POST" if body is not None else "GET", path, body, raw=raw)
    assert got == status and message in answer["error"], answer
    assert predict(server.url, "classify", {"instances": ["still serving"]})[0] == 200


def test_too_large_bodies_are_refused_unread(server):
    status, answer = call(
        server.url, "POST", "/v1/models/classify:predict", {"instances": ["x" * 5000]}
    )
    assert status == 413 and "over the limit of 4096 bytes" in answer["error"]
    # Refused before the body is sent, when the client waits for "100 Continue".
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /v1/models/classify:predict HTTP/1.1\r\nHost: x\r\n"
            b"Content-Length: 100000000\r\nExpect: 100-continue\r\n\r\n"
        )
        answer = b""
        while chunk := sock.recv(65536):  # the server closes the connection after answering
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413") and b"over the limit" in answer
    assert predict(server.url, "classify", {"instances": ["still serving"]})[0] == 200


def test_internal_errors_are_answered_500(server, monkeypatch):
    def failing(signature, inputs):
        raise RuntimeError("broken signature")

    monkeypatch.setattr(server.batcher, "run", failing)
    status, answer = predict(server.url, "classify", {"instances": ["a"]})
    assert status == 500 and "RuntimeError: broken signature" in answer["error"]
    monkeypatch.undo()
    assert predict(server.url, "classify", {"instances": ["still serving"]})[0] == 200


@pytest.mark.parametrize(
    "model,signature", [("classify", "serving_default"), ("seq2seq", "beam_search")]
)
def test_concurrent_requests_are_batched(server, repository, model, signature):
    # Different inputs of two lengths: each new shape compiles the models' XLA loops.
    words = ["good", "bad", "film", "plot", "a", "b", "c", "d"]
    texts = [" ".join(words[(i + j) % 8] for j in range(3 + i % 2)) for i in range(16)]
    extra = {"beam_width": 2} if signature == "beam_search" else {}
    served = repository.get(model).signatures[signature]
    calls, rows = served.calls, served.rows
    barrier = threading.Barrier(len(texts))
    answers = [None] * len(texts)

    def client(index):
        barrier.wait()
        body = {"signature_name": signature, "instances": [{"text": texts[index], **extra}]}
        answers[index] = predict(server.url, model, body)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert served.rows - rows >= len(texts)  # with the padding to powers of two
    assert served.calls - calls < len(texts)  # some ran together
    for text, (status, answer) in zip(texts, answers):
        assert status == 200
        alone = direct(repository, model, signature, text=[text], **extra)
        assert_same(columns(answer["predictions"]), alone)


def test_stop_finishes_requests_in_flight(repository, monkeypatch):
    server = ModelServer(repository, port=0).start()
    signature = repository.get("classify").signatures["serving_default"]
    original = type(signature).__call__
    started = threading.Event()

    def slow(self, inputs):
        started.set()
        time.sleep(0.5)
        return original(self, inputs)

    monkeypatch.setattr(type(signature), "__call__", slow)
    # An idle keep-alive connection does not hold the stop up.
    idle = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    answer = {}
    thread = threading.Thread(
        target=lambda: answer.update(
            result=predict(server.url, "classify", {"instances": ["in flight"]})
        )
    )
    thread.start()
    assert started.wait(30)
    begin = time.monotonic()
    server.stop()
    assert time.monotonic() - begin < 10
    thread.join()
    assert answer["result"][0] == 200
    assert idle.recv(1) == b""  # closed by the server
    idle.close()
    with pytest.raises(OSError):
        call(server.url, "GET", "/v1/models/classify", timeout=5)


def test_new_versions_are_found_while_serving(trained, tmp_path):
    shutil.copytree(f"{trained['forecast']}/1", tmp_path / "forecast" / "1")
    models = ModelRepository([str(tmp_path / "forecast")])
    with ModelServer(models, port=0, poll_seconds=0.05) as server:
        shutil.copytree(tmp_path / "forecast" / "1", tmp_path / "forecast" / "7.tmp")
        (tmp_path / "forecast" / "7.tmp").rename(tmp_path / "forecast" / "7")
        deadline = time.monotonic() + 60
        while models.versions("forecast") != [1, 7] and time.monotonic() < deadline:
            time.sleep(0.05)
        status, answer = call(server.url, "GET", "/v1/models/forecast/metadata")
        assert status == 200 and answer["model_spec"]["version"] == "7"


def test_model_folders_are_checked(trained, tmp_path):
    with pytest.raises(ValueError, match="no such model folder"):
        ModelRepository([str(tmp_path / "missing")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no SavedModel versions"):
        ModelRepository([str(tmp_path / "empty")])
    with pytest.raises(ValueError, match="serve its parent"):
        ModelRepository([f"{trained['classify']}/1"])
    shutil.copytree(f"{trained['classify']}/1", tmp_path / "other" / "classify" / "1")
    with pytest.raises(ValueError, match="a second model named 'classify'"):
        ModelRepository([trained["classify"], str(tmp_path / "other" / "classify")])
    (tmp_path / "broken" / "1").mkdir(parents=True)
    with pytest.raises(ValueError, match="not a loadable SavedModel"):
        ModelRepository([str(tmp_path / "broken")])


def test_answers_are_json_with_text_and_numbers(server):
    status, answer = predict(server.url, "classify", {"inputs": ["a good film"]})
    assert status == 200
    outputs = answer["outputs"]
    assert isinstance(outputs["label"][0], str) and isinstance(outputs["probability"][0], float)
    # float32 outputs are written with the fewest digits that read back as the same float32.
    for p in outputs["probabilities"][0]:
        assert repr(p) == str(np.float32(p))
    assert json.loads(json.dumps(answer)) == answer
