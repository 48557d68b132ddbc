"""TorchArrayMethods: the PyTorch Tensor methods that ported code calls on the arrays autobp hands out
for a tensor's memory, ``Tensor.grad`` (a GradArray) and ``Tensor.data`` (a TrackedArray): ``zero_``,
``copy_``, ``add_``, ``normal_``, ``clone``, ``view``, ``size()``, ``norm``, ``numpy``... with PyTorch's
meaning. One set of definitions mixed into both ndarray subclasses.

In-place methods write into the array's memory through item assignment, ``fill`` or a ufunc's
``out=``, so each is exactly one write as the subclass counts writes (a TrackedArray bumps its owning
tensor's version once; see autobp/_inplace.py). Methods that make a new array (``clone``, ``to`` a
new dtype) return one of the same class that owns nothing: writes into it reach no tensor. Views
(``view``, ``t``, ``unsqueeze``, ``detach``) share the memory, so writes into them still count.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ._size import _Size
from ._torch_array_fills import FillMethods, _nd, _values
from ._torch_array_linalg import MatrixMethods
from ._torch_array_math import MathMethods

_OLD_ADDC = "Number value, Tensor tensor1, Tensor tensor2"


def _old_overload(name: str, signature: str, scalar: Any, rest: tuple) -> tuple:
    """PyTorch's deprecated scalar-first overloads (``p.data.add_(-lr, grad)``, ``addcmul_(v, a, b)``
    in older optimizers): the scalar and the tensors, after PyTorch's deprecation warning."""
    if not isinstance(scalar, (int, float, complex, np.number)) or isinstance(scalar, bool):
        raise TypeError(
            f"{name}: too many positional arguments (the deprecated {name}({signature}) form "
            f"needs a number first, got {type(scalar).__name__})"
        )
    warnings.warn(f"This overload of {name} is deprecated:\n\t{name}({signature})", UserWarning, stacklevel=3)
    return scalar, (rest[0] if len(rest) == 1 else rest)


