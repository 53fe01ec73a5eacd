"""`build_generator` and `Sampler`: 1→N generation."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_keras.decoding import Sampler
from rnn_keras.models import build_generator

START = 1
CYCLE = np.arange(3, 11)  # tokens 3..10 repeat in order


def cyclic_sequences(num_samples, length, seed, step=1):
    rng = np.random.default_rng(seed)
    offsets = rng.integers(0, len(CYCLE), size=num_samples)
    index = (offsets[:, None] + step * np.arange(length)[None, :]) % len(CYCLE)
    return CYCLE[index].astype("int32")


def expected_continuation(prompt, steps, step=1):
    position = int(np.where(CYCLE == prompt[-1])[0][0])
    return CYCLE[(position + step * np.arange(1, steps + 1)) % len(CYCLE)]


def test_language_model_continues_the_pattern():
    x = cyclic_sequences(2000, 12, 0)
    model = build_generator(12, cell="gru", units=32, embedding_dim=16, learning_rate=1e-2)
    model.fit(x[:, :-1], x[:, 1:], epochs=4, batch_size=64, verbose=0)
    sampler = Sampler(model)
    prompts = cyclic_sequences(5, 3, 1)
    generated = np.asarray(sampler.generate(prompts, 20, 0.0, 0, 0))
    for prompt, row in zip(prompts, generated):
        np.testing.assert_array_equal(row, expected_continuation(prompt, 20))


def test_one_vector_generates_a_whole_sequence():
    # Class k (one-hot) walks the cycle with step k + 1, from a start token.
    xs, conditions = [], []
    for k in range(3):
        body = cyclic_sequences(600, 9, k, step=k + 1)
        xs.append(np.concatenate([np.full((600, 1), START, "int32"), body], axis=1))
        conditions.append(np.tile(np.eye(3, dtype="float32")[k], (600, 1)))
    x, condition = np.concatenate(xs), np.concatenate(conditions)
    model = build_generator(12, cell="lstm", units=32, embedding_dim=16, condition_dim=3,
                            learning_rate=1e-2)
    model.fit({"tokens": x[:, :-1], "condition": condition}, x[:, 1:], epochs=6, batch_size=64, verbose=0)
    sampler = Sampler(model)
    # The first token is free (any offset); each class's step must follow it.
    generated = np.asarray(
        sampler.generate(np.full((3, 1), START, "int32"), 8, 0.0, 0, 0, np.eye(3, dtype="float32"))
    )
    for k, row in enumerate(generated):
        np.testing.assert_array_equal(row[1:], expected_continuation(row[:1], 7, step=k + 1))


def test_sampling_is_reproducible_and_temperature_zero_is_greedy():
    model = build_generator(12, cell="vanilla", units=16, num_layers=2)
    sampler = Sampler(model)
    prompt = tf.constant([[3, 4, 5], [6, 7, 0]], tf.int32)
    first = np.asarray(sampler.generate(prompt, 30, 1.0, 0, 7))
    np.testing.assert_array_equal(first, sampler.generate(prompt, 30, 1.0, 0, 7))
    assert not np.array_equal(first, sampler.generate(prompt, 30, 1.0, 0, 8))
    greedy = np.asarray(sampler.generate(prompt, 30, 0.0, 0, 7))
    np.testing.assert_array_equal(sampler.generate(prompt, 30, 1e-4, 0, 3), greedy)
    np.testing.assert_array_equal(sampler.generate(prompt, 30, 1.0, 1, 3), greedy)  # top-1
    # Top-k never picks a token outside the k likeliest at that step.
    probabilities = model.predict(np.asarray(prompt), verbose=0)[:, -1]
    top_3 = np.argsort(probabilities, axis=-1)[:, -3:]
    for seed in range(10):
        token = np.asarray(sampler.generate(prompt[:1], 1, 5.0, 3, seed))[0, 0]
        assert token in top_3[0]


def test_right_padded_prompts_continue_from_their_last_token():
    model = build_generator(12, cell="gru", units=8)
    sampler = Sampler(model)
    padded = np.asarray(sampler.generate(tf.constant([[3, 4, 0, 0]], tf.int32), 5, 0.0, 0, 0))
    short = np.asarray(sampler.generate(tf.constant([[3, 4]], tf.int32), 5, 0.0, 0, 0))
    np.testing.assert_array_equal(padded, short)


def test_keras_round_trip_and_bad_arguments(tmp_path):
    model = build_generator(9, cell="lstm", units=8, condition_dim=2)
    inputs = {"tokens": np.array([[1, 3, 4]], "int32"), "condition": np.ones((1, 2), "float32")}
    model.save(tmp_path / "generator.keras")
    loaded = keras.models.load_model(tmp_path / "generator.keras")
    np.testing.assert_allclose(loaded.predict(inputs, verbose=0), model.predict(inputs, verbose=0), atol=1e-6)
    with pytest.raises(ValueError, match="`vocab_size`"):
        build_generator(0)
    with pytest.raises(ValueError, match="`condition_dim`"):
        build_generator(5, condition_dim=-2)
