"""`benchmarks/found_seasons.py`: the season found in series of a known frequency, compared."""

import json
import subprocess
import sys

import numpy as np

import benchmark_scripts

SCRIPT = benchmark_scripts.BENCHMARKS / "found_seasons.py"


def test_seasons_found_beside_the_frequencys_and_compared(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    months = np.arange(120)
    rng = np.random.default_rng(0)
    cycle = 100 + 20 * np.sin(2 * np.pi * months / 12) + rng.normal(size=120)
    noise = 100 + rng.normal(size=120)
    (folder / "monthly.csv").write_text("month,cycle,noise\n" + "".join(
        f"{2000 + m // 12}-{m % 12 + 1:02d},{c:.3f},{n:.3f}\n"
        for m, c, n in zip(months, cycle, noise)))
    # No timestamps: a table of two series, read whole.
    (folder / "untimed.csv").write_text("rownames,a,b\n" + "".join(
        f"{m + 1},{c:.3f},{n:.3f}\n" for m, c, n in zip(months, cycle, noise)))
    # Yearly: no seasonal cycle to find; too short: not tried.
    (folder / "yearly.csv").write_text("year,v\n" + "".join(
        f"{1900 + y},{v:.3f}\n" for y, v in enumerate(noise)))
    (folder / "short.csv").write_text("month,v\n" + "".join(
        f"2000-{m + 1:02d},{m}\n" for m in range(12)))
    monthly = str(folder / "monthly.csv")
    before = {f"{monthly}#cycle": {"periods": [12], "found": 6}}
    (tmp_path / "before.json").write_text(json.dumps(before))
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(folder), "--json", str(tmp_path / "after.json"),
         "--compare", str(tmp_path / "before.json")],
        capture_output=True, text=True, check=True,
    )
    results = json.loads((tmp_path / "after.json").read_text())
    assert results == {
        f"{monthly}#cycle": {"periods": [12], "found": 12},
        f"{monthly}#noise": {"periods": [12], "found": None},
        str(folder / "untimed.csv"): {"periods": [], "found": 12},
    }
    assert ("2 series of a known frequency: the frequency's season found in 1, none in 1, "
            "another in 0") in run.stdout
    assert "1 files without a frequency" in run.stdout
    assert f"1 periods differ from {tmp_path / 'before.json'}:\n  {monthly}#cycle: 6 -> 12" in (
        run.stdout)
