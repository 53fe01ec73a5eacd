"""The classify task's data profile and the options it resolves.

Text that reads as natural language gets the SST-2 recipe, the measured
best of the configurations tried on SST-2 (`benchmarks/README.md`, SST-2
section: BiLSTM-64, max pooling, embedding and head dropout 0.5, weight
averaging 0.995; each change from it cost 0.4–2 points). Series get the
GunPoint recipe, measured on small series sets (`benchmarks/README.md`:
BiGRU-32, 0.960 on GunPoint against 0.493 with the fixed defaults), with
convolution blocks before it and max pooling, three of them averaged up to
1,000 series, five below 100. Fewer than `SMALL_SELECTION` examples given
with test data are not split: the epoch is chosen on the training data.
"""

import math

from rnn_keras.profile import label_profile
from rnn_keras.profile import series_profile
from rnn_keras.profile import text_profile
from rnn_keras.tasks.defaults import Default
from rnn_keras.tasks.defaults import size_reason

# Embedding size by vocabulary: on SST-2 (14k token types, seed 0) 128 gave
# 0.815, 64 (with 32 units) 0.813 and 300 0.818; small vocabularies get 64.
LARGE_VOCABULARY = 5000
# Series longer than this are read in patches of about `PATCH_STEPS` recurrent
# steps. OSULeaf (427 steps, seed 0): patches of 1 step 0.545 test accuracy in
# 53 s of training, 4 steps 0.665 in 24 s, 8 steps 0.624 in 20 s.
LONG_SERIES = 256
PATCH_STEPS = 128
# From this many training series, 64 units. JapaneseVowels (243 series, seeds
# 0-2): 32 units 0.973 / 0.962 / 0.957, 64 units 0.978 / 0.968 / 0.976;
# OSULeaf (180 series, seeds 0-1): 32 units 0.665 / 0.694, 64 units 0.740 /
# 0.665; BasicMotions (36 series, seeds 0-1): 32 units 0.900 / 0.925, 64
# units 0.900 / 0.875.
MANY_SERIES = 150
# Above this many examples, batches of 64: the same updates per epoch would
# make an epoch twice as slow for no measured gain.
LARGE_DATA = 20000
# From this ratio of the most to the least frequent training label, balanced
# class weights and early stopping on validation macro-F1. SST-2 with the
# negatives cut to 1/8 in train, dev and test (`benchmarks/class_weights.py`,
# benchmarks/README.md), seeds 0-1: unweighted with `val_accuracy` the model
# leans to the majority, test macro-F1 0.604 / 0.616, accuracy 0.885 / 0.882;
# balanced with `val_macro_f1` 0.644 / 0.650 and 0.860 / 0.870; balanced
# with `val_accuracy` only 0.633 / 0.611. Below it (OSULeaf's 3.5) the labels
# are left as they are.
IMBALANCED = 5.0
# Below this many training examples a held-out tenth (under 10) cannot tell one
# epoch from another: with test data given, nothing is held out and the epoch
# is chosen on the training data, every epoch run (no held-out split to stop
# on). Seeds 0-2, test accuracy, 150 epochs: ArrowHead (36 series, 4 held out)
# 0.535 -> 0.619, ItalyPowerDemand (67) 0.936 -> 0.953, GunPoint (50) 0.936 ->
# 0.973, BasicMotions (40) 0.942 -> 0.908. 500 epochs instead: 0.676, 0.947,
# 0.951, 0.900 (`benchmarks/README.md`).
SMALL_SELECTION = 100
# Up to this many training series, three models (seeds 0-2) are trained and
# averaged (`seeds=3`): small sets vary by seed. Test accuracy, the members'
# mean -> their average: ArrowHead 0.701 -> 0.726, ItalyPowerDemand 0.966 ->
# 0.967, GunPoint 0.982 -> 0.980, BasicMotions 1.000 -> 1.000, OSULeaf 0.865
# -> 0.926, JapaneseVowels 0.986 -> 0.995, ACSF1 0.790 -> 0.810 (members 0.71
# to 0.92) (`benchmarks/README.md`). It triples
# the training time, bounded by the 150-epoch regime of up to 1,000 series.
AVERAGED_SERIES = 1000
# Below this many training series, five models (seeds 0-4) instead of three:
# with a few dozen series one member can land far off (ArrowHead: 0.634 among
# 0.743-0.806). Test accuracy, the mean over the ten triples of five members
# -> the five averaged: ArrowHead 0.784 -> 0.817, Chinatown's cut 0.941 ->
# 0.955, GunPoint 0.983 -> 0.987 (with a fifth held out, as its config does:
# 0.973 -> 0.967), ItalyPowerDemand 0.966 -> 0.965, Coffee 1.000 -> 1.000
# (`benchmarks/README.md`). Such sets train in a minute or two.
MOST_AVERAGED_SERIES = 100
# Series not normalised whose own standard deviations spread more than this
# (90th percentile over 10th) are standardised each by its own statistics
# (`normalization="series"`), not by one mean and deviation for all. PLAID
# (raw amperes, spread 125,000; seed 0): test accuracy 0.412 by channel (the
# network underfits: training accuracy 0.51), 0.870 by series. BasicMotions
# (spread 18, amplitude is the class: 1.000 by channel) and JapaneseVowels
# (1.7) keep `channel`; the UCR sets ship z-normalised (1.0).
SCALE_SPREAD = 1000


