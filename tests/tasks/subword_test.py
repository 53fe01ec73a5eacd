"""`tokenize="subword"` end to end: train, predict, and the exported SavedModel answer alike."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

from rnn_keras import runner
from rnn_keras.export import export_onnx
from rnn_keras.export import load
from rnn_keras.export import export_tflite
from rnn_keras.export import load_saved_model
from rnn_keras.export import tflite_interpreter
from rnn_keras.export.numeric import numeric_functions
from rnn_keras.tasks.common import pad

SEED = int(os.environ.get("RNN_KERAS_TEST_SEED", "1337"))
STEMS = ["play", "work", "walk", "talk", "jump", "read"]
AFFIXES = [("", ""), ("", "s"), ("", "ed"), ("", "ing"), ("", "ers"), ("re", ""), ("re", "ing")]
# Words never seen in training (their pieces were), a word of unseen
# characters, punctuation and case.
LINES = ["Rewalkers talk.", "the jumping readers!", "zebra quokka", "work"]


def sentences(count, seed):
    """Sentences of affixed stems (`replaying`, `talkers`), some punctuated."""
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(count):
        words = []
        for _ in range(rng.integers(2, 6)):
            prefix, suffix = AFFIXES[rng.integers(len(AFFIXES))]
            words.append(prefix + STEMS[rng.integers(len(STEMS))] + suffix)
        words[0] = words[0].title()
        found.append(" ".join(words) + str(rng.choice(["", ".", "!", "?"])))
    return found


def train(tmp_path, task, **config):
    """A tiny model trained with `tokenize="subword"` and exported; its folder."""
    pytest.importorskip("tensorflow_text")
    output = str(tmp_path / task)
    config = dict(
        task=task, output=output, tokenize="subword", lowercase=True, max_tokens=80,
        defaults="fixed", epochs=1, units=8, embedding_dim=8, batch_size=256, seed=SEED,
        **config,
    )
    runner.train(config, verbose=0, export=True)
    return output


def strings(tensor):
    return [value.decode() for value in np.asarray(tensor).ravel()]


def test_seq2seq_subwords_predict_and_serve_alike(tmp_path):
    # Target: the source's words in reverse order.
    pairs = [(s, " ".join(reversed(s.split()))) for s in sentences(60, seed=0)]
    (tmp_path / "train.tsv").write_text("".join(f"{s}\t{t}\n" for s, t in pairs))
    # No attention: half the time to trace and export (this checks the text, not attention).
    output = train(
        tmp_path, "seq2seq", data=str(tmp_path / "train.tsv"), cell="gru", attention="none"
    )

    with open(os.path.join(output, "task.json")) as f:
        state = json.load(f)["state"]
    for side in ("source_vocabulary", "target_vocabulary"):
        assert state[side]["split"] == "subword"
        assert len(state[side]["tokens"]) <= 80
        assert any(t.startswith("##") and len(t) > 3 for t in state[side]["tokens"])

    task, model = runner.load(output)
    vocabulary = task.source_vocabulary
    # Unseen words split into seen pieces; a word of unseen characters is <UNK>.
    assert 1 not in vocabulary.encode(LINES[0]) and vocabulary.encode("zebra") == [1]
    results = task.predict(model, LINES)
    served = load_saved_model(os.path.join(output, "1")).signatures["serving_default"]
    answers = served(text=tf.constant(LINES))
    assert strings(answers["output"]) == [r["output"] for r in results]
    np.testing.assert_allclose(answers["score"], [r["score"] for r in results], atol=1e-4)

    # The numeric signature (TFLite, ONNX) takes the ids Python's split gives.
    greedy = numeric_functions(task, model)["serving_default"]
    tokens = greedy(source=tf.constant(pad([vocabulary.encode(line) for line in LINES])))["tokens"]
    decoded = [task.target_vocabulary.decode(row) for row in tokens.numpy()]
    assert decoded == [r["output"] for r in results]


@pytest.mark.large  # 15-30 s (TFLite and ONNX conversions); seq2seq above runs by default
def test_generate_subwords_predict_and_serve_alike(tmp_path):
    (tmp_path / "text.txt").write_text("\n".join(sentences(300, seed=1)) + "\n")
    output = train(tmp_path, "generate", data=str(tmp_path / "text.txt"), sequence_length=8)
    task, model = runner.load(output)
    assert task.vocabulary.split == "subword"
    prompts = LINES[:2]
    predicted = task.generate(model, prompts, num_steps=6, temperature=0.0)
    served = load_saved_model(os.path.join(output, "1")).signatures["serving_default"]
    answers = served(
        prompt=tf.constant(prompts), num_steps=tf.constant(6), temperature=tf.constant(0.0),
        top_k=tf.constant(0), seed=tf.constant(0),
    )
    assert strings(answers["output"]) == predicted
    assert all(predicted)

    # TFLite and ONNX (no TF Text ops) take the ids Python's split gives.
    path = str(tmp_path / "tflite")
    export_tflite(task, model, path)
    interpreter = tflite_interpreter(os.path.join(path, "model.tflite"))
    prefix = interpreter.get_signature_runner("prefix")
    ids = np.array([task.vocabulary.encode(LINES[0])], "int32")
    want = numeric_functions(task, model)["prefix"](prompt=tf.constant(ids))
    got = prefix(prompt=ids)
    np.testing.assert_allclose(got["probabilities"], want["probabilities"], atol=2e-5)
    # ONNX too.
    onnxruntime = pytest.importorskip("onnxruntime")
    path = str(tmp_path / "onnx")
    export_onnx(task, model, path)
    session = onnxruntime.InferenceSession(os.path.join(path, "prefix.onnx"))
    (got,) = session.run(["probabilities"], {"prompt": ids})
    np.testing.assert_allclose(got, want["probabilities"], atol=2e-5)


def test_loading_without_tensorflow_text_names_the_extra(tmp_path, monkeypatch):
    """A SavedModel with TF Text ops, in a process without TF Text: the error names the extra."""

    def unregistered(path, tags=None, options=None):
        raise RuntimeError("Op type not registered 'FastWordpieceTokenizeWithOffsets' in binary")

    monkeypatch.setattr(load, "register_text_ops", lambda: False)
    monkeypatch.setattr(tf.saved_model, "load", unregistered)
    with pytest.raises(ImportError, match=r"pip install \"rnn-keras\[subword\]\""):
        load.load_saved_model(str(tmp_path))
    # Other errors pass through.
    monkeypatch.setattr(load, "register_text_ops", lambda: True)
    with pytest.raises(RuntimeError, match="not registered"):
        load.load_saved_model(str(tmp_path))
