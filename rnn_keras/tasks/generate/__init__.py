"""1→N language models that continue a prompt: options, task, serving."""

from rnn_keras.tasks.generate.config import GenerateConfig
from rnn_keras.tasks.generate.task import GenerateTask
