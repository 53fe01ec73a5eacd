"""`build_seq2seq` and its decoders: learning real tasks end to end."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import digit_tasks
from rnn_keras.decoding import Seq2SeqInference
from rnn_keras.models import build_seq2seq


def train_and_decode(task, cell, attention, epochs, units=64, samples=4000, bidirectional=False,
                     learning_rate=5e-3, batch_size=64):
    train = digit_tasks.pairs(task, samples, seed=0)
    test = digit_tasks.pairs(task, 500, seed=1)
    train_sources = {s for s, _ in train}
    test = [p for p in test if p[0] not in train_sources] or test
    inputs, targets = digit_tasks.teacher_forcing(train)
    model = build_seq2seq(
        digit_tasks.VOCAB_SIZE, digit_tasks.VOCAB_SIZE, cell=cell, units=units,
        bidirectional=bidirectional, embedding_dim=32, attention=attention,
        learning_rate=learning_rate,
    )
    model.fit(inputs, targets, epochs=epochs, batch_size=batch_size, verbose=0)
    inference = Seq2SeqInference(model, digit_tasks.START, digit_tasks.END, max_decode_length=8)
    source = digit_tasks.encode([s for s, _ in test], max(len(s) for s, _ in test))
    return model, inference, source, test


def exact_match(tokens, test):
    predictions = [digit_tasks.decode(row) for row in np.asarray(tokens)]
    return np.mean([p == t for p, (_, t) in zip(predictions, test)])


@pytest.mark.parametrize(
    "cell, attention, bidirectional",
    [
        # GRU (~17 s) and BiLSTM + Bahdanau (~40 s): run with -m large.
        pytest.param("gru", "luong", False, marks=pytest.mark.large),
        pytest.param("lstm", "bahdanau", True, marks=pytest.mark.large),
        ("vanilla", "luong", False),
    ],
)
def test_learns_to_reverse_digit_strings(cell, attention, bidirectional):
    _, inference, source, test = train_and_decode("reverse", cell, attention, epochs=12,
                                                  bidirectional=bidirectional)
    greedy = inference.greedy(source)
    assert exact_match(greedy["tokens"], test) >= 0.98
    # Beam search: width 1 is greedy, and a wider beam never scores lower.
    beam_1 = inference.beam_search(source, 1, 0.0)
    np.testing.assert_array_equal(beam_1["tokens"], greedy["tokens"])
    np.testing.assert_allclose(beam_1["scores"], greedy["scores"], atol=1e-5)
    beam_4 = inference.beam_search(source, 4, 0.0)
    assert np.all(np.asarray(beam_4["scores"]) >= np.asarray(greedy["scores"]) - 1e-5)
    assert exact_match(beam_4["tokens"], test) >= 0.98


@pytest.mark.large
@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_learns_to_sort_digit_strings(cell):
    _, inference, source, test = train_and_decode("sort", cell, "luong", epochs=25)
    assert exact_match(inference.greedy(source)["tokens"], test) >= 0.98


@pytest.mark.large
def test_vanilla_cell_sorts_most_digit_strings():
    """Sorting needs counts held over the whole source: the vanilla cell gets
    most strings right but plateaus below the gated cells' 98%. Measured
    2026-11-23: 0.85 (25 epochs), 0.94 (60 epochs), 0.96 (bidirectional
    encoder, 40 epochs), 0.94 (bidirectional, 96 units, 10,000 pairs, 50
    epochs)."""
    _, inference, source, test = train_and_decode("sort", "vanilla", "luong", epochs=40,
                                                  bidirectional=True)
    assert exact_match(inference.greedy(source)["tokens"], test) >= 0.9


@pytest.mark.large
@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_learns_three_digit_addition(cell):
    _, inference, source, test = train_and_decode(
        "addition", cell, "bahdanau", epochs=60, units=128, samples=20000, bidirectional=True,
        learning_rate=3e-3, batch_size=128,
    )
    assert exact_match(inference.greedy(source)["tokens"], test) >= 0.98


def test_attention_weights_are_retrievable_for_a_heatmap():
    model, inference, source, test = train_and_decode("reverse", "gru", "luong", epochs=6,
                                                      samples=1500)
    result = inference.greedy(source[:4])
    weights = np.asarray(result["attention"])
    assert weights.shape == (4, result["tokens"].shape[1], source.shape[1])
    lengths = (source[:4] != 0).sum(1)
    for row, length in enumerate(lengths):
        np.testing.assert_allclose(weights[row, 0].sum(), 1.0, atol=1e-5)
        assert np.all(weights[row, :, length:] == 0)  # padding gets no attention


def test_variable_length_batches_and_length_penalty():
    model = build_seq2seq(digit_tasks.VOCAB_SIZE, digit_tasks.VOCAB_SIZE, cell="gru", units=8)
    inference = Seq2SeqInference(model, digit_tasks.START, digit_tasks.END, max_decode_length=5)
    for batch, length in ((1, 3), (5, 9)):
        source = tf.constant(np.random.default_rng(batch).integers(3, 13, (batch, length)), tf.int32)
        assert inference.greedy(source)["tokens"].shape[0] == batch
        result = inference.beam_search(source, 3, 0.6)
        lengths = tf.cast(result["lengths"], tf.float32)
        np.testing.assert_allclose(
            result["normalized_scores"], result["scores"] / ((5.0 + lengths) / 6.0) ** 0.6, rtol=1e-5
        )


def test_inference_models_share_layers_by_name():
    model = build_seq2seq(10, 10, cell="lstm", units=8, num_layers=2, bidirectional=True,
                          attention="bahdanau")
    inference = Seq2SeqInference(model, 1, 2)
    for name in ("encoder", "decoder", "attention", "output", "target_embedding"):
        layer = model.get_layer(name)
        used = inference.encoder_model.layers + inference.decoder_step_model.layers
        assert any(candidate is layer for candidate in used), name


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"source_vocab_size": 0, "target_vocab_size": 5}, "source_vocab_size"),
        ({"source_vocab_size": 5, "target_vocab_size": -1}, "target_vocab_size"),
        ({"source_vocab_size": 5, "target_vocab_size": 5, "attention": "dot"}, "attention"),
        ({"source_vocab_size": 5, "target_vocab_size": 5, "cell": "rnn"}, "cell"),
    ],
)
def test_bad_arguments_fail_at_build_time(kwargs, match):
    with pytest.raises(ValueError, match=f"`{match}`.*Received"):
        build_seq2seq(**kwargs)


def test_beam_width_must_be_positive():
    model = build_seq2seq(6, 6, cell="gru", units=4)
    with pytest.raises(tf.errors.InvalidArgumentError, match="beam_width"):
        Seq2SeqInference(model, 1, 2, max_decode_length=3).beam_search(tf.constant([[3, 4]]), 0, 0.0)


def test_keras_round_trip_keeps_outputs(tmp_path):
    model = build_seq2seq(10, 12, cell="gru", units=8, bidirectional=True, attention="bahdanau")
    inputs = {"source": np.array([[3, 4, 0], [5, 6, 7]], "int32"),
              "decoder_input": np.array([[1, 4], [1, 0]], "int32")}
    path = tmp_path / "seq2seq.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(inputs, verbose=0), model.predict(inputs, verbose=0), atol=1e-6)
    inference = Seq2SeqInference(loaded, 1, 2, max_decode_length=4)
    np.testing.assert_array_equal(
        inference.greedy(tf.constant(inputs["source"]))["tokens"],
        Seq2SeqInference(model, 1, 2, max_decode_length=4).greedy(tf.constant(inputs["source"]))["tokens"],
    )
