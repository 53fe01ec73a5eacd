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


def _setup_cfg():
    import configparser

    parser = configparser.ConfigParser()
    parser.read(os.path.join(os.path.dirname(__file__), "..", "setup.cfg"))
    return parser


def _requirements(text):
    lines = (line.split("#")[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


# Distributions that hold the module `tensorflow` too.
SECOND_TENSORFLOWS = ("tensorflow-tpu", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-intel")


def test_no_extra_installs_a_second_tensorflow():
    """`tensorflow-tpu`, `tensorflow-cpu` hold the `tensorflow` module: one overwrites the other."""
    for extra, text in _setup_cfg()["options.extras_require"].items():
        for requirement in _requirements(text):
            name = requirement.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip()
            assert name not in SECOND_TENSORFLOWS, (extra, requirement)
