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


def _unary(x: Any, fn: Any, name: str) -> Tensor:
    x = as_tensor(x)
    refuse_complex(x, name)  # numpy rounds both parts (and its sign is z/|z|): PyTorch refuses
    return _one(x, fn, name)


@op(family=_M, differs="torch.sign(nan) is 0; numpy's sign (and this one) keeps NaN")
def sign(x: Any) -> Tensor:
    """-1, 0 or 1 by the sign of x (NaN stays NaN, as numpy's); the gradient is 0, at 0 too."""
    return _unary(x, np.sign, "sign")


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
def fix(x: Any) -> Tensor:
    """x rounded toward zero (numpy's fix, PyTorch's alias of trunc); the gradient is 0."""
    return _unary(x, np.fix, "trunc")


@op(family=_M)
def round(a: Any, decimals: int = 0) -> Tensor:  # noqa: A001
    """a rounded to ``decimals`` places, halves to even (numpy and torch.round); the gradient is 0."""
    return _unary(a, lambda v: np.round(v, decimals), "round")


@op(family=_M, rules=("round",), method=False)
def around(a: Any, decimals: int = 0) -> Tensor:
    """numpy's older name of ``round``."""
    return round(a, decimals)


@op(family=_M, rules=("round",), method=False)
def rint(x: Any) -> Tensor:
    """x rounded to the nearest integer, halves to even (numpy's rint; torch.round); the gradient is 0."""
    return _unary(x, np.rint, "round")


def _piecewise_constant(F, g, out, xs, ctx, need):
    return (zeros_for(g),)


for _name in ("sign", "floor", "ceil", "trunc", "round"):
    rule(_name)(_piecewise_constant)
