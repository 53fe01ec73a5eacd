"""Date normalisation with the seq2seq builder: the figure behind the main job.

Char-level BiGRU-64 encoder, Luong attention, on `generate_pairs("dates")`
(20,000 train / 1,000 validation / 2,000 test, disjoint dates), 12 epochs,
then greedy decoding of the test split and exact-match accuracy. The
vocabulary here is a plain character map (id 3 = unknown); the data issue
replaces it with a TextVectorization vocabulary saved with the model.

Usage:

    python benchmarks/dates_seq2seq.py
"""

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from rnn_keras.data import generate_pairs  # noqa: E402
from rnn_keras.decoding import Seq2SeqInference  # noqa: E402
from rnn_keras.models import build_seq2seq  # noqa: E402

PAD, START, END, UNKNOWN = 0, 1, 2, 3
SOURCE_LENGTH = 40


class CharCodec:
    def __init__(self, texts):
        chars = sorted({c for text in texts for c in text})
        self.ids = {c: i + 4 for i, c in enumerate(chars)}
        self.chars = {i: c for c, i in self.ids.items()}
        self.size = len(chars) + 4

    def encode(self, texts, length):
        out = np.zeros((len(texts), length), "int32")
        for row, text in enumerate(texts):
            ids = [self.ids.get(c, UNKNOWN) for c in text][:length]
            out[row, : len(ids)] = ids
        return out

    def decode(self, ids):
        return "".join(self.chars.get(int(i), "") for i in ids if int(i) not in (PAD, END))


def teacher_forcing(codec, pairs):
    targets = [[codec.ids[c] for c in target] for _, target in pairs]
    inputs = {
        "source": codec.encode([source for source, _ in pairs], SOURCE_LENGTH),
        "decoder_input": np.array([[START] + t for t in targets], "int32"),
    }
    return inputs, np.array([t + [END] for t in targets], "int32")


def main():
    keras.utils.set_random_seed(0)
    data = generate_pairs("dates", {"train": 20000, "validation": 1000, "test": 2000}, seed=0)
    codec = CharCodec(source + target for source, target in data["train"])
    x, y = teacher_forcing(codec, data["train"])
    validation = teacher_forcing(codec, data["validation"])
    model = build_seq2seq(
        codec.size, codec.size, cell="gru", units=64, bidirectional=True, embedding_dim=32,
        attention="luong", learning_rate=3e-3,
    )
    start = time.perf_counter()
    model.fit(x, y, validation_data=validation, epochs=12, batch_size=128, verbose=2)
    seconds = time.perf_counter() - start
    inference = Seq2SeqInference(model, START, END, max_length=11)
    source = codec.encode([s for s, _ in data["test"]], SOURCE_LENGTH)
    tokens = inference.greedy(tf.constant(source))["tokens"].numpy()
    predictions = [codec.decode(row) for row in tokens]
    exact = np.mean([p == t for p, (_, t) in zip(predictions, data["test"])])
    print(f"exact match {exact:.4f} on {len(predictions)} held-out dates; training {seconds:.0f}s")
    for (source_text, _), prediction in list(zip(data["test"], predictions))[:5]:
        print(f"{source_text!r} -> {prediction}")


if __name__ == "__main__":
    main()
