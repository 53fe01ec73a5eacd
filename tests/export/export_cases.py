"""Inputs of the numeric export signatures for the models of `conftest.py`."""

import numpy as np

from rnn_keras.data import Vocabulary
from rnn_keras.export.numeric import numeric_functions


TEXTS = {
    "classify": ["the film was good", "a plot never seen before and never again , sadly"],
    "tag": ["Ana Silva visited Paris", "the plot Zzyzx", "Lima"],  # one token too
    "seq2seq": ["a b c", "h g f e d c b a"],
    "generate": ["abc", "defghijabcdefg"],
}


def numeric_inputs(task, model):
    """`{signature: [inputs, ...]}`: batch-one inputs at two (tags: three) sequence lengths."""
    rng = np.random.default_rng(0)
    if task.name == "forecast":
        window = int(task.config["window"])
        histories = [np.linspace(100, 200, n, dtype="float32")[None] for n in (window, window + 7)]
        return {"serving_default": [{"history": h} for h in histories]}
    texts = TEXTS[task.name]
    if task.name == "tag":
        inputs = task._inputs([text.split() for text in texts])
        if not isinstance(inputs, dict):
            return {"serving_default": [{"tokens": np.array([t], "int32")} for t in inputs]}
        return {
            "serving_default": [
                {"tokens": np.array([t], "int32"), "characters": c[None]}
                for t, c in zip(inputs["tokens"], inputs["characters"])
            ]
        }
    if task.name == "seq2seq":
        vocabulary = task.source_vocabulary
    elif task.name == "classify":
        vocabulary = Vocabulary.from_config(task.state["vocabulary"])
    else:
        vocabulary = task.vocabulary
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
