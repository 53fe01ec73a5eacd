"""N→N tagging of tokens: options, task, serving."""

from rnn_keras.tasks.tag.config import TagConfig
from rnn_keras.tasks.tag.task import TagTask
