"""Files: atomic writes, the model folder's layout, the single-writer lock."""

from rnn_keras.files.atomic import check_destination
from rnn_keras.files.atomic import json_safe
from rnn_keras.files.atomic import read_json
from rnn_keras.files.atomic import remove
from rnn_keras.files.atomic import remove_leftovers
from rnn_keras.files.atomic import replace_folder
from rnn_keras.files.atomic import save_figure
from rnn_keras.files.atomic import save_model
from rnn_keras.files.atomic import write_bytes
from rnn_keras.files.atomic import write_folder
from rnn_keras.files.atomic import write_json
from rnn_keras.files.atomic import write_text
from rnn_keras.files.lock import FolderLock
from rnn_keras.files.lock import FolderLocked
from rnn_keras.files.lock import process_running
