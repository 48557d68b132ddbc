"""Selection: numpy's partition and argpartition (the k-th values moved to their sorted places) and
select (the first true condition's choice, elementwise). Values are differentiable; each one's
gradient goes back to the element it came from."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from ._args import as_tensor, pair
from ._decl import op
from .elementwise import where
from .sorting import _sort_axis, gathered, stable_order

_S = "selection"


def _kths(kth: Any, n: int, name: str, shape: tuple) -> tuple:
    ks = np.atleast_1d(np.asarray(kth._data if isinstance(kth, Tensor) else kth))
    if ks.dtype.kind not in "iu" or ks.ndim != 1:
        raise TypeError(f"{name}: kth must be an integer or a sequence of integers, got {kth!r}")
    for k in ks:
        if n and not -n <= k < n:  # numpy accepts any kth along an empty axis (nothing to partition)
            raise ValueError(f"{name}: kth={int(k)} is out of bounds for an axis of size {n} (shape {shape})")
    return tuple(int(k) for k in ks)


def _check_kind(kind: str, order: Any, name: str) -> None:
    if not isinstance(kind, (str, bytes)):  # numpy's TypeError for a kind of the wrong type
        raise TypeError(f"{name}: kind must be a str, got {type(kind).__name__}")
    if kind != "introselect":
        raise ValueError(f"{name}: kind must be 'introselect', got {kind!r}")
    if order is not None:
        raise TypeError(f"{name}: order= (fields of structured arrays) is not supported")


@op(family=_S, rules=("sort",), method=False)
def partition(a: Any, kth: Any, axis: Any = -1, kind: str = "introselect", order: Any = None) -> Tensor:
    """A copy of ``a`` with the element that would be at index ``kth`` of the sorted axis moved there,
    smaller ones before it and larger ones after (numpy's partition; ``kth`` may be a sequence).

    numpy leaves the order within each side unspecified; autobp's result is the stable sort along
    the axis, one arrangement that satisfies every ``kth`` at once. Each value's gradient goes to the
    element it came from; equal values keep their input order (torch.sort's stable choice).
    """
    _check_kind(kind, order, "partition")
    x, ax = _sort_axis(as_tensor(a), axis, None, "partition")
    _kths(kth, x.shape[ax], "partition", x.shape)
    return gathered(x, stable_order(x._data, ax), ax, "sort")


@op(family=_S, differentiable=False, method=False)
def argpartition(a: Any, kth: Any, axis: Any = -1, kind: str = "introselect", order: Any = None) -> Tensor:
    """Indices that partition ``a`` along ``axis`` around ``kth`` (numpy's argpartition; int64, no
    gradient): the stable argsort, which is one valid answer and the one ``partition`` uses."""
    _check_kind(kind, order, "argpartition")
    x, ax = _sort_axis(as_tensor(a), axis, None, "argpartition")
    _kths(kth, x.shape[ax], "argpartition", x.shape)
    return Tensor._const(stable_order(x._data, ax).astype(np.int64))


def _operand(x: Any) -> Any:
    """x as numpy's promotion sees it: Python numbers stay weakly typed (0 next to float32)."""
    if isinstance(x, Tensor):
        return x._data
    return x if isinstance(x, (bool, int, float, complex, np.generic, np.ndarray)) else np.asarray(x)


@op(
    family=_S,
    rules=("where",),
    method=False,
    differs="torch.select(x, dim, i) takes index i along dim; autobp's select is numpy's "
    "select(condlist, choicelist) (the Tensor method t.select(dim, i) is PyTorch's)",
)
def select(condlist: Any, choicelist: Any, default: Any = 0) -> Tensor:
    """Elementwise, the entry of the first choice whose condition is true, else ``default``
    (numpy's select; conditions are boolean, everything broadcasts together).

    Differentiable in the choices and ``default``: each gets the gradient where it was picked.
    """
    conds, choices = list(condlist), list(choicelist)
    if len(conds) != len(choices):
        raise ValueError(
            f"select: condlist and choicelist must have the same length, got {len(conds)} and {len(choices)}"
        )
    if not choices:
        raise ValueError("select: condlist and choicelist must not be empty")
    for i, c in enumerate(conds):
        dt = (c._data if isinstance(c, Tensor) else np.asarray(c)).dtype
        if dt.kind != "b":
            raise TypeError(f"select: condlist entry {i} must be boolean, got dtype {dt}")
    # numpy's result dtype is that of every choice and the default together
    dtype = np.result_type(*(_operand(x) for x in [*choices, default]))
    out = default
    for c, choice in zip(reversed(conds), reversed(choices)):  # the first true condition wins
        choice, out = pair(choice, out, "select")
        out = where(c, choice, out)
    out = as_tensor(out)
    if out.dtype != dtype:
        out = out.astype(dtype)
    return out


def _partition_method(
    self: Tensor, kth: Any, axis: Any = -1, kind: str = "introselect", order: Any = None
) -> None:
    """numpy's ``a.partition(kth, axis)``: ``a`` partitioned in place (the values ``partition``
    returns, written as an in-place op is, so gradients follow); returns None, as numpy's method."""
    from .inplace_methods import inplace  # it imports the op families: import when called

    inplace(self, "partition", lambda x: partition(x, kth, axis, kind, order))


def _argpartition_method(
    self: Tensor, kth: Any, axis: Any = -1, kind: str = "introselect", order: Any = None
) -> Tensor:
    """numpy's ``a.argpartition(kth, axis)``: the indices ``argpartition(a, kth, axis)`` gives."""
    return argpartition(self, kth, axis, kind, order)


_partition_method.__name__ = _partition_method.__qualname__ = "partition"
_argpartition_method.__name__ = _argpartition_method.__qualname__ = "argpartition"
# attached to Tensor by name in ops/__init__.py (numpy's ndarray methods)
METHODS = {"partition": _partition_method, "argpartition": _argpartition_method}
