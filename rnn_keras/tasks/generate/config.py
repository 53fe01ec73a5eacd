"""The options of the generate task."""

import dataclasses

from rnn_keras.config import ConfigError
from rnn_keras.config import option
from rnn_keras.config import with_default
from rnn_keras.tasks.config import TaskConfig
from rnn_keras.tasks.config import TokenizeOption
from rnn_keras.tasks.config import VocabularyOptions


@dataclasses.dataclass
class GenerateConfig(VocabularyOptions, TokenizeOption, TaskConfig):
    """Options of `GenerateTask`: a language model that continues a prompt."""

    context = "task generate"
    logged_metrics = ("loss", "token_accuracy")

    units: int = with_default(TaskConfig, "units", 256)
    batch_size: int = with_default(TaskConfig, "batch_size", 64)
    tokenize: str = with_default(TokenizeOption, "tokenize", "character")
    sequence_length: int = option(100, "Training window in tokens.", minimum=1, group="data")
    num_steps: int = option(200, "Tokens to generate per prompt.", minimum=1)
    temperature: float = option(0.8, "Sampling temperature; 0 is greedy.", minimum=0)
    top_k: int = option(0, "Sample among the k likeliest tokens; 0 for all.", minimum=0)

    def check(self):
        super().check()
        if self.bidirectional:
            raise ConfigError(
                "bidirectional", "a language model reads left to right; expected false"
            )
