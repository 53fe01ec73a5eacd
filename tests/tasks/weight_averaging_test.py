"""`ema_momentum` through `rnn_keras.tasks.train`: validation, checkpoint and model use the average."""

import os

import numpy as np

import task_data
from rnn_keras import runner
from rnn_keras.data import load_examples
from rnn_keras.runner.callbacks import read_history

SEED = int(os.environ.get("RNN_KERAS_TEST_SEED", "1337"))


def validation_loss(output, path):
    task, model = runner.load(output)
    dataset = task.dataset(load_examples(task, path), training=False)
    return model.evaluate(dataset, verbose=0, return_dict=True)["loss"]


def test_validation_and_saved_model_use_the_weight_average(tmp_path):
    task_data.classification_tsv(tmp_path / "train.tsv", 600, seed=0)
    task_data.classification_tsv(tmp_path / "valid.tsv", 200, seed=1)
    config = {
        "task": "classify",
        "data": str(tmp_path / "train.tsv"),
        "valid": str(tmp_path / "valid.tsv"),
        "defaults": "fixed",
        "units": 16,
        "epochs": 4,
        "patience": 10,
        "learning_rate": 1e-2,
        "monitor": "val_loss",
        "seed": SEED,
    }
    losses = {}
    for name, momentum in (("plain", None), ("averaged", 0.999)):
        output = str(tmp_path / name)
        runner.train({**config, "output": output, "ema_momentum": momentum}, verbose=0)
        history = read_history(os.path.join(output, "history.csv"))
        losses[name] = history["val_loss"]
        # The saved model is the weights validation scored at the best epoch.
        np.testing.assert_allclose(
            validation_loss(output, config["valid"]), min(history["val_loss"]), rtol=1e-4
        )
    # The last weights learn the task within 4 epochs; their average over about
    # the last 1,000 steps (76 were taken) stays near the first step's weights.
    assert min(losses["plain"]) < 0.3
    assert min(losses["averaged"]) > 0.5
