"""N→N: one tag per token (part of speech, named entities)."""

import numpy as np

from rnn_keras.data import readers
from rnn_keras.data.readers import DataError
from rnn_keras.data.readers import conll_line
from rnn_keras.data.sources import as_origin
from rnn_keras.data.vocabulary import Vocabulary
from rnn_keras.metrics.scores import accuracy
from rnn_keras.metrics.scores import entity_scores
from rnn_keras.profile import tag_scheme
from rnn_keras.models import build_tagger
from rnn_keras.models.crf_model import crf_layer
from rnn_keras.models.crf_model import decode_scores
from rnn_keras.tasks.common import check_size
from rnn_keras.tasks.common import embedding_rows
from rnn_keras.tasks.common import find_layer
from rnn_keras.tasks.common import batches
from rnn_keras.tasks.common import logger
from rnn_keras.tasks.common import pad
from rnn_keras.tasks.common import predict_batch
from rnn_keras.tasks.common import supervised_keys
from rnn_keras.tasks.common import target_steps
from rnn_keras.tasks.tag import defaults
from rnn_keras.tasks.tag.config import TagConfig
from rnn_keras.tasks.task import Task

PAD_TAG = "<PAD>"
ENTITY_METRICS = ("entity_precision", "entity_recall", "entity_f1")


def _viterbi(model, batch):
    """The Viterbi tag ids of a model ending in a `CRF` (for `predict_batch`)."""
    tokens = batch["tokens"] if isinstance(batch, dict) else batch
    return decode_scores(crf_layer(model), model(batch, training=False), tokens != 0)


