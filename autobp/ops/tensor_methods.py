"""Tensor methods and attributes a numpy or PyTorch user expects that are not one op's declaration:
PyTorch's method spellings of autobp functions (``t.add``, ``t.matmul``, ``t.eq``), the matrix
transposes ``mT``/``mH``/``H``, ``clone``/``copy``, the ``*_as`` and ``new_*`` families, ``to``, and
numpy's and PyTorch's memory attributes (``itemsize``, ``nbytes``, ``strides``, ``stride()``, ...).
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .._addc_old import _old_addc
from .._autocast import suspended
from .._broadcast import ShapeError, normalize_axes
from .._device import CPU, check_device
from .._tensor_hooks import retains_grad
from ..memory_format import contiguous_format, is_laid_out, preserve_format, relayout
from ..tensor import Tensor, _as_array
from ._args import as_tensor
from ._creation_args import torch_only
from ._decl import op
from .complex_parts import conj
from .flat_view import FlatView
from .shape import _shape_arg, astype, expand, swapaxes

_M = "shape"


# --- copies ------------------------------------------------------------------------------------
@op(family=_M, rules=("astype",), torch=("clone",))
def copy(a: Any, order: str = "K", subok: bool = False, *, memory_format: Any = None) -> Tensor:
    """A copy with its own memory (numpy's copy, PyTorch's clone); the gradient passes unchanged."""
    if not isinstance(order, str):  # numpy's check (t.copy(other) is not PyTorch's copy_)
        raise TypeError(f"copy: order must be str, not {type(order).__name__}")
    if order not in ("K", "A", "C", "F"):
        raise ValueError(f"copy: order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    a = as_tensor(a)
    out = astype(a, a.dtype)
    if memory_format is not None:  # the new array laid out as asked (values and gradient unchanged)
        out._data = relayout(out._data, memory_format, "clone")
    return out


_clone = copy  # for methods whose ``copy=`` argument hides the name


def _contiguous(self: Tensor, memory_format: Any = None) -> Tensor:
    """``self`` if its array is laid out as ``memory_format`` (C order unless channels_last...), else
    a copy laid out so (PyTorch's ``contiguous``)."""
    if is_laid_out(self._data, memory_format):
        return self
    data = relayout(self._data, memory_format or contiguous_format, "contiguous")
    return Tensor._make(data, (self,), "astype") if data.dtype.kind == "f" else Tensor._const(data)


# --- matrix transposes: the last two axes (numpy 2's and PyTorch's mT) ----------------------------
def _matrix_transpose(self: Tensor, name: str) -> Tensor:
    if self.ndim < 2:
        raise ShapeError(  # numpy's ValueError, PyTorch's RuntimeError and words
            f"{name}: a matrix transpose needs at least 2 axes, got shape {self.shape} (tensor.{name} is "
            f"only supported on matrices or batches of matrices. Got {self.ndim}-D tensor.)"
        )
    return swapaxes(self, -1, -2)


def _h(self: Tensor) -> Tensor:
    if self.ndim != 2:  # PyTorch's .H is for matrices only (use .mH for batches)
        raise ShapeError(
            f"H: the conjugate transpose needs a 2-D tensor, got shape {self.shape}; use .mH (tensor.H is "
            f"only supported on matrices (2-D tensors). Got {self.ndim}-D tensor.)"
        )
    return conj(swapaxes(self, 0, 1))


PROPERTIES = {
    "mT": property(lambda self: _matrix_transpose(self, "mT"), doc="The last two axes swapped (a view)."),
    "mH": property(
        lambda self: conj(_matrix_transpose(self, "mH")),
        doc="The conjugate transpose of the last two axes; for real tensors, mT.",
    ),
    "H": property(_h, doc="The conjugate transpose of a 2-D tensor; for real tensors, T."),
    "itemsize": property(lambda self: self._data.itemsize, doc="Bytes per element (numpy's)."),
    "nbytes": property(lambda self: self._data.nbytes, doc="Bytes of all the elements (numpy's)."),
    "strides": property(lambda self: self._data.strides, doc="Bytes to step along each axis (numpy's)."),
    "device": property(
        lambda self: CPU,
        doc="Where the data lives: always 'cpu' (numpy's ndarray.device; ``.type`` as PyTorch's device).",
    ),
    "is_cuda": property(lambda self: False, doc="False: tensors live in numpy arrays."),
    "flat": property(
        lambda self: FlatView(self), doc="numpy's flat iterator: t.flat[i] reads, t.flat[i] = v writes."
    ),
    "retains_grad": property(retains_grad, doc="True after retain_grad() on a non-leaf."),
}


# --- PyTorch's spellings of functions as methods --------------------------------------------------
def _add(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """``self + alpha * other`` (PyTorch's ``t.add``)."""
    return self + (other if alpha == 1 else other * alpha)


def _sub(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """``self - alpha * other`` (PyTorch's ``t.sub``)."""
    return self - (other if alpha == 1 else other * alpha)


def _where(self: Tensor, condition: Any, y: Any) -> Tensor:
    """PyTorch's ``t.where(condition, y)``: ``self`` where ``condition``, else ``y``."""
    from .elementwise import where

    return where(condition, self, y)


def _frac(self: Tensor) -> Tensor:
    """The fractional part, ``x - trunc(x)`` (PyTorch's ``frac``; gradient 1)."""
    from .rounding import trunc

    return self - trunc(self)


def _function(name: str) -> Any:
    """``t.<name>(*args)`` = ``autobp.<declared>(t, *args)`` for a declared op without a method."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        from ._decl import ALIASES, DECLS

        return DECLS[ALIASES.get(name, name)].fn(self, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"``autobp.{name}(self, ...)`` as a method (PyTorch's ``Tensor.{name}``)."
    return method


_SPELLINGS = ("mul", "multiply", "div", "divide", "true_divide", "subtract", "pow", "matmul", "maximum")
_SPELLINGS += ("minimum", "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less")
_SPELLINGS += ("less_equal", "not_equal")


# --- shapes and dtypes of other tensors: the *_as family, to, new_* -----------------------------
def _view_as(self: Tensor, other: Tensor) -> Tensor:
    """``self`` viewed with ``other``'s shape (``view(other.shape)``: refused where it would need a copy)."""
    return self.view(tuple(other.shape))


def _reshape_as(self: Tensor, other: Tensor) -> Tensor:
    """``self`` reshaped to ``other``'s shape (a view where possible, else a copy)."""
    return self.reshape(other.shape)


def _expand_as(self: Tensor, other: Tensor) -> Tensor:
    """``self`` broadcast to ``other``'s shape (as ``expand``: a writable view when nothing repeats)."""
    return expand(self, *other.shape)


def _type_as(self: Tensor, other: Tensor) -> Tensor:
    """``self`` in ``other``'s dtype (``self`` itself if it has it already)."""
    return self if self.dtype == other.dtype else astype(self, other.dtype)


def _to(self: Tensor, *args: Any, dtype: Any = None, copy: bool = False, **kwargs: Any) -> Tensor:
    """PyTorch's ``to``: a dtype, or another tensor's dtype; a device must be the CPU. Returns
    ``self`` when nothing changes (unless ``copy``). Positional flags after them are PyTorch's
    ``non_blocking`` (no effect) and ``copy``; ``memory_format`` lays a copy out that way if needed."""
    flags = [a for a in args if isinstance(a, (bool, np.bool_))]
    if len(flags) > 2:
        raise TypeError(f"to: at most two flags (non_blocking, copy), got {flags}")
    if len(flags) == 2:
        copy = bool(flags[1]) or copy
    for a in args:
        if isinstance(a, (bool, np.bool_)):
            continue
        if isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, str) or isinstance(getattr(a, "type", None), str):  # "cpu", torch.device
            check_device(a, "to")
        else:
            dtype = a
    check_device(kwargs.pop("device", None), "to")
    layout = kwargs.pop("memory_format", None)
    kwargs.pop("non_blocking", None)
    if kwargs:
        raise TypeError(f"to: unexpected keyword arguments {sorted(kwargs)}")
    if layout is not None and layout is not preserve_format and not is_laid_out(self._data, layout):
        return _clone(self if dtype is None else astype(self, dtype), memory_format=layout)
    if dtype is None or np.dtype(dtype) == self.dtype:
        return _clone(self) if copy else self
    return astype(self, dtype)


def _new(fill: Any) -> Any:
    """PyTorch's ``new_zeros``/``new_ones`` (``fill``) and ``new_empty`` (None): a new leaf of ``size``
    (given as numbers or one tuple) in ``self``'s dtype unless ``dtype``."""

    def method(
        self: Tensor,
        *sizes: Any,
        dtype: Any = None,
        requires_grad: bool = False,
        device: Any = None,
        layout: Any = None,
        size: Any = None,
    ) -> Tensor:
        check_device(device, "new_zeros/new_ones/new_empty")
        torch_only("new_zeros/new_ones/new_empty", layout)
        if size is not None and sizes:
            raise TypeError("new_zeros/new_ones/new_empty: give the size positionally or as size=, not both")
        shape = tuple(int(n) for n in _shape_arg(sizes if size is None else (size,)))
        data = (
            np.empty(shape, dtype or self.dtype)
            if fill is None
            else np.full(shape, fill, dtype or self.dtype)
        )
        return Tensor(data, requires_grad=requires_grad, dtype=data.dtype)

    return method


def _new_full(
    self: Tensor,
    size: Any,
    fill_value: Any,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """A new tensor of ``size`` filled with ``fill_value``, in ``self``'s dtype unless ``dtype``."""
    check_device(device, "new_full")
    data = np.full(tuple(size), fill_value, dtype or self.dtype)
    return Tensor(data, requires_grad=requires_grad, dtype=data.dtype)


def _new_tensor(
    self: Tensor, data: Any, *, dtype: Any = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """A new leaf holding ``data``, in ``self``'s dtype unless ``dtype``."""
    check_device(device, "new_tensor")
    return Tensor(
        _as_array(data, dtype or self.dtype), requires_grad=requires_grad, dtype=dtype or self.dtype
    )


# --- PyTorch's selection helpers ---------------------------------------------------------------
def _select(self: Tensor, dim: int, index: int) -> Tensor:
    """The slice at ``index`` along ``dim`` (that axis removed): ``t[..., index, ...]``."""
    (d,) = normalize_axes(dim, self.ndim, "select", self.shape)
    return self[(slice(None),) * d + (index,)]


def _narrow(self: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``length`` elements from ``start`` along ``dim`` (a view); ``start`` an int or a 0-d integer
    Tensor (PyTorch's)."""
    if isinstance(start, Tensor):
        if start.ndim or start.dtype.kind not in "iu":
            raise ShapeError(
                f"narrow: start must be an 0-dim integral Tensor, got shape {start.shape} of {start.dtype}"
            )
        start = int(start.item())
    start = operator.index(start)  # a float is refused (TypeError), as PyTorch's
    (d,) = normalize_axes(dim, self.ndim, "narrow", self.shape)
    n = self.shape[d]
    start = start + n if start < 0 else start
    if not (0 <= start and length >= 0 and start + length <= n):
        raise IndexError(
            f"narrow: start {start} and length {length} exceed axis {d} of length {n} ({self.shape})"
        )
    return self[(slice(None),) * d + (slice(start, start + length),)]


def _unbind(self: Tensor, dim: int = 0) -> tuple:
    """The slices along ``dim``, as a tuple (that axis removed from each)."""
    (d,) = normalize_axes(dim, self.ndim, "unbind", self.shape)
    return tuple(_select(self, d, i) for i in range(self.shape[d]))


# --- memory and type queries --------------------------------------------------------------------
def _stride(self: Tensor, dim: Any = None) -> Any:
    """PyTorch's strides, in elements (numpy's ``strides`` are in bytes); one axis with ``dim``."""
    s = tuple(b // self._data.itemsize for b in self._data.strides)
    if dim is None:
        return s
    return s[normalize_axes(dim, self.ndim, "stride", self.shape)[0]]


def _detach_(self: Tensor) -> Tensor:
    """Cut ``self`` from its graph in place: it becomes a leaf that does not require grad. Refused, as
    PyTorch refuses it, on a view in a graph (its base would go on seeing it): use ``detach()``."""
    if self._op is not None and self._source is not None:
        raise RuntimeError(
            f"Can't detach views in-place. Use detach() instead (this tensor of shape {self.shape} is a "
            f"view of another one, made by {self._op!r})."
        )
    if self.requires_grad:  # graphs already made through it can no longer reach its inputs: they refuse
        from .._inplace import bump

        bump(self)
        self._detached_at = self._written_at
    self._parents, self._op, self._ctx, self.requires_grad = (), None, None, False
    return self


# --- matrix products with PyTorch's shape rules, addcmul/addcdiv, numpy's flat ------------------
def _product(name: str, ranks: tuple) -> Any:
    def method(self: Tensor, other: Any) -> Tensor:
        other = as_tensor(other)
        if (self.ndim, other.ndim) != ranks:
            raise ShapeError(
                f"{name}: needs {ranks[0]}-D and {ranks[1]}-D tensors, "
                f"got shapes {self.shape} and {other.shape}"
            )
        if name == "mv":  # PyTorch's CPU autocast leaves mv (and addmv) alone, though autobp's is @
            return suspended(operator.matmul, self, other)
        return self @ other

    method.__name__ = name
    method.__doc__ = f"PyTorch's ``{name}``: ``self @ other`` for {ranks[0]}-D and {ranks[1]}-D tensors."
    return method


def _t(self: Tensor) -> Tensor:
    """PyTorch's ``t()``: a 2-D tensor transposed; 0-D and 1-D ones as they are."""
    if self.ndim > 2:
        raise ShapeError(
            f"t: expects a tensor of at most 2 axes, got shape {self.shape}; use .mT (PyTorch: t() expects "
            f"a tensor with <= 2 dimensions, but self is {self.ndim}D)"
        )
    return self.T if self.ndim == 2 else self


def _addcmul(self: Tensor, tensor1: Any, tensor2: Any, *old: Any, value: Any = 1) -> Tensor:
    """``self + value * tensor1 * tensor2`` (PyTorch's ``addcmul``; the deprecated value-first form too)."""
    if old:
        value, tensor1, tensor2 = _old_addc("addcmul", tensor1, tensor2, old)
    p = as_tensor(tensor1) * tensor2
    return self + (p if value == 1 else p * value)


def _addcdiv(self: Tensor, tensor1: Any, tensor2: Any, *old: Any, value: Any = 1) -> Tensor:
    """``self + value * tensor1 / tensor2`` (PyTorch's ``addcdiv``; the deprecated value-first form too)."""
    if old:
        value, tensor1, tensor2 = _old_addc("addcdiv", tensor1, tensor2, old)
    q = as_tensor(tensor1) / tensor2
    return self + (q if value == 1 else q * value)


METHODS = {name: _function(name) for name in _SPELLINGS}
METHODS.update(
    {
        "add": _add,
        "sub": _sub,
        "neg": lambda self: -self,
        "negative": lambda self: -self,
        "where": _where,
        "frac": _frac,
        "contiguous": _contiguous,
        "view_as": _view_as,
        "reshape_as": _reshape_as,
        "expand_as": _expand_as,
        "type_as": _type_as,
        "to": _to,
        "cpu": lambda self: self,
        "new_zeros": _new(0),
        "new_ones": _new(1),
        "new_empty": _new(None),
        "new_full": _new_full,
        "new_tensor": _new_tensor,
        "select": _select,
        "narrow": _narrow,
        "unbind": _unbind,
        "nelement": lambda self: self._data.size,
        "element_size": lambda self: self._data.itemsize,
        "stride": _stride,
        "is_contiguous": lambda self, memory_format=None: is_laid_out(self._data, memory_format),
        "is_floating_point": lambda self: self._data.dtype.kind == "f",
        "is_complex": lambda self: self._data.dtype.kind == "c",
        "data_ptr": lambda self: self._data.ctypes.data,
        "detach_": _detach_,
        "mm": _product("mm", (2, 2)),
        "mv": _product("mv", (2, 1)),
        "bmm": _product("bmm", (3, 3)),
        "t": _t,
        "addcmul": _addcmul,
        "addcdiv": _addcdiv,
    }
)
