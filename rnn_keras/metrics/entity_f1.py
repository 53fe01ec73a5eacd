import keras
from keras import ops

from rnn_keras.validation import check_one_of

RESULTS = ("f1", "precision", "recall")


def parse_entity_tags(tags):
    """Splits BIO (IOB1, IOB2) or IOBES tag names into `(types, opens, joins)` lists.

    `tags[0]` is the padding tag. `"O"` (or the padding tag) has type 0;
    `"B-X"`, `"I-X"`, `"E-X"` and `"S-X"` share the type id of `X`. `opens`:
    an entity may go on after the tag (`B`, `I`); `joins`: the tag may go
    on an entity of its type (`I`, `E`).
    """
    type_ids = {}
    types, opens, joins = [], [], []
    for index, tag in enumerate(tags):
        if index == 0 or tag == "O":
            types.append(0)
            opens.append(0)
            joins.append(0)
            continue
        prefix, sep, entity = tag.partition("-")
        if not sep or prefix not in ("B", "I", "E", "S") or not entity:
            raise ValueError(
                "Invalid value for argument `tags`. Expected BIO or IOBES tags "
                f"('O', 'B-TYPE', 'I-TYPE', 'E-TYPE', 'S-TYPE') after the padding tag at "
                f"index 0. Received: tags[{index}]={tag!r}"
            )
        types.append(type_ids.setdefault(entity, len(type_ids) + 1))
        opens.append(int(prefix in ("B", "I")))
        joins.append(int(prefix in ("I", "E")))
    return types, opens, joins


@keras.saving.register_keras_serializable(package="rnn_keras")
class EntityF1(keras.metrics.Metric):
    """Entity-level F1 (or precision, recall) for BIO or IOBES tagging, as NER is scored.

    An entity is a maximal span that starts at `B-X` or `S-X` (or at an `I-X`
    or `E-X` that does not continue an `X` span, as conlleval reads it) and
    goes on from `B-X`/`I-X` through `I-X`/`E-X` (`rnn_keras.metrics.scores.entity_spans`). A predicted entity counts as correct only if its type, start and
    end all equal a gold entity's. Counts are summed over all batches
    (micro-average) and computed in-graph, so the metric runs inside `fit`.

    Args:
        tags: `list` of tag names indexed by tag id; `tags[0]` is padding
            (never scored), the rest are `"O"` or `"B-TYPE"`, `"I-TYPE"`,
            `"E-TYPE"`, `"S-TYPE"`.
        result: `"f1"`, `"precision"` or `"recall"`. Defaults to `"f1"`.
        name: `str.` Defaults to `"entity_{result}"`.
        **kwargs: Base metric arguments.

    Example:

    ```python
    metric = EntityF1(["<pad>", "O", "B-PER", "I-PER"])
    metric.update_state([[2, 3, 1]], one_hot_predictions)
    ```
    """

    def __init__(self, tags, result="f1", name=None, **kwargs):
        check_one_of("result", result, RESULTS)
        super().__init__(name=name or f"entity_{result}", **kwargs)
        self.tags = list(tags)
        self.result_name = result
        self._types, self._opens, self._joins = parse_entity_tags(self.tags)
        self.true_positives = self.add_variable((), initializer="zeros", name="true_positives")
        self.predicted = self.add_variable((), initializer="zeros", name="predicted")
        self.gold = self.add_variable((), initializer="zeros", name="gold")

    def _spans(self, tag_ids, valid):
        types = ops.take(ops.convert_to_tensor(self._types, "int32"), tag_ids) * valid
        opens = ops.take(ops.convert_to_tensor(self._opens, "int32"), tag_ids) * valid
        joins = ops.take(ops.convert_to_tensor(self._joins, "int32"), tag_ids) * valid
        zeros = ops.zeros_like(types[:, :1])
        previous_types = ops.concatenate([zeros, types[:, :-1]], axis=1)
        previous_opens = ops.concatenate([zeros, opens[:, :-1]], axis=1)
        is_entity = types > 0
        # Step t goes on the entity of step t - 1 (conlleval's chunk rules).
        goes_on = is_entity & (previous_types == types) & (previous_opens > 0) & (joins > 0)
        starts = is_entity & ~goes_on
        next_goes_on = ops.concatenate([goes_on[:, 1:], ops.zeros_like(goes_on[:, :1])], axis=1)
        ends = is_entity & ~next_goes_on
        return types, starts, ends

    def update_state(self, y_true, y_pred, sample_weight=None):
        gold_ids = ops.cast(y_true, "int32")
        if len(gold_ids.shape) == 3:
            gold_ids = ops.squeeze(gold_ids, -1)
        predicted_ids = ops.cast(ops.argmax(y_pred, axis=-1), "int32")
        valid = ops.cast(gold_ids != 0, "int32")
        if sample_weight is not None:
            valid = valid * ops.cast(ops.reshape(sample_weight, ops.shape(gold_ids)) > 0, "int32")
        predicted_ids = predicted_ids * valid
        gold_types, gold_starts, gold_ends = self._spans(gold_ids, valid)
        pred_types, pred_starts, pred_ends = self._spans(predicted_ids, valid)

        # A gold entity is found when prediction agrees at every one of its
        # positions on type, start and end: the segment minimum of `agree`.
        agree = (gold_types == pred_types) & (gold_starts == pred_starts) & (gold_ends == pred_ends)
        flat_starts = ops.reshape(ops.cast(gold_starts, "int32"), (-1,))
        in_entity = ops.reshape(gold_types > 0, (-1,))
        segment_ids = ops.where(in_entity, ops.cumsum(flat_starts), 0)
        num_segments = ops.shape(flat_starts)[0] + 1
        disagree = ops.cast(~ops.reshape(agree, (-1,)) & in_entity, "float32")
        worst = ops.segment_max(disagree, segment_ids, num_segments=num_segments)
        num_gold = ops.sum(flat_starts)
        segment_index = ops.arange(num_segments)
        is_gold_segment = (segment_index >= 1) & (segment_index <= num_gold)
        found = ops.sum(ops.where(is_gold_segment, 1.0 - worst, 0.0))

        self.true_positives.assign_add(ops.cast(found, self.dtype))
        self.predicted.assign_add(ops.cast(ops.sum(ops.cast(pred_starts, "int32")), self.dtype))
        self.gold.assign_add(ops.cast(num_gold, self.dtype))

    def result(self):
        precision = ops.divide_no_nan(self.true_positives, self.predicted)
        recall = ops.divide_no_nan(self.true_positives, self.gold)
        if self.result_name == "precision":
            return precision
        if self.result_name == "recall":
            return recall
        return ops.divide_no_nan(2 * precision * recall, precision + recall)

    def reset_state(self):
        for variable in (self.true_positives, self.predicted, self.gold):
            variable.assign(0.0)

    def get_config(self):
        return {**super().get_config(), "tags": self.tags, "result": self.result_name}
