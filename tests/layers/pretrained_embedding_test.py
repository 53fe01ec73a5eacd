"""`PretrainedEmbedding`: a Keras `Embedding` whose rows past `trainable_rows` stay fixed."""

import keras
import numpy as np
import pytest
from keras import ops

from rnn_keras.layers import PretrainedEmbedding


def _table(rows=10, dim=4, seed=0):
    return np.random.default_rng(seed).normal(size=(rows, dim)).astype("float32")


def _layer(trainable_rows=6, table=None, **kwargs):
    table = _table() if table is None else table
    layer = PretrainedEmbedding(len(table), table.shape[1], trainable_rows, **kwargs)
    layer.build((None, None))
    layer.set_embeddings(table)
    return layer


@pytest.mark.parametrize("trainable_rows", [1, 6, 10])
def test_lookup_and_mask_equal_a_keras_embedding(trainable_rows):
    table = _table()
    layer = _layer(trainable_rows, table)
    reference = keras.layers.Embedding(10, 4, mask_zero=True)
    reference.build((None, None))
    reference.set_weights([table])
    ids = np.array([[3, 9, 0, 0], [5, 6, 1, 7]], "int32")
    np.testing.assert_allclose(ops.convert_to_numpy(layer(ids)), reference(ids).numpy())
    np.testing.assert_array_equal(
        ops.convert_to_numpy(layer.compute_mask(ids)), reference.compute_mask(ids).numpy()
    )
    np.testing.assert_array_equal(ops.convert_to_numpy(layer.embeddings), table)


def test_only_the_first_rows_train():
    table = _table()
    layer = _layer(6, table)
    assert [w.shape for w in layer.trainable_weights] == [(6, 4)]
    assert [w.shape for w in layer.non_trainable_weights] == [(4, 4)]
    inputs = keras.Input((None,), dtype="int32")
    pooled = keras.layers.GlobalAveragePooling1D()(layer(inputs))
    model = keras.Model(inputs, keras.layers.Dense(1)(pooled))
    model.compile("sgd", "mse")
    ids = np.array([[2, 7, 9], [5, 8, 3]], "int32")
    model.fit(ids, np.ones((2, 1)), epochs=3, verbose=0)
    after = ops.convert_to_numpy(layer.embeddings)
    np.testing.assert_array_equal(after[6:], table[6:])  # looked up, never trained
    assert np.abs(after[[2, 3, 5]] - table[[2, 3, 5]]).min() > 1e-5
    np.testing.assert_array_equal(after[[0, 1, 4]], table[[0, 1, 4]])  # not looked up


def test_frozen_layer_trains_nothing():
    layer = _layer(6, trainable=False)
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2


def test_float16_policy_returns_float16():
    layer = _layer(6, dtype="mixed_float16")
    assert ops.convert_to_numpy(layer(np.array([[1, 8]]))).dtype == np.float16


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="trainable_rows.*at most `input_dim` \\(10\\)"):
        PretrainedEmbedding(10, 4, 11)
    with pytest.raises(ValueError, match="trainable_rows"):
        PretrainedEmbedding(10, 4, 0)
    with pytest.raises(ValueError, match=r"matrix.*\(10, 4\).*\(9, 4\)"):
        _layer(6).set_embeddings(_table(9))


def test_config_and_keras_file_round_trip(tmp_path):
    table = _table()
    layer = _layer(6, table, name="embedding")
    clone = PretrainedEmbedding.from_config(layer.get_config())
    assert (clone.input_dim, clone.output_dim, clone.trainable_rows, clone.mask_zero) == (
        10, 4, 6, True,
    )
    inputs = keras.Input((None,), dtype="int32")
    model = keras.Model(inputs, layer(inputs))
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    ids = np.array([[1, 9, 0]], "int32")
    np.testing.assert_array_equal(ops.convert_to_numpy(loaded(ids)), ops.convert_to_numpy(model(ids)))
    assert isinstance(loaded.get_layer("embedding"), PretrainedEmbedding)
