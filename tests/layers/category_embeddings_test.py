"""`CategoryEmbeddings`: a row of each column's own table, checked against NumPy indexing."""

import keras
import numpy as np
import pytest

from rnn_keras.layers import CategoryEmbeddings


def test_category_embeddings_are_each_column_s_row_of_its_own_table():
    layer = CategoryEmbeddings([3, 2], output_dims=[4, 2], rate=0.5, seed=0)
    ids = np.array([[1, 2], [3, 0], [9, -1]], "int32")
    got = layer(ids).numpy()
    tables = [w.numpy() for w in layer.tables]
    assert [t.shape for t in tables] == [(4, 4), (3, 2)]
    # An id outside the column's values reads 0, the unknown row.
    expected = np.concatenate([tables[0][[1, 3, 0]], tables[1][[2, 0, 0]]], axis=1)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    # Training reads some ids unknown: with rate 0.5, some of many rows are row 0.
    many = np.ones((200, 2), "int32")
    trained = layer(many, training=True).numpy()
    unknown = np.all(trained[:, :4] == tables[0][0], axis=1)
    assert 40 < unknown.sum() < 160
    again = CategoryEmbeddings.from_config(layer.get_config())
    assert again.get_config() == layer.get_config()
    assert CategoryEmbeddings([20]).output_dims == [16]
    with pytest.raises(ValueError, match="cardinalities"):
        CategoryEmbeddings([])
    with pytest.raises(ValueError, match="output_dims"):
        CategoryEmbeddings([2, 3], output_dims=[2])


def test_category_embeddings_round_trip_in_a_keras_file(tmp_path):
    inputs = keras.Input((2,), dtype="int32")
    model = keras.Model(inputs, CategoryEmbeddings([3, 2])(inputs))
    ids = np.array([[1, 2], [0, 1]], "int32")
    path = str(tmp_path / "embeddings.keras")
    model.save(path)
    np.testing.assert_allclose(keras.models.load_model(path)(ids), model(ids), rtol=1e-6)
    with pytest.raises(ValueError, match=r"Expected \(batch, 2\)"):
        CategoryEmbeddings([3, 2])(np.zeros((1, 3), "int32"))
