"""Export trained models: SavedModel with raw-input signatures, TFLite, ONNX."""

from rnn_keras.export.numeric import numeric_functions
from rnn_keras.export.onnx_export import export_onnx
from rnn_keras.export.portable import portable_recurrence
from rnn_keras.export.saved_model import export_saved_model
from rnn_keras.export.serving import serving_module
from rnn_keras.export.tflite import export_tflite
from rnn_keras.export.tflite import tflite_interpreter
