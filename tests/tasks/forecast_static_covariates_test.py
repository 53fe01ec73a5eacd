"""Static covariates of the forecaster: categories that hold for a whole series."""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

import task_data
from rnn_keras import runner
from rnn_keras.cli import main
from rnn_keras.data.readers import DataError
from rnn_keras.data.series_readers import SeriesCollection
from rnn_keras.export.numeric import numeric_functions
from rnn_keras.tasks.forecast import features
from rnn_keras.tasks.forecast.series import read_series
from rnn_keras.tasks.forecast.series import training_data

# Each store's region and kind: the region sets the level's direction.
STORES = {"s1": ("north", "big"), "s2": ("north", "small"), "s3": ("south", "big"),
          "s4": ("south", "small")}


def _stores_csv(path, months=48, seed=0):
    """A long file `series,date,value,region,kind`: each store's region and kind on every row."""
    rng = np.random.default_rng(seed)
    rows = ["series,date,value,region,kind"]
    for index, (store, (region, kind)) in enumerate(STORES.items()):
        slope = 2.0 if region == "north" else -2.0
        values = 200 + 20 * index + slope * np.arange(months) + rng.normal(0, 1, months)
        rows += [f"{store},{2000 + m // 12}-{m % 12 + 1:02d}-01,{v:.3f},{region},{kind}"
                 for m, v in enumerate(values)]
    path.write_text("\n".join(rows) + "\n")


def test_a_long_file_s_columns_of_one_value_per_series_are_read(tmp_path):
    path = tmp_path / "stores.csv"
    _stores_csv(path)
    collection = read_series(str(path), static_covariates="region,kind")
    assert collection.names == list(STORES)
    assert collection.static_covariate_names == ("region", "kind")
    assert collection.static_covariates == list(STORES.values())
    # Kept with their series where some are chosen.
    chosen = read_series(str(path), column="value", static_covariates="kind")
    assert chosen.static_covariates == [(kind,) for _, kind in STORES.values()]


def test_static_covariates_a_file_cannot_give_are_errors_naming_file_line_and_option(tmp_path):
    path = tmp_path / "stores.csv"
    _stores_csv(path)
    with pytest.raises(DataError, match=r"stores.csv:1: no column 'state' \(--static-covariates"):
        read_series(str(path), static_covariates="region,state")
    # The dates differ within a series: the second row of s1 is named.
    with pytest.raises(DataError, match=r"stores.csv:3: column 'date' \(--static-covariates\) "
                       r"holds '2000-02-01' for series 's1', '2000-01-01' on line 2: .*one value "
                       "per series"):
        read_series(str(path), static_covariates="date")
    # The values are measurements, no categories.
    with pytest.raises(DataError, match=r"stores.csv:2: static covariate 'value' .* holds "
                       r"\d+\.\d+ for series 's1': static covariates are categories"):
        read_series(str(path), static_covariates="value")
    with pytest.raises(DataError, match=r"--static-covariates kind,kind: .*each once"):
        read_series(str(path), static_covariates="kind,kind")
    wide = tmp_path / "wide.csv"
    wide.write_text("date,a,b\n2020-01-01,1,2\n2020-02-01,2,3\n2020-03-01,3,4\n")
    with pytest.raises(DataError, match="wide.csv.*none of this file's columns names its series"):
        read_series(str(wide), static_covariates="a")


def test_the_id_column_is_found_missing_cells_passed_over_and_numbers_read_alike(tmp_path):
    # SDMX-CSV (one dimension differing) and a file with its times across the header.
    sdmx = tmp_path / "sdmx.csv"
    sdmx.write_text("DATAFLOW,geo,unit,TIME_PERIOD,OBS_VALUE\n" + "".join(
        f"X,{geo},{unit},{year},{value}\n"
        for geo, unit in (("DE", "EUR"), ("FR", "EUR"), ("NO", "NOK"))
        for year, value in ((2000, 1), (2001, 2), (2002, 4))
    ))
    assert read_series(str(sdmx), static_covariates="unit").static_covariates == [
        ("EUR",), ("EUR",), ("NOK",)
    ]
    across = tmp_path / "across.csv"
    across.write_text("Country Name,Region,2000,2001,2002\nA,north,1,2,3\nB,south,4,5,6\n")
    assert read_series(str(across), static_covariates="Region").static_covariates == [
        ("north",), ("south",)
    ]
    # An id written 3 and 3.0 is one category; an empty cell passes over; a series
    # without any reads "" (unknown to the model).
    path = tmp_path / "long.csv"
    path.write_text("series,date,value,group,size\n" + "".join(
        f"{name},2000-0{month}-01,{month},{group},{size}\n"
        for name, groups, size in (("a", ("3", "3.0", ""), "big"), ("b", ("", "", ""), "small"))
        for month, group in zip((1, 2, 3), groups)
    ))
    collection = read_series(str(path), static_covariates="group,size")
    assert collection.static_covariates == [("3", "big"), ("", "small")]
    assert features.static_ids([["3"], ["big", "small"]], collection.static_covariates,
                               [0, 1]).tolist() == [[1, 1], [0, 2]]


