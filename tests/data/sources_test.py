"""`load_examples`: files, TFDS (mocked, offline) and the package's own TFDS builders."""

import pytest
import tensorflow_datasets as tfds

from rnn_keras.data import generate_pairs
from rnn_keras.data.readers import DataError
from rnn_keras.data.sources import MissingSplit
from rnn_keras.data.sources import load_examples
from rnn_keras.tasks import make_task


def test_files_by_task(tmp_path):
    (tmp_path / "c.tsv").write_text("pos\tgood film\nneg\tbad one\n")
    (tmp_path / "u.tsv").write_text("1\t0.5\t-1.5\t2\n2\t1\t2\t3\n")
    (tmp_path / "t.conll").write_text("Ana\tB-PER\nruns\tO\n\nhi\tO\n")
    (tmp_path / "s.tsv").write_text("uno\tone\textra\n")
    (tmp_path / "f.csv").write_text("month,count\n1,10\n2,12\n")
    assert load_examples(make_task("classify"), str(tmp_path / "c.tsv")) == (
        ["good film", "bad one"],
        ["pos", "neg"],
    )
    # UCR rows (label then numbers) are read as series.
    assert load_examples(make_task("classify"), str(tmp_path / "u.tsv")) == (
        [[0.5, -1.5, 2.0], [1.0, 2.0, 3.0]],
        ["1", "2"],
    )
    assert load_examples(make_task("tag"), str(tmp_path / "t.conll")) == [
        (["Ana", "runs"], ["B-PER", "O"]),
        (["hi"], ["O"]),
    ]
    assert load_examples(make_task("seq2seq"), str(tmp_path / "s.tsv")) == [("uno", "one")]
    forecast = make_task("forecast", {"column": "count"})
    assert load_examples(forecast, str(tmp_path / "f.csv")).values[0].tolist() == [10.0, 12.0]
    with pytest.raises(ValueError, match="column"):
        load_examples(make_task("forecast"), str(tmp_path / "f.csv"))
    with pytest.raises(DataError, match="missing.tsv"):
        load_examples(make_task("classify"), str(tmp_path / "missing.tsv"))


def test_generated_datasets_are_tfds_builders(tmp_path):
    data_dir = str(tmp_path / "tfds")
    loaded = {
        split: load_examples(make_task("seq2seq"), "gen:addition/small", split, data_dir=data_dir)
        for split in ("train", "validation", "test")
    }
    expected = generate_pairs("addition", {"train": 2000, "validation": 200, "test": 200}, seed=0)
    for split, pairs in loaded.items():
        assert sorted(pairs) == sorted(expected[split])
    # Built once, then read from the data dir like any TFDS dataset.
    assert (tmp_path / "tfds" / "rnn_keras_addition" / "small" / "2.0.0").is_dir()
    train = tfds.load("rnn_keras_addition/small", split="train", data_dir=data_dir)
    assert int(train.cardinality()) == 2000
    with pytest.raises(MissingSplit, match="unlabelled"):
        load_examples(make_task("seq2seq"), "gen:addition/small", "unlabelled", data_dir=data_dir)
    with pytest.raises(ValueError, match="gen:dates"):
        load_examples(make_task("seq2seq"), "gen:calendar")
    with pytest.raises(ValueError, match="seq2seq"):
        load_examples(make_task("classify"), "gen:dates")


def test_official_tfds_datasets_offline_with_mock_data():
    with tfds.testing.mock_data(num_examples=6):
        texts, labels = load_examples(make_task("classify"), "tfds:imdb_reviews", "train")
        text = load_examples(make_task("generate"), "tfds:tiny_shakespeare", "train")
        pairs = load_examples(make_task("seq2seq"), "tfds:ted_hrlr_translate/pt_to_en", "test")
    assert len(texts) == len(labels) == 6
    assert all(isinstance(t, str) for t in texts)
    assert set(labels) <= {"neg", "pos"}  # ClassLabel names, not ids
    assert isinstance(text, str) and text
    assert len(pairs) == 6 and all(isinstance(s, str) and isinstance(t, str) for s, t in pairs)


def test_unprepared_tfds_dataset_without_network_fails_at_once(tmp_path, monkeypatch):
    """No minutes of retries and no partial download: an error that says what to do."""
    from rnn_keras.data import sources

    monkeypatch.setattr(sources, "network_reachable", lambda *args, **kwargs: False)
    data_dir = tmp_path / "tfds"
    with pytest.raises(ValueError, match=r"tfds:imdb_reviews is not prepared .* --data-dir"):
        load_examples(make_task("classify"), "tfds:imdb_reviews", "train", str(data_dir))
    assert not data_dir.exists() or not any(data_dir.rglob("*"))


class LocalReviews(tfds.core.GeneratorBasedBuilder):
    """A tiny dataset prepared from local data (no download)."""

    VERSION = tfds.core.Version("1.0.0")

    def _info(self):
        return tfds.core.DatasetInfo(
            builder=self,
            features=tfds.features.FeaturesDict({
                "text": tfds.features.Text(),
                "label": tfds.features.ClassLabel(names=["neg", "pos"]),
            }),
            supervised_keys=("text", "label"),
        )

    def _split_generators(self, dl_manager):
        del dl_manager
        return {"train": self._generate_examples()}

    def _generate_examples(self):
        for i, (text, label) in enumerate([("good film", "pos"), ("bad one", "neg")]):
            yield i, {"text": text, "label": label}


def test_prepared_tfds_dataset_loads_offline(tmp_path, monkeypatch):
    """A dataset prepared in --data-dir (copied from a machine with network) needs none."""
    from rnn_keras.data import sources

    data_dir = str(tmp_path / "tfds")
    LocalReviews(data_dir=data_dir).download_and_prepare()

    def no_network(*args, **kwargs):
        raise AssertionError("a prepared dataset must not look for the network")

    monkeypatch.setattr(sources, "network_reachable", no_network)
    texts, labels = load_examples(make_task("classify"), "tfds:local_reviews", "train", data_dir)
    assert sorted(zip(texts, labels)) == [("bad one", "neg"), ("good film", "pos")]
