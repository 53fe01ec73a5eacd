"""Every task end to end through `rnn_keras.tasks.train`: learns, scores, predicts, reloads."""

import importlib
import json
import os

import numpy as np
import pytest

import numpy_reference
import task_data
from replica_models import count_traces
from rnn_keras import runner
from rnn_keras import tasks
from rnn_keras.compat import build_before_fit
from rnn_keras.config import ConfigError
from rnn_keras.data.readers import DataError
from rnn_keras.tasks.common import pad

SEED = int(os.environ.get("RNN_KERAS_TEST_SEED", "1337"))


def train(tmp_path, **config):
    # The fixed defaults: these tests check learning with the options they give.
    config = {"output": str(tmp_path / "model"), "seed": SEED, "defaults": "fixed", **config}
    return runner.train(config, verbose=0), config["output"]


# Text classification end to end (learns, scores, predicts, reloads): cli_test.py.


@pytest.mark.large  # about 30 s; serving_test.py trains and serves a series classifier by default
def test_classify_series(tmp_path):
    task_data.ucr_tsv(tmp_path / "train.tsv", 120, seed=0)
    task_data.ucr_tsv(tmp_path / "test.tsv", 60, seed=1)
    metrics, output = train(
        tmp_path,
        task="classify",
        data=str(tmp_path / "train.tsv"),
        test=str(tmp_path / "test.tsv"),
        cell="gru",
        units=16,
        epochs=25,
        learning_rate=1e-2,
        patience=25,
    )
    assert metrics["test"]["accuracy"] >= 0.9
    task, _ = runner.load(output)
    assert task.state["kind"] == "series"
    t = np.arange(40)
    square = ", ".join(f"{v:.3f}" for v in np.sign(np.sin(2 * np.pi * t / 10 + 0.3)))
    assert runner.predict(output, [square])[0]["label"] == "2"


def test_the_runner_traces_the_training_step_once(tmp_path, monkeypatch):
    """The loss, metrics and optimizer are built before `fit` (`compat.build_before_fit`)."""
    train_module = importlib.import_module("rnn_keras.runner.train")  # not `runner.train`
    traces = []

    def counting(model, data):
        traces.append(count_traces(model))
        return build_before_fit(model, data)

    monkeypatch.setattr(train_module, "build_before_fit", counting)
    task_data.classification_tsv(tmp_path / "train.tsv", 40, seed=0)
    train(tmp_path, task="classify", data=str(tmp_path / "train.tsv"), units=4, epochs=2)
    assert [len(t) for t in traces] == [1]  # Keras alone traces it twice: `compat_test.py`


def train_tagger(tmp_path, **config):
    """A tagger trained on generated entities, scored well on their test split."""
    task_data.conll(tmp_path / "train.conll", 250, seed=0)
    task_data.conll(tmp_path / "test.conll", 150, seed=1)
    metrics, output = train(
        tmp_path,
        task="tag",
        data=str(tmp_path / "train.conll"),
        test=str(tmp_path / "test.conll"),
        cell="lstm",
        units=16,
        epochs=8,
        learning_rate=1e-2,
        **config,
    )
    assert metrics["test"]["token_accuracy"] >= 0.97
    assert metrics["test"]["entity_f1"] >= 0.9
    return metrics, output


def test_iobes_tags_are_scored_as_entities(tmp_path):
    """IOBES data log entity F1 in training and score it in `evaluate` (one epoch)."""
    task_data.conll(tmp_path / "bio.conll", 60, seed=0)
    blocks = (tmp_path / "bio.conll").read_text().split("\n\n")
    iobes = []
    for block in blocks:
        rows = [row.split("\t") for row in block.strip().splitlines()]
        tags = [tag for _, tag in rows] + ["O"]
        for i, (word, tag) in enumerate(rows):
            last = not tags[i + 1].startswith("I-")
            if tag.startswith("B-") and last:
                tag = "S-" + tag[2:]
            elif tag.startswith("I-") and last:
                tag = "E-" + tag[2:]
            rows[i] = (word, tag)
        iobes.append("\n".join(f"{w}\t{t}" for w, t in rows))
    (tmp_path / "iobes.conll").write_text("\n\n".join(iobes) + "\n")
    assert "S-LOC" in (tmp_path / "iobes.conll").read_text()
    metrics, _ = train(
        tmp_path, task="tag", data=str(tmp_path / "iobes.conll"), units=4, epochs=1,
        monitor="val_entity_f1", characters=False,
    )
    assert "entity_f1" in metrics["validation"]
    history = (tmp_path / "model" / "history.csv").read_text().splitlines()[0].split(",")
    assert "val_entity_f1" in history


