"""Every command and code block of the README runs in a test, or is mirrored by one named here.

A README block that no test covers fails `test_every_block_is_covered`: a
new example cannot advertise an answer nothing checks.
"""

import json
import os
import re
import shlex

import pytest

from rnn_keras.cli import build_parser
from rnn_keras.cli import options
from rnn_keras.runner import configure

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")

# First line of each README code block → the test that runs or mirrors it.
COVERED = {
    "# 1. Install and run the main job": "tests/cli_test.py::"
    "test_demo_is_the_main_job_on_small_data (and the README's test command is .ci/run's)",
    "rnn-keras train --task seq2seq --data gen:dates": "test_every_command_line_parses",
    "# on host1 (index 0 is the chief)": "tests/distribute/multi_worker_test.py",
    "rnn-keras tune --task classify --data train.tsv": "test_every_command_line_parses",
    "rnn-keras tune --config run.yaml --chief": "tests/hyperparameter_tuning/job_test.py::"
    "test_chief_and_two_workers_share_the_search",
    "saved_model_cli show --dir saved_models/dates/1": "tests/export/fresh_process_test.py::"
    "test_saved_model_cli_lists_named_signatures (large); Docker cannot run here",
    "rnn-keras serve saved_models/dates --port 8501": "test_serving_example_answers (large: "
    "the main job served over HTTP) and tests/serve/ (the same requests on the tiny models, "
    "and the command stopped by SIGTERM); Docker cannot run here",
    "import tensorflow as tf     # no rnn_keras needed to serve": "test_serving_example_answers "
    "(large: the main job) and tests/cli_test.py::test_demo_is_the_main_job_on_small_data",
    "'March 3, 2001' -> 2001-03-03": "test_serving_example_answers (large: the main job)",
    "h_t = f(x_t W_xh + h_{t-1} W_hh + b_h)": "equations: tests/layers/vanilla_rnn_numpy_test.py",
    "dL/dh_t  = dL/dy_t-part + δ_{t+1} W_hhᵀ": "equations: tests/layers/vanilla_rnn_numpy_test.py",
    "import keras": "test_api_tour_runs",
    "# rnn_keras's LSTM beside Keras's, with the same weights: the same numbers.":
    "test_fast_path_example_runs",
    "from rnn_keras.decoding import Sampler, Seq2SeqInference": "tests/models/seq2seq_test.py",
}


def blocks():
    """`[(line, language, code)]` of the README's fenced blocks."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    return [
        (text[: m.start()].count("\n") + 1, m.group(1), m.group(2))
        for m in re.finditer(r"```(\w*)\n(.*?)```", text, re.S)
    ]


def test_every_block_is_covered():
    for line, _, code in blocks():
        first = code.strip().splitlines()[0].strip()
        assert any(first.startswith(key) for key in COVERED), (
            f"README.md:{line}: no test runs or mirrors this block; add one to COVERED"
        )


def commands():
    """`[(line, argv)]` of every `rnn-keras` command in the README's shell blocks."""
    found = []
    for line, language, code in blocks():
        if language != "bash":
            continue
        joined = re.sub(r"\\\n\s*", " ", code)
        for part in re.split(r"\n|&&", joined):
            part = part.split(" #")[0].strip()
            if part.startswith("rnn-keras "):
                found.append((line, shlex.split(part)[1:]))
    return found


def test_every_command_line_parses(tmp_path):
    """Each README command's flags exist, and its options are valid for its task."""
    found = commands()
    assert len(found) >= 10
    parser = build_parser()
    for line, argv in found:
        try:
            args = parser.parse_args(argv)
        except SystemExit:
            pytest.fail(f"README.md:{line}: rnn-keras {' '.join(argv)} does not parse")
        if args.command in ("train", "tune") and not getattr(args, "config", None):
            values, sources = options.option_values(args, exclude=("chief", "worker", "oracle"))
            if args.command == "tune":
                from rnn_keras.tuning.job import split_options

                _, values = split_options(values, sources)
            configure(values, sources, required=())


def test_api_tour_runs(tmp_path, monkeypatch):
    """The README's API tour, as written."""
    (code,) = [code for _, language, code in blocks() if code.startswith("import keras")]
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})


def test_fast_path_example_runs():
    """The README's LSTM example, as written (it asserts its own claim)."""
    (code,) = [code for _, language, code in blocks() if code.startswith("# rnn_keras's LSTM")]
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert isinstance(namespace["lstm"], namespace["keras"].layers.LSTM)
    assert namespace["lstm"].uses_fast_path()


@pytest.mark.large  # trains the main job (about 4 minutes)
def test_serving_example_answers(tmp_path):
    """The main job answers the README's examples as the README says."""
    import tensorflow as tf

    from rnn_keras.cli import main

    output = tmp_path / "dates"
    assert main(["demo", "--output", str(output), "--data-dir", str(tmp_path / "tfds"),
                 "--verbose", "0"]) == 0
    with open(README, encoding="utf-8") as f:
        text = f.read()
    served = tf.saved_model.load(str(output / "1"))
    for source, target in re.findall(r"'([^'\n]+)' -> (\d{4}-\d{2}-\d{2}|not a date)", text):
        got = served.signatures["serving_default"](text=tf.constant([source]))["output"]
        assert got.numpy()[0].decode() == target, source
    beam = served.signatures["beam_search"](text=tf.constant(["3/4/01"]), beam_width=4)
    assert beam["output"].numpy()[0].decode() == "2001-04-03" and beam["ambiguous"].numpy()[0]
    _check_http_serving_example(output)


def _check_http_serving_example(folder):
    """The README's `curl` requests to `rnn-keras serve`, answered as its comments say."""
    import http.client

    from rnn_keras.serve import ModelRepository
    from rnn_keras.serve import ModelServer

    (code,) = [code for _, _, code in blocks() if code.startswith("rnn-keras serve")]
    joined = re.sub(r"\\\n\s*", " ", code)
    requests = re.findall(r"curl (?:-d '([^']*)'\s+)?localhost:8501(\S+)", joined)
    claimed = re.findall(r'"output": (?:\[)?"([^"]+)"', joined)
    assert len(requests) == 4 and claimed == ["2001-03-03", "2001-04-03", "2001-04-03"]
    answers = []
    with ModelServer(ModelRepository([str(folder)]), port=0) as server:
        for body, path in requests:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            connection.request("POST" if body else "GET", path, body=body or None)
            response = connection.getresponse()
            assert response.status == 200, (path, response.read())
            answers.append(json.loads(response.read()))
            connection.close()
    status, metadata, rows, columns = answers
    assert status["model_version_status"][0]["state"] == "AVAILABLE"
    signatures = metadata["metadata"]["signature_def"]["signature_def"]
    assert {"serving_default", "beam_search"} <= set(signatures)
    outputs = [row["output"] for row in rows["predictions"]] + columns["outputs"]["output"]
    assert outputs == claimed
    assert [row["ambiguous"] for row in rows["predictions"]] == [False, True]
    assert all(row["valid"] for row in rows["predictions"])
