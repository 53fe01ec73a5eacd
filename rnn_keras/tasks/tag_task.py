"""N→N: one tag per token (part of speech, named entities)."""

import numpy as np

from rnn_keras.data.readers import DataError
from rnn_keras.data.readers import conll_line
from rnn_keras.data.vocabulary import Vocabulary
from rnn_keras.metrics.scores import accuracy
from rnn_keras.metrics.scores import entity_scores
from rnn_keras.models import build_tagger
from rnn_keras.models.crf_model import crf_layer
from rnn_keras.models.crf_model import decode_scores
from rnn_keras.tasks.task import WORD_VECTOR_DEFAULTS
from rnn_keras.tasks.task import Task
from rnn_keras.tasks.task import target_steps
from rnn_keras.tasks.task import batches
from rnn_keras.tasks.task import logger
from rnn_keras.tasks.task import predict_batch
from rnn_keras.tasks.task import pad

PAD_TAG = "<PAD>"


def _viterbi(model, batch):
    """The Viterbi tag ids of a model ending in a `CRF` (for `predict_batch`)."""
    tokens = batch["tokens"] if isinstance(batch, dict) else batch
    return decode_scores(crf_layer(model), model(batch, training=False), tokens != 0)


class TagTask(Task):
    """Tokens → tags (CoNLL `token<TAB>tag` data).

    Tag id 0 is padding; the rest are the training tags in sorted order.
    With BIO tags (`B-X`/`I-X`/`O`) the model also tracks entity F1
    during training. With `characters` (the default), each token is also
    read by its spelling (`CharacterEncoder` over its first `max_chars`
    characters, case kept even when words are lower-cased), which is how
    a tagger recognises names it never saw. With `crf`, the tagger ends
    in a linear-chain CRF (`build_tagger(crf=True)`): trained on whole tag
    sequences, decoded with Viterbi. Scores: token accuracy and entity-level precision,
    recall and F1 (exact span and type, as conlleval counts them).
    """

    loss_mask = staticmethod(target_steps)

    name = "tag"
    ensemble_keys = ("max_chars",)
    defaults = {
        "bidirectional": True,
        "lowercase": True,
        "max_tokens": 30000,
        "min_count": 1,
        "head_dropout": 0.0,
        "embedding_dropout": 0.0,
        "token_dropout": 0.0,
        "characters": True,
        "max_chars": 20,
        "crf": False,
        **WORD_VECTOR_DEFAULTS,
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
        self.state = {"tags": tags}
        vocabulary = self.with_word_vectors(vocabulary)
        self.state["vocabulary"] = vocabulary.get_config()
        if c["characters"]:
            characters = Vocabulary.build(
                [token for tokens, _ in train for token in tokens], "character"
            )
            self.state["characters"] = characters.get_config()
        logger.info(
            "tag: %d token ids, %d tags%s",
            vocabulary.size,
            len(tags) - 1,
            f", {characters.size} character ids" if c["characters"] else "",
        )

    def _inputs(self, sentences):
        """Model inputs of token lists: ids, and character ids per token."""
        vocabulary = Vocabulary.from_config(self.state["vocabulary"])
        tokens = [vocabulary.encode(words) or [0] for words in sentences]
        if "characters" not in self.state:
            return tokens
        characters = Vocabulary.from_config(self.state["characters"])
        width = int(self.config["max_chars"])
        rows = []
        for words in sentences:
            row = np.zeros((max(len(words), 1), width), "int32")
            for i, word in enumerate(words):
                ids = characters.encode(word)[:width]
                row[i, : len(ids)] = ids
            rows.append(row)
        return {"tokens": tokens, "characters": rows}

    @property
    def bio(self):
        return all(t == "O" or t[:2] in ("B-", "I-") for t in self.state["tags"][1:])

    def _encode(self, examples, origin):
        index = {tag: i for i, tag in enumerate(self.state["tags"])}
        tags = []
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
            tags.append([index[label] for label in labels])
        return self._inputs([words for words, _ in examples]), tags

    def dataset(self, examples, training, origin=None):
        inputs, tags = self._encode(examples, origin)
        return self.batched(
            inputs,
            tags,
            training,
            bucket_by="tokens" if isinstance(inputs, dict) else "input",
        )

    def build_model(self):
        c = self.config
        return build_tagger(
            len(self.state["tags"]),
            vocab_size=Vocabulary.from_config(self.state["vocabulary"]).size,
            bidirectional=bool(c["bidirectional"]),
            head_dropout=float(c["head_dropout"]),
            embedding_dropout=float(c["embedding_dropout"]),
            token_dropout=float(c["token_dropout"]),
            crf=bool(c["crf"]),
            tags=self.state["tags"] if self.bio else None,
            char_vocab_size=(
                Vocabulary.from_config(self.state["characters"]).size
                if "characters" in self.state
                else None
            ),
            **self.embedding_arguments(),
            **self.recurrent_arguments(),
        )

    def tag(self, model, sentences):
        """Predicted tag names for each token list (padding never predicted).

        A CRF tagger's tags are its Viterbi path; a softmax tagger's (or an
        ensemble's) the most probable tag of each token.
        """
        inputs = self._inputs(sentences)
        crf = crf_layer(model) is not None
        tokens = inputs["tokens"] if isinstance(inputs, dict) else inputs
        result = [None] * len(tokens)
        for indices, chunk in batches(tokens, 256):
            batch = pad(chunk)
            if isinstance(inputs, dict):
                batch = {"tokens": batch, "characters": pad([inputs["characters"][i] for i in indices])}
            if crf:
                ids = predict_batch(model, batch, _viterbi)
            else:
                probabilities = predict_batch(model, batch)
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
