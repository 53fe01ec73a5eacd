"""Load a task's examples from a file, a TFDS dataset or a generated dataset.

A data argument is one of:

- a path to a file in the task's plain format (see `rnn_keras.data.readers`);
- `tfds:NAME[/CONFIG]`: an official TensorFlow Datasets dataset, read with
  `tfds.load(NAME, split=..., data_dir=...)` (downloaded by TFDS on first
  use);
- `gen:dates` or `gen:addition` (optionally `/small`): the package's own
  generated datasets, TFDS builders that build locally
  (`rnn_keras.data.tfds_builders`).

Examples come back in one plain form per task:

| task | examples |
|---|---|
| classify | `(inputs, labels)`: texts or float series, label strings |
| tag | list of `(tokens, tags)` |
| seq2seq | list of `(source, target)` strings |
| generate | one string |
| forecast | list of floats |
"""

import os

import numpy as np

from rnn_keras.data import readers
from rnn_keras.data.readers import DataError

TASKS = ("classify", "tag", "seq2seq", "generate", "forecast")
_TFDS_SPLITS = {"train": "train", "validation": "validation", "test": "test"}


class MissingSplit(ValueError):
    """A TFDS or generated dataset has no split of the requested name."""


def is_tfds(spec):
    """Whether `spec` names a TFDS (`tfds:`) or generated (`gen:`) dataset."""
    return spec.startswith("tfds:") or spec.startswith("gen:")


def load_examples(task, spec, split="train", column=None, data_dir=None):
    """Examples of `task` from `spec` (see the module docstring).

    Args:
        task: one of `"classify"`, `"tag"`, `"seq2seq"`, `"generate"`,
            `"forecast"`.
        spec: a file path, `tfds:NAME` or `gen:NAME`.
        split: `str.` The split of a TFDS or generated dataset (files are
            one split each). Defaults to `"train"`.
        column: `str.` The CSV column to forecast (`forecast` only).
        data_dir: `str` or `None.` TFDS data dir. Defaults to TFDS's own
            (`~/tensorflow_datasets`).
    """
    if spec.startswith("gen:"):
        return _load_generated(task, spec, split, data_dir)
    if spec.startswith("tfds:"):
        return _load_tfds(task, spec[len("tfds:") :], split, data_dir)
    return _load_file(task, spec, column)


def _load_file(task, path, column):
    if task == "classify":
        return _read_classification(path)
    if task == "tag":
        return readers.read_conll(path)
    if task == "seq2seq":
        return readers.read_seq2seq_tsv(path)
    if task == "generate":
        return readers.read_text(path)
    if task == "forecast":
        if not column:
            raise ValueError(
                "Invalid value for argument `column`. Expected the CSV column to "
                f"forecast for {path}. Received: column={column!r}"
            )
        return readers.read_csv_column(path, column)
    raise ValueError(
        f"Invalid value for argument `task`. Expected one of {TASKS}. Received: {task!r}"
    )


def _read_classification(path):
    """UCR series when every line is `label<TAB>number<TAB>number...`, else text."""
    if not os.path.isfile(path):
        raise DataError(path, None, "no such file")
    with open(path, encoding="utf-8") as f:
        first = f.readline().rstrip("\n").split("\t")
    if len(first) > 2 and all(_is_number(v) for v in first[1:]):
        series, labels = readers.read_ucr_tsv(path)
        return series, labels
    texts, labels = readers.read_classification_tsv(path)
    return texts, labels


def _is_number(value):
    try:
        float(value)
    except ValueError:
        return False
    return True


def _load_generated(task, spec, split, data_dir):
    name, _, config = spec[len("gen:") :].partition("/")
    if name not in ("dates", "addition"):
        raise ValueError(
            f"Invalid value for argument `data`. Expected 'gen:dates' or 'gen:addition'. "
            f"Received: {spec!r}"
        )
    if task != "seq2seq":
        raise ValueError(f"{spec} is a seq2seq dataset; received task={task!r}")
    import rnn_keras.data.tfds_builders  # noqa: F401 (registers the builders)

    return _load_tfds(task, f"rnn_keras_{name}/{config or 'default'}", split, data_dir)


def _load_tfds(task, name, split, data_dir):
    import tensorflow_datasets as tfds

    builder = tfds.builder(name, data_dir=data_dir)
    available = list(builder.info.splits.keys()) if builder.info.splits else []
    if available and split not in available:
        raise MissingSplit(
            f"Invalid value for argument `split`. tfds:{name} has splits {available}. "
            f"Received: {split!r}"
        )
    try:
        dataset, info = tfds.load(name, split=split, data_dir=data_dir, with_info=True)
    except ValueError as error:
        if "split" in str(error).lower():
            raise MissingSplit(f"tfds:{name}: {error}") from error
        raise
    features = info.features
    rows = tfds.as_numpy(dataset)
    if task == "generate":
        key = _feature_of_type(features, tfds.features.Text, name, "a text feature")
        return "\n".join(_text(row[key]) for row in rows)
    if info.supervised_keys is None:
        raise ValueError(f"tfds:{name} has no supervised keys; it cannot feed task {task!r}")
    input_key, target_key = info.supervised_keys[:2]
    if task == "classify":
        names = getattr(features[target_key], "names", None)
        inputs, labels = [], []
        for row in rows:
            inputs.append(_text(row[input_key]))
            label = int(row[target_key])
            labels.append(names[label] if names else str(label))
        return inputs, labels
    if task == "seq2seq":
        return [(_text(row[input_key]), _text(row[target_key])) for row in rows]
    if task == "tag":
        tag_names = features[target_key].feature.names
        return [
            ([_text(t) for t in row[input_key]], [tag_names[int(t)] for t in row[target_key]])
            for row in rows
        ]
    raise ValueError(f"Task {task!r} cannot read TFDS datasets; use a CSV file.")


def _feature_of_type(features, kind, name, what):
    for key, feature in features.items():
        if isinstance(feature, kind):
            return key
    raise ValueError(f"tfds:{name} has no {what}; features: {list(features)}")


def _text(value):
    return value.decode("utf-8") if isinstance(value, (bytes, np.bytes_)) else str(value)
