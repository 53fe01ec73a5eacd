"""The served models: every numbered SavedModel version of each model folder, loaded.

A model folder `MODEL` holds versions `MODEL/1/`, `MODEL/2/`, ... (TensorFlow
Serving's layout, which `rnn-keras train` and `rnn-keras export` write); the
model's name is the folder's base name. Status and metadata are described as
TensorFlow Serving's REST API writes them.
"""

import dataclasses
import logging
import os
import threading

import tensorflow as tf
from google.protobuf import json_format
from google.protobuf import text_format
from tensorflow.core.protobuf import saved_model_pb2

from rnn_keras.export.load import load_saved_model
from rnn_keras.serve.request_error import RequestError
from rnn_keras.serve.served_signature import ServedSignature

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class ModelVersion:
    """One loaded version of a model.

    Attributes:
        name: `str.` The model's name (its folder's base name).
        version: `int.` The version number (its folder's name).
        path: `str.` The SavedModel folder.
        signatures: `dict` from signature name to `ServedSignature`.
        signature_defs: `dict`: the SavedModel's signature definitions as
            TensorFlow Serving's metadata API writes them.
        module: the loaded SavedModel (kept alive while it serves).
    """

    name: str
    version: int
    path: str
    signatures: dict
    signature_defs: dict
    module: object


def load_version(name, path):
    """Loads the SavedModel at `path` (a folder `MODEL/N`) as `ModelVersion` `N` of `name`.

    A model that splits text into subwords holds TensorFlow Text ops: they
    are registered first when `tensorflow_text` is installed.

    Raises:
        ValueError: `path` is not a loadable SavedModel.
    """
    try:
        module = load_saved_model(path)
        definitions = signature_defs(path)
    except (ImportError, OSError, RuntimeError, ValueError, tf.errors.OpError) as error:
        raise ValueError(f"{path}: not a loadable SavedModel ({error})") from None
    signatures = {key: ServedSignature(key, fn) for key, fn in module.signatures.items()}
    for signature in signatures.values():
        if not signature.batchable:
            logger.info(
                "%s version %s: signature %s runs each request alone: %s",
                name, os.path.basename(path), signature.name, signature.unbatchable,
            )
    version = int(os.path.basename(path))
    return ModelVersion(name, version, path, signatures, definitions, module)


def signature_defs(path):
    """The signature definitions of the SavedModel at `path`, as TensorFlow Serving writes them.

    The `SignatureDef` protos of the serving graph (`saved_model.pb`, or
    `saved_model.pbtxt`) in JSON with the protos' field names and their
    default values written out (`"unknown_rank": false`, `"size": "-1"`),
    as TensorFlow Serving's `GetModelMetadata` REST answer has them.

    Returns:
        `dict` from signature name to `{"inputs", "outputs", "method_name", ...}`.
    """
    proto = saved_model_pb2.SavedModel()
    binary = os.path.join(path, "saved_model.pb")
    if os.path.exists(binary):
        with open(binary, "rb") as f:
            proto.ParseFromString(f.read())
    else:
        with open(os.path.join(path, "saved_model.pbtxt")) as f:
            text_format.Parse(f.read(), proto)
    graph = next(
        (graph for graph in proto.meta_graphs if "serve" in graph.meta_info_def.tags),
        proto.meta_graphs[0],
    )
    return {key: _message_dict(value) for key, value in graph.signature_def.items()}


def _message_dict(message):
    try:
        return json_format.MessageToDict(
            message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
        )
    except TypeError:  # protobuf < 5.26
        return json_format.MessageToDict(
            message, preserving_proto_field_name=True, including_default_value_fields=True
        )


def version_folders(folder):
    """`{version: path}` of the numbered subfolders of `folder`."""
    return {
        int(entry): os.path.join(folder, entry)
        for entry in os.listdir(folder)
        if entry.isdigit() and os.path.isdir(os.path.join(folder, entry))
    }


