"""Exports load in a fresh process: the SavedModel without rnn_keras, `.keras` with it.

One subprocess checks all of it, in an order that keeps each check honest:
first with `rnn_keras` unimportable (the SavedModels serve; a `.keras`
file fails with Keras's own error naming the missing class), then with it
imported (every `.keras` file loads in safe mode and predicts as here).
"""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from rnn_keras import runner

NAMES = [
    "classify", "classify_series", "tag", "tag_crf", "seq2seq", "generate", "forecast",
    "forecast_features",
]

SCRIPT = textwrap.dedent(
    """
    import json
    import sys
    sys.modules["rnn_keras"] = None  # as if rnn_keras were not installed
    import numpy as np
    import tensorflow as tf
    import keras

    plan = json.load(open(sys.argv[1]))
    report = {"served": [], "keras": {}}
    loaded = {}
    for export, signature, arguments in plan["calls"]:
        if export not in loaded:
            loaded[export] = tf.saved_model.load(export)
        function = loaded[export].signatures[signature]
        inputs = {k: tf.constant(v, function.structured_input_signature[1][k].dtype)
                  for k, v in arguments.items()}
        outputs = function(**inputs)
        report["served"].append({k: np.asarray(v).tolist() if v.dtype != tf.string
                                 else np.char.decode(np.asarray(v).astype(bytes)).tolist()
                                 for k, v in outputs.items()})
    try:
        keras.models.load_model(plan["keras"][0][0], safe_mode=True)
        report["without"] = "loaded"
    except Exception as error:
        report["without"] = str(error)

    del sys.modules["rnn_keras"]
    import rnn_keras  # registers the layers: no custom_objects needed
    for model_path, inputs_path, outputs_path in plan["keras"]:
        model = keras.models.load_model(model_path, safe_mode=True)
        inputs = dict(np.load(inputs_path))
        outputs = model.predict(inputs if len(inputs) > 1 else inputs.popitem()[1], verbose=0)
        np.save(outputs_path, outputs)
    json.dump(report, open(sys.argv[2], "w"))
    """
)


def model_inputs(model, rng):
    """Random inputs for every input of a Keras model: small ids (1-3) or normal floats."""
    inputs = {}
    for tensor in model.inputs:
        shape = [2] + [dim or 6 for dim in tensor.shape[1:]]
        if "int" in str(tensor.dtype):
            # Ids within every embedding's rows (three series: ids 0-3).
            inputs[tensor.name] = rng.integers(1, 4, size=shape).astype("int32")
        else:
            inputs[tensor.name] = rng.normal(size=shape).astype("float32")
    return inputs


def saved_model_calls(task, model, folder):
    """`[((signature, inputs), answers)]`: raw inputs and what the task answers for them."""
    name = task.name
    if name == "classify" and task.series:
        series = np.random.default_rng(0).normal(size=(3, 30)).astype("float32")
        labels = [p["label"] for p in task.predict(model, [" ".join(map(str, r)) for r in series])]
        return [(("serving_default", {"series": series.tolist()}), {"label": labels})]
    if name == "classify":
        texts = [["the film was good"], ["never good", "a plot seen before and never again", ""]]
        return [
            (("serving_default", {"text": t}),
             {"label": [p["label"] for p in task.predict(model, t)]})
            for t in texts
        ]
    if name == "tag":
        texts = [["Ana Silva visited Paris"], ["the plot", "Zzyzx went to Lisbon with Ana"]]
        calls = []
        for t in texts:
            tags = [p["tags"] for p in task.predict(model, t)]
            width = max(map(len, tags))
            calls.append(
                (("serving_default", {"text": t}),
                 {"tags": [r + [""] * (width - len(r)) for r in tags]})
            )
        return calls
    if name == "seq2seq":
        texts = [["a b c"], ["h g f e d", "z", "c b a d e f"]]
        calls = []
        for t in texts:
            outputs, scores = task.translate(model, t, beam_width=1)
            calls.append((("serving_default", {"text": t}), {"output": outputs, "score": scores}))
            beam = task.translate(model, t, beam_width=3)[0]
            calls.append((("beam_search", {"text": t, "beam_width": 3}), {"output": beam}))
        return calls
    if name == "generate":
        arguments = {"num_steps": 12, "temperature": 0.0, "top_k": 0, "seed": 0}
        return [
            (("serving_default", {"prompt": p, **arguments}),
             {"output": task.generate(model, p, num_steps=12, temperature=0.0)})
            for p in (["abc"], ["defg", "hij"])
        ]
    window = task.config.window
    calls = []
    for rows, length in ((1, window), (3, window + 9)):
        history = np.linspace(100, 200, rows * length, dtype="float32").reshape(rows, length)
        lines = [" ".join(map(str, h)) for h in history]
        expected = [p["forecast"] for p in task.predict(model, lines)]
        calls.append((("serving_default", {"history": history.tolist()}), {"forecast": expected}))
    if task.feature_names:
        # Each series of the training file by name, at the month after its end.
        data_file = os.path.join(os.path.dirname(folder), "forecast_long.csv")
        named = task.predict_series(model, data_file)
        collection = task.read_file(data_file).series
        arguments = {
            "history": [list(map(float, v[-window:])) for v in collection.values],
            "series": list(collection.names),
            "calendar": [(start.month - 1 + len(v)) % 12
                         for start, v in zip(collection.starts, collection.values)],
        }
        calls.append((("with_features", arguments), {"forecast": [r["forecast"] for r in named]}))
    return calls


