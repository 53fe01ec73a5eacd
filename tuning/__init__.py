"""KerasTuner hypermodels for the rnn_keras builders, and tuning jobs over tasks.

`ClassifierHyperModel`, `TaggerHyperModel`, `Seq2SeqHyperModel`,
`GeneratorHyperModel` and `ForecasterHyperModel` take the fixed problem in
`__init__` and search `tuning.space`; `TaskHyperModel` does the same for a
prepared `rnn_keras.tasks` task, and `tune` runs the whole job behind
`rnn-keras tune`.
"""

from rnn_keras import lazy

# `TuningConfig` (the command line's flags) imports without TensorFlow; the
# rest on first use.
__getattr__, __dir__, __all__ = lazy.attach(
    __name__,
    members={
        "ClassifierHyperModel": "rnn_keras.tuning.hypermodels",
        "ForecasterHyperModel": "rnn_keras.tuning.hypermodels",
        "GeneratorHyperModel": "rnn_keras.tuning.hypermodels",
        "RecurrentHyperModel": "rnn_keras.tuning.hypermodels",
        "Seq2SeqHyperModel": "rnn_keras.tuning.hypermodels",
        "TaggerHyperModel": "rnn_keras.tuning.hypermodels",
        "TaskHyperModel": "rnn_keras.tuning.hypermodels",
        "TuningConfig": "rnn_keras.tuning.config",
        "TuningFailed": "rnn_keras.tuning.job",
        "search_space": "rnn_keras.tuning.space",
        "trial_rows": "rnn_keras.tuning.job",
        "tune": "rnn_keras.tuning.job",
    },
)
