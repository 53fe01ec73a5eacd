"""Every registered task round-trips: train → evaluate → predict → every export format it offers.

The models are the session's `trained` cases (`task_cases.CASES`), trained
through `runner.train` with the SavedModel export. A task added to
`rnn_keras.tasks.TASKS` without a case, or with a piece missing (a reader,
scores, predictions, a serving module, numeric signatures), fails here.
"""

import json
import math
import os

import numpy as np
import pytest
import tensorflow as tf

import task_cases
from rnn_keras import runner
from rnn_keras.export import export_onnx
from rnn_keras.export import export_tflite
from rnn_keras.export import tflite_interpreter
from rnn_keras.export.numeric import numeric_functions
from rnn_keras.tasks import TASKS


def test_every_registered_task_has_a_case():
    assert {case["task"] for case in task_cases.CASES.values()} == set(TASKS)


def test_registry_is_the_list_of_tasks_everywhere():
    from rnn_keras.cli import build_parser
    from rnn_keras.cli import options

    train = next(
        action for action in build_parser()._subparsers._group_actions[0].choices["train"]._actions
        if action.dest == "task"
    )
    assert sorted(train.choices) == sorted(TASKS)
    # Every option of every task is a flag, with its help.
    assert set(options.task_fields()) == {
        name for task in TASKS.values() for name in task.config_class.option_names()
    }


def test_configs_are_the_tasks_configs_without_tensorflow():
    from rnn_keras.distribute import STRATEGIES
    from rnn_keras.layers.recurrent_block import CELLS
    from rnn_keras.tasks import CONFIGS
    from rnn_keras.tasks import config

    assert CONFIGS == {name: task.config_class for name, task in TASKS.items()}
    assert list(CONFIGS) == list(TASKS)
    assert config.CELLS == CELLS
    assert config.STRATEGIES == STRATEGIES


def served_predictions(task, served, lines):
    """The SavedModel's answers for raw `lines`, in `predict`'s terms."""
    function = served.signatures["serving_default"]
    if task.name in ("forecast",) or (task.name == "classify" and task.series):
        rows = [np.array(line.split(), "float32") for line in lines]
        key = "history" if task.name == "forecast" else "series"
        if task.name == "forecast":
            return [function(**{key: tf.constant(r[None])})["forecast"].numpy()[0] for r in rows]
        return [function(**{key: tf.constant(r[None])})["label"].numpy()[0].decode() for r in rows]
    if task.name == "generate":
        result = function(
            prompt=tf.constant(lines), num_steps=tf.constant(task.config.num_steps),
            temperature=tf.constant(0.0), top_k=tf.constant(0), seed=tf.constant(0),
        )
        return [v.decode() for v in result["output"].numpy()]
    result = function(text=tf.constant(lines))
    if task.name == "tag":
        return [
            [t.decode() for t in row[: len(line.split())]]
            for row, line in zip(result["tags"].numpy(), lines)
        ]
    key = "label" if task.name == "classify" else "output"
    return [v.decode() for v in result[key].numpy()]


def predicted(task, results):
    key = {"classify": "label", "tag": "tags", "forecast": "forecast"}.get(task.name, "output")
    return [r[key] for r in results]


@pytest.mark.parametrize("name", sorted(task_cases.CASES))
def test_round_trip(trained, tmp_path, name):
    folder = trained[name]
    task, model = runner.load(folder)
    assert task.name == task_cases.CASES[name]["task"]

    # evaluate: the scores of the data it was trained on, finite, as metrics.json names them.
    with open(os.path.join(folder, "metrics.json")) as f:
        metrics = json.load(f)
    data = os.path.join(os.path.dirname(folder), task_cases.CASES[name]["data"])
    scores = runner.evaluate(folder, data)
    assert set(scores) == set(metrics[metrics["scored_on"]])
    # Numbers finite; strings name how a score was computed (sacreBLEU's signatures).
    assert all(math.isfinite(v) for v in scores.values() if not isinstance(v, str))

    # predict: one result per line, from the folder as from the loaded task; a
    # blank line gets no guess.
    assert runner.predict(folder, [" "]) == [{"input": " ", "empty": True}]
    lines = task_cases.lines(task)
    if task.name == "generate":
        task.config = task.config.replace(temperature=0.0, num_steps=12)
        results = runner.predict(folder, lines, temperature=0.0, num_steps=12)
    else:
        results = runner.predict(folder, lines)
    assert [r["input"] for r in results] == lines
    expected = predicted(task, results)
    np.testing.assert_equal(predicted(task, task.predict(model, lines)), expected)

    # The SavedModel `train` exported answers raw inputs as `predict` does.
    served = tf.saved_model.load(os.path.join(folder, "1"))
    got = served_predictions(task, served, lines)
    if task.name == "forecast":
        np.testing.assert_allclose(got, expected, rtol=1e-5)
    else:
        assert got == expected

    # The numeric formats give the numeric signatures' outputs, at two lengths.
    functions = numeric_functions(task, model)
    inputs = task_cases.numeric_inputs(task, model)
    assert sorted(inputs) == sorted(functions)
    for export_format in set(task.export_formats) - {"saved_model"}:
        path = str(tmp_path / export_format)
        if export_format == "tflite":
            signatures = export_tflite(task, model, path)
            with open(os.path.join(path, "model.tflite"), "rb") as f:
                assert b"Flex" not in f.read()  # builtin ops only: no Flex delegate needed
            interpreter = tflite_interpreter(os.path.join(path, "model.tflite"))
            run = {s: interpreter.get_signature_runner(s) for s in signatures}
        else:
            onnxruntime = pytest.importorskip("onnxruntime")
            signatures = export_onnx(task, model, path)
            sessions = {
                s: onnxruntime.InferenceSession(os.path.join(path, f"{s}.onnx"))
                for s in signatures
            }
            run = {s: _onnx_runner(session) for s, session in sessions.items()}
        assert signatures == sorted(functions)
        assert sorted(os.listdir(path)) == sorted(
            ["task.json", *(["model.tflite"] if export_format == "tflite" else
                            [f"{s}.onnx" for s in signatures])]
        )
        with open(os.path.join(path, "task.json")) as f:
            assert json.load(f) == json.loads(json.dumps(task.get_config()))
        for signature, examples in inputs.items():
            cases = list(examples)
            if export_format == "onnx" and task.name != "forecast":
                cases.append(batched(examples))  # any batch size; lengths padded
            for example in cases:
                got = run[signature](**example)
                want = functions[signature](**{k: tf.constant(v) for k, v in example.items()})
                assert sorted(got) == sorted(want)
                for key, value in want.items():
                    # Forecasts in original units (~100): float32 rounding of a sum. A
                    # bound moves by `stretch` times its interval's width on each side,
                    # which carries the rounding of both quantiles that many times.
                    stretch = task.state.get("interval_stretch", 0.0)
                    bound = key in ("lower", "upper")
                    np.testing.assert_allclose(
                        got[key], value, atol=2e-5 * (1 + 2 * stretch if bound else 1),
                        rtol=1e-6, err_msg=f"{export_format} {signature}/{key}",
                    )


def batched(examples):
    """The examples of different lengths as one zero-padded batch."""
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


def _onnx_runner(session):
    names = [output.name for output in session.get_outputs()]

    def run(**inputs):
        return dict(zip(names, session.run(None, inputs)))

    return run
