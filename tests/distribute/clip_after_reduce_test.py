"""`compat.clip_after_reduce`: two mirrored replicas clip the summed gradient, as one device does.

The guard that plain Keras still clips per replica is in `tests/compat_test.py`.
"""

import keras
import pytest

from replica_models import build
from replica_models import examples
from replica_models import fit
from replica_models import max_drift
from replica_models import one_and_two_replicas
from rnn_keras.compat import clip_after_reduce
from rnn_keras.optimizers import get_optimizer

TIGHT = {"global_clipnorm": 0.01, "clipnorm": 0.01, "clipvalue": 1e-3}


@pytest.mark.parametrize(
    "name, clipping",
    [
        ("adam", "global_clipnorm"),  # what the builders use
        ("sgd", "clipvalue"),
        pytest.param("sgd", "clipnorm", marks=pytest.mark.large),
        pytest.param("sgd", "global_clipnorm", marks=pytest.mark.large),
        pytest.param("adam", "clipnorm", marks=pytest.mark.large),
        pytest.param("adam", "clipvalue", marks=pytest.mark.large),
    ],
)
def test_clipped_steps_match_one_device(name, clipping):
    # Patched when made in the two replicas' scope, left alone on one device.
    drift = one_and_two_replicas(
        lambda: clip_after_reduce(
            get_optimizer(name, learning_rate=0.05, **{clipping: TIGHT[clipping]})
        )
    )
    assert drift < 1e-5


def test_patched_model_saves_and_loads(tmp_path):
    model = build(global_clipnorm=1.0)
    clip_after_reduce(model.optimizer, replicas=2)
    tokens, labels = examples(16)
    fit(model, tokens, labels, 8, 1, epochs=1)
    model.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras")
    assert loaded.optimizer.global_clipnorm == 1.0
    assert max_drift(model, loaded) == 0.0