class ModelRepository:
    """The served models by name, each with its loaded versions; safe to use from many threads.

    Args:
        folders: `list` of model folders, each holding numbered SavedModel
            versions (`MODEL/1/`, ...). Every version is loaded.

    Raises:
        ValueError: a folder is missing, holds no numbered version or a
            version that does not load, or two folders have the same name.

    Example:

    ```python
    models = ModelRepository(["saved_models/dates"])
    served = models.get("dates")  # the highest version
    served.signatures["serving_default"]({"text": np.array([b"3/4/01"], dtype=object)})
    # {"output": array([b"2001-04-03"], dtype=object), "score": ..., ...}
    ```
    """

    def __init__(self, folders):
        self.folders = {}
        for folder in folders:
            folder = os.path.abspath(folder)
            name = os.path.basename(folder)
            if not os.path.isdir(folder):
                raise ValueError(f"{folder}: no such model folder")
            if name in self.folders:
                raise ValueError(
                    f"{folder}: a second model named {name!r} (also {self.folders[name]}); "
                    "models are named after their folders"
                )
            if not version_folders(folder):
                hint = (
                    f" (it is a version itself: serve its parent, {os.path.dirname(folder)})"
                    if os.path.exists(os.path.join(folder, "saved_model.pb"))
                    else ""
                )
                raise ValueError(
                    f"{folder}: no SavedModel versions (numbered folders such as "
                    f"{os.path.join(folder, '1')}){hint}"
                )
            self.folders[name] = folder
        self._models = {name: {} for name in self.folders}
        self._lock = threading.Lock()
        self.refresh(strict=True)

    def refresh(self, strict=False):
        """Loads the versions that appeared in the model folders since the last look.

        Args:
            strict: `bool.` Raise when a version does not load; otherwise it
                is logged and tried again at the next refresh. Defaults to
                `False`.

        Returns:
            `list` of `(name, version)` loaded.
        """
        loaded = []
        for name, folder in self.folders.items():
            known = set(self._models[name])
            for number, path in sorted(version_folders(folder).items()):
                if number in known:
                    continue
                try:
                    version = load_version(name, path)
                except ValueError as error:
                    if strict:
                        raise
                    logger.warning("%s", error)
                    continue
                with self._lock:
                    self._models[name][number] = version
                loaded.append((name, number))
                signatures = ", ".join(sorted(version.signatures))
                logger.info("serving %s version %d (%s)", name, number, signatures)
        return loaded

    def names(self):
        return sorted(self.folders)

    def versions(self, name):
        """The loaded version numbers of model `name`, in increasing order."""
        with self._lock:
            return sorted(self._models.get(name, ()))

    def get(self, name, version=None):
        """The `ModelVersion` `version` of `name` (default: the highest).

        Raises:
            RequestError: 404, no such model or version.
        """
        with self._lock:
            versions = self._models.get(name)
            if not versions:
                served = ", ".join(sorted(self._models)) or "none"
                raise RequestError(
                    404, f"Servable not found for request: no model named {name!r} "
                    f"(served: {served})"
                )
            if version is None:
                return versions[max(versions)]
            if version not in versions:
                raise RequestError(
                    404, f"Servable not found for request: model {name!r} has no version "
                    f"{version} (versions: {', '.join(map(str, sorted(versions)))})"
                )
            return versions[version]

    def status(self, name, version=None):
        """TensorFlow Serving's model status answer: every version (or `version`), available."""
        self.get(name, version)  # 404 for an unknown model or version
        versions = [version] if version is not None else self.versions(name)
        return {
            "model_version_status": [
                {
                    "version": str(number),
                    "state": "AVAILABLE",
                    "status": {"error_code": "OK", "error_message": ""},
                }
                for number in versions
            ]
        }

    def metadata(self, name, version=None):
        """TensorFlow Serving's model metadata answer: the version's signature definitions."""
        served = self.get(name, version)
        return {
            "model_spec": {"name": name, "signature_name": "", "version": str(served.version)},
            "metadata": {"signature_def": {"signature_def": served.signature_defs}},
        }
