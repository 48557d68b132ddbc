"""Grids and derivatives on grids: linspace (differentiable in its ends) and numpy's gradient
(central differences inside, one-sided ones at the edges), with numpy's signatures."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import ShapeError, normalize_axes
from .._creation_out import creation_out
from .._default_dtype import DEFAULT, F64, follow_default
from .._device import check_device
from ..rules import rule
from ..tensor import Tensor, _check_float
from ._args import as_tensor, pair
from ._creation_args import torch_end, torch_only
from ._decl import op
from .joining import concatenate

_G = "numeric_grid"


def _fractions(data: np.ndarray, num: int, endpoint: bool, axis: int, name: str) -> tuple:
    """(t, ax, div): each sample's position in [0, 1] between the ends, shaped to broadcast along the
    samples' axis ``ax`` of ``data``, and the divisor numpy's grids use (linspace's and geomspace's rules)."""
    (ax,) = normalize_axes(axis, data.ndim, name, data.shape)
    div = num - 1 if endpoint else num
    t = (np.arange(num) / div if div > 0 else np.zeros(num)).astype(data.real.dtype)
    return t.reshape((num,) + (1,) * (data.ndim - ax - 1)), ax, div


@op(
    family=_G,
    method=False,
    differs="with an integer dtype torch truncates each value toward 0 where numpy (and autobp) floors "
    "it; numpy also takes dtype=bool, which torch refuses",
)
@creation_out("linspace")
def linspace(
    start: Any,
    stop: Any = None,
    num: int = 50,
    endpoint: bool = True,
    retstep: bool = False,
    dtype: Any = None,
    axis: int = 0,
    *,
    requires_grad: bool = False,
    device: Any = None,
    steps: int | None = None,
    end: Any = None,
    layout: Any = None,
    pin_memory: bool = False,
) -> Any:
    """``num`` evenly spaced values from ``start`` to ``stop`` (numpy's linspace: array ends give one
    grid per element, along ``axis``); differentiable in ``start`` and ``stop``.

    Sample i is start + (i / div) (stop - start) with div = num - 1 (num without ``endpoint``), so its
    gradient is (1 - i/div) g to start and (i/div) g to stop; ``retstep`` also returns the step
    (stop - start) / div (NaN when div is 0, as numpy's). Integer ``dtype``: no gradient (floored).
    ``requires_grad`` (PyTorch's) makes a constant grid a leaf; ``steps`` and ``end`` are PyTorch's
    names for ``num`` and ``stop``.
    """
    check_device(device, "linspace")
    torch_only("linspace", layout, pin_memory)
    stop = torch_end(stop, end, "linspace")
    if steps is not None:
        num = steps
    if isinstance(num, (int, np.integer)) and num < 0:
        _count(num)  # a negative count: numpy's ValueError and PyTorch's RuntimeError both
    if not isinstance(start, Tensor) and not isinstance(stop, Tensor):
        out = np.linspace(start, stop, num, endpoint, retstep, dtype, axis)
        samples = Tensor._const(out[0] if retstep else out)
        if dtype is None and DEFAULT[0] is not F64:  # PyTorch's: the default dtype, whatever the ends
            samples._data = follow_default(samples._data)
        if requires_grad:
            _check_float(samples._data, "linspace(requires_grad=True)")
            samples.requires_grad = True
        return (samples, out[1]) if retstep else samples
    num = _count(num)
    s, e = pair(start, stop, "linspace")
    if s.dtype.kind not in "fc":
        s, e = s.astype(DEFAULT[0]), e.astype(DEFAULT[0])
    try:
        data = np.linspace(s._data, e._data, num, endpoint, False, None, axis)
    except ValueError:
        raise ValueError(
            f"linspace: start of shape {s.shape} and stop of shape {e.shape} do not broadcast"
        ) from None
    t, ax, div = _fractions(data, num, endpoint, axis, "linspace")
    samples = Tensor._make(data, (s, e), "linspace", (t, ax))
    if dtype is not None and np.dtype(dtype) != samples.dtype:
        samples = (
            Tensor._const(data.astype(dtype)) if np.dtype(dtype).kind in "iub" else samples.astype(dtype)
        )
    if not retstep:
        return samples
    step = (e - s) / div if div > 0 else Tensor._const(np.full(np.broadcast_shapes(s.shape, e.shape), np.nan))
    return samples, step


def _count(num: Any, name: str = "linspace") -> int:
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)) or num < 0:
        raise ShapeError(f"{name}: num must be a non-negative integer, got {num!r}")  # numpy's ValueError,
        # PyTorch's RuntimeError ("number of steps must be non-negative")
    return int(num)


@rule("linspace")  # ctx = (t, axis): d sample_i / d start = 1 - t_i, d sample_i / d stop = t_i
def _linspace(F, g, out, xs, ctx, need):
    t, ax = ctx
    gs = (g * (1 - t)).sum(axis=ax) if need[0] else None
    ge = (g * t).sum(axis=ax) if need[1] else None
    return gs, ge


# --- numpy.gradient ------------------------------------------------------------------------------
def _ndim(x: Any) -> int:
    return x.ndim if isinstance(x, Tensor) else np.ndim(x)


def _take(f: Tensor, ax: int, sl: slice) -> Tensor:
    return f[(slice(None),) * ax + (sl,)]


def _along(c: Any, ax: int, ndim: int) -> Any:
    """A per-position coefficient (1-d, along ``ax``) shaped to broadcast against the samples."""
    return c.reshape((-1,) + (1,) * (ndim - ax - 1)) if _ndim(c) == 1 else c


def _spacings(varargs: tuple, f: Tensor, axes: tuple) -> list:
    """One spacing per axis: a number (uniform grid) or the 1-d differences of the coordinates."""
    n = len(varargs)
    if n == 0:
        return [1.0] * len(axes)
    if n == 1 and _ndim(varargs[0]) == 0:
        return [varargs[0]] * len(axes)
    if n != len(axes):
        raise TypeError(
            f"gradient: {n} spacing arguments for {len(axes)} axes {axes}; give 0, 1 or {len(axes)}"
        )
    out = []
    for d, ax in zip(varargs, axes):
        if _ndim(d) == 0:
            out.append(d)
            continue
        d = as_tensor(d)
        if d.ndim != 1:
            raise ValueError(
                f"gradient: distances must be either scalars or 1d coordinates, got shape {d.shape}"
            )
        if d.shape[0] != f.shape[ax]:
            raise ValueError(
                f"gradient: coordinates of length {d.shape[0]} for axis {ax} of length {f.shape[ax]} "
                f"(shape {f.shape})"
            )
        if d.dtype.kind not in "fc":
            d = d.astype(np.float64)
        diffs = d[1:] - d[:-1]
        # equal differences: numpy's uniform formulas (not for coordinates being differentiated,
        # whose derivative is the non-uniform formula's even at a uniform grid)
        uniform = not d.requires_grad and diffs.shape[0] > 0 and bool(np.all(diffs._data == diffs._data[0]))
        out.append(diffs[0] if uniform else diffs)
    return out


def _along_axis(f: Tensor, ax: int, h: Any, edge_order: int) -> Tensor:
    """numpy's second-order accurate differences along ``ax``: central inside, one-sided
    (first or second order) at the two ends; ``h`` is the spacing or the coordinates' differences."""
    nd, take = f.ndim, lambda sl: _take(f, ax, sl)
    if _ndim(h) == 0:  # uniform grid
        inside = (take(slice(2, None)) - take(slice(None, -2))) / (2.0 * h)
        if edge_order == 1:
            first = (take(slice(1, 2)) - take(slice(0, 1))) / h
            last = (take(slice(-1, None)) - take(slice(-2, -1))) / h
        else:  # (-3/2 f0 + 2 f1 - 1/2 f2) / h, coefficients first as numpy rounds them
            first = (
                (-1.5 / h) * take(slice(0, 1))
                + (2.0 / h) * take(slice(1, 2))
                + (-0.5 / h) * take(slice(2, 3))
            )
            last = (
                (0.5 / h) * take(slice(-3, -2))
                + (-2.0 / h) * take(slice(-2, -1))
                + (1.5 / h) * take(slice(-1, None))
            )
        return concatenate([first, inside, last], axis=ax)
    # non-uniform: the derivative at x_i of the parabola through three neighbouring samples
    h1, h2 = _along(h[:-1], ax, nd), _along(h[1:], ax, nd)
    a = -h2 / (h1 * (h1 + h2))
    b = (h2 - h1) / (h1 * h2)
    c = h1 / (h2 * (h1 + h2))
    inside = a * take(slice(None, -2)) + b * take(slice(1, -1)) + c * take(slice(2, None))
    if edge_order == 1:
        first = (take(slice(1, 2)) - take(slice(0, 1))) / h[0]
        last = (take(slice(-1, None)) - take(slice(-2, -1))) / h[-1]
    else:
        d1, d2 = h[0], h[1]
        a, b, c = -(2.0 * d1 + d2) / (d1 * (d1 + d2)), (d1 + d2) / (d1 * d2), -d1 / (d2 * (d1 + d2))
        first = a * take(slice(0, 1)) + b * take(slice(1, 2)) + c * take(slice(2, 3))
        d1, d2 = h[-2], h[-1]
        a, b, c = d2 / (d1 * (d1 + d2)), -(d2 + d1) / (d1 * d2), (2.0 * d2 + d1) / (d2 * (d1 + d2))
        last = a * take(slice(-3, -2)) + b * take(slice(-2, -1)) + c * take(slice(-1, None))
    return concatenate([first, inside, last], axis=ax)


@op(family=_G, rules=("getitem", "sub", "mul", "div", "concatenate"), method=False)
def gradient(
    f: Any, *varargs: Any, axis: Any = None, edge_order: int = 1, spacing: Any = None, dim: Any = None
) -> Any:
    """The derivative of sampled values along each axis (numpy's gradient): second-order central
    differences inside, first- or second-order (``edge_order``) one-sided differences at the ends.

    ``varargs``: none (unit spacing), one number for every axis, or one entry per axis, each a
    number or the 1-d coordinates of the samples. One axis gives a Tensor, several a tuple of them.
    PyTorch's spelling ``gradient(f, spacing=, dim=)`` (spacing: one number, or a list of numbers or
    of coordinate Tensors, one per dim) always gives a tuple, as torch.gradient does.
    Linear in ``f``, so differentiable to any order; coordinates given as Tensors are too.
    """
    if spacing is not None or dim is not None:
        if varargs or axis is not None:
            raise TypeError("gradient: give numpy's varargs/axis= or PyTorch's spacing=/dim=, not both")
        if spacing is not None:
            varargs = tuple(spacing) if isinstance(spacing, (list, tuple)) else (spacing,)
        got = gradient(f, *varargs, axis=dim, edge_order=edge_order)
        return got if isinstance(got, tuple) else (got,)
    f = as_tensor(f)
    if f.dtype == np.bool_:  # numpy's refusal (its differences would be a boolean subtract)
        raise TypeError(f"gradient: boolean samples (shape {f.shape}) cannot be differenced; cast them first")
    if f.dtype.kind not in "fc":
        f = f.astype(np.float64)  # numpy's result is float64 for integer samples
    if edge_order not in (1, 2):
        raise ValueError(f"gradient: edge_order must be 1 or 2, got {edge_order!r}")
    if f.ndim == 0:
        raise ValueError("gradient: a 0-d tensor has no axis to differentiate along")
    given = axis if isinstance(axis, (tuple, list)) else (axis,)
    # in the order given, as numpy's (one derivative per listed axis, in that order)
    axes = (
        tuple(range(f.ndim))
        if axis is None
        else tuple(normalize_axes(a, f.ndim, "gradient", f.shape)[0] for a in given)
    )
    if len(set(axes)) != len(axes):
        raise ValueError(f"gradient: repeated axis in {axis!r}")
    outs = []
    for ax, h in zip(axes, _spacings(varargs, f, axes)):
        if f.shape[ax] < edge_order + 1:
            raise ValueError(
                f"gradient: axis {ax} of shape {f.shape} has {f.shape[ax]} samples; edge_order={edge_order} "
                f"needs at least {edge_order + 1}"
            )
        outs.append(_along_axis(f, ax, h, edge_order))
    return outs[0] if len(outs) == 1 else tuple(outs)
