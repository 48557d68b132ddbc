"""Rounding and sign: sign, floor, ceil, trunc, fix, round; piecewise constant, so their gradient
is 0 everywhere, at the jumps too (PyTorch's choice)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..rules import rule
from ..tensor import Tensor
from ._args import as_tensor, refuse_complex, zeros_for
from ._args import unary_op as _one
from ._decl import op

_M = "rounding"


def _unary(x: Any, fn: Any, name: str, complex_ok: bool = False) -> Tensor:
    x = as_tensor(x)
    if not complex_ok:  # floor, ceil, trunc, fix of a complex number: numpy refuses too
        refuse_complex(x, name)
    return _one(x, fn, name)


def _complex_sign(z: Tensor) -> Tensor:
    """numpy 2's sign of complex z: z / |z| (0 at 0), differentiable (torch.sgn's gradient); parts
    divided apart so signed zeros stay (sign(-0+1j) = -0+1j), and numpy's values where a part is
    infinite: sign(+-inf + y j) = +-1, sign(x +- inf j) = +-1j (y, x finite or NaN), NaN where both are."""
    from .complex_parts import from_parts, imag, real
    from .elementwise import abs as _abs
    from .elementwise import where

    re, im = real(z), imag(z)
    r = _abs(z)
    plain = (r != 0) & np.isfinite(r._data)
    safe = where(plain, r, 1.0)
    out = from_parts(where(plain, re / safe, 0.0), where(plain, im / safe, 0.0), z.dtype)
    re_inf, im_inf = np.isinf(re._data), np.isinf(im._data)
    special = np.zeros(z.shape, z.dtype)
    special.real = np.where(re_inf & ~im_inf, np.sign(re._data), 0.0)
    special.imag = np.where(im_inf & ~re_inf, np.sign(im._data), 0.0)
    special[np.isnan(r._data) | (re_inf & im_inf)] = complex(np.nan, np.nan)
    return where(plain, out, Tensor._const(special))


@op(
    family=_M,
    differs="torch.sign(nan) is 0 and torch.sign refuses complex; numpy's sign (and this one) keeps "
    "NaN and gives z / |z| for complex z (torch.sgn)",
)
def sign(x: Any) -> Tensor:
    """-1, 0 or 1 by the sign of x (NaN stays NaN, as numpy's); the gradient is 0, at 0 too.
    Complex z: z / |z| (0 at 0), numpy 2's meaning, with torch.sgn's gradient; a boolean x is
    returned as it is (PyTorch's; numpy refuses booleans)."""
    x = as_tensor(x)
    if x.dtype == np.bool_:  # PyTorch's sign of a boolean is itself (numpy refuses it)
        return Tensor._const(x._data.copy())
    return _complex_sign(x) if x.dtype.kind == "c" else _unary(x, np.sign, "sign")


@op(family=_M)
def floor(x: Any) -> Tensor:
    """Largest integer <= x, elementwise; the gradient is 0 (PyTorch's choice)."""
    return _unary(x, np.floor, "floor")


@op(family=_M)
def ceil(x: Any) -> Tensor:
    """Smallest integer >= x, elementwise; the gradient is 0 (PyTorch's choice)."""
    return _unary(x, np.ceil, "ceil")


@op(family=_M)
def trunc(x: Any) -> Tensor:
    """x rounded toward zero, elementwise; the gradient is 0 (PyTorch's choice)."""
    return _unary(x, np.trunc, "trunc")


@op(family=_M, rules=("trunc",))
def fix(x: Any, out: Any = None) -> Tensor:
    """x rounded toward zero (numpy's fix, PyTorch's alias of trunc); the gradient is 0. ``out``:
    numpy's array (or Tensor) to write the result into."""
    from .._ufunc_keywords import write_out

    return write_out(_unary(x, np.fix, "trunc"), out, "fix")


@op(family=_M)
def round(a: Any, decimals: int = 0, out: Any = None) -> Tensor:  # noqa: A001
    """a rounded to ``decimals`` places, halves to even (numpy and torch.round); the gradient is 0.
    ``out``: numpy's array (or Tensor) to write the result into."""
    from .._ufunc_keywords import write_out

    result = _unary(a, lambda v: np.round(v, decimals), "round", complex_ok=True)  # numpy: both parts
    return write_out(result, out, "round")


@op(family=_M, rules=("round",), method=False)
def around(a: Any, decimals: int = 0, out: Any = None) -> Tensor:
    """numpy's older name of ``round``."""
    return round(a, decimals, out)


@op(family=_M, rules=("round",), method=False)
def rint(x: Any) -> Tensor:
    """x rounded to the nearest integer, halves to even (numpy's rint; torch.round); the gradient is 0.
    Complex: both parts rounded, as numpy's."""
    return _unary(x, np.rint, "round", complex_ok=True)


def _piecewise_constant(F, g, out, xs, ctx, need):
    return (zeros_for(g),)


for _name in ("sign", "floor", "ceil", "trunc", "round"):
    rule(_name)(_piecewise_constant)
