"""Trained models of every task, shared by the export tests."""

import os

import keras
import numpy as np
import pytest

import task_data
from rnn_keras import tasks

SEED = int(os.environ.get("RNN_KERAS_TEST_SEED", "1337"))

# One model per task, together covering the three cells and both
# directions; tiny, trained for one epoch: the tests compare formats with
# each other, not quality.
CONFIGS = {
    "classify": dict(data="classify.tsv", cell="lstm", bidirectional=True),
    "tag": dict(data="tag.conll", cell="gru", bidirectional=True, characters=True),
    # With pretrained vectors: the words only they hold are fixed rows of a
    # `PretrainedEmbedding`.
    "tag_crf": dict(
        task="tag", data="tag.conll", cell="lstm", characters=False, crf=True,
        embeddings="vectors.txt",
    ),
    "seq2seq": dict(data="seq2seq.tsv", cell="vanilla", split="whitespace", attention="luong"),
    "generate": dict(data="generate.txt", cell="lstm", num_layers=2, sequence_length=20),
    "forecast": dict(data="forecast.csv", cell="vanilla", bidirectional=True, column="value"),
}


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """`{task name: model folder}` of the tiny models above."""
    root = tmp_path_factory.mktemp("trained")
    task_data.classification_tsv(root / "classify.tsv", 80, seed=0)
    task_data.conll(root / "tag.conll", 60, seed=0)
    task_data.reversal_tsv(root / "seq2seq.tsv", 200, seed=0)
    task_data.cyclic_text(root / "generate.txt", repeats=50)
    task_data.seasonal_csv(root / "forecast.csv")
    rng = np.random.default_rng(0)
    words = task_data.NAMES + task_data.CITIES + ["oslo", "zzyzx", "kyiv"]
    (root / "vectors.txt").write_text(
        "".join(f"{w} {' '.join(f'{v:.4f}' for v in rng.normal(size=6))}\n" for w in words)
    )
    folders = {}
    for name, config in CONFIGS.items():
        keras.utils.set_random_seed(SEED)
        config = dict(config, data=str(root / config["data"]))
        if "embeddings" in config:
            config["embeddings"] = str(root / config["embeddings"])
        folders[name] = str(root / name)
        config.update(output=folders[name], epochs=1, units=8, seed=SEED)
        config.setdefault("task", name)
        tasks.train(config, verbose=0)
    return folders

