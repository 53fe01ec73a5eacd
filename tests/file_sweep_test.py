"""`benchmarks/file_sweep.py`: each file read or refused, and the outcomes that changed."""

import json
import pathlib
import subprocess
import sys

SCRIPT = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "file_sweep.py"


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
