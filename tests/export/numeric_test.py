"""Numeric signatures (ids and floats in) agree with the tasks' own predictions."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_keras import runner
from rnn_keras.compat import all_layers
from rnn_keras.compat import portable_copy
from rnn_keras.export import frozen_variables
from rnn_keras.export.numeric import numeric_functions
from rnn_keras.layers import VanillaRNN


def test_classify_matches_task_probabilities(trained):
    task, model = runner.load(trained["classify"])
    serve = numeric_functions(task, model)["serving_default"]
    vocabulary = task.vocabulary
    texts = ["the film was good", "never seen a plot so dull , never"]
    expected = task.probabilities(model, texts)
    for text, probabilities in zip(texts, expected):
        result = serve(tf.constant([vocabulary.encode(text)], tf.int32))
        np.testing.assert_allclose(result["probabilities"][0], probabilities, atol=1e-6)


def test_tag_matches_task_tags(trained):
    task, model = runner.load(trained["tag"])
    serve = numeric_functions(task, model)["serving_default"]
    sentences = [["Ana", "Silva", "visited", "Paris"], ["Zzyzx"]]
    inputs = task.encode_inputs(sentences)
    for i, expected in enumerate(task.tag(model, sentences)):
        probabilities = serve(
            tokens=tf.constant([inputs["tokens"][i]]),
            characters=tf.constant(inputs["characters"][i][None]),
        )["probabilities"].numpy()[0]
        probabilities[:, 0] = -1.0
        assert [task.tags[t] for t in probabilities.argmax(-1)] == expected


def test_crf_tag_signature_gives_the_task_viterbi_tags(trained):
    task, model = runner.load(trained["tag_crf"])
    serve = numeric_functions(task, model)["serving_default"]
    sentences = [["Ana", "Silva", "visited", "Paris"], ["Zzyzx"], ["the", "plot"]]
    tokens = task.encode_inputs(sentences)
    # "zzyzx" is only in the fixture's word vectors: a fixed row past the trained ones.
    assert tokens[1][0] >= model.get_layer("embedding").trainable_rows
    padded = np.zeros((3, 4), "int32")
    for row, ids in zip(padded, tokens):
        row[: len(ids)] = ids
    result = serve(tokens=tf.constant(padded))
    assert sorted(result) == ["scores", "tags"]
    np.testing.assert_allclose(result["scores"], model(padded), atol=1e-6)
    for row, words, expected in zip(result["tags"].numpy(), sentences, task.tag(model, sentences)):
        assert [task.tags[t] for t in row[: len(words)]] == expected
        assert not row[len(words) :].any()


def test_seq2seq_greedy_matches_tensor_array_decoder(trained):
    task, model = runner.load(trained["seq2seq"])
    serve = numeric_functions(task, model)["serving_default"]
    vocabulary = task.source_vocabulary
    texts = ["a b c", "h g f e d c b a", "z"]
    encoded = [vocabulary.encode(text) for text in texts]
    source = np.zeros((len(texts), max(map(len, encoded))), "int32")
    for row, ids in zip(source, encoded):
        row[: len(ids)] = ids
    result = serve(tf.constant(source))
    expected = task.inference(model).greedy(tf.constant(source))
    tokens = expected["tokens"].numpy()
    length = task.max_decode_length
    assert result["tokens"].shape == (len(texts), length)
    np.testing.assert_array_equal(result["tokens"][:, : tokens.shape[1]], tokens)
    assert not np.any(result["tokens"][:, tokens.shape[1] :])
    np.testing.assert_allclose(result["score"], expected["scores"], atol=1e-5)


def test_generate_prefix_and_step_loop_matches_greedy_generation(trained):
    task, model = runner.load(trained["generate"])
    functions = numeric_functions(task, model)
    vocabulary = task.vocabulary
    outputs = functions["prefix"](tf.constant([vocabulary.encode("abc")], tf.int32))
    picked = []
    for _ in range(12):
        token = int(np.argmax(outputs["probabilities"][0]))
        picked.append(token)
        states = {k[len("new_") :]: v for k, v in outputs.items() if k.startswith("new_")}
        outputs = functions["step"](token=tf.constant([[token]], tf.int32), **states)
    expected = task.generate(model, ["abc"], num_steps=12, temperature=0.0)[0]
    assert vocabulary.decode(picked) == expected


def test_forecast_matches_task_predict(trained):
    task, model = runner.load(trained["forecast"])
    history = (np.linspace(100, 200, 30) + np.tile([0, 9, -4, 3], 8)[:30]).astype("float32")
    line = [" ".join(map(str, history))]
    c = task.config
    network = None
    # The network's forecast alone, then combined with the seasonal naive forecast.
    for weight in (0.0, 0.35):
        task.state["seasonal_naive_weight"] = weight
        serve = numeric_functions(task, model)["serving_default"]
        expected = task.predict(model, line)[0]
        got = serve(tf.constant(history[None]))
        np.testing.assert_allclose(got["forecast"][0], expected["forecast"], rtol=1e-5)
        np.testing.assert_allclose(got["upper"][0], expected["upper"], rtol=1e-5)
        if network is None:
            network = np.asarray(expected["forecast"])
            width = np.subtract(expected["upper"], expected["lower"])
            continue
        window = history[-c.window:]
        seasonal = [window[c.window - c.season + step % c.season] for step in range(c.horizon)]
        np.testing.assert_allclose(
            expected["forecast"], 0.65 * network + 0.35 * np.array(seasonal), rtol=1e-5
        )
        # The interval moves with the forecast, as wide as the network's.
        np.testing.assert_allclose(
            np.subtract(expected["upper"], expected["lower"]), width, rtol=1e-4
        )


def test_portable_copy_leaves_the_model_as_it_was(trained):
    task, model = runner.load(trained["classify"])
    copy = portable_copy(model)
    lstms = [layer for layer in all_layers(copy) if isinstance(layer, keras.layers.LSTM)]
    assert len(lstms) == 2  # forward and backward LSTM inside the bidirectional block
    assert all(layer.use_cudnn is False for layer in lstms)
    assert all(
        layer.use_cudnn == "auto"
        for layer in all_layers(model)
        if isinstance(layer, keras.layers.LSTM)
    )
    ids = np.array([task.vocabulary.encode("the film was good")], "int32")
    np.testing.assert_allclose(copy(ids), model(ids), atol=1e-6)

    task, model = runner.load(trained["forecast"])
    copy = portable_copy(model, fused=False)
    vanilla = [layer for layer in all_layers(copy) if isinstance(layer, VanillaRNN)]
    assert len(vanilla) == 2 and not any(layer.fast_path for layer in vanilla)
    assert all(layer.fast_path for layer in all_layers(model) if isinstance(layer, VanillaRNN))


def test_frozen_variables_trace_constants_only(trained):
    task, model = runner.load(trained["classify"])
    serve = numeric_functions(task, model)["serving_default"]
    with frozen_variables(model):
        graph = serve.get_concrete_function().graph
    assert not graph.variables
    ops = {op.type for op in graph.get_operations()}
    assert "ReadVariableOp" not in ops


def test_conditioned_generators_are_refused():
    from rnn_keras.models import build_generator
    from rnn_keras.tasks import GenerateTask

    model = build_generator(vocab_size=12, units=4, condition_dim=3)
    for export_format in ("tflite", "onnx"):
        with pytest.raises(ValueError, match="conditioned"):
            GenerateTask().check_export(export_format, model)
    GenerateTask().check_export("saved_model", model)
