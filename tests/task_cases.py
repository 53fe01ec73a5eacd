"""One tiny trained model per task (and variant), and inputs to try them on.

`CASES` names the models the session fixture `trained` (`conftest.py`)
trains: tiny, one epoch, together covering the three cells and both
directions. The tests compare predictions, exports and formats with each
other, not quality. Every registered task must have a case:
`tests/tasks/registry_test.py` fails otherwise.
"""

import numpy as np

import task_data
from rnn_keras.export.numeric import numeric_functions

# The classifier takes the options resolved from its data (`defaults: data`);
# the others the fixed defaults, so each case stays the variant it names.
CASES = {
    "classify": dict(task="classify", data="classify.tsv", cell="lstm", bidirectional=True),
    "classify_series": dict(task="classify", data="series.tsv", cell="gru", defaults="fixed",
                            conv_filters=4, conv_branch=True),
    "tag": dict(task="tag", data="tag.conll", cell="gru", characters=True, defaults="fixed"),
    # With pretrained vectors: the words only they hold are fixed rows of a
    # `PretrainedEmbedding`.
    "tag_crf": dict(
        task="tag", data="tag.conll", cell="lstm", characters=False, crf=True,
        embeddings="vectors.txt", defaults="fixed",
    ),
    # GRU: the fused vanilla cell compiles each bucket's shape with XLA, which
    # the forecaster (one window shape) pays once.
    "seq2seq": dict(
        task="seq2seq", data="seq2seq.tsv", cell="gru", tokenize="whitespace", attention="luong",
        defaults="fixed",
    ),
    "generate": dict(
        task="generate", data="generate.txt", cell="lstm", num_layers=2, sequence_length=20,
        defaults="fixed",
    ),
    # Anchored on Naive2 (`scaling="adjusted"`): window scaling and the seasonal
    # indices' matrix in every export.
    "forecast": dict(
        task="forecast", data="forecast.csv", cell="vanilla", bidirectional=True, column="value",
        defaults="fixed", scaling="adjusted",
    ),
    # Series identity and calendar (a second signature takes them), and the change
    # from the seasonal naive forecast; the network's forecast alone, as the features
    # change it (not combined with the seasonal naive forecast).
    "forecast_features": dict(
        task="forecast", data="forecast_long.csv", cell="gru", calendar=True,
        series_identity=True, window=12, horizon=6, scaling="season", defaults="fixed",
        combine_seasonal_naive=False,
    ),
}

# Raw `predict` inputs per task: lines as a user gives them.
LINES = {
    "classify": ["the film was good", "a plot never seen before and never again , sadly"],
    "tag": ["Ana Silva visited Paris", "the plot Zzyzx", "Lima"],  # one token too
    "seq2seq": ["a b c", "h g f e d c b a", "z"],
    "generate": ["abc", "defghijabcdefg"],
}


def write_data(root):
    """Writes the data files the cases train on into `root`."""
    task_data.classification_tsv(root / "classify.tsv", 80, seed=0)
    task_data.ucr_tsv(root / "series.tsv", 40, seed=0, length=30)
    task_data.conll(root / "tag.conll", 60, seed=0)
    task_data.reversal_tsv(root / "seq2seq.tsv", 200, seed=0)
    task_data.cyclic_text(root / "generate.txt", repeats=50)
    task_data.seasonal_csv(root / "forecast.csv")
    task_data.seasonal_long_csv(root / "forecast_long.csv")
    rng = np.random.default_rng(0)
    words = task_data.NAMES + task_data.CITIES + ["oslo", "zzyzx", "kyiv"]
    (root / "vectors.txt").write_text(
        "".join(f"{w} {' '.join(f'{v:.4f}' for v in rng.normal(size=6))}\n" for w in words)
    )


def lines(task):
    """Raw `predict` inputs for a trained task."""
    if task.name == "forecast":
        window = task.config.window
        return [" ".join(map(str, np.linspace(100, 200, n))) for n in (window, window + 7)]
    if task.name == "classify" and task.series:
        rng = np.random.default_rng(0)
        return [" ".join(f"{v:.3f}" for v in rng.normal(size=n)) for n in (30, 12)]
    return LINES[task.name]


def numeric_inputs(task, model):
    """`{signature: [inputs, ...]}`: batch-one inputs of the numeric signatures, two lengths."""
    rng = np.random.default_rng(0)
    if task.name == "forecast":
        window = task.config.window
        histories = [np.linspace(100, 200, n, dtype="float32")[None] for n in (window, window + 7)]
        inputs = {"serving_default": [{"history": h} for h in histories]}
        if task.feature_names:
            # A known series and position, then unknown ones (id 0, position -1).
            features = [{"series": 2, "calendar": 5}, {"series": 0, "calendar": -1}]
            inputs["with_features"] = [
                {"history": h, **{k: np.array([v[k]], "int32") for k in task.feature_names}}
                for h, v in zip(histories, features)
            ]
        return inputs
    if task.name == "classify" and task.series:
        series = [rng.normal(size=(1, n)).astype("float32") for n in (30, 12)]
        return {"serving_default": [{"series": s} for s in series]}
    texts = LINES[task.name][:2]
    if task.name == "tag":
        inputs = task.encode_inputs([text.split() for text in LINES["tag"]])
        if not isinstance(inputs, dict):
            return {"serving_default": [{"tokens": np.array([t], "int32")} for t in inputs]}
        return {
            "serving_default": [
                {"tokens": np.array([t], "int32"), "characters": c[None]}
                for t, c in zip(inputs["tokens"], inputs["characters"])
            ]
        }
    vocabulary = task.source_vocabulary if task.name == "seq2seq" else task.vocabulary
    ids = [np.array([vocabulary.encode(text)], "int32") for text in texts]
    if task.name == "classify":
        return {"serving_default": [{"tokens": i} for i in ids]}
    if task.name == "seq2seq":
        return {"serving_default": [{"source": i} for i in ids]}
    state_specs = numeric_functions(task, model)["step"].input_signature[1:]
    step = [
        {
            "token": i[:, -1:],
            **{s.name: rng.normal(size=(1, s.shape[-1])).astype("float32") for s in state_specs},
        }
        for i in ids
    ]
    return {"prefix": [{"prompt": i} for i in ids], "step": step}
