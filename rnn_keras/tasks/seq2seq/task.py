"""N→M: encoder-decoder translation of one string into another."""

import os

import numpy as np
import tensorflow as tf

from rnn_keras.data import readers
from rnn_keras.data.detokenize import detokenize
from rnn_keras.data.generated import NOT_A_DATE
from rnn_keras.data.vocabulary import END_ID
from rnn_keras.data.vocabulary import START_ID
from rnn_keras.data.vocabulary import Vocabulary
from rnn_keras.decoding import Seq2SeqInference
from rnn_keras.metrics.scores import accuracy
from rnn_keras.metrics.scores import translation_scores
from rnn_keras.models import build_seq2seq
from rnn_keras.tasks.common import check_size
from rnn_keras.tasks.common import embedding_rows
from rnn_keras.tasks.common import input_length_limit
from rnn_keras.tasks.common import truncate
from rnn_keras.tasks.common import batches
from rnn_keras.tasks.common import logger
from rnn_keras.tasks.common import pad
from rnn_keras.tasks.common import supervised_keys
from rnn_keras.tasks.common import target_steps
from rnn_keras.tasks.seq2seq import dates
from rnn_keras.tasks.seq2seq import defaults
from rnn_keras.tasks.seq2seq.config import Seq2SeqConfig
from rnn_keras.tasks.task import Task


