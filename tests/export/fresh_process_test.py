"""Exports load in fresh processes: `.keras` with rnn_keras imported, SavedModel without it."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from rnn_keras import tasks
from rnn_keras.export import export_saved_model

NAMES = ["classify", "tag", "seq2seq", "generate", "forecast"]

KERAS_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import keras
    if sys.argv[1] == "without":
        sys.modules["rnn_keras"] = None  # as if rnn_keras were not installed
    else:
        import rnn_keras  # registers the layers: no custom_objects needed
    for model_path, folder in zip(sys.argv[2::2], sys.argv[3::2]):
        model = keras.models.load_model(model_path, safe_mode=True)
        inputs = dict(np.load(folder + "/inputs.npz"))
        outputs = model.predict(inputs if len(inputs) > 1 else inputs.popitem()[1], verbose=0)
        np.save(folder + "/outputs.npy", outputs)
    """
)

SAVED_MODEL_SCRIPT = textwrap.dedent(
    """
    import json
    import sys
    sys.modules["rnn_keras"] = None  # the export must not need rnn_keras
    try:
        import rnn_keras
        raise SystemExit("rnn_keras is importable")
    except ImportError:
        pass
    import numpy as np
    import tensorflow as tf
    calls = json.load(open(sys.argv[1]))
    loaded = {export: tf.saved_model.load(export) for export, _, _ in calls}
    results = []
    for export, signature, arguments in calls:
        function = loaded[export].signatures[signature]
        inputs = {k: tf.constant(v, function.structured_input_signature[1][k].dtype)
                  for k, v in arguments.items()}
        outputs = function(**inputs)
        results.append({k: np.asarray(v).tolist() if v.dtype != tf.string
                        else np.char.decode(np.asarray(v).astype(bytes)).tolist()
                        for k, v in outputs.items()})
    json.dump(results, open(sys.argv[2], "w"))
    """
)


def run_script(tmp_path, script, *arguments):
    path = tmp_path / "script.py"
    path.write_text(script)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [sys.executable, str(path), *arguments], capture_output=True, text=True,
        timeout=300, env=env, cwd=str(tmp_path),
    )


def model_inputs(model, rng):
    """Random inputs for every input of a Keras model: small ids or normal floats."""
    inputs = {}
    for tensor in model.inputs:
        shape = [2] + [dim or 6 for dim in tensor.shape[1:]]
        if "int" in str(tensor.dtype):
            inputs[tensor.name] = rng.integers(1, 5, size=shape).astype("int32")
        else:
            inputs[tensor.name] = rng.normal(size=shape).astype("float32")
    return inputs


def test_keras_files_load_in_fresh_process_with_safe_mode(trained, tmp_path):
    arguments, expected = [], {}
    for name in NAMES:
        _, model = tasks.load(trained[name])
        inputs = model_inputs(model, np.random.default_rng(0))
        expected[name] = model.predict(
            inputs if len(inputs) > 1 else next(iter(inputs.values())), verbose=0
        )
        (tmp_path / name).mkdir()
        np.savez(tmp_path / name / "inputs.npz", **inputs)
        arguments += [os.path.join(trained[name], "model.keras"), str(tmp_path / name)]
    result = run_script(tmp_path, KERAS_SCRIPT, "with", *arguments)
    assert result.returncode == 0, result.stderr[-3000:]
    for name in NAMES:
        np.testing.assert_allclose(
            np.load(tmp_path / name / "outputs.npy"), expected[name], atol=1e-6, err_msg=name
        )


def test_keras_file_without_rnn_keras_fails_with_keras_error(trained, tmp_path):
    np.savez(tmp_path / "inputs.npz", x=np.zeros((1, 3), "int32"))
    model_path = os.path.join(trained["classify"], "model.keras")
    result = run_script(tmp_path, KERAS_SCRIPT, "without", model_path, str(tmp_path))
    assert result.returncode != 0
    # Keras names the class it cannot find and the package it was registered under.
    assert "Could not locate class 'RecurrentBlock'" in result.stderr, result.stderr[-3000:]
    assert "rnn_keras>RecurrentBlock" in result.stderr


def saved_model_calls(name, task, model):
    """`[(signature, inputs)]` on raw inputs and the answers the task gives for them."""
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
    window = int(task.config["window"])
    calls = []
    for rows, length in ((1, window), (3, window + 9)):
        history = np.linspace(100, 200, rows * length, dtype="float32").reshape(rows, length)
        lines = [" ".join(map(str, h)) for h in history]
        expected = [p["forecast"] for p in task.predict(model, lines)]
        calls.append((("serving_default", {"history": history.tolist()}), {"forecast": expected}))
    return calls


def test_saved_models_serve_raw_inputs_in_fresh_process_without_rnn_keras(trained, tmp_path):
    calls, expected = [], []
    for name in NAMES:
        task, model = tasks.load(trained[name])
        export = str(tmp_path / name / "1")
        export_saved_model(task, model, export)
        for (signature, arguments), answers in saved_model_calls(name, task, model):
            calls.append((export, signature, arguments))
            expected.append(answers)
    with open(tmp_path / "calls.json", "w") as f:
        json.dump(calls, f)
    result = run_script(tmp_path, SAVED_MODEL_SCRIPT, "calls.json", "results.json")
    assert result.returncode == 0, result.stderr[-3000:]
    with open(tmp_path / "results.json") as f:
        results = json.load(f)
    assert len(results) == len(calls)
    for call, answers, got in zip(calls, expected, results):
        for key, value in answers.items():
            if np.asarray(value).dtype.kind == "U":
                assert got[key] == value, (call, key)
            else:
                np.testing.assert_allclose(
                    got[key], value, rtol=1e-5, atol=1e-4, err_msg=str((call, key))
                )


@pytest.mark.large  # about 12 s; the fresh-process serving test calls the same signatures by name
def test_saved_model_cli_lists_named_signatures(trained, tmp_path):
    task, model = tasks.load(trained["seq2seq"])
    export = str(tmp_path / "1")
    export_saved_model(task, model, export)
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
