"""`QuantileLoss` and `QuantileError` against their definitions in NumPy."""

import inspect

import numpy as np
import pytest

from rnn_keras.losses import QuantileLoss
from rnn_keras.metrics import QuantileError


def test_quantile_loss_is_the_mean_pinball_loss():
    rng = np.random.default_rng(0)
    y = rng.normal(size=(4, 3, 1)).astype("float32")
    f = rng.normal(size=(4, 3, 1, 3)).astype("float32")
    q = np.array([0.1, 0.5, 0.9])
    e = y[..., None] - f
    expected = np.maximum(q * e, (q - 1) * e).mean()
    assert float(QuantileLoss(q.tolist())(y, f)) == pytest.approx(expected, rel=1e-5)


def test_quantile_loss_config_and_bad_quantiles():
    loss = QuantileLoss([0.2, 0.8])
    again = QuantileLoss.from_config(loss.get_config())
    assert again.quantiles == [0.2, 0.8]
    with pytest.raises(ValueError, match="quantiles"):
        QuantileLoss([0.5, 1.0])


def test_quantile_error_scores_one_quantile():
    y = np.array([[1.0, 2.0], [3.0, 5.0]], "float32")
    f = np.stack([y - 10, y + np.array([[1.0, -1.0], [0.0, 2.0]], "float32"), y + 10], axis=-1)
    rmse, mae = QuantileError("rmse", 1), QuantileError("mae", 1)
    rmse.update_state(y, f)
    mae.update_state(y, f)
    assert float(rmse.result()) == pytest.approx(np.sqrt((1 + 1 + 0 + 4) / 4))
    assert float(mae.result()) == pytest.approx((1 + 1 + 0 + 2) / 4)
    arguments = set(inspect.signature(QuantileError.__init__).parameters) - {"self"}
    assert arguments <= set(rmse.get_config())
    assert QuantileError.from_config(rmse.get_config()).index == 1
    with pytest.raises(ValueError, match="kind"):
        QuantileError("mse")
