"""The tag task's data profile and the options it resolves.

The rules are the WNUT17 tagger's measured choices without its word vectors
(`benchmarks/README.md`, WNUT17 section: character CNN, word dropout 0.3,
dropout 0.5, CRF; from 0.091 entity F1 for words alone to 0.172 mean of four
seeds, 0.015 with the fixed defaults).
"""

from rnn_keras.profile import tag_profile
from rnn_keras.profile import text_profile
from rnn_keras.tasks.defaults import Default
from rnn_keras.tasks.defaults import size_reason

# A CRF pays off where many test tokens were never seen in training (WNUT17:
# 50% unseen in dev, CRF +1.8 points mean of four seeds).
CRF_MIN_UNSEEN = 0.1
LARGE_DATA = 5000


def profile(splits):
    train = splits["train"]
    valid = splits.get("validation")
    data = text_profile(
        [tokens for tokens, _ in train], [tokens for tokens, _ in valid] if valid else None
    )
    return {**data, **tag_profile([tags for _, tags in train])}


def data_defaults(profile):
    n = profile["examples"]
    size = size_reason(n, "sentences")
    unseen = profile["unseen_valid_tokens"]
    entities = profile["scheme"] is not None
    defaults = [
        Default("cell", "lstm", "WNUT17 recipe: BiLSTM"),
        Default("bidirectional", True, "the whole sentence is available: read both ways"),
        Default("characters", True, "character CNN: WNUT17 0.091 -> 0.154 with word dropout"),
        Default("embedding_dim", 100, "WNUT17 recipe"),
        Default("embedding_dropout", 0.5, "WNUT17 recipe"),
        Default("token_dropout", 0.3, "word dropout 0.3: unseen words are common in use"),
        Default("head_dropout", 0.5, "WNUT17 recipe"),
        Default("learning_rate", 3e-3, "WNUT17 recipe"),
        Default("batch_size", 32 if n >= LARGE_DATA else 16, size),
        Default("epochs", 30, "WNUT17 recipe: best epoch 17-24"),
        Default("patience", 6, "WNUT17 recipe"),
    ]
    if entities and unseen is not None and unseen >= CRF_MIN_UNSEEN:
        defaults.append(Default(
            "crf", True, f"{profile['scheme'].upper()} tags, {unseen:.0%} of validation "
            "tokens unseen: CRF (WNUT17 +1.8 points)"))
    if entities:
        defaults.append(Default("monitor", "val_entity_f1", "the score reported: entity F1"))
    else:
        defaults.append(Default("monitor", "val_token_accuracy", "plain tags: token accuracy"))
    return defaults
