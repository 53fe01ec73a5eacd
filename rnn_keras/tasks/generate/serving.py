"""The generate task's exports: raw-input serving and numeric signatures.

| signature | inputs | outputs |
|---|---|---|
| SavedModel `serving_default` | `prompt` `(batch,)` string, `num_steps`, `temperature`, `top_k`, `seed` | `output` string |
| numeric `prefix` | `prompt` `(batch, steps)` int32 | `probabilities` `(batch, vocab)`, `new_state_0`, … |
| numeric `step` | `token` `(batch, 1)` int32, `state_0`, … | `probabilities`, `new_state_0`, … |

A language model's numeric client runs the sampling loop: `prefix` once on
the prompt, then `step` with each picked token and the `new_state_*` it
returned as the next `state_*`.
"""

import inspect

import tensorflow as tf

from rnn_keras.decoding import Sampler
from rnn_keras.tasks.common import float32
from rnn_keras.tasks.common import token_spec


class GenerateServing(tf.Module):
    """A trained language model whose `serve` continues raw string prompts."""

    def __init__(self, task, model):
        super().__init__(name="generate_serving")
        self.sampler = Sampler(model)
        self.vocabulary = task.vocabulary
        self.table = self.vocabulary.lookup_table()
        self.serve = tf.function(
            self._serve,
            input_signature=[
                tf.TensorSpec((None,), tf.string, name="prompt"),
                tf.TensorSpec((), tf.int32, name="num_steps"),
                tf.TensorSpec((), tf.float32, name="temperature"),
                tf.TensorSpec((), tf.int32, name="top_k"),
                tf.TensorSpec((), tf.int32, name="seed"),
            ],
        )

    def signatures(self):
        return {"serving_default": self.serve}

    def _serve(self, prompt, num_steps, temperature, top_k, seed):
        ids = self.vocabulary.encode_tensor(prompt)
        tokens = self.sampler.generate(ids, num_steps, temperature, top_k, seed)
        return {"output": self.vocabulary.decode_tensor(tokens)}


def numeric_signatures(task, model, batch):
    """`prefix` and `step`: the sampling loop's two model calls, states in and out."""
    del task
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
        states = {f"new_state_{i}": float32(s) for i, s in enumerate(states)}
        return {"probabilities": float32(probabilities), **states}

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
        "prefix": (prefix, [token_spec(batch, "prompt")]),
        "step": (step, [tf.TensorSpec((batch, 1), tf.int32, name="token"), *state_specs]),
    }
