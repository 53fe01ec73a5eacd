"""Serve SavedModel versions over HTTP with TensorFlow Serving's REST API (`rnn-keras serve`).

`ModelRepository` loads every numbered version of each model folder,
`RequestBatcher` runs concurrent requests as one signature call, and
`ModelServer` (or `serve`, until SIGTERM) answers the REST requests. Only
`tf.saved_model.load` is needed of the models: the SavedModels that
`rnn-keras train` and `rnn-keras export` write are self-contained.
"""

from rnn_keras.serve.batching import RequestBatcher
from rnn_keras.serve.models import ModelRepository
from rnn_keras.serve.models import ModelVersion
from rnn_keras.serve.request_error import RequestError
from rnn_keras.serve.served_signature import ServedSignature
from rnn_keras.serve.server import ModelServer
from rnn_keras.serve.server import serve
