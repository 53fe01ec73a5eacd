"""Shared test set-up: quiet logs, two logical CPUs, seeds, markers."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The fused layers compile their loops with XLA once per new shape (0.3-1 s
# each), which is most of the time a tiny test model takes to train: the
# suite runs them as graph loops (`rnn_keras.layers.fused_gates.xla_loops`;
# subprocesses inherit it), except for tests marked `xla_loops`: the layer
# tests, which choose `jit_compile` themselves, and the main job end to end.
# `RNN_KERAS_XLA_LOOPS=1 pytest` compiles them everywhere.
os.environ.setdefault("RNN_KERAS_XLA_LOOPS", "0")

import keras  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

import task_cases  # noqa: E402

# Under pytest-xdist (`-n 2`, one process per core), one thread per op: two
# processes with a pool of two each only fight over the cores. Must happen
# before TensorFlow runs anything.
if os.environ.get("PYTEST_XDIST_WORKER"):
    tf.config.threading.set_intra_op_parallelism_threads(1)

# Two logical CPU devices, so that distribution tests can mirror over two
# replicas on a machine without accelerators. Must happen before TensorFlow
# initialises its devices.
_cpus = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(
    _cpus[0],
    [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()],
)

SHARED_DATASETS = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets")


TEST_SEED = int(os.environ.get("RNN_KERAS_TEST_SEED", "1337"))


@pytest.fixture(autouse=True)
def seed_everything():
    """Seeds Python, NumPy and the backend before every test.

    `RNN_KERAS_TEST_SEED` changes the seed, to check that learning tests
    pass for more than one.
    """
    keras.utils.set_random_seed(TEST_SEED)
    yield


@pytest.fixture(autouse=True)
def xla_loops(request, monkeypatch):
    """Compiles the fused loops with XLA in tests marked `xla_loops`."""
    if request.node.get_closest_marker("xla_loops"):
        monkeypatch.setenv("RNN_KERAS_XLA_LOOPS", "1")
    yield


@pytest.fixture(autouse=True)
def float32_policy():
    """Restores the float32 dtype policy after tests that change it."""
    yield
    keras.config.set_dtype_policy("float32")


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """`{case name: model folder}` of the tiny models of `task_cases.CASES`, with SavedModels.

    Trained once per session, through `runner.train` with the SavedModel
    export (`1/`); tests may load them, never change the folders.
    """
    from rnn_keras import runner

    root = tmp_path_factory.mktemp("trained")
    task_cases.write_data(root)
    folders = {}
    for name, case in task_cases.CASES.items():
        keras.utils.set_random_seed(TEST_SEED)
        config = dict(case, data=str(root / case["data"]))
        if "embeddings" in config:
            config["embeddings"] = str(root / config["embeddings"])
        folders[name] = str(root / name)
        # One batch per epoch: one trace of the training step, not two.
        config.update(output=folders[name], epochs=1, units=8, batch_size=256, seed=TEST_SEED)
        runner.train(config, verbose=0, export=True)
    return folders


@pytest.fixture
def shared_datasets():
    """Path of `../shared/datasets`; skips the test when it is absent."""
    if not os.path.isdir(SHARED_DATASETS):
        pytest.skip(f"shared datasets not found at {os.path.abspath(SHARED_DATASETS)}")
    return os.path.abspath(SHARED_DATASETS)


@pytest.hookimpl(tryfirst=True)  # before xdist's `loadgroup` reads the groups
def pytest_collection_modifyitems(config, items):
    """Groups the users of `trained`; marks the layer tests `xla_loops`; skips `gpu` tests."""
    for item in items:
        if item.path.parent.name == "layers" or item.path.name == "rnn_throughput_test.py":
            item.add_marker(pytest.mark.xla_loops)
        if "trained" in getattr(item, "fixturenames", ()):
            # With `pytest -n 2 --dist loadgroup`, the session fixture is built once.
            item.add_marker(pytest.mark.xdist_group("trained"))
    if tf.config.list_physical_devices("GPU"):
        return
    skip = pytest.mark.skip(reason="no GPU visible to TensorFlow")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)
