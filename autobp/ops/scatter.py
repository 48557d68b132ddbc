"""Scatters: scatter, scatter_add, index_add, index_put, put_along_axis and ``t[idx] = v`` (one
``index_put`` rule); masked_fill. scatter_reduce is in scatter_reductions.py, the gathers in indexing.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import DTypeError, ShapeError, normalize_axes
from .._graph import _mode
from .._inplace import LeafInplaceError, bump
from .._numpy_ops import is_basic_index
from .._overlap_writes import overlap_error, shares_elements
from .._views import index_view
from .._zero_d import zero_d_as_one_element
from ..rules import rule
from ..tensor import Tensor, _lift
from ._args import as_tensor
from ._decl import op
from .indexing import (
    along_index,
    check_dim_index,
    int_index,
    nonnegative_index,
    normalize_index,
    show_index,
    torch_words,
)
from .recorded_writes import become, snapshot, write_through

_G = "scatter"


# --- writes: one index_put rule ---------------------------------------------------------------
def _winners(shape: tuple, index: tuple) -> np.ndarray | None:
    """Which of the written values land, where an index repeats a position (numpy: the last write
    wins); None when every one does. Found by numpy itself: write each value's number, read back."""
    positions = np.arange(int(np.prod(shape))).reshape(shape)
    n = positions[index].size
    marker = np.full(shape, -1, dtype=np.intp)
    marker[index] = np.arange(n).reshape(positions[index].shape)
    won = np.zeros(n, dtype=bool)
    won[marker[marker >= 0]] = True
    return None if won.all() else won.reshape(positions[index].shape)


def _index_put(x: Tensor, index: tuple, v: Tensor, accumulate: bool, op: str, every: bool = False) -> Tensor:
    """``x`` with ``v`` written (or added) at ``index``, as a new node. ``every``: all written values
    get their gradient even where an index repeats (PyTorch's scatter), not only the landing one."""
    if v.requires_grad and x.dtype.kind not in "fc":  # the rule is linear: right for complex too
        raise TypeError(f"{op}: cannot write a tensor that requires grad into a {x.dtype} tensor")
    if v.dtype.kind == "c" and x.dtype.kind != "c":  # numpy would drop the imaginary parts
        raise TypeError(f"{op}: cannot write complex values ({v.dtype}) into a {x.dtype} tensor")
    data = x._data.copy()
    try:
        if accumulate:
            np.add.at(data, index, v._data)
        else:
            data[index] = v._data
    except (ValueError, IndexError) as e:
        msg = torch_words(
            f"{op}: values of shape {v.shape} at index {show_index(index)} of shape {x.shape}: {e}"
        )
        if isinstance(e, IndexError):
            raise IndexError(msg) from None
        raise ShapeError(f"shape mismatch: {msg}") from None  # a ValueError, and PyTorch's RuntimeError
    if accumulate:
        return Tensor._make(data, (x, v), "index_put", (index, None, None))
    keep = np.ones(x.shape, dtype=bool)
    keep[index] = False
    winners = None if every or is_basic_index(index) else _winners(x.shape, index)
    return Tensor._make(data, (x, v), "index_put", (index, keep, winners))


@rule("index_put")  # ctx = (index, keep: False where overwritten (None: added), winners: landing values)
def _index_put_rule(F, g, out, xs, ctx, need):
    index, keep, winners = ctx
    g_old = (g if keep is None else g * keep) if need[0] else None
    g_v = None
    if need[1]:
        g_v = g[index]  # the engine sums it back over the values' broadcasting
        if winners is not None:
            g_v = g_v * winners
    return g_old, g_v


