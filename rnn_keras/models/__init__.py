"""Functional-API model builders, one per topology."""

from rnn_keras.models.classifier import build_classifier
from rnn_keras.models.crf_model import CRFModel
from rnn_keras.models.ensemble import build_ensemble
from rnn_keras.models.forecaster import build_forecaster
from rnn_keras.models.forecaster import forecast_autoregressive
from rnn_keras.models.generator import build_generator
from rnn_keras.models.seq2seq import build_inference_models
from rnn_keras.models.seq2seq import build_seq2seq
from rnn_keras.models.tagger import build_tagger
