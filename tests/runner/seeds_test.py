"""`train --seeds N`: one model per seed on the same splits, averaged into one folder."""

import json
import logging
import os
import shutil

import numpy as np
import pytest

import task_data
from rnn_keras import runner
from rnn_keras.config import ConfigError
from rnn_keras.data import load_examples
from rnn_keras.runner.prepare import load_splits
from rnn_keras.runner.seeds import resolve_seeds
from rnn_keras.runner.staging import ResumeMismatch


def _config(tmp_path, **options):
    return {"task": "classify", "data": str(tmp_path / "train.tsv"),
            "test": str(tmp_path / "test.tsv"), "output": str(tmp_path / "model"), "units": 8,
            "epochs": 2, "defaults": "fixed", "seed": 3, **options}


def test_seeds_train_members_on_one_split_and_average_them(tmp_path):
    task_data.classification_tsv(tmp_path / "train.tsv", 120, seed=0)
    task_data.classification_tsv(tmp_path / "test.tsv", 100, seed=1)
    config = _config(tmp_path, seeds=2)
    metrics = runner.train(config, verbose=0)

    members = [str(tmp_path / "model-members" / f"seed-{seed}") for seed in (3, 4)]
    assert sorted(metrics["members"]) == members
    loaded = [runner.load(folder) for folder in members]
    saved = [json.loads((tmp_path / "model-members" / f"seed-{s}" / "task.json").read_text())
             for s in (3, 4)]
    assert [s["config"]["seed"] for s in saved] == [3, 4]
    assert [s["config"]["split_seed"] for s in saved] == [3, 3]  # the same validation split
    # The ensemble's test accuracy: the members' probabilities averaged in NumPy.
    texts, labels = load_examples(loaded[0][0], str(tmp_path / "test.tsv"))
    probabilities = [task.probabilities(model, texts) for task, model in loaded]
    assert not np.allclose(probabilities[0], probabilities[1])  # the seeds differ
    mean = np.mean(probabilities, axis=0)
    classes = loaded[0][0].state["classes"]
    expected = np.mean([classes[i] == label for i, label in zip(mean.argmax(-1), labels)])
    assert metrics["test"]["accuracy"] == pytest.approx(expected)
    for folder in members:
        assert metrics["members"][folder] == pytest.approx(
            json.loads(open(os.path.join(folder, "metrics.json")).read())["test"]
        )
    assert runner.evaluate(config["output"], str(tmp_path / "test.tsv")) == pytest.approx(
        metrics["test"]
    )

    # A finished model is not replaced without --overwrite, before anything trains.
    with pytest.raises(FileExistsError, match="--overwrite"):
        runner.train(config, verbose=0)
    # Stopped after its members: the rerun keeps them and writes the average.
    stamps = [os.path.getmtime(os.path.join(f, "model.keras")) for f in members]
    shutil.rmtree(config["output"])
    again = runner.train(config, verbose=0)
    assert again["test"] == pytest.approx(metrics["test"])
    assert [os.path.getmtime(os.path.join(f, "model.keras")) for f in members] == stamps


def test_a_few_series_train_five_models_resolved_from_the_data(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="rnn_keras")
    task_data.ucr_tsv(tmp_path / "train.tsv", 24, seed=0, length=16)
    task_data.ucr_tsv(tmp_path / "test.tsv", 10, seed=1, length=16)
    config = {"task": "classify", "data": str(tmp_path / "train.tsv"),
              "test": str(tmp_path / "test.tsv"), "output": str(tmp_path / "model"),
              "units": 4, "conv_filters": 4, "epochs": 1}
    metrics = runner.train(config, verbose=0)
    # The resolved options are logged once, by the run that resolved `seeds`.
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("seeds=5: ")]
    assert len(logged) == 1
    assert sum(r.getMessage().startswith("valid_fraction=0") for r in caplog.records) == 1

    members = [str(tmp_path / "model-members" / f"seed-{seed}") for seed in range(5)]
    assert sorted(metrics["members"]) == members
    saved = json.loads((tmp_path / "model" / "task.json").read_text())
    assert saved["resolved"]["seeds"]["value"] == 5
    assert "five models averaged" in saved["resolved"]["seeds"]["reason"]
    assert saved["resolved"]["valid_fraction"]["value"] == 0  # every option resolved
    for folder in members:  # each member one model, its other options resolved alike
        member = json.loads(open(os.path.join(folder, "task.json")).read())
        assert member["config"]["seeds"] == 1 and "seeds" not in member["resolved"]
        assert member["resolved"]["valid_fraction"]["value"] == 0


def test_seeds_given_or_fixed_read_no_data(tmp_path):
    # Nothing to resolve: the data (absent here) are not read before training.
    config = {"task": "classify", "data": str(tmp_path / "absent.tsv"),
              "output": str(tmp_path / "model")}
    for options in ({"seeds": 1}, {"seeds": 2}, {"defaults": "fixed"}):
        task = runner.configure({**config, **options})
        assert resolve_seeds(task, {**config, **options}) is task
    # Members cannot train under `multi_worker`: one model, and the rules leave `seeds` alone.
    workers = {**config, "strategy": "multi_worker"}
    task = runner.configure(workers)
    assert resolve_seeds(task, workers) is task and "seeds" in task.config.given
    # A time limit given for the run bounds one model, not three.
    limited = {**config, "max_minutes": 5}
    task = runner.configure(limited)
    assert resolve_seeds(task, limited) is task and "seeds" in task.config.given
    task = runner.configure({**config, "task": "tag"})  # tag rules never average
    assert resolve_seeds(task, {**config, "task": "tag"}) is task
    # Read, but text classifiers train one model.
    task_data.classification_tsv(tmp_path / "text.tsv", 40, seed=0)
    text = {**config, "data": str(tmp_path / "text.tsv")}
    task = runner.configure(text)
    assert resolve_seeds(task, text) is task and task.config.seeds == 1


def test_members_of_other_options_are_named(tmp_path):
    task_data.classification_tsv(tmp_path / "train.tsv", 60, seed=0)
    task_data.classification_tsv(tmp_path / "test.tsv", 20, seed=1)
    config = _config(tmp_path, epochs=1)
    runner.train({**config, "output": str(tmp_path / "model-members" / "seed-3"),
                  "split_seed": 3}, verbose=0)
    with pytest.raises(ResumeMismatch, match=r"seed-3 holds a member .*units: 8 -> 16"):
        runner.train({**config, "seeds": 2, "units": 16}, verbose=0)
    assert not os.path.exists(tmp_path / "model-members" / "seed-4")


def test_split_seed_carves_the_same_split_whatever_the_seed(tmp_path):
    task_data.classification_tsv(tmp_path / "train.tsv", 120, seed=0)
    task_data.classification_tsv(tmp_path / "test.tsv", 20, seed=1)

    def validation(**options):
        task = runner.configure(_config(tmp_path, **options))
        splits, _ = load_splits(task)
        return list(splits["validation"][0])

    assert validation(seed=4, split_seed=3) == validation(seed=3)
    assert validation(seed=4) != validation(seed=3)


@pytest.mark.parametrize(
    "options, words",
    [({"task": "seq2seq"}, "seq2seq models cannot be averaged"),
     ({"task": "tag", "crf": True}, "CRF taggers"),
     ({"strategy": "multi_worker"}, "multi_worker")],
)
def test_seeds_are_refused_where_models_cannot_be_averaged(tmp_path, options, words):
    with pytest.raises(ConfigError, match=f"seeds.*{words}"):
        runner.train(_config(tmp_path, seeds=2, **options), verbose=0)
    assert not os.path.exists(tmp_path / "model-members")
