"""Recurrent layers: the vanilla RNN cell and layer, fused LSTM and GRU, and the block factory."""

from rnn_keras.layers.category_embeddings import CategoryEmbeddings
from rnn_keras.layers.character_encoder import CharacterEncoder
from rnn_keras.layers.concatenate_condition import ConcatenateCondition
from rnn_keras.layers.crf import CRF
from rnn_keras.layers.gru import GRU
from rnn_keras.layers.lstm import LSTM
from rnn_keras.layers.masked_global_max_pooling import MaskedGlobalMaxPooling1D
from rnn_keras.layers.one_hot_embedding import OneHotEmbedding
from rnn_keras.layers.pretrained_embedding import PretrainedEmbedding
from rnn_keras.layers.recurrent_block import RecurrentBlock
from rnn_keras.layers.recurrent_block import recurrent_block
from rnn_keras.layers.sequence_attention import SequenceAttention
from rnn_keras.layers.series_convolution import SeriesConvolution
from rnn_keras.layers.series_normalization import SeriesNormalization
from rnn_keras.layers.series_patches import SeriesPatches
from rnn_keras.layers.token_dropout import TokenDropout
from rnn_keras.layers.vanilla_rnn import VanillaRNN
from rnn_keras.layers.vanilla_rnn_cell import VanillaRNNCell
from rnn_keras.layers.window_scaling import WindowScaling
