"""Numeric signatures of a trained task: token ids and floats in, numbers out.

The formats without string ops (TFLite, ONNX) serve these. Text goes in as
token ids from the vocabularies in the task's `task.json`
(`Vocabulary.from_config(...).encode`), series as raw floats; outputs are
probabilities, decoded token ids and forecasts in original units. `batch`
fixes the batch dimension (`1` for TFLite) or leaves it free (`None`);
sequence lengths are always free.

| task | signature | inputs | outputs |
|---|---|---|---|
| classify (text) | `serving_default` | `tokens` `(batch, steps)` int32 | `probabilities` `(batch, classes)` |
| classify (series) | `serving_default` | `series` `(batch, steps)` float32 | `probabilities` |
| tag | `serving_default` | `tokens` (+ `characters` `(batch, steps, max_chars)`) int32 | `probabilities` `(batch, steps, tags)`; with a CRF `scores` and the Viterbi `tags` `(batch, steps)` int32 |
| seq2seq | `serving_default` (greedy) | `source` `(batch, steps)` int32 | `tokens` `(batch, max_decode_length)` int32 (0 after the end token), `score` `(batch,)` |
| generate | `prefix` | `prompt` `(batch, steps)` int32 | `probabilities` `(batch, vocab)`, `new_state_0`, … |
| generate | `step` | `token` `(batch, 1)` int32, `state_0`, … | `probabilities`, `new_state_0`, … |
| forecast | `serving_default` | `history` `(batch, steps)` float32 | `forecast` `(batch, horizon)` in original units |

A language model's client runs the sampling loop: `prefix` once on the
prompt, then `step` with each picked token and the `new_state_*` it returned as
the next `state_*`.
"""

import inspect

import tensorflow as tf

from rnn_keras.decoding import Sampler
from rnn_keras.models.crf_model import crf_layer
from rnn_keras.models.crf_model import decode_scores


def _tokens(batch, name="tokens"):
    return tf.TensorSpec((batch, None), tf.int32, name=name)


def _float32(tensor):
    return tf.cast(tensor, tf.float32)


def _classify(task, model, batch):
    if not task.series:
        serve = lambda tokens: {"probabilities": _float32(model(tokens))}  # noqa: E731
        return {"serving_default": (serve, [_tokens(batch)])}
    mean = tf.constant(task.state["mean"], tf.float32)
    std = tf.constant(task.state["std"], tf.float32)

    def serve(series):
        return {"probabilities": _float32(model(((series - mean) / std)[:, :, None]))}

    return {"serving_default": (serve, [tf.TensorSpec((batch, None), tf.float32, name="series")])}


def _tag(task, model, batch):
    crf = crf_layer(model)

    def outputs(tokens, inputs):
        scores = _float32(model(inputs))
        if crf is None:
            return {"probabilities": scores}
        return {"scores": scores, "tags": decode_scores(crf, scores, tokens != 0)}

    if "characters" not in task.state:
        serve = lambda tokens: outputs(tokens, tokens)  # noqa: E731
        return {"serving_default": (serve, [_tokens(batch)])}
    max_chars = int(task.config["max_chars"])

    def serve(tokens, characters):
        return outputs(tokens, {"tokens": tokens, "characters": characters})

    characters = tf.TensorSpec((batch, None, max_chars), tf.int32, name="characters")
    return {"serving_default": (serve, [_tokens(batch), characters])}


def _seq2seq(task, model, batch):
    inference = task.inference(model)
    length = inference.max_length

    def greedy(source):
        # The `TensorArray`-free twin of `Seq2SeqInference.greedy` (TFLite
        # lowers no growing `TensorArray`): a fixed number of steps writing
        # into a fixed-size tensor.
        rows = source.shape[0] or tf.shape(source)[0]
        encoder_outputs, states = inference._encode(source)
        token = tf.fill([rows], inference.start_id)
        tokens = tf.zeros([rows, length], tf.int32)
        score = tf.zeros([rows])
        finished = tf.zeros([rows], tf.bool)
        for t in tf.range(length):
            log_probs, states, _ = inference._step(token, encoder_outputs, source, states)
            token = tf.where(finished, 0, tf.argmax(log_probs, axis=-1, output_type=tf.int32))
            score += tf.where(finished, 0.0, tf.gather(log_probs, token, batch_dims=1))
            at_t = tf.cast(tf.equal(tf.range(length), t), tf.int32)
            tokens += at_t[None] * token[:, None]
            finished = finished | tf.equal(token, inference.end_id)
        return {"tokens": tokens, "score": score}

    return {"serving_default": (greedy, [_tokens(batch, "source")])}


def _generate(task, model, batch):
    sampler = Sampler(model)
    if sampler.conditioned:
        raise ValueError(
            "numeric exports (TFLite, ONNX) of conditioned generators are not supported"
        )
    state_specs = [
        tf.TensorSpec((batch, state.shape[-1]), tf.float32, name=f"state_{i}")
        for i, state in enumerate(sampler.step_model.inputs[1:])
    ]

    def named(probabilities, states):
        states = {f"new_state_{i}": _float32(s) for i, s in enumerate(states)}
        return {"probabilities": _float32(probabilities), **states}

    def prefix(prompt):
        probabilities, *states = sampler.prefix_model(prompt, training=False)
        return named(probabilities, states)

    def step(token, *states):
        probabilities, *states = sampler.step_model([token, *states], training=False)
        return named(probabilities, states)

    # Named parameters `token, state_0, ...`, so that callers pass the states
    # by name, as the exported signatures name them.
    names = ["token", *(spec.name for spec in state_specs)]
    step.__signature__ = inspect.Signature(
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names]
    )

    return {
        "prefix": (prefix, [_tokens(batch, "prompt")]),
        "step": (step, [tf.TensorSpec((batch, 1), tf.int32, name="token"), *state_specs]),
    }


def _forecast(task, model, batch):
    window = int(task.config["window"])

    def serve(history):
        return {"forecast": _float32(model(history[:, -window:, None]))[:, :, 0]}

    return {"serving_default": (serve, [tf.TensorSpec((batch, None), tf.float32, name="history")])}


FUNCTIONS = {
    "classify": _classify,
    "tag": _tag,
    "seq2seq": _seq2seq,
    "generate": _generate,
    "forecast": _forecast,
}


def numeric_functions(task, model, batch=None):
    """`{signature name: tf.function}` of a trained task, with input signatures.

    Args:
        task: a trained `rnn_keras.tasks.Task`.
        model: its Keras model.
        batch: `int` or `None.` The fixed batch size, or `None` for any.
            Defaults to `None`.
    """
    return {
        name: tf.function(function, input_signature=specs)
        for name, (function, specs) in FUNCTIONS[task.name](task, model, batch).items()
    }
