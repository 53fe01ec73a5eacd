"""Task scores against independent references: scikit-learn, seqeval, sacreBLEU, `EntityF1`."""

import keras
import numpy as np
import pytest
import sacrebleu
from sklearn.metrics import accuracy_score
from sklearn.metrics import f1_score

from rnn_keras.metrics import EntityF1
from rnn_keras.metrics.scores import accuracy
from rnn_keras.metrics.scores import conformal_quantile
from rnn_keras.metrics.scores import entity_scores
from rnn_keras.metrics.scores import entity_spans
from rnn_keras.metrics.scores import forecast_scores
from rnn_keras.metrics.scores import interval_coverage
from rnn_keras.metrics.scores import mase_scale
from rnn_keras.metrics.scores import macro_f1
from rnn_keras.metrics.scores import translation_scores


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


TYPES = ("PER", "LOC", "ORG")


def random_layout(rng, length):
    """Segments `(type or None, size)` filling `length` tokens (`None`: outside)."""
    layout, filled = [], 0
    while filled < length:
        size = min(int(rng.integers(1, 4)), length - filled)
        layout.append((None if rng.random() < 0.4 else str(rng.choice(TYPES)), size))
        filled += size
    return layout


def perturb(rng, layout):
    """A prediction of `layout`: some segments merged into the one before or retyped."""
    result = []
    for kind, size in layout:
        if result and rng.random() < 0.2:
            result[-1] = (result[-1][0], result[-1][1] + size)
        elif rng.random() < 0.2:
            result.append((None if rng.random() < 0.4 else str(rng.choice(TYPES)), size))
        else:
            result.append((kind, size))
    return result


def write_tags(layout, scheme):
    """`layout` in IOB1 (`B` only after an entity of the same type), IOB2 or IOBES tags."""
    tags, previous = [], None
    for kind, size in layout:
        if kind is None:
            tags += ["O"] * size
        elif scheme == "iob1":
            tags += [f"{'B' if previous == kind else 'I'}-{kind}"] + [f"I-{kind}"] * (size - 1)
        elif scheme == "iob2":
            tags += [f"B-{kind}"] + [f"I-{kind}"] * (size - 1)
        elif size == 1:
            tags.append(f"S-{kind}")
        else:
            tags += [f"B-{kind}"] + [f"I-{kind}"] * (size - 2) + [f"E-{kind}"]
        previous = kind
    return tags


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize(
    "scheme, strict",
    [("iob1", False), ("iob2", False), ("iobes", False), ("iobes", True)],
    ids=["iob1", "iob2", "iobes", "iobes-strict"],
)
def test_both_entity_scorers_match_seqeval(seed, scheme, strict):
    """Random taggings against seqeval: its default mode reads chunks by conlleval's rules.

    Besides the well-formed taggings of each scheme, the lenient cases get
    15% of their tags replaced at random (an `I-X` after `O`, an `E-X`
    after another type...), where conlleval's rules decide; seqeval's strict
    IOBES mode drops ill-formed entities instead, so it sees well-formed
    taggings only.
    """
    metrics = pytest.importorskip("seqeval.metrics")
    from seqeval.scheme import IOBES

    rng = np.random.default_rng(seed)
    prefixes = "BIES" if scheme == "iobes" else "BI"
    tags = ["<PAD>", "O"] + [f"{p}-{t}" for t in TYPES for p in prefixes]
    gold, predicted = [], []
    for _ in range(80):
        layout = random_layout(rng, int(rng.integers(1, 20)))
        pair = [write_tags(layout, scheme), write_tags(perturb(rng, layout), scheme)]
        for row in pair if not strict else ():
            for i in np.flatnonzero(rng.random(len(row)) < 0.15):
                row[i] = str(rng.choice(tags[1:]))
        gold.append(pair[0])
        predicted.append(pair[1])
    options = {"mode": "strict", "scheme": IOBES} if strict else {}
    expected = {
        name: function(gold, predicted, zero_division=0, **options)
        for name, function in [
            ("precision", metrics.precision_score),
            ("recall", metrics.recall_score),
            ("f1", metrics.f1_score),
        ]
    }
    assert 0.2 < expected["f1"] < 0.95  # neither trivial nor hopeless
    scores = entity_scores(gold, predicted)
    ids = {tag: i for i, tag in enumerate(tags)}
    # Padded with id 0, which the in-graph metric does not score.
    gold_ids = pad_rows([[ids[t] for t in row] for row in gold])
    predicted_ids = pad_rows([[ids[t] for t in row] for row in predicted])
    for name, value in expected.items():
        assert scores[f"entity_{name}"] == pytest.approx(value, abs=1e-12)
        metric = EntityF1(tags, name)
        metric.update_state(gold_ids, keras.ops.one_hot(predicted_ids, len(tags)))
        assert float(metric.result()) == pytest.approx(value, abs=1e-6)


def pad_rows(rows):
    return np.array([row + [0] * (max(map(len, rows)) - len(row)) for row in rows])


