"""Which packages install, and where: metadata and dependencies are in `setup.cfg`.

The repository's top-level `tuning/` folder installs as `rnn_keras.tuning`
(never as a top-level `tuning`, a name other projects use too).
"""

from setuptools import find_packages
from setuptools import setup

setup(
    packages=find_packages(include=["rnn_keras", "rnn_keras.*"]) + ["rnn_keras.tuning"],
    package_dir={"rnn_keras.tuning": "tuning"},
)
