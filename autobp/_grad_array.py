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

from ._torch_array import TorchArrayMethods


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


class GradArray(TorchArrayMethods, np.ndarray):
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
    the next accumulation), not ``t`` itself, not integral for a floating tensor, not a Tensor of another
    shape (the next backward broadcast into it). Arrays and lists of another shape are left to the
    optimisers' checks (they name the parameter)."""
    if isinstance(value, (int, float, complex, str, bytes, np.generic)):
        raise TypeError(
            f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}"
        )
    if value is t:
        raise RuntimeError("can't assign Variable as its own grad")
    from .tensor import Tensor

    if isinstance(value, Tensor) and value.shape != t.shape:  # (the next backward broadcast into it)
        raise RuntimeError(f"assigned grad has data of a different size: {value.shape}, the tensor {t.shape}")
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
