"""`benchmarks/defaults.py`: the hand configs are what the defaults resolve from the data."""

import pytest

import benchmark_scripts

ROOT = benchmark_scripts.BENCHMARKS.parent


@pytest.fixture(scope="module")
def defaults_benchmark():
    return benchmark_scripts.load("defaults", "defaults_benchmark")


@pytest.mark.parametrize(
    "name", ["gunpoint", "sst2", "wnut17", "airline", "spa_eng", "tiny_shakespeare"]
)
def test_data_options_resolve_to_the_hand_config(defaults_benchmark, shared_datasets, name,
                                                 monkeypatch):
    """Every shared set's hand-tuned options follow from its data (but for its vectors file)."""
    del shared_datasets
    monkeypatch.chdir(ROOT)
    assert defaults_benchmark.differences(name, specific=True) == {}
    without_vectors = defaults_benchmark.differences(name)
    assert set(without_vectors) <= {"embeddings", "max_vectors"}


def test_data_options_are_only_what_the_data_are(defaults_benchmark):
    for name in defaults_benchmark.NAMES:
        options = defaults_benchmark.data_only(name, specific=True)
        assert set(options) <= {*defaults_benchmark.DATA_KEYS, *defaults_benchmark.SPECIFIC_KEYS}
        assert {"task", "data"} <= set(options)
