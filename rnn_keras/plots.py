"""PNG figures written beside a trained model (matplotlib, no display needed)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from rnn_keras.files import save_figure  # noqa: E402


def training_curves(history, path):
    """One panel per metric, training and validation curves by epoch.

    Args:
        history: `dict` from metric name (`"loss"`, `"val_loss"`, ...) to a
            list of per-epoch values.
        path: `str.` The PNG file to write.
    """
    names = [k for k in history if not k.startswith("val_") and k not in ("epoch", "learning_rate")]
    if not names:
        raise ValueError("Invalid value for argument `history`: no metrics to plot.")
    figure, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3.2), squeeze=False)
    for axis, name in zip(axes[0], names):
        epochs = range(1, len(history[name]) + 1)
        axis.plot(epochs, history[name], marker="o", label="train")
        if f"val_{name}" in history:
            axis.plot(epochs, history[f"val_{name}"], marker="o", label="validation")
        axis.set_title(name)
        axis.set_xlabel("epoch")
        axis.grid(alpha=0.3)
        axis.legend()
    figure.tight_layout()
    _save(figure, path)


def attention_heatmap(weights, source_tokens, target_tokens, path):
    """Attention weights, one row per emitted token, one column per source token."""
    figure, axis = plt.subplots(
        figsize=(max(4, 0.35 * len(source_tokens) + 2), max(3, 0.35 * len(target_tokens) + 1.5))
    )
    image = axis.imshow(weights, cmap="viridis", aspect="auto", vmin=0.0)
    axis.set_xticks(range(len(source_tokens)), [repr(t)[1:-1] for t in source_tokens])
    axis.set_yticks(range(len(target_tokens)), target_tokens)
    axis.set_xlabel("source")
    axis.set_ylabel("output")
    figure.colorbar(image, ax=axis)
    figure.tight_layout()
    _save(figure, path)


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


def _save(figure, path):
    save_figure(figure, path, dpi=100)
    plt.close(figure)
