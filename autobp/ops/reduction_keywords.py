"""numpy's further keywords of mean, var and std: ``out=`` (the result written into a given Tensor, as
PyTorch's out= and numpy's do), ``where=`` (only the selected elements counted; the others get a zero
gradient) and var/std's ``mean=`` (a precomputed mean, kept dimensions, that the gradient reaches too).
The masked forms are compositions of differentiable ops, so they differentiate to any order."""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any

import numpy as np

from ..tensor import Tensor


def complex_dtype(result: Tensor, dtype: Any) -> Tensor:
    """numpy's var/std/nanvar/nanstd given a complex ``dtype=`` return that dtype (the value is real,
    its imaginary part 0); ``result`` as is otherwise."""
    if dtype is None or np.dtype(dtype).kind != "c" or result.dtype == np.dtype(dtype):
        return result
    return result.astype(np.dtype(dtype))


def into_out(result: Tensor, out: Any, name: str) -> Any:
    """``result`` written into ``out`` and ``out`` returned (``result`` itself when out is None).
    numpy's casting: same_kind for std (its last step is a ufunc's), else unsafe; the result must
    broadcast to out's shape, of the same size. A Tensor out takes the write in place, recorded when
    a gradient is involved (as ``out[...] = result``); an ndarray out takes the plain values, refused
    when the result requires grad (an array cannot hold its graph)."""
    if out is None:
        return result
    if isinstance(out, tuple) and len(out) == 1:  # numpy accepts a one-element tuple
        out = out[0]
    if not isinstance(out, (Tensor, np.ndarray)):
        raise TypeError(f"{name}: out= must be a Tensor or a numpy array, got {type(out).__name__}")
    if isinstance(out, Tensor) and out.size == 0 and result.size:  # PyTorch's: an empty out= Tensor is
        out.resize_(*result.shape)  # resized to the result (numpy has no empty out that fits)
    try:
        fits = np.broadcast_shapes(tuple(result.shape), tuple(out.shape)) == tuple(out.shape)
    except ValueError:
        fits = False
    if not fits or out.size != result.size:  # numpy's percentile writes () into (1,); others refuse
        raise ValueError(
            f"{name}: out= has shape {tuple(out.shape)}, the result has shape {tuple(result.shape)}"
        )
    # numpy's casting: same_kind where numpy's last step is a ufunc's (std, vecdot, ...), else unsafe;
    # take and compress first cast out's dtype to the input's, with the "safe" rule
    casting = "same_kind" if name in ("std", "vecdot", "matvec", "vecmat") else "unsafe"
    if name in ("take", "compress") and not np.can_cast(out.dtype, result.dtype, "safe"):
        raise TypeError(
            f"{name}: Cannot cast array data from dtype('{out.dtype}') to dtype('{result.dtype}') according "
            "to the rule 'safe' (numpy's rule for out=)"
        )
    if isinstance(out, np.ndarray):
        from .._graph import _mode

        if _mode.enabled and result.requires_grad:
            raise TypeError(
                f"{name}(..., out=<ndarray>) of a Tensor that requires grad: a numpy array cannot hold "
                "its graph; pass a Tensor as out=, or drop out="
            )
        np.copyto(out, result._data, casting=casting)
        return out
    from .writes_into import write_into

    return write_into(out, result, True, casting, f"{name}(..., out=<Tensor>)")


def _mask(x: Tensor, where: Any) -> np.ndarray:
    w = where._data if isinstance(where, Tensor) else np.asarray(where)
    if w.dtype != bool:
        raise TypeError(f"where= must be boolean, got dtype {w.dtype} (shape {w.shape})")
    try:
        return np.broadcast_to(w, x.shape)
    except ValueError:
        raise ValueError(f"where= of shape {w.shape} does not broadcast to the input's {x.shape}") from None


def _float_of(x: Tensor) -> Any:
    return x.dtype if x.dtype.kind in "fc" else np.dtype(np.float64)


def masked_mean(x: Tensor, axes: tuple, keepdims: bool, where: Any) -> Tensor:
    """numpy's mean(x, axis, where=): the sum of the selected elements over their count (NaN with
    numpy's warning for a slice with none); the others get a zero gradient."""
    from .elementwise import where as select

    w = _mask(x, where)
    n = w.sum(axis=axes, keepdims=keepdims)
    if (n == 0).any():
        warnings.warn("Mean of empty slice.", RuntimeWarning, stacklevel=4)
    total = select(Tensor._const(w), x, 0).sum(axes, keepdims)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / Tensor._const(np.asarray(n, dtype=_float_of(x)))


def moments(
    x: Tensor, axes: tuple, keepdims: bool, ddof: Any, where: Any, mean: Any, root: bool, name: str
) -> Tensor:
    """numpy's var (std with ``root``) with where= and/or a given mean=: the mean of |x - mean|^2 over
    the selected elements, divided by max(count - ddof, 0). The gradient reaches x's selected
    elements and a Tensor mean; std's gradient where it is 0 is 0 (PyTorch's choice, as std's)."""
    from .complex_parts import conj, real
    from .elementwise import sqrt
    from .elementwise import where as select

    w = _mask(x, True if where is None else where)
    n = w.sum(axis=axes, keepdims=True)
    if (n - ddof <= 0).any():
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=4)
    chosen = Tensor._const(w)
    with np.errstate(invalid="ignore", divide="ignore"):
        if mean is None:
            m = select(chosen, x, 0).sum(axes, True) / Tensor._const(np.asarray(n, dtype=_float_of(x)))
        else:
            m = mean if isinstance(mean, Tensor) else Tensor._const(np.asarray(mean))
        d = x - m
        sq = real(d * conj(d)) if d.dtype.kind == "c" else d * d
        total = select(chosen, sq, 0).sum(axes, keepdims)
        count = np.maximum(w.sum(axis=axes, keepdims=keepdims) - ddof, 0)
        v = total / Tensor._const(
            np.asarray(count, dtype=total.dtype if total.dtype.kind == "f" else np.float64)
        )
        if not root:
            return v
        nonzero = Tensor._const(v._data != 0)  # NaN stays NaN; 0 gets a zero gradient
        return select(nonzero, sqrt(select(nonzero, v, 1.0)), 0.0)


def takes_out(fn: Any) -> Any:
    """``fn`` (whose own ``out`` parameter refuses) taking numpy's ``out=``: the result computed
    without it, then written into ``out`` by ``into_out`` and ``out`` returned."""
    sig = inspect.signature(fn)
    names = list(sig.parameters)
    position = names.index("out")

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if len(args) <= position and kwargs.get("out") is None:
            return fn(*args, **kwargs)
        bound = sig.bind(*args, **kwargs)
        out = bound.arguments.get("out")
        if out is None:
            return fn(*args, **kwargs)
        bound.arguments["out"] = None
        return into_out(fn(*bound.args, **bound.kwargs), out, fn.__name__)

    call.__signature__ = sig  # type: ignore[attr-defined]
    return call
