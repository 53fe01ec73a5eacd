"""Tasks: one folder each (options, data, model, scores, serving), one registry.

| task | topology | folder |
|---|---|---|
| `classify` | N→1: text or series → label | `tasks/classify/` |
| `tag` | N→N: tokens → tags | `tasks/tag/` |
| `seq2seq` | N→M: string → string | `tasks/seq2seq/` |
| `generate` | 1→N: prompt → continuation | `tasks/generate/` |
| `forecast` | series → its next values | `tasks/forecast/` |
"""

from rnn_keras.tasks.classify import ClassifyConfig
from rnn_keras.tasks.classify import ClassifyTask
from rnn_keras.tasks.config import TaskConfig
from rnn_keras.tasks.forecast import ForecastConfig
from rnn_keras.tasks.forecast import ForecastTask
from rnn_keras.tasks.generate import GenerateConfig
from rnn_keras.tasks.generate import GenerateTask
from rnn_keras.tasks.registry import TASKS
from rnn_keras.tasks.registry import make_task
from rnn_keras.tasks.registry import task_class
from rnn_keras.tasks.seq2seq import Seq2SeqConfig
from rnn_keras.tasks.seq2seq import Seq2SeqTask
from rnn_keras.tasks.tag import TagConfig
from rnn_keras.tasks.tag import TagTask
from rnn_keras.tasks.task import Task
