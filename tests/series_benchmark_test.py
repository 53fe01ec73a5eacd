"""`benchmarks/series.py`: the files it writes for sets bundled in other forms."""

import numpy as np
import pytest

import benchmark_scripts
from rnn_keras.data.readers import read_ucr_tsv


@pytest.fixture(scope="module")
def series():
    return benchmark_scripts.load("series")


def test_tslearn_arrays_are_written_as_ucr_tsv_the_reader_reads_back(series, tmp_path):
    rng = np.random.default_rng(0)
    arrays = {
        "X_train": rng.normal(size=(5, 7, 1)), "y_train": np.array([1, 2, 1, 3, 2]),
        "X_test": rng.normal(size=(3, 7, 1)), "y_test": np.array([3, 1, 2]),
    }
    np.savez(tmp_path / "Trace.npz", **arrays)
    train, test = series.ucr_tsv_from_npz(str(tmp_path / "Trace.npz"), str(tmp_path / "out"),
                                          "Trace")
    assert train.endswith("Trace_TRAIN.tsv") and test.endswith("Trace_TEST.tsv")
    for path, part in ((train, "train"), (test, "test")):
        values, labels = read_ucr_tsv(path)
        np.testing.assert_array_equal(np.stack(values), arrays[f"X_{part}"][..., 0])
        assert labels == [str(label) for label in arrays[f"y_{part}"]]
    # The 1-NN baseline reads them too.
    assert 0.0 <= series.nearest_neighbour_accuracy(train, test) <= 1.0
    # Multivariate arrays are refused by name.
    np.savez(tmp_path / "Wide.npz", **{**arrays, "X_train": rng.normal(size=(5, 7, 2))})
    with pytest.raises(SystemExit, match="X_train of shape"):
        series.ucr_tsv_from_npz(str(tmp_path / "Wide.npz"), str(tmp_path / "out"), "Wide")
