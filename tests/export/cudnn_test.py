"""Exports made where cuDNN is available still run on CPU-only machines (keras-team/keras#18504)."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import tensorflow as tf

from keras_gpu import pretend_gpu_is_visible
from rnn_keras import runner
from rnn_keras.export import export_saved_model


def graph_text(concrete_function):
    return str(concrete_function.graph.as_graph_def())


@pytest.mark.parametrize("name", ["classify", "tag"])  # LSTM and GRU
def test_saved_model_has_no_cudnn_ops_when_traced_with_gpu(trained, tmp_path, name, monkeypatch):
    task, model = runner.load(trained[name])
    texts = ["Ana Silva visited Paris", "the film was good"]
    key = "label" if name == "classify" else "tags"
    expected = [p[key] for p in task.predict(model, texts)]
    pretend_gpu_is_visible(monkeypatch)
    # Control: a plain trace now holds the cuDNN kernel, which CPUs lack.
    assert "CudnnRNN" in graph_text(task.serving_module(model).serve.get_concrete_function())

    export = str(tmp_path / "1")
    export_saved_model(task, model, export)
    with open(os.path.join(export, "saved_model.pb"), "rb") as f:
        assert b"CudnnRNN" not in f.read()
    result = tf.saved_model.load(export).signatures["serving_default"](text=tf.constant(texts))
    if name == "classify":
        assert [v.decode() for v in result["label"].numpy()] == expected
    else:
        assert [[t.decode() for t in row if t] for row in result["tags"].numpy()] == expected


@pytest.mark.gpu
def test_gpu_trained_lstm_export_runs_on_cpu_only_process(tmp_path):
    """On a GPU machine: train with cuDNN, export, serve with the GPU hidden."""
    import task_data

    task_data.classification_tsv(tmp_path / "train.tsv", 80, seed=0)
    output = str(tmp_path / "model")
    runner.train(
        {"task": "classify", "data": str(tmp_path / "train.tsv"), "cell": "lstm",
         "bidirectional": True, "units": 8, "epochs": 1, "output": output},
        verbose=0,
    )
    task, model = runner.load(output)
    export_saved_model(task, model, os.path.join(output, "1"))
    texts = ["the film was good", "never again"]
    expected = [p["probability"] for p in task.predict(model, texts)]
    script = textwrap.dedent(
        """
        import sys
        import tensorflow as tf
        assert not tf.config.list_physical_devices("GPU")
        served = tf.saved_model.load(sys.argv[1]).signatures["serving_default"]
        probabilities = served(text=tf.constant(sys.argv[2:]))["probability"]
        print(" ".join(str(float(p)) for p in probabilities))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, os.path.join(output, "1"), *texts],
        capture_output=True, text=True, timeout=300,
        env=dict(os.environ, CUDA_VISIBLE_DEVICES="", TF_CPP_MIN_LOG_LEVEL="3"),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    got = [float(v) for v in result.stdout.split()]
    np.testing.assert_allclose(got, expected, atol=1e-4)
