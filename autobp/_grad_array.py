"""GradArray: what ``Tensor.grad`` hands to user code, a plain ndarray (numpy's functions and operators on
it give plain ndarrays) that also answers the PyTorch Tensor methods ported code calls on a gradient
(``zero_``, ``add_``, ``data``, ``numpy``, ``norm``, ``clone``...), with PyTorch's meaning.

It is a view of the array the engine accumulates into, made when user code first reads ``.grad``
(tensor.py): the engine, the optimisers and nn.utils read the internal array and never pay for it.
In-place methods write into that buffer, so ``x.grad.zero_()`` then ``backward()`` leaves the new
gradient only, as in PyTorch. Results that are new arrays come back as plain ndarrays; views made by
indexing or reshaping keep the methods, since writing into them writes into the gradient, as
PyTorch's views of ``.grad`` do.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ._size import _Size


def _values(x: Any) -> Any:
    """An operand's numbers: a Tensor's array (its values, without a graph: ``.grad`` has none)."""
    if isinstance(x, np.ndarray):
        return x
    data = getattr(x, "_data", None)
    return x if data is None else data


def _plain(out: Any, args: tuple, kwargs: dict) -> Any:
    """A numpy function's result with GradArrays made plain, except an array that was passed in
    (``out=``, or a function that returns its argument): that one is the caller's object."""
    if type(out) is GradArray:
        if any(out is a for a in args) or any(out is a for a in kwargs.values()):
            return out
        return out.view(np.ndarray)
    if type(out) in (tuple, list):
        return type(out)(_plain(o, args, kwargs) for o in out)
    return out


