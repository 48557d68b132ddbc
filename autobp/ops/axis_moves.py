"""moveaxis (PyTorch's movedim, family "shape"): axes moved to new positions, the others keeping their
order; one transpose, so a view of its input."""

from __future__ import annotations

from typing import Any

from .._broadcast import AxisError, ShapeError, normalize_axes
from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .shape import transpose

_S = "shape"


def _moved_axis(i: Any, a: Tensor, which: str) -> int:
    """moveaxis's ``source``/``destination`` axis ``i`` as a non-negative int (numpy's AxisError words)."""
    try:
        return normalize_axes(i, a.ndim, "moveaxis", a.shape)[0]
    except AxisError:
        raise AxisError(
            f"moveaxis: {which}: axis {i} is out of bounds for array of dimension {a.ndim} (shape {a.shape}: "
            f"Dimension out of range)"
        ) from None


@op(family=_S, rules=("transpose",), torch=("movedim",))
def moveaxis(a: Any, source: Any, destination: Any) -> Tensor:
    """Move axes ``source`` to positions ``destination`` (the others keep their order)."""
    a = as_tensor(a)
    src = source if isinstance(source, (tuple, list)) else (source,)
    dst = destination if isinstance(destination, (tuple, list)) else (destination,)
    if len(src) != len(dst):
        raise ShapeError(
            "moveaxis: `source` and `destination` arguments must have the same number of elements "
            f"(movedim: Invalid source or destination dims: {source}, {destination})"
        )
    if a.ndim == 0 and len(src) == 1 and all(_is_0_or_minus_1(i) for i in (*src, *dst)):
        return transpose(a, ())  # PyTorch's movedim of a 0-d tensor's dim 0 / -1: itself (numpy raises)
    src = [_moved_axis(i, a, "source") for i in src]
    dst = [_moved_axis(i, a, "destination") for i in dst]
    for given, axes, which in ((source, src, "source"), (destination, dst, "destination")):
        if len(set(axes)) != len(axes):  # numpy's words, and PyTorch's
            raise ShapeError(
                f"moveaxis: repeated axis in `{which}` argument: {given} (movedim: repeated dim in `{which}`)"
            )
    rest = [i for i in range(a.ndim) if i not in src]
    for d, s in sorted(zip(dst, src)):
        rest.insert(d, s)
    return transpose(a, rest)


def _is_0_or_minus_1(i: Any) -> bool:
    return not isinstance(i, bool) and hasattr(i, "__index__") and i.__index__() in (0, -1)
