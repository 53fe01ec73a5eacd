"""What a set of labels or tags looks like: counts, balance, tag scheme."""

import collections

# The prefixes of entity tags (`B-PER`): begin, inside, end, single.
PREFIXES = {"B", "I", "E", "S"}


def label_profile(labels):
    """`{classes, majority_share, imbalance}` of a list of class labels.

    `imbalance` is the count of the most frequent class over that of the
    least frequent one (1.0: balanced).
    """
    counts = collections.Counter(labels)
    most, least = max(counts.values()), min(counts.values())
    return {
        "classes": len(counts),
        "majority_share": round(most / len(labels), 4),
        "imbalance": round(most / least, 2),
    }


def tag_scheme(tags):
    """`"iobes"`, `"bio"` or `None` (plain tags, as part-of-speech) for a set of tags.

    BIO covers IOB1 and IOB2 (entities that start with `I-`); IOBES any
    scheme that also marks single (`S-`) or end (`E-`) tokens.
    """
    tags = set(tags) - {"O"}
    if not tags or not all(len(t) > 2 and t[1] == "-" for t in tags):
        return None
    prefixes = {t[0] for t in tags}
    if not prefixes <= PREFIXES:
        return None
    return "iobes" if prefixes & {"E", "S"} else "bio"


def tag_profile(sentence_tags):
    """`{tags, scheme, entity_token_share}` of a list of tag sequences."""
    tags = [tag for sentence in sentence_tags for tag in sentence]
    distinct = sorted(set(tags))
    return {
        "tags": len(distinct),
        "scheme": tag_scheme(distinct),
        "entity_token_share": round(sum(t != "O" for t in tags) / max(len(tags), 1), 4),
    }