class GradArray(np.ndarray):
    """A gradient as an ndarray with PyTorch's Tensor methods (see the module docstring).

    >>> import autobp
    >>> w = autobp.tensor([1.0, 2.0], requires_grad=True)
    >>> (w * w).sum().backward(); w.grad
    array([2., 4.])
    >>> _ = w.grad.zero_(); (3 * w).sum().backward(); w.grad
    array([3., 3.])
    """

    _own = False  # True for the view of an array the engine allocated (see Tensor._zero_grad)

    # --- numpy: results are plain ndarrays, the repr and pickles are an ndarray's -----------------
    def __array_wrap__(self, arr: np.ndarray, context: Any = None, return_scalar: bool = False) -> Any:
        if arr.__class__ is not np.ndarray:  # the out= of an in-place op (grad += g): the array itself
            return arr
        return arr[()] if return_scalar else arr

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
        out = super().__array_function__(func, types, args, kwargs)
        return out if out is NotImplemented else _plain(out, args, kwargs)

    def __repr__(self) -> str:
        return repr(self.view(np.ndarray))

    def __reduce_ex__(self, protocol: Any) -> Any:
        return self.view(np.ndarray).__reduce_ex__(protocol)

    def copy(self, order: str = "C") -> np.ndarray:  # type: ignore[override]
        """numpy's copy: a new plain ndarray (PyTorch's spelling, ``clone``, keeps the methods)."""
        return np.array(self, order=order)

    def astype(self, dtype: Any, *args: Any, **kwargs: Any) -> np.ndarray:  # type: ignore[override]
        """numpy's astype, as a plain ndarray."""
        return self.view(np.ndarray).astype(dtype, *args, **kwargs)

    # --- PyTorch's attributes --------------------------------------------------------------------
    @property
    def data(self) -> GradArray:  # type: ignore[override]
        """PyTorch's ``.data``: the gradient itself (numpy's memoryview is ``memoryview(g)``)."""
        return self

    @property
    def size(self) -> _Size:  # type: ignore[override]
        """numpy's element count, also callable as PyTorch's ``size()`` / ``size(dim)``."""
        return _Size(np.ndarray.size.__get__(self), self.shape)

    requires_grad = False
    grad_fn = None
    is_leaf = True
    is_sparse = False
    is_cuda = False

    @property
    def device(self) -> str:  # type: ignore[override]
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

    def is_contiguous(self, memory_format: Any = None) -> bool:
        """True when the elements are in C order without gaps (or in ``memory_format``'s order)."""
        from .memory_format import is_laid_out

        return is_laid_out(self, memory_format)

    # --- PyTorch's conversions and copies --------------------------------------------------------
    def numpy(self, force: bool = False) -> np.ndarray:
        """The values as a plain ndarray sharing this memory (PyTorch's ``numpy()``)."""
        return self.view(np.ndarray)

    def cpu(self) -> GradArray:
        """Itself: the data is on the CPU already."""
        return self

    def detach(self) -> GradArray:
        """The same memory, another object (PyTorch's ``detach``: writes through it reach ``.grad``)."""
        return self.view(GradArray)

    def detach_(self) -> GradArray:
        """Itself (a gradient has no graph to cut)."""
        return self

    def requires_grad_(self, requires_grad: bool = True) -> GradArray:
        """``requires_grad_(False)`` is itself (PyTorch's zero_grad calls it); a gradient array cannot
        require grad: wrap it in a Tensor to differentiate through it."""
        if requires_grad:
            raise RuntimeError(
                f"requires_grad_: a .grad (an ndarray of shape {self.shape}) cannot require grad; "
                "make a Tensor of it: autobp.tensor(t.grad, requires_grad=True)"
            )
        return self

    def clone(self, *, memory_format: Any = None) -> GradArray:
        """A copy that keeps these methods (PyTorch's ``clone``)."""
        return np.array(self, order="C").view(GradArray)

    def contiguous(self, memory_format: Any = None) -> GradArray:
        """Itself if in C order, else a C-ordered copy."""
        return self if self.flags.c_contiguous else self.clone()

    def to(self, *args: Any, dtype: Any = None, copy: bool = False, **kwargs: Any) -> GradArray:
        """PyTorch's ``to``: a dtype (or another array's), or the CPU; itself when nothing changes."""
        for a in args:
            if isinstance(a, str) and a.split(":")[0] == "cpu":
                continue
            if isinstance(a, str) and a.split(":")[0] in ("cuda", "mps", "meta", "xla"):
                raise ValueError(
                    f"to: gradients live in numpy arrays on the CPU; device {a!r} is not available"
                )
            dtype = a.dtype if hasattr(a, "dtype") and not isinstance(a, (type, np.dtype)) else a
        device = kwargs.pop("device", None)
        if device not in (None, "cpu"):
            raise ValueError(f"to: gradients live on the CPU; device {device!r} is not available")
        if kwargs:
            raise TypeError(f"to: unexpected keyword arguments {sorted(kwargs)}")
        if dtype is None or np.dtype(dtype) == self.dtype:
            return self.clone() if copy else self
        return self.view(np.ndarray).astype(dtype).view(GradArray)

    def float(self) -> GradArray:
        """As float32 (itself if it is)."""
        return self.to(np.float32)

    def double(self) -> GradArray:
        """As float64 (itself if it is)."""
        return self.to(np.float64)

    def view(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """PyTorch's ``view(*shape)`` (ints: the same memory in that shape, refused where it would
        need a copy); anything else is numpy's ``view(dtype, type)``."""
        shape = args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
        if shape and not kwargs and all(isinstance(n, (int, np.integer)) for n in shape):
            out = self.reshape(tuple(int(n) for n in shape))
            if out.size and not np.may_share_memory(out, self):  # numpy copied: PyTorch refuses
                raise RuntimeError(
                    f"view: shape {tuple(shape)} cannot be a view of a gradient of shape {self.shape} "
                    f"and strides {self.strides} without a copy; use .reshape(...)"
                )
            return out
        return super().view(*args, **kwargs)

    # --- PyTorch's in-place methods: they write into the gradient buffer ------------------------
    def zero_(self) -> GradArray:
        """Every element set to 0; the next backward adds into the zeros."""
        self.fill(0)
        return self

    def fill_(self, value: Any) -> GradArray:
        """Every element set to ``value``."""
        self.fill(_values(value))
        return self

    def copy_(self, src: Any, non_blocking: bool = False) -> GradArray:
        """``src``'s values (broadcast to this shape, cast to this dtype) written in."""
        self[...] = _values(src)
        return self

    def add_(self, other: Any, *, alpha: Any = 1) -> GradArray:
        """``self += alpha * other``."""
        other = _values(other)
        self += other if alpha == 1 else other * alpha
        return self

    def sub_(self, other: Any, *, alpha: Any = 1) -> GradArray:
        """``self -= alpha * other``."""
        other = _values(other)
        self -= other if alpha == 1 else other * alpha
        return self

    def mul_(self, other: Any) -> GradArray:
        """``self *= other``."""
        self *= _values(other)
        return self

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> GradArray:
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

    def clamp_(self, min: Any = None, max: Any = None) -> GradArray:  # noqa: A002
        """Values limited to [min, max] (PyTorch's ``clamp_``, alias ``clip_``)."""
        if min is None and max is None:
            raise RuntimeError("clamp_: at least one of 'min' or 'max' must not be None")
        np.clip(self, _values(min), _values(max), out=self)
        return self

    clip_ = clamp_

    def neg_(self) -> GradArray:
        """Every element negated."""
        np.negative(self, out=self)
        return self

    def abs_(self) -> GradArray:
        """Every element replaced by its magnitude."""
        np.absolute(self, out=self)
        return self

    # --- PyTorch's out-of-place methods: plain ndarrays, as numpy's results ---------------------
    def abs(self) -> np.ndarray:
        """``|g|``."""
        return np.absolute(self)

    def neg(self) -> np.ndarray:
        """``-g``."""
        return np.negative(self)

    def pow(self, exponent: Any) -> np.ndarray:
        """``g ** exponent``."""
        return np.power(self, _values(exponent))

    def add(self, other: Any, *, alpha: Any = 1) -> Any:
        """``g + alpha * other``."""
        return self + (other if alpha == 1 else other * alpha)

    def sub(self, other: Any, *, alpha: Any = 1) -> Any:
        """``g - alpha * other``."""
        return self - (other if alpha == 1 else other * alpha)

    def mul(self, other: Any) -> Any:
        """``g * other``."""
        return self * other

    def div(self, other: Any) -> Any:
        """``g / other``."""
        return self / other

    def clamp(self, min: Any = None, max: Any = None) -> np.ndarray:  # noqa: A002
        """Values limited to [min, max]."""
        if min is None and max is None:
            raise RuntimeError("clamp: at least one of 'min' or 'max' must not be None")
        return np.clip(self.view(np.ndarray), _values(min), _values(max))

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Any:
        """PyTorch's ``Tensor.norm``: the p-norm of all elements (``dim`` None) or along ``dim``, as
        one vector ('fro' is 2; numbers and inf as vector norms); 'nuc' of a matrix."""
        a = self.view(np.ndarray) if dtype is None else self.view(np.ndarray).astype(dtype)
        if p == "nuc":
            return np.linalg.norm(a, "nuc", axis=(-2, -1) if dim is None else dim, keepdims=keepdim)
        if p == "fro" or p is None:
            p = 2
        if isinstance(p, str):
            raise ValueError(f"norm: p must be a number, 'fro' or 'nuc', got {p!r}")
        axis = tuple(dim) if isinstance(dim, (list, tuple)) else dim
        return np.linalg.vector_norm(a, ord=p, axis=axis, keepdims=keepdim)

    def equal(self, other: Any) -> bool:
        """True when ``other`` has this shape and these values (PyTorch's ``equal``)."""
        other = np.asarray(_values(other))
        return self.shape == other.shape and bool(np.array_equal(self.view(np.ndarray), other))

    def allclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        """numpy's and PyTorch's ``allclose``."""
        return bool(
            np.allclose(self.view(np.ndarray), _values(other), rtol=rtol, atol=atol, equal_nan=equal_nan)
        )


def grad_view(g: np.ndarray) -> GradArray:
    """The GradArray that ``Tensor.grad`` shows for the internal array ``g`` (the same memory)."""
    v = g.view(GradArray)
    if g.base is None:
        v._own = True
    return v


# ``Tensor.grad``: the engine, optimisers, nn.utils and compile read and write ``Tensor._grad``, the array
# itself, at no extra cost; user code reading ``.grad`` gets the GradArray view of it, made once and kept.
def _read(t: Any) -> Any:
    g = t._grad
    if g.__class__ is np.ndarray:  # the first read since backward delivered it (or it was set by hand)
        g = t._grad = grad_view(g)
    elif g is None and t._op is not None and not getattr(t._retains_grad, "retains", t._retains_grad):
        warnings.warn(  # PyTorch's warning: a non-leaf's .grad stays None unless it retains it
            "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
            "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
            "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor.",
            UserWarning,
            stacklevel=2,
        )
    return g


def _write(t: Any, value: Any) -> None:
    if value is not None:
        _check_assigned(t, value)
    t._grad = value


def _check_assigned(t: Any, value: Any) -> None:
    """PyTorch's checks of ``t.grad = value``: not a number or a string (a silent int ``.grad`` broke
    the next accumulation), not ``t`` itself, not integral for a floating tensor. Arrays and lists of
    another shape are left to the optimisers' checks (they name the parameter)."""
    if isinstance(value, (int, float, complex, str, bytes, np.generic)):
        raise TypeError(
            f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}"
        )
    if value is t:
        raise RuntimeError("can't assign Variable as its own grad")
    dtype = getattr(getattr(value, "_data", value), "dtype", None)
    if t._data.dtype.kind in "fc" and getattr(dtype, "kind", "f") not in "fc":
        raise RuntimeError(
            f"assigned grad has data of a different type: a {dtype} grad for a {t._data.dtype} tensor"
        )


def _clear(t: Any) -> None:
    t._grad = None


GRAD = property(
    _read,
    _write,
    _clear,
    doc="""The gradient backward accumulated (None before any): an ndarray of the tensor's shape and dtype
    that also answers PyTorch's Tensor methods (``zero_``, ``add_``, ``data``, ``numpy``, ``norm``...), or a
    Tensor after ``backward(create_graph=True)``. Set it by hand to any array, or None.""",
)
