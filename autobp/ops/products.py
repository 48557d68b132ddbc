"""Matrix products: matmul (``@``) with numpy's rules for 1-D, 2-D and batched operands."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._autocast import lower as _autocast_lower
from .._autocast import on_threads as _autocast_threads
from .._autocast import state as _autocast
from .._broadcast import ShapeError
from .._graph import _mode, hooks, next_seq, off_threads
from ..rules import rule
from ..tensor import Tensor, _lift
from ._args import pair
from ._decl import op
from ._deferral import defers_to

# np.dot of two 2-D float64 (or float32) arrays that own their memory (so C- or F-contiguous and
# aligned, as are their transposes) is the same BLAS product as np.matmul, bit for bit, with a third
# less dispatch around it (a small net's layers pay that per product, forward and back). Other layouts
# (strided views) keep np.matmul: there the two functions may sum in different orders.
_DOT_TYPES = (np.dtype(np.float64), np.dtype(np.float32))
_new = object.__new__


def _blas_pair(x: np.ndarray, y: np.ndarray) -> bool:
    """True when ``x`` and ``y`` (or their transposes) may go to np.dot instead of np.matmul."""
    return (
        x.base is None
        and y.base is None
        and x.ndim == 2
        and y.ndim == 2
        and x.dtype is y.dtype
        and x.dtype in _DOT_TYPES
    )


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    if _autocast_threads and _autocast.enabled:  # autobp.autocast: float32 operands to float16
        a, b = _autocast_lower(a, b)
    try:
        x, y = a._data, b._data
        data = np.dot(x, y) if _blas_pair(x, y) else np.matmul(x, y)
    except ValueError:
        if a.ndim == 0 or b.ndim == 0:
            raise ShapeError(
                f"matmul: operands must be at least 1-D, got shapes {a.shape} and {b.shape}"
            ) from None
        ka = a.shape[-1]
        kb = b.shape[-2] if b.ndim > 1 else b.shape[0]
        why = f"{ka} != {kb}" if ka != kb else "batch dimensions do not broadcast"
        raise ShapeError(f"matmul: shapes {a.shape} and {b.shape} do not align ({why})") from None
    if (
        (a.requires_grad or b.requires_grad)
        and (not off_threads or _mode.enabled)
        and type(data) is np.ndarray
        and hooks.on_make is None
    ):  # Tensor._make's usual case written out: on a small net the call is a sixth of the op's cost
        t = _new(Tensor)
        t._data = data
        t.requires_grad = True
        t._parents = (a, b)
        t._op = "matmul"
        t._ctx = None
        t._retains_grad = False
        t._seq = next_seq()
        t._same = False
        return t
    return Tensor._make(data, (a, b), "matmul")


def _matmul_method(self: Tensor, other: Any) -> Tensor:
    if type(other) is Tensor:
        return _matmul(self, other)
    if defers_to(other, "__matmul__"):  # a class of its own with __rmatmul__: Python asks it
        return NotImplemented
    return _matmul(self, _lift(other, self, "matmul"))


def _rmatmul_method(self: Tensor, other: Any) -> Tensor:
    if defers_to(other, "__rmatmul__"):
        return NotImplemented
    return _matmul(_lift(other, self, "matmul"), self)


_matmul_method.checks_operand = _rmatmul_method.checks_operand = True  # type: ignore[attr-defined]


DUNDERS = {"__matmul__": _matmul_method, "__rmatmul__": _rmatmul_method}


@op(family="products", method=False)
def matmul(a: Any, b: Any) -> Tensor:
    """a @ b with numpy's rules: 1-D operands are promoted then squeezed, leading axes broadcast."""
    return _matmul(*pair(a, b, "matmul"))


@rule("matmul")  # numpy's rules: 1-D operands are promoted, then squeezed
def _matmul_rule(F, g, out, xs, ctx, need):
    a, b = xs
    dt = out.dtype
    if dt not in _DOT_TYPES and dt.kind == "c":  # bilinear: each input's gradient uses the other's conjugate
        a, b = F.conj(a), F.conj(b)
    ga = gb = None
    if a.ndim == 2 and b.ndim == 2:  # the common case, without the general machinery
        if (  # _blas_pair's test, written out for the three arrays (each attribute read costs)
            type(g) is np.ndarray
            and g.ndim == 2
            and a.base is None
            and b.base is None
            and g.base is None
            and a.dtype is dt
            and b.dtype is dt
            and g.dtype is dt
            and dt in _DOT_TYPES
        ):
            return (np.dot(g, b.T) if need[0] else None), (np.dot(a.T, g) if need[1] else None)
        return (g @ b.T if need[0] else None), (a.T @ g if need[1] else None)
    if a.ndim == 1 and b.ndim == 1:
        return (g * b if need[0] else None), (g * a if need[1] else None)
    if a.ndim == 1:  # (k) @ (..., k, m) -> (..., m)
        if need[0]:
            ga = (F.expand_dims(g, -2) @ b.swapaxes(-1, -2)).squeeze(-2)
        if need[1]:
            gb = F.expand_dims(a, -1) @ F.expand_dims(g, -2)
        return ga, gb
    if b.ndim == 1:  # (..., n, k) @ (k) -> (..., n)
        if need[0]:
            ga = F.expand_dims(g, -1) @ F.expand_dims(b, -2)
        if need[1]:
            gb = (a.swapaxes(-1, -2) @ F.expand_dims(g, -1)).squeeze(-1)
        return ga, gb
    if need[0]:
        ga = g @ b.swapaxes(-1, -2)
    if need[1]:
        gb = a.swapaxes(-1, -2) @ g
    return ga, gb
