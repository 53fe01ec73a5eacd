"""Ensembles: trained models of one problem, their outputs averaged."""

import keras

from rnn_keras.models.crf_model import crf_layer


def _signature(tensor):
    return (tuple(tensor.shape), str(tensor.dtype))


def _inputs(model):
    """A built model's symbolic inputs in their structure, or `None` (subclassed models)."""
    try:
        return model.input  # Functional: the structure it was built with.
    except AttributeError:  # Sequential before its first call has only `inputs`.
        inputs = getattr(model, "inputs", None)
        if not inputs:
            return None
        return inputs[0] if len(inputs) == 1 else inputs


def build_ensemble(members, name="ensemble"):
    """A model whose output is the mean of its members' outputs.

    Averaging the class (or tag) probabilities of models trained from
    different seeds, or with different cells, cancels part of each one's
    errors: on small datasets the ensemble usually scores above its best
    member. The members keep their trained weights (nothing is retrained)
    and are nested in the ensemble as `member_0`, `member_1`, ...; the
    ensemble saves to `.keras` and exports like any Functional model. It is
    not compiled: it is meant for inference (compile it to `evaluate` with
    Keras metrics).

    Args:
        members: list of two or more Functional (or Sequential) `keras.Model`s
            (renamed `member_0`, ... in place) with the same inputs (shapes
            and dtypes, in the same structure: a dict's keys included) and
            one output each, of the same shape (not `CRFModel`s: their
            scores are decoded with their own transitions). The ensemble's
            inputs take the first member's names.
        name: `str.` The ensemble's name. Defaults to `"ensemble"`.

    Returns:
        A `keras.Model` taking the members' inputs and returning the mean
        of their outputs (masks pass through, as from each member).

    Example:

    ```python
    members = [keras.models.load_model(p) for p in ("a.keras", "b.keras")]
    ensemble = rnn_keras.models.build_ensemble(members)
    probabilities = ensemble.predict(token_ids)
    ```
    """
    members = list(members)
    if len(members) < 2:
        raise ValueError(
            "Invalid value for argument `members`. Expected two or more models. "
            f"Received: {len(members)} model(s)."
        )
    for index, member in enumerate(members):
        if not isinstance(member, keras.Model) or _inputs(member) is None:
            raise TypeError(
                "Invalid type for argument `members`. Expected Functional or Sequential "
                f"`keras.Model`s with inputs. Received: members[{index}] of type "
                f"{type(member).__name__}."
            )
    first = members[0]
    expected = keras.tree.map_structure(_signature, _inputs(first))
    for index, member in enumerate(members):
        if crf_layer(member) is not None:
            raise ValueError(
                "Invalid value for argument `members`. Expected models whose outputs can be "
                f"averaged. Received: members[{index}] ({member.name!r}) ends in a CRF, whose "
                "tag scores are decoded jointly with its own transitions."
            )
        if len(member.outputs) != 1:
            raise ValueError(
                "Invalid value for argument `members`. Expected models with one output. "
                f"Received: members[{index}] ({member.name!r}) with {len(member.outputs)}."
            )
        inputs = keras.tree.map_structure(_signature, _inputs(member))
        if inputs != expected:
            raise ValueError(
                "Invalid value for argument `members`. Expected models with the same "
                f"inputs. Received: members[0] takes {expected}, members[{index}] {inputs}."
            )
        if tuple(member.outputs[0].shape) != tuple(first.outputs[0].shape):
            raise ValueError(
                "Invalid value for argument `members`. Expected outputs of one shape. "
                f"Received: members[0] gives {first.outputs[0].shape}, "
                f"members[{index}] {member.outputs[0].shape}."
            )

    # === Functional Model ===
    inputs = keras.tree.map_structure(
        lambda t: keras.Input(shape=t.shape[1:], dtype=t.dtype, name=t.name), _inputs(first)
    )
    outputs = []
    for index, member in enumerate(members):
        member.name = f"member_{index}"
        outputs.append(member(inputs))
    average = keras.layers.Average(name="average", dtype="float32")(outputs)
    return keras.Model(inputs, average, name=name)
