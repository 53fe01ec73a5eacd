"""The tasks' names and configuration classes, and the export formats: no TensorFlow needed.

What the command line's parser reads (`rnn-keras --help`, the flags of
`train`/`tune`); `rnn_keras.tasks.TASKS` maps the same names to the task
classes, each with its `config_class` from here.
"""

from rnn_keras.tasks.classify.config import ClassifyConfig
from rnn_keras.tasks.forecast.config import ForecastConfig
from rnn_keras.tasks.generate.config import GenerateConfig
from rnn_keras.tasks.seq2seq.config import Seq2SeqConfig
from rnn_keras.tasks.tag.config import TagConfig

CONFIGS = {
    "classify": ClassifyConfig,
    "tag": TagConfig,
    "seq2seq": Seq2SeqConfig,
    "generate": GenerateConfig,
    "forecast": ForecastConfig,
}

EXPORT_FORMATS = ("saved_model", "tflite", "onnx")
