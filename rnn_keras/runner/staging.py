"""A training run's writes as a transaction: a staging folder swapped into place at the end.

`train` never writes into `--output` while it works. It holds a lock beside
it (`FolderLock`: one writer at a time), writes everything into a staging
folder beside it (`.NAME.partial/`), and only when the model is saved,
scored and exported renames the staging folder to `--output` in one step:
the previous model stays in place until then, and a run that fails leaves
`--output` as it was. An interrupted run leaves its staging folder, with
the `BackupAndRestore` state, and the same command resumes from it; the
staging folder's `task.json` records the options it belongs to, and a rerun
with other options is told so (`--overwrite` starts over).

Nothing the package did not write is deleted: `--output` must hold nothing
else, and files added to it during the run are carried over.
"""

import json
import os

from rnn_keras.files import FolderLock
from rnn_keras.files import remote
from rnn_keras.files import read_json
from rnn_keras.files import remove
from rnn_keras.files import remove_leftovers
from rnn_keras.files import replace_folder
from rnn_keras.files import write_json
from rnn_keras.runner.model_folder import BACKUP_DIR
from rnn_keras.runner.model_folder import METRICS_FILE
from rnn_keras.runner.model_folder import TUNING_FILES
from rnn_keras.runner.model_folder import TASK_FILE
from rnn_keras.runner.model_folder import WORKERS_DIR
from rnn_keras.runner.model_folder import ModelFolderError
from rnn_keras.runner.model_folder import check_no_foreign_entries
from rnn_keras.runner.model_folder import foreign_entries
from rnn_keras.runner.model_folder import holds_model
from rnn_keras.runner.model_folder import read_task_file
from rnn_keras.tasks.common import logger

# Options a resumed run may change: they do not shape what was trained so far.
RESUMABLE_CHANGES = ("overwrite", "epochs", "patience", "max_minutes", "test")
FIT_DONE = "fit_done.json"


class ResumeMismatch(ValueError):
    """An interrupted training was started with other options than the rerun's."""


def differences(previous, current):
    """`[(option, before, now)]` of the options that differ and matter for resuming."""
    return [
        (key, previous.get(key), value)
        for key, value in current.items()
        if key not in RESUMABLE_CHANGES and previous.get(key) != value
    ]


def option_changes(config, path, resolved_alike=True):
    """`differences` between the options of the `task.json` at `path` and `config`'s.

    Options added since that file was written take their defaults there.
    With `resolved_alike`, options it resolved from the data are taken to
    resolve alike from the same data, so only those `config` gives are
    compared (before the data are read); without, every option is (once
    `config` holds the options resolved now). `None` when the file is
    missing or damaged.
    """
    try:
        _, previous, _ = read_task_file(path)
    except ModelFolderError:
        return None
    previous = {**type(config)().to_dict(), **previous}
    current = config.to_dict()
    if resolved_alike:
        resolved = json.loads(remote.read_text(path)).get("resolved") or {}
        for name in set(resolved) - set(config.given):
            current[name] = previous.get(name, current[name])
    return differences(previous, current)


def listed_changes(changed):
    """`"units: 8 -> 4; ..."`: the first six `differences`, for a message."""
    return "; ".join(f"{key}: {before!r} -> {now!r}" for key, before, now in changed[:6])


