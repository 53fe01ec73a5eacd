"""One signature of a loaded SavedModel, as the server calls it and batches it."""

import re
import threading

import tensorflow as tf

# Ops that draw random numbers: a row's draws depend on the rows beside it.
_RANDOM_OPS = re.compile(r"Random|Multinomial|TruncatedNormal|Shuffle")


class ServedSignature:
    """A signature (`tf.saved_model.load(path).signatures[name]`) with what serving needs of it.

    The inputs of rank 1 or more are batched: their first dimension counts
    the rows of a request. Inputs of rank 0 (`beam_width`) are arguments
    shared by all rows. Concurrent requests can be run as one call on their
    rows, concatenated (`RequestBatcher`), only when that gives each row
    the answer it gets alone: every input of rank 1 or more and every
    output have a free first (batch) dimension, no output has a dimension
    of unknown size beyond it (rows would come back padded to the longest
    of the batch, as a tagger's tags are), and the graph draws no random
    numbers (a sampled row would depend on the batch). `batchable` says
    whether it can, `unbatchable` why not.

    Args:
        name: `str.` The signature's name, e.g. `"serving_default"`.
        function: the signature's concrete function.

    Call arguments:
        inputs: `dict` from input name to a NumPy array of the input's
            dtype and shape (`bytes` objects for strings).

    Returns:
        `dict` from output name to a NumPy array.
    """

    def __init__(self, name, function):
        self.name = name
        self.function = function
        _, named = function.structured_input_signature
        self.inputs = dict(sorted(named.items()))
        self.outputs = dict(sorted(function.structured_outputs.items()))
        self.batched_inputs = tuple(
            key for key, spec in self.inputs.items() if spec.shape.rank != 0
        )
        self.unbatchable = _unbatchable(function, self.inputs, self.outputs)
        self.calls = 0
        self.rows = 0
        self._lock = threading.Lock()

    @property
    def batchable(self):
        return self.unbatchable is None

    def __call__(self, inputs):
        rows = len(inputs[self.batched_inputs[0]]) if self.batched_inputs else 1
        with self._lock:
            self.calls += 1
            self.rows += rows
        tensors = {
            key: tf.constant(value, dtype=self.inputs[key].dtype) for key, value in inputs.items()
        }
        return {key: value.numpy() for key, value in self.function(**tensors).items()}


def _unbatchable(function, inputs, outputs):
    """Why rows of several requests cannot run as one call (`None` when they can)."""
    batched = [key for key, spec in inputs.items() if spec.shape.rank != 0]
    if not batched:
        return "no input has a batch dimension"
    for kind, specs in (("input", {key: inputs[key] for key in batched}), ("output", outputs)):
        for key, spec in specs.items():
            if spec.shape.rank is None or spec.shape.rank == 0 or spec.shape[0] is not None:
                return f"{kind} `{key}` has no free batch dimension (shape {spec.shape})"
    for key, spec in outputs.items():
        if not spec.shape[1:].is_fully_defined():
            return (
                f"output `{key}` has a dimension of unknown size after the batch (shape "
                f"{spec.shape}): rows would come back padded to the longest of the batch"
            )
    random = _random_ops(function)
    if random:
        return f"the graph draws random numbers ({', '.join(random)}): rows depend on the batch"
    return None


def _random_ops(function):
    graph = function.graph.as_graph_def()
    nodes = list(graph.node)
    for library_function in graph.library.function:
        nodes.extend(library_function.node_def)
    return sorted({node.op for node in nodes if _RANDOM_OPS.search(node.op)})
