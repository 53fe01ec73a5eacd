"""Checks of a date normaliser's outputs and inputs, in Python and in TensorFlow ops.

A seq2seq model whose training targets are ISO dates (`YYYY-MM-DD`) or
`"not a date"` is a date normaliser (`gen:dates` trains one). Beside each
output it reports:

- `valid`: whether the output is a real calendar date (month 1–12, the
  month's days, 29 February only in leap years); `"not a date"` and a made-up
  date such as `2001-02-30` are not.
- `ambiguous`: whether the input is a numeric date with slashes whose first
  two numbers could both be the month (`03/04/2001`): it was read in the
  model's `date_order`, and a reader with the other habit means another day.
- `confidence`: the probability the model gives its output (the product of
  the chosen tokens' probabilities).

The TensorFlow versions run inside the exported SavedModel, so serving
reports the same as `predict`.
"""

import datetime
import math
import re

import tensorflow as tf

from rnn_keras.data.generated import NOT_A_DATE

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SLASH_DATE = r"\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*"
_DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def is_date_target(text):
    """Whether a training target is what a date normaliser outputs."""
    return text == NOT_A_DATE or ISO_DATE.fullmatch(text) is not None


def is_calendar_date(text):
    """Whether `text` is an ISO `YYYY-MM-DD` date that exists."""
    if not ISO_DATE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def is_ambiguous(text):
    """Whether `text` is a slash date whose day and month could be swapped."""
    match = re.fullmatch(_SLASH_DATE, text)
    if not match:
        return False
    first, second = int(match.group(1)), int(match.group(2))
    return 1 <= first <= 12 and 1 <= second <= 12 and first != second


def confidence(score):
    """The probability of an output from its log-probability `score`."""
    return math.exp(score)


def scores(references, hypotheses, log_probabilities, sources):
    """A date normaliser's scores: dates right, invalid inputs refused, confidence calibration.

    Returns:
        `dict` with `date_exact_match` (over the inputs that are dates),
        `invalid_refused` (the share of inputs that are not dates answered
        "not a date" or with no real date), `confidence_ece` (the expected
        calibration error of `confidence` against being right, 10 bins:
        0 when a confidence of 0.8 is right 80% of the time), and the counts
        `date_examples`, `invalid_examples`, `ambiguous_inputs`.
    """
    right = [r == h for r, h in zip(references, hypotheses)]
    is_date = [r != NOT_A_DATE for r in references]
    refused = [h == NOT_A_DATE or not is_calendar_date(h) for h in hypotheses]
    date_rows = [ok for ok, d in zip(right, is_date) if d]
    invalid_rows = [no for no, d in zip(refused, is_date) if not d]
    result = {
        "date_exact_match": sum(date_rows) / len(date_rows) if date_rows else None,
        "invalid_refused": sum(invalid_rows) / len(invalid_rows) if invalid_rows else None,
        "date_examples": len(date_rows),
        "invalid_examples": len(invalid_rows),
        "ambiguous_inputs": sum(is_ambiguous(s) for s in sources),
    }
    confidences = [confidence(s) for s in log_probabilities]
    bins = [[] for _ in range(10)]
    for c, ok in zip(confidences, right):
        bins[min(int(c * 10), 9)].append((c, ok))
    result["confidence_ece"] = sum(
        abs(sum(c for c, _ in b) / len(b) - sum(ok for _, ok in b) / len(b)) * len(b)
        for b in bins
        if b
    ) / max(len(right), 1)
    return result


def calendar_dates(strings):
    """`tf.bool` of a string tensor: which are ISO dates that exist (leap years included)."""
    shaped = tf.strings.regex_full_match(strings, r"\d{4}-\d{2}-\d{2}")
    safe = tf.where(shaped, strings, "0001-01-01")
    year = tf.strings.to_number(tf.strings.substr(safe, 0, 4), tf.int32)
    month = tf.strings.to_number(tf.strings.substr(safe, 5, 2), tf.int32)
    day = tf.strings.to_number(tf.strings.substr(safe, 8, 2), tf.int32)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    in_month = tf.gather(tf.constant(_DAYS_IN_MONTH), tf.clip_by_value(month, 1, 12) - 1)
    in_month += tf.cast(leap & tf.equal(month, 2), tf.int32)
    return shaped & (month >= 1) & (month <= 12) & (day >= 1) & (day <= in_month)


def ambiguous_inputs(strings):
    """`tf.bool` of a string tensor: slash dates whose day and month could be swapped."""
    shaped = tf.strings.regex_full_match(strings, _SLASH_DATE)
    safe = tf.where(shaped, tf.strings.strip(strings), "0/0/0000")
    parts = tf.strings.split(safe, "/").to_tensor("0", shape=[None, 3])
    first = tf.strings.to_number(parts[:, 0], tf.int32)
    second = tf.strings.to_number(parts[:, 1], tf.int32)
    months = (first >= 1) & (first <= 12) & (second >= 1) & (second <= 12)
    return shaped & months & tf.not_equal(first, second)
