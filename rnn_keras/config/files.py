"""Config files: YAML or JSON mappings of option names to values."""

import json
import os

from rnn_keras.config.option import ConfigError


def read_config_file(path):
    """The options of a YAML or JSON config file, with `-` in names read as `_`.

    Values keep the types the file gives them; `Config.from_values` converts
    and checks them, naming the file as their source.

    Raises:
        FileNotFoundError: if `path` is not a file.
        ConfigError: if the file is not a mapping of option names.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"--config {path}: no such file")
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    format_name = "JSON" if path.endswith(".json") else "YAML"
    try:
        if format_name == "JSON":
            values = json.loads(text)
        else:
            import yaml

            values = yaml.safe_load(text)
    except Exception as error:  # json.JSONDecodeError, yaml.YAMLError
        raise ConfigError("config", f"{path} is not valid {format_name}: {error}") from None
    if values is None:
        values = {}
    if not isinstance(values, dict) or not all(isinstance(k, str) for k in values):
        raise ConfigError("config", f"{path}: expected a mapping of option names to values")
    return {key.replace("-", "_"): value for key, value in values.items()}