def _json_lines(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def test_json_lines_fields_and_tsf_attributes_are_static_covariates(tmp_path):
    path = tmp_path / "series.json"
    _json_lines(path, [
        {"start": "2020-01", "target": [1.0, 2.0, 3.0, 4.0], "feat_static_cat": [3, 0],
         "store": "a"},
        {"start": "2020-01", "target": [5.0, 6.0, 7.0, 8.0], "feat_static_cat": [1.0, 2],
         "store": "b"},
    ])
    collection = read_series(str(path), static_covariates="feat_static_cat,store")
    assert collection.static_covariate_names == ("feat_static_cat[0]", "feat_static_cat[1]",
                                                 "store")
    assert collection.static_covariates == [("3", "0", "a"), ("1", "2", "b")]
    with pytest.raises(DataError, match=r"series 'T1' has no field 'shop' .*'feat_static_cat'"):
        read_series(str(path), static_covariates="shop")
    uneven = tmp_path / "uneven.json"
    _json_lines(uneven, [
        {"start": "2020-01", "target": [1.0, 2.0, 3.0], "feat_static_cat": [3, 0]},
        {"start": "2020-01", "target": [1.0, 2.0, 3.0], "feat_static_cat": [3]},
    ])
    with pytest.raises(DataError, match=r"feat_static_cat\[0\]; the first series' are "
                       r"feat_static_cat\[0\], feat_static_cat\[1\]"):
        read_series(str(uneven), static_covariates="feat_static_cat")
    real = tmp_path / "real.json"
    _json_lines(real, [{"start": "2020-01", "target": [1.0, 2.0, 3.0], "feat_static_real": [0.5]}])
    with pytest.raises(DataError, match=r"real.json: static covariate 'feat_static_real' .* "
                       r"holds 0.5 for series 'T1': static covariates are categories"):
        read_series(str(real), static_covariates="feat_static_real")
    tsf = tmp_path / "states.tsf"
    tsf.write_text(
        "@relation demand\n@attribute series_name string\n@attribute state string\n"
        "@attribute start_timestamp date\n@frequency yearly\n@missing false\n"
        "@equallength false\n@data\n"
        "T1:NSW:2000-01-01 00-00-00:1,2,3,4,5\nT2:VIC:2000-01-01 00-00-00:2,3,4,5,6\n"
    )
    states = read_series(str(tsf), static_covariates="state")
    assert states.static_covariates == [("NSW",), ("VIC",)]


def test_static_ids_number_values_in_training_s_order_and_read_others_unknown():
    known = [["north", "south"], ["big", "small"]]
    static = [("south", "big"), ("east", "small")]
    ids = features.static_ids(known, static, [1, 0, 0])
    np.testing.assert_array_equal(ids, [[0, 2], [2, 1], [2, 1]])
    assert ids.dtype == np.int32
    assert features.static_ids(known, static, []).shape == (0, 2)


def test_the_model_reads_each_series_static_covariates(tmp_path):
    keras.utils.set_random_seed(0)
    model = task_data.small_forecaster(static_cardinalities=[2, 3])
    assert [t.name for t in model.inputs] == ["history", "static_covariates"]
    history = np.linspace(1, 2, 8, dtype="float32").reshape(2, 4, 1)
    static = np.array([[1, 1], [2, 3]], "int32")
    base = model({"history": history, "static_covariates": static}).numpy()
    moved = model({"history": history, "static_covariates": static[::-1]}).numpy()
    assert not np.allclose(moved, base)
    path = str(tmp_path / "static.keras")
    model.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_allclose(
        again({"history": history, "static_covariates": static}), base, rtol=1e-6
    )
    with pytest.raises(ValueError, match="static_cardinalities"):
        task_data.small_forecaster(static_cardinalities=[2, 0])


def test_a_category_shared_by_series_forecasts_what_their_histories_cannot():
    # Sixteen series about 100, each step 0.95 times the last one's deviation from it in
    # one group, -0.95 times in the other: alike in any one value, the window (one
    # step) does not tell them apart; the group tells which way the next step goes.
    rng = np.random.default_rng(0)
    values, static = [], []
    for index in range(16):
        sign = 1.0 if index % 2 else -1.0
        deviation = np.zeros(60)
        deviation[0] = rng.normal(0, 10)
        for step in range(1, 60):
            deviation[step] = sign * 0.95 * deviation[step - 1] + rng.normal(0, 10 * 0.31)
        values.append(100 + deviation)
        static.append(("up" if sign > 0 else "down",))
    series = SeriesCollection([f"s{i}" for i in range(16)], [None] * 16, values,
                              static_covariates=static, static_covariate_names=("group",))
    data = training_data(series)
    errors = task_data.fit_errors(
        data, {"alone": {}, "static": {"static_covariates": "group"}},
        horizon=1, window=1, scaling="global",
    )
    assert errors["alone"] > 5, errors  # about E|deviation| = 8
    assert errors["static"] < 0.6 * errors["alone"], errors


@pytest.fixture(scope="module")
def static_model(tmp_path_factory):
    return task_data.trained_forecaster(tmp_path_factory, "stores", _stores_csv, {
        "static_covariates": "region,kind", "horizon": 4, "season": 12,
    })


def test_predict_the_saved_model_and_the_numeric_formats_read_the_static_covariates(
    static_model, tmp_path, capsys
):
    folder, path = static_model
    task, model = runner.load(folder)
    assert task.feature_names == ("static_covariates",)
    assert task.static_covariate_names == ["region", "kind"]
    assert task.state["static_values"] == [["north", "south"], ["big", "small"]]
    collection = task.read_file(path).series
    results = task.predict_series(model, path)
    assert [r["series"] for r in results] == list(STORES)
    served = tf.saved_model.load(os.path.join(folder, "1"))
    assert sorted(served.signatures) == ["serving_default", "with_features"]
    for result, values, static in zip(results, collection.values, STORES.values()):
        got = served.signatures["with_features"](
            history=tf.constant(values[None], tf.float32),
            static_covariates=tf.constant([static]),
        )
        np.testing.assert_allclose(got["forecast"][0], result["forecast"], rtol=1e-5)
    # Values training never saw read unknown, as serving_default and a plain history do.
    history = tf.constant(collection.values[0][None], tf.float32)
    unseen = served.signatures["with_features"](
        history=history, static_covariates=tf.constant([["east", "huge"]])
    )
    unknown = served.signatures["serving_default"](history=history)
    np.testing.assert_allclose(unseen["forecast"], unknown["forecast"], rtol=1e-5)
    line = task.predict(model, [" ".join(map(str, collection.values[0]))])[0]
    np.testing.assert_allclose(unknown["forecast"][0], line["forecast"], rtol=1e-5)
    assert main(["predict", folder, "--series", path, "--json"]) == 0
    printed = [json.loads(r) for r in capsys.readouterr().out.splitlines() if r.startswith("{")]
    np.testing.assert_allclose(printed[2]["forecast"], results[2]["forecast"], rtol=1e-6)
    # The numeric formats take the values' ids (index in static_values, plus 1).
    numeric = {"history": collection.values[2][None, -10:].astype("float32"),
               "static_covariates": np.array([[2, 1]], "int32")}
    task_data.check_numeric_formats(task, model, served, numeric, str(tmp_path),
                                    signature="with_features")
    want = served.signatures["with_features"](
        history=tf.constant(numeric["history"]), static_covariates=tf.constant([["south", "big"]])
    )
    functions = numeric_functions(task, model)
    got = functions["with_features"](**{k: tf.constant(v) for k, v in numeric.items()})
    np.testing.assert_allclose(got["forecast"], want["forecast"], rtol=1e-5)


def test_an_average_of_models_reads_the_static_covariates(tmp_path):
    path = tmp_path / "stores.csv"
    _stores_csv(path)
    folder = str(tmp_path / "average")
    task_data.train_forecaster(path, folder, {
        "static_covariates": "region,kind", "seeds": 2, "window": 8, "horizon": 4,
        "season": 12, "units": 4, "epochs": 1, "batch_size": 64,
    })
    task, model = runner.load(folder)
    results = task.predict_series(model, str(path))
    served = tf.saved_model.load(os.path.join(folder, "1"))
    got = served.signatures["with_features"](
        history=tf.constant(task.read_file(str(path)).series.values[3][None], tf.float32),
        static_covariates=tf.constant([STORES["s4"]]),
    )
    np.testing.assert_allclose(got["forecast"][0], results[3]["forecast"], rtol=1e-5)


def test_a_task_without_static_covariates_in_its_data_is_refused_naming_the_option():
    series = SeriesCollection(["s"], [None], [np.arange(40.0)])
    task = task_data.covariate_task({"static_covariates": "group"})
    with pytest.raises(ValueError, match="--static-covariates .* the data hold none"):
        task.prepare(training_data(series))
    empty = SeriesCollection(["s"], [None], [np.arange(40.0)], static_covariates=[("",)],
                             static_covariate_names=("group",))
    with pytest.raises(ValueError, match="'group' .* holds no value"):
        task.prepare(training_data(empty))


def test_a_task_json_or_file_naming_other_static_covariates_is_refused(static_model, tmp_path):
    folder, path = static_model
    task, model = runner.load(folder)
    none = type(task)(task.config.replace(static_covariates=None), task.state)
    with pytest.raises(ValueError, match="features"):
        none.check_model(model)
    other = type(task)(task.config.replace(static_covariates="kind,region"), task.state)
    with pytest.raises(ValueError, match="static covariates"):
        other.check_model(model)
    state = {**task.state, "static_values": [["north", "south", "west"], ["big", "small"]]}
    more = type(task)(task.config, state)
    with pytest.raises(ValueError, match="values of static covariate 'region'"):
        more.check_model(model)
