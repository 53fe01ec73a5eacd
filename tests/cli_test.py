"""The `rnn-keras` command line, in-process through `main(argv)` and as a console script."""

import io
import json
import os
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest
import tensorflow as tf

import task_data
from rnn_keras.cli import main

SEED = os.environ.get("RNN_KERAS_TEST_SEED", "1337")


@pytest.fixture(scope="module")
def classifier(tmp_path_factory):
    """A classifier folder `rnn-keras train` wrote (with its SavedModel), and its data folder.

    Its options come from a config file (keys with `-` or `_`) and flags, which
    override the file.
    """
    tmp_path = tmp_path_factory.mktemp("cli")
    task_data.classification_tsv(tmp_path / "train.tsv", 300, seed=0)
    task_data.classification_tsv(tmp_path / "test.tsv", 100, seed=1)
    output = tmp_path / "model"
    (tmp_path / "config.yaml").write_text(
        f"task: classify\ndata: {tmp_path / 'train.tsv'}\ntest: {tmp_path / 'test.tsv'}\n"
        f"cell: gru\nunits: 5\nbatch-size: 16\nepochs: 6\nlearning_rate: 0.01\ndefaults: fixed\n"
        f"output: {output}\n"
    )
    argv = ["train", "--config", str(tmp_path / "config.yaml"), "--units", "16"]
    assert main([*argv, "--seed", SEED, "--verbose", "0"]) == 0
    return output, tmp_path


