"""Decoding: greedy and beam search for encoder-decoders, sampling for generators."""

from rnn_keras.decoding.sampler import Sampler
from rnn_keras.decoding.seq2seq_inference import Seq2SeqInference
