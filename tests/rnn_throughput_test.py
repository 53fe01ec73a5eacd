"""`benchmarks/rnn_throughput.py` on a tiny shape: it runs, pairs twins and computes ratios."""

import importlib.util
import json

import pytest

import benchmark_scripts
from rnn_keras.layers import fused_gates


@pytest.fixture(scope="module")
def rnn_throughput():
    return benchmark_scripts.load("rnn_throughput")


def test_runs_every_pair_and_writes_ratios(rnn_throughput, tmp_path, capsys):
    output = tmp_path / "rows.json"
    rnn_throughput.main([
        "--shapes", "2,3,2,4", "--layers", "LSTM", "keras.LSTM", "GRU", "keras.GRU",
        "--jit", "off", "on", "--repeats", "1", "--calls", "1", "--json", str(output),
    ])
    written = json.loads(output.read_text())
    assert written["loop_parts"] == fused_gates.loop_parts()
    rows = written["rows"]
    assert {(r["layer"], r["jit_compile"]) for r in rows} == {
        (name, jit) for name in ("LSTM", "keras.LSTM", "GRU", "keras.GRU") for jit in (False, True)
    }
    by_key = {(r["layer"], r["jit_compile"]): r for r in rows}
    for name, twin in (("LSTM", "keras.LSTM"), ("GRU", "keras.GRU")):
        for jit in (False, True):
            row = by_key[(name, jit)]
            assert row["train_vs_twin"] == pytest.approx(
                by_key[(twin, jit)]["train_ms"] / row["train_ms"])
            best = min(by_key[(twin, j)]["train_ms"] for j in (False, True))
            assert row["train_vs_twin_best"] == pytest.approx(best / row["train_ms"])
        assert "train_vs_twin" not in by_key[(twin, False)]
    assert "| (2, 3, 2, 4) | LSTM | True |" in capsys.readouterr().out


def test_refuses_torch_layers_without_torch(rnn_throughput, monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        rnn_throughput.importlib.util, "find_spec",
        lambda name, *args: None if name == "torch" else real_find_spec(name, *args),
    )
    with pytest.raises(SystemExit):
        rnn_throughput.main(["--layers", "torch.LSTM", "--shapes", "2,3,2,4"])
