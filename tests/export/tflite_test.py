"""Export destinations: never overwritten silently, never a model folder or foreign files."""

import os

import pytest

from rnn_keras import runner
from rnn_keras.export import export_saved_model
from rnn_keras.export import export_tflite


def test_exports_never_overwrite_silently(trained, tmp_path):
    task, model = runner.load(trained["forecast"])
    path = str(tmp_path / "tflite")
    export_tflite(task, model, path)
    with pytest.raises(FileExistsError, match="--overwrite"):
        export_tflite(task, model, path)
    export_tflite(task, model, path, overwrite=True)
    assert sorted(os.listdir(tmp_path)) == ["tflite"]  # no temporary folder left behind
    with pytest.raises(FileExistsError, match="not a saved_model export"):
        export_saved_model(task, model, path, overwrite=True)  # a TFLite export is not one


def test_exports_never_replace_a_model_folder_or_other_files(trained, tmp_path):
    task, model = runner.load(trained["forecast"])
    with pytest.raises(FileExistsError, match="is a model folder"):
        export_saved_model(task, model, trained["forecast"], overwrite=True)
    assert os.path.isfile(os.path.join(trained["forecast"], "model.keras"))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="not a saved_model export"):
        export_saved_model(task, model, str(tmp_path / "mine"), overwrite=True)
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
