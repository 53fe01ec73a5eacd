"""Decoding: greedy and beam search for encoder-decoders."""

from rnn_keras.decoding.seq2seq_inference import Seq2SeqInference
