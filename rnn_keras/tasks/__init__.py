"""Tasks: one folder each (options, data, model, scores, serving), one registry.

| task | topology | folder |
|---|---|---|
| `classify` | N→1: text or series → label | `tasks/classify/` |
| `tag` | N→N: tokens → tags | `tasks/tag/` |
| `seq2seq` | N→M: string → string | `tasks/seq2seq/` |
| `generate` | 1→N: prompt → continuation | `tasks/generate/` |
| `forecast` | series → its next values | `tasks/forecast/` |

Members import on first use: the configuration classes (`CONFIGS`) need no
TensorFlow, the tasks do.
"""

from rnn_keras import lazy

__getattr__, __dir__, __all__ = lazy.attach(
    __name__,
    submodules=("classify", "forecast", "generate", "seq2seq", "tag"),
    members={
        "CONFIGS": "rnn_keras.tasks.configs",
        "EXPORT_FORMATS": "rnn_keras.tasks.configs",
        "ClassifyConfig": "rnn_keras.tasks.classify.config",
        "ClassifyTask": "rnn_keras.tasks.classify.task",
        "ForecastConfig": "rnn_keras.tasks.forecast.config",
        "ForecastTask": "rnn_keras.tasks.forecast.task",
        "GenerateConfig": "rnn_keras.tasks.generate.config",
        "GenerateTask": "rnn_keras.tasks.generate.task",
        "Seq2SeqConfig": "rnn_keras.tasks.seq2seq.config",
        "Seq2SeqTask": "rnn_keras.tasks.seq2seq.task",
        "TagConfig": "rnn_keras.tasks.tag.config",
        "TagTask": "rnn_keras.tasks.tag.task",
        "TASKS": "rnn_keras.tasks.registry",
        "TaskConfig": "rnn_keras.tasks.config",
        "make_task": "rnn_keras.tasks.registry",
        "task_class": "rnn_keras.tasks.registry",
        "Task": "rnn_keras.tasks.task",
    },
)
