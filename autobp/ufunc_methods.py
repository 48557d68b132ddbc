"""numpy's ufunc methods on autobp's ufunc-named functions: ``autobp.add.reduce(t)``,
``autobp.multiply.accumulate``, ``autobp.add.outer``, ``autobp.add.reduceat``, ``autobp.add.at`` and
the attributes ``nin``, ``nout``, ``nargs``, ``identity``, ``signature``, ``types``, ``ntypes``.

The methods are plain attributes of the existing function objects (``attach()``, at import time), so
calling ``autobp.add(a, b)`` costs what it did. With a Tensor among the arguments they record on the
graph, composed of differentiable ops (sums, products, scans, gathers and scatters, or a fold of the
function itself), so gradients of any order follow; without one they are numpy's own methods. numpy's
ufunc methods on Tensors (``np.add.outer(t, t)``) come here through ``Tensor.__array_ufunc__``.

numpy's method on the values runs first: its errors (an empty reduction with no identity, a tuple
axis for a non-reorderable ufunc, bad casting) and its result's shape and dtype are the reference; a
result that is not floating or complex (integers, booleans) is that constant result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._plain import has_tensor
from .tensor import Tensor

_NoValue = np._NoValue
# reductions and scans of a declared op: faster than a fold, the same values as numpy's
_FAST = ("add", "multiply", "maximum", "minimum")
# associative ufuncs: folded as a tree (log-depth), scanned by doubling
_ASSOCIATIVE = {"add", "multiply", "maximum", "minimum", "fmax", "fmin", "logaddexp", "logaddexp2", "hypot"}
BY_UFUNC: dict = {}  # np.ufunc -> the autobp function carrying its methods (Tensor.__array_ufunc__'s)


def _vals(x: Any) -> Any:
    if isinstance(x, Tensor):
        return x._data
    if isinstance(x, (list, tuple)) and has_tensor(x):
        return type(x)(_vals(v) for v in x)
    return x


def _lift(x: Any) -> Any:
    """A list or tuple holding Tensors as one recorded Tensor (numpy would take their bare values)."""
    if isinstance(x, (list, tuple)) and has_tensor(x):
        from . import asarray

        return asarray(x)
    return x


def _tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor._const(np.asarray(x))


def _constant(ref: Any) -> Tensor:
    """numpy's (integer or boolean) result as a Tensor: there is nothing to differentiate."""
    return Tensor._const(np.asarray(ref))


def _inexact(ref: Any) -> bool:
    return np.asarray(ref).dtype.kind in "fc"


def _dtype(ref: Any, a: Any) -> np.dtype:
    """The result's dtype: numpy's; for a frompyfunc's object result, that of the input ``a``."""
    dt = np.asarray(ref).dtype
    return np.asarray(_vals(a)).dtype if dt.kind == "O" else dt


def _cast(x: Tensor, dtype: Any) -> Tensor:
    from . import astype

    return x if x.dtype == dtype else astype(x, dtype)


def _axes(axis: Any, ndim: int) -> tuple:
    if ndim == 0:
        return ()
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(int(a) % ndim for a in axes))


def _one_axis(axis: Any) -> int:
    """accumulate's and reduceat's axis (numpy has checked it: None or a 1-tuple on a 1-d array)."""
    return 0 if axis is None else int(axis[0] if isinstance(axis, tuple) else axis)


def _front(x: Tensor, axes: tuple) -> Tensor:
    """``x`` with ``axes`` moved to the front and flattened into one (C order): shape (n, *rest)."""
    from . import moveaxis, reshape

    moved = moveaxis(x, axes, tuple(range(len(axes)))) if axes else x
    rest = moved.shape[len(axes) :]
    return reshape(moved, (int(np.prod([x.shape[a] for a in axes], dtype=int)), *rest))


def _tree(fn: Callable, x: Tensor) -> Tensor:
    """fn folded over the first axis of ``x`` pairwise (an associative fn): log-depth, order kept."""
    from . import concatenate

    while x.shape[0] > 1:
        k = x.shape[0] // 2
        y = fn(x[0 : 2 * k : 2], x[1 : 2 * k : 2])
        x = concatenate([y, x[2 * k :]]) if x.shape[0] % 2 else y
    return x[0]


def _fold(fn: Callable, x: Tensor, acc: Any, mask: np.ndarray | None) -> Tensor:
    """numpy's left fold of fn over the first axis of ``x``, starting from ``acc`` (or the first
    element); a masked-out element leaves the accumulator as it is (and is replaced by 1 before fn
    sees it, so no inf or nan from it reaches a gradient)."""
    from . import where

    start = 0
    if acc is None:
        acc, start = x[0], 1
    for i in range(start, x.shape[0]):
        if mask is None:
            acc = fn(acc, x[i])
        else:
            xi = where(mask[i], x[i], np.ones((), x.dtype))
            acc = where(mask[i], fn(acc, xi), acc)
    return acc


