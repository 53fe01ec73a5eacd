"""N→1: one label per text or per time series."""

import numpy as np

from rnn_keras.data.readers import DataError
from rnn_keras.data.vocabulary import Vocabulary
from rnn_keras.metrics.scores import accuracy
from rnn_keras.metrics.scores import macro_f1
from rnn_keras.models import build_classifier
from rnn_keras.tasks.task import WORD_VECTOR_DEFAULTS
from rnn_keras.tasks.task import Task
from rnn_keras.tasks.task import batches
from rnn_keras.tasks.task import logger
from rnn_keras.tasks.task import predict_batch
from rnn_keras.tasks.task import pad
from rnn_keras.tasks.task import parse_numbers


class ClassifyTask(Task):
    """Text (`label<TAB>text`) or series (UCR `label<TAB>v1<TAB>...`) → label.

    Text goes through a word (or character) `Vocabulary`; series are
    standardised with the training mean and standard deviation and read
    one value per step. Scores: accuracy and macro-F1.
    """

    name = "classify"
    ensemble_keys = ("max_length",)
    defaults = {
        "split": "whitespace",
        "lowercase": True,
        "max_tokens": 20000,
        "min_count": 1,
        "max_length": None,
        "pooling": "last",
        "head_dropout": 0.0,
        "embedding_dropout": 0.0,
        "token_dropout": 0.0,
        **WORD_VECTOR_DEFAULTS,
    }

    def prepare(self, train):
        inputs, labels = train
        c = self.config
        classes = sorted(set(labels))
        if len(classes) < 2:
            raise ValueError(f"classify: the training data has {len(classes)} class(es); need >= 2")
        self.state = {"classes": classes}
        if inputs and not isinstance(inputs[0], str):
            if c["embeddings"]:
                raise ValueError(
                    "classify: `embeddings` (word vectors) need text inputs; the data are series"
                )
            values = np.concatenate([np.asarray(s, "float64") for s in inputs])
            self.state.update(
                kind="series", mean=float(values.mean()), std=float(values.std() or 1.0)
            )
            logger.info("classify: %d classes, series of %d steps", len(classes), len(inputs[0]))
        else:
            vocabulary = Vocabulary.build(
                inputs, c["split"], c["lowercase"], c["max_tokens"], c["min_count"]
            )
            self.state["kind"] = "text"
            vocabulary = self.with_word_vectors(vocabulary)
            self.state["vocabulary"] = vocabulary.get_config()
            logger.info("classify: %d classes, %d token ids", len(classes), vocabulary.size)

    @property
    def series(self):
        return self.state["kind"] == "series"

    def _encode_inputs(self, inputs):
        if self.series:
            mean, std = self.state["mean"], self.state["std"]
            return [[[(v - mean) / std] for v in s] for s in inputs]
        vocabulary = Vocabulary.from_config(self.state["vocabulary"])
        limit = self.config["max_length"]
        encoded = [vocabulary.encode(text)[:limit] or [0] for text in inputs]
        long = sum(len(vocabulary.tokenize(t)) > limit for t in inputs) if limit else 0
        if long:
            logger.warning("classify: truncated %d texts to max_length=%d", long, limit)
        return encoded

    def _encode_labels(self, labels, origin):
        index = {label: i for i, label in enumerate(self.state["classes"])}
        for line, label in enumerate(labels, start=1):
            if label not in index:
                raise DataError(
                    origin or "data",
                    line,
                    f"label {label!r} is not among the training labels {self.state['classes']}",
                )
        return np.array([index[label] for label in labels], "int32")

    def dataset(self, examples, training, origin=None):
        inputs, labels = examples
        return self.batched(
            self._encode_inputs(inputs),
            self._encode_labels(labels, origin),
            training,
            bucket_by=None if self.series else "input",
        )

    def build_model(self):
        c = self.config
        features = (
            {"num_features": 1}
            if self.series
            else {
                "vocab_size": Vocabulary.from_config(self.state["vocabulary"]).size,
                **self.embedding_arguments(),
            }
        )
        return build_classifier(
            len(self.state["classes"]),
            bidirectional=bool(c["bidirectional"]),
            pooling=c["pooling"],
            head_dropout=float(c["head_dropout"]),
            embedding_dropout=float(c["embedding_dropout"]),
            token_dropout=float(c["token_dropout"]),
            **features,
            **self.recurrent_arguments(),
        )

    def probabilities(self, model, inputs):
        """`(examples, classes)` probabilities, in the order of `inputs`."""
        encoded = self._encode_inputs(inputs)
        result = np.zeros((len(encoded), len(self.state["classes"])), "float32")
        for indices, chunk in batches(encoded, 256):
            batch = pad(chunk, "float32") if self.series else pad(chunk)
            result[indices] = predict_batch(model, batch)
        return result

    def evaluate(self, model, examples, origin=None):
        inputs, labels = examples
        self._encode_labels(labels, origin)
        predicted = self.probabilities(model, inputs).argmax(-1)
        names = [self.state["classes"][i] for i in predicted]
        return {
            "accuracy": accuracy(labels, names),
            "macro_f1": macro_f1(labels, names, self.state["classes"]),
            "examples": len(labels),
        }

    def predict(self, model, lines):
        inputs = [parse_numbers(line) for line in lines] if self.series else list(lines)
        probabilities = self.probabilities(model, inputs)
        return [
            {
                "input": line,
                "label": self.state["classes"][int(p.argmax())],
                "probability": float(p.max()),
            }
            for line, p in zip(lines, probabilities)
        ]

