"""scatter_reduce: PyTorch's scatter with a reduction (sum, prod, mean, amax, amin; ``include_self``),
values and gradients as PyTorch's (ties of amax/amin share the gradient; prod's at zeros exact)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import ShapeError
from .._zero_d import zero_d_as_one_element
from ..rules import rule
from ..tensor import Tensor
from ._args import as_tensor, refuse_complex
from ._decl import op
from .indexing import along_index, check_dim_index, int_index
from .scatter import _G, _no_index, _src_for

_IDENTITY = {"sum": 0, "mean": 0, "prod": 1}
_AT = {
    "sum": np.add.at,
    "mean": np.add.at,
    "prod": np.multiply.at,
    "amax": np.maximum.at,
    "amin": np.minimum.at,
}


def _identity(reduce: str, dtype: np.dtype) -> Any:
    if reduce in _IDENTITY:
        return _IDENTITY[reduce]
    if dtype.kind == "b":  # bool: amax is any, amin is all
        return reduce == "amin"
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    info = np.iinfo(dtype)  # the extremes themselves (-max would overflow an unsigned type)
    return info.min if reduce == "amax" else info.max


def _reduce_arrays(x: np.ndarray, index: tuple, src: np.ndarray, reduce: str, include_self: bool) -> tuple:
    """The forward on arrays: (result, count of values reduced into each position)."""
    data = x.copy()
    hit = np.zeros(x.shape, dtype=bool)
    hit[index] = True
    if not include_self:
        data[hit] = _identity(reduce, x.dtype)
    _AT[reduce](data, index, src)
    count = np.full(x.shape, 1 if include_self else 0, dtype=np.int64)
    np.add.at(count, index, 1)
    if reduce == "mean":
        safe = np.maximum(count, 1)
        data = data / safe.astype(data.dtype) if data.dtype.kind in "fc" else data // safe
    return data, count, hit


@op(family=_G, numpy=None)
@zero_d_as_one_element
def scatter_reduce(
    x: Any, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True
) -> Tensor:
    """PyTorch's scatter_reduce (sum, prod, mean, amax, amin) with its gradients: amax/amin split a
    tie equally among the tied values (and the input's own value when ``include_self``). Complex
    input: sum, prod and mean, as PyTorch computes them (with conjugate-Wirtinger gradients, which
    PyTorch does not provide); amax/amin refuse it, as PyTorch."""
    x = as_tensor(x)
    if reduce in ("amax", "amin"):
        for v in (x, src):  # an order is needed
            refuse_complex(v, "scatter_reduce", f"{reduce} needs an order (PyTorch refuses it too)")
    if reduce not in _AT:
        raise ShapeError(f"scatter_reduce: reduce must be one of {sorted(_AT)}, got {reduce!r}")
    idx = int_index(index, "scatter_reduce")
    if idx.size == 0:
        return _no_index(x, dim, "scatter_reduce", src)
    s = _src_for(idx, src, x, "scatter_reduce")
    d = check_dim_index(x, dim, idx, "scatter_reduce", s)
    where = along_index(idx, d, idx.shape)
    data, count, hit = _reduce_arrays(x._data, where, s._data, reduce, bool(include_self))
    return Tensor._make(
        data, (x, s), "scatter_reduce", (where, reduce, bool(include_self), count, hit, d, idx)
    )


def _reduce_op(x: Any, s: Any, ctx: tuple) -> Tensor:
    return scatter_reduce(x, ctx[5], ctx[6], s, ctx[1], include_self=ctx[2])


@rule("scatter_reduce")  # ctx = (index, reduce, include_self, count, hit, dim, torch's index)
def _scatter_reduce_rule(F, g, out, xs, ctx, need):
    where, reduce, include_self, count, hit, _, _ = ctx
    x, s = xs
    if reduce == "sum":
        gx, gs = g, g[where]
    elif reduce == "mean":
        n = np.maximum(count, 1).astype(g.dtype)
        gx, gs = g / n, g[where] / n[where]
    elif reduce in ("amax", "amin"):  # ties: the gradient is shared by every value equal to the result
        x_is = np.asarray(_data(x) == _data(out))
        s_is = np.asarray(_data(s) == _data(out)[where])
        shares = x_is.astype(g.dtype)
        np.add.at(shares, where, s_is)
        per = g / shares
        gx, gs = per * x_is, per[where] * s_is
    else:  # prod: d/dx_k of a product is the product of the others, found without dividing by 0
        x_zero = _data(x) == 0
        x_safe = np.where(x_zero, 1, _data(x))
        by_x = _reduce_arrays(x_safe, where, _data(s), "prod", include_self)[0]
        one = np.ones((), dtype=g.dtype)
        r_x = F.saved(by_x, lambda: _reduce_op(F.where(x_zero, one, x), s, ctx))
        cj = F.conj if np.iscomplexobj(_data(out)) else (lambda t: t)  # PyTorch's convention: g conj(f')
        gx = g * cj(r_x / F.where(x_zero, one, x))
        s_zero = _data(s) == 0
        zeros_at = np.zeros(count.shape, dtype=np.int64)
        np.add.at(zeros_at, where, s_zero)
        single = s_zero & (zeros_at[where] == 1)
        by_s = _reduce_arrays(_data(x), where, np.where(single, 1, _data(s)), "prod", include_self)[0]
        r_s = F.saved(by_s, lambda: _reduce_op(x, F.where(single, one, s), ctx))
        gs = F.where(single, (g * cj(r_s))[where], (g * cj(out))[where] / cj(F.where(s_zero, one, s)))
        if isinstance(g, Tensor) and (zeros_at > 1).any():  # create_graph: out / s is not its derivative
            from .._function_extras import error_on_backward  # (it imports the Function machinery)

            gs = error_on_backward(gs, _MANY_ZEROS)
    if not include_self:
        gx = gx * ~hit  # positions written by src do not depend on the input's value there
    return (gx if need[0] else None), (gs if need[1] else None)


def _data(t: Any) -> np.ndarray:
    """The numbers of a rule's argument, for masks only (piecewise constant: nothing to differentiate)."""
    return t._data if isinstance(t, Tensor) else t


_MANY_ZEROS = (
    "scatter_reduce(): Double backward is unsupported for src when >1 zeros in src are scattered to "
    "the same position in self"
)
