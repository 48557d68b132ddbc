"""numpy's array constructors on Tensors: ``array``/``asarray`` of nested lists that hold Tensors stay
differentiable (numpy's own ``np.array`` would silently drop the graph), ``copy``, and the
``r_``/``c_`` index tricks; plus the split variants vsplit/hsplit/dsplit."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._default_dtype import DEFAULT, F64, python_data_dtype
from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .joining import concatenate, split, stack
from .shape import reshape, transpose
from .tensor_methods import copy as _copy

_C = "construction"


def _holds_tensor(obj: Any) -> bool:
    if isinstance(obj, Tensor):
        return True
    return isinstance(obj, (list, tuple)) and any(_holds_tensor(o) for o in obj)


def _nested(obj: Any) -> tuple[Tensor, bool]:
    """A nested list/tuple holding Tensors as one Tensor, stacked level by level as numpy nests; and
    whether it came from Python numbers only ("weak": they take the Tensors' dtype, so float32
    Tensors beside Python floats stay float32, as in every other autobp op)."""
    if isinstance(obj, (list, tuple)):
        if not obj:
            return Tensor._const(np.zeros((0,))), True
        parts, weak = zip(*(_nested(o) for o in obj))
        shapes = {p.shape for p in parts}
        if len(shapes) != 1:
            raise ValueError(
                f"array: the nested sequence is ragged (element shapes {sorted(shapes)}); numpy "
                "refuses these too"
            )
        strong = [p.dtype for p, w in zip(parts, weak) if not w]
        common = np.result_type(*(strong or [p.dtype for p in parts]))
        parts = [p if p.dtype == common else p.astype(common) for p in parts]
        return stack(list(parts)), all(weak)
    if isinstance(obj, Tensor):
        return obj, False
    return as_tensor(obj), not isinstance(obj, np.ndarray)


@op(family=_C, rules=("stack", "astype"), numpy=None, method=False)
def array(object: Any, dtype: Any = None, *, copy: bool = True, ndmin: int = 0) -> Tensor:
    """numpy's ``array``: a new Tensor from a Tensor, an array or nested lists (which may hold
    Tensors: the result is differentiable with respect to them, as HIPS autograd's ``np.array``).

    >>> x = Tensor(2.0, requires_grad=True)
    >>> array([x, x * x]).sum().backward(); float(x.grad)
    5.0
    """
    if isinstance(object, Tensor) or _holds_tensor(object):
        t = _nested(object)[0]
        if copy and t is object:
            t = _copy(t)
    else:
        data = np.array(object, dtype=dtype, ndmin=ndmin)
        if dtype is None and DEFAULT[0] is not F64:  # Python floats: the default dtype, as tensor's
            data = python_data_dtype(object, data)
        t = Tensor._const(data)
    if dtype is not None and t.dtype != np.dtype(dtype):
        t = t.astype(dtype)
    if t.ndim < ndmin:
        t = reshape(t, (1,) * (ndmin - t.ndim) + t.shape)
    return t


@op(family=_C, rules=("stack", "astype"), numpy=None, method=False)
def asarray(
    a: Any,
    dtype: Any = None,
    order: Any = None,
    *,
    device: Any = None,
    copy: bool | None = None,
    like: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """numpy's (and PyTorch's) ``asarray``: ``a`` itself when it is a Tensor of that dtype, a Tensor
    sharing the memory of an ndarray of that dtype, else ``array(a, dtype)``. ``copy``: True always
    copies, False refuses to, None copies only where needed. ``requires_grad`` (PyTorch's): a new leaf
    on the same memory."""
    from .._device import check_device
    from ..tensor import _check_float

    check_device(device, "asarray")
    have = getattr(a, "dtype", None)
    same = dtype is None or (have is not None and np.dtype(have) == np.dtype(dtype))
    if copy:
        t = array(a, dtype, copy=True)
    elif isinstance(a, Tensor) and same:
        t = a
    elif isinstance(a, np.ndarray) and same and a.dtype.kind in "fciub":
        t = Tensor._const(a)  # numpy's and PyTorch's asarray: the same memory, no copy
    elif copy is False:
        raise ValueError(
            f"asarray: copy=False, but a {type(a).__name__} cannot become a Tensor without a copy"
        )
    else:
        t = array(a, dtype, copy=False)
    if requires_grad and not t.requires_grad:
        _check_float(t._data, "asarray(requires_grad=True)")
        t = Tensor._const(t._data)  # a leaf on the same memory
        t.requires_grad = True
    return t


class _Concatenator:
    """numpy's ``r_`` / ``c_``: ``r_[a, b, 0:3]`` joins along axis 0 (slices become ranges, a complex
    step a linspace, scalars 1-d); ``c_`` makes each 1-d piece a column and joins along the last axis.
    numpy's string directives as the first entry: ``'axis'``, ``'axis,ndmin[,trans1d]'`` and ``'r'``/``'c'``
    (a 2-d row or column result; a Tensor, not np.matrix). Differentiable in the Tensor pieces."""

    def __init__(self, columns: bool) -> None:
        self.columns = columns

    def __getitem__(self, key: Any) -> Tensor:
        name = "c_" if self.columns else "r_"
        items = key if isinstance(key, tuple) else (key,)
        axis, ndmin, trans1d = (-1, 2, 0) if self.columns else (0, 1, -1)
        matrix = None
        if items and isinstance(items[0], str):
            axis, ndmin, trans1d, matrix = _directive(items[0], axis, ndmin, trans1d, name)
            items = items[1:]
        parts, kinds = [], []
        for k in items:
            if isinstance(k, str):
                raise ValueError(f"{name}: special directives must be the first entry, got {k!r}")
            if isinstance(k, slice):
                t = Tensor._const(np.r_[k])
                if ndmin > 1:
                    t = _ndmin(t, ndmin, trans1d)
                kinds.append(t.dtype)
            else:
                scalar = isinstance(k, (int, float, complex, bool)) and not isinstance(k, np.generic)
                t = as_tensor(k)
                t = _ndmin(t, ndmin, trans1d)
                kinds.append(k if scalar else t.dtype)
            parts.append(t)
        if not parts:
            raise ValueError(f"{name}: nothing to join")
        common = np.result_type(*kinds)
        parts = [p if p.dtype == common else p.astype(common) for p in parts]
        out = concatenate(parts, axis=axis)
        if matrix is not None and out.ndim < 2:  # numpy's matrix directives: a 2-d row (r) or column (c)
            out = reshape(out, (1, -1))
            out = transpose(out) if matrix == "c" else out
        return out


def _directive(d: str, axis: int, ndmin: int, trans1d: int, name: str) -> tuple:
    """numpy's r_/c_ string directive: 'r'/'c' (matrix), 'axis' or 'axis,ndmin[,trans1d]'."""
    if d in ("r", "c"):
        return axis, ndmin, trans1d, d
    try:
        vals = [int(v) for v in d.split(",")]
    except ValueError:
        raise ValueError(f"{name}: unknown special directive {d!r}") from None
    if len(vals) == 1:
        return vals[0], ndmin, trans1d, None
    if len(vals) in (2, 3):
        return vals[0], vals[1], vals[2] if len(vals) == 3 else trans1d, None
    raise ValueError(f"{name}: unknown special directive {d!r}")


