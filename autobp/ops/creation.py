"""Creating tensors: constants (zeros, ones, empty, eye, identity, arange, the *_like
family), full and full_like (differentiable in a Tensor fill value), meshgrid, one_hot (diag, diagonal,
trace, tril and triu, of the same family: diagonals.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._broadcast import ShapeError
from .._creation_out import creation_out
from .._default_dtype import DEFAULT, F64, default_float, float_kind_default
from .._device import check_device
from ..tensor import Tensor
from ._args import as_tensor, spelled_once
from ._creation_args import _dtype_pos, _leaf, _size, torch_only
from ._decl import op
from .shape import reshape

_C = "creation"


# --- constants: no inputs to differentiate ------------------------------------------------------
@op(family=_C, numpy=None, method=False, differentiable=False)
def zeros(
    shape: Any = None,
    *sizes: Any,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
    size: Any = None,
    layout: Any = None,
    pin_memory: bool = False,
) -> Tensor:
    """A tensor of zeros (the default dtype, float64 unless set_default_dtype changed it, when no
    ``dtype``; also numpy's positional ``zeros(shape, dtype)``); PyTorch's ``zeros(2, 3)`` and
    ``zeros(size=(2, 3))`` work too."""
    check_device(device, "zeros")
    torch_only("zeros", layout, pin_memory)
    sizes, dtype = _dtype_pos(sizes, dtype)
    return _leaf(
        np.zeros(_size(shape, sizes, size, "zeros"), dtype=default_float(dtype)), requires_grad, "zeros"
    )


@op(family=_C, numpy=None, method=False, differentiable=False)
def ones(
    shape: Any = None,
    *sizes: Any,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
    size: Any = None,
    layout: Any = None,
    pin_memory: bool = False,
) -> Tensor:
    """A tensor of ones (the default dtype, float64 unless set, when no ``dtype``)."""
    check_device(device, "ones")
    torch_only("ones", layout, pin_memory)
    sizes, dtype = _dtype_pos(sizes, dtype)
    return _leaf(
        np.ones(_size(shape, sizes, size, "ones"), dtype=default_float(dtype)), requires_grad, "ones"
    )


@op(family=_C, numpy=None, method=False, differentiable=False)
def empty(
    shape: Any = None,
    *sizes: Any,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
    memory_format: Any = None,
    size: Any = None,
    layout: Any = None,
    pin_memory: bool = False,
) -> Tensor:
    """An uninitialised tensor (the default dtype unless ``dtype``), laid out as ``memory_format``
    if given."""
    check_device(device, "empty")
    torch_only("empty", layout, pin_memory)
    sizes, dtype = _dtype_pos(sizes, dtype)
    data = np.empty(_size(shape, sizes, size, "empty"), dtype=default_float(dtype))
    if memory_format is not None:
        from ..memory_format import relayout

        data = relayout(data, memory_format, "empty")
    return _leaf(data, requires_grad, "empty")


@op(family=_C, numpy=None, method=False, differentiable=False)
@creation_out("eye")
def eye(
    N: int | None = None,  # noqa: N803  numpy's argument names
    M: int | None = None,  # noqa: N803
    k: int = 0,
    dtype: Any = None,
    *,
    requires_grad: bool = False,
    device: Any = None,
    n: int | None = None,
    m: int | None = None,
    layout: Any = None,
    pin_memory: bool = False,
) -> Tensor:
    """An N x M matrix with ones on diagonal ``k`` (PyTorch names the sizes ``n`` and ``m``), of the
    default dtype unless ``dtype``."""
    check_device(device, "eye")
    torch_only("eye", layout, pin_memory)
    if (n is not None and N is not None) or (m is not None and M is not None):
        raise TypeError("eye: give each size once (numpy's N, M or PyTorch's n, m)")
    N, M = (N if n is None else n), (M if m is None else m)  # noqa: N806
    if N is None:
        raise TypeError("eye: missing the number of rows N (PyTorch's n)")
    for name, size in (("n", N), ("m", M)):
        if size is not None and size < 0:
            raise ShapeError(f"eye: {name} must be greater or equal to 0, got {size}")
    return _leaf(np.eye(N, M, k, dtype=default_float(dtype)), requires_grad, "eye")


@op(family=_C, numpy=None, method=False, differentiable=False)
def identity(n: int, dtype: Any = None, *, requires_grad: bool = False, device: Any = None) -> Tensor:
    """The n x n identity matrix (of the default dtype unless ``dtype``)."""
    check_device(device, "identity")
    return _leaf(np.identity(n, dtype=default_float(dtype)), requires_grad, "identity")


@op(family=_C, numpy=None, method=False, differentiable=False)
@creation_out("arange")
def arange(
    *args: Any,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
    layout: Any = None,
    start: Any = None,
    stop: Any = None,
    step: Any = None,
    end: Any = None,
) -> Tensor:
    """Evenly spaced values in [start, stop) (numpy's: integer arguments give integers, float ones the
    default dtype); ``start``, ``stop`` (PyTorch's ``end``) and ``step`` may be given by keyword."""
    check_device(device, "arange")
    torch_only("arange", layout)
    if end is not None:
        if stop is not None:
            raise TypeError("arange: got both stop= and end=")
        stop = end
    named = {k: v for k, v in (("start", start), ("stop", stop), ("step", step)) if v is not None}
    if dtype is None and DEFAULT[0] is not F64:  # float arguments give the default dtype (PyTorch's)
        dtype = float_kind_default(args + tuple(named.values()))
    dt = None if dtype is None else np.dtype(dtype)
    if dt is not None and dt.kind in "fc" and dt.itemsize < (16 if dt.kind == "c" else 8):
        # start + i * step in double precision, then rounded once (as PyTorch computes): numpy's
        # float32 arange accumulates the step in float32, several ulps off by the end
        wide = np.arange(*args, dtype=np.complex128 if dt.kind == "c" else np.float64, **named)
        return _leaf(wide.astype(dt), requires_grad, "arange")
    return _leaf(np.arange(*args, dtype=dtype, **named), requires_grad, "arange")


def input_arg(a: Any, input: Any, who: str) -> Any:  # noqa: A002
    """numpy's first argument or PyTorch's ``input=`` keyword (one of them)."""
    return spelled_once(
        a,
        input,
        f"{who}: missing the tensor to take the shape of",
        f"{who}: give the tensor once (positionally or as input=)",
    )


def _like(a: Any, dtype: Any, shape: Any, fill: Any) -> np.ndarray:
    base = a._data if isinstance(a, Tensor) else np.asarray(a)
    return fill(base, dtype=dtype, shape=shape)


@op(family=_C, differentiable=False, method=False)
def zeros_like(
    a: Any = None,
    dtype: Any = None,
    order: str = "K",
    subok: bool = True,
    shape: Any = None,
    *,
    requires_grad: bool = False,
    memory_format: Any = None,
    device: Any = None,
    layout: Any = None,
    input: Any = None,  # noqa: A002  PyTorch's name
) -> Tensor:
    """Zeros of ``a``'s shape and dtype (no gradient: the values do not depend on ``a``);
    ``requires_grad``: a new leaf, as PyTorch's."""
    check_device(device, "zeros_like")
    torch_only("zeros_like", layout)
    a = input_arg(a, input, "zeros_like")
    return _leaf(_like(a, dtype, shape, np.zeros_like), requires_grad, "zeros_like")


@op(family=_C, differentiable=False, method=False)
def ones_like(
    a: Any = None,
    dtype: Any = None,
    order: str = "K",
    subok: bool = True,
    shape: Any = None,
    *,
    requires_grad: bool = False,
    memory_format: Any = None,
    device: Any = None,
    layout: Any = None,
    input: Any = None,  # noqa: A002  PyTorch's name
) -> Tensor:
    """Ones of ``a``'s shape and dtype. ``requires_grad``: a new leaf, as PyTorch's."""
    check_device(device, "ones_like")
    torch_only("ones_like", layout)
    a = input_arg(a, input, "ones_like")
    return _leaf(_like(a, dtype, shape, np.ones_like), requires_grad, "ones_like")


@op(family=_C, differentiable=False, method=False)
def empty_like(
    a: Any = None,
    dtype: Any = None,
    order: str = "K",
    subok: bool = True,
    shape: Any = None,
    *,
    requires_grad: bool = False,
    memory_format: Any = None,
    device: Any = None,
    layout: Any = None,
    input: Any = None,  # noqa: A002  PyTorch's name
) -> Tensor:
    """An uninitialised tensor of ``a``'s shape and dtype. ``requires_grad``: a new leaf, as PyTorch's."""
    check_device(device, "empty_like")
    torch_only("empty_like", layout)
    a = input_arg(a, input, "empty_like")
    return _leaf(_like(a, dtype, shape, np.empty_like), requires_grad, "empty_like")


def _filled(data: np.ndarray, fill: Any) -> Tensor:
    if isinstance(fill, Tensor) and fill.ndim == 0:
        return Tensor._make(data, (fill,), "broadcast_to")  # d out / d fill = 1 everywhere
    return Tensor._const(data)


@op(family=_C, rules=("broadcast_to",), numpy=None, method=False)
@creation_out("full")
def full(
    shape: Any = None,
    fill_value: Any = None,
    dtype: Any = None,
    *,
    requires_grad: bool = False,
    device: Any = None,
    size: Any = None,
    layout: Any = None,
    pin_memory: bool = False,
) -> Tensor:
    """``shape`` (PyTorch's ``size=``) filled with ``fill_value``, of its dtype (a float fill: the
    default dtype); a 0-d Tensor fill value is differentiated, its dtype kept."""
    check_device(device, "full")
    torch_only("full", layout, pin_memory)
    if fill_value is None:
        raise TypeError("full: missing fill_value")
    v = fill_value._data if isinstance(fill_value, Tensor) else fill_value
    if dtype is None and DEFAULT[0] is not F64 and not isinstance(fill_value, Tensor):
        dtype = float_kind_default((v,))  # a float (complex) fill: the default dtype, PyTorch's full
    data = np.full(_size(shape, (), size, "full"), v, dtype=dtype)
    if requires_grad:
        return _leaf(data, True, "full")
    return _filled(data, fill_value)


@op(family=_C, rules=("broadcast_to",), method=False)
def full_like(
    a: Any = None,
    fill_value: Any = None,
    dtype: Any = None,
    order: str = "K",
    subok: bool = True,
    shape: Any = None,
    *,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
    layout: Any = None,
    pin_memory: bool = False,
    input: Any = None,  # noqa: A002  PyTorch's name
) -> Tensor:
    """``a``'s shape and dtype filled with ``fill_value``; a 0-d Tensor fill value is differentiated.
    ``requires_grad``: a new leaf, as PyTorch's."""
    check_device(device, "full_like")
    a = input_arg(a, input, "full_like")
    if fill_value is None:
        raise TypeError("full_like: missing fill_value")
    torch_only("full_like", layout, pin_memory)
    v = fill_value._data if isinstance(fill_value, Tensor) else fill_value
    data = _like(a, dtype, shape, lambda b, **kw: np.full_like(b, v, **kw))
    if requires_grad:
        return _leaf(data, True, "full_like")
    return _filled(data, fill_value)


# --- grids and encodings ------------------------------------------------------------------------
@op(
    family=_C,
    rules=("reshape", "broadcast_to"),
    method=False,
    differs="torch.meshgrid's default indexing is 'ij'; numpy's (this) is 'xy'",
)
def meshgrid(*xi: Any, copy: bool = True, sparse: bool = False, indexing: str = "xy") -> tuple:
    """Coordinate grids from 1-D coordinate vectors (numpy's; each gradient sums over the grid)."""
    if indexing not in ("xy", "ij"):
        raise ShapeError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    if len(xi) == 1 and isinstance(xi[0], (tuple, list)):
        xi = tuple(xi[0])  # PyTorch also takes one list of tensors
    ts = [reshape(as_tensor(x), (-1,)) for x in xi]
    nd = len(ts)
    shapes = [[1] * nd for _ in ts]
    for i, t in enumerate(ts):
        shapes[i][i] = t.shape[0]
    if indexing == "xy" and nd > 1:
        for s in shapes:
            s[0], s[1] = s[1], s[0]
    out = [reshape(t, tuple(s)) for t, s in zip(ts, shapes)]
    if sparse:
        return tuple(out)
    full = tuple(int(n) for n in np.broadcast_shapes(*(tuple(s) for s in shapes))) if nd else ()
    return tuple(Tensor._make(np.broadcast_to(o._data, full).copy(), (o,), "broadcast_to") for o in out)


@op(family=_C, numpy=None, differentiable=False, method=False)
def one_hot(x: Any, num_classes: int = -1) -> Tensor:
    """PyTorch's one_hot: integer class indices to an int64 tensor with a new last axis of size
    ``num_classes`` (max + 1 when -1)."""
    idx = as_tensor(x)._data
    if idx.dtype.kind not in "iu":
        raise TypeError(f"one_hot: class indices must be integers, got dtype {idx.dtype}")
    if idx.size and idx.min() < 0:
        raise ShapeError(f"one_hot: class indices must be non-negative, got {idx.min()}")
    if num_classes < -1:
        raise ShapeError(f"one_hot: num_classes should be -1 or non-negative, got {num_classes}")
    if num_classes == -1:
        if not idx.size:
            raise ShapeError("one_hot: cannot infer num_classes from an empty tensor")
        num_classes = int(idx.max()) + 1
    if idx.size and idx.max() >= num_classes:
        raise ShapeError(f"one_hot: class index {idx.max()} is out of range for num_classes={num_classes}")
    return Tensor._const((idx[..., None] == np.arange(num_classes)).astype(np.int64))