class TorchArrayMethods(FillMethods, MathMethods, MatrixMethods):
    """PyTorch's Tensor methods for an ndarray subclass (see the module docstring)."""

    __slots__ = ()

    # --- PyTorch's attributes --------------------------------------------------------------------
    @property
    def data(self) -> Any:
        """PyTorch's ``.data``: the array itself (numpy's memoryview is ``memoryview(a)``)."""
        return self

    @property
    def size(self) -> _Size:
        """numpy's element count, also callable as PyTorch's ``size()`` / ``size(dim)``."""
        return _Size(np.ndarray.size.__get__(self), self.shape)

    requires_grad = False
    grad_fn = None
    is_leaf = True
    is_sparse = False
    is_cuda = False

    @property
    def device(self) -> str:
        """Always the CPU (``"cpu"``, an ``autobp.device``), as a Tensor's."""
        from ._device import CPU

        return CPU

    def numel(self) -> int:
        """The number of elements."""
        return int(np.ndarray.size.__get__(self))

    nelement = numel

    def dim(self) -> int:
        """The number of axes."""
        return self.ndim

    def element_size(self) -> int:
        """Bytes per element."""
        return self.itemsize

    def stride(self, dim: int | None = None) -> Any:
        """PyTorch's strides, in elements (numpy's ``strides`` are in bytes); one axis with ``dim``."""
        s = tuple(b // self.itemsize for b in self.strides)
        return s if dim is None else s[dim]

    def data_ptr(self) -> int:
        """The address of the first element (PyTorch's ``data_ptr``: equal for views sharing it)."""
        return int(self.__array_interface__["data"][0])

    def is_contiguous(self, memory_format: Any = None) -> bool:
        """True when the elements are in C order without gaps (or in ``memory_format``'s order)."""
        from .memory_format import is_laid_out

        return is_laid_out(self, memory_format)

    # --- PyTorch's conversions, copies and views -------------------------------------------------
    def numpy(self, force: bool = False) -> np.ndarray:
        """The values as a plain ndarray sharing this memory (PyTorch's ``numpy()``)."""
        return _nd(self)

    def cpu(self) -> Any:
        """Itself: the data is on the CPU already."""
        return self

    def detach(self) -> Any:
        """The same memory, another object (PyTorch's ``detach``: writes through it reach the tensor)."""
        return np.ndarray.view(self, type(self))

    def detach_(self) -> Any:
        """Itself (the array has no graph to cut)."""
        return self

    def requires_grad_(self, requires_grad: bool = True) -> Any:
        """``requires_grad_(False)`` is itself (PyTorch's zero_grad calls it); the array cannot
        require grad: wrap it in a Tensor to differentiate through it."""
        if requires_grad:
            raise RuntimeError(
                f"requires_grad_: an ndarray of shape {self.shape} (a .grad or .data) cannot require "
                "grad; make a Tensor of it: autobp.tensor(t.grad, requires_grad=True)"
            )
        return self

    def clone(self, *, memory_format: Any = None) -> Any:
        """A copy that keeps these methods (PyTorch's ``clone``); writes into it reach no tensor."""
        return np.array(self, order="C").view(type(self))

    def contiguous(self, memory_format: Any = None) -> Any:
        """Itself if in C order, else a C-ordered copy."""
        return self if self.flags.c_contiguous else self.clone()

    def to(self, *args: Any, dtype: Any = None, copy: bool = False, **kwargs: Any) -> Any:
        """PyTorch's ``to``: a dtype (or another array's), or the CPU; itself when nothing changes."""
        for a in args:
            if isinstance(a, str) and a.split(":")[0] == "cpu":
                continue
            if isinstance(a, str) and a.split(":")[0] in ("cuda", "mps", "meta", "xla"):
                raise ValueError(
                    f"to: autobp's arrays are numpy arrays on the CPU; device {a!r} is not available"
                )
            dtype = a.dtype if hasattr(a, "dtype") and not isinstance(a, (type, np.dtype)) else a
        device = kwargs.pop("device", None)
        if device not in (None, "cpu"):
            raise ValueError(f"to: autobp's arrays live on the CPU; device {device!r} is not available")
        if kwargs:
            raise TypeError(f"to: unexpected keyword arguments {sorted(kwargs)}")
        if dtype is None or np.dtype(dtype) == self.dtype:
            return self.clone() if copy else self
        return _nd(self).astype(dtype).view(type(self))

    def type_as(self, other: Any) -> Any:
        """As ``other``'s dtype (itself if it has it)."""
        return self.to(_values(other).dtype)

    def float(self) -> Any:
        """As float32 (itself if it is)."""
        return self.to(np.float32)

    def double(self) -> Any:
        """As float64 (itself if it is)."""
        return self.to(np.float64)

    def half(self) -> Any:
        """As float16 (itself if it is)."""
        return self.to(np.float16)

    def long(self) -> Any:
        """As int64 (itself if it is)."""
        return self.to(np.int64)

    def int(self) -> Any:
        """As int32 (itself if it is)."""
        return self.to(np.int32)

    def bool(self) -> Any:
        """As bool (itself if it is)."""
        return self.to(np.bool_)

    def view(self, *args: Any, **kwargs: Any) -> Any:
        """PyTorch's ``view(*shape)`` (ints: the same memory in that shape, refused where it would
        need a copy); anything else is numpy's ``view(dtype, type)``."""
        shape = args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
        if shape and not kwargs and all(isinstance(n, (int, np.integer)) for n in shape):
            out = self.reshape(tuple(int(n) for n in shape))
            if out.size and not np.may_share_memory(out, self):  # numpy copied: PyTorch refuses
                raise RuntimeError(
                    f"view: shape {tuple(shape)} cannot be a view of an array of shape {self.shape} "
                    f"and strides {self.strides} without a copy; use .reshape(...)"
                )
            return out
        return super().view(*args, **kwargs)  # type: ignore[misc]

    def view_as(self, other: Any) -> Any:
        """``view`` in ``other``'s shape."""
        return self.view(tuple(np.shape(_values(other))))

    def t(self) -> Any:
        """PyTorch's ``t()``: a matrix's transpose (a view); a vector or scalar as it is."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return self.T

    def permute(self, *dims: Any) -> Any:
        """A view with the axes in the order ``dims`` (numbers or one tuple)."""
        return self.transpose(dims[0] if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims)

    def narrow(self, dim: int, start: int, length: int) -> Any:
        """A view of ``length`` elements from ``start`` along ``dim``."""
        n = self.shape[dim]
        start = start + n if start < 0 else start
        if not (0 <= start and length >= 0 and start + length <= n):
            raise IndexError(f"narrow: start {start} + length {length} exceeds dimension size {n}")
        key = [slice(None)] * self.ndim
        key[dim] = slice(start, start + length)
        return self[tuple(key)]

    def expand(self, *sizes: Any) -> Any:
        """A read-only broadcast view of ``sizes`` (numbers or one tuple; -1 keeps an axis's size)."""
        sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes
        lead = len(sizes) - self.ndim
        if lead < 0:
            raise RuntimeError(
                f"expand: the number of sizes {len(sizes)} is less than the dimensions {self.ndim}"
            )
        shape = tuple(self.shape[i - lead] if n == -1 and i >= lead else int(n) for i, n in enumerate(sizes))
        return np.broadcast_to(_nd(self), shape).view(type(self))

    def expand_as(self, other: Any) -> Any:
        """``expand`` to ``other``'s shape."""
        return self.expand(tuple(np.shape(_values(other))))

    def unsqueeze(self, dim: int) -> Any:
        """A view with a new axis of length 1 at ``dim`` (negative counts from the end of the result)."""
        n = self.ndim + 1
        if not -n <= dim < n:
            raise IndexError(f"unsqueeze: dim {dim} is out of range [{-n}, {n - 1}] for shape {self.shape}")
        d = dim % n
        return self.reshape(self.shape[:d] + (1,) + self.shape[d:])

    # --- PyTorch's in-place methods: they write into this memory ---------------------------------
    def zero_(self) -> Any:
        """Every element set to 0."""
        self.fill(0)
        return self

    def fill_(self, value: Any) -> Any:
        """Every element set to ``value``."""
        self.fill(_values(value))
        return self

    def copy_(self, src: Any, non_blocking: bool = False) -> Any:
        """``src``'s values (broadcast to this shape, cast to this dtype) written in."""
        self[...] = _values(src)
        return self

    def add_(self, other: Any, *old: Any, alpha: Any = 1) -> Any:
        """``self += alpha * other`` (also PyTorch's deprecated ``add_(alpha, other)``, with its warning)."""
        if old:
            alpha, other = _old_overload("add_", "Number alpha, Tensor other", other, old)
        other = _values(other)
        self += other if alpha == 1 else other * alpha
        return self

    def sub_(self, other: Any, *old: Any, alpha: Any = 1) -> Any:
        """``self -= alpha * other`` (also PyTorch's deprecated ``sub_(alpha, other)``, with its warning)."""
        if old:
            alpha, other = _old_overload("sub_", "Number alpha, Tensor other", other, old)
        other = _values(other)
        self -= other if alpha == 1 else other * alpha
        return self

    def mul_(self, other: Any) -> Any:
        """``self *= other``."""
        self *= _values(other)
        return self

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> Any:
        """``self /= other``, rounded toward zero ("trunc") or down ("floor") if asked."""
        other = _values(other)
        if rounding_mode is None:
            self /= other
        elif rounding_mode == "floor":
            np.floor_divide(self, other, out=self)
        elif rounding_mode == "trunc":
            self[...] = np.trunc(np.true_divide(self, other))
        else:
            from ._broadcast import ShapeError  # a ValueError and, as PyTorch's, a RuntimeError

            raise ShapeError(f"div_: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}")
        return self

    def addcmul_(self, tensor1: Any, tensor2: Any, *old: Any, value: Any = 1) -> Any:
        """``self += value * tensor1 * tensor2`` (also the deprecated ``addcmul_(value, t1, t2)``)."""
        if old:
            value, (tensor1, tensor2) = _old_overload("addcmul_", _OLD_ADDC, tensor1, (tensor2, *old))
        self += value * (_values(tensor1) * _values(tensor2))
        return self

    def addcdiv_(self, tensor1: Any, tensor2: Any, *old: Any, value: Any = 1) -> Any:
        """``self += value * tensor1 / tensor2`` (also the deprecated ``addcdiv_(value, t1, t2)``)."""
        if old:
            value, (tensor1, tensor2) = _old_overload("addcdiv_", _OLD_ADDC, tensor1, (tensor2, *old))
        self += value * (_values(tensor1) / _values(tensor2))
        return self

    def lerp_(self, end: Any, weight: Any) -> Any:
        """``self += weight * (end - self)`` (an exponential moving average's step)."""
        self += _values(weight) * (_values(end) - _nd(self))
        return self

    def masked_fill_(self, mask: Any, value: Any) -> Any:
        """``value`` written where ``mask`` (broadcast to this shape) is True."""
        mask = np.asarray(_values(mask))
        if mask.dtype != bool:
            raise RuntimeError(
                f"masked_fill_ only supports boolean masks, but got mask with dtype {mask.dtype}"
            )
        self[...] = np.where(mask, _values(value), _nd(self))
        return self

    def clamp_(self, min: Any = None, max: Any = None) -> Any:  # noqa: A002
        """Values limited to [min, max] (PyTorch's ``clamp_``, alias ``clip_``)."""
        if min is None and max is None:
            raise RuntimeError("clamp_: at least one of 'min' or 'max' must not be None")
        np.clip(self, _values(min), _values(max), out=self)
        return self

    clip_ = clamp_

    def neg_(self) -> Any:
        """Every element negated."""
        np.negative(self, out=self)
        return self

    def abs_(self) -> Any:
        """Every element replaced by its magnitude."""
        np.absolute(self, out=self)
        return self

    def sqrt_(self) -> Any:
        """Every element replaced by its square root."""
        np.sqrt(self, out=self)
        return self
