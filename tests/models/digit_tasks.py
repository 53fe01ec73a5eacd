"""Small generated seq2seq tasks on digit strings, encoded for teacher forcing."""

import numpy as np

PAD, START, END = 0, 1, 2
ALPHABET = "0123456789+"
TOKEN = {c: i + 3 for i, c in enumerate(ALPHABET)}
VOCAB_SIZE = len(ALPHABET) + 3


def pairs(task, num_samples, seed, min_length=2, max_length=6):
    """`(source, target)` strings: reverse, sort, or 3-digit addition."""
    rng = np.random.default_rng(seed)
    result = []
    for _ in range(num_samples):
        if task == "addition":
            a, b = rng.integers(0, 1000, size=2)
            result.append((f"{a}+{b}", str(a + b)))
            continue
        length = rng.integers(min_length, max_length + 1)
        digits = "".join(str(d) for d in rng.integers(0, 10, size=length))
        target = digits[::-1] if task == "reverse" else "".join(sorted(digits))
        result.append((digits, target))
    return result


def encode(strings, length):
    ids = np.zeros((len(strings), length), "int32")
    for row, text in enumerate(strings):
        ids[row, : len(text)] = [TOKEN[c] for c in text]
    return ids


def teacher_forcing(pair_list):
    """Model inputs and targets: decoder input = START + target, output = target + END."""
    sources = [s for s, _ in pair_list]
    targets = [t for _, t in pair_list]
    source_length = max(map(len, sources))
    target_length = max(map(len, targets)) + 1
    source = encode(sources, source_length)
    decoder_output = np.zeros((len(targets), target_length), "int32")
    decoder_input = np.zeros_like(decoder_output)
    for row, text in enumerate(targets):
        ids = [TOKEN[c] for c in text]
        decoder_output[row, : len(ids) + 1] = ids + [END]
        decoder_input[row, : len(ids) + 1] = [START] + ids
    return {"source": source, "decoder_input": decoder_input}, decoder_output


def decode(ids):
    inverse = {i: c for c, i in TOKEN.items()}
    text = []
    for i in ids:
        if i == END or i == PAD:
            break
        text.append(inverse.get(int(i), "?"))
    return "".join(text)
