"""Task scores against independent references: scikit-learn, NLTK, `EntityF1`."""

import keras
import numpy as np
import pytest
from sklearn.metrics import accuracy_score
from sklearn.metrics import f1_score

from rnn_keras.metrics import EntityF1
from rnn_keras.metrics.scores import accuracy
from rnn_keras.metrics.scores import bleu_tokenize
from rnn_keras.metrics.scores import corpus_bleu
from rnn_keras.metrics.scores import entity_scores
from rnn_keras.metrics.scores import entity_spans
from rnn_keras.metrics.scores import forecast_scores
from rnn_keras.metrics.scores import interval_coverage
from rnn_keras.metrics.scores import mase_scale
from rnn_keras.metrics.scores import macro_f1


@pytest.mark.parametrize("seed", range(3))
def test_accuracy_and_macro_f1_match_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    labels = list(rng.choice(["pos", "neg", "neutral"], size=200))
    predictions = list(rng.choice(["pos", "neg", "neutral"], size=200, p=[0.6, 0.3, 0.1]))
    assert accuracy(labels, predictions) == pytest.approx(accuracy_score(labels, predictions))
    assert macro_f1(labels, predictions) == pytest.approx(
        f1_score(labels, predictions, average="macro")
    )


def test_entity_spans_follow_conlleval():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG", "O"]
    assert entity_spans(tags) == [(0, 1, "PER"), (3, 4, "LOC"), (5, 5, "LOC"), (6, 6, "ORG")]


def test_entity_spans_read_iobes():
    tags = ["S-PER", "B-LOC", "E-LOC", "O", "B-ORG", "I-ORG", "E-ORG", "S-LOC", "E-LOC", "I-LOC"]
    assert entity_spans(tags) == [
        (0, 0, "PER"), (1, 2, "LOC"), (4, 6, "ORG"), (7, 7, "LOC"), (8, 8, "LOC"), (9, 9, "LOC")
    ]
    # "S-PER counts as nothing" no longer: an IOBES tagging scores 1.0 against itself.
    assert entity_scores([tags], [tags])["entity_f1"] == 1.0


