"""Tasks: data form, preprocessing, model and scores for each topology."""

from rnn_keras.tasks.ensemble import ensemble
from rnn_keras.tasks.runner import evaluate
from rnn_keras.tasks.runner import load
from rnn_keras.tasks.runner import make_task
from rnn_keras.tasks.runner import predict
from rnn_keras.tasks.runner import train
from rnn_keras.tasks.classify_task import ClassifyTask
from rnn_keras.tasks.forecast_task import ForecastTask
from rnn_keras.tasks.generate_task import GenerateTask
from rnn_keras.tasks.seq2seq_task import Seq2SeqTask
from rnn_keras.tasks.tag_task import TagTask
from rnn_keras.tasks.task import Task

TASKS = {
    task.name: task for task in (ClassifyTask, TagTask, Seq2SeqTask, GenerateTask, ForecastTask)
}
