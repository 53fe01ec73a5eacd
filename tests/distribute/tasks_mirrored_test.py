"""`runner.train` under `strategy="mirrored"`: the same training as one device, global batch."""

import os

import keras
import numpy as np
import pytest

import task_data
from replica_models import max_drift
from rnn_keras import runner
from rnn_keras.config import ConfigError
from rnn_keras.runner.callbacks import read_history


def train_twice(tmp_path, **config):
    """Trains on one device with batch 32 and on two replicas with batch 16 per replica.

    The one-device run is under `one_device`, not `default`: under any
    strategy, Keras draws a batch from a fresh iterator to build the model,
    which moves the datasets' reshuffling on by one epoch.
    """
    runs = {}
    for name, strategy, batch_size in (("one", "one_device", 32), ("two", "mirrored", 16)):
        output = str(tmp_path / name)
        metrics = runner.train(
            {
                "output": output,
                "seed": 0,
                "defaults": "fixed",
                "strategy": strategy,
                "batch_size": batch_size,
                "epochs": 3,
                "units": 8,
                "learning_rate": 1e-2,
                "global_clipnorm": 1.0,
                **config,
            },
            verbose=0,
        )
        runs[name] = (metrics, output)
    return runs


# Adam (the tasks' optimizer) divides each step by sqrt(v) + 1e-7: where a
# gradient is ~1e-9, the float noise of summing two half-batch gradients
# instead of one batch (~1e-7 relative) changes that weight's step by up to
# ~lr * 1e-2 = 1e-4. Typical drift here is 1e-7; 1e-4 was seen once in CI.
# (The unit tests in even_batches_test.py hold 1e-5 on a smaller model.)
WEIGHT_TOLERANCE = 1e-3


def assert_same_validation_loss(one, two):
    """Validation losses agree up to Keras's count of padding rows.

    Keras averages the epoch's loss over batches weighted by their rows,
    padding rows included, so batches that `even_batches` padded weigh a
    little more under two replicas (weights and gradients are exact).
    """
    np.testing.assert_allclose(one["val_loss"], two["val_loss"], rtol=2e-2)


def histories_and_models(runs):
    return [
        (
            read_history(os.path.join(output, "history.csv")),
            keras.models.load_model(os.path.join(output, "model.keras")),
        )
        for _, output in runs.values()
    ]


@pytest.mark.large  # about 100 s; even_batches_test.py checks two replicas = one device by default
def test_classify_matches_one_device(tmp_path):
    # 301 lines: 271 training examples after the validation split, bucketed
    # by length, so several batches do not split evenly over two replicas.
    task_data.classification_tsv(tmp_path / "train.tsv", 301, seed=0)
    task_data.classification_tsv(tmp_path / "test.tsv", 41, seed=1)
    runs = train_twice(
        tmp_path,
        task="classify",
        cell="vanilla",  # the fused recurrence with its own gradient, on two replicas
        data=str(tmp_path / "train.tsv"),
        test=str(tmp_path / "test.tsv"),
    )
    (one_history, one_model), (two_history, two_model) = histories_and_models(runs)
    assert max_drift(one_model, two_model) < WEIGHT_TOLERANCE
    assert_same_validation_loss(one_history, two_history)
    assert one_history["val_loss"][-1] < one_history["val_loss"][0]  # it did learn
    one, two = runs["one"][0]["test"], runs["two"][0]["test"]
    assert two["accuracy"] == pytest.approx(one["accuracy"], abs=1e-6)
    # The model trained under the strategy predicts outside it, as the other does.
    texts = ["the good film", "a bad plot", "music"]
    expected = runner.predict(runs["one"][1], texts)
    results = runner.predict(runs["two"][1], texts)
    assert [r["label"] for r in results] == [r["label"] for r in expected]
    np.testing.assert_allclose(
        [r["probability"] for r in results], [r["probability"] for r in expected], atol=1e-3
    )


@pytest.mark.large  # the averaging itself is tested by default on one device
def test_weight_averaging_matches_one_device(tmp_path):
    """`ema_momentum` under two replicas: the swapped-in average is the one device's."""
    task_data.classification_tsv(tmp_path / "train.tsv", 301, seed=0)
    runs = train_twice(
        tmp_path, task="classify", data=str(tmp_path / "train.tsv"), ema_momentum=0.9
    )
    (one_history, one_model), (two_history, two_model) = histories_and_models(runs)
    assert one_model.optimizer.use_ema and two_model.optimizer.use_ema
    assert max_drift(one_model, two_model) < WEIGHT_TOLERANCE
    assert_same_validation_loss(one_history, two_history)


