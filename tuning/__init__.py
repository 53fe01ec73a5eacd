"""KerasTuner hypermodels for the rnn_keras builders, and tuning jobs over tasks.

`ClassifierHyperModel`, `TaggerHyperModel`, `Seq2SeqHyperModel`,
`GeneratorHyperModel` and `ForecasterHyperModel` take the fixed problem in
`__init__` and search `tuning.space`; `TaskHyperModel` does the same for a
prepared `rnn_keras.tasks` task, and `tune` runs the whole job behind
`rnn-keras tune`.
"""

from tuning.hypermodels import ClassifierHyperModel
from tuning.hypermodels import ForecasterHyperModel
from tuning.hypermodels import GeneratorHyperModel
from tuning.hypermodels import RecurrentHyperModel
from tuning.hypermodels import Seq2SeqHyperModel
from tuning.hypermodels import TaggerHyperModel
from tuning.hypermodels import TaskHyperModel
from tuning.job import TuningFailed
from tuning.job import trial_rows
from tuning.job import tune
from tuning.space import search_space
