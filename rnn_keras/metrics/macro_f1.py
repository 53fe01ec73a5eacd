"""`MacroF1`: the unweighted mean over classes of each class's F1, in the graph."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="rnn_keras")
class MacroF1(keras.metrics.Metric):
    """Macro-averaged F1 of a classifier's predictions (the most probable class).

    Accumulates a confusion matrix over batches (and replicas: its counts
    add up), and returns the mean over the `num_classes` classes of
    `2 TP / (2 TP + FP + FN)`, a class neither present nor predicted
    counting 0, as `rnn_keras.metrics.scores.macro_f1` with every class
    named. With imbalanced labels it rewards getting the rare classes right,
    where accuracy rewards predicting the frequent one.

    Args:
        num_classes: `int.` Number of classes.
        name, dtype: as for Keras metrics. `name` defaults to `"macro_f1"`.

    Call arguments (`update_state`):
        y_true: `(batch,)` or `(batch, 1)` integer class ids.
        y_pred: `(batch, num_classes)` probabilities (or scores).
        sample_weight: optional `(batch,)` weights of the examples.

    Example:

    ```python
    metric = MacroF1(3)
    metric.update_state([0, 1, 2, 2], [[0.9, 0.1, 0], [0.2, 0.7, 0.1], [0, 1, 0], [0, 0, 1]])
    metric.result()  # (1 + 2/3 + 2/3) / 3
    ```
    """

    def __init__(self, num_classes, name="macro_f1", dtype=None):
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(
                "Invalid value for argument `num_classes`. Expected an integer >= 2. "
                f"Received: num_classes={num_classes!r}"
            )
        super().__init__(name=name, dtype=dtype)
        self.num_classes = num_classes
        self.confusion = self.add_variable(
            shape=(num_classes, num_classes), initializer="zeros", name="confusion"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        labels = ops.reshape(ops.cast(y_true, "int32"), (-1,))
        predicted = ops.argmax(ops.reshape(y_pred, (-1, self.num_classes)), axis=-1)
        weights = (
            ops.ones_like(labels, dtype=self.dtype)
            if sample_weight is None
            else ops.reshape(ops.cast(sample_weight, self.dtype), (-1,))
        )
        pairs = labels * self.num_classes + ops.cast(predicted, "int32")
        counts = ops.segment_sum(weights, pairs, num_segments=self.num_classes**2)
        self.confusion.assign_add(ops.reshape(counts, (self.num_classes, self.num_classes)))

    def result(self):
        hits = ops.diagonal(self.confusion)
        actual = ops.sum(self.confusion, axis=1)
        predicted = ops.sum(self.confusion, axis=0)
        total = actual + predicted
        f1 = ops.where(total > 0, 2 * hits / ops.maximum(total, 1e-12), 0.0)
        return ops.mean(f1)

    def reset_state(self):
        self.confusion.assign(ops.zeros_like(self.confusion))

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}
