"""N→1: one label per text or per time series."""

import collections
import itertools

import numpy as np

from rnn_keras.config import ConfigError
from rnn_keras.data import readers
from rnn_keras.data import series_readers
from rnn_keras.data.readers import DataError
from rnn_keras.data.sources import as_origin
from rnn_keras.data.splits import stratified_split
from rnn_keras.data.vocabulary import Vocabulary
from rnn_keras.metrics.scores import accuracy
from rnn_keras.metrics.scores import macro_f1
from rnn_keras.models import build_classifier
from rnn_keras.tasks.classify import defaults
from rnn_keras.tasks.classify.config import ClassifyConfig
from rnn_keras.tasks.common import check_size
from rnn_keras.tasks.common import embedding_rows
from rnn_keras.tasks.common import input_length_limit
from rnn_keras.tasks.common import truncate
from rnn_keras.tasks.common import batches
from rnn_keras.tasks.common import logger
from rnn_keras.tasks.common import pad
from rnn_keras.tasks.common import parse_numbers
from rnn_keras.tasks.common import predict_batch
from rnn_keras.tasks.common import supervised_keys
from rnn_keras.tasks.task import Task


class ClassifyTask(Task):
    """Text (`label<TAB>text`) or series (UCR `label<TAB>v1<TAB>...`, `.ts`) → label.

    Text goes through a word (or character) `Vocabulary`. Series, with
    one or more channels and of equal or varying length, go into the model
    as raw values padded with NaN; the model standardises them (by the
    training data's per-channel statistics, or per series) and masks the
    padding (`SeriesNormalization`), may convolve them (`conv_filters`,
    `SeriesConvolution`; `conv_branch` adds the convolved steps' average to
    the recurrent summary) and may read them in patches of `patch_size`
    steps (`SeriesPatches`). Scores: accuracy and macro-F1.
    """

    name = "classify"
    config_class = ClassifyConfig
    defaults_rules = defaults
    ensemble_options = ("max_input_length",)
    resolves_seeds = True
    # A few dozen examples with test data are not split at all (`valid_fraction`
    # resolved to 0): decided before anything is held out.
    profiles_whole_data = True

    def data_defaults(self, profile):
        """The rules of `defaults`, with the `valid_fraction` the user gave.

        `--conv-filters 0` (no convolution blocks) drops the rule of the
        blocks' branch, which has nothing to average then.
        """
        c = self.config
        given = c.valid_fraction if "valid_fraction" in c.given else None
        rules = defaults.data_defaults(profile, given)
        if "conv_filters" in c.given and not c.conv_filters:
            rules = [rule for rule in rules if rule.option != "conv_branch"]
        return rules

    # === Data ===

    def split_indices(self, examples, fraction, seed, split="validation"):
        """`(rest, part)` index arrays: about `fraction` of each label's examples held out.

        Stratified (`splits.stratified_split`): every label keeps an example
        in the training data, and the part held out has the labels' shares.
        Where no label has a second example, a `ConfigError` names the
        fraction of `split` (`valid_fraction`, `test_fraction`).
        """
        try:
            return stratified_split(examples[1], fraction, seed)
        except ValueError as error:
            option, flag = ("valid_fraction", "--valid") if split == "validation" else (
                f"{split}_fraction", f"--{split}")
            raise ConfigError(
                option, f"{error}: give the {split} data as a file ({flag} FILE)",
                self.config.given.get(option),
            ) from None

    def read_file(self, path):
        """The examples of a file: `.ts` or `.arff` series, UCR series, or text.

        UCR series are separated by tabs, commas or spaces, their label
        first or last, perhaps under a header naming the columns
        (`readers.read_ucr_tsv`).
        """
        encoding = self.config.encoding
        lines = list(itertools.islice(readers.iter_lines(path, encoding), 2))
        line = lines[0] if lines else ""
        suffix = readers.format_suffix(path)
        if suffix == ".arff" or line.lower().startswith("@relation"):
            return series_readers.read_arff(path, encoding)
        if suffix == ".ts" or line.startswith("@"):
            return series_readers.read_ts(path, encoding)
        fields = [readers.ucr_fields(line) for line in lines]
        if fields and (readers.is_ucr_row(fields[0])
                       or (len(fields) == 2 and readers.is_ucr_header(*fields))):
            return readers.read_ucr_tsv(path, encoding)
        return readers.read_classification_tsv(path, encoding)

    def from_tfds(self, rows, info, name):
        input_key, target_key = supervised_keys(info, name, self.name)
        names = getattr(info.features[target_key], "names", None)
        inputs, labels = [], []
        for row in rows:
            inputs.append(readers.text(row[input_key]))
            label = int(row[target_key])
            labels.append(names[label] if names else str(label))
        return inputs, labels

    def prepare(self, train):
        inputs, labels = train
        c = self.config
        classes = sorted(set(labels))
        if len(classes) < 2:
            raise ValueError(f"classify: the training data has {len(classes)} class(es); need >= 2")
        self.state = {"classes": classes}
        if c.class_weight == "balanced":
            counts = collections.Counter(labels)
            self.state["class_weights"] = [
                len(labels) / (len(classes) * counts[label]) for label in classes
            ]
            logger.info(
                "classify: balanced class weights %s",
                ", ".join(f"{k}={w:.3g}" for k, w in zip(classes, self.state["class_weights"])),
            )
        if inputs and not isinstance(inputs[0], str):
            self.check_option(
                "embeddings",
                not c.embeddings,
                "word vectors need text inputs; the data are series",
            )
            self.check_option(
                "conv_branch",
                c.conv_filters or not c.conv_branch,
                "the branch averages the convolution blocks' output; conv_filters is 0",
            )
            series = as_series(inputs)
            values = np.concatenate(series)
            mean = np.nanmean(values, axis=0)
            std = np.nanstd(values, axis=0)
            self.state.update(
                kind="series",
                channels=int(values.shape[1]),
                mean=[float(v) for v in mean],
                std=[float(v) if v > 0 else 1.0 for v in std],
            )
            logger.info(
                "classify: %d classes, series of %d-%d steps, %d channel(s)",
                len(classes), min(map(len, series)), max(map(len, series)), values.shape[1],
            )
        else:
            vocabulary = Vocabulary.build(
                inputs, c.tokenize, c.lowercase, c.max_tokens, c.min_count
            )
            self.state["kind"] = "text"
            lengths = [len(vocabulary.tokenize(text)) for text in inputs]
            self.state["max_input_length"] = input_length_limit(lengths, c.max_input_length)
            vocabulary = self.with_word_vectors(vocabulary)
            self.state["vocabulary"] = vocabulary.get_config()
            logger.info("classify: %d classes, %d token ids", len(classes), vocabulary.size)

    def check_state(self):
        super().check_state()
        if self.state["kind"] == "series":
            if "channels" not in self.state:
                raise ValueError(
                    "the series classifier was trained by rnn_keras < 0.9, which standardised "
                    "outside the model; train it again"
                )
            channels = int(self.state["channels"])
            for key in ("mean", "std"):
                if len(self.state[key]) != channels:
                    raise ValueError(f"expected {channels} values of {key}, got {self.state[key]}")
        else:
            self.vocabulary
        if len(self.classes) < 2:
            raise ValueError(f"expected two or more classes, got {self.classes}")

    def check_model(self, model):
        check_size("classes", len(self.classes), model.outputs[0].shape[-1])
        if self.series:
            check_size("channels", self.channels, model.inputs[0].shape[-1])
        else:
            check_size("token ids", self.vocabulary.size, embedding_rows(model))

    @property
    def series(self):
        """Whether the inputs are series of numbers (else text)."""
        return self.state["kind"] == "series"

    @property
    def classes(self):
        return self.state["classes"]

    @property
    def vocabulary(self):
        """The text inputs' `Vocabulary`."""
        return Vocabulary.from_config(self.state["vocabulary"])

    @property
    def channels(self):
        """Values per step of the series inputs."""
        return int(self.state["channels"])

    def encode_inputs(self, inputs):
        """Model inputs: series as `(examples, steps, channels)` padded with NaN, or token ids."""
        if self.series:
            return pad(as_series(inputs, self.channels), "float32", value=np.nan)
        vocabulary = self.vocabulary
        encoded = [vocabulary.encode(text) for text in inputs]
        encoded = truncate(encoded, self.input_limit, "texts", "classify")
        return [ids or [0] for ids in encoded]

    @property
    def input_limit(self):
        """The most tokens a text keeps (`max_input_length`, or the fitted outlier bound)."""
        return self.state.get("max_input_length") or self.config.max_input_length

    def _encode_labels(self, labels, origin):
        index = {label: i for i, label in enumerate(self.classes)}
        origin = as_origin(origin)
        for i, label in enumerate(labels):
            if label not in index:
                where = " (held out of the training data)" if origin.held_out else ""
                raise DataError(
                    origin.spec,
                    origin.line(i),
                    f"label {label!r}{where} is not among the training labels {self.classes}",
                )
        return np.array([index[label] for label in labels], "int32")

    def dataset(self, examples, training, origin=None):
        inputs, labels = examples
        targets = self._encode_labels(labels, origin)
        weights = None
        if training and self.state.get("class_weights"):
            # Training only: validation scores what the test scores.
            weights = np.asarray(self.state["class_weights"], "float32")[targets]
        return self.batched(
            self.encode_inputs(inputs),
            targets,
            training,
            bucket_by=None if self.series else "input",
            weights=weights,
        )

    # === Model ===

    @property
    def embeds_tokens(self):
        return not self.series and "embedding_dim" not in self.state

    def build_model(self):
        c = self.config
        if self.series:
            features = {
                "num_features": self.channels,
                "series_normalization": c.normalization,
                "feature_mean": self.state["mean"],
                "feature_std": self.state["std"],
                "patch_size": c.patch_size,
                "conv_filters": c.conv_filters,
                "conv_branch": c.conv_branch,
            }
        else:
            features = {"vocab_size": self.vocabulary.size, **self.embedding_arguments()}
        return build_classifier(
            len(self.classes),
            bidirectional=c.bidirectional,
            pooling=c.pooling,
            head_dropout=c.head_dropout,
            embedding_dropout=c.embedding_dropout,
            token_dropout=c.token_dropout,
            **features,
            **self.recurrent_arguments(),
        )

    # === Scores and predictions ===

    def probabilities(self, model, inputs):
        """`(examples, classes)` probabilities, in the order of `inputs`."""
        encoded = self.encode_inputs(inputs)
        result = np.zeros((len(encoded), len(self.classes)), "float32")
        for indices, chunk in batches(encoded, 256):
            batch = pad(chunk, "float32", value=np.nan) if self.series else pad(chunk)
            result[indices] = predict_batch(model, batch)
        return result

    def evaluate(self, model, examples, origin=None):
        inputs, labels = examples
        self._encode_labels(labels, origin)
        predicted = self.probabilities(model, inputs).argmax(-1)
        names = [self.classes[i] for i in predicted]
        return {
            "accuracy": accuracy(labels, names),
            "macro_f1": macro_f1(labels, names, self.classes),
            "examples": len(labels),
        }

    def predict(self, model, lines):
        inputs = [parse_series(line) for line in lines] if self.series else list(lines)
        probabilities = self.probabilities(model, inputs)
        return [
            {
                "input": line,
                "label": self.classes[int(p.argmax())],
                "probability": float(p.max()),
                "probabilities": {c: float(v) for c, v in zip(self.classes, p)},
            }
            for line, p in zip(lines, probabilities)
        ]

    # === Serving ===

    def serving_module(self, model):
        from rnn_keras.tasks.classify.serving import ClassifyServing

        return ClassifyServing(self, model)

    def numeric_signatures(self, model, batch=None):
        from rnn_keras.tasks.classify.serving import numeric_signatures

        return numeric_signatures(self, model, batch)


def as_series(inputs, channels=None):
    """Series as float32 `(steps, channels)` arrays (a list of numbers is one channel)."""
    arrays = []
    for values in inputs:
        array = np.asarray(values, "float32")
        array = array[:, None] if array.ndim == 1 else array
        if channels is not None and array.shape[1] != channels:
            raise ValueError(
                f"classify: expected series of {channels} channel(s), got {array.shape[1]}"
            )
        arrays.append(array)
    return arrays


def parse_series(line):
    """A `predict` line as a `(steps, channels)` array: channels split by `:` as in `.ts`."""
    channels = [parse_numbers(part) for part in line.split(":")]
    if len({len(c) for c in channels}) != 1:
        raise ValueError(
            f"Expected channels of equal length separated by ':'; got lengths "
            f"{[len(c) for c in channels]} in {line[:60]!r}"
        )
    return np.asarray(channels, "float32").T
