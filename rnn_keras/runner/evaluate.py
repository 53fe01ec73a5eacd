"""Scores and predictions of a trained model folder."""

from rnn_keras.data.sources import load_examples
from rnn_keras.runner.model_folder import load


def evaluate(directory, data, split="test", data_dir=None, **options):
    """Task scores of a trained model on `data` (a file, or the named split of a dataset).

    Args:
        directory: a model folder.
        data: a file, `tfds:NAME` or `gen:NAME`.
        split: `str.` The split of a TFDS or generated dataset. Defaults to
            `"test"`.
        data_dir: optional TFDS data directory.
        **options: options of the task to change for scoring (e.g.
            `beam_width`, `column`), checked as the task's options are.
    """
    task, model = load(directory)
    if options:
        task.config = task.config.replace(**options)
    examples = load_examples(task, data, split, data_dir)
    return task.evaluate(model, examples, origin=data)


def predict(directory, lines, **options):
    """Predictions of a trained model for raw input lines (with `options` changed, if any).

    One result per line, in order; see `predict_lines`.
    """
    task, model = load(directory)
    if options:
        task.config = task.config.replace(**options)
    return predict_lines(task, model, lines)


def predict_lines(task, model, lines):
    """`task.predict` for `lines`, but a blank line gets `{"input": line, "empty": True}`.

    An empty input has nothing to predict from; a label or translation for
    it would only look confident.
    """
    results = [{"input": line, "empty": True} for line in lines]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if filled:
        for i, result in zip(filled, task.predict(model, [lines[i] for i in filled])):
            results[i] = result
    return results
