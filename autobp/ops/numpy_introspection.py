"""numpy's shape, type and memory questions (shape, ndim, result_type, can_cast, shares_memory, ...)
answered for Tensors from their arrays, numpy's array constructors that pass a Tensor through
(asarray_chkfinite, ascontiguousarray, asfortranarray, require) and builders from Python callables
and iterables (fromfunction, fromiter). The plain questions are in EXPORTS, not op declarations:
they make no Tensor, so there is nothing to record or test against finite differences."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .._broadcast import DTypeError, ShapeError
from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .construction import asarray
from .joining import stack
from .logic import invert
from .numpy_arrays import data_of
from .shape import astype, reshape

_I = "numpy_introspection"


def _plain(x: Any) -> Any:
    """A Tensor's array (one level into lists and tuples); anything else as it is."""
    if isinstance(x, Tensor):
        return x._data
    if isinstance(x, (list, tuple)) and any(isinstance(v, Tensor) for v in x):
        return type(x)(_plain(v) for v in x)
    return x


def shape(a: Any) -> tuple:
    """The shape of ``a`` (numpy's shape; a Tensor's shape too)."""
    return np.shape(_plain(a))


def size(a: Any, axis: Any = None) -> int:
    """The number of elements of ``a``, or its length along ``axis`` (numpy's size)."""
    return np.size(_plain(a), axis)


def ndim(a: Any) -> int:
    """The number of dimensions of ``a`` (numpy's ndim)."""
    return np.ndim(_plain(a))


def isscalar(element: Any) -> bool:
    """Whether ``element`` is a scalar (numpy's isscalar: a Tensor, 0-d or not, is not one, as a
    0-d ndarray is not)."""
    return False if isinstance(element, Tensor) else np.isscalar(element)


def iterable(y: Any) -> bool:
    """Whether ``iter(y)`` works (numpy's iterable: a 0-d Tensor, like a 0-d array, is not)."""
    return np.iterable(_plain(y))


def result_type(*arrays_and_dtypes: Any) -> np.dtype:
    """The dtype numpy's promotion gives these arrays, Tensors and dtypes (numpy's result_type)."""
    return np.result_type(*(_plain(a) for a in arrays_and_dtypes))


def can_cast(from_: Any, to: Any, casting: str = "safe") -> bool:
    """Whether a cast from ``from_`` (a dtype, or a Tensor's or array's dtype) to ``to`` is allowed
    under ``casting`` (numpy's can_cast)."""
    src = from_.dtype if isinstance(from_, Tensor) else from_
    return np.can_cast(src, to, casting)


def promote_types(type1: Any, type2: Any) -> np.dtype:
    """The smallest dtype both can be safely cast to (numpy's promote_types)."""
    return np.promote_types(type1, type2)


def min_scalar_type(a: Any, /) -> np.dtype:
    """The smallest dtype that holds the value (numpy's min_scalar_type)."""
    return np.min_scalar_type(_plain(a))


def common_type(*arrays: Any) -> type:
    """The float scalar type common to the inputs (numpy's common_type: integers count as float64)."""
    return np.common_type(*(_plain(a) for a in arrays))


def broadcast_shapes(*args: Any) -> tuple:
    """The shape the given shapes (ints or sequences of ints) broadcast to (numpy's broadcast_shapes);
    bad shapes are refused with PyTorch's words, as RuntimeErrors that are numpy's error types too."""
    for a in args:
        sizes = a if isinstance(a, (tuple, list)) else (a,)
        if not all(isinstance(s, (int, np.integer)) for s in sizes):
            raise DTypeError(
                f"broadcast_shapes: Input shapes should be of type ints, a tuple of ints, or a list of ints, "
                f"got {a!r}"
            )
        if any(s < 0 for s in sizes):
            raise ShapeError(
                f"broadcast_shapes: Attempting to broadcast a dimension with negative length! (shape {a!r})"
            )
    try:
        return np.broadcast_shapes(*args)
    except ValueError:
        pass
    have: tuple = ()
    for k, a in enumerate(args):  # find the first argument that does not fit, for PyTorch's words
        shape = tuple(a) if isinstance(a, (tuple, list)) else (a,)
        for i in range(1, min(len(shape), len(have)) + 1):
            if shape[-i] != have[-i] and 1 not in (shape[-i], have[-i]):
                raise ShapeError(
                    f"broadcast_shapes: Attempting to broadcast a dimension of length {shape[-i]} at {-i}! "
                    f"Mismatching argument at index {k} had {shape}; but expected shape should be "
                    f"broadcastable to {list(have)} (numpy: shape mismatch: objects cannot be broadcast to "
                    f"a single shape)"
                )
        have = np.broadcast_shapes(have, shape)
    raise AssertionError("unreachable: numpy refused shapes that broadcast")


def shares_memory(a: Any, b: Any, /, max_work: Any = None) -> bool:
    """Whether ``a`` and ``b`` (Tensors or arrays) overlap in memory (numpy's shares_memory)."""
    return np.shares_memory(_plain(a), _plain(b), max_work)


def may_share_memory(a: Any, b: Any, /, max_work: Any = None) -> bool:
    """Whether ``a`` and ``b`` may overlap in memory (numpy's may_share_memory: bounds only)."""
    return np.may_share_memory(_plain(a), _plain(b), max_work)


