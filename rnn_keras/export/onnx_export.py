"""ONNX export through tf2onnx (the optional `onnx` extra).

Each numeric signature of `rnn_keras.export.numeric` (batch and length
free) becomes one ONNX model, `SIGNATURE.onnx`, beside the task's
`task.json` (its vocabularies, for vectorising text). Weights are frozen
and recurrent layers traced with their generic loop (no cuDNN); the loops
become ONNX `Loop` nodes.

Example:

```python
import onnxruntime
session = onnxruntime.InferenceSession("saved_models/dates/onnx/serving_default.onnx")
tokens, score = session.run(None, {"source": source_ids})
```
"""

import os

import tensorflow as tf

from rnn_keras import quiet
from rnn_keras.export.numeric import frozen_functions
from rnn_keras.export.destination import check_destination
from rnn_keras.files import write_folder
from rnn_keras.files import write_json

OPSET = 17


def convert_onnx(task, model, opset=OPSET):
    """`{signature name: onnx.ModelProto}` of a trained task."""
    try:
        import tf2onnx
    except ImportError:
        raise ImportError("ONNX export needs tf2onnx: pip install 'rnn-keras[onnx]'") from None
    task.check_export("onnx", model)
    # tf2onnx's many log lines are shown on failure only (`rnn_keras.quiet`).
    with quiet.captured():
        return {
            name: _convert(tf2onnx, concrete, opset)
            for name, concrete in frozen_functions(task, model, batch=None).items()
        }


def _convert(tf2onnx, concrete, opset):
    # `tf2onnx.convert.from_function` (1.17) makes every captured tensor (as
    # Keras's `Normalization` statistics) a graph input; only the signature's
    # own inputs are inputs here, the captures are frozen to constants.
    count = len(tf.nest.flatten(concrete.structured_input_signature))
    inputs = [tensor.name for tensor in concrete.inputs[:count]]
    outputs = [tensor.name for tensor in concrete.outputs]
    renames = tf2onnx.convert.tensor_names_from_structed(concrete, inputs, outputs)
    with tf.device("/cpu:0"):
        graph_def = tf2onnx.tf_loader.from_function(concrete, inputs, outputs)
    proto, _ = tf2onnx.convert.from_graph_def(
        graph_def, input_names=inputs, output_names=outputs, opset=opset,
        tensors_to_rename=renames,
    )
    return proto


def export_onnx(task, model, path, overwrite=False, opset=OPSET):
    """Writes `path/SIGNATURE.onnx` for each signature and `path/task.json`, atomically.

    Args:
        task: a trained `rnn_keras.tasks.Task`.
        model: its Keras model.
        path: `str.` The export folder.
        overwrite: `bool.` Replace an existing export. Defaults to `False`.
        opset: `int.` The ONNX opset. Defaults to `17`.

    Returns:
        `list` of the signature names.
    """
    check_destination(path, "onnx", overwrite)
    protos = convert_onnx(task, model, opset=opset)

    def write(folder):
        for name, proto in protos.items():
            with open(os.path.join(folder, f"{name}.onnx"), "wb") as f:
                f.write(proto.SerializeToString())
        write_json(os.path.join(folder, "task.json"), task.get_config())

    write_folder(path, write, overwrite=True)
    return sorted(protos)
