"""numpy's piecewise-linear ``interp``, differentiable in the points ``x``, the knots ``xp`` and the
values ``fp`` (and in ``left``/``right`` where they are Tensors): built from indexing, arithmetic and
``where`` with a constant segment index, so every order of derivative comes from their rules."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .elementwise import where

_I = "interpolation"


def _float(t: Tensor, real: np.dtype, name: str, complex_ok: bool) -> Tensor:
    """``t`` in the working precision ``real`` (complex of it for complex values)."""
    if t.dtype.kind == "c" and not complex_ok:
        raise TypeError(f"interp: {name} must be real, got dtype {t.dtype} (shape {t.shape})")
    dt = np.result_type(real, np.complex64) if t.dtype.kind == "c" else real
    return t if t.dtype == dt else t.astype(dt)


def _precision(*ts: Tensor) -> np.dtype:
    """numpy's interp computes in float64; float32 (complex64) inputs alone stay float32 here, as
    autobp keeps float32 everywhere (numpy would return float64)."""
    if all(t.dtype in (np.float32, np.complex64) for t in ts):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def _periodic(x: Tensor, xp: Tensor, fp: Tensor, period: Any) -> tuple:
    """numpy's ``period=``: x and xp taken modulo the period, xp sorted (fp with it), and one knot
    added at each end from the other end shifted by a period, so the interpolant wraps around."""
    from .binary import remainder
    from .joining import concatenate

    period = as_tensor(period)
    if period.ndim != 0:
        raise ValueError(f"interp: period must be a number, got shape {period.shape}")
    p = float(period._data)
    if p == 0:
        raise ValueError("interp: period must be a non-zero value")
    p = abs(p)
    x, xp = remainder(x, p), remainder(xp, p)
    order = np.argsort(xp._data, kind="stable")
    xp, fp = xp[order], fp[order]
    xp = concatenate([xp[-1:] - p, xp, xp[:1] + p])
    fp = concatenate([fp[-1:], fp, fp[:1]])
    return x, xp, fp


def _numpy_form(x: Tensor, x0: Tensor, x1: Tensor, f0: Tensor, f1: Tensor, width: Tensor) -> Tensor:
    """numpy's own formula for real values: slope (x - xp[j]) + fp[j]; if NaN, slope (x - xp[j+1]) +
    fp[j+1]; if NaN again and both ends have the same value, that value; a knot's value at it."""
    first = (f1 - f0) / width * (x - x0) + f0
    second = (f1 - f0) / width * (x - x1) + f1
    same = np.isnan(second._data) & (f0._data == f1._data)
    val = where(np.isnan(first._data), where(same, f0, second), first)
    return where(x._data == x0._data, f0, where(x._data == x1._data, f1, val))  # x1: only at xp[-1]


def _non_finite(
    x: Tensor, x0: Tensor, x1: Tensor, f0: Tensor, f1: Tensor, width: Tensor, inner: Tensor
) -> Tensor:
    """numpy's values in the segments with an infinite or NaN knot or value (numpy's formula, its
    real and imaginary parts apart for complex values); elsewhere ``inner``."""
    from .complex_parts import from_parts, imag, real

    odd = ~(np.isfinite(x0._data) & np.isfinite(x1._data) & np.isfinite(f0._data) & np.isfinite(f1._data))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if f0.dtype.kind == "c":
            re_part = _numpy_form(x, x0, x1, real(f0), real(f1), width)
            im_part = _numpy_form(x, x0, x1, imag(f0), imag(f1), width)
            val = from_parts(re_part, im_part)  # not re + im * 1j: inf * 1j has a NaN real part
        else:
            val = _numpy_form(x, x0, x1, f0, f1, width)
        val = where(np.isnan(x._data), x, val)  # numpy's: a NaN point gives NaN (+0j)
        return where(odd, val, inner)


@op(family=_I, rules=("getitem", "sub", "div", "mul", "add", "where", "astype"), method=False)
def interp(x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None, period: Any = None) -> Tensor:
    """One-dimensional piecewise-linear interpolation of the points (xp, fp) at x (numpy's interp).

    Values are numpy's (float64, or complex128 for complex ``fp``; float32 inputs stay float32,
    where numpy would widen them): below ``xp[0]`` ``left``
    (default ``fp[0]``), above ``xp[-1]`` ``right`` (default ``fp[-1]``), a knot's own value at a
    knot; ``period=`` wraps x and xp as numpy does (``left``/``right`` are then ignored).

    Gradients: x lies in the segment [xp[j], xp[j+1]) with j the last knot <= x (the last segment
    is closed), and the value is (1 - t) fp[j] + t fp[j+1], t = (x - xp[j]) / (xp[j+1] - xp[j]).
    So d/dfp is (1 - t, t), d/dxp[j] = slope (t - 1), d/dxp[j+1] = -slope t, and d/dx is that
    segment's slope. At an interior knot the derivative in x is therefore the slope of the segment
    to its RIGHT (the one numpy evaluates there; the one-sided derivative PyTorch users know from
    floor-based linear interpolation such as grid_sample), at xp[-1] the last segment's slope.
    Outside [xp[0], xp[-1]] the value is left/right, so the gradient in x is 0 and flows to
    ``left``/``right`` (which may be Tensors) or, by default, to fp[0] / fp[-1].
    """
    x, xp, fp = as_tensor(x), as_tensor(xp), as_tensor(fp)
    if xp.ndim != 1 or fp.ndim != 1:
        raise ValueError(f"interp: xp and fp must be 1-d, got shapes {xp.shape} and {fp.shape}")
    if xp.shape[0] != fp.shape[0]:
        raise ValueError(f"interp: fp and xp are not of the same length ({fp.shape[0]} and {xp.shape[0]})")
    if xp.shape[0] == 0:
        raise ValueError("interp: array of sample points (xp) is empty")
    real = _precision(x, xp, fp)
    x, xp, fp = _float(x, real, "x", False), _float(xp, real, "xp", False), _float(fp, real, "fp", True)
    if period is not None:
        x, xp, fp = _periodic(x, xp, fp, period)
        left = right = None
    n = xp.shape[0]
    lo = fp[0] if left is None else _float(as_tensor(left), real, "left", True)
    hi = fp[-1] if right is None else _float(as_tensor(right), real, "right", True)
    if n == 1:  # one knot: its value at it, left/right on either side
        inner = fp[0] + x * 0
    else:
        xd, kd = x._data, xp._data
        j = np.clip(np.searchsorted(kd, xd, side="right") - 1, 0, n - 2)  # constant: no gradient
        x0, x1, f0, f1 = xp[j], xp[j + 1], fp[j], fp[j + 1]
        width = x1 - x0
        flat = width._data == 0  # a repeated knot (only reached at x == xp[-1]): numpy gives fp[-1]
        if flat.any():
            width = where(flat, 1.0, width)
        t = (x - x0) / width
        with np.errstate(invalid="ignore"):  # inf * 0 beside a non-finite value: replaced below
            inner = (1 - t) * f0 + t * f1  # exact at t = 0 and t = 1, as numpy's knot values
        if flat.any():
            inner = where(flat, f1, inner)
        finite = np.isfinite(kd).all() and np.isfinite(fp._data).all()
        if not finite:  # infinite or NaN knots or values: numpy's formula and fallbacks there
            inner = _non_finite(x, x0, x1, f0, f1, width, inner)
    xd = x._data
    with np.errstate(invalid="ignore"):
        below, above = xd < xp._data[0], xd > xp._data[-1]
    out = where(below, lo, where(above, hi, inner))
    return out if out.dtype == inner.dtype else out.astype(inner.dtype)