def bleu_by_definition(matches, totals, hypothesis_length, reference_length):
    """sacreBLEU's BLEU from n-gram counts: the k-th order with no match counts 1 / (2^k total)."""
    log_precisions, unmatched = [], 0
    for match, total in zip(matches, totals):
        if match == 0:
            unmatched += 1
            match = 1 / 2**unmatched
        log_precisions.append(np.log(match / total))
    brevity = min(0.0, 1 - reference_length / hypothesis_length)
    return 100 * np.exp(np.mean(log_precisions) + brevity)


def test_bleu_follows_sacrebleus_definition():
    # sacreBLEU's own test counts (test_bleu.py): the hypothesis "am I am a
    # character sequence" has 4/6, 2/5, 1/4 and 0/3 n-grams in the reference,
    # and 6 words against its 8: a brevity penalty exp(1 - 8/6), which a swap
    # of hypotheses and references would not give.
    scores = translation_scores(
        ["I am a symbol string sequence a a"], ["am I am a character sequence"]
    )
    assert scores["bleu"] == pytest.approx(bleu_by_definition([4, 2, 1, 0], [6, 5, 4, 3], 6, 8))
    # 13a splits punctuation off by itself; "the cat sat on the mat ." has
    # 6/7, 4/6, 2/5, 1/4 n-grams in "the cat is on the mat .".
    scores = translation_scores(["The cat is on the mat."], ["The cat sat on the mat ."])
    assert scores["bleu"] == pytest.approx(bleu_by_definition([6, 4, 2, 1], [7, 6, 5, 4], 7, 7))
    assert translation_scores(["a b c d e"], ["a b c d e"])["bleu"] == pytest.approx(100.0)


def test_bleu_is_cased_and_records_how_it_was_computed():
    scores = translation_scores(
        ["¿Dónde está Tom?", "Hola, Tom."], ["¿dónde está tom?", "hola, tom."]
    )
    assert scores["bleu_lowercase"] == pytest.approx(100.0)
    assert scores["bleu"] < 30
    # 13a leaves "¿" on its word: a model's "¿ dónde" must be detokenised first.
    spaced = translation_scores(["¿Dónde está Tom?"], ["¿ Dónde está Tom ?"])
    assert spaced["bleu"] < 50
    version = sacrebleu.__version__
    assert scores["bleu_signature"] == (
        f"nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:{version}"
    )
    assert scores["bleu_lowercase_signature"] == (
        f"nrefs:1|case:lc|eff:no|tok:13a|smooth:exp|version:{version}"
    )
    assert scores["chrf_signature"] == (
        f"nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:{version}"
    )


def test_chrf_matches_sacrebleus_published_values():
    # sacreBLEU's test_chrf.py (effective order, where beta does not matter:
    # precision equals recall in these cases); whitespace is not scored.
    assert translation_scores(["a", "c"], ["a", "b"])["chrf"] == pytest.approx(50.0)
    assert translation_scores(["ab"], ["aa"])["chrf"] == pytest.approx(25.0)
    assert translation_scores(["abc"], ["a b c"])["chrf"] == pytest.approx(100.0)


def test_character_level_outputs_keep_a_meaningful_bleu():
    # A date normaliser's outputs: 13a splits "2001-04-03" into 5 tokens, so
    # exact outputs score 100 and one wrong digit costs n-grams of every order.
    references = ["2001-04-03", "1999-12-31", "not a date"]
    assert translation_scores(references, references)["bleu"] == pytest.approx(100.0)
    one_off = translation_scores(references, ["2001-04-03", "1999-12-30", "not a date"])
    assert 50 < one_off["bleu"] < 100


def test_no_hypotheses_score_zero():
    scores = translation_scores([], [])
    assert (scores["bleu"], scores["bleu_lowercase"], scores["chrf"]) == (0.0, 0.0, 0.0)
    assert scores["bleu_signature"].startswith("nrefs:1|case:mixed")


def test_lengths_must_match():
    with pytest.raises(ValueError, match="as many predictions as labels"):
        accuracy(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="hypotheses"):
        translation_scores(["a b"], [])


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

@pytest.mark.parametrize("n", [4, 9, 19, 100])
def test_conformal_quantile_is_the_textbook_rank_and_covers_exchangeable_scores(n):
    rng = np.random.default_rng(n)
    scores = rng.normal(size=n)
    rank = int(np.ceil((n + 1) * 0.8))  # the rank-th smallest, or the largest past n
    assert conformal_quantile(scores, 0.8) == np.sort(scores)[min(rank, n) - 1]
    # Over many draws, a new score lies at or below it at least 80% of the time.
    draws = rng.normal(size=(4000, n + 1))
    below = [new <= conformal_quantile(old, 0.8) for *old, new in draws]
    assert np.mean(below) >= 0.78


def test_weighted_conformal_quantile_reaches_its_level_in_weight():
    scores = np.array([5.0, 1.0, 4.0, 2.0, 3.0])
    # Level ceil(6 * 0.5) / 5 = 0.6. Sorted 1..5 with weights 1, 1, 1, 1, 6 (of 10):
    # 1, 2, 3, 4 reach 0.4, and 5 reaches 1.
    weights = np.array([6.0, 1.0, 1.0, 1.0, 1.0])
    assert conformal_quantile(scores, 0.5, weights) == 5.0
    assert conformal_quantile(scores, 0.5) == 3.0  # unweighted: the 3rd of 5
    assert conformal_quantile(scores, 0.5, np.ones(5)) == 3.0
