"""Date normalisation with the seq2seq builder: the figure behind the main job.

Char-level BiGRU-64 encoder, Luong attention, on `generate_pairs("dates")`
(20,000 train / 1,000 validation / 2,000 test, disjoint dates), 12 epochs,
then greedy decoding of the test split and exact-match accuracy. The
vocabulary here is a plain character map; the data issue replaces it with a
saved TextVectorization vocabulary.

Usage:

    python benchmarks/dates_seq2seq.py
"""

import time

import keras
import numpy as np
import tensorflow as tf

from rnn_keras.data import generate_pairs
from rnn_keras.models import build_seq2seq
from rnn_keras.decoding import Seq2SeqInference
keras.utils.set_random_seed(0)
data = generate_pairs("dates", {"train": 20000, "validation": 1000, "test": 2000}, seed=0)
chars = sorted({c for s, t in data["train"] for c in s + t})
tok = {c: i + 3 for i, c in enumerate(chars)}
V = len(chars) + 3
def enc(strings, L):
    out = np.zeros((len(strings), L), "int32")
    for r, s in enumerate(strings):
        ids = [tok.get(c, 3) for c in s][:L]; out[r, :len(ids)] = ids
    return out
def tf_pairs(pairs):
    src = enc([s for s, _ in pairs], 40)
    tgt = [[tok[c] for c in t] for _, t in pairs]
    dec_in = np.array([[1] + t for t in tgt], "int32"); dec_out = np.array([t + [2] for t in tgt], "int32")
    return {"source": src, "decoder_input": dec_in}, dec_out
x, y = tf_pairs(data["train"]); xv, yv = tf_pairs(data["validation"])
model = build_seq2seq(V, V, cell="gru", units=64, bidirectional=True, embedding_dim=32, attention="luong", learning_rate=3e-3)
t = time.time()
model.fit(x, y, validation_data=(xv, yv), epochs=12, batch_size=128, verbose=2)
train_s = time.time() - t
inf = Seq2SeqInference(model, 1, 2, max_length=11)
inv = {i: c for c, i in tok.items()}
src = enc([s for s, _ in data["test"]], 40)
toks = inf.greedy(tf.constant(src))["tokens"].numpy()
pred = ["".join(inv.get(int(i), "?") for i in row if i > 2) for row in toks]
em = np.mean([p == t for p, (_, t) in zip(pred, data["test"])])
print(f"RESULT exact match {em:.4f} on 2000 test dates, training {train_s:.0f}s")
for (s, t), p in list(zip(data["test"], pred))[:5]: print(s, "->", p)
