"""Recurrent layers: the vanilla RNN cell and layer, and the block factory."""

from rnn_keras.layers.recurrent_block import recurrent_block
from rnn_keras.layers.vanilla_rnn import VanillaRNN
from rnn_keras.layers.vanilla_rnn_cell import VanillaRNNCell