def test_exports_load_in_a_fresh_process(trained, tmp_path):
    calls, answers, keras_files, expected = [], [], [], {}
    for name in NAMES:
        task, model = runner.load(trained[name])
        export = os.path.join(trained[name], "1")  # `train` exported it
        for (signature, arguments), answer in saved_model_calls(task, model, trained[name]):
            calls.append((export, signature, arguments))
            answers.append(answer)
        inputs = model_inputs(model, np.random.default_rng(0))
        expected[name] = model.predict(
            inputs if len(inputs) > 1 else next(iter(inputs.values())), verbose=0
        )
        np.savez(tmp_path / f"{name}.npz", **inputs)
        keras_files.append(
            [os.path.join(trained[name], "model.keras"), str(tmp_path / f"{name}.npz"),
             str(tmp_path / f"{name}.npy")]
        )
    (tmp_path / "plan.json").write_text(json.dumps({"calls": calls, "keras": keras_files}))
    (tmp_path / "script.py").write_text(SCRIPT)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, "script.py", "plan.json", "report.json"], capture_output=True,
        text=True, timeout=300, env=env, cwd=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())

    # The SavedModels served raw inputs without rnn_keras, as the tasks answer.
    assert len(report["served"]) == len(calls)
    for call, answer, got in zip(calls, answers, report["served"]):
        for key, value in answer.items():
            if np.asarray(value).dtype.kind == "U":
                assert got[key] == value, (call, key)
            else:
                np.testing.assert_allclose(
                    got[key], value, rtol=1e-5, atol=1e-4, err_msg=str((call, key))
                )
    # A `.keras` file without rnn_keras fails with Keras's error, naming the class
    # and the package it was registered under.
    assert "Could not locate class" in report["without"], report["without"]
    assert "rnn_keras>" in report["without"]
    # With rnn_keras imported, every `.keras` file loads in safe mode, same outputs.
    for name, (_, _, outputs) in zip(NAMES, keras_files):
        np.testing.assert_allclose(np.load(outputs), expected[name], atol=1e-6, err_msg=name)


@pytest.mark.large  # about 12 s; the fresh-process test calls the same signatures by name
def test_saved_model_cli_lists_named_signatures(trained):
    export = os.path.join(trained["seq2seq"], "1")
    cli = os.path.join(os.path.dirname(sys.executable), "saved_model_cli")
    if not os.path.exists(cli):
        pytest.skip("saved_model_cli is not installed beside this Python")
    result = subprocess.run(
        [cli, "show", "--dir", export, "--all"], capture_output=True, text=True, timeout=300,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    shown = result.stdout
    for expected in (
        "signature_def['serving_default']",
        "signature_def['beam_search']",
        "inputs['text']",
        "inputs['beam_width']",
        "outputs['output']",
        "outputs['score']",
    ):
        assert expected in shown, expected
    assert "shape: (-1)" in shown  # variable batch size
