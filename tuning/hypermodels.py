"""One `keras_tuner.HyperModel` per model builder, and one over a `rnn_keras` task.

The fixed problem (classes, vocabularies, lengths, any builder argument not
searched) goes to `__init__`; `build(hp)` declares the search space of
`tuning.space` and calls the builder. Training that ends in a NaN loss
fails the trial (`FailedTrialError`), so that it is reported and never
chosen as the best.
"""

import copy
import math

import keras
import keras_tuner

from rnn_keras.compat import build_before_fit
from rnn_keras.models import build_classifier
from rnn_keras.models import build_forecaster
from rnn_keras.models import build_generator
from rnn_keras.models import build_seq2seq
from rnn_keras.models import build_tagger
from rnn_keras.tuning.space import attention_entry
from rnn_keras.tuning.space import builder_arguments
from rnn_keras.tuning.space import search_space


class RecurrentHyperModel(keras_tuner.HyperModel):
    """Base class: a builder, its fixed arguments, and the shared search space.

    Args:
        *problem: the builder's positional arguments (e.g. `num_classes`).
        name: `str` or `None.` The hypermodel's name.
        **fixed: builder keyword arguments. Those that name a search-space
            entry (`cell`, `units`, ...) fix it; the rest are passed
            through (e.g. `vocab_size`, `pooling`).
    """

    builder = None
    bidirectional = False  # Default of the `bidirectional` entry; None: not searched.
    attention = False
    embeds_tokens = None  # True/False; None: when `vocab_size` is given.

    def __init__(self, *problem, name=None, **fixed):
        super().__init__(name=name, tunable=True)
        self.problem = problem
        self.fixed = fixed

    @property
    def token_inputs(self):
        if self.embeds_tokens is not None:
            return self.embeds_tokens
        # Given embedding weights fix the embedding's size.
        fixed = self.fixed
        return fixed.get("vocab_size") is not None and fixed.get("embedding_weights") is None

    def space(self, hp):
        """The searched (and fixed) option values of one trial."""
        values = search_space(
            hp, self.fixed, token_inputs=self.token_inputs, bidirectional=self.bidirectional
        )
        if self.attention:
            values["attention"] = attention_entry(hp, self.fixed)
        return values

    def build(self, hp):
        arguments = builder_arguments(self.space(hp))
        return type(self).builder(*self.problem, **{**self.fixed, **arguments})

    def fit(self, hp, model, *args, **kwargs):
        callbacks = list(kwargs.pop("callbacks", None) or [])
        callbacks.append(keras.callbacks.TerminateOnNaN())
        if model.optimizer.use_ema:
            # The objective and the trial's best epoch are those of the average.
            callbacks.insert(0, keras.callbacks.SwapEMAWeights(swap_on_epoch=True))
        build_before_fit(model, args[0] if args else kwargs.get("x"))
        history = model.fit(*args, callbacks=callbacks, **kwargs)
        losses = history.history.get("loss", [])
        if any(not math.isfinite(value) for value in losses):
            raise keras_tuner.errors.FailedTrialError(
                f"training diverged: loss {losses[-1]} at epoch {len(losses)}"
            )
        return history


class ClassifierHyperModel(RecurrentHyperModel):
    """`build_classifier`: `ClassifierHyperModel(num_classes, vocab_size=...)`."""

    builder = staticmethod(build_classifier)


class TaggerHyperModel(RecurrentHyperModel):
    """`build_tagger`: `TaggerHyperModel(num_tags, vocab_size=...)`."""

    builder = staticmethod(build_tagger)
    bidirectional = True


class Seq2SeqHyperModel(RecurrentHyperModel):
    """`build_seq2seq`: `Seq2SeqHyperModel(source_vocab_size, target_vocab_size)`."""

    builder = staticmethod(build_seq2seq)
    attention = True
    embeds_tokens = True


class GeneratorHyperModel(RecurrentHyperModel):
    """`build_generator`: `GeneratorHyperModel(vocab_size)`; never bidirectional."""

    builder = staticmethod(build_generator)
    bidirectional = None
    embeds_tokens = True


class ForecasterHyperModel(RecurrentHyperModel):
    """`build_forecaster`: `ForecasterHyperModel(num_features, horizon=..., history=...)`."""

    builder = staticmethod(build_forecaster)
    embeds_tokens = False


class TaskHyperModel(RecurrentHyperModel):
    """The model of a prepared `rnn_keras.tasks` task, searched over its `search_space`.

    The task's fitted preprocessing (vocabularies, classes, normalisation)
    is the fixed problem; each trial builds `task.build_model()` with the
    trial's values among the task's options.

    Args:
        task: a prepared `rnn_keras.tasks` task.
        fixed: `dict` of options (e.g. `{"cell": "gru"}`) not to search.
    """

    def __init__(self, task, fixed=None, name=None):
        super().__init__(name=name or task.name, **(fixed or {}))
        self.task = task

    def space(self, hp):
        return self.task.search_space(hp, self.fixed)

    def fit(self, hp, model, *args, **kwargs):
        kwargs.setdefault("shuffle", False)  # the task's datasets shuffle themselves
        return super().fit(hp, model, *args, **kwargs)

    def build(self, hp):
        task = copy.copy(self.task)  # the fitted state, replicas and weights shared
        task.config = self.task.config.replace(**self.space(hp))
        return task.build_model()
