"""numpy's functions that write into their first argument (fill_diagonal, put, putmask, place): on a
Tensor the write is recorded as ``t[idx] = v`` is (ops/recorded_writes.py), so gradients reach the
written values and the kept elements; on a numpy array numpy's own function writes into it."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from ._decl import op
from .inplace_methods import inplace
from .numpy_arrays import data_of
from .scatter import index_put
from .shape import reshape

_W = "numpy_writes"


def _into_array(name: str, a: Any, *args: Any) -> bool:
    """Whether ``a`` is no Tensor: numpy's ``name`` writes into it (values taken from Tensors, which
    must not need a gradient that the array could not carry)."""
    if isinstance(a, Tensor):
        return False
    for v in args:
        if isinstance(v, Tensor) and v.requires_grad:
            raise TypeError(
                f"{name}: writing a Tensor that requires grad (shape {v.shape}) into a numpy array would "
                "drop its gradient; make the target a Tensor"
            )
    getattr(np, name)(a, *(data_of(v) if isinstance(v, Tensor) else v for v in args))
    return True


def _cycled(v: Any, n: int, like: Tensor, name: str) -> Tensor:
    """The flattened ``v`` repeated to ``n`` elements (numpy's rule for these writes)."""
    t = v if isinstance(v, Tensor) else Tensor._const(np.asarray(v))
    t = reshape(t, (-1,))
    if t.shape[0] == 0:
        raise ValueError(
            f"{name}: cannot write {n} elements from an empty set of values into shape {like.shape}"
        )
    return t[np.arange(n) % t.shape[0]]


def _no_values(v: Any) -> bool:
    """Whether ``v`` holds no values: numpy's put, putmask and fill_diagonal then write nothing."""
    return np.size(data_of(v) if isinstance(v, Tensor) else np.asarray(v, dtype=object)) == 0


def _write(a: Tensor, name: str, where: tuple, v: Tensor, fills: Any = None) -> None:
    inplace(a, name, lambda x: index_put(x, where, v), fills=fills)


@op(family=_W, rules=("index_put", "getitem"), method=False)
def fill_diagonal(a: Any, val: Any, wrap: bool = False) -> None:
    """Write ``val`` (repeated as needed) on the main diagonal of ``a``, in place (numpy's
    fill_diagonal: a 2-D ``a`` may be tall, with ``wrap`` restarting below; more dimensions must all
    be equal). Returns None."""
    if _into_array("fill_diagonal", a, val, wrap):
        return
    if a.ndim < 2:
        raise ValueError(f"fill_diagonal: the array must be at least 2-d, got shape {a.shape}")
    if a.ndim == 2:
        step, end = a.shape[1] + 1, (None if wrap else a.shape[1] * a.shape[1])
    else:
        if len(set(a.shape)) != 1:
            raise ValueError(f"fill_diagonal: all dimensions of input must be of equal length, got {a.shape}")
        step, end = 1 + int(np.cumprod(a.shape[:-1]).sum()), None
    flat = np.arange(a.size)[:end:step]
    if flat.size and not _no_values(val):  # no values: numpy writes nothing
        where = np.unravel_index(flat, a.shape)
        fills = where if np.ndim(data_of(val)) == 0 else None  # one value: through an expanded tensor too
        _write(a, "fill_diagonal", where, _cycled(val, flat.size, a, "fill_diagonal"), fills)


@op(family=_W, rules=("index_put", "getitem"), method=False)
def put(a: Any, ind: Any, v: Any, mode: Any = "raise", *, accumulate: Any = None) -> Any:
    """Write ``v`` (repeated as needed) at the flat positions ``ind`` of ``a``, in place (numpy's
    put; ``mode`` 'raise', 'wrap' or 'clip' for out-of-range positions; the last write wins).

    PyTorch's ``torch.put(input, index, source, accumulate)`` (a bool fourth argument or
    ``accumulate=``, which numpy's put does not take) returns a new tensor instead: ``input`` with
    ``source`` written (or added) at the flat positions ``index``; ``input`` is unchanged."""
    if isinstance(mode, bool) or accumulate is not None:
        return torch_put(a, ind, v, mode if isinstance(mode, bool) else accumulate)
    if _into_array("put", a, ind, v, mode):
        return
    if _no_values(v):  # numpy's put writes nothing, whatever the positions
        return
    flat = np.asarray(data_of(ind)).astype(np.intp, copy=False).reshape(-1)
    if mode == "wrap":
        flat = flat % a.size if a.size else flat
    elif mode == "clip":
        flat = np.clip(flat, 0, a.size - 1)
    elif mode != "raise":
        raise ValueError(f"put: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    elif flat.size and (flat.max() >= a.size or flat.min() < -a.size):
        raise IndexError(f"put: positions {flat.min()}..{flat.max()} out of range for {a.size} elements")
    if flat.size == 0:
        return
    _write(a, "put", np.unravel_index(flat % a.size, a.shape), _cycled(v, flat.size, a, "put"))


def torch_put(a: Any, index: Any, source: Any, accumulate: Any) -> Tensor:
    """PyTorch's out-of-place put: a copy of ``a`` given ``put_(index, source, accumulate)``."""
    from ..pytorch_methods_more import _put_  # the PyTorch layer imports the ops: import it when called

    return _put_(
        a.clone() if isinstance(a, Tensor) else Tensor(np.asarray(a)), index, source, bool(accumulate)
    )


def _mask_of(mask: Any, a: Tensor, name: str) -> np.ndarray:
    m = np.asarray(data_of(mask)).astype(bool)
    if m.size != a.size:
        raise ValueError(f"{name}: mask of shape {m.shape} does not match the array's shape {a.shape}")
    return m.reshape(a.shape)


@op(family=_W, rules=("index_put", "getitem"), method=False)
def putmask(a: Any, /, mask: Any, values: Any) -> None:
    """Where ``mask`` is True, a.flat[i] = values.flat[i % len(values)], in place (numpy's putmask:
    the values repeat over all of a's positions, not over the masked ones; compare place)."""
    if _into_array("putmask", a, mask, values):
        return
    m = _mask_of(mask, a, "putmask")
    if not m.any() or _no_values(values):  # no values: numpy writes nothing
        return
    v = _cycled(values, a.size, a, "putmask")[np.flatnonzero(m)]
    _write(a, "putmask", np.nonzero(m), v)


@op(family=_W, rules=("index_put", "getitem"), method=False)
def place(arr: Any, mask: Any, vals: Any) -> None:
    """The k-th True position of ``mask`` gets vals.flat[k % len(vals)], in place (numpy's place:
    the values repeat over the masked positions only; compare putmask)."""
    if _into_array("place", arr, mask, vals):
        return
    m = _mask_of(mask, arr, "place")
    n = int(m.sum())
    if n:
        _write(arr, "place", np.nonzero(m), _cycled(vals, n, arr, "place"))