class Seq2SeqTask(Task):
    """Source string → target string (`source<TAB>target` data).

    Scores of greedy (or, with `beam_width > 1`, beam-search) decodes:
    exact match (of the token sequences, after lower-casing when
    `lowercase`), and sacreBLEU's corpus BLEU (13a, cased; and lower-cased)
    and chrF against the references as they are in the data, with their
    signatures (`translation_scores`). A model that lower-cases its targets
    outputs lower-cased text, and its cased BLEU counts that.
    """

    name = "seq2seq"
    config_class = Seq2SeqConfig
    defaults_rules = defaults
    # Decoding runs encoder and decoder step models, not the trained model.
    ensemble_options = None
    loss_mask = staticmethod(target_steps)

    # === Data ===

    def read_file(self, path):
        return readers.read_seq2seq_tsv(path, self.config.encoding)

    def from_tfds(self, rows, info, name):
        input_key, target_key = supervised_keys(info, name, self.name)
        return [(readers.text(row[input_key]), readers.text(row[target_key])) for row in rows]

    def prepare(self, train):
        c = self.config
        sources = [source for source, _ in train]
        targets = [target for _, target in train]
        source_vocab = Vocabulary.build(sources, c.tokenize, c.lowercase, c.max_tokens, c.min_count)
        target_vocab = Vocabulary.build(targets, c.tokenize, c.lowercase, c.max_tokens, c.min_count)
        longest = max(len(target_vocab.tokenize(t)) for t in targets)
        lengths = [len(source_vocab.tokenize(s)) for s in sources]
        self.state = {
            "source_vocabulary": source_vocab.get_config(),
            "target_vocabulary": target_vocab.get_config(),
            "max_decode_length": c.max_decode_length or int(longest * 1.5) + 2,
            "max_input_length": input_length_limit(lengths, c.max_input_length),
        }
        if all(dates.is_date_target(target) for target in targets):
            # A date normaliser: outputs are checked, inputs flagged (see `dates`).
            self.state["dates"] = {"order": c.date_order, "not_a_date": NOT_A_DATE}
        logger.info(
            "seq2seq: %d source and %d target ids (reserved 4 included); longest target %d",
            source_vocab.size,
            target_vocab.size,
            longest,
        )

    def check_state(self):
        super().check_state()
        self.source_vocabulary, self.target_vocabulary
        if int(self.max_decode_length) < 1:
            raise ValueError(f"expected max_decode_length >= 1, got {self.max_decode_length}")

    def check_model(self, model):
        source, target = self.source_vocabulary.size, self.target_vocabulary.size
        check_size("source token ids", source, embedding_rows(model, "source_embedding"))
        check_size("target token ids", target, embedding_rows(model, "target_embedding"))
        check_size("target token ids", target, model.outputs[0].shape[-1])

    @property
    def normalises_dates(self):
        """Whether the model maps inputs to ISO dates or "not a date" (see `dates`)."""
        return "dates" in self.state

    @property
    def attention(self):
        """The attention score, `None` for none (`"none"` in configs)."""
        return None if self.config.attention == "none" else self.config.attention

    @property
    def source_vocabulary(self):
        return Vocabulary.from_config(self.state["source_vocabulary"])

    @property
    def target_vocabulary(self):
        return Vocabulary.from_config(self.state["target_vocabulary"])

    @property
    def max_decode_length(self):
        """Most tokens a decode emits (the end token included)."""
        return self.state["max_decode_length"]

    @property
    def input_limit(self):
        """The most tokens a source keeps (`max_input_length`, or the fitted outlier bound)."""
        return self.state.get("max_input_length") or self.config.max_input_length

    def encode_sources(self, texts):
        """Source ids of `texts`, cut to `input_limit` (a count of cut ones logged)."""
        encoded = [self.source_vocabulary.encode(text) for text in texts]
        if self.input_limit:
            encoded = truncate(encoded, self.input_limit, "sources", "seq2seq")
        return [ids or [0] for ids in encoded]

    def _encode(self, examples):
        target_vocab = self.target_vocabulary
        sources = self.encode_sources([source for source, _ in examples])
        # A target is decoded with its end token, within `max_decode_length`.
        targets = [target_vocab.encode(target) for _, target in examples]
        targets = truncate(targets, self.max_decode_length - 1, "targets", "seq2seq")
        return sources, targets

    def dataset(self, examples, training, origin=None):
        sources, targets = self._encode(examples)
        inputs = {
            "source": sources,
            "decoder_input": [[START_ID] + t for t in targets],
        }
        return self.batched(inputs, [t + [END_ID] for t in targets], training, bucket_by="source")

    # === Model ===

    @property
    def embeds_tokens(self):
        return True

    def build_model(self):
        c = self.config
        return build_seq2seq(
            self.source_vocabulary.size,
            self.target_vocabulary.size,
            bidirectional=c.bidirectional,
            embedding_dim=c.embedding_dim,
            attention=self.attention,
            **self.recurrent_arguments(),
        )

    def search_space(self, hp, fixed):
        from rnn_keras.tuning.space import attention_entry

        values = super().search_space(hp, fixed)
        values["attention"] = attention_entry(hp, fixed)
        return values

    def inference(self, model):
        """The greedy and beam-search decoders of a trained model."""
        return Seq2SeqInference(model, START_ID, END_ID, self.max_decode_length)

    # === Scores and predictions ===

    @property
    def detokenizes(self):
        """Whether outputs have punctuation split off as words (`output_text` attaches it)."""
        return self.state["target_vocabulary"]["split"] in ("punctuation", "subword")

    def output_text(self, output):
        """A decoded output as ordinary text, what `evaluate` scores and `predict` shows as `text`.

        Characters and whitespace-split words are the text already; words
        split at punctuation (`tokenize: punctuation` or `subword`) have
        their punctuation attached again (`detokenize`: `"¿ dónde está tom
        ?"` → `"¿dónde está tom?"`).

        Args:
            output: `str.` A decode (`translate`): tokens joined as the
                exported SavedModel joins them.

        Returns:
            `str.`
        """
        return detokenize(output) if self.detokenizes else output

    def translate(self, model, texts, beam_width=None, inference=None):
        """Decoded strings (and their log-probability scores) for `texts`.

        The strings are the target tokens joined (by nothing for
        characters, else by spaces), as the exported SavedModel answers;
        `output_text` makes them ordinary text.
        """
        beam_width = int(beam_width or self.config.beam_width)
        inference = inference or self.inference(model)
        target_vocab = self.target_vocabulary
        encoded = self.encode_sources(texts)
        outputs, scores = [None] * len(texts), [0.0] * len(texts)
        for indices, chunk in batches(encoded, 256):
            source = tf.constant(pad(chunk))
            if beam_width > 1:
                result = inference.beam_search(
                    source, tf.constant(beam_width), tf.constant(self.config.length_penalty)
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
        outputs, scores = self.translate(model, sources)
        hypotheses = [self.output_text(output) for output in outputs]
        # Exact match compares tokens (lower-cased with `lowercase`), so
        # "¿dónde está tom?" matches "¿Dónde está Tom?"; sacreBLEU scores
        # the text as it is, case included.
        tokenize = self.target_vocabulary.tokenize
        result = {
            "exact_match": accuracy(
                [tokenize(r) for r in references], [tokenize(h) for h in hypotheses]
            ),
            **translation_scores(references, hypotheses),
            "examples": len(examples),
        }
        if self.normalises_dates:
            result.update(dates.scores(references, hypotheses, scores, sources))
        return result

    def predict(self, model, lines):
        outputs, scores = self.translate(model, lines)
        results = [
            {"input": line, "output": output, "score": score}
            for line, output, score in zip(lines, outputs, scores)
        ]
        if self.detokenizes:
            # `output` stays what the SavedModel answers; `text` is what is scored.
            for result in results:
                result["text"] = self.output_text(result["output"])
        if self.normalises_dates:
            order = self.state["dates"]["order"]
            for result in results:
                result.update(
                    valid=dates.is_calendar_date(result["output"]),
                    confidence=dates.confidence(result["score"]),
                    ambiguous=dates.is_ambiguous(result["input"]),
                    date_order=order,
                )
        return results

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
        title = f"{source_text!r} -> {self.output_text(target_vocab.decode(tokens[:length]))!r}"
        plots.attention_heatmap(weights[:, : len(columns)], columns, rows, path, title=title)
        return [path]

    # === Serving ===

    def serving_module(self, model):
        from rnn_keras.tasks.seq2seq.serving import Seq2SeqServing

        return Seq2SeqServing(self, model)

    def numeric_signatures(self, model, batch=None):
        from rnn_keras.tasks.seq2seq.serving import numeric_signatures

        return numeric_signatures(self, model, batch)
