"""Options left unset are resolved from the data profile; given ones are kept."""

import json
import logging

import numpy as np
import pytest

import task_data
from rnn_keras import runner
from rnn_keras.cli import main
from rnn_keras.config import ConfigError
from rnn_keras.runner.prepare import load_splits
from rnn_keras.tasks import make_task
from rnn_keras.tasks.defaults import Default
from rnn_keras.tasks.defaults import resolve

SENTENCES = [
    "the actors were wonderful , and the music too .",
    "a dull story that never finds its rhythm !",
    "quite the most beautiful film of the year .",
    "nothing here works : not the plot , not the jokes .",
]


def sentence_pairs(path, count):
    lines = []
    for i in range(count):
        source = SENTENCES[i % len(SENTENCES)]
        lines.append(f"{source}\t{' '.join(reversed(source.split()))}")
    path.write_text("\n".join(lines) + "\n")


def test_resolve_keeps_given_options_and_records_the_rest(caplog):
    task = make_task("classify", {"units": 16}, sources={"units": "--units"})
    defaults = [
        Default("units", 64, "ignored: given"),
        Default("pooling", "max", "a reason"),
        Default("ema_momentum", 0.995, "another reason"),
    ]
    with caplog.at_level(logging.INFO, logger="rnn_keras"):
        config, resolved = resolve(task.config, defaults)
    assert config.units == 16
    assert config.pooling == "max"
    assert config.ema_momentum == 0.995
    assert resolved == {
        "pooling": {"value": "max", "reason": "a reason"},
        "ema_momentum": {"value": 0.995, "reason": "another reason"},
    }
    assert config.given == {"units": "--units"}
    assert "pooling=max: a reason" in caplog.text
    assert "units=" not in caplog.text


def test_fixed_defaults_resolve_nothing():
    task = make_task("classify", {"defaults": "fixed"})
    config, resolved = resolve(task.config, [Default("pooling", "max", "a reason")])
    assert config.pooling == "last"
    assert resolved == {}


def test_resolved_values_are_checked_as_any_option():
    task = make_task("classify")
    with pytest.raises(ValueError, match="pooling"):
        resolve(task.config, [Default("pooling", "median", "a bad rule")])


def test_language_and_symbol_strings_get_different_seq2seq_defaults(tmp_path):
    sentence_pairs(tmp_path / "pairs.tsv", 300)
    task = runner.profile({"task": "seq2seq", "data": str(tmp_path / "pairs.tsv")})
    assert task.data_profile["source"]["kind"] == "language"
    assert task.config.tokenize == "punctuation"
    assert task.config.units == 128  # under 2,000 pairs
    assert task.config.beam_width == 4
    assert task.resolved["units"]["reason"] == "270 pairs"

    digits = tmp_path / "digits.tsv"
    digits.write_text("".join(f"{n}+{n % 7}\t{n + n % 7}\n" for n in range(300)))
    task = runner.profile({"task": "seq2seq", "data": str(digits), "units": 32})
    assert task.data_profile["target"]["kind"] == "symbols"
    assert task.config.tokenize == "character"
    assert task.config.units == 32
    assert set(task.resolved) == {"tokenize"}


def test_tagger_defaults_follow_the_tag_scheme(tmp_path):
    task_data.conll(tmp_path / "ner.conll", 80, seed=0)
    task = runner.profile({"task": "tag", "data": str(tmp_path / "ner.conll")})
    assert task.data_profile["scheme"] == "bio"
    assert task.config.monitor == "val_entity_f1"
    plain = (tmp_path / "ner.conll").read_text()
    for tag in ("B-PER", "I-PER", "B-LOC"):
        plain = plain.replace(tag, "NOUN")
    (tmp_path / "pos.conll").write_text(plain)
    task = runner.profile({"task": "tag", "data": str(tmp_path / "pos.conll")})
    assert task.data_profile["scheme"] is None
    assert task.config.monitor == "val_token_accuracy"
    assert not task.config.crf


