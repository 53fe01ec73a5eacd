"""Jobs over tasks: train, evaluate, predict, ensemble; what the command line runs.

| module | what |
|---|---|
| `prepare` | options checked, strategy, data splits, options resolved from the data profile, fitted task, datasets (shared by `train`, `tune` and `profile`) |
| `train` | the training pipeline |
| `staging` | a run's writes as a transaction: lock, staging folder, swap |
| `resume` | continuing an interrupted `fit`, on one machine or several |
| `callbacks` | the callbacks of `fit` and the history they keep |
| `model_folder` | the trained model folder's files, and loading it back checked |
| `evaluate` | scores and predictions of a model folder |
| `ensemble` | model folders averaged into one |
| `seeds` | `train --seeds N`: one model per seed on the same splits, averaged |
"""

from rnn_keras.runner.ensemble import ensemble
from rnn_keras.runner.evaluate import evaluate
from rnn_keras.runner.evaluate import predict
from rnn_keras.runner.evaluate import predict_lines
from rnn_keras.runner.model_folder import ModelFolderError
from rnn_keras.runner.model_folder import load
from rnn_keras.runner.prepare import Prepared
from rnn_keras.runner.prepare import configure
from rnn_keras.runner.prepare import prepare
from rnn_keras.runner.prepare import profile
from rnn_keras.runner.staging import ResumeMismatch
from rnn_keras.runner.train import train
