"""Making Keras's (and rnn_keras's) LSTM and GRU believe a GPU is visible, for tests of cuDNN-free exports."""

import importlib

import pytest

from rnn_keras.layers import fused_gated_layer


def pretend_gpu_is_visible(monkeypatch, missing=pytest.skip):
    """Makes Keras's LSTM/GRU choose cuDNN when traced, as on a GPU machine; returns the module.

    There is no public switch: this patches the private check that Keras's
    TensorFlow backend makes. If it moved, `missing(reason)` runs: a skip
    by default, a failure for the guard that must notice the change.
    """
    try:
        rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")
    except ImportError:
        missing("Keras's TensorFlow RNN backend moved: recheck rnn_keras.compat.portable_copy")
    if not hasattr(rnn, "_is_gpu_available"):
        missing("Keras no longer checks GPUs through _is_gpu_available: recheck portable_copy")
    monkeypatch.setattr(rnn, "_is_gpu_available", lambda: True)
    # And rnn_keras's LSTM/GRU then defer to Keras's cuDNN path, as on a GPU.
    monkeypatch.setattr(fused_gated_layer, "gpu_visible", lambda: True)
    return rnn
