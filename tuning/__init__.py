"""KerasTuner hypermodels for the rnn_keras builders, and tuning jobs over tasks.

`ClassifierHyperModel`, `TaggerHyperModel`, `Seq2SeqHyperModel`,
`GeneratorHyperModel` and `ForecasterHyperModel` take the fixed problem in
`__init__` and search `tuning.space`; `TaskHyperModel` does the same for a
prepared `rnn_keras.tasks` task, and `tune` runs the whole job behind
`rnn-keras tune`.
"""

from rnn_keras.tuning.hypermodels import ClassifierHyperModel
from rnn_keras.tuning.hypermodels import ForecasterHyperModel
from rnn_keras.tuning.hypermodels import GeneratorHyperModel
from rnn_keras.tuning.hypermodels import RecurrentHyperModel
from rnn_keras.tuning.hypermodels import Seq2SeqHyperModel
from rnn_keras.tuning.hypermodels import TaggerHyperModel
from rnn_keras.tuning.hypermodels import TaskHyperModel
from rnn_keras.tuning.job import TuningFailed
from rnn_keras.tuning.job import trial_rows
from rnn_keras.tuning.job import tune
from rnn_keras.tuning.space import search_space
