"""More of PyTorch's Tensor methods, for code ported from PyTorch: the method forms of functions autobp
has (``bincount``, ``frexp``, ``gcd``, ``histogram``, ``inverse``, ``lu``, ``cholesky_solve``, ...) and
their in-place forms (``gcd_``, ``ldexp_``, ``i0_``, ``put_``, ``fill_diagonal_``, ...), Python
callables applied elementwise (``apply_``, ``map_``, ``map2_``), torch's ``chunk``/``split`` meaning as
``unsafe_chunk``/``unsafe_split``, memory queries (``storage_offset``, ``dim_order``, ``is_set_to``,
``layout``) and the in-place methods of pytorch_inplace_more.py. ``attach()`` puts them on Tensor,
leaving every method Tensor already has as it is (numpy's meaning wins where the names clash)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import pytorch_inplace_more as _ipm
from . import return_types as _rt
from ._broadcast import ShapeError
from ._view_links import _owning_array
from .layouts import strided
from .ops import inplace_methods as _im
from .tensor import Tensor


def _ops() -> Any:
    import autobp  # the package's functions, resolved when a method is called

    return autobp


def _bincount(self: Tensor, weights: Any = None, minlength: int = 0) -> Tensor:
    """Counts of each non-negative integer in a 1-d ``self`` (int64), or sums of ``weights`` at them
    (in ``weights``' float dtype, float64 for integer weights), at least ``minlength`` long."""
    out = _ops().bincount(self, weights, minlength)
    if weights is not None:
        wd = np.asarray(weights._data if isinstance(weights, Tensor) else weights).dtype
        dt = wd if wd.kind == "f" else np.dtype(np.float64)
        if out.dtype != dt:
            out = out.astype(dt)
    return out


def _ldexp(self: Tensor, other: Any) -> Tensor:
    """``self * 2**other`` (PyTorch's ``ldexp``: any ``other``; a float result, float64 for integers)."""
    F = _ops()
    x = self if self.dtype.kind in "fc" else self.astype(np.float64)
    od = np.asarray(other._data if isinstance(other, Tensor) else other).dtype
    if od.kind in "iub":
        return F.ldexp(x, other if od.kind != "b" else F.asarray(other).astype(np.int64))
    return x * F.exp2(other if isinstance(other, Tensor) else np.asarray(other, dtype=x.dtype))


def _histogram(
    self: Tensor,
    bins: Any = 100,
    *,
    range: Any = None,  # noqa: A002  PyTorch's keyword
    weight: Any = None,
    density: bool = False,
) -> tuple:
    """PyTorch's ``Tensor.histogram``: a ``return_types.histogram`` ``(hist, bin_edges)``, both of
    ``self``'s float dtype; ``bins`` a count or the edges (a tensor), ``weight`` per element,
    ``density`` normalising the counts."""
    if self.dtype.kind != "f":
        raise TypeError(f"histogram: the input must be floating point, got dtype {self.dtype}")
    edges = bins._data if isinstance(bins, Tensor) else bins
    w = weight._data if isinstance(weight, Tensor) else weight
    hist, out_edges = _ops().histogram(self._data, edges, range, density or None, w)
    hist, out_edges = np.asarray(hist), np.asarray(out_edges)
    return _rt.histogram._make(
        (Tensor._const(hist.astype(self.dtype)), Tensor._const(out_edges.astype(self.dtype)))
    )


def _lu(self: Tensor, pivot: bool = True, get_infos: bool = False) -> tuple:
    """PyTorch's ``Tensor.lu``: ``(LU, pivots)`` of ``linalg.lu_factor`` (and zeros ``infos`` on request)."""
    LU, pivots = _ops().linalg.lu_factor(self, pivot=pivot)
    if get_infos:
        return (
            LU,
            pivots,
            Tensor._const(np.zeros(self.shape[:-2], dtype=np.int32)),
        )  # a plain tuple, as torch's
    return LU, pivots


def _put_(self: Tensor, index: Any, source: Any, accumulate: bool = False) -> Tensor:
    """In place: ``source``'s elements written (or added, with ``accumulate``) at the flat positions
    ``index`` of ``self`` in row-major order (PyTorch's ``put_``; numpy's ``put`` keeps its meaning)."""
    from .ops.scatter import index_put

    flat = np.asarray(index._data if isinstance(index, Tensor) else index).reshape(-1)
    if flat.dtype.kind not in "iu":
        raise TypeError(f"put_(): Expected a long tensor for index, but got {flat.dtype}")
    n_src = int(np.prod(np.shape(source)))
    if n_src != flat.size:
        raise IndexError(
            "put_(): Expected source and index to have the same number of elements, but got "
            f"source.numel() = {n_src}, index.numel() = {flat.size}"
        )
    bad = (flat >= self.size) | (flat < -self.size)
    if bad.any():
        raise IndexError(
            f"out of range: tried to access index {flat[bad][0]} on a tensor of {self.size} elements."
        )
    src = source if isinstance(source, Tensor) else Tensor._const(np.asarray(source, dtype=self.dtype))
    if self.ndim == 0:  # a 0-d target: its one element, through a (1,)-shaped view of it
        one, flat_src = (flat % 1,), src.reshape((-1,))
        return _im.inplace(
            self, "put_", lambda x: index_put(x.reshape((1,)), one, flat_src, accumulate).reshape(())
        )
    where = np.unravel_index(flat % max(self.size, 1), self.shape)
    return _im.inplace(self, "put_", lambda x: index_put(x, where, src.reshape((-1,)), accumulate))


def _fill_diagonal_(self: Tensor, fill_value: Any, wrap: bool = False) -> Tensor:
    """In place: the main diagonal set to ``fill_value`` (all axes of equal length beyond 2-d; ``wrap``
    restarts it every ``ncols + 1`` rows of a tall matrix, as numpy's and PyTorch's)."""
    if self.ndim < 2:
        raise RuntimeError(f"fill_diagonal_: dimensions must larger than 1, got shape {self.shape}")
    if self.ndim > 2 and len(set(self.shape)) != 1:
        raise RuntimeError(
            f"fill_diagonal_: all dimensions of input must be of equal length, got {self.shape}"
        )
    _ops().fill_diagonal(self, fill_value, wrap)
    return self


def _no_grad_callable(self: Tensor, name: str, others: tuple) -> None:
    if any(isinstance(t, Tensor) and t.requires_grad for t in (self, *others)):
        raise RuntimeError(
            f"Can't call {name}() on Variable that requires grad (shape {self.shape}). "
            f"Use var.detach().{name}() instead."
        )


def _elementwise(self: Tensor, name: str, fn: Callable, others: tuple) -> Tensor:
    """``fn`` of Python numbers, element by element (``others`` broadcast to ``self``), written into self."""
    _no_grad_callable(self, name, others)
    arrays = []
    for o in others:
        a = np.asarray(o._data if isinstance(o, Tensor) else o)
        try:
            arrays.append(np.broadcast_to(a, self.shape).reshape(-1).tolist())
        except ValueError:  # numpy's ValueError, PyTorch's RuntimeError
            raise ShapeError(
                f"{name}: an argument of shape {a.shape} does not broadcast to the tensor's {self.shape}"
            ) from None
    values = [fn(*args) for args in zip(self._data.reshape(-1).tolist(), *arrays)]
    try:
        out = np.asarray(values).astype(self.dtype).reshape(self.shape) if values else self._data.copy()
    except (TypeError, ValueError):  # fn returned something that is not a number: PyTorch's TypeError
        raise TypeError(f"{name}: the function must return numbers for a {self.dtype} tensor") from None
    return _im.inplace(self, name, lambda x: Tensor._const(out))


def _apply_(self: Tensor, callable: Callable) -> Tensor:  # noqa: A002  PyTorch's parameter name
    """In place: ``callable(v)`` of each element as a Python number (no gradient: refused on a tensor
    that requires grad, as PyTorch's)."""
    return _elementwise(self, "apply_", callable, ())


def _map_(self: Tensor, tensor: Any, callable: Callable) -> Tensor:  # noqa: A002
    """In place: ``callable(a, b)`` of each element ``a`` and ``tensor``'s ``b`` (broadcast to self)."""
    return _elementwise(self, "map_", callable, (tensor,))


def _map2_(self: Tensor, x: Any, y: Any, callable: Callable) -> Tensor:  # noqa: A002
    """In place: ``callable(a, b, c)`` of each element of self, ``x`` and ``y`` (broadcast to self)."""
    return _elementwise(self, "map2_", callable, (x, y))


def _storage_offset(self: Tensor) -> int:
    """The position, in elements, of the first element in the memory it shares with its base array."""
    a = self._data
    start = a.__array_interface__["data"][0] - _owning_array(a).__array_interface__["data"][0]
    return int(start // a.itemsize) if a.itemsize else 0


def _is_set_to(self: Tensor, tensor: Any) -> bool:
    """True when ``tensor`` views the same memory as ``self``: same start, shape, strides and dtype."""
    a, b = self._data, tensor._data if isinstance(tensor, Tensor) else np.asarray(tensor)
    return (
        a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
        and a.shape == b.shape
        and a.strides == b.strides
        and a.dtype == b.dtype
        and _owning_array(a) is _owning_array(b)
    )


def _dim_order(self: Tensor, *, ambiguity_check: Any = False) -> tuple:
    """The axes from outermost to innermost in memory (by decreasing stride): ``(0, 1, ..., n-1)`` for
    a row-major tensor, PyTorch's ``dim_order``."""
    strides = self._data.strides
    return tuple(sorted(range(self.ndim), key=lambda d: -abs(strides[d])))


def _nonzero_static(self: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """The indices of the non-zero elements, one row each (int64, shape ``(size, ndim)``): cut to
    ``size`` rows, or padded with rows of ``fill_value`` (PyTorch's ``nonzero_static``)."""
    if int(size) < 0:
        raise ValueError(f"nonzero_static: 'size' must be an non-negative integer, got {size}")
    idx = np.argwhere(self._data).astype(np.int64)[: int(size)]
    pad = np.full((int(size) - idx.shape[0], self.ndim), fill_value, dtype=np.int64)
    return Tensor._const(np.concatenate([idx.reshape(-1, self.ndim), pad]))


def _unsafe_split(self: Tensor, split_size: Any, dim: int = 0) -> tuple:
    """PyTorch's ``split`` by an int: pieces of ``split_size`` along ``dim`` (the last may be smaller;
    autobp's ``split`` is numpy's)."""
    if not isinstance(split_size, (int, np.integer)):
        raise TypeError(
            f"unsafe_split(): argument 'split_size' must be int, not {type(split_size).__name__} "
            "(sizes: unsafe_split_with_sizes)"
        )
    n, k = self.shape[dim], int(split_size)
    if k <= 0 and n:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={k}")
    sizes = [k] * (n // k) + ([n % k] if n % k else []) if n else [0]
    return _unsafe_split_with_sizes(self, sizes, dim)


def _unsafe_split_with_sizes(self: Tensor, split_sizes: Any, dim: int = 0) -> tuple:
    """Pieces of the given sizes along ``dim`` (PyTorch's ``split_with_sizes``)."""
    return tuple(_ops().split_with_sizes(self, list(split_sizes), dim))


def _unsafe_chunk(self: Tensor, chunks: int, dim: int = 0) -> tuple:
    """PyTorch's ``chunk``: ``chunks`` pieces of ceil(n / chunks) along ``dim`` (fewer when they run out)."""
    return tuple(_ops().chunk(self, chunks, dim))


def _adjoint(self: Tensor) -> Tensor:
    """The conjugate transpose of the last two axes (PyTorch's ``adjoint``: a view there)."""
    if self.ndim < 2:
        raise RuntimeError(
            "tensor.adjoint() is only supported on matrices or batches of matrices. "
            f"Got {self.ndim}-D tensor."
        )
    out = _ops().swapaxes(self, -2, -1)
    return _ops().conj(out) if self.dtype.kind == "c" else out


def _no_dtype(name: str, dtype: str, instead: str) -> Callable[..., Tensor]:
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        raise TypeError(f"{name}(): autobp has no {dtype} dtype (numpy has none); use {instead}() instead")

    method.__name__ = name
    method.__doc__ = f"Refused: PyTorch's cast to {dtype}, a dtype numpy (so autobp) does not have."
    return method


def _method(name: str, call: Callable[..., Any], doc: str) -> Callable[..., Any]:
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        return call(self, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = doc
    return method


def _of(fname: str, doc: str) -> Callable[..., Any]:
    return _method(fname, lambda self, *a, **k: getattr(_ops(), fname)(self, *a, **k), doc)


def _inplace(name: str, fn: Callable[..., Tensor]) -> Callable[..., Tensor]:
    return _method(
        name + "_",
        lambda self, *a, **k: _im.inplace(self, name + "_", lambda x: fn(x, *a, **k)),
        f"In place: ``self`` replaced by ``{name}(self, ...)``.",
    )


def _new_empty_strided(
    self: Tensor,
    size: Any,
    stride: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    layout: Any = None,
    pin_memory: bool = False,
) -> Tensor:
    """A new uninitialised leaf of ``size`` whose ``stride()`` is ``stride`` (in elements), in
    ``self``'s dtype unless ``dtype`` (PyTorch's ``Tensor.new_empty_strided``)."""
    from ._device import check_device

    check_device(device, "new_empty_strided")
    size, stride = tuple(int(n) for n in size), tuple(int(s) for s in stride)
    if len(size) != len(stride) or any(n < 0 for n in size) or any(s < 0 for s in stride):
        raise ValueError(f"new_empty_strided: size {size} and stride {stride}: one non-negative pair per dim")
    dt = np.dtype(dtype or self.dtype)
    span = 1 + sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else 0
    data = np.lib.stride_tricks.as_strided(np.empty(span, dt), size, tuple(s * dt.itemsize for s in stride))
    out = Tensor._const(data)  # not Tensor(data), which would copy it into row-major order
    return out.requires_grad_() if requires_grad else out


METHODS: dict[str, Any] = {
    "bincount": _bincount,
    "new_empty_strided": _new_empty_strided,
    "diagflat": _of("diagflat", "The tensor flattened onto the ``offset``-th diagonal of a square matrix."),
    "fill_diagonal_": _fill_diagonal_,
    "frexp": _of("frexp", "``(mantissa, exponent)``, ``self = mantissa * 2**exponent`` (exponent int32)."),
    "gcd": _of("gcd", "The elementwise greatest common divisor of integer tensors."),
    "lcm": _of("lcm", "The elementwise least common multiple of integer tensors."),
    "ldexp": _ldexp,
    "heaviside": _of("heaviside", "0 where self < 0, 1 where self > 0, ``values`` where self is 0."),
    "histc": _of(
        "histc", "Counts in ``bins`` equal bins over [min, max] (the data's range when both are 0)."
    ),
    "histogram": _histogram,
    "i0": _of("i0", "The modified Bessel function of the first kind, order 0, elementwise."),
    "inverse": _of("inverse", "The inverse of a (batch of) square matrix (PyTorch's ``Tensor.inverse``)."),
    "isreal": _of("isreal", "True where the element has no imaginary part."),
    "lu": _lu,
    "lu_solve": _method(
        "lu_solve",
        lambda self, LU_data, LU_pivots: _ops().linalg.lu_solve(LU_data, LU_pivots, self),
        "X with A X = self, from ``(LU_data, LU_pivots)`` of ``A.lu()`` (PyTorch's ``Tensor.lu_solve``).",
    ),
    "cholesky_solve": _of(
        "cholesky_solve", "X with A X = self, given A's Cholesky factor (``upper`` or lower)."
    ),
    "cholesky_inverse": _of("cholesky_inverse", "The inverse of A from A's Cholesky factor ``self``."),
    "positive": _of("positive", "``self`` unchanged (+self); refused for bool tensors."),
    "put_": _put_,
    "narrow_copy": _method(
        "narrow_copy",
        lambda self, dim, start, length: _ops().narrow(self, dim, start, length).clone(),
        "A copy of ``narrow(dim, start, length)``: ``length`` entries of ``dim`` from ``start``.",
    ),
    "adjoint": _adjoint,
    "apply_": _apply_,
    "map_": _map_,
    "map2_": _map2_,
    "storage_offset": _storage_offset,
    "nonzero_static": _nonzero_static,
    "unsafe_chunk": _unsafe_chunk,
    "unsafe_split": _unsafe_split,
    "unsafe_split_with_sizes": _unsafe_split_with_sizes,
    "chalf": _no_dtype("chalf", "complex32", "cfloat"),
    "bfloat16": _no_dtype("bfloat16", "bfloat16", "float"),
    "dim_order": _dim_order,
    "is_set_to": _is_set_to,
    "is_shared": _method(
        "is_shared", lambda self: False, "False: autobp's tensors are not in shared memory."
    ),
    "is_pinned": _method(
        "is_pinned", lambda self: False, "False: autobp has no pinned (page-locked) memory."
    ),
    "share_memory_": _method("share_memory_", lambda self: self, "``self`` (a no-op: one process's memory)."),
    "pin_memory": _method("pin_memory", lambda self, *a, **k: self, "``self`` (a no-op: host memory only)."),
}
PROPERTIES = {
    "output_nr": property(
        lambda self: self.__dict__.get("_output_nr", 0),
        doc="The index of this tensor among its op's outputs (a custom Function's; 0 for the built-in ops).",
    ),
    "layout": property(
        lambda self: strided, doc="``autobp.strided``: every tensor is a strided numpy array."
    ),
}


def attach() -> None:
    """Put the methods and properties on Tensor, and the in-place forms ``gcd_``, ``lcm_``, ``ldexp_``,
    ``heaviside_``, ``i0_``, ``conj_physical_``, each only where Tensor has no attribute of that name."""
    methods = dict(METHODS)
    methods.update(_ipm.METHODS)
    F = _ops()
    for name, fn in (("gcd", F.gcd), ("lcm", F.lcm), ("heaviside", F.heaviside), ("i0", F.i0)):
        methods[name + "_"] = _inplace(name, fn)
    methods["ldexp_"] = _inplace("ldexp", _ldexp)
    methods["conj_physical_"] = _inplace("conj_physical", F.conj_physical)
    for name, fn in {**methods, **PROPERTIES}.items():
        if not hasattr(Tensor, name):
            setattr(Tensor, name, fn)
