"""`train` with `seeds > 1`: one model per seed on the same splits, averaged into one.

Small data vary by seed (GunPoint's 50 training series give test accuracy
0.88-0.98 over seeds 0-2). `--seeds N` trains N members, seeds `seed` to
`seed + N - 1`, every one on the splits `seed` carves (`split_seed`), and
writes their average (`rnn_keras.models.build_ensemble`, as `rnn-keras
ensemble`) as the model folder `output`, scored on the same test (or
validation) split as each member: `evaluate`, `predict` and `export` take
it. Each member is a model folder of its own, `OUTPUT-members/seed-S`,
trained as `train` trains one: an interrupted run resumes where it stopped,
and a rerun keeps the members that finished with the same options.
Left unset, `seeds` is resolved from the data where the task's rules say so
(`resolve_seeds`: series classifiers of up to 1,000 series and forecasters of up
to 1,000 training values average three, series classifiers of under 100 five).
"""

import os

from rnn_keras import distribute
from rnn_keras.config import ConfigError
from rnn_keras.files import FolderLock
from rnn_keras.files import check_destination
from rnn_keras.files import remote
from rnn_keras.runner.ensemble import check_members
from rnn_keras.runner.ensemble import write_ensemble
from rnn_keras.runner.model_folder import METRICS_FILE
from rnn_keras.runner.model_folder import TASK_FILE
from rnn_keras.runner.model_folder import check_no_foreign_entries
from rnn_keras.runner.model_folder import load
from rnn_keras.runner.prepare import configure
from rnn_keras.runner.prepare import load_splits
from rnn_keras.runner.prepare import profile
from rnn_keras.runner.prepare import split_seed
from rnn_keras.runner.staging import ResumeMismatch
from rnn_keras.runner.staging import listed_changes
from rnn_keras.runner.staging import option_changes
from rnn_keras.tasks.common import logger
from rnn_keras.tasks.defaults import resolved_quietly

MEMBERS_SUFFIX = "-members"


def check_seeds(task):
    """Raises a `ConfigError` naming `seeds` where the members could not be averaged."""
    c = task.config
    if c.seeds == 1:
        return
    given = c.given.get("seeds")
    if task.ensemble_options is None:
        raise ConfigError(
            "seeds",
            f"{task.name} models cannot be averaged (their decoding runs step models); "
            "--seeds takes classify, tag and forecast",
            given,
        )
    if getattr(c, "crf", False):
        raise ConfigError(
            "seeds", "CRF taggers (--crf) decode with their own transitions: not averaged", given
        )
    if distribute.resolve_strategy_name(c.strategy, c.tpu) == "multi_worker":
        raise ConfigError(
            "seeds", "cannot be used with strategy='multi_worker'; train the members apart "
            "and combine them with `rnn-keras ensemble`", given,
        )


def resolve_seeds(task, config, sources=None):
    """`task`, or the task profiled from its data where they resolve `seeds` above 1.

    A task whose data rules may average several models (`resolves_seeds`:
    classifiers and forecasters, which average several on small data) reads its data here, before
    `train` decides whether it trains one model or `train_seeds` several.
    Where `seeds` was given, `defaults` is `"fixed"`, the strategy is
    `multi_worker` (which cannot train members: `check_seeds`) or a time
    limit (`max_minutes`) was given for the run, nothing is read and
    `seeds` stays as it is (marked given, so the data rules leave it alone
    in the one model's `prepare` too).

    Args:
        task: the configured task (`configure`) of `config`.
        config: `dict`: the options as `train` got them.
        sources: optional `dict` of option name to where its value came from.
    """
    c = task.config
    if not task.resolves_seeds or "seeds" in c.given or c.defaults != "data":
        return task
    if distribute.resolve_strategy_name(c.strategy, c.tpu) == "multi_worker":
        c.given["seeds"] = "strategy='multi_worker' trains one model"
        return task
    if c.max_minutes is not None:
        c.given["seeds"] = "max_minutes bounds one model's training"
        return task
    profiled = profile(config, sources)
    return profiled if profiled.config.seeds > 1 else task


def member_folders(output, seed, seeds):
    """The members' model folders: `OUTPUT-members/seed-S` for each seed."""
    parent = f"{os.fspath(output).rstrip('/')}{MEMBERS_SUFFIX}"
    return [os.path.join(parent, f"seed-{s}") for s in range(seed, seed + seeds)]


def train_seeds(task, config, train_one, verbose="auto", sources=None, export=False):
    """Trains `task.config.seeds` members with `train_one` and writes their ensemble.

    Args:
        task: the configured task (`configure`) of `config`.
        config: `dict`: the options as `train` got them.
        train_one: `train`, called once per member.
        verbose: Keras verbosity of `fit`.
        sources: optional `dict` of option name to where its value came from.
        export: `bool.` Also write the ensemble's SavedModel to `output/1`.

    Returns:
        `dict`: the ensemble's `metrics.json` (its scores and each member's).
    """
    check_seeds(task)
    if task.varies_members and not task.resolved and task.config.defaults == "data":
        # The members' options, resolved from the data as each member resolves them.
        task = profile(config, sources)
    c = task.config
    splits_seed = split_seed(c)
    folders = member_folders(c.output, c.seed, c.seeds)
    with FolderLock(c.output):  # refused before any member trains
        check_destination(c.output, c.overwrite)
        check_no_foreign_entries(c.output)
    # The options resolved from the data are logged once: by the run that
    # resolved `seeds` (`resolve_seeds`), else by the first member trained.
    shown = bool(task.resolved)
    for seed, folder in zip(range(c.seed, c.seed + c.seeds), folders):
        member = {
            **config, "seed": seed, "split_seed": splits_seed, "seeds": 1, "output": folder,
            **task.member_options(seed - c.seed),
        }
        if _finished(member, folder, sources):
            logger.info("seeds: %s holds seed %d, trained with these options; kept", folder, seed)
            continue
        logger.info("seeds: training seed %d of %d into %s", seed - c.seed + 1, c.seeds, folder)
        with resolved_quietly(shown):
            train_one(member, verbose=verbose, sources=sources)
        shown = True
    with resolved_quietly():
        scoring = configure({**config, "seeds": 1, "split_seed": splits_seed}, sources)
        splits, origins = load_splits(scoring)
    split = "test" if "test" in splits else "validation"
    with FolderLock(c.output):
        check_destination(c.output, c.overwrite)
        check_no_foreign_entries(c.output)
        loaded = [load(folder) for folder in folders]
        check_members(folders, loaded)
        metrics = write_ensemble(
            folders, loaded, c.output, (split, splits[split], origins[split]), export,
            task.resolved, splits,
        )
    logger.info(
        "seeds: the average of %d models written to %s (members in %s)",
        c.seeds, c.output, os.path.dirname(folders[0]),
    )
    return metrics


def _finished(member, folder, sources):
    """Whether `folder` holds a finished member trained with the options of `member`.

    Raises:
        ResumeMismatch: it was trained with other options and `overwrite` is off.
    """
    if not remote.isfile(remote.join(folder, METRICS_FILE)):
        return False
    config = configure(member, sources).config
    if config.overwrite:
        return False  # trained again
    changed = option_changes(config, remote.join(folder, TASK_FILE))
    if changed == []:
        return True
    listed = listed_changes(changed or [])
    raise ResumeMismatch(
        f"{folder} holds a member trained with other options ({listed or 'task.json unreadable'});"
        " rerun with the same options, or pass --overwrite to train the members again"
    )
