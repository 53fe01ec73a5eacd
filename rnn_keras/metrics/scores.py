"""Task scores computed in Python on decoded predictions (for `evaluate`).

In-graph metrics watch training; these score what a user gets at the end:
strings, tags and forecasts after decoding.
"""

import numpy as np
from sacrebleu.metrics import BLEU
from sacrebleu.metrics import CHRF


def _same_length(first, second, names):
    first, second = list(first), list(second)
    if len(first) != len(second):
        raise ValueError(
            f"Expected as many {names[1]} as {names[0]}. Received: {len(first)} {names[0]} "
            f"and {len(second)} {names[1]}"
        )
    return first, second


def accuracy(labels, predictions):
    """Fraction of equal pairs."""
    labels, predictions = _same_length(labels, predictions, ("labels", "predictions"))
    if not labels:
        return 0.0
    return sum(a == b for a, b in zip(labels, predictions)) / len(labels)


def macro_f1(labels, predictions, classes=None):
    """Unweighted mean over classes of each class's F1 (0 for a class never hit)."""
    labels, predictions = _same_length(labels, predictions, ("labels", "predictions"))
    classes = sorted(set(labels) | set(predictions)) if classes is None else classes
    scores = []
    for c in classes:
        tp = sum(a == c and b == c for a, b in zip(labels, predictions))
        predicted = sum(b == c for b in predictions)
        actual = sum(a == c for a in labels)
        scores.append(2 * tp / (predicted + actual) if predicted + actual else 0.0)
    return float(np.mean(scores)) if scores else 0.0


def entity_spans(tags):
    """Entities of a BIO (IOB1, IOB2) or IOBES tag sequence as `(start, end, type)`.

    conlleval's chunk rules: an entity goes on only from a `B-X` or `I-X` into
    an `I-X` or `E-X` of the same type; anything else ends it (`E-X` and
    `S-X` end their entity at themselves). Any `B-`, `I-`, `E-` or `S-` tag
    that does not go on an entity starts one, so an `I-X` after `O` starts an
    entity, as conlleval reads IOB1. Other tags are outside.
    """
    spans, start, kind, previous = [], None, None, "O"
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, entity = tag.partition("-")
        if prefix not in ("B", "I", "E", "S") or not entity:
            prefix, entity = "O", ""
        continues = (
            start is not None and previous in ("B", "I") and prefix in ("I", "E")
            and entity == kind
        )
        if start is not None and not continues:
            spans.append((start, i - 1, kind))
            start, kind = None, None
        if prefix != "O" and not continues:
            start, kind = i, entity
        previous = prefix
    return spans


def entity_scores(gold_sequences, predicted_sequences):
    """Entity-level precision, recall and F1 (exact span and type), as conlleval.

    Tags may be BIO (IOB1 or IOB2) or IOBES (`entity_spans`).
    """
    gold_sequences, predicted_sequences = _same_length(
        gold_sequences, predicted_sequences, ("gold sequences", "predicted sequences")
    )
    tp = n_gold = n_predicted = 0
    for gold, predicted in zip(gold_sequences, predicted_sequences):
        g, p = set(entity_spans(gold)), set(entity_spans(predicted))
        tp += len(g & p)
        n_gold += len(g)
        n_predicted += len(p)
    precision = tp / n_predicted if n_predicted else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"entity_precision": precision, "entity_recall": recall, "entity_f1": f1}


def translation_scores(references, hypotheses):
    """sacreBLEU's corpus BLEU (cased and lower-cased) and chrF, with their signatures.

    sacreBLEU's defaults, so that the scores can be set beside published
    ones: BLEU (Papineni et al., 2002) on a 0-100 scale with the
    `13a` tokenisation of WMT's `mteval-v13a.pl` (punctuation split off
    by sacreBLEU itself), case kept, exponential smoothing; the same BLEU
    lower-cased (`bleu_lowercase`: how far case alone costs a model that
    lower-cases its output); chrF (character 6-grams, beta 2, whitespace
    ignored). Each score comes with sacreBLEU's signature, which names
    how it was computed, e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`.

    Both sides must be ordinary text as it is written (the references as
    they are in the data; word-level outputs detokenised first, see
    `rnn_keras.data.detokenize`): sacreBLEU tokenises them itself.

    Args:
        references: `list` of `str`, one reference per hypothesis.
        hypotheses: `list` of `str`.

    Returns:
        `dict`: `bleu`, `bleu_lowercase` and `chrf` (0 for no hypotheses),
        and `bleu_signature`, `bleu_lowercase_signature` and
        `chrf_signature`.

    Reference:
        Papineni et al., 2002. BLEU: a Method for Automatic Evaluation of
        Machine Translation. Popović, 2015. chrF: character n-gram F-score
        for automatic MT evaluation. Post, 2018. A Call for Clarity in
        Reporting BLEU Scores.
    """
    references, hypotheses = _same_length(references, hypotheses, ("references", "hypotheses"))
    # No hypotheses are scored as one empty sentence (0): sacreBLEU refuses an
    # empty corpus, and signs a metric only once it has scored.
    hypotheses, references = hypotheses or [""], references or [""]
    metrics = {"bleu": BLEU(), "bleu_lowercase": BLEU(lowercase=True), "chrf": CHRF()}
    scores = {}
    for name, metric in metrics.items():
        scores[name] = metric.corpus_score(hypotheses, [references]).score
        scores[f"{name}_signature"] = str(metric.get_signature())
    return scores


