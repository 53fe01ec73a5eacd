"""`CharacterEncoder` against a NumPy loop, and the tagger that uses it."""

import inspect

import keras
import numpy as np
import pytest

from rnn_keras.layers import CharacterEncoder
from rnn_keras.models import build_tagger


def numpy_encoder(ids, embeddings, kernel, bias):
    """Embedding (padding as zeros), 'same' convolution, ReLU, max over the real characters."""
    embeddings = np.concatenate([np.zeros_like(embeddings[:1]), embeddings[1:]])
    width = kernel.shape[0]
    left = (width - 1) // 2
    batch, tokens, chars = ids.shape
    out = np.zeros((batch, tokens, kernel.shape[-1]))
    for b in range(batch):
        for t in range(tokens):
            x = embeddings[ids[b, t]]
            padded = np.pad(x, ((left, width - 1 - left), (0, 0)))
            conv = np.stack([np.einsum("ke,kef->f", padded[i : i + width], kernel) for i in range(chars)])
            conv = np.maximum(conv + bias, 0.0)
            real = ids[b, t] != 0
            out[b, t] = conv[real].max(0) if real.any() else 0.0
    return out


def test_matches_numpy_and_ignores_padding():
    layer = CharacterEncoder(12, embedding_dim=4, filters=6, kernel_size=3)
    rng = np.random.default_rng(0)
    ids = rng.integers(1, 12, size=(2, 3, 5)).astype("int32")
    ids[0, 1, 3:] = 0  # a short token
    ids[1, 2, :] = 0  # a padding token
    layer.build(ids.shape)
    for weight in layer.weights:  # random, so no unit is like another
        weight.assign(rng.normal(size=weight.shape))
    weights = {w.path.split("/")[-2] + "/" + w.name: np.asarray(w) for w in layer.weights}
    embeddings = weights["embedding/embeddings"]
    kernel, bias = weights["convolution/kernel"], weights["convolution/bias"]
    np.testing.assert_allclose(layer(ids), numpy_encoder(ids, embeddings, kernel, bias), atol=1e-5)
    # More padding characters change nothing.
    wider = np.concatenate([ids, np.zeros((2, 3, 4), "int32")], axis=-1)
    np.testing.assert_allclose(layer(wider), layer(ids), atol=1e-5)


def test_config_covers_the_constructor():
    layer = CharacterEncoder(30, embedding_dim=8, filters=16, kernel_size=5, name="chars")
    config = layer.get_config()
    arguments = set(inspect.signature(CharacterEncoder.__init__).parameters) - {"self", "kwargs"}
    assert arguments <= set(config)
    again = CharacterEncoder.from_config(config)
    assert (again.vocab_size, again.embedding_dim, again.filters, again.kernel_size) == (30, 8, 16, 5)
    with pytest.raises(ValueError, match="filters"):
        CharacterEncoder(30, filters=0)


@pytest.mark.large  # about 20 s of training; the encoder's numerics are checked by default
def test_tagger_reads_unseen_words_by_their_spelling(tmp_path):
    """Names are capitalised made-up words among lower-case made-up words.

    Test words are (almost all) new, and words are lower-cased for the word
    embedding, so only the characters tell a new name from a new ordinary
    word: the character-aware tagger tags unseen names, the word-only one
    cannot.
    """
    rng = np.random.default_rng(0)
    letters = list("abcdefghijklmnop")
    common = ["the", "is", "a", "of", "and", "to", "in", "was"]

    def name():
        return "".join(rng.choice(letters, size=rng.integers(3, 7)))

    def sentences(count):
        out = []
        for _ in range(count):
            words, tags = [], []
            for _ in range(rng.integers(3, 7)):
                if rng.random() < 0.3:
                    words.append(name().title())
                    tags.append(2)
                elif rng.random() < 0.5:
                    words.append(name())
                    tags.append(1)
                else:
                    words.append(str(rng.choice(common)))
                    tags.append(1)
            out.append((words, tags))
        return out

    train, test = sentences(600), sentences(100)
    word_ids = {w: i + 2 for i, w in enumerate(sorted({w.lower() for s, _ in train for w in s}))}
    char_ids = {c: i + 1 for i, c in enumerate(sorted({c for s, _ in train for w in s for c in w}))}

    def encode(data):
        length = max(len(s) for s, _ in data)
        tokens = np.zeros((len(data), length), "int32")
        chars = np.zeros((len(data), length, 8), "int32")
        tags = np.zeros((len(data), length), "int32")
        for row, (words, labels) in enumerate(data):
            for i, (w, t) in enumerate(zip(words, labels)):
                tokens[row, i] = word_ids.get(w.lower(), 1)
                chars[row, i, : len(w[:8])] = [char_ids.get(c, 0) for c in w[:8]]
                tags[row, i] = t
        return tokens, chars, tags

    tags = ["<pad>", "O", "B-PER"]
    tokens, chars, y = encode(train)
    test_tokens, test_chars, test_y = encode(test)
    results = {}
    for with_chars in (False, True):
        keras.utils.set_random_seed(1)
        model = build_tagger(
            3, vocab_size=len(word_ids) + 2, cell="gru", units=16, tags=tags,
            char_vocab_size=len(char_ids) + 1 if with_chars else None, learning_rate=1e-2,
        )
        x = {"tokens": tokens, "characters": chars} if with_chars else tokens
        model.fit(x, y, epochs=8, batch_size=32, verbose=0)
        test_x = {"tokens": test_tokens, "characters": test_chars} if with_chars else test_tokens
        results[with_chars] = model.evaluate(test_x, test_y, return_dict=True, verbose=0)["entity_f1"]
    assert results[True] >= 0.95
    assert results[False] < 0.5
    path = str(tmp_path / "tagger.keras")
    model.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_allclose(again(test_x), model(test_x), atol=1e-6)


def test_tagger_with_characters_masks_padding_tokens():
    """Concatenated with the masked word embedding, padding tokens stay masked.

    Keras ORs the masks of concatenated inputs: without its own mask the
    encoder would unmask every padding step (loss and recurrence included).
    """
    model = build_tagger(3, vocab_size=20, units=4, char_vocab_size=10)
    tokens = np.array([[3, 4, 0, 0], [5, 0, 0, 0]], "int32")
    characters = np.zeros((2, 4, 5), "int32")
    characters[0, :2, :3] = 2
    characters[1, 0, :1] = 7
    outputs = model({"tokens": tokens, "characters": characters})
    np.testing.assert_array_equal(outputs._keras_mask, tokens != 0)
    # Padding steps do not change the real steps' outputs.
    longer = model(
        {
            "tokens": np.pad(tokens, [[0, 0], [0, 3]]),
            "characters": np.pad(characters, [[0, 0], [0, 3], [0, 0]]),
        }
    )
    np.testing.assert_allclose(longer[:, :4][tokens != 0], outputs[tokens != 0], atol=1e-6)