def _reduce_fast(name: str, x: Tensor, axes: tuple, mask: Any) -> Tensor:
    from . import amax, amin, prod, sum, where  # noqa: A004

    if name == "add":
        return sum(x if mask is None else where(mask, x, np.zeros((), x.dtype)), axis=axes)
    if name == "multiply":
        return prod(x if mask is None else where(mask, x, np.ones((), x.dtype)), axis=axes)
    fill = np.array(-np.inf if name == "maximum" else np.inf, x.dtype)
    return (amax if name == "maximum" else amin)(x if mask is None else where(mask, x, fill), axis=axes)


def reduce(
    fn: Callable,
    ufunc: Any,
    a: Any,
    axis: Any = 0,
    dtype: Any = None,
    out: Any = None,
    keepdims: bool = False,
    initial: Any = _NoValue,
    where: Any = True,
) -> Any:
    """``ufunc.reduce`` through ``fn``, recorded on Tensors (see the module docstring)."""
    from . import broadcast_to, expand_dims
    from . import sum as _sum

    a, initial = _lift(a), _lift(initial)
    kw = {"axis": axis, "dtype": dtype, "keepdims": keepdims}
    kw.update({} if initial is _NoValue else {"initial": _vals(initial)})
    kw.update({} if where is True else {"where": _vals(where)})
    if out is not None or not (isinstance(a, Tensor) or isinstance(initial, Tensor)):
        return ufunc.reduce(a, out=out, **kw)  # numpy's (a Tensor among out= is written by dispatch)
    ref = ufunc.reduce(_vals(a), **kw)
    dtype = _dtype(ref, a)
    if dtype.kind not in "fc":
        return _constant(ref)
    x = _cast(_tensor(a), dtype)
    axes = _axes(axis, x.ndim)
    mask = None if where is True else np.broadcast_to(np.asarray(_vals(where), bool), x.shape)
    init = None if initial is _NoValue or initial is None else _cast(_tensor(initial), x.dtype)
    shape = tuple(s for i, s in enumerate(x.shape) if i not in axes)
    n = int(np.prod([x.shape[i] for i in axes], dtype=int))
    name = ufunc.__name__
    if n == 0:  # numpy's initial (or identity): linked to x for a (zero-size) gradient
        fill = init if init is not None else Tensor._const(np.asarray(ufunc.identity, x.dtype))
        r = broadcast_to(fill, shape) + _sum(x, axis=axes) * 0
    elif x.size == 0:  # nothing to fold (another axis is empty): the empty result, linked to x
        r = _sum(x, axis=axes)
    elif name in _FAST and fn is BY_UFUNC.get(ufunc):
        r = _reduce_fast(name, x, axes, mask)
        r = r if init is None else fn(init, r)
    else:
        xs = _front(x, axes)
        ms = None if mask is None else np.reshape(np.moveaxis(mask, axes, tuple(range(len(axes)))), xs.shape)
        if ms is None and name in _ASSOCIATIVE and fn is BY_UFUNC.get(ufunc):
            r = _tree(fn, xs)
            r = r if init is None else fn(init, r)
        else:
            acc = init
            if acc is None and ms is not None:  # numpy starts a masked reduction from the identity
                acc = Tensor._const(np.asarray(ufunc.identity, x.dtype))
            r = _fold(fn, xs, None if acc is None else broadcast_to(acc, shape), ms)
    if keepdims and axes:
        r = expand_dims(r, axes)
    return _cast(r, dtype)


def _scan(fn: Callable, x: Tensor, associative: bool) -> Tensor:
    """The inclusive scan of fn over the first axis: by doubling (associative fn) or a left fold."""
    from . import concatenate, stack

    n = x.shape[0]
    if associative:
        k = 1
        while k < n:
            x = concatenate([x[:k], fn(x[: n - k], x[k:])])
            k *= 2
        return x
    outs = [x[0]]
    for i in range(1, n):
        outs.append(fn(outs[-1], x[i]))
    return stack(outs)


def accumulate(fn: Callable, ufunc: Any, a: Any, axis: int = 0, dtype: Any = None, out: Any = None) -> Any:
    """``ufunc.accumulate`` through ``fn``, recorded on Tensors (see the module docstring)."""
    from . import cummax, cummin, cumprod, cumsum, moveaxis

    a = _lift(a)
    if out is not None or not isinstance(a, Tensor):
        return ufunc.accumulate(a, axis=axis, dtype=dtype, out=out)
    ref = ufunc.accumulate(a._data, axis=axis, dtype=dtype)
    dtype = _dtype(ref, a)
    if dtype.kind not in "fc":
        return _constant(ref)
    x = _cast(a, dtype)
    axis = _one_axis(axis) % x.ndim
    name = ufunc.__name__
    if x.size == 0:
        return x
    if name in _FAST and fn is BY_UFUNC.get(ufunc):
        scan = {"add": cumsum, "multiply": cumprod, "maximum": cummax, "minimum": cummin}[name]
        r = scan(x, axis)
        return r[0] if name in ("maximum", "minimum") else r
    associative = name in _ASSOCIATIVE and fn is BY_UFUNC.get(ufunc)
    return _cast(moveaxis(_scan(fn, moveaxis(x, axis, 0), associative), 0, axis), dtype)