def test_tag_entities(tmp_path):
    _, output = train_tagger(tmp_path)
    result = runner.predict(output, ["the film Ana Silva is Lima"])[0]
    assert result["tags"] == ["O", "O", "B-PER", "I-PER", "O", "B-LOC"]


@pytest.mark.large  # about 55 s; by default serving_test.py checks a CRF tagger's predictions
# against the NumPy Viterbi, and crf_test.py that training raises the gold likelihood
def test_tag_entities_with_a_crf_decodes_by_viterbi(tmp_path):
    metrics, output = train_tagger(tmp_path, crf=True)
    assert runner.evaluate(output, str(tmp_path / "test.conll")) == pytest.approx(metrics["test"])
    task, model = runner.load(output)
    assert task.config.crf and model.get_layer("crf") is model.layers[-1]
    sentences = [["the", "film", "Ana", "Silva", "is", "Lima"], ["Zzyzx", "Lima"], ["Ana"]]
    result = runner.predict(output, [" ".join(s) for s in sentences])
    assert result[0]["tags"] == ["O", "O", "B-PER", "I-PER", "O", "B-LOC"]
    # Every prediction is the NumPy Viterbi path of the model's tag scores, also
    # with strong random transitions, where it differs from each token's best tag.
    crf = model.get_layer("crf")
    for scale in (None, 5.0):
        if scale:
            rng = np.random.default_rng(0)
            crf.transitions.assign(rng.normal(scale=scale, size=crf.transitions.shape))
            result = task.predict(model, [" ".join(s) for s in sentences])
        weights = [w.numpy() for w in (crf.transitions, crf.start_transitions, crf.end_transitions)]
        differs = False
        for sentence, predicted in zip(sentences, result):
            inputs = {key: pad(value) for key, value in task.encode_inputs([sentence]).items()}
            scores = np.array(model(inputs, training=False))[0]
            path = numpy_reference.viterbi(scores, *weights, exclude=[0])
            assert predicted["tags"] == [task.tags[t] for t in path]
            differs |= path != list(scores[:, 1:].argmax(-1) + 1)
    assert differs


@pytest.mark.large  # about 35 s; serving_test.py trains seq2seq and decodes greedy and beam by default
def test_seq2seq_reversal_greedy_and_beam(tmp_path):
    task_data.reversal_tsv(tmp_path / "train.tsv", 3000, seed=0)
    task_data.reversal_tsv(tmp_path / "test.tsv", 200, seed=1)
    metrics, output = train(
        tmp_path,
        task="seq2seq",
        data=str(tmp_path / "train.tsv"),
        test=str(tmp_path / "test.tsv"),
        cell="gru",
        units=48,
        embedding_dim=16,
        epochs=10,
        learning_rate=5e-3,
        batch_size=64,
        tokenize="whitespace",
    )
    assert metrics["test"]["exact_match"] >= 0.95
    assert metrics["test"]["bleu"] >= 90
    assert os.path.isfile(os.path.join(output, "attention.png"))
    task, model = runner.load(output)
    beam = task.translate(model, ["a b c d e f", "h g g"], beam_width=4)[0]
    assert beam == ["f e d c b a", "g g h"]


