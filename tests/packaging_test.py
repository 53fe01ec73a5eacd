"""How the package installs: `tuning/` goes in as `rnn_keras.tuning`, never a top-level `tuning`."""

import importlib.metadata
import os

import pytest


def test_only_rnn_keras_is_a_top_level_import_name():
    distribution = importlib.metadata.distribution("rnn-keras")
    top_level = distribution.read_text("top_level.txt")
    if top_level is None:
        pytest.skip("this installation records no top_level.txt")
    assert top_level.split() == ["rnn_keras"]


def test_the_tuning_folder_is_rnn_keras_tuning():
    import rnn_keras.tuning

    folder = os.path.dirname(rnn_keras.tuning.__file__)
    assert os.path.basename(folder) == "tuning"
    assert os.path.isfile(os.path.join(os.path.dirname(folder), "setup.cfg"))  # the repo's
    assert callable(rnn_keras.tuning.tune)