def profile(splits):
    """The profile of the training inputs and labels (validation for unseen tokens)."""
    inputs, labels = splits["train"]
    valid = splits.get("validation")
    if inputs and not isinstance(inputs[0], str):
        data = {"inputs": "series", **series_profile(inputs)}
    else:
        data = {"inputs": "text", **text_profile(inputs, valid[0] if valid else None)}
    return {**data, "labels": label_profile(labels), "splits": sorted(splits)}


def data_defaults(profile, valid_fraction=None):
    """The `Default`s of a classifier for data with this `profile`.

    `valid_fraction` is the one the user gave, if any: with 0 the epoch is
    chosen on the training data whatever the data's size.
    """
    on_training_data = chosen_on_training_data(profile, valid_fraction)
    if profile["inputs"] == "series":
        rules = series_defaults(profile, on_training_data)
    else:
        rules = text_defaults(profile)
    if on_training_data and valid_fraction is None:
        n = profile["examples"]
        rules.append(Default(
            "valid_fraction", 0.0, f"{size_reason(n, 'examples')}: a tenth held out "
            f"({max(1, round(n / 10))}) cannot choose the epoch; it is chosen on the "
            "training data (ArrowHead, 36 series: test accuracy 0.535 -> 0.619)"))
    return rules + label_defaults(profile["labels"])


def chosen_on_training_data(profile, valid_fraction=None):
    """Whether the epoch is chosen on the training data (see `SMALL_SELECTION`).

    When `valid_fraction` is given, whether it is 0; else whether the data
    are too few to hold validation out of and test data are given (the
    model must still be scored on data it was not chosen on).
    """
    splits = profile["splits"]
    if "validation" in splits:
        return False
    if valid_fraction is not None:
        return valid_fraction == 0
    return profile["examples"] < SMALL_SELECTION and "test" in splits


def label_defaults(labels):
    imbalance = labels["imbalance"]
    if imbalance < IMBALANCED:
        return []
    return [
        Default("class_weight", "balanced", f"imbalanced labels ({imbalance:g}:1): every class "
                "weighs the same"),
        Default("monitor", "val_macro_f1", f"imbalanced labels ({imbalance:g}:1): the rare "
                "classes count as much as the frequent one"),
    ]


def text_defaults(profile):
    n = profile["examples"]
    size = size_reason(n, "examples")
    if profile["kind"] != "language":
        return [
            Default("tokenize", "character", f"{profile['kind']} (word share "
                    f"{profile['word_share']}): read by characters"),
            Default("bidirectional", True, "the whole input is available: read both ways"),
        ]
    large = profile["vocabulary"] >= LARGE_VOCABULARY
    return [
        Default("tokenize", "punctuation", f"natural language (word share "
                f"{profile['word_share']}): words, punctuation split off"),
        Default("lowercase", True, "natural language: case folded (SST-2 recipe)"),
        Default("cell", "lstm", "SST-2 recipe: LSTM"),
        Default("bidirectional", True, "the whole input is available: read both ways"),
        Default("pooling", "max", "SST-2 (seed 0): max pooling 0.815, mean pooling 0.803"),
        Default("units", 64, "SST-2 (seed 0): 64 units 0.815, 128 units 0.803"),
        Default("embedding_dim", 128 if large else 64,
                size_reason(profile["vocabulary"], "token types")),
        Default("embedding_dropout", 0.5, "SST-2 recipe: dropout 0.5 on the embedded words"),
        Default("head_dropout", 0.5, "SST-2 recipe: dropout 0.5 before the output layer"),
        Default("ema_momentum", 0.995, "SST-2: weight averaging 0.802 -> 0.823 (mean of seeds 0-2)"),
        Default("batch_size", 64 if n >= LARGE_DATA else 32, size),
        Default("epochs", 15, "SST-2 recipe: best epoch 2-8 of 15"),
        Default("patience", 4, "SST-2 recipe"),
        Default("monitor", "val_accuracy", "the score reported: accuracy"),
    ]


