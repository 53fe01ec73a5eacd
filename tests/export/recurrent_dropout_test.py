"""Models whose LSTM or GRU layers have recurrent dropout export to every format.

Keras's recurrent layers draw their dropout masks on every call, inference
too, so each trace of such a layer reads and advances its seed generator's
state: a SavedModel must track that state, and the frozen traces of TFLite
and ONNX must each advance it in their own scope.
"""

import numpy as np
import pytest
import tensorflow as tf

import task_data
from rnn_keras import runner
from rnn_keras.export.numeric import numeric_functions
from rnn_keras.export.onnx_export import convert_onnx
from rnn_keras.export.tflite import convert_tflite


@pytest.fixture(scope="module")
def dropped(tmp_path_factory):
    """`{task: model folder}` of a forecaster and a translator (GRUs) with recurrent dropout.

    The forecaster reads a collection with series identity: two numeric
    signatures (`serving_default`, `with_features`).
    """
    root = tmp_path_factory.mktemp("recurrent_dropout")
    task_data.seasonal_long_csv(root / "forecast.csv")
    task_data.reversal_tsv(root / "seq2seq.tsv", 60, seed=0)
    folders = {}
    for task, extra in (("forecast", {"cell": "gru", "seeds": 1, "series_identity": True}),
                        ("seq2seq", {"cell": "gru"})):
        folders[task] = str(root / task)
        # The SavedModel export at the end of training raised before.
        data = root / ("forecast.csv" if task == "forecast" else "seq2seq.tsv")
        runner.train({"task": task, "data": str(data), "recurrent_dropout": 0.3, "epochs": 1,
                      "units": 4, "batch_size": 64, "output": folders[task], **extra},
                     verbose=0, export=True)
    return folders


def test_the_saved_model_serves_without_dropout_as_predict_does(dropped):
    task, model = runner.load(dropped["forecast"])
    history = (np.linspace(100, 200, 40) + np.tile([0, 9, -4, 3], 10)).astype("float32")
    expected = task.predict(model, [" ".join(map(str, history))])[0]["forecast"]
    served = tf.saved_model.load(dropped["forecast"] + "/1").signatures["serving_default"]
    for _ in range(2):  # the same answer twice: no mask is applied
        got = served(history=tf.constant(history[None]))["forecast"]
        np.testing.assert_allclose(got.numpy()[0], expected, rtol=1e-5)
    task, model = runner.load(dropped["seq2seq"])
    served = tf.saved_model.load(dropped["seq2seq"] + "/1").signatures["serving_default"]
    texts = ["a b c", "h g f"]
    decoded = [text.decode() for text in served(text=tf.constant(texts))["output"].numpy()]
    assert decoded == [row["output"] for row in task.predict(model, texts)]


def test_tflite_traces_each_signature_in_its_own_scope(dropped):
    # The forecaster has two signatures; the second trace read the first's seed update.
    task, model = runner.load(dropped["forecast"])
    flatbuffer, signatures = convert_tflite(task, model)
    assert signatures == sorted(numeric_functions(task, model)) and len(signatures) == 2
    assert flatbuffer[4:8] == b"TFL3"


def test_onnx_freezes_the_seed_state_a_decoder_loop_reads(dropped):
    pytest.importorskip("tf2onnx")
    onnxruntime = pytest.importorskip("onnxruntime")
    task, model = runner.load(dropped["seq2seq"])
    protos = convert_onnx(task, model)
    serve = numeric_functions(task, model)["serving_default"]
    source = np.array([task.source_vocabulary.encode("a b c")], np.int32)
    expected = serve(tf.constant(source))["tokens"].numpy()
    session = onnxruntime.InferenceSession(protos["serving_default"].SerializeToString())
    names = [output.name for output in session.get_outputs()]
    got = dict(zip(names, session.run(None, {session.get_inputs()[0].name: source})))
    tokens = next(value for name, value in got.items() if "tokens" in name)
    np.testing.assert_array_equal(tokens, expected)
