"""The options of the seq2seq task."""

import dataclasses
from typing import Optional

from rnn_keras.config import option
from rnn_keras.config import with_default
from rnn_keras.tasks.config import TaskConfig
from rnn_keras.tasks.config import TokenizeOption
from rnn_keras.tasks.config import VocabularyOptions

ATTENTIONS = ("luong", "bahdanau", "none")


@dataclasses.dataclass
class Seq2SeqConfig(VocabularyOptions, TokenizeOption, TaskConfig):
    """Options of `Seq2SeqTask`: a source string → a target string."""

    context = "task seq2seq"
    logged_metrics = ("loss", "token_accuracy")

    tokenize: str = with_default(TokenizeOption, "tokenize", "character")
    attention: str = option("luong", "Attention score ('none': no attention).", choices=ATTENTIONS)
    max_input_length: Optional[int] = option(
        None,
        "Truncate sources to this many tokens (counted in the log; none: no limit).",
        minimum=1,
        group="data",
    )
    max_decode_length: Optional[int] = option(
        None,
        "Most tokens decoded per output; longer training targets are truncated to it (none: "
        "1.5 times the longest training target, plus 2).",
        minimum=1,
    )
    beam_width: int = option(
        1, "Beam width for evaluation and prediction; 1 is greedy.", minimum=1
    )
    length_penalty: float = option(0.6, "GNMT length penalty of beam search.", minimum=0)
    date_order: str = option(
        "dmy",
        "Date normalisers (gen:dates): the order of day and month in numeric dates with "
        "slashes, in the generated data and in what the model reports as ambiguous "
        "(07/04/1976 is 7 April with dmy, 4 July with mdy).",
        choices=("dmy", "mdy"),
        group="data",
    )
