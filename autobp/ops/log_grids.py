"""Logarithmic grids with numpy's signatures: logspace (base ** linspace, recorded as those two ops)
and geomspace (one node with numpy's exact values), both differentiable in Tensor ends."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import normalize_axes
from .._creation_out import creation_out
from .._default_dtype import DEFAULT, F64, follow_default
from .._device import check_device
from ..rules import holomorphic, rule
from ..tensor import Tensor
from ._args import as_tensor, pair
from ._creation_args import _leaf, torch_end, torch_only
from ._decl import op
from .numeric_grid import _count, _fractions, linspace

_G = "numeric_grid"


@op(family=_G, rules=("linspace", "pow", "reshape", "astype"), method=False)
@creation_out("logspace")
def logspace(
    start: Any,
    stop: Any = None,
    num: int = 50,
    endpoint: bool = True,
    base: Any = 10.0,
    dtype: Any = None,
    axis: int = 0,
    *,
    requires_grad: bool = False,
    device: Any = None,
    steps: int | None = None,
    end: Any = None,
    layout: Any = None,
    pin_memory: bool = False,
) -> Tensor:
    """``num`` samples base ** linspace(start, stop) (numpy's logspace: array ends and bases give one
    grid per element, along ``axis``); differentiable in ``start``, ``stop`` and ``base``.

    Recorded as numpy computes it, ``power(base, linspace(start, stop, num, endpoint, axis=axis))``:
    sample i is base ** (start + t_i (stop - start)), whose derivative in start is
    (1 - t_i) ln(base) sample_i, in stop t_i ln(base) sample_i and in base y_i base ** (y_i - 1).
    An integer ``dtype`` gives a constant (numpy's cast). ``requires_grad`` (PyTorch's) makes a
    constant grid a leaf. torch.logspace(start, end, steps, base) gives the same values (its ends are
    numbers only); its positional order differs (base comes fourth there, endpoint here), so a
    fourth argument that is a number other than 0 or 1 raises a TypeError rather than be read as
    endpoint. ``steps`` and ``end`` are PyTorch's names for ``num`` and ``stop``.
    """
    check_device(device, "logspace")
    torch_only("logspace", layout, pin_memory)
    stop = torch_end(stop, end, "logspace")
    if steps is not None:
        num = steps
    if not isinstance(endpoint, (bool, np.bool_)) and endpoint not in (0, 1):
        # torch.logspace(start, end, steps, base): a base given fourth would silently be numpy's endpoint
        raise TypeError(
            f"logspace: endpoint (the fourth argument, numpy's order) must be a bool, got {endpoint!r}; "
            "pass PyTorch's base by keyword: logspace(start, stop, num, base=...)"
        )
    if not any(isinstance(a, Tensor) for a in (start, stop, base)):
        values = np.logspace(start, stop, _count(num, "logspace"), endpoint, base, dtype, axis)
        if dtype is None and DEFAULT[0] is not F64:  # PyTorch's: the default dtype, whatever the ends
            values = follow_default(values)
        return _leaf(values, requires_grad, "logspace")
    num = _count(num, "logspace")
    s, e = pair(start, stop, "logspace")
    if isinstance(base, (float, int)) or np.ndim(base) == 0:  # numpy's scalar base: power(base, y)
        y = linspace(s, e, num, endpoint, axis=axis)
        out = base**y if isinstance(base, Tensor) else y.__rpow__(base)
    else:  # an array of bases: each end and base given the broadcast rank, base a size-1 axis there
        b = base if isinstance(base, Tensor) else as_tensor(np.asarray(base))
        nd = len(np.broadcast_shapes(s.shape, e.shape, b.shape))
        s, e, b = (t.reshape((1,) * (nd - t.ndim) + t.shape) for t in (s, e, b))
        y = linspace(s, e, num, endpoint, axis=axis)
        (ax,) = normalize_axes(axis, nd + 1, "logspace", y.shape)
        out = b.reshape(b.shape[:ax] + (1,) + b.shape[ax:]) ** y
    if dtype is None or np.dtype(dtype) == out.dtype:
        return out
    return Tensor._const(out._data.astype(dtype)) if np.dtype(dtype).kind in "iub" else out.astype(dtype)


@op(family=_G, method=False)
def geomspace(
    start: Any,
    stop: Any,
    num: int = 50,
    endpoint: bool = True,
    dtype: Any = None,
    axis: int = 0,
    *,
    requires_grad: bool = False,
) -> Tensor:
    """``num`` samples from ``start`` to ``stop`` in geometric progression (numpy's geomspace: negative
    and complex ends too, the ends exactly ``start`` and ``stop``); differentiable in Tensor ends.

    Sample i is start ** (1 - t_i) stop ** t_i (numpy rotates start to the positive reals first,
    which changes no value), so its derivative is (1 - t_i) sample_i / start in start and
    t_i sample_i / stop in stop (conjugated for complex ends, PyTorch's convention). Ends of
    different real signs give numpy's NaN samples, and NaN gradients. An integer ``dtype`` gives a
    constant. PyTorch has no geomspace.
    """
    if not isinstance(start, Tensor) and not isinstance(stop, Tensor):
        values = np.geomspace(start, stop, _count(num, "geomspace"), endpoint, dtype, axis)
        if dtype is None and DEFAULT[0] is not F64:  # as linspace's
            values = follow_default(values)
        return _leaf(values, requires_grad, "geomspace")
    num = _count(num, "geomspace")
    s, e = pair(start, stop, "geomspace")
    if s.dtype.kind not in "fc":
        s, e = s.astype(np.float64), e.astype(np.float64)
    if np.any(s._data == 0) or np.any(e._data == 0):
        raise ValueError(
            f"geomspace: a geometric sequence cannot include zero (start of shape {s.shape}, stop of "
            f"shape {e.shape} hold a 0)"
        )
    try:
        data = np.geomspace(s._data, e._data, num, endpoint, None, axis)
    except ValueError:
        raise ValueError(
            f"geomspace: start of shape {s.shape} and stop of shape {e.shape} do not broadcast"
        ) from None
    t, ax, _ = _fractions(data, num, endpoint, axis, "geomspace")
    nd = data.ndim - 1  # the ends' broadcast rank; each end gets a size-1 axis at ``ax``
    shapes = tuple((1,) * (nd - x.ndim) + x.shape for x in (s, e))
    shapes = tuple(sh[:ax] + (1,) + sh[ax:] for sh in shapes)
    out = Tensor._make(data, (s, e), "geomspace", (t, ax, shapes))
    if dtype is None or np.dtype(dtype) == out.dtype:
        return out
    return Tensor._const(data.astype(dtype)) if np.dtype(dtype).kind in "iub" else out.astype(dtype)


@rule("geomspace")  # ctx = (t, axis, the ends' shapes with the sample axis): d/ds = (1 - t) out / s
@holomorphic
def _geomspace(F, g, out, xs, ctx, need):
    t, ax, (s_shape, e_shape) = ctx
    gs = (g * (1 - t) * out / xs[0].reshape(s_shape)).sum(axis=ax) if need[0] else None
    ge = (g * t * out / xs[1].reshape(e_shape)).sum(axis=ax) if need[1] else None
    return gs, ge
