"""The scripts of `benchmarks/`, loaded as modules for their tests."""

import importlib.util
import pathlib

BENCHMARKS = pathlib.Path(__file__).resolve().parents[1] / "benchmarks"


def load(name, module_name=None):
    """The module of `benchmarks/NAME.py` (named `module_name`, default `name`), run afresh."""
    spec = importlib.util.spec_from_file_location(module_name or name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