class TagTask(Task):
    """Tokens → tags (CoNLL data: `token<TAB>tag`, or CoNLL-2003's `token POS chunk tag`).

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

    name = "tag"
    config_class = TagConfig
    defaults_rules = defaults
    ensemble_options = ("max_chars",)
    loss_mask = staticmethod(target_steps)

    # === Data ===

    def read_file(self, path):
        return readers.read_conll(path, self.config.encoding, self.config.tag_column)

    def from_tfds(self, rows, info, name):
        input_key, target_key = supervised_keys(info, name, self.name)
        tag_names = info.features[target_key].feature.names
        return [
            (
                [readers.text(t) for t in row[input_key]],
                [tag_names[int(t)] for t in row[target_key]],
            )
            for row in rows
        ]

    def prepare(self, train):
        c = self.config
        vocabulary = Vocabulary.build(
            [tokens for tokens, _ in train], "whitespace", c.lowercase, c.max_tokens, c.min_count
        )
        tags = [PAD_TAG] + sorted({tag for _, tags in train for tag in tags})
        self.state = {"tags": tags}
        vocabulary = self.with_word_vectors(vocabulary)
        self.state["vocabulary"] = vocabulary.get_config()
        if c.characters:
            characters = Vocabulary.build(
                [token for tokens, _ in train for token in tokens], "character"
            )
            self.state["characters"] = characters.get_config()
        logger.info(
            "tag: %d token ids, %d tags%s",
            vocabulary.size,
            len(tags) - 1,
            f", {characters.size} character ids" if c.characters else "",
        )

    def check_prepared(self):
        monitored = self.config.monitor.removeprefix("val_")
        self.check_option(
            "monitor",
            self.bio or monitored not in ENTITY_METRICS,
            f"{self.config.monitor!r} is logged for entity tags only (BIO or IOBES); the "
            f"training tags are {self.tags[1:10]}",
        )

    def check_state(self):
        super().check_state()
        if not isinstance(self.tags, list) or self.tags[:1] != [PAD_TAG]:
            raise ValueError(f"expected the tags to start with {PAD_TAG!r}, got {self.tags!r:.80}")
        self.vocabulary, self.characters

    def check_model(self, model):
        check_size("tags", len(self.tags), model.outputs[0].shape[-1])
        check_size("token ids", self.vocabulary.size, embedding_rows(model))
        if self.characters is not None:
            encoder = find_layer(model, "character_encoder")
            check_size("character ids", self.characters.size, getattr(encoder, "vocab_size", None))

    @property
    def tags(self):
        """The tag names by id (id 0 is padding)."""
        return self.state["tags"]

    @property
    def vocabulary(self):
        return Vocabulary.from_config(self.state["vocabulary"])

    @property
    def characters(self):
        """The character `Vocabulary`, or `None` without character features."""
        config = self.state.get("characters")
        return None if config is None else Vocabulary.from_config(config)

    @property
    def bio(self):
        """Whether the tags mark entities, BIO (IOB1, IOB2) or IOBES: entity scores apply."""
        tags = self.tags[1:]
        return set(tags) <= {"O"} or tag_scheme(tags) is not None

    def encode_inputs(self, sentences):
        """Model inputs of token lists: ids, and character ids per token."""
        vocabulary = self.vocabulary
        tokens = [vocabulary.encode(words) or [0] for words in sentences]
        characters = self.characters
        if characters is None:
            return tokens
        width = self.config.max_chars
        rows = []
        for words in sentences:
            row = np.zeros((max(len(words), 1), width), "int32")
            for i, word in enumerate(words):
                ids = characters.encode(word)[:width]
                row[i, : len(ids)] = ids
            rows.append(row)
        return {"tokens": tokens, "characters": rows}

    def _encode(self, examples, origin):
        index = {tag: i for i, tag in enumerate(self.tags)}
        origin = as_origin(origin)
        tags = []
        for s, (words, labels) in enumerate(examples):
            for t, label in enumerate(labels):
                if label not in index or label == PAD_TAG:
                    sentence = origin.example(s)
                    line = None
                    if origin.path is not None:
                        line = conll_line(origin.path, sentence, t, self.config.encoding)
                    raise DataError(
                        origin.spec,
                        line,
                        f"tag {label!r} (sentence {sentence + 1}, token {t + 1}) is not among "
                        f"the training tags",
                    )
            tags.append([index[label] for label in labels])
        return self.encode_inputs([words for words, _ in examples]), tags

    def dataset(self, examples, training, origin=None):
        inputs, tags = self._encode(examples, origin)
        return self.batched(
            inputs,
            tags,
            training,
            bucket_by="tokens" if isinstance(inputs, dict) else "input",
        )

    # === Model ===

    @property
    def embeds_tokens(self):
        return "embedding_dim" not in self.state

    def build_model(self):
        c = self.config
        characters = self.characters
        return build_tagger(
            len(self.tags),
            vocab_size=self.vocabulary.size,
            bidirectional=c.bidirectional,
            head_dropout=c.head_dropout,
            embedding_dropout=c.embedding_dropout,
            token_dropout=c.token_dropout,
            crf=c.crf,
            tags=self.tags if self.bio else None,
            char_vocab_size=None if characters is None else characters.size,
            **self.embedding_arguments(),
            **self.recurrent_arguments(),
        )

    # === Scores and predictions ===

    def tag(self, model, sentences):
        """Predicted tag names for each token list (padding never predicted).

        A CRF tagger's tags are its Viterbi path; a softmax tagger's (or an
        ensemble's) the most probable tag of each token.
        """
        inputs = self.encode_inputs(sentences)
        crf = crf_layer(model) is not None
        tokens = inputs["tokens"] if isinstance(inputs, dict) else inputs
        result = [None] * len(tokens)
        for indices, chunk in batches(tokens, 256):
            batch = pad(chunk)
            if isinstance(inputs, dict):
                characters = pad([inputs["characters"][i] for i in indices])
                batch = {"tokens": batch, "characters": characters}
            if crf:
                ids = predict_batch(model, batch, _viterbi)
            else:
                probabilities = predict_batch(model, batch)
                probabilities[..., 0] = -1.0
                ids = probabilities.argmax(-1)
            for i, row in zip(indices, ids):
                result[i] = [self.tags[t] for t in row[: len(sentences[i])]]
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

    # === Serving ===

    def serving_module(self, model):
        from rnn_keras.tasks.tag.serving import TagServing

        return TagServing(self, model)

    def numeric_signatures(self, model, batch=None):
        from rnn_keras.tasks.tag.serving import numeric_signatures

        return numeric_signatures(self, model, batch)
