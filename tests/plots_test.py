"""Figures a person reads at a glance: scales, labels, the best epoch, visible tokens."""

import numpy as np

from rnn_keras import plots


def test_training_curves():
    history = {
        "token_accuracy": [0.5, 0.9, 0.99], "val_token_accuracy": [0.5, 0.8, 0.95],
        "loss": [3.0, 0.01, 6e-5], "val_loss": [2.0, 0.02, 1e-4],
    }
    figure = plots.training_curves_figure(history, monitor="val_loss", best_epoch=3)
    loss, accuracy = figure.axes  # the loss first, in every task
    assert loss.get_title() == "loss" and accuracy.get_title() == "token_accuracy"
    assert loss.get_yscale() == "log" and accuracy.get_yscale() == "linear"
    assert loss.get_ylabel() == "loss (log scale)" and accuracy.get_ylabel() == "token_accuracy"
    for axis in figure.axes:
        assert [line.get_label() for line in axis.get_lines()] == [
            "train", "validation", "best epoch"
        ]
        assert list(axis.get_lines()[-1].get_xdata()) == [3, 3]  # the best epoch, marked
        ticks = [t for t in axis.get_xticks() if 1 <= t <= 3]
        assert ticks and all(float(t).is_integer() for t in ticks)
    assert figure._suptitle.get_text() == "best epoch 3 by val_loss"
    flat = plots.training_curves_figure({"loss": [1.0, 0.5]})
    assert flat.axes[0].get_yscale() == "linear"  # within a decade: linear


def test_attention_heatmap():
    figure = plots.attention_figure(
        np.eye(3), ["a", " ", "b"], ["x", " ", ""], title="'a b' -> 'x '"
    )
    axis, colour_bar = figure.axes
    assert axis.get_title() == "'a b' -> 'x '"
    assert [t.get_text() for t in axis.get_xticklabels()] == ["a", "\u2423", "b"]
    assert [t.get_text() for t in axis.get_yticklabels()] == ["x", "\u2423", "\u2205"]
    assert colour_bar.get_ylabel() == "attention weight"
    assert axis.get_xlabel() == "source token" and axis.get_ylabel() == "output token"