@pytest.mark.xla_loops  # the main job as users run it: XLA-compiled loops, exported
def test_demo_is_the_main_job_on_small_data(tmp_path, capsys):
    output = tmp_path / "dates"
    code = main(
        [
            "demo",
            "--data",
            "gen:dates/small",
            "--data-dir",
            str(tmp_path / "tfds"),
            "--epochs",
            "1",
            "--output",
            str(output),
            "--verbose",
            "0",
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    report = captured.out  # the report on stdout, the progress on stderr
    assert "held-out dates" in report and "inputs that are not dates refused" in report
    assert "'March 3, 2001' ->" in report and "read day first (--date-order dmy)" in report
    assert "Epoch 1/1" not in report and "train: 2,300 examples" in captured.err
    assert {"model.keras", "task.json", "metrics.json", "attention.png", "1"} <= set(
        os.listdir(output)
    )
    scores = json.loads((output / "metrics.json").read_text())["test"]
    assert scores["date_examples"] == 200 and scores["invalid_examples"] == 30
    assert {"date_exact_match", "invalid_refused", "confidence_ece"} <= set(scores)
    # The README's serving example runs on it (its answers: readme_test.py, large).
    served = tf.saved_model.load(str(output / "1"))
    result = served.signatures["serving_default"](text=tf.constant(["March 3, 2001"]))
    assert result["output"].dtype == tf.string and result["output"].shape == (1,)
    assert {"valid", "confidence", "ambiguous", "score"} <= set(result)
    beam = served.signatures["beam_search"](text=tf.constant(["3/4/01"]), beam_width=tf.constant(4))
    assert bool(beam["ambiguous"].numpy()[0])
    # The demo keeps a finished model unless told to replace it.
    before = (output / "model.keras").read_bytes()
    assert main(["demo", "--data", "gen:dates/small", "--data-dir", str(tmp_path / "tfds"),
                 "--epochs", "1", "--output", str(output), "--verbose", "0"]) == 1
    assert "--overwrite" in capsys.readouterr().err
    assert (output / "model.keras").read_bytes() == before


def test_train_evaluate_predict_export(classifier, tmp_path, capsys):
    output, data = classifier
    capsys.readouterr()
    assert main(["evaluate", str(output), "--data", str(data / "test.tsv"), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["accuracy"] >= 0.9 and scores["macro_f1"] >= 0.9 and scores["examples"] == 100
    with open(output / "metrics.json") as f:
        assert json.load(f)["test"] == pytest.approx(scores)

    assert main(["predict", str(output), "a good film", "a bad film", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["label"] for line in lines] == ["pos", "neg"]
    assert all(0.5 < line["probability"] <= 1.0 for line in lines)
    assert all(sum(line["probabilities"].values()) == pytest.approx(1) for line in lines)
    assert all(max(line["probabilities"].values()) == line["probability"] for line in lines)
    assert main(["predict", str(output), "a good film", "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["probabilities"].keys() == {"pos", "neg"}
    (tmp_path / "inputs.txt").write_text("very good\n\nvery bad\n")
    assert main(["predict", str(output), "--file", str(tmp_path / "inputs.txt")]) == 0
    rows = capsys.readouterr().out.splitlines()
    # One result per line, a blank line included: it gets no guess.
    assert [row.split("\t")[:2] for row in rows] == [
        ["very good", "pos"], ["", "(empty input)"], ["very bad", "neg"]
    ]

    # `train` exported the SavedModel; `export` never overwrites it by accident.
    served = tf.saved_model.load(str(output / "1")).signatures["serving_default"]
    labels = served(text=tf.constant(["a good film", "a bad film"]))["label"].numpy()
    assert [label.decode() for label in labels] == ["pos", "neg"]
    # A new export is the next version, for TensorFlow Serving to swap to.
    assert main(["export", str(output)]) == 0
    assert f"to {output / '2'}" in capsys.readouterr().out
    assert sorted(n for n in os.listdir(output) if n.isdigit()) == ["1", "2"]
    assert main(["export", str(output), "--model-version", "1"]) == 1
    assert "--overwrite" in capsys.readouterr().err
    assert main(["export", str(output), "--model-version", "0"]) == 2
    assert "model_version" in capsys.readouterr().err
    exported = str(tmp_path / "exported")
    assert main(["export", str(output), "--output", exported]) == 0
    capsys.readouterr()
    assert main(["export", str(output), "--output", exported, "--overwrite", "--json"]) == 0
    written = json.loads(capsys.readouterr().out)
    assert written["output"] == exported and "serving_default" in written["signatures"]

    tflite = tmp_path / "tflite"
    assert main(["export", str(output), "--format", "tflite", "--output", str(tflite)]) == 0
    assert f"to {tflite}" in capsys.readouterr().out
    assert sorted(os.listdir(tflite)) == ["model.tflite", "task.json"]
    # (ONNX goes through the same command; tests/tasks/registry_test.py converts every task.)
    # An export never replaces the model folder itself.
    assert main(["export", str(output), "--output", str(output), "--overwrite"]) == 1
    assert "is a model folder" in capsys.readouterr().err


def test_predict_reads_stdin(classifier, capsys, monkeypatch):
    output, _ = classifier
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO("good good\nbad bad\n"))
    assert main(["predict", str(output)]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert [row.split("\t")[1] for row in rows] == ["pos", "neg"]


def test_predict_answers_a_stream_batch_by_batch(classifier, capsys, monkeypatch):
    """Each batch is printed before the next line is read: a pipe gets answers as it goes."""
    output, _ = classifier
    capsys.readouterr()
    printed_before = []

    class Stream:
        def __iter__(self):
            for line in ("good good\n", "\n", "bad bad\n"):
                printed_before.append(capsys.readouterr().out)
                yield line

    monkeypatch.setattr(sys, "stdin", Stream())
    assert main(["predict", str(output), "--batch-size", "2"]) == 0
    rest = capsys.readouterr().out
    # Line 3 was read only after the first batch (lines 1-2, blank kept) was printed.
    assert printed_before[:2] == ["", ""]
    first = [row.split("\t")[:2] for row in printed_before[2].splitlines()]
    assert first == [["good good", "pos"], ["", "(empty input)"]]
    assert [row.split("\t")[:2] for row in rest.splitlines()] == [["bad bad", "neg"]]
    assert main(["predict", str(output), "x", "--batch-size", "0"]) == 2
    assert "batch_size" in capsys.readouterr().err


def test_generation_seed(trained, capsys):
    folder = trained["generate"]
    outputs = {}
    for seed in ("1", "1", "2"):
        assert main(["predict", folder, "abc", "--seed", seed, "--num-steps", "40",
                     "--temperature", "1.5", "--json"]) == 0
        outputs.setdefault(seed, []).append(json.loads(capsys.readouterr().out)["output"])
    assert outputs["1"][0] == outputs["1"][1]
    assert outputs["1"][0] != outputs["2"][0]


def test_config_file_and_flag_override(classifier, tmp_path):
    output, _ = classifier
    with open(output / "task.json") as f:
        config = json.load(f)["config"]
    assert (config["cell"], config["units"], config["batch_size"]) == ("gru", 16, 16)
    assert config["learning_rate"] == 0.01 and config["epochs"] == 6
    (tmp_path / "config.json").write_text(json.dumps({"task": "classify", "unit": 3}))
    assert main(["train", "--config", str(tmp_path / "config.json")]) == 2


def test_errors_name_the_file_and_line(tmp_path, capsys):
    (tmp_path / "bad.tsv").write_text("pos\tfine\nno tab here\n")
    code = main(
        [
            "train",
            "--task",
            "classify",
            "--data",
            str(tmp_path / "bad.tsv"),
            "--output",
            str(tmp_path / "model"),
        ]
    )
    assert code == 1
    assert f"{tmp_path / 'bad.tsv'}:2" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path / "nothing"), "--data", "x.tsv"]) == 1
    assert "task.json" in capsys.readouterr().err


def test_every_subcommand_has_complete_help(capsys):
    expected = {
        "train": [
            "--task",
            "--data",
            "--valid",
            "--test",
            "--cell",
            "--bidirectional",
            "--units",
            "--num-layers",
            "--epochs",
            "--batch-size",
            "--output",
            "--config",
            "--overwrite",
            "--no-export",
            "--strategy",
            "--tpu",
            "multi_worker",
            "--ema-momentum",
        ],
        "tune": [
            "--tuner",
            "--max-trials",
            "--objective",
            "--directory",
            "--project",
            "--chief",
            "--worker",
            "--oracle",
            "--strategy",
            "--max-failed-trials",
            "bayesian",
        ],
        "evaluate": ["--data", "--json", "--split"],
        "predict": ["--file", "--json", "--format", "jsonl", "--beam-width", "--temperature"],
        "ensemble": ["--output", "--data", "--overwrite", "--json"],
        "export": [
            "--format", "--output", "--model-version", "--overwrite", "--json", "saved_model",
            "tflite", "onnx",
        ],
        "demo": ["--epochs", "--output"],
    }
    for command, flags in expected.items():
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
        text = capsys.readouterr().out
        for flag in flags:
            assert flag in text, (command, flag)


def test_help_starts_no_tensorflow():
    """`--help` of every subcommand answers without importing TensorFlow (`python -m rnn_keras`)."""
    from rnn_keras.cli import SUBCOMMANDS

    commands = [[]] + [[module.__name__.rsplit(".", 1)[1]] for module in SUBCOMMANDS]
    for command in commands:
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "rnn_keras", *command, "--help"],
            capture_output=True, text=True, timeout=120, check=True,
        )
        assert "usage: rnn-keras" in result.stdout
        imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
        assert all(line.startswith("import time:") for line in result.stderr.splitlines())
        heavy = {"tensorflow", "keras", "keras_tuner", "numpy"}
        assert heavy.isdisjoint(imported), (command, heavy.intersection(imported))
        assert "rnn_keras.cli" in imported  # the check sees the imports


def test_version_and_the_versions_a_model_was_trained_with(classifier, capsys):
    from rnn_keras.version import __version__

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"rnn-keras {__version__}"
    output, _ = classifier
    with open(output / "metrics.json") as f:
        versions = json.load(f)["versions"]
    assert versions["rnn_keras"] == __version__
    assert versions["tensorflow"] == tf.__version__
    assert versions["keras"] == keras.__version__


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "train" in capsys.readouterr().out


def test_bad_choice_is_named(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--cell", "transformer"])
    assert "--cell" in capsys.readouterr().err


def _console_script():
    script = os.path.join(os.path.dirname(sys.executable), "rnn-keras")
    if not os.path.exists(script):
        pytest.skip("rnn_keras is not pip-installed in this environment")
    return script


@pytest.mark.parametrize(
    "options",
    [
        # Dropout: the backup holds the seed generators' states too, so the
        # resumed epochs draw the masks an uninterrupted run draws. (The
        # defaults from the data add embedding dropout and weight averaging.)
        pytest.param(["--head-dropout", "0.5"], id="dropout"),
        # Weight averaging: the backup holds the trained weights and the average.
        pytest.param(["--ema-momentum", "0.9"], marks=pytest.mark.large, id="ema"),
    ],
)
def test_interrupted_training_resumes_from_the_last_epoch(tmp_path, options):
    """SIGKILL during epoch 3+, rerun the same command: epochs continue, none repeated."""
    task_data.classification_tsv(tmp_path / "train.tsv", 500, seed=0)
    output = tmp_path / "model"
    command = [
        _console_script(),
        "train",
        "--task",
        "classify",
        "--data",
        str(tmp_path / "train.tsv"),
        "--units",
        "16",
        "--epochs",
        "5",
        "--patience",
        "10",
        "--batch-size",
        "16",
        "--output",
        str(output),
        "--verbose",
        "0",
        "--seed",
        SEED,
        "--no-export",
        *options,
    ]
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    process = subprocess.Popen(
        command,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    staging = tmp_path / ".model.partial"  # where an unfinished run writes
    history = staging / "history.csv"
    try:
        deadline = time.time() + 240
        while time.time() < deadline:
            if history.exists() and len(history.read_text().splitlines()) >= 3:  # header + 2 epochs
                break
            if process.poll() is not None:
                pytest.fail("training ended before it could be interrupted")
            time.sleep(0.2)
        else:
            pytest.fail("no epoch finished in time")
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    done = len(history.read_text().splitlines()) - 1
    assert done < 5 and (staging / "backup").is_dir()
    assert not output.exists()  # nothing in --output until the run finishes
    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"resuming from {staging / 'backup'} ({done} epochs done)" in result.stderr
    history = output / "history.csv"
    epochs = [int(line.split(",")[0]) for line in history.read_text().splitlines()[1:]]
    assert epochs == list(range(5))  # every epoch once: none lost, none repeated
    with open(output / "metrics.json") as f:
        assert json.load(f)["epochs"] == 5
    assert not (output / "backup").exists() and not staging.exists()
    # The resumed epochs saw the data in the order an uninterrupted run does,
    # from the restored weights and optimizer: both end at the same model.
    command[command.index(str(output))] = str(tmp_path / "uninterrupted")
    assert main(command[1:]) == 0  # in this process: no second start of TensorFlow
    resumed, uninterrupted = (
        keras.models.load_model(folder / "model.keras").get_weights()
        for folder in (output, tmp_path / "uninterrupted")
    )
    assert max(float(np.abs(a - b).max()) for a, b in zip(resumed, uninterrupted)) < 1e-6


def test_a_command_warns_once_of_what_it_reads_again(tmp_path, capsys):
    # A forecast reads its file to profile it and once for each of its three models;
    # the reader's warning (here: no header) is printed once, not at each read.
    values = 100 + 10 * np.sin(np.arange(120) * 2 * np.pi / 12) + np.arange(120)
    (tmp_path / "sales.csv").write_text("".join(f"{value:.2f}\n" for value in values))
    argv = ["train", "--task", "forecast", "--data", str(tmp_path / "sales.csv"), "--epochs", "1",
            "--no-statistical-baselines", "--output", str(tmp_path / "model")]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert err.count("sales.csv: line 1 holds numbers or dates only, no column names") == 1
    # Information lines all pass: each of the three models reports its training data.
    assert err.count("rnn-keras: forecast: 1 series, 92 training values") == 3