def series_defaults(profile, on_training_data=False):
    n = profile["examples"]
    size = size_reason(n, "series")
    small = n <= 1000
    length = int(profile["length"]["median"])
    patches = []
    if length > LONG_SERIES:
        patch = math.ceil(length / PATCH_STEPS)
        patches = [Default("patch_size", patch, f"series of {length} steps: patches of {patch} "
                           f"-> {math.ceil(length / patch)} recurrent steps (OSULeaf: 0.545 "
                           "unpatched, 0.665 with patches of 4)")]
    if n >= MANY_SERIES:
        units = Default("units", 64, f"{size}: 64 units (JapaneseVowels, mean of 3 seeds: "
                        "0.964 with 32, 0.974 with 64)")
    else:
        units = Default("units", 32, f"{size}: 32 units (GunPoint recipe)")
    epochs = 150 if small else 50
    if on_training_data:
        patience = Default("patience", epochs, "the epoch chosen on the training data: no "
                           "held-out split to stop on, every epoch runs")
    else:
        patience = Default("patience", 40 if small else 10, size)
    averaged = []
    if n < MOST_AVERAGED_SERIES:
        averaged = [Default("seeds", 5, f"{size}: five models averaged, a few dozen series "
                            "vary most by seed (ArrowHead, triples of five members -> the "
                            "five: 0.784 -> 0.817); --seeds 1 trains one")]
    elif n <= AVERAGED_SERIES:
        averaged = [Default("seeds", 3, f"{size}: three models averaged, small sets vary by "
                            "seed (members' mean -> their average: OSULeaf 0.865 -> 0.926, "
                            "ArrowHead 0.701 -> 0.726); --seeds 1 trains one")]
    scales = []
    spread = profile.get("scale_spread")
    if not profile["normalised"] and spread is not None and spread > SCALE_SPREAD:
        scales = [Default("normalization", "series", f"the series' scales spread {spread:,g}x "
                          "(90th over 10th percentile of their deviations): each standardised "
                          "by its own (PLAID: 0.412 by channel, 0.870 by series)")]
    return patches + averaged + scales + [
        Default("cell", "gru", "series: GRU (GunPoint 0.960)"),
        Default("bidirectional", True, "the whole series is available: read both ways"),
        units,
        # Seeds 0-2, test accuracy, mean -> max pooling: ArrowHead 0.619 -> 0.682,
        # ItalyPowerDemand 0.953 -> 0.955, GunPoint 0.973 -> 0.958, BasicMotions
        # 0.908 -> 0.992, OSULeaf 0.705 -> 0.734, JapaneseVowels 0.974 -> 0.984.
        Default("pooling", "max", "series: maximum over the steps (mean -> max: better on 5 "
                "of 6 sets, OSULeaf 0.705 -> 0.734)"),
        # Seeds 0-2, test accuracy, max pooling without -> with convolution blocks of
        # 32 filters: ArrowHead 0.682 -> 0.701, ItalyPowerDemand 0.955 -> 0.966,
        # GunPoint 0.958 -> 0.982, BasicMotions 0.992 -> 1.000, OSULeaf 0.734 ->
        # 0.879, JapaneseVowels 0.984 -> 0.985 (batch-norm momentum 0.99).
        Default("conv_filters", 32, "series: convolution blocks of 32 filters before the "
                "recurrent layer (better or level on 6 of 6 sets, OSULeaf 0.734 -> 0.879)"),
        # Seeds 0-2 averaged, test accuracy, without -> with the branch (the
        # members' mean in brackets): ArrowHead 0.726 -> 0.789 (0.701 -> 0.756),
        # GunPoint 0.980 -> 0.987 (0.982 -> 0.980), ItalyPowerDemand 0.967 ->
        # 0.970 (0.966 -> 0.969), JapaneseVowels 0.995 -> 0.986 (0.986 -> 0.983),
        # BasicMotions 1.000 -> 1.000, OSULeaf 0.926 -> 0.921 (0.865 -> 0.875),
        # ACSF1 0.810 -> 0.770 (0.790 -> 0.720; its members spread 0.66-0.92),
        # Chinatown's 22 test series 0.955 -> 0.909 (`benchmarks/README.md`).
        Default("conv_branch", True, "series: the convolution blocks' average joins the "
                "recurrent summary, as in LSTM-FCN (ArrowHead, three models averaged: "
                "0.726 -> 0.789)"),
        Default("learning_rate", 3e-3, "series: GunPoint recipe"),
        Default("batch_size", 8 if n <= 100 else 16 if small else 32, size),
        Default("epochs", epochs, size),
        patience,
    ]
