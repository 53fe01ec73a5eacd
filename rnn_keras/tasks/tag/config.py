"""The options of the tag task."""

import dataclasses
from typing import Optional

from rnn_keras.config import option
from rnn_keras.config import with_default
from rnn_keras.tasks.config import RegularisationOptions
from rnn_keras.tasks.config import TaskConfig
from rnn_keras.tasks.config import VocabularyOptions
from rnn_keras.tasks.config import WordVectorOptions


@dataclasses.dataclass
class TagConfig(VocabularyOptions, WordVectorOptions, RegularisationOptions, TaskConfig):
    """Options of `TagTask`: tokens → one tag each."""

    context = "task tag"
    # The entity scores are logged for entity tags only, BIO or IOBES (checked once the
    # tags are known).
    logged_metrics = ("loss", "token_accuracy", "entity_precision", "entity_recall", "entity_f1")

    bidirectional: bool = with_default(TaskConfig, "bidirectional", True)
    lowercase: bool = with_default(VocabularyOptions, "lowercase", True)
    max_tokens: Optional[int] = with_default(VocabularyOptions, "max_tokens", 30000)
    tag_column: Optional[int] = option(
        None,
        "The CoNLL column of the tags, counted from 1 (the token is column 1; none: the last, "
        "as in CoNLL-2003's `token POS chunk tag`).",
        minimum=2,
        group="data",
    )
    characters: bool = option(True, "Also read each token by its characters.")
    max_chars: int = option(20, "Characters read per token.", minimum=1, group="data")
    crf: bool = option(
        False,
        "End in a linear-chain CRF (whole-sequence likelihood, Viterbi tags) instead of a "
        "softmax.",
    )
