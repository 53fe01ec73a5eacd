"""`get_strategy`: the `tf.distribute` strategy a job trains under.

| name | strategy | when `auto` picks it |
|---|---|---|
| `tpu` | `TPUStrategy` | a TPU is named (`tpu=` / `--tpu`, `TPU_NAME`) or the machine is a TPU VM |
| `mirrored` | `MirroredStrategy` over the GPUs (or the logical CPUs when there are no GPUs) | two or more GPUs |
| `multi_worker` | `MultiWorkerMirroredStrategy` | `TF_CONFIG` names a cluster with more than one task |
| `one_device` | `OneDeviceStrategy` on the first GPU, else the CPU | never |
| `default` | TensorFlow's default (no distribution) | otherwise |

Models are built and compiled inside `strategy.scope()`; `batch_size` is per
replica, so a global batch holds `batch_size * num_replicas_in_sync`
examples. Datasets are sharded by `AutoShardPolicy.DATA`, chosen on purpose:
the package's datasets are built from in-memory examples, not from files,
so `FILE` sharding (the `AUTO` default's first choice) has nothing to shard
by; with `DATA` every worker runs the same deterministic pipeline and keeps
its own share of the batches.

One `MirroredStrategy` serves each set of devices for the life of the
process: `get_strategy("mirrored")` returns the same object every time.
TensorFlow keys its collective operations per strategy object, and a second
live strategy over the same devices can reuse those keys, which aborts
training with "Shape mismatch in the collective instance" (seen with Keras
3.15 / TensorFlow 2.21 after a handful of strategies in one process, as in a
tuning job that builds a model per trial).

Without a TPU, `tpu` fails within `timeout` seconds with a message saying
what was tried; it never waits on an address that does not answer.
"""

import json
import os
import socket
import threading

import tensorflow as tf

STRATEGIES = ("auto", "default", "one_device", "mirrored", "multi_worker", "tpu")

# `MirroredStrategy` by tuple of device names (see the module docstring).
_MIRRORED = {}


def _tf_config_cluster():
    """The cluster `TF_CONFIG` describes, `{}` when it names none."""
    raw = os.environ.get("TF_CONFIG")
    if not raw:
        return {}
    try:
        config = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"TF_CONFIG is not valid JSON: {error}") from None
    return config.get("cluster") or {}


def _local_tpu():
    """Whether this machine is a TPU VM (TPU chips show up as `/dev/accel*` or `/dev/vfio`)."""
    return os.path.exists("/dev/accel0") or os.path.isdir("/dev/vfio") and bool(
        [n for n in os.listdir("/dev/vfio") if n != "vfio"]
    )


def resolve_strategy_name(name="auto", tpu=None):
    """The concrete strategy name `auto` stands for here (other names unchanged)."""
    if name not in STRATEGIES:
        raise ValueError(
            f"Invalid value for argument `strategy`. Expected one of {STRATEGIES}. "
            f"Received: strategy={name!r}"
        )
    if name != "auto":
        return name
    if tpu or os.environ.get("TPU_NAME") or _local_tpu():
        return "tpu"
    if len(tf.config.list_physical_devices("GPU")) > 1:
        return "mirrored"
    tasks = sum(len(addresses) for addresses in _tf_config_cluster().values())
    if tasks > 1:
        return "multi_worker"
    return "default"


