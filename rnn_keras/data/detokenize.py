"""Ordinary text from word tokens joined by spaces: the inverse of the punctuation split.

A word-level model split at punctuation (`Vocabulary(split="punctuation")`)
outputs its tokens joined by spaces, `"¿ dónde está tom ?"`; scores that
compare with reference text (sacreBLEU) and users want `"¿dónde está tom?"`.
"""

import re

import tensorflow as tf

# Attach to the word before them (`"tom ?"` → `"tom?"`, `". . ."` → `"..."`).
CLOSING = ".,!?;:)»…"
# Attach to the word after them (`"¿ dónde"` → `"¿dónde"`).
OPENING = "¡¿(«"
# Straight double quotes close around what a pair of them holds.
QUOTE = '"'
# (pattern, replacement) pairs applied in order; each works in Python `re`
# and in RE2 (`tf.strings.regex_replace`), so both spellings agree.
RULES = (
    (f'{QUOTE} ([^{QUOTE}]*?) {QUOTE}', f"{QUOTE}\\1{QUOTE}"),
    (f" ([{re.escape(CLOSING)}])", "\\1"),
    (f"([{re.escape(OPENING)}]) ", "\\1"),
)


def detokenize(text):
    """Removes the spaces a punctuation split put around punctuation marks.

    The space before a closing mark (`.,!?;:)»…`) and after an opening one
    (`¡¿(«`) goes, and a pair of straight double quotes closes around what
    it holds (an unpaired quote keeps its spaces). Words and their spacing
    are kept, so splitting the result at punctuation again gives the same
    tokens. What the split lost stays lost: `"3,5"` came out as `3 , 5`
    and comes back as `"3, 5"`.

    Args:
        text: `str.` Tokens joined by single spaces.

    Returns:
        `str.` The text with punctuation attached.

    Example:

    ```python
    detokenize('¿ dónde está tom ? " ¡ hola ! " , dijo .')
    # '¿dónde está tom? "¡hola!", dijo.'
    ```
    """
    for pattern, replacement in RULES:
        text = re.sub(pattern, replacement, text)
    return text


def detokenize_tensor(texts):
    """`detokenize` in TensorFlow ops, for exported graphs (a string tensor of any shape)."""
    texts = tf.convert_to_tensor(texts, tf.string)
    for pattern, replacement in RULES:
        texts = tf.strings.regex_replace(texts, pattern, replacement)
    return texts
