"""numpy's ``initial=`` and ``where=`` of sum, prod, max/amax, min/amin, any and all.

sum and prod are compositions (the unselected elements replaced by the identity, then the usual
reduction, then ``initial`` combined in), so they differentiate to any order; their value is numpy's.
max and min take numpy's value and give the gradient, shared equally, to the selected elements equal
to the result (none when ``initial`` alone is the extreme); a ``where=`` mask needs ``initial=``, as
numpy requires."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import reduction_ctx
from ..tensor import Tensor
from .reduction_keywords import _mask


def _scalar_initial(initial: Any, name: str) -> Any:
    value = initial._data if isinstance(initial, Tensor) else initial
    if np.ndim(value) != 0:
        raise ValueError(f"{name}: initial= must be a scalar, got an array of shape {np.shape(value)}")
    return value.item() if isinstance(value, (np.ndarray, np.generic)) else value


def sum_or_prod(
    x: Tensor, axes: tuple, keepdims: bool, initial: Any, where: Any, name: str, dtype: Any = None
) -> Tensor:
    """numpy's sum/prod(x, axis, initial=, where=): the selected elements reduced, then ``initial``
    added (multiplied) in; the result keeps the dtype the plain reduction has."""
    from .elementwise import where as select

    identity = 0 if name == "sum" else 1
    data, mask = x._data, True
    if where is not True:
        mask = _mask(x, where)
        x = select(Tensor._const(mask), x, identity)
    kept = None if dtype is None else x.dtype  # dtype= given: the sum stays in it
    reduced = (
        x.sum(axes, keepdims, dtype=kept) if name == "sum" else x.prod(axes, dtype=kept, keepdims=keepdims)
    )
    init = None if initial is None else _scalar_initial(initial, name)
    if init is None and mask is True:
        return reduced
    out = reduced if init is None else reduced + init if name == "sum" else reduced * init
    if out.dtype != reduced.dtype:
        out = out.astype(reduced.dtype)
    # The graph above gives the gradient; the value is numpy's own reduction, which starts its
    # accumulation at ``initial`` and skips unselected elements: the same number up to the order of
    # the additions (the sign of a zero sum, the last bits). No rule on the path from ``reduced``
    # (add or multiply by a constant, a cast) reads its output, so the value can be numpy's.
    ufunc = np.add if name == "sum" else np.multiply
    extras = {} if init is None else {"initial": init}
    exact = ufunc.reduce(data, axis=axes, dtype=out.dtype, keepdims=keepdims, where=mask, **extras)
    if out is reduced:  # where= alone: a node whose rule reads no output takes the value (prod's reads it)
        out = reduced * 1
    out._data = np.asarray(exact, dtype=out.dtype).reshape(out._data.shape)
    return out


def extreme(x: Tensor, axes: tuple, keepdims: bool, initial: Any, where: Any, rule: str, name: str) -> Tensor:
    """numpy's max/min(x, axis, initial=, where=), recorded with the max/min rule."""
    fn = np.max if rule == "max" else np.min
    extras: dict = {}
    if initial is not None:
        extras["initial"] = _scalar_initial(initial, name)
    if where is not True:
        if initial is None:
            raise ValueError(
                f"{name}: a where= mask needs initial= (the {rule}imum has no identity), as numpy requires"
            )
        extras["where"] = _mask(x, where)
    data = x._data
    value = np.asarray(fn(data, axis=axes, keepdims=keepdims, **extras))
    kept = fn(data, axis=axes, keepdims=True, **extras)
    hit = data == kept
    if where is not True:
        hit = hit & extras["where"]
    share_dtype = data.dtype if data.dtype.kind == "f" else np.float64
    share = (hit / np.maximum(hit.sum(axis=axes, keepdims=True), 1)).astype(share_dtype)
    return Tensor._make(value, (x,), rule, reduction_ctx(axes, keepdims, x.shape, share))


def logical(data: np.ndarray, fn: Any, axes: tuple, keepdims: bool, where: Any, x: Tensor) -> np.ndarray:
    """numpy's any/all with where= (unselected elements count as False for any, True for all)."""
    return fn(data, axis=axes, keepdims=keepdims, where=_mask(x, where))
