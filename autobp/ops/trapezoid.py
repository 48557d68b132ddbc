"""The trapezoidal rule: numpy's ``trapezoid`` and scipy's ``cumulative_trapezoid`` (also at
``autobp.integrate``), differentiable in the samples ``y`` and the sample points ``x``: each is
slicing, arithmetic and a sum (or cumsum) over one axis, written as numpy writes it."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import normalize_axes
from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op

_T = "integration"


def _along(ndim: int, axis: int, part: slice) -> tuple:
    return (slice(None),) * axis + (part,)


def _spacing(y: Tensor, x: Any, dx: Any, axis: int, name: str, given: Any = None) -> Any:
    """The widths d of the intervals along ``axis``: ``dx``, or diff(x) shaped to broadcast with y.
    An x of another number of dimensions (not 1) is differenced along the ``given`` axis counted on x
    itself and broadcast against y, as numpy does."""
    if x is None:
        return dx
    x = as_tensor(x)
    if x.ndim == 1:
        d = x[1:] - x[:-1]
        return d.reshape((1,) * axis + (d.shape[0],) + (1,) * (y.ndim - axis - 1))
    if x.ndim != y.ndim:
        if given is None or x.ndim == 0:
            raise ValueError(
                f"{name}: x must be 1-d or of y's number of dimensions, got shapes {x.shape} and {y.shape}"
            )
        xa = normalize_axes(int(given), x.ndim, name, x.shape)[0]
        return x[_along(x.ndim, xa, slice(1, None))] - x[_along(x.ndim, xa, slice(None, -1))]
    return x[_along(x.ndim, axis, slice(1, None))] - x[_along(x.ndim, axis, slice(None, -1))]


def _axis(y: Tensor, axis: Any, name: str) -> int:
    if y.ndim == 0:
        raise ValueError(f"{name}: y must have at least one dimension, got a 0-d array")
    if not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{name}: axis must be an int, got {axis!r}")
    return normalize_axes(int(axis), y.ndim, name, y.shape)[0]


def _pieces(y: Tensor, d: Any, axis: int, name: str) -> Tensor:
    """d * (y[1:] + y[:-1]) / 2 along ``axis`` (numpy's order of operations), shapes checked."""
    y1, y0 = y[_along(y.ndim, axis, slice(1, None))], y[_along(y.ndim, axis, slice(None, -1))]
    if isinstance(d, Tensor) and d.ndim == y.ndim and d.shape[axis] != y1.shape[axis]:
        raise ValueError(
            f"{name}: x has {d.shape[axis] + 1} points along axis {axis}, y has {y.shape[axis]} "
            f"(shapes {d.shape[:axis] + (d.shape[axis] + 1,) + d.shape[axis + 1 :]} and {y.shape})"
        )
    try:
        return d * (y1 + y0) / 2.0
    except ValueError:
        raise ValueError(
            f"{name}: x of shape {np.shape(d)} (as widths) and y of shape {y.shape} do not broadcast"
        ) from None


@op(family=_T, rules=("getitem", "sub", "add", "mul", "div", "sum", "reshape"), method=False)
def trapezoid(y: Any, x: Any = None, dx: Any = 1.0, axis: int = -1, *, dim: Any = None) -> Tensor:
    """Integral of y over x (or spacing ``dx``) along ``axis`` (PyTorch's ``dim``) by the trapezoidal
    rule (numpy's).

    Differentiable in y, x and a Tensor dx; float32 stays float32, integers give float64, and
    fewer than two points give 0, as numpy."""
    if dim is not None:
        if axis not in (-1, dim):
            raise TypeError(f"trapezoid: got both axis={axis!r} and dim={dim!r}")
        axis = dim
    y = as_tensor(y)
    a = _axis(y, axis, "trapezoid")
    if y.dtype.kind in "biu":
        y = y.astype(np.float64)
    d = _spacing(y, x, dx, a, "trapezoid", axis)
    return _pieces(y, d, a, "trapezoid").sum(axis=a)


@op(
    family=_T,
    rules=("getitem", "sub", "add", "mul", "div", "cumsum", "concatenate"),
    method=False,
    namespace="autobp.integrate",
    numpy=None,
)
def cumulative_trapezoid(y: Any, x: Any = None, dx: Any = 1.0, axis: int = -1, initial: Any = None) -> Tensor:
    """Running integral of y along ``axis`` by the trapezoidal rule (scipy.integrate's).

    One value fewer than y along ``axis``, or as many with ``initial=0`` (scipy allows only None
    or 0 there) prepended; differentiable in y, x and a Tensor dx."""
    from .joining import concatenate
    from .scans import cumsum

    y = as_tensor(y)
    a = _axis(y, axis, "cumulative_trapezoid")
    if y.shape[a] == 0:
        raise ValueError(
            f"cumulative_trapezoid: at least one point is required along axis {a}, y has shape {y.shape}"
        )
    if y.dtype.kind in "biu":
        y = y.astype(np.float64)
    xs = None if x is None else as_tensor(x).shape
    if xs is not None and len(xs) not in (1, y.ndim):
        raise ValueError(
            f"cumulative_trapezoid: x must be 1-d or of y's shape, got shapes {xs} and {y.shape}"
        )
    if xs is not None and xs[a if len(xs) > 1 else 0] != y.shape[a]:
        raise ValueError(
            f"cumulative_trapezoid: x must have as many points as y along axis {a}, "
            f"got shapes {xs} and {y.shape}"
        )
    out = cumsum(_pieces(y, _spacing(y, x, dx, a, "cumulative_trapezoid"), a, "cumulative_trapezoid"), axis=a)
    if initial is None:
        return out
    if not np.isscalar(initial) and not (isinstance(initial, (np.ndarray, Tensor)) and np.ndim(initial) == 0):
        raise ValueError(f"cumulative_trapezoid: initial must be a number (None or 0), got {initial!r}")
    if float(np.asarray(initial._data if isinstance(initial, Tensor) else initial)) != 0:
        raise ValueError(f"cumulative_trapezoid: initial must be None or 0 (scipy's rule), got {initial!r}")
    shape = out.shape[:a] + (1,) + out.shape[a + 1 :]
    return concatenate([Tensor._const(np.zeros(shape, out.dtype)), out], axis=a)