def test_series_and_text_classifiers_get_their_recipes(tmp_path):
    task_data.ucr_tsv(tmp_path / "series.tsv", 40, seed=0)
    task = runner.profile({"task": "classify", "data": str(tmp_path / "series.tsv")})
    assert task.data_profile["inputs"] == "series"
    assert (task.config.cell, task.config.pooling, task.config.batch_size) == ("gru", "max", 8)
    assert (task.config.units, task.config.patch_size, task.config.conv_filters) == (32, 1, 32)
    assert task.config.conv_branch and "LSTM-FCN" in task.resolved["conv_branch"]["reason"]
    assert task.config.seeds == 5 and "40 series: five models" in task.resolved["seeds"]["reason"]
    assert task.config.normalization == "channel" and "normalization" not in task.resolved
    # `--conv-filters 0`: no blocks, so no branch of them; asking for both is refused.
    config = {"task": "classify", "data": str(tmp_path / "series.tsv"), "conv_filters": 0}
    task = runner.profile(config)
    assert not task.config.conv_branch and "conv_branch" not in task.resolved
    task = make_task("classify", {"conv_filters": 0, "conv_branch": True, "defaults": "fixed"})
    with pytest.raises(ConfigError, match="conv_branch"):
        task.prepare(([[0.5, 1.0], [2.0, 0.1]], ["up", "down"]))
    # Raw series whose scales spread over orders of magnitude: each standardised by its own.
    rng = np.random.default_rng(0)
    with open(tmp_path / "scales.tsv", "w") as f:
        for i in range(40):
            values = rng.normal(0, 10.0 ** (i % 8 - 4), size=20)
            f.write("\t".join([str(i % 2), *(f"{v:.6g}" for v in values)]) + "\n")
    task = runner.profile({"task": "classify", "data": str(tmp_path / "scales.tsv")})
    assert task.data_profile["scale_spread"] > 1000
    assert task.resolved["normalization"]["value"] == "series"
    # Many long series: a larger network, read in patches of about 128 steps.
    task_data.ucr_tsv(tmp_path / "long.tsv", 200, seed=0, length=600)
    task = runner.profile({"task": "classify", "data": str(tmp_path / "long.tsv")})
    assert (task.config.units, task.config.patch_size, task.config.batch_size) == (64, 5, 16)
    assert "600 steps" in task.resolved["patch_size"]["reason"]
    assert task.config.seeds == 3
    # Five models below 100 series, three from 100 (to 1,000).
    for count, seeds in ((99, 5), (100, 3)):
        task_data.ucr_tsv(tmp_path / f"{count}.tsv", count, seed=0, length=8)
        task = runner.profile({"task": "classify", "data": str(tmp_path / f"{count}.tsv")})
        assert task.config.seeds == seeds
    # Over 1,000 series: one model, as the 50-epoch regime of large sets.
    task_data.ucr_tsv(tmp_path / "many.tsv", 1001, seed=0, length=8)
    task = runner.profile({"task": "classify", "data": str(tmp_path / "many.tsv")})
    assert task.config.seeds == 1 and task.config.epochs == 50
    task_data.classification_tsv(tmp_path / "text.tsv", 80, seed=0)
    task = runner.profile({"task": "classify", "data": str(tmp_path / "text.tsv")})
    assert task.data_profile["kind"] == "language"
    assert task.config.conv_filters == 0 and task.config.seeds == 1
    assert not task.config.conv_branch
    assert (task.config.pooling, task.config.monitor) == ("max", "val_accuracy")
    assert task.data_profile["labels"]["classes"] == 2


