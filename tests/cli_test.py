"""The `rnn-keras` command line."""

import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from rnn_keras.cli import main


def test_demo_trains_saves_and_reports(tmp_path, capsys):
    output = tmp_path / "demo"
    code = main(["demo", "--cell", "vanilla", "--samples", "1500", "--epochs", "12", "--length", "8",
                 "--distance", "5", "--output", str(output)])
    assert code == 0
    report = capsys.readouterr().out.strip().splitlines()[-1]
    accuracy = float(report.split("held-out accuracy ")[1].split()[0])
    assert accuracy > 0.9, report
    model = keras.models.load_model(output / "model.keras")
    assert model.get_layer("encoder").cell == "vanilla"
    assert model.predict(np.ones((2, 8), "int32"), verbose=0).shape == (2, 1)


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out


def test_bad_choice_is_named(capsys):
    with pytest.raises(SystemExit):
        main(["demo", "--cell", "transformer"])
    assert "--cell" in capsys.readouterr().err


def test_console_script_is_installed():
    script = os.path.join(os.path.dirname(sys.executable), "rnn-keras")
    if not os.path.exists(script):
        pytest.skip("rnn_keras is not pip-installed in this environment")
    result = subprocess.run([script, "demo", "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert "--distance" in result.stdout
