"""N→1 classification of texts and series: options, task, serving."""

from rnn_keras.tasks.classify.config import ClassifyConfig
from rnn_keras.tasks.classify.task import ClassifyTask
