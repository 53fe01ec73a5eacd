"""`--init-from MODEL`: a run that continues a trained model on new data.

The continued model keeps what its weights depend on: the fitted
preprocessing (vocabulary, labels, scaling: `task.state`) and every option
of the architecture and preprocessing, taken from `MODEL/task.json`. The run
gives its own data and output (`RUN_OPTIONS`); it may change the training
schedule (`TRAINING_OPTIONS`: epochs, learning rate, dropout, ...), which
otherwise comes from the model too. Any other option given with a value
other than the model's is an error that names it, before data is read.
"""

from rnn_keras.config import ConfigError
from rnn_keras.files import remote
from rnn_keras.runner.model_folder import TASK_FILE
from rnn_keras.runner.model_folder import ModelFolderError
from rnn_keras.runner.model_folder import load
from rnn_keras.runner.model_folder import task_from_file

# The run's own: never taken from the continued model.
RUN_OPTIONS = frozenset(
    {
        "data",
        "valid",
        "test",
        "encoding",
        "data_dir",
        "output",
        "overwrite",
        "init_from",
        # The machine's: the strategy exists before the model is read.
        "strategy",
        "tpu",
        "static_shapes",
        "max_minutes",
    }
)
# The continued model's unless given now.
TRAINING_OPTIONS = frozenset(
    {
        "defaults",
        "dropout",
        "recurrent_dropout",
        "head_dropout",
        "embedding_dropout",
        "token_dropout",
        "learning_rate",
        "global_clipnorm",
        "ema_momentum",
        "batch_size",
        "epochs",
        "patience",
        "monitor",
        "seed",
        "valid_fraction",
        "test_fraction",
    }
)


def continued_task(task):
    """The task `task.config.init_from` continues: the model's options and fitted state.

    Reads only the model's `task.json` (no TensorFlow runs: the strategy
    is made after this), so that the options are checked before anything
    else.

    Args:
        task: a configured task whose `init_from` names a model folder.

    Returns:
        A task of the same class with the model's options (but the run's
        own and the training options given now) and its fitted `state`.

    Raises:
        ConfigError: naming `init_from` when the folder is not a trained
            model of this task, or naming an option given with a value
            that would change the model's preprocessing or architecture.
    """
    config = task.config
    source_flag = config.given.get("init_from")
    try:
        source = task_from_file(remote.join(config.init_from, TASK_FILE))
    except ModelFolderError as error:
        raise ConfigError("init_from", str(error), source_flag) from None
    if source.name != task.name:
        raise ConfigError(
            "init_from",
            f"{config.init_from} holds a {source.name} model, not a {task.name} one",
            source_flag,
        )
    values, given = {}, {}
    for name in config.option_names():
        mine, theirs = getattr(config, name), getattr(source.config, name)
        if name in RUN_OPTIONS or (name in TRAINING_OPTIONS and name in config.given):
            values[name] = mine
            if name in config.given:
                given[name] = config.given[name]
            continue
        if name in config.given and mine != theirs:
            raise ConfigError(
                name,
                f"is {theirs!r} in the model continued from {config.init_from}, got {mine!r}: "
                "a continued model keeps its preprocessing and architecture",
                config.given[name],
            )
        values[name] = theirs
        given[name] = config.given.get(name, f"--init-from {config.init_from}")
    continued = type(task)(config.replace(**values), dict(source.state))
    continued.config.given = given
    return continued


def initial_weights(task):
    """The weights of the model `task.config.init_from` names (checked against its `task.json`)."""
    try:
        _, model = load(task.config.init_from)
    except ModelFolderError as error:
        raise ConfigError("init_from", str(error), task.config.given.get("init_from")) from None
    return model.get_weights()