def test_a_few_dozen_series_with_test_data_choose_the_epoch_on_the_training_data(tmp_path):
    task_data.ucr_tsv(tmp_path / "train.tsv", 40, seed=0)
    task_data.ucr_tsv(tmp_path / "test.tsv", 20, seed=1)
    train, test = str(tmp_path / "train.tsv"), str(tmp_path / "test.tsv")
    task = runner.configure(
        {"task": "classify", "data": train, "test": test, "output": str(tmp_path / "m")}
    )
    splits, origins = load_splits(task)
    assert task.data_profile["splits"] == ["test", "train"]
    assert (task.config.valid_fraction, task.config.epochs, task.config.patience) == (0, 150, 150)
    assert "a tenth held out (4)" in task.resolved["valid_fraction"]["reason"]
    # Nothing was held out: the validation split is the training data.
    assert splits["validation"] is splits["train"] and len(splits["train"][0]) == 40
    assert str(origins["validation"]) == train
    # Without test data there would be nothing honest to score: a tenth is held out.
    task = runner.profile({"task": "classify", "data": train})
    assert "valid_fraction" not in task.resolved and task.config.patience == 40
    # A given validation split, or a given fraction, is kept.
    task = runner.profile({"task": "classify", "data": train, "test": test, "valid": test})
    assert "valid_fraction" not in task.resolved
    task = runner.profile({"task": "classify", "data": train, "test": test, "valid_fraction": 0.2})
    assert task.config.valid_fraction == 0.2 and task.config.patience == 40
    # From 100 examples a tenth can choose the epoch.
    task_data.ucr_tsv(tmp_path / "more.tsv", 120, seed=0)
    task = runner.profile({"task": "classify", "data": str(tmp_path / "more.tsv"), "test": test})
    assert "valid_fraction" not in task.resolved and task.config.patience == 40


def test_no_validation_split_needs_test_data(tmp_path):
    task_data.ucr_tsv(tmp_path / "train.tsv", 40, seed=0)
    with pytest.raises(ConfigError, match="valid_fraction.*no test data"):
        runner.profile(
            {"task": "classify", "data": str(tmp_path / "train.tsv"), "valid_fraction": 0}
        )


def test_profile_command_prints_profile_and_resolved_options(tmp_path, capsys):
    sentence_pairs(tmp_path / "pairs.tsv", 100)
    code = main([
        "profile", "--task", "seq2seq", "--data", str(tmp_path / "pairs.tsv"), "--units", "48"
    ])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["profile"]["source"]["kind"] == "language"
    assert printed["resolved"]["tokenize"]["value"] == "punctuation"
    assert "units" not in printed["resolved"]
    assert printed["given"] == {"data": "--data", "units": "--units"}


def test_trained_folder_records_given_resolved_and_profile(trained):
    folder = trained["classify"]
    with open(f"{folder}/task.json", encoding="utf-8") as f:
        saved = json.load(f)
    assert "cell" in saved["given"] and "pooling" not in saved["given"]
    assert saved["resolved"]["pooling"]["value"] == saved["config"]["pooling"] == "max"
    assert saved["profile"]["kind"] == "language"
    task, _ = runner.load(folder)
    assert task.config.pooling == "max"


def test_imbalanced_labels_get_balanced_class_weights(tmp_path):
    task_data.classification_tsv(tmp_path / "text.tsv", 80, seed=0)
    task = runner.profile({"task": "classify", "data": str(tmp_path / "text.tsv")})
    assert task.config.class_weight == "none" and "class_weight" not in task.resolved
    assert task.config.monitor == "val_accuracy"
    lines = (tmp_path / "text.tsv").read_text().splitlines()
    negatives = [line for line in lines if line.startswith("neg")]
    rare = [line for line in lines if line.startswith("pos")][:6]
    (tmp_path / "imbalanced.tsv").write_text("\n".join(negatives + rare) + "\n")
    task = runner.profile(
        {"task": "classify", "data": str(tmp_path / "imbalanced.tsv"), "valid_fraction": 0.2}
    )
    assert task.data_profile["labels"]["imbalance"] >= 5
    assert task.config.class_weight == "balanced"
    assert task.config.monitor == "val_macro_f1"
    assert "imbalanced labels" in task.resolved["class_weight"]["reason"]
