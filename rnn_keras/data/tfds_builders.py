"""The package's generated datasets as TensorFlow Datasets builders.

Importing this module registers `rnn_keras_dates` and `rnn_keras_addition`
with TFDS: they build locally (no download), cache as TFRecords in the data
dir and load with `tfds.load` like any official dataset. Configs pick the
size: `default` (20,000 / 1,000 / 2,000 pairs) and `small` (2,000 / 200 /
200); the splits never share an item (see `generate_pairs`). Dates also
hold 15% more inputs that are not dates, and come in two orders of numeric
dates: day first (`default`, `small`) and month first (`default_mdy`,
`small_mdy`).

```python
import rnn_keras.data.tfds_builders  # registers the builders
train = tfds.load("rnn_keras_dates/small", split="train", as_supervised=True)
```
"""

import tensorflow_datasets as tfds

from rnn_keras.data.generated import generate_pairs

_SIZES = {
    "default": {"train": 20000, "validation": 1000, "test": 2000},
    "small": {"train": 2000, "validation": 200, "test": 200},
}


class _GeneratedPairsConfig(tfds.core.BuilderConfig):
    def __init__(self, *, sizes, seed=0, date_order="dmy", **kwargs):
        super().__init__(**kwargs)
        self.sizes = sizes
        self.seed = seed
        self.date_order = date_order


def config_name(size, date_order="dmy"):
    """The builder config of a size (`default`, `small`) and order of numeric dates."""
    return size if date_order == "dmy" else f"{size}_{date_order}"


def _configs(what, orders=("dmy",)):
    return [
        _GeneratedPairsConfig(
            name=config_name(name, order),
            description=f"{what}: " + ", ".join(f"{v} {k}" for k, v in sizes.items())
            + ("" if len(orders) == 1 else f", numeric dates {order}"),
            sizes=sizes,
            date_order=order,
        )
        for name, sizes in _SIZES.items()
        for order in orders
    ]


class _GeneratedPairs(tfds.core.GeneratorBasedBuilder):
    """Source/target string pairs from `rnn_keras.data.generate_pairs`."""

    VERSION = tfds.core.Version("2.0.0")
    RELEASE_NOTES = {
        "1.0.0": "First release.",
        "2.0.0": "Dates: inputs that are not dates, two-digit years, ordinals, the mdy order.",
    }
    GENERATED = None
    # The task whose examples these are.
    TASK = "seq2seq"

    def _info(self):
        return self.dataset_info_from_configs(
            features=tfds.features.FeaturesDict(
                {"source": tfds.features.Text(), "target": tfds.features.Text()}
            ),
            supervised_keys=("source", "target"),
            homepage="https://github.com/rnn-keras/rnn_keras",
        )

    def _split_generators(self, dl_manager):
        del dl_manager  # Generated: nothing to download.
        config = self.builder_config
        pairs = generate_pairs(
            self.GENERATED, config.sizes, config.seed, date_order=config.date_order
        )
        return {split: self._generate_examples(items) for split, items in pairs.items()}

    def _generate_examples(self, pairs):
        for i, (source, target) in enumerate(pairs):
            yield i, {"source": source, "target": target}


class RnnKerasDates(_GeneratedPairs):
    """Human-written dates in 20 formats → ISO `YYYY-MM-DD`, and inputs that are not dates."""

    GENERATED = "dates"
    BUILDER_CONFIGS = _configs("date normalisation", orders=("dmy", "mdy"))


class RnnKerasAddition(_GeneratedPairs):
    """Additions of two integers below 1000 (`"535+61"` → `"596"`)."""

    GENERATED = "addition"
    BUILDER_CONFIGS = _configs("addition")


# `gen:NAME` datasets: name → builder.
BUILDERS = {builder.GENERATED: builder for builder in (RnnKerasDates, RnnKerasAddition)}
