import itertools

import pytest

from covering import covering


def _default(params):
    return [p.values for p in params if not any(m.name == "large" for m in p.marks)]


@pytest.mark.parametrize("strength", [1, 2])
def test_default_cases_hold_every_value_tuple_and_large_the_rest(strength):
    factors = [{"a": 0, "b": 1, "c": 2}, {"x": "x", "y": "y", "z": "z", "w": "w"}, {"n": 0, "m": 1}]
    params = covering(*factors, strength=strength)
    product = list(itertools.product(*(f.values() for f in factors)))
    assert [p.values for p in params] == product  # every case, once, in order
    assert params[0].id == "a-x-n"
    default = _default(params)
    for group in itertools.combinations(range(3), strength):
        wanted = set(itertools.product(*(factors[i].values() for i in group)))
        assert {tuple(case[i] for i in group) for case in default} == wanted
    # Greedy covering: 4 cases hold every value, 12 of 24 every pair.
    assert len(default) == (4 if strength == 1 else 12)
