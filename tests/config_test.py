"""The typed configuration: conversion, ranges, unknown keys, sources, and the CLI built from it."""

import dataclasses
import json

import pytest

from rnn_keras.cli import main
from rnn_keras.cli import options
from rnn_keras.config import Config
from rnn_keras.config import ConfigError
from rnn_keras.config import option
from rnn_keras.tasks import TASKS
from rnn_keras.tasks import ClassifyConfig
from rnn_keras.tasks import GenerateConfig
from rnn_keras.tasks import TagConfig
from rnn_keras.tasks import make_task


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"bidirectional": "yes"}, {"bidirectional": True}),
        ({"bidirectional": "No"}, {"bidirectional": False}),
        ({"bidirectional": "false"}, {"bidirectional": False}),
        ({"units": "16"}, {"units": 16}),
        ({"batch_size": 8.0}, {"batch_size": 8}),
        ({"learning_rate": "3e-3"}, {"learning_rate": 0.003}),
        ({"dropout": 0}, {"dropout": 0.0}),
        ({"max_tokens": None}, {"max_tokens": None}),
        ({"valid": ""}, {"valid": None}),
    ],
)
def test_values_are_converted_to_their_types(values, expected):
    config = ClassifyConfig.from_values(values)
    for key, value in expected.items():
        assert getattr(config, key) == value and type(getattr(config, key)) is type(value)


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("bidirectional", "no way", "expected true/false/yes/no, got 'no way'"),
        ("bidirectional", 1, "expected true/false/yes/no, got 1"),
        ("units", "sixteen", "expected an integer, got 'sixteen'"),
        ("units", [8, 16], r"expected an integer, got \[8, 16\]"),
        ("units", True, "expected an integer, got True"),
        ("batch_size", 8.7, "expected an integer, got 8.7"),
        ("units", 0, "expected a value >= 1, got 0"),
        ("epochs", 0, "expected a value >= 1, got 0"),
        ("valid_fraction", 1.5, "expected a value < 1, got 1.5"),
        ("valid_fraction", -0.1, "expected a value >= 0, got -0.1"),
        ("learning_rate", 0, "expected a value > 0, got 0.0"),
        ("learning_rate", float("nan"), "expected a finite number, got nan"),
        ("cell", "transformer", r"expected one of \['vanilla', 'lstm', 'gru'\]"),
        ("max_input_length", 0, "expected a value >= 1, got 0"),
        ("monitor", "val_nonsense", r"expected one of \['loss', 'accuracy', 'macro_f1', 'val_loss'"),
        ("data", 3, "expected a string, got 3"),
    ],
)
def test_bad_values_are_refused_by_name_and_source(key, value, message):
    with pytest.raises(ConfigError, match=rf"option `{key}` \(from config file c\.yaml\): {message}"):
        ClassifyConfig.from_values({key: value}, {key: "config file c.yaml"})


def test_ranges_of_other_tasks():
    with pytest.raises(ConfigError, match="option `beam_width`: expected a value >= 1, got 0"):
        make_task("seq2seq", {"beam_width": 0})
    with pytest.raises(ConfigError, match="`monitor`.*'val_entity_f1'"):
        make_task("forecast", {"monitor": "val_entity_f1"})
    assert make_task("tag", {"monitor": "val_entity_f1"}).config.monitor == "val_entity_f1"
    with pytest.raises(ConfigError, match="option `bidirectional`: a language model reads"):
        GenerateConfig(bidirectional=True)
    with pytest.raises(ConfigError, match="valid_fraction \\+ test_fraction must be below 1"):
        ClassifyConfig(valid_fraction=0.5, test_fraction=0.5)


def test_unknown_and_renamed_options_are_named():
    with pytest.raises(ConfigError, match="option `unit` .*not an option of task classify; did you"
                                          " mean `units`"):
        ClassifyConfig.from_values({"unit": 3}, {"unit": "config file c.yaml"})
    with pytest.raises(ConfigError, match="option `layers`: renamed `num_layers`"):
        ClassifyConfig.from_values({"layers": 2})
    with pytest.raises(ConfigError, match="option `split`: renamed `tokenize`"):
        ClassifyConfig.from_values({"split": "character"})
    # An option of another task is not one of this task's.
    with pytest.raises(ConfigError, match="option `crf`.*not an option of task classify"):
        make_task("classify", {"crf": True})


