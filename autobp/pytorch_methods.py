"""PyTorch's Tensor methods that numpy's ndarray has no counterpart for: the functions of
``pytorch_functions.py`` as methods, dtype and device queries (``short()``, ``is_signed()``,
``get_device()``, ...), ``equal``, ``new``, ``unique`` with PyTorch's signature, and the in-place forms
(``acos_``, ``atan2_``, ``eq_``, ``tril_``, ...) of ops autobp has. ``attach()`` puts them on Tensor,
leaving every method Tensor already has as it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import pytorch_functions as _pf
from . import pytorch_index_copy as _pic
from . import pytorch_math as _pm
from . import pytorch_names as _pn
from ._device import no_device_method
from .ops import inplace_methods as _im
from .tensor import Tensor

_TYPE_NAMES = {
    "float64": "DoubleTensor", "float32": "FloatTensor", "float16": "HalfTensor", "int64": "LongTensor",
    "int32": "IntTensor", "int16": "ShortTensor", "int8": "CharTensor", "uint8": "ByteTensor",
    "bool": "BoolTensor", "complex64": "ComplexFloatTensor", "complex128": "ComplexDoubleTensor",
}  # fmt: skip


def _type(self: Tensor, dtype: Any = None, non_blocking: bool = False) -> Any:
    """Without ``dtype``, PyTorch's type name (``"autobp.DoubleTensor"``); with one, the tensor in it."""
    if dtype is None:
        return "autobp." + _TYPE_NAMES.get(self.dtype.name, self.dtype.name)
    if getattr(dtype, "is_cuda", False) is True or (isinstance(dtype, str) and ".cuda." in dtype):
        raise RuntimeError(f"Tensor.type({dtype!r}): autobp computes with numpy on the CPU and has no CUDA")
    if isinstance(dtype, str) and dtype.rsplit(".", 1)[-1] in _TYPE_NAMES.values():  # "torch.FloatTensor"
        dtype = {v: k for k, v in _TYPE_NAMES.items()}[dtype.rsplit(".", 1)[-1]]
    from .legacy_tensor_types import _LegacyTensorType

    if isinstance(dtype, _LegacyTensorType):
        dtype = dtype.dtype  # a legacy type: autobp.FloatTensor
    elif isinstance(dtype, type) and issubclass(dtype, Tensor):  # t.type(torch.Tensor): the default dtype
        from .pytorch_names import get_default_dtype

        dtype = get_default_dtype()
    return self if self.dtype == dtype else self.astype(dtype)


def _cast(dtype: Any) -> Callable[[Tensor], Tensor]:
    def method(self: Tensor, memory_format: Any = None) -> Tensor:  # memory_format: row-major always
        return self if self.dtype == dtype else self.astype(dtype)

    method.__doc__ = f"The tensor as {np.dtype(dtype).name} (PyTorch's cast method)."
    return method


def _new(self: Tensor, *args: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """PyTorch's legacy ``t.new(...)``: a tensor of ``t``'s dtype, uninitialised of the given sizes, or
    holding the given data."""
    dt = dtype or self.dtype
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)) and not isinstance(args[0], tuple):
        return Tensor(np.asarray(args[0], dtype=dt), requires_grad=requires_grad, dtype=dt)
    shape = args[0] if len(args) == 1 and isinstance(args[0], tuple) else args
    return Tensor(np.empty(tuple(int(s) for s in shape), dtype=dt), requires_grad=requires_grad, dtype=dt)


def _equal(self: Tensor, other: Any) -> bool:
    """True when ``other`` has this shape and every element equal (PyTorch's ``Tensor.equal``)."""
    b = other._data if isinstance(other, Tensor) else np.asarray(other)
    return self.shape == b.shape and bool(np.array_equal(self._data, b))


def _unique(  # noqa: A002  PyTorch's keyword ``sorted``
    self: Tensor,
    sorted: bool = True,
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: Any = None,
) -> Any:
    """PyTorch's ``Tensor.unique``: the distinct values, sorted; inverse indices and counts on request."""
    from .ops import unique

    out = unique(self, return_inverse=return_inverse, return_counts=return_counts, axis=dim)
    if return_inverse and dim is None and isinstance(out, tuple):  # torch: the inverse has the input's shape
        out = (out[0], out[1].reshape(self.shape), *out[2:])
    return out


def _sum_to_size(self: Tensor, *size: Any) -> Tensor:
    """The sum over the axes that broadcasting ``size`` to this shape would expand (``sum_to_size``)."""
    from ._broadcast import unbroadcast

    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else tuple(size)
    try:
        fits = np.broadcast_shapes(shape, self.shape) == self.shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"sum_to_size: size {shape} is not expandable to the tensor's shape {self.shape}")
    return unbroadcast(self, shape)


def _polygamma(self: Tensor, n: int) -> Tensor:
    return _pm.polygamma(n, self)


def _as_subclass(self: Tensor, cls: type) -> Tensor:
    """PyTorch's ``as_subclass``: this tensor's data, shared (a view: gradients flow back), as an
    instance of ``cls``, a subclass of Tensor. Ops on it return plain Tensors (autobp has no
    ``__torch_function__`` to carry the class through)."""
    if not (isinstance(cls, type) and issubclass(cls, Tensor)):
        raise TypeError(
            "Creating a Tensor subclass from a class that does not inherit from Tensor is not possible. "
            f"Make sure your class inherits from Tensor (as_subclass got {cls!r})."
        )
    view = self.view_as(self)
    view.__class__ = cls
    return view