def einsum_path(*operands: Any, optimize: Any = "greedy", einsum_call: bool = False) -> tuple:
    """numpy's einsum_path: a contraction order for ``einsum`` and its printed cost report (Tensors
    count by their shapes)."""
    return np.einsum_path(*(_plain(o) for o in operands), optimize=optimize, einsum_call=einsum_call)


def fromfunction(
    function: Callable, shape: Any, *, dtype: Any = float, like: Any = None, **kwargs: Any
) -> Any:
    """``function`` called once on the index grids of ``shape`` (numpy's fromfunction: the grids are
    arrays of ``dtype``, so what it returns is what the call gives, a Tensor if it makes one)."""
    return function(*np.indices(tuple(shape), dtype=dtype), **kwargs)


def fromiter(iter: Iterable, dtype: Any, count: int = -1, *, like: Any = None) -> Any:  # noqa: A002
    """A 1-D array of the iterable's items (numpy's fromiter); items that are Tensors are stacked,
    so a gradient reaches them (in ``dtype``)."""
    items = list(iter) if count < 0 else [v for _, v in zip(range(count), iter)]
    if count >= 0 and len(items) < count:
        raise ValueError(
            f"fromiter: iterator too short: Expected {count} but iterator had only {len(items)} items."
        )
    if not any(isinstance(v, Tensor) for v in items):
        return np.fromiter(items, dtype, len(items))
    out = stack([reshape(as_tensor(v), ()) if isinstance(v, Tensor) else as_tensor(v) for v in items])
    return out if out.dtype == np.dtype(dtype) else astype(out, dtype)


def _passed(a: Any, dtype: Any, name: str) -> Tensor:
    x = as_tensor(a)
    return x if dtype is None or x.dtype == np.dtype(dtype) else astype(x, dtype)


@op(family=_I, rules=("astype",), method=False)
def asarray_chkfinite(a: Any, dtype: Any = None, order: Any = None) -> Tensor:
    """``a`` as a Tensor (itself when it is one and ``dtype`` matches), a ValueError if it holds
    inf or NaN (numpy's asarray_chkfinite)."""
    x = _passed(a, dtype, "asarray_chkfinite")
    if x.dtype.kind in "fc" and not np.isfinite(x._data).all():
        raise ValueError(f"asarray_chkfinite: array of shape {x.shape} must not contain infs or NaNs")
    return x


@op(family=_I, rules=("astype",), method=False)
def ascontiguousarray(a: Any, dtype: Any = None, *, like: Any = None) -> Tensor:
    """``a`` as a C-contiguous Tensor (at least 1-d, as numpy's ascontiguousarray); the gradient
    passes unchanged."""
    x = _passed(a, dtype, "ascontiguousarray")
    x = reshape(x, (1,)) if x.ndim == 0 else x
    return x if x._data.flags.c_contiguous else astype(x, x.dtype)


@op(family=_I, rules=("astype",), method=False)
def asfortranarray(a: Any, dtype: Any = None, *, like: Any = None) -> Tensor:
    """``a`` as a Tensor (numpy's asfortranarray; autobp keeps C order, which only changes speed);
    the gradient passes unchanged."""
    x = _passed(a, dtype, "asfortranarray")
    return reshape(x, (1,)) if x.ndim == 0 else x


@op(family=_I, rules=("astype",), method=False)
def require(a: Any, dtype: Any = None, requirements: Any = None, *, like: Any = None) -> Tensor:
    """``a`` as a Tensor of ``dtype`` (numpy's require; the memory requirements are met by autobp's
    own arrays, which are aligned and writeable copies when needed)."""
    x = _passed(a, dtype, "require")
    names = {"C": "C", "C_CONTIGUOUS": "C", "CONTIGUOUS": "C", "F": "F", "F_CONTIGUOUS": "F", "FORTRAN": "F"}
    names.update({"A": "A", "ALIGNED": "A", "W": "W", "WRITEABLE": "W", "O": "O", "OWNDATA": "O"})
    names.update({"E": "E", "ENSUREARRAY": "E"})
    given = [requirements] if isinstance(requirements, str) else list(requirements or ())
    reqs = {names[str(r).upper()] for r in given}  # numpy's KeyError for an unknown requirement
    if {"C", "F"} <= reqs:
        raise ValueError(f'require: Cannot specify both "C" and "F" order (requirements {requirements!r})')
    if "C" in reqs and not x._data.flags.c_contiguous:
        x = astype(x, x.dtype)
    return x


@op(family=_I, differentiable=False, method=False)
def array_equiv(a1: Any, a2: Any) -> bool:
    """Whether ``a1`` and ``a2`` broadcast to one shape and are equal there (numpy's array_equiv)."""
    return bool(np.array_equiv(data_of(a1), data_of(a2)))


# numpy names served by functions that are no op declaration (plain answers), and bitwise_invert,
# numpy 2's name of invert (np.bitwise_invert is np.invert)
EXPORTS = {
    f.__name__: f
    for f in (shape, size, ndim, isscalar, iterable, result_type, can_cast, promote_types, min_scalar_type)
}
EXPORTS.update(
    {f.__name__: f for f in (common_type, broadcast_shapes, shares_memory, may_share_memory, einsum_path)}
)
EXPORTS.update({"fromfunction": fromfunction, "fromiter": fromiter, "bitwise_invert": invert})
EXPORTS["asanyarray"] = asarray  # numpy's asanyarray: a Tensor is the one array subclass here
