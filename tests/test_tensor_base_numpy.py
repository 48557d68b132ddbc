"""``t.base`` as numpy's ndarray.base: the tensor whose memory a view uses (collapsed to the owner),
None for a tensor owning its memory or a copy (numpy is the oracle)."""

import numpy as np
import pytest

import autobp as ab

VIEWS = {
    "ellipsis": lambda a: a[...],
    "empty tuple": lambda a: a[()],
    "row": lambda a: a[0],
    "slice of slice": lambda a: a[1:][:, ::2],
    "transpose": lambda a: a.T,
    "reshape then index": lambda a: a.reshape(3, 2)[0],
    "fancy (a copy)": lambda a: a[[0, 1]],
    "boolean (a copy)": lambda a: a[a > 2],
}


@pytest.mark.parametrize("name", list(VIEWS))
def test_base_matches_numpy(name):
    n = np.array([[1, 2, 3], [4, 5, 6]])
    t = ab.array(n)
    want = VIEWS[name](n).base
    got = VIEWS[name](t).base
    assert (want is None) == (got is None)
    if want is not None:
        assert want is n and got is t
    assert t.base is None and n.base is None
