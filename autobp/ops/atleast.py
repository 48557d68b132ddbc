"""numpy's atleast_1d/2d/3d (family "shape"): each input reshaped to at least n axes."""

from __future__ import annotations

from typing import Any

from ._args import as_tensor
from ._decl import op
from .shape import reshape

_S = "shape"


def _at_least(n: int, arys: tuple, name: str) -> Any:
    out = []
    for a in arys:
        a = as_tensor(a)
        if a.ndim >= n:
            out.append(a)
        elif n == 3 and a.ndim == 2:
            out.append(reshape(a, a.shape + (1,)))
        elif n == 3 and a.ndim == 1:
            out.append(reshape(a, (1,) + a.shape + (1,)))
        else:
            out.append(reshape(a, (1,) * (n - a.ndim) + a.shape))
    if not arys:
        raise TypeError(f"{name}: expected at least one array")
    return out[0] if len(out) == 1 else tuple(out)


@op(family=_S, rules=("reshape",), method=False)
def atleast_1d(*arys: Any) -> Any:
    """Each input with at least one axis (a 0-d one becomes shape (1,)); a tuple for several."""
    return _at_least(1, arys, "atleast_1d")


@op(family=_S, rules=("reshape",), method=False)
def atleast_2d(*arys: Any) -> Any:
    """Each input with at least two axes (new axes in front); a tuple for several."""
    return _at_least(2, arys, "atleast_2d")


@op(family=_S, rules=("reshape",), method=False)
def atleast_3d(*arys: Any) -> Any:
    """At least three axes: (n,) -> (1, n, 1), (m, n) -> (m, n, 1), as numpy; a tuple for several."""
    return _at_least(3, arys, "atleast_3d")
