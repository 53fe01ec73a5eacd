"""N→M encoder-decoder translation of strings: options, task, serving."""

from rnn_keras.tasks.seq2seq.config import Seq2SeqConfig
from rnn_keras.tasks.seq2seq.task import Seq2SeqTask
