"""ONNX exports (the `onnx` extra): same outputs in onnxruntime as the Keras model."""

import os

import numpy as np
import pytest
import tensorflow as tf

from export_cases import numeric_inputs
from rnn_keras import tasks
from rnn_keras.export import export_onnx
from rnn_keras.export.numeric import numeric_functions

pytest.importorskip("tf2onnx")
onnxruntime = pytest.importorskip("onnxruntime")


def batched(examples):
    """The two examples of different lengths as one zero-padded batch of two."""
    batch = {}
    for key in examples[0]:
        arrays = [example[key] for example in examples]
        if key.startswith("state_") or key == "token":
            batch[key] = np.concatenate(arrays)
            continue
        shape = np.max([a.shape for a in arrays], axis=0)
        padded = np.zeros((len(arrays), *shape[1:]), arrays[0].dtype)
        for row, array in zip(padded, arrays):
            row[tuple(slice(0, n) for n in array.shape[1:])] = array[0]
        batch[key] = padded
    return batch


@pytest.mark.parametrize(
    "name", ["classify", "tag", "tag_crf", "seq2seq", "generate", "forecast"]
)
def test_onnx_matches_keras_model(trained, tmp_path, name):
    task, model = tasks.load(trained[name])
    path = str(tmp_path / "onnx")
    signatures = export_onnx(task, model, path)
    functions = numeric_functions(task, model)
    assert signatures == sorted(functions)
    assert sorted(os.listdir(path)) == sorted([f"{s}.onnx" for s in signatures] + ["task.json"])
    for signature, examples in numeric_inputs(task, model).items():
        session = onnxruntime.InferenceSession(os.path.join(path, f"{signature}.onnx"))
        names = [output.name for output in session.get_outputs()]
        cases = list(examples)
        if name != "forecast":  # forecast histories of different lengths do not pad
            cases.append(batched(examples))
        for inputs in cases:
            got = dict(zip(names, session.run(None, inputs)))
            expected = functions[signature](**{k: tf.constant(v) for k, v in inputs.items()})
            assert sorted(got) == sorted(expected)
            for key, value in expected.items():
                np.testing.assert_allclose(got[key], value, atol=2e-5, err_msg=f"{signature}/{key}")