def outer(fn: Callable, ufunc: Any, A: Any, B: Any, **kwargs: Any) -> Any:
    """``ufunc.outer``: ``fn(A[..., None, ..., None], B)``, shape ``A.shape + B.shape``."""
    from . import reshape

    A, B = _lift(A), _lift(B)
    if ufunc.nin != 2 or not (isinstance(A, Tensor) or isinstance(B, Tensor)):
        return ufunc.outer(A, B, **kwargs)  # numpy's result, or its error for a unary ufunc
    a, b = _tensor(A), _tensor(B)
    return fn(reshape(a, a.shape + (1,) * b.ndim), b, **kwargs)


def _segments(idx: np.ndarray, n: int) -> list:
    """numpy's reduceat slices: [idx[i], idx[i+1]) where increasing, else the one element idx[i]."""
    ends = [int(idx[i + 1]) if idx[i + 1] > idx[i] else int(idx[i]) + 1 for i in range(len(idx) - 1)]
    return list(zip((int(i) for i in idx), ends + [n] if len(idx) else []))


def reduceat(
    fn: Callable, ufunc: Any, a: Any, indices: Any, axis: int = 0, dtype: Any = None, out: Any = None
) -> Any:
    """``ufunc.reduceat`` through ``fn``, recorded on Tensors: segment sums by one scatter-add for
    ``add``, a reduction per segment otherwise."""
    from . import index_add, moveaxis, stack, zeros

    a = _lift(a)
    if out is not None or not isinstance(a, Tensor):
        return ufunc.reduceat(a, _vals(indices), axis=axis, dtype=dtype, out=out)
    ref = ufunc.reduceat(a._data, _vals(indices), axis=axis, dtype=dtype)
    dtype = _dtype(ref, a)
    if dtype.kind not in "fc":
        return _constant(ref)
    axis = _one_axis(axis)
    x = moveaxis(_cast(a, dtype), axis % max(a.ndim, 1), 0)
    idx = np.asarray(_vals(indices), np.intp).reshape(-1)
    idx = np.where(idx < 0, idx + x.shape[0], idx)
    segs = _segments(idx, x.shape[0])
    if not segs:
        r = x[:0]
    elif ufunc.__name__ == "add" and fn is BY_UFUNC.get(ufunc):
        pos = np.concatenate([np.arange(s, e) for s, e in segs])
        ids = np.concatenate([np.full(e - s, i) for i, (s, e) in enumerate(segs)])
        r = index_add(zeros((len(segs), *x.shape[1:]), dtype=x.dtype), 0, ids, x[pos])
    else:
        r = stack([reduce(fn, ufunc, x[s:e], axis=0) for s, e in segs])
    return _cast(moveaxis(r, 0, int(axis) % max(a.ndim, 1)), dtype)


def at(fn: Callable, ufunc: Any, a: Any, indices: Any, b: Any = None, *, inplace: bool = True) -> Any:
    """``ufunc.at``: fn applied, unbuffered, at ``a[indices]`` (a repeated index applies it again);
    in place (numpy's, returns None), or with ``inplace=False`` a new result (JAX's)."""
    from . import broadcast_to, index_add, index_put, reshape
    from .ops.inplace_methods import inplace as write_inplace

    b = _lift(b)
    args = () if b is None else (_vals(b),)
    if not isinstance(a, Tensor):
        if isinstance(b, Tensor) and inplace and b.requires_grad:
            raise TypeError(
                f"{ufunc.__name__}.at: writing a Tensor that requires grad (shape {b.shape}) into a numpy "
                "array would drop its gradient; make the target a Tensor (or pass inplace=False)"
            )
        if inplace or not isinstance(b, Tensor):
            target = a if inplace else np.array(a, copy=True)
            ufunc.at(target, _vals(indices), *args)
            return None if inplace else target
        a = _tensor(a)
    scratch = a._data.copy()
    ufunc.at(scratch, _vals(indices), *args)  # numpy's checks (and its values, where nothing records)
    picked = np.arange(a.size).reshape(a.shape)[_vals(indices)]
    pos = picked.reshape(-1)

    def compute(old: Tensor) -> Tensor:
        if not _inexact(scratch):
            return _constant(scratch)
        flat = reshape(old, (-1,))
        vals = None if b is None else reshape(broadcast_to(_tensor(b), picked.shape), (-1,))
        if ufunc.__name__ == "add" and fn is BY_UFUNC.get(ufunc) and vals is not None:
            return reshape(index_add(flat, 0, pos, _cast(vals, flat.dtype)), a.shape)
        rounds = _occurrence(pos)  # the k-th write to a position goes in round k, in numpy's order
        for r in range(int(rounds.max()) + 1 if rounds.size else 0):
            sel = np.flatnonzero(rounds == r)
            p = pos[sel]
            new = fn(flat[p]) if vals is None else fn(flat[p], vals[sel])
            flat = index_put(flat, (p,), _cast(new, flat.dtype))
        return reshape(flat, a.shape)

    if not inplace:
        return compute(a)
    write_inplace(a, f"{ufunc.__name__}.at", compute)
    return None


