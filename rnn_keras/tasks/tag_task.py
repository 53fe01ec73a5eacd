"""N→N: one tag per token (part of speech, named entities)."""

import numpy as np

from rnn_keras.data.pipeline import make_dataset
from rnn_keras.data.readers import DataError
from rnn_keras.data.readers import conll_line
from rnn_keras.data.vocabulary import Vocabulary
from rnn_keras.metrics.scores import accuracy
from rnn_keras.metrics.scores import entity_scores
from rnn_keras.models import build_tagger
from rnn_keras.tasks.task import Task
from rnn_keras.tasks.task import batches
from rnn_keras.tasks.task import logger
from rnn_keras.tasks.task import predict_batch
from rnn_keras.tasks.task import pad

PAD_TAG = "<PAD>"


class TagTask(Task):
    """Tokens → tags (CoNLL `token<TAB>tag` data).

    Tag id 0 is padding; the rest are the training tags in sorted order.
    With BIO tags (`B-X`/`I-X`/`O`) the model also tracks entity F1
    during training. Scores: token accuracy and entity-level precision,
    recall and F1 (exact span and type, as conlleval counts them).
    """

    name = "tag"
    defaults = {
        "bidirectional": True,
        "lowercase": True,
        "max_tokens": 30000,
        "min_count": 1,
        "head_dropout": 0.0,
    }

    def prepare(self, train):
        c = self.config
        vocabulary = Vocabulary.build(
            [tokens for tokens, _ in train],
            "whitespace",
            c["lowercase"],
            c["max_tokens"],
            c["min_count"],
        )
        tags = [PAD_TAG] + sorted({tag for _, tags in train for tag in tags})
        self.state = {"vocabulary": vocabulary.get_config(), "tags": tags}
        logger.info("tag: %d token ids, %d tags", vocabulary.size, len(tags) - 1)

    @property
    def bio(self):
        return all(t == "O" or t[:2] in ("B-", "I-") for t in self.state["tags"][1:])

    def _encode(self, examples, origin):
        vocabulary = Vocabulary.from_config(self.state["vocabulary"])
        index = {tag: i for i, tag in enumerate(self.state["tags"])}
        tokens, tags = [], []
        for s, (words, labels) in enumerate(examples):
            for t, label in enumerate(labels):
                if label not in index or label == PAD_TAG:
                    line = conll_line(origin, s, t) if origin else None
                    raise DataError(
                        origin or "data",
                        line,
                        f"tag {label!r} (sentence {s + 1}, token {t + 1}) is not among "
                        f"the training tags",
                    )
            tokens.append(vocabulary.encode(words))
            tags.append([index[label] for label in labels])
        return tokens, tags

    def dataset(self, examples, training, origin=None):
        tokens, tags = self._encode(examples, origin)
        return make_dataset(
            tokens,
            tags,
            batch_size=int(self.config["batch_size"]),
            shuffle=training,
            seed=int(self.config["seed"]),
            bucket_by="input",
        )

    def build_model(self):
        c = self.config
        return build_tagger(
            len(self.state["tags"]),
            vocab_size=Vocabulary.from_config(self.state["vocabulary"]).size,
            embedding_dim=int(c["embedding_dim"]),
            bidirectional=bool(c["bidirectional"]),
            head_dropout=float(c["head_dropout"]),
            tags=self.state["tags"] if self.bio else None,
            **self.recurrent_arguments(),
        )

    def tag(self, model, sentences):
        """Predicted tag names for each token list (padding never predicted)."""
        vocabulary = Vocabulary.from_config(self.state["vocabulary"])
        encoded = [vocabulary.encode(words) or [0] for words in sentences]
        result = [None] * len(encoded)
        for indices, chunk in batches(encoded, 256):
            probabilities = predict_batch(model, pad(chunk))
            probabilities[..., 0] = -1.0
            ids = probabilities.argmax(-1)
            for i, row in zip(indices, ids):
                result[i] = [self.state["tags"][t] for t in row[: len(sentences[i])]]
        return result

    def evaluate(self, model, examples, origin=None):
        self._encode(examples, origin)
        gold = [tags for _, tags in examples]
        predicted = self.tag(model, [tokens for tokens, _ in examples])
        flat_gold = [t for tags in gold for t in tags]
        flat_predicted = [t for tags in predicted for t in tags]
        scores = {"token_accuracy": accuracy(flat_gold, flat_predicted), "examples": len(examples)}
        if self.bio:
            scores.update(entity_scores(gold, predicted))
        return scores

    def predict(self, model, lines):
        sentences = [line.split() for line in lines]
        return [
            {
                "input": line,
                "tags": tags,
                "output": " ".join(f"{w}/{t}" for w, t in zip(words, tags)),
            }
            for line, words, tags in zip(lines, sentences, self.tag(model, sentences))
        ]