def get_strategy(name="auto", tpu=None, devices=None, timeout=10.0):
    """Returns the `tf.distribute.Strategy` for `name`.

    Args:
        name: `str.` One of `"auto"`, `"default"`, `"one_device"`,
            `"mirrored"`, `"multi_worker"`, `"tpu"`. Defaults to `"auto"`.
        tpu: `str` or `None.` The TPU: a name, `"local"` on a TPU VM, or a
            gRPC address `grpc://HOST:PORT`. Defaults to `TPU_NAME`.
        devices: `list` of device names for `mirrored`. Defaults to every
            GPU, or every logical CPU on a machine without GPUs.
        timeout: `float.` Seconds to wait for a TPU to answer. Defaults to
            `10`.

    Returns:
        A `tf.distribute.Strategy`.

    Example:

    ```python
    strategy = rnn_keras.distribute.get_strategy("mirrored")
    with strategy.scope():
        model = rnn_keras.models.build_classifier(2, vocab_size=1000)
    model.fit(dataset.batch(32 * strategy.num_replicas_in_sync))
    ```
    """
    name = resolve_strategy_name(name, tpu)
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "one_device":
        gpus = tf.config.list_logical_devices("GPU")
        return tf.distribute.OneDeviceStrategy(gpus[0].name if gpus else "/cpu:0")
    if name == "mirrored":
        if devices is None:
            gpus = tf.config.list_logical_devices("GPU")
            devices = [d.name for d in gpus or tf.config.list_logical_devices("CPU")]
        key = tuple(devices)
        if key not in _MIRRORED:
            _MIRRORED[key] = tf.distribute.MirroredStrategy(devices)
        return _MIRRORED[key]
    if name == "multi_worker":
        if not _tf_config_cluster():
            raise ValueError(
                "strategy='multi_worker' needs TF_CONFIG naming the cluster and this task, e.g. "
                '{"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
                '"task": {"type": "worker", "index": 0}}'
            )
        return tf.distribute.MultiWorkerMirroredStrategy()
    return _tpu_strategy(tpu or os.environ.get("TPU_NAME"), timeout)


def _tpu_strategy(tpu, timeout):
    if not tpu:
        if not _local_tpu():
            raise ValueError(
                "strategy='tpu' but no TPU is configured: pass --tpu NAME_OR_grpc://HOST:PORT, "
                "set TPU_NAME, or run on a TPU VM"
            )
        tpu = "local"
    if tpu.startswith("grpc://"):
        _check_answers(tpu, timeout)
    resolver = _within(
        timeout,
        f"resolving TPU {tpu!r}",
        tf.distribute.cluster_resolver.TPUClusterResolver,
        tpu,
    )
    if tpu != "local":
        _within(
            timeout,
            f"connecting to TPU {tpu!r}",
            tf.config.experimental_connect_to_cluster,
            resolver,
        )
    # Initialisation takes longer than a connection, on a TPU that answers.
    _within(
        6 * timeout,
        f"initialising TPU {tpu!r}",
        tf.tpu.experimental.initialize_tpu_system,
        resolver,
    )
    return tf.distribute.TPUStrategy(resolver)


def _check_answers(address, timeout):
    """Raises unless `grpc://HOST:PORT` accepts a TCP connection within `timeout` seconds."""
    host, _, port = address[len("grpc://") :].rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            pass
    except (OSError, ValueError) as error:
        raise RuntimeError(
            f"TPU at {address} did not answer within {timeout:g}s ({error}); "
            "check the address and that the TPU is running"
        ) from None


def _within(timeout, what, function, *args):
    """Runs `function(*args)`, raising `TimeoutError` if it takes over `timeout` seconds."""
    result, error = [], []

    def target():
        try:
            result.append(function(*args))
        except Exception as e:  # re-raised in the caller's thread
            error.append(e)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"{what} took over {timeout:g}s; is the TPU reachable?")
    if error:
        raise RuntimeError(f"{what} failed: {error[0]}") from error[0]
    return result[0]


def worker_name(strategy):
    """`None` on the chief (and for every single-machine strategy), else `"TYPE-INDEX"`.

    Under `MultiWorkerMirroredStrategy` the chief is the task of type
    `chief`, or worker 0 when the cluster names none; only it writes the
    model.
    """
    if strategy.extended.should_checkpoint:
        return None
    resolver = strategy.cluster_resolver
    return f"{resolver.task_type}-{resolver.task_id}"


def distribute_dataset_options(dataset):
    """`dataset` with the auto-shard policy set to `DATA` (see the module docstring)."""
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return dataset.with_options(options)