def test_generate_learns_a_cycle(tmp_path):
    task_data.cyclic_text(tmp_path / "text.txt")
    metrics, output = train(
        tmp_path,
        task="generate",
        data=str(tmp_path / "text.txt"),
        cell="gru",
        units=32,
        sequence_length=20,
        epochs=6,
        learning_rate=1e-2,
    )
    # Validation is the last 10% of the text, in order.
    assert metrics["data"]["validation"].endswith("(held out)")
    scores = metrics["validation"]
    assert scores["bits_per_token"] < 0.3
    assert scores["perplexity"] == pytest.approx(2 ** scores["bits_per_token"], rel=1e-6)
    task, model = runner.load(output)
    assert task.generate(model, ["cde"], num_steps=12, temperature=0.0) == ["fghijabcdefg"]


@pytest.mark.large  # about 35 s; forecaster_test.py beats the naive forecast by default
def test_forecast_beats_seasonal_naive(tmp_path):
    task_data.seasonal_csv(tmp_path / "series.csv")
    metrics, output = train(
        tmp_path,
        task="forecast",
        data=str(tmp_path / "series.csv"),
        column="value",
        cell="gru",
        units=32,
        epochs=150,
        patience=40,
    )
    scores = metrics["test"]
    assert scores["origins"] == 5 and scores["forecasts"] == 5 * 12  # the last 16 values
    assert scores["mase"] < scores["seasonal_naive_mase"]
    assert scores["rmse"] < scores["seasonal_naive_rmse"]
    result = runner.predict(output, [", ".join(str(100 + v) for v in range(30))])[0]
    assert len(result["forecast"]) == len(result["lower"]) == 12
    # `evaluate` on the whole file scores the same held-out backtest.
    again = runner.evaluate(output, str(tmp_path / "series.csv"))
    assert again == pytest.approx(scores)


def test_model_folder_contents_and_overwrite(tmp_path):
    task_data.classification_tsv(tmp_path / "train.tsv", 100, seed=0)
    metrics, output = train(
        tmp_path, task="classify", data=str(tmp_path / "train.tsv"), units=4, epochs=2
    )
    names = set(os.listdir(output))
    assert {
        "model.keras",
        "task.json",
        "metrics.json",
        "history.csv",
        "training_curves.png",
        "logs",
    } <= names
    assert "backup" not in names  # removed once training finished
    with open(os.path.join(output, "metrics.json")) as f:
        assert json.load(f) == json.loads(json.dumps(metrics))
    with open(os.path.join(output, "task.json")) as f:
        saved = json.load(f)
    assert saved["task"] == "classify" and saved["config"]["units"] == 4
    assert (
        saved["state"]["vocabulary"]["tokens"][:1] == ["the"]
        or saved["state"]["vocabulary"]["tokens"]
    )
    assert metrics["epochs"] == 2 and metrics["data"]["validation"].endswith("(held out)")
    with pytest.raises(FileExistsError, match="--overwrite"):
        train(tmp_path, task="classify", data=str(tmp_path / "train.tsv"), units=4, epochs=1)
    metrics, _ = train(
        tmp_path,
        task="classify",
        data=str(tmp_path / "train.tsv"),
        units=4,
        epochs=1,
        overwrite=True,
    )
    assert metrics["epochs"] == 1


def test_unknown_label_names_file_and_line(tmp_path):
    task_data.classification_tsv(tmp_path / "train.tsv", 50, seed=0)
    (tmp_path / "test.tsv").write_text("pos\tgood\nneg\tbad\nmaybe\tso so\n")
    with pytest.raises(DataError, match=r"test\.tsv:3: label 'maybe'"):
        train(
            tmp_path,
            task="classify",
            data=str(tmp_path / "train.tsv"),
            test=str(tmp_path / "test.tsv"),
            units=4,
            epochs=1,
        )
    # Failed before training: nothing written, no staging folder left.
    assert not (tmp_path / "model").exists() and not (tmp_path / ".model.partial").exists()


