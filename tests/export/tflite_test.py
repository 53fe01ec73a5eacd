"""TFLite exports: builtin ops only, same outputs as the Keras model."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

from export_cases import numeric_inputs
from rnn_keras import tasks
from rnn_keras.export import export_tflite
from rnn_keras.export import tflite_interpreter
from rnn_keras.export.numeric import numeric_functions


@pytest.mark.parametrize(
    "name", ["classify", "tag", "tag_crf", "seq2seq", "generate", "forecast"]
)
def test_tflite_matches_keras_model(trained, tmp_path, name):
    task, model = tasks.load(trained[name])
    path = str(tmp_path / "tflite")
    signatures = export_tflite(task, model, path)
    assert sorted(os.listdir(path)) == ["model.tflite", "task.json"]
    with open(os.path.join(path, "task.json")) as f:
        assert json.load(f) == json.loads(json.dumps(task.get_config()))
    with open(os.path.join(path, "model.tflite"), "rb") as f:
        assert b"Flex" not in f.read()  # builtin ops only: no Flex delegate needed

    interpreter = tflite_interpreter(os.path.join(path, "model.tflite"))
    functions = numeric_functions(task, model)
    assert signatures == sorted(functions)
    for signature, examples in numeric_inputs(task, model).items():
        runner = interpreter.get_signature_runner(signature)
        for inputs in examples:  # two sequence lengths through one interpreter
            got = runner(**inputs)
            expected = functions[signature](**{k: tf.constant(v) for k, v in inputs.items()})
            assert sorted(got) == sorted(expected)
            for key, value in expected.items():
                np.testing.assert_allclose(got[key], value, atol=2e-5, err_msg=f"{signature}/{key}")


def test_tflite_export_never_overwrites_silently(trained, tmp_path):
    task, model = tasks.load(trained["forecast"])
    path = str(tmp_path / "tflite")
    export_tflite(task, model, path)
    with pytest.raises(FileExistsError, match="--overwrite"):
        export_tflite(task, model, path)
    export_tflite(task, model, path, overwrite=True)
    assert sorted(os.listdir(tmp_path)) == ["tflite"]  # no temporary folder left behind