@op(family=_G, rules=("index_put",), numpy=None)
def index_put(x: Any, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    """PyTorch's out-of-place index_put: ``x`` with ``values`` written (or added) at ``x[indices]``."""
    x = as_tensor(x)
    index = normalize_index(tuple(indices) if isinstance(indices, list) else indices)
    return _index_put(x, index, _lift(values, x, "index_put"), bool(accumulate), "index_put")


def _src_for(index: np.ndarray, src: Any, like: Tensor, op: str) -> Tensor:
    """``src`` cut to ``index``'s shape, as PyTorch reads it (a number stays a number). A tensor ``src``
    must have the input's dtype, as PyTorch requires (a number takes the input's dtype)."""
    if isinstance(src, Tensor) and src.dtype != like.dtype:
        raise DTypeError(
            f"{op}: src has dtype {src.dtype} but the input has {like.dtype}; they must be equal "
            "(convert src with .astype / .to)"
        )
    s = _lift(src, like, op)
    if s.ndim == 0 or s.shape == index.shape:
        return s
    if s.ndim != index.ndim:
        raise ValueError(f"{op}: src of shape {s.shape} and index of shape {index.shape} differ in axes")
    return s[tuple(slice(0, n) for n in index.shape)]


def _no_index(x: Tensor, dim: int, op: str, src: Any = None) -> Tensor:
    """An empty index writes nothing: PyTorch returns the input's values whatever the shapes of the
    index and src (only ``dim`` is checked). A src that requires grad stays in the graph (its gradient
    zeros), as PyTorch's result requires grad (max_unpool of an empty batch backpropagates)."""
    normalize_axes(dim, max(x.ndim, 1), op, x.shape)
    if not (isinstance(src, Tensor) and src.requires_grad) or x.ndim == 0:
        return x.clone()
    nowhere = tuple(np.zeros(0, dtype=np.intp) for _ in range(x.ndim))
    return _index_put(x, nowhere, src.reshape(-1)[:0], False, op, every=True)


@op(family=_G, rules=("index_put", "scatter_reduce"), numpy=None)
@zero_d_as_one_element
def scatter(
    x: Any, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: Any = None
) -> Tensor:
    """PyTorch's out-of-place scatter: ``out[i][index[i][j]] = src[i][j]`` for dim 1. Where an index
    repeats, which value lands is unspecified (as in PyTorch) and every one gets its gradient.
    ``reduce="add"`` adds the values (scatter_add), ``"multiply"`` multiplies them in (PyTorch's
    scatter reduce, which PyTorch does not differentiate; here scatter_add's and scatter_reduce's
    gradients apply)."""
    x = as_tensor(x)
    src = value if src is None else src
    idx = int_index(index, "scatter")
    if idx.size == 0:
        return _no_index(x, dim, "scatter", src)
    s = _src_for(idx, src, x, "scatter")
    d = check_dim_index(x, dim, idx, "scatter", s if s.ndim else None)
    if reduce is not None:
        if reduce not in ("add", "multiply"):
            raise ValueError(f"scatter: reduce must be 'add' or 'multiply', got {reduce!r}")
        if s.ndim == 0:  # a number: the same value at every index, in x's dtype first (PyTorch's cast)
            s = (s if s.dtype == x.dtype else s.astype(x.dtype)).broadcast_to(idx.shape)
        if reduce == "add":
            return _index_put(x, along_index(idx, d, idx.shape), s, True, "scatter_add")
        from .scatter_reductions import scatter_reduce

        return scatter_reduce(x, d, idx, s, "prod")
    return _index_put(x, along_index(idx, d, idx.shape), s, False, "scatter", every=True)


@op(family=_G, rules=("index_put",), numpy=None)
@zero_d_as_one_element
def scatter_add(x: Any, dim: int, index: Any, src: Any) -> Tensor:
    """PyTorch's out-of-place scatter_add: ``out[i][index[i][j]] += src[i][j]`` for dim 1."""
    x = as_tensor(x)
    idx = int_index(index, "scatter_add")
    if idx.size == 0:
        return _no_index(x, dim, "scatter_add", src)
    s = _src_for(idx, src, x, "scatter_add")
    d = check_dim_index(x, dim, idx, "scatter_add", s if s.ndim else None)
    return _index_put(x, along_index(idx, d, idx.shape), s, True, "scatter_add")


@op(family=_G, rules=("index_put",), numpy=None)
@zero_d_as_one_element
def index_add(x: Any, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
    """PyTorch's out-of-place index_add: ``alpha * source`` added at positions ``index`` of ``dim``."""
    x = as_tensor(x)
    idx = int_index(index, "index_add")
    (d,) = normalize_axes(dim, max(x.ndim, 1), "index_add", x.shape)
    s = _lift(source, x, "index_add")
    if s.ndim > d and idx.size != s.shape[d]:  # PyTorch checks the count before the values
        raise ShapeError(
            f"index_add_(): Number of indices ({idx.size}) should be equal to source.size(dim): "
            f"({s.shape[d]}), for dim: {d}"
        )
    nonnegative_index(x, d, idx, "index_add")
    if x.dtype.kind in "iu" and s.dtype == x.dtype:
        s = s * Tensor._const(_integer_alpha(alpha, x.dtype))  # numpy's integer product wraps
    elif alpha != 1:
        s = s * alpha
    return _index_put(x, (slice(None),) * d + (idx,), s, True, "index_add")


def _integer_alpha(alpha: Any, dtype: Any) -> np.ndarray:
    """PyTorch's alpha for an integer index_add: a float truncated toward zero, refused where it does
    not fit the dtype (an unsigned one also takes -max..-1, wrapping as two's complement), then
    reduced modulo 2**bits so that alpha * source wraps as PyTorch's integer arithmetic does."""
    info = np.iinfo(dtype)
    a = float(alpha) if isinstance(alpha, (float, np.floating)) else int(alpha)
    low = -info.max if info.min == 0 and isinstance(a, int) else info.min
    if not low <= a <= info.max:
        raise DTypeError(
            f"index_add: alpha {alpha!r} cannot be converted to type {np.dtype(dtype).name} without "
            f"overflow (value cannot be converted to type {np.dtype(dtype).name}_t without overflow)"
        )
    return np.asarray(int(a) % (1 << info.bits)).astype(np.uint64).astype(dtype)


@op(family=_G, numpy=None)
def masked_fill(x: Any, mask: Any, value: Any) -> Tensor:
    """``x`` with ``value`` (a number or 0-d tensor, differentiable) where ``mask`` is true."""
    x = as_tensor(x)
    m = np.asarray(mask._data if isinstance(mask, Tensor) else mask)
    if m.dtype != bool:
        raise DTypeError(
            f"masked_fill: mask must be boolean (masked_fill_ only supports boolean masks), got {m.dtype}"
        )
    v = _lift(value, x, "masked_fill")
    if v.ndim != 0:
        raise ValueError(f"masked_fill: value must be a number or 0-d tensor, got shape {v.shape}")
    try:
        shape = np.broadcast_shapes(m.shape, x.shape)
    except ValueError:
        raise ValueError(f"masked_fill: mask of shape {m.shape} does not broadcast with {x.shape}") from None
    if shape != x.shape:  # a larger mask broadcasts the input too, as torch.masked_fill (out of place)
        from .shape import broadcast_to

        x = broadcast_to(x, shape)
    m = np.broadcast_to(m, shape)
    data = np.where(m, v._data.astype(x.dtype), x._data)
    return Tensor._make(data, (x, v), "masked_fill", m)


@rule("masked_fill")  # ctx = the mask, broadcast to the input's shape
def _masked_fill_rule(F, g, out, xs, ctx, need):
    return (g * ~ctx if need[0] else None), (g * ctx if need[1] else None)


def _check_scalar_fits(value: Any, dtype: np.dtype, index: tuple, who: str = "setitem") -> None:
    """numpy's (and PyTorch's) refusals of a number written into an array: a complex number into a
    real dtype (TypeError), NaN or an infinity into an integer one (ValueError, OverflowError), an
    integer out of its range (OverflowError); the number was silently cast before."""
    probe = np.empty((), dtype)
    try:
        probe[()] = value
    except (TypeError, ValueError, OverflowError) as e:
        raise type(e)(
            f"{who}: {value!r} cannot be written into a {dtype} tensor at {show_index(index)}: {e}"
        ) from None


def _setitem(self: Tensor, index: Any, value: Any) -> None:
    """``t[index] = value``. With a graph to record, the write is out of place on the graph: the
    tensor object becomes the node ``index_put(old, index, value)``, ``old`` carrying its former node,
    and its version is bumped so graphs that read the old value refuse to backward. Without one it
    writes into the array, as numpy does."""
    index = normalize_index(index)
    if type(value) in (bool, int, float, complex):  # a Python number: numpy's scalar rules
        _check_scalar_fits(value, self.dtype, index)
    v = _lift(value, self, "setitem")
    recording = _mode.enabled and (self.requires_grad or v.requires_grad)
    if self._nograd_view is not None and _mode.enabled:
        from .._inplace import nograd_view_error

        raise nograd_view_error(self, f"t{show_index(index)} = ...")
    from .._inplace import check_view_of_grad_leaf

    check_view_of_grad_leaf(self, f"t{show_index(index)} = ...")
    if recording and self.is_leaf and self.requires_grad:
        raise LeafInplaceError(
            f"a leaf Variable that requires grad is being used in an in-place operation "
            f"(t{show_index(index)} = ... on a leaf Tensor of shape {self.shape}); write into a copy "
            "(y = x * 1.0) or under no_grad()"
        )
    if shares_elements(self):  # an expanded tensor: PyTorch's refusal, unless the written part of it
        done = _record_into_expanded(self, index, v) if recording else _write_into_expanded(self, index, v)
        if not done:  # has no shared memory (t[2, 2])
            raise overlap_error(f"t{show_index(index)} = ...", self)
        return
    if not recording:
        try:
            self._data[index] = v._data
        except (ValueError, IndexError) as e:
            msg = torch_words(
                f"setitem: value of shape {v.shape} at {show_index(index)} of {self.shape}: {e}"
            )
            if isinstance(e, IndexError):
                raise IndexError(msg) from None
            raise ShapeError(f"shape mismatch: {msg}") from None  # a ValueError, and PyTorch's RuntimeError
        bump(self)
        return
    old = snapshot(self)
    new = _index_put(old, index, v, False, "setitem")
    if self._source is not None:
        write_through(self, new, old, f"t{show_index(index)} = ...")
    else:
        become(self, new, old)


def _write_into_expanded(t: Tensor, index: tuple, v: Tensor) -> bool:
    """``t[index] = v`` into an expanded (broadcast) view, not recorded: PyTorch writes when the part
    written (basic indexing) has no two elements at one memory location (``t.expand(5, 5)[2, 2] = 0``
    changes the base). False (refuse) for any other write."""
    if not all(i is None or i is Ellipsis or isinstance(i, (int, np.integer, slice)) for i in index):
        return False
    part = index_view(t._data, index)
    if any(st == 0 and n > 1 for st, n in zip(part.strides, part.shape)):
        return False
    alias = part.view()
    try:
        alias.flags.writeable = True
    except ValueError:  # the base's memory is read-only itself
        return False
    alias[...] = v._data
    bump(t)
    return True


def _record_into_expanded(t: Tensor, index: tuple, v: Tensor) -> bool:
    """``t[index] = v`` recorded, ``t = base.expand(...)`` (broadcast_to), where the part written has no
    shared memory: recorded as a write into ``base`` at the positions that part shows (its gradient
    flowing to ``v``), after which ``t`` is remade from the new base, as PyTorch's. False (refuse) for
    any other write."""
    from .recorded_writes import _follow, view_op
    from .shape import broadcast_to

    spec = view_op(t)
    if spec is None or spec[0] != "broadcast_to" or not is_basic_index(index):
        return False
    part = index_view(t._data, index)
    if any(st == 0 and n > 1 for st, n in zip(part.strides, part.shape)):
        return False
    base = t._source
    grid = np.broadcast_to(np.arange(base._data.size).reshape(base._data.shape), t._data.shape)
    where = np.unravel_index(np.asarray(index_view(grid, index)), base._data.shape)
    _setitem(base, where, broadcast_to(v, part.shape))
    if t._seq < base._seq:
        _follow(t, base, spec)
    return True


DUNDERS = {"__setitem__": _setitem}


@op(family=_G, rules=("index_put",), method=False)
def put_along_axis(arr: Tensor, indices: Any, values: Any, axis: Any) -> None:
    """numpy's put_along_axis: ``values`` written into ``arr`` in place along ``axis`` (recorded as
    ``arr[index] = values``, so the same rules hold: leaves that require grad refuse)."""
    if not isinstance(arr, Tensor):
        raise TypeError(
            f"put_along_axis: arr must be a Tensor (it is written in place), got {type(arr).__name__}"
        )
    idx = int_index(indices, "put_along_axis")
    if axis is None:
        if arr.ndim != 1:
            raise ValueError(
                f"put_along_axis: axis=None needs a 1-D tensor (in place), got shape {arr.shape}"
            )
        axis = 0
    if idx.ndim != arr.ndim:
        raise ValueError(
            f"put_along_axis: indices have {idx.ndim} axes, the array {arr.shape} has {arr.ndim}"
        )
    (ax,) = normalize_axes(axis, arr.ndim, "put_along_axis", arr.shape)
    arr[along_index(idx, ax, arr.shape)] = values
