"""The search space and the per-builder hypermodels, with tiny real searches."""

import keras
import keras_tuner
import numpy as np
import pytest

from rnn_keras.tuning import ClassifierHyperModel
from rnn_keras.tuning import ForecasterHyperModel
from rnn_keras.tuning import GeneratorHyperModel
from rnn_keras.tuning import Seq2SeqHyperModel
from rnn_keras.tuning import TaggerHyperModel
from rnn_keras.tuning import search_space
from rnn_keras.tuning.space import attention_entry
from rnn_keras.tuning.space import builder_arguments


def recurrent_layer_types(model):
    names = set()
    for layer in model._flatten_layers():
        cell = getattr(layer, "cell", None)
        if isinstance(cell, keras.layers.Layer):
            names.add(type(cell).__name__)
    return names


def test_defaults_are_explicit():
    hp = keras_tuner.HyperParameters()
    values = search_space(hp, {}, token_inputs=True, bidirectional=False)
    values["attention"] = attention_entry(hp, {})
    assert values == {
        "cell": "lstm",
        "units": 64,
        "num_layers": 1,
        "dropout": 0.0,
        "learning_rate": 1e-3,
        "global_clipnorm": 1.0,
        "bidirectional": False,
        "embedding_dim": 64,
        "attention": "luong",
    }
    assert hp.get("units") == 64
    assert [c for c in hp.space if c.name == "cell"][0].values == ["vanilla", "lstm", "gru"]


def test_fixed_entries_are_recorded_not_searched():
    hp = keras_tuner.HyperParameters()
    fixed = {"cell": "gru", "global_clipnorm": None, "attention": None}
    values = search_space(hp, fixed)
    values["attention"] = attention_entry(hp, fixed)
    # Option values ("off" is 0 and "none"), which builders receive as `None`.
    assert values["cell"] == "gru" and values["global_clipnorm"] == 0.0
    assert values["attention"] == "none"
    assert builder_arguments(values)["attention"] is None
    assert builder_arguments(values)["global_clipnorm"] is None
    fixed = {c.name: c for c in hp.space if isinstance(c, keras_tuner.engine.hyperparameters.Fixed)}
    assert set(fixed) == {"cell", "global_clipnorm", "attention"}
    assert fixed["attention"].value == "none"


def test_each_builder_gets_only_its_entries():
    cases = [
        (GeneratorHyperModel(12), {"bidirectional"}, {"embedding_dim"}),
        (ForecasterHyperModel(1, horizon=2, input_length=6), {"embedding_dim", "attention"}, set()),
        (Seq2SeqHyperModel(10, 12), set(), {"attention", "embedding_dim", "bidirectional"}),
        (ClassifierHyperModel(3, num_features=2), {"embedding_dim"}, {"bidirectional"}),
        (TaggerHyperModel(4, vocab_size=20), {"attention"}, {"embedding_dim", "bidirectional"}),
    ]
    for hypermodel, absent, present in cases:
        hp = keras_tuner.HyperParameters()
        model = hypermodel.build(hp)
        assert isinstance(model, keras.Model)
        names = {c.name for c in hp.space}
        assert not absent & names, (type(hypermodel).__name__, names)
        assert present <= names, (type(hypermodel).__name__, names)
    tagger_hp = keras_tuner.HyperParameters()
    TaggerHyperModel(4, vocab_size=20).build(tagger_hp)
    assert tagger_hp.get("bidirectional") is True  # the tagger builder's default


def test_hyperparameters_reach_the_model():
    hp = keras_tuner.HyperParameters()
    hp.Fixed("cell", "gru")
    hp.Fixed("units", 16)
    hp.Fixed("num_layers", 2)
    hp.Fixed("learning_rate", 0.005)
    model = ClassifierHyperModel(2, vocab_size=30).build(hp)
    assert recurrent_layer_types(model) == {"GRUCell"}
    grus = [layer for layer in model._flatten_layers() if isinstance(layer, keras.layers.GRU)]
    assert len(grus) == 2 and all(layer.units == 16 for layer in grus)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.005)


@pytest.mark.large  # about 17 s; job_test.py's search-and-train test runs a search by default
def test_tiny_random_search_finds_a_working_classifier(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.integers(1, 10, size=(200, 6)).astype("int32")
    y = (x[:, 0] > 5).astype("int32")  # the first token decides
    tuner = keras_tuner.RandomSearch(
        ClassifierHyperModel(2, vocab_size=10, units=16, learning_rate=1e-2),
        objective="val_accuracy",
        max_trials=2,
        directory=str(tmp_path),
        project_name="search",
        seed=1,
    )
    tuner.search(x[:160], y[:160], validation_data=(x[160:], y[160:]), epochs=4, verbose=0)
    trials = tuner.oracle.trials.values()
    assert len(trials) == 2 and all(t.status == "COMPLETED" for t in trials)
    assert all(t.hyperparameters.get("units") == 16 for t in trials)  # fixed
    best = tuner.oracle.get_best_trials(1)[0]
    assert best.score == max(t.score for t in trials)
    assert best.score > 0.7


def test_nan_loss_fails_the_trial(tmp_path):
    x = np.random.default_rng(0).normal(size=(32, 6, 1)).astype("float32")
    y = np.full((32, 2, 1), np.nan, "float32")
    tuner = keras_tuner.RandomSearch(
        ForecasterHyperModel(1, horizon=2, input_length=6, units=4),
        objective="val_loss",
        max_trials=1,
        directory=str(tmp_path),
        project_name="search",
        max_consecutive_failed_trials=5,
    )
    tuner.search(x, y, validation_data=(x, y), epochs=2, verbose=0)
    (trial,) = tuner.oracle.trials.values()
    assert trial.status == "FAILED"
    assert "training diverged: loss nan" in trial.message


@pytest.mark.large  # about 30 s; weight_averaging_test.py checks the averaged model by default
def test_trials_are_scored_and_kept_with_the_weight_average(tmp_path):
    """With `ema_momentum`, a trial's objective and saved model are the averaged weights."""
    rng = np.random.default_rng(0)
    x = rng.integers(1, 10, size=(200, 6)).astype("int32")
    y = (x[:, 0] > 5).astype("int32")
    scores = {}
    for name, momentum in (("plain", None), ("averaged", 0.999)):
        fixed = {"cell": "gru", "units": 16, "num_layers": 1, "learning_rate": 2e-2}
        tuner = keras_tuner.RandomSearch(
            ClassifierHyperModel(2, vocab_size=10, ema_momentum=momentum, **fixed),
            objective="val_loss",
            max_trials=1,
            directory=str(tmp_path),
            project_name=name,
            seed=1,
        )
        tuner.search(x[:160], y[:160], validation_data=(x[160:], y[160:]), epochs=8, verbose=0)
        (trial,) = tuner.oracle.trials.values()
        scores[name] = trial.score
        (model,) = tuner.get_best_models(1)
        loss = model.evaluate(x[160:], y[160:], verbose=0, return_dict=True)["loss"]
        assert loss == pytest.approx(trial.score, rel=1e-4)
    # The last weights learn the rule; their average over ~1,000 steps (40 taken) has not.
    assert scores["plain"] < 0.3
    assert scores["averaged"] > 0.5
