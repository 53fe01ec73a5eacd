"""Export trained models: SavedModel with serving signatures on raw inputs."""

from rnn_keras.export.saved_model import export_saved_model
from rnn_keras.export.serving import serving_module