def _ndmin(t: Tensor, ndmin: int, trans1d: int) -> Tensor:
    """numpy's array(t, ndmin=ndmin) (1s in front), its original axes then moved to ``trans1d``."""
    nd = t.ndim
    if nd >= ndmin:
        return t
    t = reshape(t, (1,) * (ndmin - nd) + t.shape)
    if trans1d != -1:
        k2, k1 = ndmin - nd, trans1d
        if k1 < 0:
            k1 += k2 + 1
        axes = list(range(ndmin))
        t = transpose(t, axes[:k1] + axes[k2:] + axes[k1:k2])
    return t


r_ = _Concatenator(columns=False)
c_ = _Concatenator(columns=True)


def _split_axis(ary: Any, indices_or_sections: Any, axis: int, name: str, min_ndim: int) -> list:
    x = as_tensor(ary)
    if x.ndim < min_ndim:
        raise ValueError(f"{name}: needs at least {min_ndim} dimensions, got shape {x.shape}")
    return split(x, indices_or_sections, axis)


@op(family=_C, rules=("getitem",))
def vsplit(ary: Any, indices_or_sections: Any) -> list:
    """numpy's ``vsplit``: split along axis 0 (at least 2-d input)."""
    return _split_axis(ary, indices_or_sections, 0, "vsplit", 2)


@op(family=_C, rules=("getitem",))
def hsplit(ary: Any, indices_or_sections: Any) -> list:
    """numpy's ``hsplit``: split along axis 1 (axis 0 for 1-d input)."""
    x = as_tensor(ary)
    if x.ndim == 0:
        raise ValueError(f"hsplit: needs at least 1 dimension, got shape {x.shape}")
    return split(x, indices_or_sections, 1 if x.ndim > 1 else 0)


@op(family=_C, rules=("getitem",))
def dsplit(ary: Any, indices_or_sections: Any) -> list:
    """numpy's ``dsplit``: split along axis 2 (at least 3-d input)."""
    return _split_axis(ary, indices_or_sections, 2, "dsplit", 3)