class TrainingFolder:
    """The folders a training run writes: the staging folder, or a worker's part of it.

    Args:
        output: `str.` The model folder the run makes.
        worker: `str` or `None.` `None` on the chief (the one process that
            writes the model), else the worker's name (`"worker-1"`); a
            worker writes its history and checkpoints to
            `STAGING/workers/NAME`.
    """

    def __init__(self, output, worker=None):
        self.output = remote.absolute(output)
        # A remote `--output` is staged in a local folder of its own and
        # uploaded at the end (`rnn_keras.files.remote`).
        local = remote.local_mirror(self.output) if remote.is_remote(self.output) else self.output
        parent, name = os.path.split(local)
        self.staging = os.path.join(parent, f".{name}.partial")
        self.worker = worker
        self.workdir = (
            self.staging if worker is None else os.path.join(self.staging, WORKERS_DIR, worker)
        )
        self.lock = FolderLock(local) if worker is None else None

    def path(self, *names):
        """A path in this process's working folder."""
        return os.path.join(self.workdir, *names)

    def open(self, config):
        """The chief takes the lock, checks `--output` and keeps or clears the staging folder.

        Everything here happens before any data is read, so a refused run
        has changed nothing.

        Raises:
            FolderLocked: another live run writes this folder.
            FileExistsError: `--output` holds a finished model and
                `config.overwrite` is off, or files the package did not write.
            ResumeMismatch: an interrupted training there has other options.
        """
        if self.worker is not None:
            return
        self.lock.acquire()
        try:
            self._check(config)
        except BaseException:
            self.lock.release()
            raise

    def _check(self, config):
        output = self.output
        if remote.exists(output) and not remote.isdir(output):
            raise FileExistsError(f"{output} is a file; --output must name a folder")
        if holds_model(output):
            if not config.overwrite:
                raise FileExistsError(
                    f"{output} already holds a trained model; pass --overwrite to train again"
                )
            check_no_foreign_entries(output)
        elif set(remote.listdir(output)) - set(TUNING_FILES):
            # (A failed tuning job leaves only its summary, which the next run may replace.)
            shown = ", ".join(sorted(remote.listdir(output))[:5])
            raise FileExistsError(
                f"{output} exists and is not a model folder (it holds {shown}); choose another "
                "--output or empty it (a run never deletes what it did not write)"
            )
        if not os.path.isdir(self.staging):
            return
        changed = option_changes(config, os.path.join(self.staging, TASK_FILE))
        if changed is None:  # stopped before training started: nothing to resume
            remove(self.staging)
            return
        if not changed:
            logger.info("%s holds an interrupted training with these options", self.staging)
            return
        if config.overwrite:
            logger.info("starting over: --overwrite discards the interrupted training in %s",
                        self.staging)
            remove(self.staging)
            return
        listed = listed_changes(changed)
        raise ResumeMismatch(
            f"{output} has an interrupted training (in {self.staging}) started with other "
            f"options ({listed}); rerun with the same options to resume it, or pass "
            "--overwrite to start over"
        )

    @property
    def complete(self):
        """Whether the staging folder holds a finished run that was not swapped in yet."""
        return self.worker is None and os.path.isfile(os.path.join(self.staging, METRICS_FILE))

    def start(self, task):
        """Makes the working folder; the chief records the task's options and state in it."""
        os.makedirs(self.workdir, exist_ok=True)
        remove_leftovers(self.workdir)
        if self.worker is None:
            self._check_resolved(task.config)
            write_json(os.path.join(self.staging, TASK_FILE), task.get_config())

    def _check_resolved(self, config):
        """Refuses to resume a backup whose options resolved from the data differ.

        `_check` compared the options given; those resolved from the data
        are known only now. The same data resolve them alike unless the
        rules changed since the backup was written (a newer version adds a
        rule), and then the backup's model may not even load into this
        one. `--overwrite` starts over instead.
        """
        if not os.path.isdir(self.path(BACKUP_DIR)):
            return
        changed = option_changes(
            config, os.path.join(self.staging, TASK_FILE), resolved_alike=False
        )
        if not changed:
            return
        listed = listed_changes(changed)
        if config.overwrite:
            logger.info("starting over: the interrupted training in %s resolved other options "
                        "from the data (%s)", self.staging, listed)
            self.start_over()
            return
        raise ResumeMismatch(
            f"{self.output} has an interrupted training (in {self.staging}) whose options "
            f"resolved from the data differ from this run's ({listed}): the rules changed "
            "since it started; pass --overwrite to start over"
        )

    def start_over(self):
        """Discards this process's interrupted training (backup, history, checkpoints).

        What `start` recorded (the options in `task.json`) stays.
        """
        for name in os.listdir(self.workdir):
            if not (self.worker is None and name == TASK_FILE):
                remove(os.path.join(self.workdir, name))

    @property
    def fit_done(self):
        return os.path.isfile(self.path(FIT_DONE))

    def mark_fit_done(self, epochs):
        """Records that `fit` ended, and drops the backup it no longer needs."""
        write_json(self.path(FIT_DONE), {"epochs": epochs})
        remove(self.path(BACKUP_DIR))

    def commit(self):
        """Swaps the staging folder into place as `--output` (the chief, once all is written)."""
        workers = os.path.join(self.staging, WORKERS_DIR)
        names = os.listdir(workers) if os.path.isdir(workers) else []
        for folder in [self.staging, *(os.path.join(workers, name) for name in names)]:
            remove(os.path.join(folder, FIT_DONE))
            remove(os.path.join(folder, BACKUP_DIR))
        if remote.is_remote(self.output):
            self._publish()
            return
        # Files added to --output meanwhile are not ours to delete: carry them over.
        for name in foreign_entries(self.output):
            os.rename(os.path.join(self.output, name), os.path.join(self.staging, name))
        replace_folder(self.staging, self.output)

    def _publish(self):
        """Uploads the staging folder to the remote `--output`, `metrics.json` last.

        A finished model there is first marked unfinished (its
        `metrics.json` removed), then its files removed; files the package
        did not write stay.
        """
        if remote.exists(remote.join(self.output, METRICS_FILE)):
            remote.remove(remote.join(self.output, METRICS_FILE))
        foreign = set(foreign_entries(self.output))
        for name in remote.listdir(self.output):
            if name not in foreign:
                remote.remove(remote.join(self.output, name))
        remote.upload_folder(self.staging, self.output, last=(METRICS_FILE,))
        remove(self.staging)

    def close(self):
        if self.lock is not None:
            self.lock.release()
