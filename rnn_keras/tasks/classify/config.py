"""The options of the classify task."""

import dataclasses
from typing import Optional

from rnn_keras.config import option
from rnn_keras.config import with_default
from rnn_keras.tasks.config import RegularisationOptions
from rnn_keras.tasks.config import TaskConfig
from rnn_keras.tasks.config import TokenizeOption
from rnn_keras.tasks.config import VocabularyOptions
from rnn_keras.tasks.config import WordVectorOptions

POOLINGS = ("last", "mean", "max")
NORMALIZATIONS = ("channel", "series")
CLASS_WEIGHTS = ("none", "balanced")


@dataclasses.dataclass
class ClassifyConfig(
    VocabularyOptions, TokenizeOption, WordVectorOptions, RegularisationOptions, TaskConfig
):
    """Options of `ClassifyTask`: text or series → one label."""

    context = "task classify"
    logged_metrics = ("loss", "accuracy", "macro_f1")

    lowercase: bool = with_default(VocabularyOptions, "lowercase", True)
    max_tokens: Optional[int] = with_default(VocabularyOptions, "max_tokens", 20000)
    max_input_length: Optional[int] = option(
        None,
        "Truncate inputs to this many tokens (counted in the log; none: no limit).",
        minimum=1,
        group="data",
    )
    pooling: str = option("last", "How the sequence is summarised.", choices=POOLINGS)
    normalization: str = option(
        "channel",
        "Series: standardise each channel with the training statistics, or each series by its own.",
        choices=NORMALIZATIONS,
        group="data",
    )
    patch_size: int = option(
        1,
        "Series: read every N steps as one step (fewer recurrent steps for long series).",
        minimum=1,
    )
    conv_filters: int = option(
        0,
        "Series: convolution blocks of this many filters (kernels 8 and 5, each with batch "
        "normalisation and ReLU) read the series before the recurrent layer; 0: none.",
        minimum=0,
    )
    conv_branch: bool = option(
        False,
        "Series: the convolution blocks' output, averaged over the steps, joins the recurrent "
        "layer's summary before the output layer (LSTM-FCN's convolutional branch).",
    )
    class_weight: str = option(
        "none",
        "Weigh each training example by its class: balanced gives every class the same total "
        "weight (examples / (classes x the class's count)), for imbalanced labels.",
        choices=CLASS_WEIGHTS,
        group="training",
    )