@pytest.mark.parametrize("seed", range(3))
def test_iobes_and_its_iob2_spelling_give_the_same_entities(seed):
    """Random entity layouts written in IOBES and in IOB2 (S→B, E→I): the same spans."""
    rng = np.random.default_rng(seed)
    for _ in range(50):
        iobes, iob2 = [], []
        while len(iobes) < 30:
            kind = rng.choice(["PER", "LOC", "ORG"])
            length = int(rng.integers(0, 4))
            if length == 0:
                iobes.append("O")
                iob2.append("O")
            elif length == 1:
                iobes.append(f"S-{kind}")
                iob2.append(f"B-{kind}")
            else:
                middle = [f"I-{kind}"] * (length - 2)
                iobes += [f"B-{kind}", *middle, f"E-{kind}"]
                iob2 += [f"B-{kind}", *middle, f"I-{kind}"]
        assert entity_spans(iobes) == entity_spans(iob2)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(
    "tags",
    [
        ["<PAD>", "O", "B-PER", "I-PER", "B-LOC", "I-LOC"],
        ["<PAD>", "O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "E-LOC", "S-LOC"],
    ],
    ids=["bio", "iobes"],
)
def test_entity_scores_match_in_graph_metric(seed, tags):
    rng = np.random.default_rng(seed)
    gold = rng.integers(1, len(tags), size=(20, 15))
    predicted = np.where(rng.random(gold.shape) < 0.7, gold, rng.integers(1, len(tags), gold.shape))
    scores = entity_scores(
        [[tags[i] for i in row] for row in gold], [[tags[i] for i in row] for row in predicted]
    )
    for result in ("precision", "recall", "f1"):
        metric = EntityF1(tags, result)
        metric.update_state(gold, keras.ops.one_hot(predicted, len(tags)))
        assert scores[f"entity_{result}"] == pytest.approx(float(metric.result()), abs=1e-6)


def test_bleu_by_hand():
    # Hypothesis "the cat sat on the mat" against "the cat is on the mat":
    # 1-grams 5/6, 2-grams 3/5, 3-grams 1/4, 4-grams 0/3 -> BLEU 0 (unsmoothed).
    assert corpus_bleu(["the cat is on the mat"], ["the cat sat on the mat"]) == 0.0
    # An exact match scores 100; a hypothesis of half the length pays exp(1 - 2).
    assert corpus_bleu(["a b c d e"], ["a b c d e"]) == pytest.approx(100.0)
    reference = "a b c d e f g h"
    expected = 100.0 * np.exp(1 - 8 / 4)
    assert corpus_bleu([reference], ["a b c d"]) == pytest.approx(expected)
    assert bleu_tokenize("Hola, Tom.") == ["hola", ",", "tom", "."]


@pytest.mark.parametrize("seed", range(3))
def test_corpus_bleu_matches_nltk(seed):
    bleu = pytest.importorskip("nltk.translate.bleu_score")
    rng = np.random.default_rng(seed)
    words = ["el", "gato", "come", "pescado", "perro", "la", "casa", "."]
    references, hypotheses = [], []
    for _ in range(40):
        reference = list(rng.choice(words, size=rng.integers(4, 12)))
        hypothesis = [w if rng.random() < 0.8 else str(rng.choice(words)) for w in reference]
        # At least 4 tokens: NLTK counts at least one n-gram per sentence
        # even when a hypothesis is shorter than n (Papineni counts none).
        hypothesis = hypothesis[: rng.integers(4, len(hypothesis) + 1)]
        references.append(" ".join(reference))
        hypotheses.append(" ".join(hypothesis))
    expected = 100.0 * bleu.corpus_bleu(
        [[bleu_tokenize(r)] for r in references], [bleu_tokenize(h) for h in hypotheses]
    )
    assert corpus_bleu(references, hypotheses) == pytest.approx(expected, rel=1e-9)


def test_lengths_must_match():
    with pytest.raises(ValueError, match="as many predictions as labels"):
        accuracy(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="hypotheses"):
        corpus_bleu(["a b"], [])


def test_forecast_scores_against_their_definitions():
    actual = np.array([[10.0, 12.0], [11.0, 9.0], [100.0, 90.0]])
    forecast = np.array([[11.0, 12.0], [10.0, 10.0], [80.0, 100.0]])
    series = np.array([0, 0, 1])
    scales = [2.0, 10.0]
    scores = forecast_scores(actual, forecast, series, scales)
    # MASE: per series mean |e| / scale, then the mean over series.
    assert scores["mase"] == pytest.approx(((1 + 0 + 1 + 1) / 4 / 2 + (20 + 10) / 2 / 10) / 2)
    ape = lambda a, f: 200 * abs(a - f) / (abs(a) + abs(f))  # noqa: E731
    first = np.mean([ape(10, 11), 0.0, ape(11, 10), ape(9, 10)])
    second = np.mean([ape(100, 80), ape(90, 100)])
    assert scores["smape"] == pytest.approx((first + second) / 2)
    assert scores["rmse"] == pytest.approx(np.sqrt((1 + 0 + 1 + 1 + 400 + 100) / 6))
    assert scores["mae"] == pytest.approx(33 / 6)
    # A series without a scale (constant history) is left out of MASE only.
    assert forecast_scores(actual, forecast, series, [2.0, float("nan")])["mase"] == (
        pytest.approx(3 / 4 / 2)
    )


def test_mase_scale_is_the_in_sample_seasonal_naive_error():
    values = [1.0, 3.0, 2.0, 6.0, 4.0]
    assert mase_scale(values, 1) == pytest.approx((2 + 1 + 4 + 2) / 4)
    assert mase_scale(values, 2) == pytest.approx((1 + 3 + 2) / 3)
    assert mase_scale(values, 12) == pytest.approx(mase_scale(values, 1))  # too short: naive
    assert np.isnan(mase_scale([5.0, 5.0, 5.0]))
    assert np.isnan(mase_scale([5.0]))


def test_interval_coverage():
    assert interval_coverage([1, 2, 3, 4], [0, 2.5, 3, 0], [2, 3, 3, 3]) == 0.5