def mase_scale(values, season=1):
    """The in-sample MAE of the seasonal-naive forecast: MASE's denominator.

    `mean |y_t - y_{t-season}|` over the training values of one series
    (Hyndman & Koehler, 2006); a series no longer than `season` falls back
    to the one-step naive forecast (`season=1`). `nan` when fewer than two
    values or a constant series leave nothing to scale by.
    """
    values = np.asarray(values, "float64")
    if len(values) <= season:
        season = 1
    if len(values) <= season:
        return float("nan")
    scale = float(np.mean(np.abs(values[season:] - values[:-season])))
    return scale if scale > 0 else float("nan")


def forecast_scores(actual, forecast, series, scales):
    """Point-forecast scores of a backtest, the M-competitions' way.

    Args:
        actual: `(windows, horizon)` values.
        forecast: `(windows, horizon)` forecasts.
        series: `(windows,)` index of the series each window belongs to.
        scales: per series, its `mase_scale` (`nan`: left out of MASE).

    Returns:
        `dict`: `mase` (per series the mean absolute error over its windows
        divided by its scale, then the mean over series), `smape` (per series
        the mean of `200 |y - f| / (|y| + |f|)`, in percent, 0 where both are
        0; then the mean over series), `rmse` and `mae` over all values.

    Reference:
        Hyndman & Koehler, 2006. Another look at measures of forecast
        accuracy. Makridakis et al., 2020. The M4 Competition.
    """
    actual, forecast = (np.asarray(v, "float64") for v in (actual, forecast))
    series = np.asarray(series)
    scales = np.asarray(scales, "float64")
    error = np.abs(actual - forecast)
    total = np.abs(actual) + np.abs(forecast)
    ape = np.divide(200.0 * error, total, out=np.zeros_like(error), where=total > 0)
    mase, smape = [], []
    for index in np.unique(series):
        rows = series == index
        smape.append(ape[rows].mean())
        if np.isfinite(scales[index]):
            mase.append(error[rows].mean() / scales[index])
    return {
        "mase": float(np.mean(mase)) if mase else float("nan"),
        "smape": float(np.mean(smape)),
        "rmse": float(np.sqrt(np.mean((actual - forecast) ** 2))),
        "mae": float(error.mean()),
    }


def conformal_quantile(scores, level, weights=None):
    """The split-conformal quantile of conformity `scores` for coverage `level`.

    The smallest score whose (weighted) empirical distribution reaches
    `ceil((n + 1) level) / n` over the `n` scores (the largest score where
    that exceeds 1): a new score exchangeable with them lies at or below it
    with probability at least `level` (Romano et al., 2019). `weights`
    make the scores stand for a mix other than their own (Tibshirani et
    al., 2019); `None` weighs them alike.
    """
    scores = np.asarray(scores, "float64").ravel()
    weights = np.ones_like(scores) if weights is None else np.asarray(weights, "float64").ravel()
    n = scores.size
    target = min(1.0, np.ceil((n + 1) * level) / n)
    order = np.argsort(scores, kind="stable")
    reached = np.cumsum(weights[order]) / weights.sum()
    return float(scores[order][min(int(np.searchsorted(reached, target - 1e-12)), n - 1)])


def interval_coverage(actual, lower, upper):
    """The share of `actual` values inside `[lower, upper]`."""
    actual, lower, upper = (np.asarray(v, "float64") for v in (actual, lower, upper))
    return float(np.mean((actual >= lower) & (actual <= upper)))