def _occurrence(pos: np.ndarray) -> np.ndarray:
    """For each entry of ``pos``, how many earlier entries hold the same position."""
    order = np.argsort(pos, kind="stable")
    ranked = np.arange(pos.size)
    start = np.r_[True, pos[order][1:] != pos[order][:-1]] if pos.size else np.zeros(0, bool)
    ranks = np.empty(pos.size, np.intp)
    ranks[order] = ranked - np.maximum.accumulate(np.where(start, ranked, 0))
    return ranks


def methods(fn: Callable, ufunc: Any) -> dict:
    """The methods ``reduce, accumulate, outer, reduceat, at`` of ``ufunc`` applied through ``fn``."""
    name = ufunc.__name__

    def reduce_(
        a: Any,
        axis: Any = 0,
        dtype: Any = None,
        out: Any = None,
        keepdims: bool = False,
        initial: Any = _NoValue,
        where: Any = True,
    ) -> Any:
        return reduce(fn, ufunc, a, axis, dtype, out, keepdims, initial, where)

    def accumulate_(array: Any, axis: int = 0, dtype: Any = None, out: Any = None) -> Any:
        return accumulate(fn, ufunc, array, axis, dtype, out)

    def outer_(A: Any, B: Any, /, **kwargs: Any) -> Any:
        return outer(fn, ufunc, A, B, **kwargs)

    def reduceat_(array: Any, indices: Any, axis: int = 0, dtype: Any = None, out: Any = None) -> Any:
        return reduceat(fn, ufunc, array, indices, axis, dtype, out)

    def at_(a: Any, indices: Any, b: Any = None, /, *, inplace: bool = True) -> Any:
        return at(fn, ufunc, a, indices, b, inplace=inplace)

    docs = {
        "reduce": f"numpy's {name}.reduce: {name} folded over ``axis`` (None: all; a tuple for a reorderable "
        "ufunc), with ``initial``, ``where``, ``keepdims``, ``dtype``; recorded on Tensors.",
        "accumulate": f"numpy's {name}.accumulate: the running {name} along ``axis``; recorded on Tensors.",
        "outer": f"numpy's {name}.outer: {name}(A[i..], B[j..]) for every pair, shape A.shape + B.shape; "
        "recorded on Tensors.",
        "reduceat": f"numpy's {name}.reduceat: {name}.reduce over the slices [indices[i], indices[i+1]) of "
        "``axis`` (one element where the next index is not larger); recorded on Tensors.",
        "at": f"numpy's {name}.at: {name} applied at ``a[indices]`` unbuffered (a repeated index applies it "
        "again), in place, returning None (a Tensor's write is recorded, as its other in-place writes); "
        "``inplace=False`` (JAX's) returns the result instead.",
    }
    out = {"reduce": reduce_, "accumulate": accumulate_, "outer": outer_, "reduceat": reduceat_, "at": at_}
    for key, f in out.items():
        f.__name__, f.__qualname__, f.__doc__ = key, f"{name}.{key}", docs[key]
    return out


ATTRIBUTES = ("nin", "nout", "nargs", "ntypes", "types", "identity", "signature")


def attach(namespace: Any) -> None:
    """Give each function of ``namespace`` named as one of numpy's ufuncs that ufunc's attributes and
    methods (``BY_UFUNC`` then maps the ufunc to it, for Tensor.__array_ufunc__)."""
    for attr, ufunc in vars(np).items():
        fn = getattr(namespace, attr, None)
        if not isinstance(ufunc, np.ufunc) or fn is None or not callable(fn) or isinstance(fn, np.ufunc):
            continue
        if getattr(fn, "_ufunc", ufunc) is not ufunc:  # one function under two ufuncs' names: not ours
            continue
        BY_UFUNC.setdefault(ufunc, fn)
        fn._ufunc = ufunc
        for a in ATTRIBUTES:
            setattr(fn, a, getattr(ufunc, a))
        for key, m in methods(fn, ufunc).items():
            setattr(fn, key, m)
