"""1→N: a language model that continues a prompt."""

import math

import numpy as np
import tensorflow as tf

from rnn_keras.data import readers
from rnn_keras.data.vocabulary import Vocabulary
from rnn_keras.decoding import Sampler
from rnn_keras.models import build_generator
from rnn_keras.tasks.common import check_size
from rnn_keras.tasks.common import embedding_rows
from rnn_keras.tasks.common import logger
from rnn_keras.tasks.common import predict_batch
from rnn_keras.tasks.common import target_steps
from rnn_keras.tasks.generate import defaults
from rnn_keras.tasks.generate.config import GenerateConfig
from rnn_keras.tasks.task import Task


class GenerateTask(Task):
    """Next-token language model on plain text (character level by default).

    Training reads the text in windows of `sequence_length` tokens, each
    predicting the window shifted by one. The validation split, when no
    file gives one, is the last `valid_fraction` of the text (in order, so
    no window straddles both). Scores: cross-entropy per token in nats,
    perplexity, and bits per token (bits per character at character
    level).
    """

    name = "generate"
    config_class = GenerateConfig
    defaults_rules = defaults
    # Sampling runs a step model with recurrent state, not the trained model.
    ensemble_options = None
    bidirectional = False
    loss_mask = staticmethod(target_steps)

    # === Data ===

    def read_file(self, path):
        return readers.read_text(path, self.config.encoding)

    def from_tfds(self, rows, info, name):
        for key, feature in info.features.items():
            if isinstance(feature, _tfds_text()):
                return "\n".join(readers.text(row[key]) for row in rows)
        raise ValueError(f"tfds:{name} has no text feature; features: {list(info.features)}")

    def split_off(self, examples, fraction, seed, split="validation"):
        del seed, split  # Split in order: the last part of the text.
        cut = int(len(examples) * (1 - fraction))
        return examples[:cut], examples[cut:], None

    def prepare(self, train):
        c = self.config
        vocabulary = Vocabulary.build([train], c.tokenize, c.lowercase, c.max_tokens, c.min_count)
        self.state = {"vocabulary": vocabulary.get_config()}
        logger.info("generate: %d token ids", vocabulary.size)

    def check_state(self):
        super().check_state()
        self.vocabulary

    def check_model(self, model):
        check_size("token ids", self.vocabulary.size, embedding_rows(model))
        check_size("token ids", self.vocabulary.size, model.outputs[0].shape[-1])

    @property
    def vocabulary(self):
        return Vocabulary.from_config(self.state["vocabulary"])

    def _windows(self, text):
        ids = np.array(self.vocabulary.encode(text), "int32")
        length = self.config.sequence_length
        count = (len(ids) - 1) // length
        if count < 1:
            raise ValueError(
                f"generate: the text has {len(ids)} tokens, fewer than one window of "
                f"sequence_length={length} + 1"
            )
        inputs = ids[: count * length].reshape(count, length)
        targets = ids[1 : count * length + 1].reshape(count, length)
        return inputs, targets

    def dataset(self, examples, training, origin=None):
        inputs, targets = self._windows(examples)
        return self.batched(inputs, targets, training)

    # === Model ===

    @property
    def embeds_tokens(self):
        return True

    def build_model(self):
        return build_generator(
            self.vocabulary.size,
            embedding_dim=self.config.embedding_dim,
            **self.recurrent_arguments(),
        )

    # === Scores and predictions ===

    def evaluate(self, model, examples, origin=None):
        inputs, targets = self._windows(examples)
        probabilities_of_targets = []
        for start in range(0, len(inputs), 64):
            probabilities = predict_batch(model, inputs[start : start + 64])
            picked = np.take_along_axis(probabilities, targets[start : start + 64, :, None], -1)
            probabilities_of_targets.append(picked[..., 0].ravel())
        nats = float(-np.mean(np.log(np.concatenate(probabilities_of_targets) + 1e-12)))
        return {
            "nats_per_token": nats,
            "perplexity": math.exp(nats),
            "bits_per_token": nats / math.log(2),
            "tokens": int(targets.size),
        }

    def generate(self, model, prompts, num_steps=None, temperature=None, top_k=None, seed=0):
        """Continuations of each prompt (the prompt not repeated)."""
        c = self.config
        sampler = Sampler(model)
        vocabulary = self.vocabulary
        outputs = []
        for prompt in prompts:
            ids = vocabulary.encode(prompt) or [vocabulary.token_to_id.get("\n", 1)]
            tokens = sampler.generate(
                tf.constant([ids], tf.int32),
                tf.constant(int(num_steps or c.num_steps)),
                tf.constant(float(c.temperature if temperature is None else temperature)),
                tf.constant(int(c.top_k if top_k is None else top_k)),
                tf.constant(int(seed)),
            )
            outputs.append(vocabulary.decode(tokens.numpy()[0]))
        return outputs

    def predict(self, model, lines):
        return [
            {"input": line, "output": output}
            for line, output in zip(lines, self.generate(model, lines, seed=self.config.seed))
        ]

    # === Serving ===

    def serving_module(self, model):
        from rnn_keras.tasks.generate.serving import GenerateServing

        return GenerateServing(self, model)

    def numeric_signatures(self, model, batch=None):
        from rnn_keras.tasks.generate.serving import numeric_signatures

        return numeric_signatures(self, model, batch)

    def check_export(self, export_format, model):
        super().check_export(export_format, model)
        if export_format != "saved_model" and Sampler(model).conditioned:
            raise ValueError(
                f"{export_format} export of conditioned generators is not supported; "
                "export them as saved_model"
            )


def _tfds_text():
    import tensorflow_datasets as tfds

    return tfds.features.Text