def test_unknown_tag_names_file_and_line(tmp_path):
    task_data.conll(tmp_path / "train.conll", 30, seed=0)
    (tmp_path / "test.conll").write_text("Ana\tB-PER\n\nin\tO\nRome\tB-CITY\n")
    with pytest.raises(DataError, match=r"test\.conll:4: tag 'B-CITY'"):
        train(
            tmp_path,
            task="tag",
            data=str(tmp_path / "train.conll"),
            test=str(tmp_path / "test.conll"),
            units=4,
            epochs=1,
        )
    # Failed before training: nothing written, no staging folder left.
    assert not (tmp_path / "model").exists() and not (tmp_path / ".model.partial").exists()


def test_unknown_task_is_named():
    with pytest.raises(ConfigError, match="option `task`: expected one of"):
        tasks.make_task("summarise")


def test_test_fraction_and_time_limit(tmp_path):
    task_data.classification_tsv(tmp_path / "train.tsv", 200, seed=0)
    metrics, _ = train(
        tmp_path, task="classify", data=str(tmp_path / "train.tsv"), units=4, epochs=5,
        test_fraction=0.25, max_minutes=1e-4,
    )
    assert metrics["scored_on"] == "test"
    assert metrics["test"]["examples"] == 50
    assert metrics["data"]["test"].endswith("(held out)")
    assert metrics["epochs"] == 1  # the time budget stopped it after the first epoch


def test_monitor_direction():
    assert tasks.make_task("tag", {"monitor": "val_entity_f1"}).monitor_mode == "max"
    assert tasks.make_task("forecast", {"monitor": "val_rmse"}).monitor_mode == "min"
    assert tasks.make_task("classify").monitor_mode == "min"  # val_loss by default


def test_seq2seq_outputs_and_scores_text_with_punctuation_attached():
    task = tasks.make_task("seq2seq", {"tokenize": "punctuation", "lowercase": True})
    task.prepare([("where is tom?", "¿Dónde está Tom?")])
    # A word-level decode is its tokens joined by spaces, as the SavedModel answers.
    outputs = ["¿ dónde está tom ?", "¿ dónde está ?"]
    task.translate = lambda model, sources: (outputs, [0.0, 0.0])
    results = task.predict(None, ["where is tom?", "where is?"])
    assert [r["output"] for r in results] == outputs
    assert [r["text"] for r in results] == ["¿dónde está tom?", "¿dónde está?"]
    scores = task.evaluate(None, [("where is tom?", "¿Dónde está Tom?")] * 2)
    assert scores["exact_match"] == 0.5  # tokens compared, lower-cased
    assert scores["examples"] == 2
    # sacreBLEU against the references as written: the lower-cased output
    # loses cased BLEU, not lower-cased BLEU.
    assert scores["bleu"] < 20 < 60 < scores["bleu_lowercase"] < 100
    assert 0 < scores["chrf"] < 100
    assert "case:mixed" in scores["bleu_signature"]
    assert "case:lc" in scores["bleu_lowercase_signature"]
    assert "nc:6" in scores["chrf_signature"]
    # The same outputs scored without detokenising: 13a keeps "¿" on its word.
    task.state["target_vocabulary"]["split"] = "whitespace"
    assert task.evaluate(None, [("where is tom?", "¿Dónde está Tom?")] * 2)["bleu_lowercase"] < 60
    assert "text" not in task.predict(None, ["where is tom?", "where is?"])[0]


def test_seq2seq_metrics_file_has_sacrebleu_scores_and_signatures(trained):
    with open(os.path.join(trained["seq2seq"], "metrics.json")) as f:
        metrics = json.load(f)
    scores = metrics[metrics["scored_on"]]
    for name in ("bleu", "bleu_lowercase", "chrf"):
        assert 0 <= scores[name] <= 100
        assert scores[f"{name}_signature"].startswith("nrefs:1|case:")
    assert "tok:13a" in scores["bleu_signature"]


def test_number_lines_for_series_inputs():
    from rnn_keras.tasks.common import parse_numbers

    assert parse_numbers("1, 2.5 -3") == [1.0, 2.5, -3.0]
    with pytest.raises(ValueError, match="numbers separated by commas"):
        parse_numbers("1, two, 3")