@pytest.mark.large  # about 35 s; the masked-step weighting is also unit-tested by default
def test_tag_with_weights_and_entity_metrics_matches_one_device(tmp_path):
    task_data.conll(tmp_path / "train.conll", 151, seed=0)
    runs = train_twice(tmp_path, task="tag", cell="lstm", data=str(tmp_path / "train.conll"))
    (one_history, one_model), (two_history, two_model) = histories_and_models(runs)
    assert max_drift(one_model, two_model) < WEIGHT_TOLERANCE
    assert_same_validation_loss(one_history, two_history)
    one, two = runs["one"][0]["validation"], runs["two"][0]["validation"]
    assert two["entity_f1"] == pytest.approx(one["entity_f1"], abs=1e-6)


def test_the_log_states_the_global_batch(tmp_path, caplog):
    task_data.classification_tsv(tmp_path / "train.tsv", 41, seed=0)
    config = {"task": "classify", "data": str(tmp_path / "train.tsv"), "strategy": "mirrored",
              "batch_size": 8}
    with caplog.at_level("INFO"):
        prepared = runner.prepare(config)
    assert "MirroredStrategy over 2 replicas: global batch 16" in caplog.text
    assert prepared.task.replicas == 2


def test_unknown_strategy_is_rejected_before_training(tmp_path):
    task_data.classification_tsv(tmp_path / "train.tsv", 41, seed=0)
    with pytest.raises(ConfigError, match="`strategy`"):
        runner.train(
            {
                "task": "classify",
                "data": str(tmp_path / "train.tsv"),
                "output": str(tmp_path / "model"),
                "strategy": "mirror",
            },
            verbose=0,
        )


@pytest.mark.large  # about 35 s; static_batches_test.py checks the same numerics by default
def test_static_shapes_on_two_replicas_train_as_variable_batches_on_one_device(tmp_path):
    """`static_shapes` (on by default under a TPU): full batches, power-of-two lengths."""
    task_data.conll(tmp_path / "train.conll", 61, seed=0)
    runs = {}
    for name, strategy, batch_size, static in (
        ("one", "one_device", 32, False),
        ("two", "mirrored", 16, True),
    ):
        output = str(tmp_path / name)
        config = {"task": "tag", "data": str(tmp_path / "train.conll"), "output": output,
                  "strategy": strategy, "batch_size": batch_size, "static_shapes": static,
                  "epochs": 2, "units": 8, "learning_rate": 1e-2,
                  # Without the data's defaults (dropout, word dropout): random masks
                  # are drawn per replica, so two replicas could not match one device.
                  "defaults": "fixed"}
        runs[name] = (runner.train(config, verbose=0), output)
    (_, one_model), (_, two_model) = histories_and_models(runs)
    assert max_drift(one_model, two_model) < WEIGHT_TOLERANCE
    one, two = runs["one"][0]["validation"], runs["two"][0]["validation"]
    assert two["entity_f1"] == pytest.approx(one["entity_f1"], abs=1e-6)


@pytest.mark.parametrize("task", ["seq2seq", "generate", "tag", "forecast"])
def test_tasks_of_per_step_losses_train_on_static_shapes_on_one_device(tmp_path, task):
    # Their losses are `(batch, steps)` (a forecast's `(batch, horizon, quantiles)`): the
    # static batches' weights must take that shape (one device has no `even_batches` to
    # make them so; a `(batch,)` weight raised, as did a forecast's given weights).
    data = tmp_path / "data.txt"
    config = {"task": task, "data": str(data), "static_shapes": True, "batch_size": 8,
              "epochs": 1, "units": 4, "defaults": "fixed", "output": str(tmp_path / "m")}
    if task == "seq2seq":
        task_data.reversal_tsv(data, 40, seed=0)
    elif task == "forecast":
        data = data.with_suffix(".csv")
        config.update(data=str(data), column="value", seeds=1)
        task_data.seasonal_csv(data)
    elif task == "generate":
        task_data.cyclic_text(data, repeats=30)
        config["sequence_length"] = 12
    else:
        task_data.conll(data, 30, seed=0)
        config["crf"] = False  # a softmax per step (a CRF's loss is per sentence)
    metrics = runner.train(config, verbose=0)
    assert np.isfinite(read_history(str(tmp_path / "m" / "history.csv"))["loss"]).all()
    assert metrics["epochs"] == 1


@pytest.mark.parametrize("static, strategy", [(True, "default"), (None, "mirrored")])
def test_static_shapes_reach_the_training_data(tmp_path, static, strategy):
    task_data.conll(tmp_path / "train.conll", 61, seed=0)
    config = {"task": "tag", "data": str(tmp_path / "train.conll"), "batch_size": 8,
              "static_shapes": static, "strategy": strategy}
    prepared = runner.prepare(config)
    shapes = {tuple(inputs["tokens"].shape) for inputs, _, _ in prepared.train_data}
    if static:
        assert {rows for rows, _ in shapes} == {8} and {t for _, t in shapes} <= {8, 16, 32}
    else:  # `None`: static only under a TPU strategy
        assert len({rows for rows, _ in shapes}) > 1 or len(shapes) > 3
