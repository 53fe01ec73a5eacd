"""PNG figures written beside a trained model (matplotlib, no display needed)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from rnn_keras.files import save_figure  # noqa: E402


def _panel_order(name):
    """Loss first, then the other metrics in alphabetical order: every task alike."""
    return (name != "loss", name)


def training_curves(history, path, monitor=None, best_epoch=None):
    """Writes `training_curves_figure` as a PNG file at `path`."""
    _save(training_curves_figure(history, monitor, best_epoch), path)


def training_curves_figure(history, monitor=None, best_epoch=None):
    """One panel per metric, training and validation curves by epoch.

    Losses that span more than a decade are drawn on a log scale (the first
    epochs otherwise flatten the rest to zero); epochs are whole numbers;
    the best epoch (by `monitor`) is marked in every panel.

    Args:
        history: `dict` from metric name (`"loss"`, `"val_loss"`, ...) to a
            list of per-epoch values.
        monitor: optional `str`, the metric early stopping followed (named
            in the title).
        best_epoch: optional `int` (1-based), the epoch the model keeps.

    Returns:
        A matplotlib `Figure`.
    """
    names = sorted(
        (k for k in history if not k.startswith("val_") and k not in ("epoch", "learning_rate")),
        key=_panel_order,
    )
    if not names:
        raise ValueError("Invalid value for argument `history`: no metrics to plot.")
    figure, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3.4), squeeze=False)
    for axis, name in zip(axes[0], names):
        epochs = range(1, len(history[name]) + 1)
        curves = [history[name]] + ([history[f"val_{name}"]] if f"val_{name}" in history else [])
        axis.plot(epochs, history[name], marker="o", label="train")
        if len(curves) > 1:
            axis.plot(epochs, curves[1], marker="o", label="validation")
        values = [v for curve in curves for v in curve if v == v and v > 0]
        if "loss" in name and values and max(values) / min(values) > 10:
            axis.set_yscale("log")
        if best_epoch:
            axis.axvline(best_epoch, color="gray", linestyle="--", alpha=0.7, label="best epoch")
        axis.set_title(name)
        axis.set_xlabel("epoch")
        axis.set_ylabel(name + (" (log scale)" if axis.get_yscale() == "log" else ""))
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.grid(alpha=0.3)
        axis.legend()
    if monitor and best_epoch:
        figure.suptitle(f"best epoch {best_epoch} by {monitor}")
    figure.tight_layout()
    return figure


def attention_heatmap(weights, source_tokens, target_tokens, path, title=None):
    """Writes `attention_figure` as a PNG file at `path`."""
    _save(attention_figure(weights, source_tokens, target_tokens, title), path)


def attention_figure(weights, source_tokens, target_tokens, title=None):
    """Attention weights, one row per emitted token, one column per source token.

    Spaces show as `␣` (an empty token as `∅`) so they are visible tick
    labels; the colour bar is labelled, the title names the example.
    """
    figure, axis = plt.subplots(
        figsize=(max(4, 0.35 * len(source_tokens) + 2), max(3, 0.35 * len(target_tokens) + 1.8))
    )
    image = axis.imshow(weights, cmap="viridis", aspect="auto", vmin=0.0)

    def shown(token):
        return repr(token)[1:-1].replace(" ", "\u2423") or "\u2205"

    axis.set_xticks(range(len(source_tokens)), [shown(t) for t in source_tokens])
    axis.set_yticks(range(len(target_tokens)), [shown(t) for t in target_tokens])
    axis.set_xlabel("source token")
    axis.set_ylabel("output token")
    if title:
        axis.set_title(title)
    figure.colorbar(image, ax=axis, label="attention weight")
    figure.tight_layout()
    return figure


def objective_by_trial(rows, objective, path):
    """A tuning job's objective by trial: completed trials as points, failed ones marked.

    Args:
        rows: `list` of `dict` with `"trial"`, `"status"` and `"objective"`.
        objective: `str.` The objective's name (the y label).
        path: `str.` The PNG file to write.
    """
    figure, axis = plt.subplots(figsize=(max(4, 0.4 * len(rows) + 2), 3.2))
    done = [(i, r["objective"]) for i, r in enumerate(rows) if r["objective"] is not None]
    if done:
        axis.plot([i for i, _ in done], [v for _, v in done], "o", label="completed")
    failed = [i for i, r in enumerate(rows) if r["status"] in ("FAILED", "INVALID")]
    for i in failed:
        axis.axvline(i, color="red", alpha=0.4, linestyle="--")
    axis.set_xticks(range(len(rows)), [r["trial"] for r in rows])
    axis.set_xlabel("trial")
    axis.set_ylabel(objective)
    axis.set_title(f"{len(done)} completed, {len(failed)} failed (dashed)")
    axis.grid(alpha=0.3)
    figure.tight_layout()
    _save(figure, path)


def backtest(data, origins, point, lower, upper, horizon, path, max_series=4):
    """A rolling-origin backtest: each series' end, its forecasts and their interval.

    Args:
        data: the backtest's `ForecastData` (`rnn_keras.tasks.forecast`).
        origins: `[(series, origin), ...]` of the rows below.
        point: `(windows, horizon)` forecasts; `lower`, `upper`: the
            interval's bounds, or `None`.
        horizon: `int.` Steps per forecast.
        path: `str.` The PNG file to write.
        max_series: `int.` Series drawn (the first ones scored). Defaults to `4`.
    """
    shown = list(dict.fromkeys(i for i, _ in origins))[:max_series]
    figure, axes = plt.subplots(len(shown), 1, figsize=(7, 2.4 * len(shown)), squeeze=False)
    for axis, index in zip(axes[:, 0], shown):
        values = data.values[index]
        first = data.scored_from[index]
        start = max(0, first - 3 * horizon)
        axis.plot(range(start, len(values)), values[start:], color="black", lw=1.2, label="actual")
        rows = [r for r, (i, _) in enumerate(origins) if i == index]
        for n, row in enumerate(rows):
            steps = range(origins[row][1], origins[row][1] + horizon)
            axis.plot(steps, point[row], color="C0", alpha=0.8, lw=1,
                      label="forecasts" if n == 0 else None)
            if lower is not None and n == len(rows) - 1:
                axis.fill_between(steps, lower[row], upper[row], color="C0", alpha=0.2,
                                  label="interval (last origin)")
        axis.axvline(first - 0.5, color="grey", ls="--", lw=0.8)
        axis.set_title(f"{data.series.names[index]}: {len(rows)} origin(s)", fontsize=9)
        axis.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=8, loc="upper left")
    figure.tight_layout()
    _save(figure, path)


def _save(figure, path):
    save_figure(figure, path, dpi=100)
    plt.close(figure)
