"""TensorFlow Serving's JSON for predict requests and answers, without a model."""

import base64
import math
import types

import numpy as np
import pytest
import tensorflow as tf

from rnn_keras.serve import RequestError
from rnn_keras.serve.json_tensors import predict_response
from rnn_keras.serve.json_tensors import request_inputs
from rnn_keras.serve.json_tensors import signature_name

SIGNATURE = types.SimpleNamespace(
    name="serving_default",
    inputs={
        "flag": tf.TensorSpec((), tf.bool),
        "ids": tf.TensorSpec((None, 3), tf.int32),
        "text": tf.TensorSpec((None,), tf.string),
    },
)


def test_rows_and_columns_give_the_same_arrays():
    binary = {"b64": base64.b64encode(b"\xff\x00").decode()}
    rows = {
        "instances": [
            {"flag": True, "ids": [1, 2, 3], "text": "héllo"},
            {"flag": True, "ids": [4, 5, 6], "text": binary},
        ]
    }
    inputs, is_rows = request_inputs(SIGNATURE, rows)
    assert is_rows
    assert inputs["flag"].shape == () and inputs["flag"].dtype == np.bool_
    assert inputs["ids"].dtype == np.int32 and inputs["ids"].tolist() == [[1, 2, 3], [4, 5, 6]]
    assert inputs["text"].tolist() == ["héllo".encode(), b"\xff\x00"]
    columns = {
        "inputs": {
            "flag": True,
            "ids": [[1, 2, 3], [4, 5, 6]],
            "text": ["héllo", binary],
        }
    }
    same, is_rows = request_inputs(SIGNATURE, columns)
    assert not is_rows
    for key, value in inputs.items():
        np.testing.assert_array_equal(same[key], value)


@pytest.mark.parametrize(
    "inputs,message",
    [
        ({"flag": 1, "ids": [[1, 2, 3]], "text": ["a"]}, "`flag` takes booleans"),
        ({"flag": True, "ids": [[1, 2, 2**40]], "text": ["a"]}, "from -2147483648 to 2147483647"),
        ({"flag": True, "ids": [[1, 2]], "text": ["a"]}, "takes shape [-1, 3]"),
        ({"flag": True, "ids": [[1, 2, 3]], "text": [{"b64": "%%"}]}, "is not base64"),
        ({"flag": True, "ids": [[1, 2, 3]], "text": [None]}, "got a JSON null"),
        ({"flag": True, "ids": [[1, None, 3]], "text": ["a"]}, "got nulls, objects or mixed"),
    ],
)
def test_wrong_values_are_named(inputs, message):
    with pytest.raises(RequestError, match=message.replace("[", r"\[")) as info:
        request_inputs(SIGNATURE, {"inputs": inputs})
    assert info.value.status == 400


def test_the_request_body_is_checked():
    assert signature_name({"instances": [1]}) == "serving_default"
    assert signature_name({"inputs": [1], "signature_name": ""}) == "serving_default"
    assert signature_name({"inputs": [1], "signature_name": "beam_search"}) == "beam_search"
    with pytest.raises(RequestError, match="must be a string"):
        signature_name({"inputs": [1], "signature_name": 3})


def test_answers_in_rows_and_columns():
    outputs = {
        "label": np.array([b"pos", b"n\xc3\xa9g"], dtype=object),
        "score": np.array([0.1, float("nan")], np.float32),
        "raw_bytes": np.array([b"\xff", b""], dtype=object),
    }
    rows = predict_response(outputs, rows=True)["predictions"]
    assert rows[0] == {"label": "pos", "score": 0.1, "raw_bytes": {"b64": "/w=="}}
    assert rows[1]["label"] == "nég" and math.isnan(rows[1]["score"])
    columns = predict_response(outputs, rows=False)["outputs"]
    assert columns["label"] == ["pos", "nég"] and columns["raw_bytes"][1] == {"b64": ""}
    # One output: its values alone.
    assert predict_response({"y": np.array([1, 2])}, rows=True) == {"predictions": [1, 2]}
    assert predict_response({"y": np.array([1, 2])}, rows=False) == {"outputs": [1, 2]}
    with pytest.raises(RequestError, match="no common first"):
        predict_response({"y": np.array([1, 2]), "z": np.array(3)}, rows=True)
