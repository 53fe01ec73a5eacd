"""`detokenize`: undoes the punctuation split, in Python and in TensorFlow ops alike."""

import numpy as np
import pytest

from rnn_keras.data import vocabulary
from rnn_keras.data.detokenize import CLOSING
from rnn_keras.data.detokenize import OPENING
from rnn_keras.data.detokenize import QUOTE
from rnn_keras.data.detokenize import detokenize
from rnn_keras.data.detokenize import detokenize_tensor
from rnn_keras.data.vocabulary import Vocabulary

SENTENCES = [
    "¿Dónde está Tom?",
    "¡Hola! ¿Qué tal?",
    'Él dijo: "¡Ya voy!", y se fue.',
    "Espera... (no mucho) «vale».",
    "I don't know; it's well-known.",
    "Tom, Mary and John: friends…",
    "no punctuation here",
]


def split(text):
    return Vocabulary([], split="punctuation").tokenize(text)


def test_every_mark_the_split_separates_has_a_rule():
    marks = set(vocabulary.PUNCTUATION[2:-2])  # the class inside '([...])'
    assert set(CLOSING + OPENING + QUOTE) == marks
    assert not set(CLOSING) & set(OPENING)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_sentences_come_back_as_written(sentence):
    assert detokenize(" ".join(split(sentence))) == sentence


def test_what_the_split_lost_stays_lost_but_tokens_survive():
    assert detokenize("3 , 5 y 4 . 2") == "3, 5 y 4. 2"
    # An unpaired quote keeps its spaces.
    assert detokenize('dijo " hola') == 'dijo " hola'


@pytest.mark.parametrize("seed", range(3))
def test_random_token_sequences_split_back_into_the_same_tokens(seed):
    rng = np.random.default_rng(seed)
    tokens = ["tom", "está", "don't", "3"] + list(vocabulary.PUNCTUATION[2:-2])
    for _ in range(100):
        sequence = [str(t) for t in rng.choice(tokens, size=int(rng.integers(1, 12)))]
        assert split(detokenize(" ".join(sequence))) == sequence


def test_tensorflow_twin_agrees():
    texts = [" ".join(split(s)) for s in SENTENCES] + ['" a " b " c "', ". , ¿ ¡ ( «"]
    got = [t.decode() for t in detokenize_tensor(texts).numpy()]
    assert got == [detokenize(t) for t in texts]
