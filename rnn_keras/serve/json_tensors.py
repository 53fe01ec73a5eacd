"""Predict requests and answers in TensorFlow Serving's JSON: rows or columns.

A request holds `"instances"`, a list of rows (values, or objects keyed by
input name when a signature has several inputs), answered with
`"predictions"` (a list of values for one output, else of objects keyed by
output name); or `"inputs"`, a value or an object keyed by input name,
answered with `"outputs"` in the same form. Strings are UTF-8 text (or
`{"b64": ...}` for bytes, which outputs named `*_bytes` are answered with);
numbers are JSON numbers, `NaN` and `Infinity` included.

A scalar input (`beam_width`) is one value for all rows: in the columnar
form it is given once, in the row form every instance repeats it.
"""

import base64
import binascii

import numpy as np
import tensorflow as tf
from tensorflow.core.framework import types_pb2

from rnn_keras.serve.request_error import RequestError

DEFAULT_SIGNATURE = "serving_default"
REQUEST_KEYS = ("signature_name", "instances", "inputs")
_KINDS = {
    "U": "strings",
    "b": "booleans",
    "i": "whole numbers",
    "u": "whole numbers",
    "f": "decimal numbers",
    "O": "nulls, objects or mixed values",
}


def signature_name(body):
    """The signature a predict request's JSON `body` names (default `serving_default`).

    Raises:
        RequestError: 400, `body` is not an object with exactly one of
            `instances` and `inputs`, has other keys, or a signature name
            that is not a string.
    """
    if not isinstance(body, dict):
        raise RequestError(
            400, f"The request body must be a JSON object with `instances` or `inputs`, "
            f"got a JSON {_json_type(body)}"
        )
    unknown = sorted(set(body) - set(REQUEST_KEYS))
    if unknown:
        raise RequestError(
            400, f"Unknown key(s) {', '.join(map(repr, unknown))} in the request body; expected "
            "`instances` (rows) or `inputs` (columns), and optionally `signature_name`"
        )
    if ("instances" in body) == ("inputs" in body):
        which = "both" if "inputs" in body else "neither"
        raise RequestError(
            400, "The request body must hold exactly one of `instances` (rows) and `inputs` "
            f"(columns); it holds {which}"
        )
    name = body.get("signature_name", DEFAULT_SIGNATURE)
    if not isinstance(name, str):
        raise RequestError(400, f"`signature_name` must be a string, got a JSON {_json_type(name)}")
    return name or DEFAULT_SIGNATURE


def request_inputs(signature, body):
    """The inputs of `signature` that a predict request's JSON `body` gives.

    Args:
        signature: a `ServedSignature`.
        body: the parsed JSON body (checked by `signature_name`).

    Returns:
        `(inputs, rows)`: `dict` from input name to a NumPy array of the
        input's dtype and shape, and `True` for the row format.

    Raises:
        RequestError: 400, naming the input that is missing, unknown, or of
            the wrong type or shape.
    """
    if "instances" in body:
        return _rows(signature, body["instances"]), True
    return _columns(signature, body["inputs"]), False


def predict_response(outputs, rows):
    """The JSON answer to a predict request, from its `outputs` (`dict` of NumPy arrays).

    Args:
        outputs: `dict` from output name to a NumPy array.
        rows: `bool.` The request was in the row format (`instances`).

    Returns:
        `{"predictions": ...}` for rows, `{"outputs": ...}` for columns.

    Raises:
        RequestError: 400, rows asked of outputs without a common first
            dimension.
    """
    names = sorted(outputs)
    values = {name: json_values(outputs[name], name) for name in names}
    if not rows:
        return {"outputs": values[names[0]] if len(names) == 1 else values}
    counts = {name: outputs[name].shape[0] if outputs[name].ndim else None for name in names}
    if None in counts.values() or len(set(counts.values())) != 1:
        raise RequestError(
            400, f"The outputs have no common first (batch) dimension to split into rows "
            f"({counts}); ask in the columnar format (`inputs`)"
        )
    if len(names) == 1:
        return {"predictions": values[names[0]]}
    return {
        "predictions": [
            {name: values[name][row] for name in names} for row in range(counts[names[0]])
        ]
    }


def json_values(array, name):
    """`array` as nested lists of JSON values: text for strings (base64 objects for `*_bytes`)."""
    if array.dtype == object or array.dtype.kind == "S":
        if name.endswith("_bytes"):
            return _nested(array.tolist(), lambda b: {"b64": base64.b64encode(b).decode("ascii")})
        return _nested(array.tolist(), lambda b: b.decode("utf-8", "replace"))
    if array.dtype in (np.float32, np.float16) and array.size:
        # The shortest decimal that reads back as the same float32 (0.9, not 0.899999976).
        return array.astype(str).astype(np.float64).tolist()
    return array.tolist()


def dtype_name(dtype):
    """TensorFlow Serving's name of a dtype: `DT_STRING`, `DT_FLOAT`, ..."""
    return types_pb2.DataType.Name(dtype.as_datatype_enum)


