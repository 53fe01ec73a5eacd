"""Distribution strategies: one factory over TensorFlow's own `tf.distribute`."""

from rnn_keras.distribute.even_batches import even_batches
from rnn_keras.compat import in_multi_worker_mode
from rnn_keras.distribute.static_batches import static_batches
from rnn_keras.distribute.strategy import STRATEGIES
from rnn_keras.distribute.strategy import distribute_dataset_options
from rnn_keras.distribute.strategy import get_strategy
from rnn_keras.distribute.strategy import resolve_strategy_name
from rnn_keras.distribute.strategy import worker_name
