"""Series classification from `.ts` files: several channels, varying lengths, patches."""

import gzip

import numpy as np
import pytest
import tensorflow as tf

from rnn_keras import runner
from rnn_keras.tasks import make_task
from rnn_keras.tasks.classify.task import parse_series


def _ts(path, count, seed, channels=3):
    """Two classes told apart by the level of channel 0; lengths 6-14."""
    rng = np.random.default_rng(seed)
    lines = ["@problemName toy", "@timeStamps false", "@missing false", "@univariate false",
             f"@dimensions {channels}", "@equalLength false", "@classLabel true up down", "@data"]
    for i in range(count):
        label = ("up", "down")[i % 2]
        length = int(rng.integers(6, 15))
        values = rng.normal(size=(channels, length)) + np.array([[2.0 if label == "up" else -2.0]]
                                                                 + [[0.0]] * (channels - 1))
        lines.append(":".join(",".join(f"{v:.3f}" for v in row) for row in values) + f":{label}")
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def model_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("ts")
    _ts(root / "train.ts", 40, seed=0)
    _ts(root / "test.ts", 20, seed=1)
    config = {"task": "classify", "data": str(root / "train.ts"), "test": str(root / "test.ts"),
              "output": str(root / "model"), "epochs": 8, "patch_size": 2, "conv_filters": 4,
              "seed": 0, "seeds": 1}  # one model (40 series would average three: seeds_test.py)
    metrics = runner.train(config, verbose=0, export=True)
    return root, metrics


def test_multivariate_variable_length_series_train_and_score(model_folder):
    root, metrics = model_folder
    task, model = runner.load(str(root / "model"))
    assert task.channels == 3 and task.series
    assert metrics["test"]["accuracy"] >= 0.9  # the level of channel 0 tells the classes
    # 40 series with test data: nothing held out, the epoch chosen on the training data.
    assert metrics["data"]["validation"] == str(root / "train.ts")
    assert model.get_layer("patches").patch_size == 2
    assert model.get_layer("convolution").filters == 4
    # Resolved from the data: the blocks' average joins the BiGRU's (2 x 32 + 4 features).
    assert task.config.conv_branch
    assert model.get_layer("probabilities").kernel.shape[0] == 68
    # Per-channel training statistics (channel 0 mixes the two levels).
    assert abs(task.state["mean"][0]) < 1 and task.state["std"][0] > 1.5


def test_predict_reads_channels_split_by_colons_and_the_savedmodel_agrees(model_folder):
    root, _ = model_folder
    task, model = runner.load(str(root / "model"))
    lines = ["2.1,1.9,2.3,2.0,1.8,2.2:0,0,0,0,0,0:1,0,1,0,1,0",
             "-2,-2.2,-1.9,-2.1,-2,-1.7,-2.4,-2:0,0,0,0,0,0,0,0:0,0,0,0,0,0,0,0"]
    results = task.predict(model, lines)
    assert [r["label"] for r in results] == ["up", "down"]
    # The SavedModel takes `(batch, steps, channels)` with NaN padding.
    served = tf.saved_model.load(str(root / "model" / "1"))
    series = [parse_series(line) for line in lines]
    batch = np.full((2, 8, 3), np.nan, "float32")
    for row, values in enumerate(series):
        batch[row, : len(values)] = values
    outputs = served.signatures["serving_default"](series=tf.constant(batch))
    np.testing.assert_allclose(
        outputs["probability"].numpy(), [r["probability"] for r in results], rtol=1e-5
    )


def test_a_series_with_another_channel_count_is_refused(model_folder):
    root, _ = model_folder
    task, model = runner.load(str(root / "model"))
    with pytest.raises(ValueError, match="3 channel"):
        task.predict(model, ["1,2,3:4,5,6"])
    with pytest.raises(ValueError, match="equal length"):
        parse_series("1,2,3:4,5")


def test_a_ucr_file_padded_with_nan_reads_as_variable_length_series(tmp_path):
    # As the UCR archive (2018) writes its variable-length sets; the first line is padded.
    lines = ["up\t1\t2\tNaN\tNaN", "down\t-1\t-2\t-3\t-4", "up\t3\tNaN\t5\tNaN"]
    (tmp_path / "var.tsv").write_text("\n".join(lines) + "\n")
    task = make_task("classify", {"data": str(tmp_path / "var.tsv")})
    inputs, labels = task.read_file(str(tmp_path / "var.tsv"))
    assert labels == ["up", "down", "up"] and [len(x) for x in inputs] == [2, 4, 3]
    # Gzipped, the same; a `.ts.gz` is a `.ts`.
    with gzip.open(tmp_path / "var.tsv.gz", "wt") as f:
        f.write("\n".join(lines) + "\n")
    assert task.read_file(str(tmp_path / "var.tsv.gz"))[1] == labels
    with gzip.open(tmp_path / "u.ts.gz", "wt") as f:
        # Only the name says `.ts`: the first line is a comment.
        f.write("# a comment\n@problemName u\n@classLabel true a b\n@data\n1,2,3:a\n4,5,6:b\n")
    assert task.read_file(str(tmp_path / "u.ts.gz"))[1] == ["a", "b"]
    # Weka's `.arff` and timeseriesclassification.com's `.txt`, by name or first line.
    (tmp_path / "a.arff").write_text("@relation a\n@attribute t0 numeric\n@attribute t1 numeric\n"
                                     "@attribute c {up,down}\n@data\n1,2,up\n3,4,down\n")
    (tmp_path / "a_arff.txt").write_text((tmp_path / "a.arff").read_text())
    (tmp_path / "a.txt").write_text("  1.0e+00  1.0e+00  2.0e+00\n  2.0e+00  3.0e+00  4.0e+00\n")
    (tmp_path / "last.csv").write_text("0.5,2.5,up\n3,4,down\n")
    (tmp_path / "header.csv").write_text("x0,x1,class\n0.5,2.5,up\n3,4,down\n")
    for name, expected in (("a.arff", ["up", "down"]), ("a_arff.txt", ["up", "down"]),
                           ("a.txt", ["1", "2"]), ("last.csv", ["up", "down"]),
                           ("header.csv", ["up", "down"])):
        read_inputs, read_labels = task.read_file(str(tmp_path / name))
        assert read_labels == expected, name
        np.testing.assert_array_equal(np.asarray(read_inputs[1]).ravel(), [3, 4], name)
    task.prepare((inputs, labels))
    # Statistics over the values present: the NaN inside the third series is left out.
    known = [1, 2, -1, -2, -3, -4, 3, 5]
    assert task.state["kind"] == "series"
    assert task.state["mean"] == pytest.approx([np.mean(known)])
    assert task.state["std"] == pytest.approx([np.std(known)])
