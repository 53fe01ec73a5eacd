"""Export trained models: SavedModel with raw-input signatures, TFLite, ONNX.

Each task defines what it serves (`Task.serving_module`,
`Task.numeric_signatures`); these modules write the formats, and
`load_saved_model` loads SavedModels (TensorFlow Text's ops too, which
subword models hold).
"""

from rnn_keras.export.load import load_saved_model
from rnn_keras.export.load import register_text_ops
from rnn_keras.export.numeric import frozen_functions
from rnn_keras.export.numeric import frozen_variables
from rnn_keras.export.numeric import numeric_functions
from rnn_keras.export.onnx_export import export_onnx
from rnn_keras.export.saved_model import export_saved_model
from rnn_keras.export.tflite import export_tflite
from rnn_keras.export.tflite import tflite_interpreter

EXPORTERS = {"saved_model": export_saved_model, "tflite": export_tflite, "onnx": export_onnx}
