"""`train --init-from MODEL`: a run continues a model's preprocessing, options and weights."""

import json
import os

import numpy as np
import pytest

from rnn_keras import runner
from rnn_keras.config import ConfigError
from rnn_keras.tuning import tune


def _source(trained):
    folder = trained["classify"]
    return folder, os.path.join(os.path.dirname(folder), "classify.tsv")


def test_continues_the_models_vocabulary_options_and_weights(trained, tmp_path):
    source, data = _source(trained)
    source_task, source_model = runner.load(source)
    output = str(tmp_path / "continued")
    # A vanishing learning rate: the continued weights stay the source's,
    # which a newly initialised model's are not.
    runner.train(
        dict(
            task="classify", data=data, output=output, init_from=source, epochs=1,
            learning_rate=1e-12,
        ),
        sources={"init_from": "--init-from", "learning_rate": "--learning-rate"},
        verbose=0,
    )
    task, model = runner.load(output)
    assert task.state["vocabulary"] == source_task.state["vocabulary"]
    assert task.classes == source_task.classes
    for name in ("cell", "units", "bidirectional", "pooling", "tokenize", "embedding_dim"):
        assert getattr(task.config, name) == getattr(source_task.config, name), name
    assert task.config.learning_rate == 1e-12
    with open(os.path.join(output, "task.json")) as f:
        given = json.load(f)["given"]
    assert given["units"] == f"--init-from {source}"
    assert given["learning_rate"] == "--learning-rate"
    for mine, theirs in zip(model.get_weights(), source_model.get_weights()):
        np.testing.assert_allclose(mine, theirs, atol=1e-6)


def test_an_option_that_changes_the_model_is_refused(trained, tmp_path):
    source, data = _source(trained)
    units = runner.load(source)[0].config.units
    output = tmp_path / "continued"
    with pytest.raises(ConfigError, match=f"units.*is {units} in the model continued from"):
        runner.train(
            dict(task="classify", data=data, output=str(output), init_from=source,
                 units=units + 1),
            verbose=0,
        )
    assert not output.exists()


def test_another_task_or_no_model_is_refused(trained, tmp_path):
    _, data = _source(trained)
    with pytest.raises(ConfigError, match="holds a tag model, not a classify one"):
        runner.configure(
            dict(task="classify", data=data, output=str(tmp_path / "o"), init_from=trained["tag"])
        )
    with pytest.raises(ConfigError, match="init_from.*task.json: not found"):
        runner.configure(
            dict(task="classify", data=data, output=str(tmp_path / "o"),
                 init_from=str(tmp_path))
        )
    with pytest.raises(ConfigError, match="init_from.*search changes it"):
        tune(dict(task="classify", data=data, output=str(tmp_path / "o"),
                  init_from=trained["classify"]))
