"""Load a task's examples from a file, a TFDS dataset or a generated dataset.

A data argument is one of:

- a path to a file in the task's plain format (the task reads it:
  `Task.read_file`, with the readers of `rnn_keras.data.readers`);
- `tfds:NAME[/CONFIG]`: an official TensorFlow Datasets dataset, read with
  `tfds.load(NAME, split=..., data_dir=...)` (downloaded by TFDS on first
  use) and turned into examples by `Task.from_tfds`;
- `gen:dates` or `gen:addition` (optionally `/small`): the package's own
  generated datasets, TFDS builders that build locally
  (`rnn_keras.data.tfds_builders`).

Examples come back in the task's plain form (see each task's `read_file`).
"""

import dataclasses
import socket
from typing import Optional

from rnn_keras import quiet


@dataclasses.dataclass(frozen=True)
class Origin:
    """Where a split's examples came from: a file or dataset, and which of its examples.

    Args:
        spec: the file, `tfds:NAME` or `gen:NAME`.
        indices: optional tuple: example `i` of the split is example
            `indices[i]` of the file (a split carved out of it).
        held_out: `bool.` The split was held out of the training data.
    """

    spec: str
    indices: Optional[tuple] = None
    held_out: bool = False

    def __str__(self):
        return f"{self.spec} (held out)" if self.held_out else self.spec

    @property
    def path(self):
        """The file, or `None` for a TFDS or generated dataset (which has no lines)."""
        return None if is_tfds(self.spec) else self.spec

    def example(self, i):
        """The index in the file of the split's example `i`."""
        return int(self.indices[i]) if self.indices is not None else i

    def line(self, i):
        """The file line of example `i`, for formats of one example per line."""
        return None if self.path is None else self.example(i) + 1


def as_origin(origin):
    """`origin` as an `Origin` (a file or dataset name, or `None`, given as such)."""
    if isinstance(origin, Origin):
        return origin
    return Origin(str(origin) if origin is not None else "data")


class MissingSplit(ValueError):
    """A TFDS or generated dataset has no split of the requested name."""


def is_tfds(spec):
    """Whether `spec` names a TFDS (`tfds:`) or generated (`gen:`) dataset."""
    return spec.startswith("tfds:") or spec.startswith("gen:")


def load_examples(task, spec, split="train", data_dir=None):
    """Examples of `task` from `spec` (see the module docstring).

    Args:
        task: a `rnn_keras.tasks.Task` (its options say, e.g., which CSV
            column to forecast).
        spec: a file path, `tfds:NAME` or `gen:NAME`.
        split: `str.` The split of a TFDS or generated dataset (files are
            one split each). Defaults to `"train"`.
        data_dir: `str` or `None.` TFDS data dir. Defaults to TFDS's own
            (`~/tensorflow_datasets`).
    """
    if spec.startswith("gen:"):
        return _load_generated(task, spec, split, data_dir)
    if spec.startswith("tfds:"):
        return _load_tfds(task, spec[len("tfds:") :], split, data_dir)
    return task.read_file(spec)


def _load_generated(task, spec, split, data_dir):
    from rnn_keras.data.tfds_builders import BUILDERS
    from rnn_keras.data.tfds_builders import config_name

    name, _, config = spec[len("gen:") :].partition("/")
    if name not in BUILDERS:
        raise ValueError(
            f"Invalid value for argument `data`. Expected one of "
            f"{[f'gen:{n}' for n in BUILDERS]}. Received: {spec!r}"
        )
    if BUILDERS[name].TASK != task.name:
        raise ValueError(f"{spec} is a {BUILDERS[name].TASK} dataset; received task={task.name!r}")
    order = getattr(task.config, "date_order", "dmy") if name == "dates" else "dmy"
    config = config_name(config or "default", order)
    return _load_tfds(task, f"rnn_keras_{name}/{config}", split, data_dir)


# Where TFDS fetches prepared datasets and checksums from; unreachable means
# no download can succeed (TFDS itself retries for minutes).
TFDS_HOST = ("storage.googleapis.com", 443)


def network_reachable(host=TFDS_HOST, timeout=3.0):
    """Whether a TCP connection to `host` opens within `timeout` seconds."""
    try:
        socket.create_connection(host, timeout=timeout).close()
    except OSError:
        return False
    return True


def check_downloadable(builder, name):
    """Raises `ValueError` at once when `builder` would need a download and there is no network.

    The package's own generated builders build locally; a dataset already
    prepared in the data directory needs nothing. Nothing is written
    before the check, so a refused run leaves no partial download behind.
    """
    from rnn_keras.data.tfds_builders import BUILDERS

    if isinstance(builder, tuple(BUILDERS.values())) or builder.is_prepared():
        return
    if not downloads_for_real(builder) or network_reachable():
        return
    raise ValueError(
        f"tfds:{name} is not prepared in {builder.data_dir} and {TFDS_HOST[0]} cannot be "
        f"reached to download it. Prepare it where there is network (`tfds build {name} "
        "--data_dir DIR`, or `tfds.load` once), copy DIR here and pass --data-dir DIR"
    )


def downloads_for_real(builder):
    """Whether `builder.download_and_prepare` is TFDS's own (not `tfds.testing.mock_data`'s)."""
    return type(builder).download_and_prepare.__module__.startswith("tensorflow_datasets.core")


def _load_tfds(task, name, split, data_dir):
    import tensorflow_datasets as tfds

    builder = tfds.builder(name, data_dir=data_dir)
    check_downloadable(builder, name)
    available = list(builder.info.splits.keys()) if builder.info.splits else []
    if available and split not in available:
        raise MissingSplit(
            f"Invalid value for argument `split`. tfds:{name} has splits {available}. "
            f"Received: {split!r}"
        )
    try:
        # Building a dataset prints progress and "Downloading and preparing..."
        # lines: shown on failure only (`rnn_keras.quiet`).
        with quiet.captured():
            dataset, info = tfds.load(name, split=split, data_dir=data_dir, with_info=True)
    except ValueError as error:
        if "split" in str(error).lower():
            raise MissingSplit(f"tfds:{name}: {error}") from error
        raise
    return task.from_tfds(tfds.as_numpy(dataset), info, name)