def to_array(value, spec, name):
    """The JSON `value` of input `name` as a NumPy array of `spec`'s dtype, its shape checked.

    Raises:
        RequestError: 400, a value of the wrong type, rows of different
            lengths, or a shape `spec` does not take.
    """
    dtype = spec.dtype
    if dtype == tf.string:
        strings = _strings(value, name)
        try:
            array = np.array(strings, dtype=object)
            ragged = any(isinstance(item, list) for item in array.flat)
        except ValueError:
            ragged = True
        if ragged:
            raise RequestError(400, f"Input `{name}`: lists of different lengths at one level")
    elif dtype.is_bool or dtype.is_integer or dtype.is_floating:
        try:
            array = np.asarray(value)
        except (ValueError, OverflowError):
            raise RequestError(
                400, f"Input `{name}`: lists of different lengths at one level, or numbers out "
                "of range"
            ) from None
        accepted, wanted = (
            ("b", "booleans") if dtype.is_bool
            else ("iu", "whole numbers") if dtype.is_integer
            else ("iuf", "numbers")
        )
        if array.dtype.kind not in accepted and array.size:
            raise RequestError(
                400, f"Input `{name}` takes {wanted} ({dtype_name(dtype)}), got "
                f"{_KINDS.get(array.dtype.kind, array.dtype.name)}"
            )
        if dtype.is_integer and array.size:
            limits = np.iinfo(dtype.as_numpy_dtype)
            if array.min() < limits.min or array.max() > limits.max:
                raise RequestError(
                    400, f"Input `{name}` ({dtype_name(dtype)}) takes whole numbers from "
                    f"{limits.min} to {limits.max}"
                )
        array = array.astype(dtype.as_numpy_dtype)
    else:
        raise RequestError(
            400, f"Input `{name}` is {dtype_name(dtype)}, which JSON requests cannot carry"
        )
    _check_shape(array.shape, spec.shape, name)
    return array


def _rows(signature, instances):
    if not isinstance(instances, list) or not instances:
        raise RequestError(
            400, f"`instances` must be a non-empty list of rows, got "
            f"{'an empty list' if instances == [] else 'a JSON ' + _json_type(instances)}"
        )
    names = list(signature.inputs)
    if all(isinstance(row, dict) and not _is_b64(row) for row in instances):
        for index, row in enumerate(instances):
            _check_names(signature, row, f"instances[{index}]")
        columns = {name: [row[name] for row in instances] for name in names}
    else:
        columns = _lone_input(signature, instances, "each instance")
    inputs = {}
    for name, values in columns.items():
        spec = signature.inputs[name]
        if spec.shape.rank == 0:  # one value for all rows, repeated by each instance
            distinct = {repr(value) for value in values}
            if len(distinct) > 1:
                raise RequestError(
                    400, f"Input `{name}` is one value for all rows (a scalar): give the same "
                    f"in every instance, got {', '.join(sorted(distinct))}"
                )
            values = values[0]
        inputs[name] = to_array(values, spec, name)
    return inputs


def _columns(signature, values):
    if isinstance(values, dict) and not _is_b64(values):
        _check_names(signature, values, "`inputs`")
    else:
        values = _lone_input(signature, values, "`inputs`")
    return {
        name: to_array(values[name], signature.inputs[name], name) for name in signature.inputs
    }


def _lone_input(signature, values, give):
    """`{name: values}` for a signature of one input; a 400 naming its inputs otherwise."""
    names = list(signature.inputs)
    if len(names) != 1:
        raise RequestError(
            400, f"Signature `{signature.name}` takes several inputs ({', '.join(names)}): "
            f"give {give} as an object keyed by input name"
        )
    return {names[0]: values}


def _check_names(signature, given, where):
    missing = [name for name in signature.inputs if name not in given]
    unknown = sorted(name for name in given if name not in signature.inputs)
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"lacks input(s) {', '.join(map(repr, missing))}")
        if unknown:
            problems.append(f"has unknown input(s) {', '.join(map(repr, unknown))}")
        raise RequestError(
            400, f"{where} {' and '.join(problems)}; signature `{signature.name}` takes "
            f"{', '.join(signature.inputs)}"
        )


def _check_shape(shape, expected, name):
    if expected.rank is None:
        return
    dims = expected.as_list()
    if len(shape) != len(dims) or any(d is not None and d != s for d, s in zip(dims, shape)):
        wanted = [-1 if d is None else d for d in dims]
        raise RequestError(
            400, f"Input `{name}` takes shape {wanted} (-1: any size), got shape {list(shape)}"
        )


def _strings(value, name):
    """Nested lists of `bytes` from nested lists of strings and `{"b64": ...}` objects."""
    if isinstance(value, list):
        return [_strings(item, name) for item in value]
    if isinstance(value, str):
        return value.encode("utf-8")
    if _is_b64(value):
        try:
            return base64.b64decode(value["b64"], validate=True)
        except (binascii.Error, ValueError):
            raise RequestError(400, f"Input `{name}`: {value['b64']!r:.40} is not base64") from None
    raise RequestError(
        400, f"Input `{name}` takes strings (DT_STRING), got a JSON {_json_type(value)}"
    )


def _is_b64(value):
    return isinstance(value, dict) and set(value) == {"b64"} and isinstance(value["b64"], str)


def _nested(values, convert):
    if isinstance(values, list):
        return [_nested(value, convert) for value in values]
    return convert(values)


def _json_type(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "array", str: "string", type(None): "null"}.get(
        type(value), type(value).__name__
    )
