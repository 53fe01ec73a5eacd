"""Model folders combined into one that averages the members' outputs.

The folder `ensemble` writes is a model folder like those `train` writes
(`model.keras`, `task.json`, and `metrics.json` when data is given), so
`evaluate`, `predict` and `export` take it unchanged.
"""

import copy
import os

from rnn_keras.data import load_examples
from rnn_keras.files import FolderLock
from rnn_keras.files import check_destination
from rnn_keras.files import json_safe
from rnn_keras.files import save_model
from rnn_keras.files import write_folder
from rnn_keras.files import write_json
from rnn_keras.models import build_ensemble
from rnn_keras.runner.model_folder import METRICS_FILE
from rnn_keras.runner.model_folder import MODEL_FILE
from rnn_keras.runner.model_folder import TASK_FILE
from rnn_keras.runner.model_folder import check_no_foreign_entries
from rnn_keras.runner.model_folder import load


def check_members(directories, loaded):
    """Raises a `ValueError` naming the folders when the members disagree."""
    first_task, _ = loaded[0]
    if first_task.ensemble_options is None:
        raise ValueError(
            f"ensemble: {first_task.name} models cannot be averaged as one model "
            "(their decoding runs step models); ensembles take classify, tag or forecast models"
        )
    for directory, (task, _) in zip(directories, loaded):
        if getattr(task.config, "crf", False):
            raise ValueError(
                f"ensemble: {directory} is a CRF tagger (--crf): its tags are decoded with "
                "its own transitions, so its scores cannot be averaged with others"
            )
    for directory, (task, _) in zip(directories[1:], loaded[1:]):
        where = f"{directories[0]} and {directory}"
        if task.name != first_task.name:
            raise ValueError(f"ensemble: {where} are {first_task.name} and {task.name} models")
        for key in first_task.ensemble_options:
            first, other = getattr(first_task.config, key), getattr(task.config, key)
            if other != first:
                raise ValueError(
                    f"ensemble: {where} differ in {key!r} ({first!r} and {other!r}); members "
                    "must encode inputs alike"
                )
        for key in sorted(set(first_task.state) | set(task.state)):
            if key in first_task.model_fitted_state:
                continue
            if task.state.get(key) != first_task.state.get(key):
                raise ValueError(
                    f"ensemble: {where} differ in their fitted {key!r} (vocabulary, labels "
                    "or statistics); train the members on the same data with the same "
                    "preprocessing options, and give --valid: a validation split carved "
                    "from the training data depends on --seed"
                )


def ensemble(members, output, data=None, split="test", data_dir=None, overwrite=False):
    """Writes a model folder whose model averages the members' outputs.

    The members are folders written by `train` for the same classify, tag
    or forecast problem (same task, same fitted vocabulary or labels, same
    input encoding), typically trained with different seeds or cells. Give
    them a validation file: a validation split carved from the training
    data differs by seed, and so would the vocabulary fitted on the rest.
    Their models are combined with `rnn_keras.models.build_ensemble`; the
    new folder holds `model.keras`, the first member's `task.json` (with
    the member folders under `"ensemble"`, and the mean of what was fitted
    on each member's model, as a forecaster's interval calibration) and, when `data` is given,
    `metrics.json` with the ensemble's scores and each member's. The
    folder is written atomically.

    Args:
        members: list of two or more model folders.
        output: `str.` The new model folder.
        data: optional file, `tfds:NAME` or `gen:NAME` to score on.
        split: `str.` The split of a `tfds:`/`gen:` dataset. Defaults to `"test"`.
        data_dir: optional TFDS data directory.
        overwrite: `bool.` Replace an existing `output`. Defaults to `False`.

    Returns:
        `dict`: the contents of `metrics.json` (`{}` without `data`).
    """
    members = [os.fspath(m) for m in members]
    if len(members) < 2:
        raise ValueError(f"ensemble: needs two or more model folders; got {len(members)}")
    with FolderLock(output):
        check_destination(output, overwrite)  # before loading and scoring the members
        check_no_foreign_entries(output)
        loaded = [load(directory) for directory in members]
        check_members(members, loaded)
        scored = None
        if data is not None:
            scored = (split, load_examples(loaded[0][0], data, split, data_dir), data)
        return write_ensemble(members, loaded, output, scored)


def write_ensemble(members, loaded, output, scored=None, export=False, resolved=None,
                   splits=None):
    """Writes the ensemble folder of checked members (`ensemble` holds the lock).

    Args:
        members: the member folders.
        loaded: their `(task, model)`, as `load` gives them.
        output: `str.` The new model folder, replaced if it exists.
        scored: optional `(split, examples, origin)`: the ensemble and each
            member are scored on `examples`, `origin` names them in
            `metrics.json`.
        export: `bool.` Also write the SavedModel to `output/1`.
        resolved: optional `dict` of the options resolved from the data
            (`train` resolving `seeds`: every option, `seeds` included),
            recorded in `task.json` beside the first member's.
        splits: optional `dict` of the members' data splits (`train
            --seeds`): what the task refits on an average
            (`task.calibrate(averaged=True)`: a forecaster's interval
            stretch, its combination weight staying the members' mean) is
            then fitted on the ensemble's own forecasts of the validation
            split; without them the ensemble keeps the members' means.

    Returns:
        `dict`: the contents of `metrics.json` (`{}` without `scored`).
    """
    # The first member's task with a state of its own: the means fitted below must
    # not replace the first member's own state, which scores it.
    task = copy.copy(loaded[0][0])
    task.state = dict(task.state)
    model = build_ensemble([member_model for _, member_model in loaded])
    for key in task.model_fitted_state:
        # Fitted on each member's model: the ensemble takes their mean, a member
        # without it counting 0 (a forecaster's task file of another version
        # holds the other calibration key).
        values = [member.state[key] for member, _ in loaded if key in member.state]
        if values:
            task.state[key] = float(sum(values) / len(loaded))
    if splits is not None:
        task.calibrate(model, splits, averaged=True)

    metrics = {}
    if scored is not None:
        split, examples, origin = scored
        metrics = {
            "task": task.name,
            "scored_on": split,
            split: task.evaluate(model, examples, origin=origin),
            "members": {
                directory: member.evaluate(member_model, examples, origin=origin)
                for directory, (member, member_model) in zip(members, loaded)
            },
            "data": str(origin),
        }
    saved = task.get_config()
    saved["config"] = {**saved["config"], "output": os.fspath(output)}
    saved["ensemble"] = [os.path.abspath(m) for m in members]
    if resolved:
        saved["resolved"] = {**(saved.get("resolved") or {}), **resolved}

    def write(folder):
        save_model(model, os.path.join(folder, MODEL_FILE))
        write_json(os.path.join(folder, TASK_FILE), saved)
        if export:
            from rnn_keras.export import export_saved_model

            export_saved_model(task, model, os.path.join(folder, "1"), overwrite=True)
        if metrics:
            write_json(os.path.join(folder, METRICS_FILE), json_safe(metrics))
        if scored is not None:  # a forecaster's backtest.png, as a trained model's
            task.plots(model, scored[1], folder)

    write_folder(output, write, overwrite=True)
    return metrics
