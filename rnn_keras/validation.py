"""Argument checks shared by layers and builders.

Each error names the argument, what was expected and what was received.
"""

import numbers


def check_positive_int(name, value):
    """Raises `ValueError` unless `value` is an integer > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected a positive "
            f"integer. Received: {name}={value!r}"
        )


def check_rate(name, value):
    """Raises `ValueError` unless `value` is a number in `[0, 1)`."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not 0 <= value < 1
    ):
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected a float in "
            f"[0, 1). Received: {name}={value!r}"
        )


def check_one_of(name, value, allowed):
    """Raises `ValueError` unless `value` is one of `allowed`."""
    if value not in allowed:
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected one of "
            f"{list(allowed)}. Received: {name}={value!r}"
        )
