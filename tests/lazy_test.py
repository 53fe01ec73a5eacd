"""Lazy package namespaces (`rnn_keras.lazy`) and TensorFlow's quiet start (`rnn_keras.quiet`)."""

import os
import subprocess
import sys
import types

import pytest

from rnn_keras import lazy


def test_attach_imports_members_and_submodules_on_first_use():
    getattr_, dir_, names = lazy.attach(
        "rnn_keras", submodules=("files",), members={"read_json": "rnn_keras.files.atomic"}
    )
    from rnn_keras.files import atomic

    assert names == ["files", "read_json"] == dir_()
    assert getattr_("read_json") is atomic.read_json
    assert isinstance(getattr_("files"), types.ModuleType)
    with pytest.raises(AttributeError, match="'rnn_keras' has no attribute 'nothing'"):
        getattr_("nothing")


def test_public_names_stay_reachable():
    import rnn_keras
    from rnn_keras import tasks
    from rnn_keras import tuning

    assert rnn_keras.layers.LSTM.__name__ == "LSTM"
    assert tasks.ClassifyTask.config_class is tasks.ClassifyConfig
    assert tasks.classify.ClassifyTask is tasks.ClassifyTask
    assert set(tasks.CONFIGS) == set(tasks.TASKS)
    assert tuning.TuningConfig.__name__ == "TuningConfig"
    for package in (rnn_keras, tasks, tuning):
        for name in package.__all__:
            assert getattr(package, name) is not None, (package.__name__, name)


def test_tensorflow_starts_quietly_through_the_package():
    """Its start-up lines (absl's pre-init warning, CUDA stubs, cuInit) are held back."""
    unset = ("TF_CPP_MIN_LOG_LEVEL", "RNN_KERAS_VERBOSE")
    env = {key: value for key, value in os.environ.items() if key not in unset}
    script = "import rnn_keras.layers\nimport tensorflow as tf\nprint(int(tf.constant(1) + 1))\n"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"
    assert result.stderr == ""


def test_importing_the_package_registers_its_keras_objects():
    """`import rnn_keras` then `keras.models.load_model` works (a fresh process)."""
    script = (
        "import rnn_keras, keras\n"
        "print(keras.saving.get_registered_object('rnn_keras>RecurrentBlock') is not None)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "True"
