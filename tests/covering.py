"""Cases of a product of options: a covering set in the default suite, the rest `large`.

Equality tests over every combination of a layer's options multiply fast
(3 cells x 3 projections x 3 masks x 2 output modes = 54 cases). A fault
in one option, or in two options meeting, shows in any case that holds
them; so the default suite runs a set of cases holding every value of every
option (`strength=1`) or every pair of values of two options
(`strength=2`, pairwise testing), and `pytest -m large` the whole product.
"""

import itertools

import pytest


def by_items(options):
    """`{id: options}` of a list of option `dict`s, each named by its items (`{}`: default)."""
    return {"-".join(f"{k}={v}" for k, v in o.items()) or "default": o for o in options}


def covering(*factors, strength=2):
    """The product of `factors` as `pytest.param`s, those outside a covering set marked `large`.

    Cases are chosen greedily: each the one holding the most value tuples
    not yet held (the first in product order on a tie), until every tuple
    of `strength` values of `strength` different factors is in one.

    Args:
        *factors: `dict`s `{id: value}`, one per test argument, in order.
        strength: `int.` 1: every value in a default case; 2: every pair.

    Returns:
        a list of `pytest.param`, one per case of the product, with ids
        joined by `-`.
    """
    product = list(itertools.product(*(list(factor.items()) for factor in factors)))
    groups = list(itertools.combinations(range(len(factors)), strength))

    def held(case):
        return {tuple((i, case[i][0]) for i in group) for group in groups}

    uncovered = set().union(*(held(case) for case in product))
    chosen = set()
    while uncovered:
        best = max(range(len(product)), key=lambda k: len(held(product[k]) & uncovered))
        chosen.add(best)
        uncovered -= held(product[best])
    return [
        pytest.param(
            *(value for _, value in case),
            id="-".join(str(name) for name, _ in case),
            marks=() if index in chosen else pytest.mark.large,
        )
        for index, case in enumerate(product)
    ]
