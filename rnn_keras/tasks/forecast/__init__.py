"""Forecasting the next values of a series: options, task, serving."""

from rnn_keras.tasks.forecast.config import ForecastConfig
from rnn_keras.tasks.forecast.task import ForecastTask
