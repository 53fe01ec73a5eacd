"""SavedModels hold uncompiled recurrent loops unless asked: a server meets many input shapes."""

import os

import numpy as np
import pytest
import tensorflow as tf
from tensorflow.core.protobuf import saved_model_pb2

from rnn_keras import runner
from rnn_keras.cli import main
from rnn_keras.export import export_saved_model

TEXTS = ["the film was good", "a plot never seen before and never again , sadly"]


@pytest.mark.xla_loops  # the layers compile their loops, as outside the tests
def test_saved_model_compiles_its_loops_only_when_asked(trained, tmp_path):
    task, model = runner.load(trained["classify"])  # bidirectional fused LSTM
    expected = [p["probability"] for p in task.predict(model, TEXTS)]
    for version, xla_loops in ((1, False), (2, True)):
        export = str(tmp_path / str(version))
        export_saved_model(task, model, export, xla_loops=xla_loops)
        with open(os.path.join(export, "saved_model.pb"), "rb") as f:
            assert (b"_XlaMustCompile" in f.read()) == xla_loops
        served = tf.saved_model.load(export).signatures["serving_default"]
        got = served(text=tf.constant(TEXTS))["probability"].numpy()
        np.testing.assert_allclose(got, expected, atol=1e-5)


def _loop_calls(export):
    """How many times the SavedModel's graphs call a fused forward loop."""
    saved_model = saved_model_pb2.SavedModel()
    with open(os.path.join(export, "saved_model.pb"), "rb") as f:
        saved_model.ParseFromString(f.read())
    graph = saved_model.meta_graphs[0].graph_def
    nodes = [node for f in graph.library.function for node in f.node_def] + list(graph.node)
    return sum("__inference__forward_" in node.attr["f"].func.name for node in nodes)


def test_saved_model_loops_run_the_whole_batch(trained, tmp_path, monkeypatch):
    # Splitting the batch across cores is the serving machine's business:
    # asked for three slices, the export still holds one loop per layer and
    # direction, as with one, and serves the same answers.
    task, model = runner.load(trained["classify"])  # bidirectional fused LSTM
    expected = [p["probability"] for p in task.predict(model, TEXTS)]
    loops = {}
    for parts in ("1", "3"):
        monkeypatch.setenv("RNN_KERAS_LOOP_PARTS", parts)
        export = str(tmp_path / parts)
        export_saved_model(task, model, export)
        loops[parts] = _loop_calls(export)
        served = tf.saved_model.load(export).signatures["serving_default"]
        got = served(text=tf.constant(TEXTS))["probability"].numpy()
        np.testing.assert_allclose(got, expected, atol=1e-5)
    assert loops["3"] == loops["1"] > 0


def test_xla_loops_is_refused_for_formats_without_them(trained, capsys):
    assert main(["export", trained["classify"], "--format", "tflite", "--xla-loops"]) == 2
    assert "xla_loops" in capsys.readouterr().err
