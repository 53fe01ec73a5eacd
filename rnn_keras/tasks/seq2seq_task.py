"""N→M: encoder-decoder translation of one string into another."""

import os

import numpy as np
import tensorflow as tf

from rnn_keras.data.vocabulary import END_ID
from rnn_keras.data.vocabulary import START_ID
from rnn_keras.data.vocabulary import Vocabulary
from rnn_keras.decoding import Seq2SeqInference
from rnn_keras.metrics.scores import accuracy
from rnn_keras.metrics.scores import corpus_bleu
from rnn_keras.models import build_seq2seq
from rnn_keras.tasks.task import Task
from rnn_keras.tasks.task import target_steps
from rnn_keras.tasks.task import batches
from rnn_keras.tasks.task import logger
from rnn_keras.tasks.task import pad


class Seq2SeqTask(Task):
    """Source string → target string (`source<TAB>target` data).

    Scores: exact match (of the token sequences, after lower-casing when
    `lowercase`) and corpus BLEU of greedy (or, with `beam_width > 1`,
    beam-search) decodes.
    """

    loss_mask = staticmethod(target_steps)

    name = "seq2seq"
    # Decoding runs encoder and decoder step models, not the trained model.
    ensemble_keys = None
    defaults = {
        "attention": "luong",
        "split": "character",
        "lowercase": False,
        "max_tokens": None,
        "min_count": 1,
        "max_length": None,
        "beam_width": 1,
        "length_penalty": 0.6,
    }

    def prepare(self, train):
        c = self.config
        sources = [source for source, _ in train]
        targets = [target for _, target in train]
        source_vocab = Vocabulary.build(
            sources, c["split"], c["lowercase"], c["max_tokens"], c["min_count"]
        )
        target_vocab = Vocabulary.build(
            targets, c["split"], c["lowercase"], c["max_tokens"], c["min_count"]
        )
        longest = max(len(target_vocab.tokenize(t)) for t in targets)
        self.state = {
            "source_vocabulary": source_vocab.get_config(),
            "target_vocabulary": target_vocab.get_config(),
            "max_decode_length": int(longest * 1.5) + 2,
        }
        logger.info(
            "seq2seq: %d source and %d target ids (reserved 4 included); longest target %d",
            source_vocab.size,
            target_vocab.size,
            longest,
        )

    @property
    def attention(self):
        """The attention score, `None` for none (`"none"` in configs)."""
        return None if self.config["attention"] in (None, "none") else self.config["attention"]

    @property
    def source_vocabulary(self):
        return Vocabulary.from_config(self.state["source_vocabulary"])

    @property
    def target_vocabulary(self):
        return Vocabulary.from_config(self.state["target_vocabulary"])

    def _encode(self, examples):
        source_vocab, target_vocab = self.source_vocabulary, self.target_vocabulary
        limit = self.config["max_length"]
        sources, targets, truncated = [], [], 0
        for source, target in examples:
            s, t = source_vocab.encode(source), target_vocab.encode(target)
            if limit and (len(s) > limit or len(t) > limit):
                truncated += 1
                s, t = s[:limit], t[:limit]
            sources.append(s or [0])
            targets.append(t)
        if truncated:
            logger.warning("seq2seq: truncated %d pairs to max_length=%d", truncated, limit)
        return sources, targets

    def dataset(self, examples, training, origin=None):
        sources, targets = self._encode(examples)
        inputs = {
            "source": sources,
            "decoder_input": [[START_ID] + t for t in targets],
        }
        return self.batched(inputs, [t + [END_ID] for t in targets], training, bucket_by="source")

    def build_model(self):
        c = self.config
        return build_seq2seq(
            self.source_vocabulary.size,
            self.target_vocabulary.size,
            bidirectional=bool(c["bidirectional"]),
            embedding_dim=int(c["embedding_dim"]),
            attention=self.attention,
            **self.recurrent_arguments(),
        )

    def inference(self, model):
        return Seq2SeqInference(model, START_ID, END_ID, self.state["max_decode_length"])

    def translate(self, model, texts, beam_width=None, inference=None):
        """Decoded strings (and their log-probability scores) for `texts`."""
        beam_width = int(beam_width or self.config["beam_width"])
        inference = inference or self.inference(model)
        source_vocab, target_vocab = self.source_vocabulary, self.target_vocabulary
        encoded = [source_vocab.encode(text) or [0] for text in texts]
        outputs, scores = [None] * len(texts), [0.0] * len(texts)
        for indices, chunk in batches(encoded, 256):
            source = tf.constant(pad(chunk))
            if beam_width > 1:
                result = inference.beam_search(
                    source, tf.constant(beam_width), tf.constant(self.config["length_penalty"])
                )
            else:
                result = inference.greedy(source)
            for i, row, score in zip(indices, result["tokens"].numpy(), result["scores"].numpy()):
                outputs[i] = target_vocab.decode(row)
                scores[i] = float(score)
        return outputs, scores

    def evaluate(self, model, examples, origin=None):
        sources = [source for source, _ in examples]
        references = [target for _, target in examples]
        hypotheses, _ = self.translate(model, sources)
        # BLEU lower-cases by itself; exact match compares tokens (lower-cased
        # with `lowercase`): a word-level output is its tokens joined by
        # spaces, so "¿ dónde está tom ?" matches "¿Dónde está Tom?".
        tokenize = self.target_vocabulary.tokenize
        return {
            "exact_match": accuracy(
                [tokenize(r) for r in references], [tokenize(h) for h in hypotheses]
            ),
            "bleu": corpus_bleu(references, hypotheses),
            "examples": len(examples),
        }

    def predict(self, model, lines):
        outputs, scores = self.translate(model, lines)
        return [
            {"input": line, "output": output, "score": score}
            for line, output, score in zip(lines, outputs, scores)
        ]

    def plots(self, model, examples, directory):
        if not self.attention or not examples:
            return []
        from rnn_keras import plots

        source_text = examples[0][0]
        source_vocab, target_vocab = self.source_vocabulary, self.target_vocabulary
        source = tf.constant(pad([source_vocab.encode(source_text) or [0]]))
        result = self.inference(model).greedy(source)
        tokens = result["tokens"].numpy()[0]
        length = int(result["lengths"].numpy()[0])
        weights = np.asarray(result["attention"].numpy()[0][:length])
        rows = [
            target_vocab.id_to_token[int(t)] if int(t) < target_vocab.size else "?"
            for t in tokens[:length]
        ]
        columns = source_vocab.tokenize(source_text)
        path = os.path.join(directory, "attention.png")
        plots.attention_heatmap(weights[:, : len(columns)], columns, rows, path)
        return [path]