METHODS: dict[str, Any] = {
    name: getattr(_pf, name, None) or getattr(_pm, name, None) or getattr(_pn, name)
    for name in (
        "addmm", "addmv", "addr", "baddbmm", "addbmm", "aminmax", "dist", "renorm", "diag_embed",
        "index_copy", "index_fill", "masked_scatter", "take_along_dim", "msort", "mode", "split_with_sizes",
        "sgn", "lgamma", "digamma", "mvlgamma", "det", "logdet", "slogdet", "pinverse", "matrix_power",
        "matrix_exp", "cholesky", "qr", "svd", "is_nonzero", "resolve_conj", "resolve_neg",
        "unique_consecutive",
    )
}  # fmt: skip
METHODS.update(
    {
        "polygamma": _polygamma,
        "as_subclass": _as_subclass,
        "type": _type,
        "short": _cast(np.int16),
        "byte": _cast(np.uint8),
        "char": _cast(np.int8),
        "cfloat": _cast(np.complex64),
        "cdouble": _cast(np.complex128),
        "ndimension": lambda self: self.ndim,
        "is_signed": lambda self: self.dtype.kind in "fic",
        "is_same_size": lambda self, other: self.shape == tuple(np.shape(other)),
        "is_conj": lambda self: False,
        "is_neg": lambda self: False,
        "is_inference": lambda self: False,
        "get_device": lambda self: -1,
        "new": _new,
        "equal": _equal,
        "unique": _unique,
        "sum_to_size": _sum_to_size,
    }
)


def _index_fill_(self: Tensor, dim: int, index: Any, value: Any) -> Tensor:
    """In place: the slices at ``index`` along ``dim`` set to ``value`` (a number or a 0-d Tensor),
    PyTorch's ``Tensor.index_fill_``; also through an expanded tensor, as PyTorch's fills."""
    fill = lambda x: _pf.index_fill(x, dim, index, value)  # noqa: E731
    where = _pic._along(self, dim, index) if self.ndim else None  # a 0-d tensor: as one element
    return _im.inplace(self, "index_fill_", fill, fills=where)


def _inplace_of(fn: Callable[..., Tensor], name: str) -> Callable[..., Tensor]:
    """``t.<name>(*args)``: ``fn(t, *args)`` written into ``t`` (see ops/inplace_methods.py)."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return _im.inplace(self, name, lambda x: fn(x, *args, **kwargs))

    method.__name__ = name
    method.__doc__ = f"In place: ``self`` replaced by ``{name[:-1]}(self, ...)``."
    return method


# in-place forms of ops autobp has, by their PyTorch and numpy names
_INPLACE = (
    "arccos arccosh arcsin arcsinh arctan arctanh acos acosh asin asinh atan atanh cosh sinh tan erf erfc "
    "erfinv exp2 fix log10 log2 logit nan_to_num negative rad2deg deg2rad sinc absolute arctan2 atan2 hypot "
    "xlogy remainder fmod floor_divide float_power copysign logical_and logical_or logical_xor logical_not "
    "bitwise_and bitwise_or bitwise_xor bitwise_not bitwise_left_shift bitwise_right_shift eq ne lt le gt "
    "ge greater greater_equal less less_equal not_equal divide multiply subtract true_divide tril triu "
    "cumsum cumprod nextafter"
).split()


_DENSE = "autobp's tensors are dense numpy arrays"
_FALSE_FLAGS = {
    "is_sparse": _DENSE,
    "is_sparse_csr": _DENSE,
    "is_quantized": _DENSE,
    "is_mkldnn": _DENSE,
    "is_nested": _DENSE,
    "is_meta": "every autobp tensor holds its data",
    **{f"is_{d}": "autobp computes on the CPU" for d in "mps xpu ipu xla vulkan mtia maia".split()},
}


def attach() -> None:
    """Put the methods on Tensor, each only where Tensor has no method of that name yet."""
    for name, fn in METHODS.items():
        if not hasattr(Tensor, name):
            setattr(Tensor, name, fn)
    from ._view_links import attach as attach_view_links

    attach_view_links(Tensor)
    if not hasattr(Tensor, "is_cpu"):
        Tensor.is_cpu = property(lambda self: True, doc="True: autobp's tensors live in host memory.")
    for flag in _FALSE_FLAGS:  # ported code tests these (``if p.grad.is_sparse:``): never, here
        if not hasattr(Tensor, flag):
            setattr(Tensor, flag, property(lambda self: False, doc=f"False: {_FALSE_FLAGS[flag]}."))
    for device in ("cuda", "xpu", "mps", "ipu", "mtia"):
        if not hasattr(Tensor, device):
            setattr(Tensor, device, no_device_method("Tensor", device, "the tensor itself"))
    extra = [
        "frac",
        "sgn",
        "lgamma",
        "digamma",
        "polygamma",
        "mvlgamma",
        "renorm",
        "index_copy",
        "index_fill",
    ]
    if not hasattr(Tensor, "index_fill_"):
        Tensor.index_fill_ = _index_fill_
    for name in _INPLACE + extra + ["masked_scatter"]:
        fn = getattr(Tensor, name, None)
        if fn is not None and not hasattr(Tensor, name + "_"):
            setattr(Tensor, name + "_", _inplace_of(fn, name + "_"))
