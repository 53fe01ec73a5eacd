"""Served models for the serving tests: the session's tiny models, one of them in two versions."""

import shutil

import pytest


@pytest.fixture(scope="session")
def model_folders(trained, tmp_path_factory):
    """`{name: model folder}` to serve: `trained`'s, and `seq2seq` copied as versions 1 and 2."""
    root = tmp_path_factory.mktemp("served")
    for version in ("1", "2"):
        shutil.copytree(f"{trained['seq2seq']}/1", root / "seq2seq" / version)
    names = ("classify", "classify_series", "forecast", "tag", "generate")
    folders = {name: trained[name] for name in names}
    return {**folders, "seq2seq": str(root / "seq2seq")}


@pytest.fixture(scope="session")
def repository(model_folders):
    """A `ModelRepository` of `model_folders`, loaded once."""
    from rnn_keras.serve import ModelRepository

    return ModelRepository(sorted(model_folders.values()))


@pytest.fixture(scope="module")
def server(repository):
    """A `ModelServer` of `repository` on a free port, in a thread; small body limit (4 KiB).

    A long batch timeout (50 ms), so that concurrent requests surely meet in
    a batch; a lone request does not wait for it.
    """
    from rnn_keras.serve import ModelServer

    with ModelServer(repository, port=0, max_request_bytes=4096, batch_timeout_ms=50) as running:
        yield running