def test_defaults_live_in_the_config_classes_and_record_what_was_given():
    config = TagConfig.from_values({"units": 8}, {"units": "--units"})
    assert config.bidirectional is True and config.max_tokens == 30000  # the tag task's own
    assert config.given == {"units": "--units"}
    assert config.replace(cell="gru").given == {"units": "--units", "cell": "python"}
    with pytest.raises(ConfigError, match="option `units`"):
        config.replace(units=-1)
    assert GenerateConfig().units == 256 and ClassifyConfig().units == 64


def test_a_config_file_error_stops_before_any_data_is_read(tmp_path, capsys):
    """A misspelt key or a wrong type in a config file: exit 2, the key named, nothing written."""
    missing = tmp_path / "no-such-data.tsv"  # never read: the options fail first
    for line, expected in (
        ("unitz: 16", "option `unitz` (from config file"),
        ("units: sixteen", "option `units` (from config file"),
        ("bidirectional: 'no way'", "option `bidirectional` (from config file"),
    ):
        path = tmp_path / "run.yaml"
        path.write_text(f"task: classify\ndata: {missing}\noutput: {tmp_path / 'out'}\n{line}\n")
        assert main(["train", "--config", str(path)]) == 2
        error = capsys.readouterr().err
        assert expected in error and "no-such-data" not in error, error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.yaml"]


def test_flags_are_checked_like_config_values(tmp_path, capsys):
    argv = ["train", "--task", "classify", "--data", "x.tsv", "--output", str(tmp_path / "m")]
    assert main([*argv, "--units", "sixteen"]) == 2
    assert "option `units` (from --units): expected an integer" in capsys.readouterr().err
    assert main([*argv, "--beam-width", "3"]) == 2
    assert "option `beam_width` (from --beam-width): not an option of task classify" in (
        capsys.readouterr().err
    )
    assert main(["train", "--data", "x.tsv"]) == 2
    assert "option `task`: is required" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_json_config_with_renamed_option(tmp_path, capsys):
    path = tmp_path / "run.json"
    path.write_text(json.dumps({"task": "classify", "data": "x.tsv", "clipnorm": 1.0}))
    assert main(["train", "--config", str(path)]) == 2
    assert "option `clipnorm` (from config file" in capsys.readouterr().err


def test_help_is_generated_from_the_configs(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for task in TASKS.values():
        for field in dataclasses.fields(task.config_class):
            assert "--" + field.name.replace("_", "-") in text, field.name
    # Defaults shown are the classes' own, with each task's exception named.
    assert "Default: 64 (generate: 256)" in text
    assert "Default: off (tag: on)" in text
    assert "tag: end in a linear-chain CRF" in text


def test_help_text_of_an_option():
    @dataclasses.dataclass
    class Example(Config):
        rate: float = option(0.5, "A rate.", minimum=0, maximum=1, exclusive_maximum=True)

    field = dataclasses.fields(Example)[0]
    assert options.help_text(field, dict.fromkeys(TASKS, 0.5)) == (
        "A rate. A value in [0, 1). Default: 0.5."
    )
    assert options.help_text(field, {"tag": 0.5}, task_names=["tag", "classify"]) == (
        "tag: a rate. A value in [0, 1). Default: 0.5."
    )


def test_tokenize_choices_are_the_vocabulary_splits():
    """Every task that splits text offers every `Vocabulary` split, subwords included."""
    from rnn_keras.data.vocabulary import SPLITS
    from rnn_keras.tasks.config import TokenizeOption

    offering = [
        name for name, task in TASKS.items() if "tokenize" in task.config_class.option_names()
    ]
    assert sorted(offering) == ["classify", "generate", "seq2seq"]
    for name in offering:
        field = {f.name: f for f in dataclasses.fields(TASKS[name].config_class)}["tokenize"]
        assert field.metadata["choices"] == SPLITS, name
        assert make_task(name, {"tokenize": "subword"}).config.tokenize == "subword"
    with pytest.raises(ConfigError, match=r"option `tokenize`: expected one of \[.*'subword'\]"):
        make_task("seq2seq", {"tokenize": "bpe"})
    assert issubclass(TASKS["seq2seq"].config_class, TokenizeOption)
