"""`--embeddings`: pretrained word vectors let the classify and tag tasks read unseen words."""

import json

import keras_tuner
import numpy as np
import pytest
from keras import ops

from rnn_keras.cli import main
from rnn_keras.data import DataError
from rnn_keras.data import Vocabulary
from rnn_keras import runner
from rnn_keras.tasks import ClassifyTask
from rnn_keras.tasks import TagTask
from rnn_keras.tuning.hypermodels import TaskHyperModel

FILLERS = ["the", "a", "my", "saw", "new", "old", "near", "big"]
DIM = 8


def write_vectors(path, seed=0):
    """Animals around one direction, tools around the opposite, fillers anywhere."""
    rng = np.random.default_rng(seed)
    centre = rng.normal(size=DIM)
    centre *= 2.0 / np.linalg.norm(centre)
    rows = {word: rng.normal(size=DIM) for word in FILLERS}
    for i in range(30):
        rows[f"animal{i}"] = centre + rng.normal(scale=0.5, size=DIM)
        rows[f"tool{i}"] = -centre + rng.normal(scale=0.5, size=DIM)
    lines = [word + " " + " ".join(f"{v:.5f}" for v in vector) for word, vector in rows.items()]
    path.write_text("\n".join(lines) + "\n")
    return rows


def write_sentences(path, count, indices, seed):
    """`animal` or `tool` by the one content word among fillers; words from `indices`."""
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(count):
        label = ("animal", "tool")[i % 2]
        words = list(rng.choice(FILLERS, size=3))
        words.insert(rng.integers(4), f"{label}{rng.choice(indices)}")
        lines.append(f"{label}\t{' '.join(words)}")
    path.write_text("\n".join(lines) + "\n")


def train(tmp_path, name, *flags):
    output = tmp_path / name
    argv = ["train", "--task", "classify", "--data", str(tmp_path / "train.tsv")]
    argv += ["--test", str(tmp_path / "test.tsv"), "--output", str(output), "--units", "8"]
    argv += ["--epochs", "6", "--learning-rate", "0.01", "--seed", "0", "--verbose", "0"]
    argv += ["--defaults", "fixed"]
    argv += ["--no-export", *flags]
    assert main(argv) == 0
    with open(output / "metrics.json") as f:
        return json.load(f)["test"]["accuracy"], output


def test_classifier_reads_words_unseen_in_training_by_their_vectors(tmp_path):
    vectors = write_vectors(tmp_path / "vectors.txt")
    # Training sees words 0-14 of each group; the test only words 15-29.
    write_sentences(tmp_path / "train.tsv", 300, range(15), seed=0)
    write_sentences(tmp_path / "test.tsv", 100, range(15, 30), seed=1)
    embeddings = ["--embeddings", str(tmp_path / "vectors.txt"), "--freeze-embeddings"]
    accuracy, output = train(tmp_path, "vectors", *embeddings)
    baseline, _ = train(tmp_path, "baseline")
    print(f"accuracy with vectors {accuracy:.3f}, without {baseline:.3f}")
    assert accuracy >= 0.95
    assert baseline <= 0.7  # every test word is <UNK> without the vectors
    task, model = runner.load(str(output))
    assert task.state["embedding_dim"] == DIM
    vocabulary = Vocabulary.from_config(task.state["vocabulary"])
    weights = ops.convert_to_numpy(model.get_layer("embedding").embeddings)
    for word in ("animal20", "tool29", "the"):
        np.testing.assert_allclose(weights[vocabulary.token_to_id[word]], vectors[word], atol=1e-5)
    predicted = runner.predict(str(output), ["the animal27 saw", "my tool16"])
    assert [row["label"] for row in predicted] == ["animal", "tool"]


def test_tagger_vocabulary_and_embedding_take_the_vectors(tmp_path):
    vectors = write_vectors(tmp_path / "vectors.txt")
    train = [(["the", "animal3", "Zed"], ["O", "B-ANI", "O"])] * 4
    task = TagTask({"embeddings": str(tmp_path / "vectors.txt"), "max_vectors": 20, "units": 4})
    task.prepare(train)
    vocabulary = Vocabulary.from_config(task.state["vocabulary"])
    # Training tokens first, then the file's first 20 words not among them
    # (all but "the" and "animal3").
    assert vocabulary.tokens[:3] == ["animal3", "the", "zed"]
    assert len(vocabulary.tokens) == 3 + 18 and "animal5" in vocabulary.tokens
    assert "animal9" not in vocabulary.tokens  # beyond `max_vectors`
    model = task.build_model()
    embedding = model.get_layer("embedding")
    weights = ops.convert_to_numpy(embedding.embeddings)
    assert weights.shape == (vocabulary.size, DIM)
    for word in ("the", "animal3", "animal5"):
        np.testing.assert_allclose(weights[vocabulary.token_to_id[word]], vectors[word], atol=1e-5)
    # The rows of the training tokens (and the reserved ids) train, the rest are fixed.
    assert task.state["trained_embedding_rows"] == 4 + 3 == embedding.trainable_rows
    assert [w.shape for w in embedding.trainable_weights] == [(7, DIM)]
    # The vectors fix the embedding's size: tuning does not search it.
    hp = keras_tuner.HyperParameters()
    TaskHyperModel(task).build(hp)
    assert "embedding_dim" not in hp.values and "units" in hp.values


def test_bad_vector_options_are_named(tmp_path):
    train = [(["the", "animal3"], ["O", "B-ANI"])]
    with pytest.raises(DataError, match="missing.txt: no such file"):
        TagTask({"embeddings": str(tmp_path / "missing.txt")}).prepare(train)
    write_vectors(tmp_path / "vectors.txt")
    with pytest.raises(ValueError, match="max_vectors"):
        TagTask({"embeddings": str(tmp_path / "vectors.txt"), "max_vectors": 0}).prepare(train)
    series = ([[0.5, 1.0], [2.0, 0.1]], ["up", "down"])
    with pytest.raises(ValueError, match="embeddings.*need text inputs"):
        ClassifyTask({"embeddings": str(tmp_path / "vectors.txt")}).prepare(series)
