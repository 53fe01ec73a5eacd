"""Data profiles: what the training data look like, measured before a model is built.

A task's profile (`Task.profile`) is stored in `task.json`, printed by
`rnn-keras profile`, and resolves every option the user leaves unset
(`rnn_keras.tasks.defaults`).
"""

from rnn_keras.profile.labels import label_profile
from rnn_keras.profile.labels import tag_profile
from rnn_keras.profile.labels import tag_scheme
from rnn_keras.profile.series import find_season
from rnn_keras.profile.series import kpss_level
from rnn_keras.profile.series import seasonal_strength
from rnn_keras.profile.series import seasonal_strengths
from rnn_keras.profile.series import series_profile
from rnn_keras.profile.series import trending_share
from rnn_keras.profile.text import text_profile
