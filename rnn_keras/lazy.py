"""Package namespaces that import their members on first use (PEP 562).

The command line builds its parser (`rnn-keras --help`) from the tasks'
configuration classes, which need no TensorFlow; the packages on that path
(`rnn_keras`, `rnn_keras.tasks` and each task's folder, `rnn_keras.tuning`)
import what needs TensorFlow only when it is first used. Everything stays
reachable under the same names: `rnn_keras.layers.LSTM`,
`from rnn_keras.tasks import ClassifyTask`.
"""

import importlib


def attach(package, submodules=(), members=None):
    """`(__getattr__, __dir__, __all__)` for a package that imports lazily.

    Args:
        package: `str.` The package's `__name__`.
        submodules: names of subpackages or modules of `package`, imported
            when first used as its attributes.
        members: `dict` from an attribute name to the module (absolute
            name) that defines it, imported when the attribute is first used.

    Returns:
        The module-level `__getattr__` and `__dir__` functions and the
        sorted `__all__` list, to assign in the package's `__init__`.
    """
    members = dict(members or {})
    names = sorted({*submodules, *members})

    def __getattr__(name):
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        if name in members:
            return getattr(importlib.import_module(members[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return names

    return __getattr__, __dir__, names
