"""`FolderLock`: one writer at a time for a model folder.

The lock is a file beside the folder, created with `O_EXCL` (so two
processes cannot both create it) and holding its owner's pid, host, start
time and command. A second writer is refused at once, with a message that
names the owner. A lock whose owner is gone (a killed run) is recovered:
on the owner's host, a pid that no longer runs, or that now belongs to a
process started later, is gone. A lock held from another host cannot be
checked from here; the message says how to remove it by hand.
"""

import json
import logging
import os
import socket
import sys
import time

logger = logging.getLogger("rnn_keras")


class FolderLocked(RuntimeError):
    """Another live process holds the lock."""


def _process_start(pid):
    """The start time of process `pid` in clock ticks since boot (Linux), else `None`."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def process_running(pid):
    """Whether a process `pid` runs on this host (one of another user's counts)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _alive(owner):
    """Whether the lock's owner may still run (`True` when it cannot be told)."""
    if owner.get("host") != socket.gethostname():
        return True
    pid = owner.get("pid")
    if not process_running(pid):
        return False
    started = owner.get("process_start")
    return started is None or _process_start(pid) in (None, started)


class FolderLock:
    """An exclusive lock on the folder `path`, held in the file `path`'s sibling `.NAME.lock`.

    Example:

    ```python
    with FolderLock("saved_models/sentiment"):
        ...  # the only process writing saved_models/sentiment
    ```
    """

    def __init__(self, path):
        parent, name = os.path.split(os.path.abspath(path))
        self.folder = os.path.abspath(path)
        self.path = os.path.join(parent, f".{name}.lock")
        self.held = False

    def acquire(self):
        """Takes the lock, recovering one whose owner is gone; raises `FolderLocked` otherwise."""
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "process_start": _process_start(os.getpid()),
            "since": time.strftime("%Y-%m-%d %H:%M:%S"),
            "command": " ".join(sys.argv),
        }
        for _ in range(3):
            try:
                descriptor = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = self._owner()
                if owner is None:
                    continue  # released meanwhile
                if owner and _alive(owner):
                    raise FolderLocked(
                        f"{self.folder} is being written by another run (pid {owner.get('pid')} "
                        f"on {owner.get('host')} since {owner.get('since')}: "
                        f"{owner.get('command')}); wait for it to end, or remove {self.path} "
                        "if that run is gone"
                    ) from None
                logger.info("recovered %s, left by a run that is gone", self.path)
                try:
                    os.remove(self.path)
                except FileNotFoundError:
                    pass
                continue
            with os.fdopen(descriptor, "w") as f:
                json.dump(me, f)
            self.held = True
            return self
        raise FolderLocked(f"could not take {self.path}: other runs keep taking it")

    def _owner(self):
        """The owner in the lock file: `None` if there is no file, `{}` if it stays unreadable."""
        for _ in range(20):
            try:
                with open(self.path) as f:
                    owner = json.load(f)
                return owner if isinstance(owner, dict) else {}
            except FileNotFoundError:
                return None
            except (OSError, ValueError):
                time.sleep(0.05)  # its owner may be writing it right now
        return {}

    def release(self):
        if self.held:
            self.held = False
            try:
                os.remove(self.path)
            except FileNotFoundError:
                pass

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc_info):
        self.release()
