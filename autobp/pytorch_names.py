"""PyTorch's top-level names with no numpy counterpart, for code ported from PyTorch: its dtype names
(numpy's types: ``autobp.float32`` is ``numpy.float32``, ``autobp.long`` is ``numpy.int64``), ``device``,
``from_numpy``, ``as_tensor``, ``is_tensor``, ``numel``, ``inference_mode``, ``inverse``, ``cdist`` and
the matrix products ``mm``, ``mv``, ``bmm`` with their rank checks. numpy's names for the same things
live beside them in ``autobp``."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ._autocast import autocasts
from ._default_dtype import get_default_dtype, set_default_dtype
from ._device import check_device, device
from ._graph import no_grad
from ._torch_out import takes_out
from .ops._args import as_tensor as _as_tensor
from .ops.tensor_methods import _product
from .tensor import Tensor

# numpy's types under numpy's names, and PyTorch's other spellings of them
float16, float32, float64 = np.float16, np.float32, np.float64
complex64, complex128 = np.complex64, np.complex128
int8, int16, int32, int64 = np.int8, np.int16, np.int32, np.int64
uint8, uint16, uint32, uint64 = np.uint8, np.uint16, np.uint32, np.uint64
bool_ = np.bool_
half, double, cfloat, cdouble = np.float16, np.float64, np.complex64, np.complex128
short, long = np.int16, np.int64
# PyTorch's ``torch.float``/``torch.int``/``torch.bool`` (float32, int32, bool) are set on the autobp
# module as attributes only (not in ``__all__``), so ``from autobp import *`` never shadows the builtins.
TORCH_BUILTIN_NAMES = {"float": np.float32, "int": np.int32, "bool": np.bool_}


class inference_mode(no_grad):  # noqa: N801  PyTorch's name
    """``with autobp.inference_mode():`` PyTorch's spelling of ``no_grad`` (also a decorator); autobp's
    Tensors need no separate inference mode, so it records no graph and nothing else changes."""

    def __new__(cls, mode: Any = True) -> Any:
        if isinstance(mode, bool):
            return object.__new__(cls)
        return cls()(mode)  # @inference_mode without parentheses

    def __init__(self, mode: bool = True) -> None:
        self._enable = not mode

    def __enter__(self) -> None:
        super().__enter__()
        INFERENCE_MODE.append(not self._enable)

    def __exit__(self, *exc: Any) -> None:
        INFERENCE_MODE.pop()
        super().__exit__(*exc)


INFERENCE_MODE = [False]  # the innermost inference_mode's state (torch.is_inference_mode_enabled)


def from_numpy(array: np.ndarray) -> Tensor:
    """A Tensor sharing ``array``'s memory and dtype (``torch.from_numpy``): writes to either show in both."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected a numpy.ndarray, got {type(array).__name__}")
    if array.dtype.kind not in "fciub":
        raise TypeError(f"from_numpy: unsupported dtype {array.dtype}")
    if any(st % array.itemsize for st in array.strides):
        raise ValueError(
            f"from_numpy: given numpy array strides {array.strides} are not a multiple of the element "
            f"byte size {array.itemsize} (PyTorch's refusal)"
        )
    if not array.flags.writeable:
        warnings.warn(
            "from_numpy: the given NumPy array is not writable; the Tensor shares its memory, so writing "
            "to the Tensor will fail (copy the array first, np.array(a), to own writable memory)",
            UserWarning,
            stacklevel=2,
        )
    return Tensor._const(array)


def as_tensor(data: Any, dtype: Any = None, *, device: Any = None) -> Tensor:
    """``data`` as a Tensor, sharing memory where it can (``torch.as_tensor``): a Tensor of that dtype is
    returned as is, a numpy array of it is wrapped without a copy; anything else is converted."""
    check_device(device, "as_tensor")
    if isinstance(data, Tensor):
        return data if dtype is None or np.dtype(dtype) == data.dtype else data.astype(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or np.dtype(dtype) == data.dtype):
        return from_numpy(data)
    return Tensor(data, dtype=dtype)


@takes_out("inverse")
def inverse(input: Any) -> Tensor:
    """The matrix inverse (``torch.inverse``, numpy's ``linalg.inv``), batched over leading axes."""
    from .linalg import inv

    return inv(input)


_CDIST_MODES = (
    "use_mm_for_euclid_dist_if_necessary",
    "use_mm_for_euclid_dist",
    "donot_use_mm_for_euclid_dist",
)


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def cdist(
    x1: Any, x2: Any, p: float = 2.0, compute_mode: str = "use_mm_for_euclid_dist_if_necessary"
) -> Tensor:
    """p-norm distances between the rows of ``x1`` (..., P, M) and of ``x2`` (..., R, M), shape (..., P, R)
    (``torch.cdist``); at a zero distance the gradient is 0, as PyTorch's. ``compute_mode`` is
    checked and otherwise unused: the distances are always computed directly (no matmul shortcut)."""
    from .linalg import vector_norm

    if compute_mode not in _CDIST_MODES:
        raise ValueError(f"cdist: compute_mode must be one of {_CDIST_MODES}, got {compute_mode!r}")

    a, b = _as_tensor(x1), _as_tensor(x2)
    if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != b.shape[-1]:
        raise ValueError(f"cdist: needs (..., P, M) and (..., R, M) inputs, got shapes {a.shape}, {b.shape}")
    return vector_norm(a[..., :, None, :] - b[..., None, :, :], ord=p, axis=-1)


def histc(input: Any, bins: int = 100, min: float = 0.0, max: float = 0.0) -> Tensor:  # noqa: A002
    """``torch.histc``: counts in ``bins`` equal bins over [min, max] (the data's range when min equals
    max), values outside ignored; a constant of the input's float dtype."""
    x = _as_tensor(input)
    lo, hi = float(min), float(max)
    if lo == hi and x.size:  # torch: min == max (any value, 0 by default) means the data's range
        lo, hi = float(np.min(x._data)), float(np.max(x._data))
    if lo > hi:
        raise ValueError(f"histc: max ({max}) must be larger than min ({min})")
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise ValueError(f"histc: range of [{lo}, {hi}] is not finite")
    if lo == hi:  # torch widens an empty range by one on each side
        lo, hi = lo - 1, hi + 1
    if hi - lo > 0:
        counts, _ = np.histogram(x._data, bins=int(bins), range=(lo, hi))
    else:  # the widening was lost to rounding (values near the dtype's extremes): one bin holds them all
        inside = x._data[(x._data >= lo) & (x._data <= hi)]
        counts = np.bincount(np.where(inside >= hi, int(bins) - 1, 0), minlength=int(bins))
    return Tensor._const(counts.astype(x.dtype if x.dtype.kind == "f" else np.float64))


def is_tensor(obj: Any) -> bool:
    """True for an autobp Tensor (``torch.is_tensor``)."""
    return isinstance(obj, Tensor)


def numel(t: Any) -> int:
    """The number of elements (``torch.numel``; numpy's ``size``)."""
    return int(np.size(t._data if isinstance(t, Tensor) else t))


def is_floating_point(input: Any) -> bool:
    """True for a floating-point dtype (``torch.is_floating_point``)."""
    return as_tensor(input).dtype.kind == "f"


def is_nonzero(input: Any) -> bool:
    """The truth of a one-element tensor (``torch.is_nonzero``); an error for any other size."""
    x = as_tensor(input)
    if x.size != 1:
        which = "no values" if x.size == 0 else "more than one value"
        raise RuntimeError(
            f"is_nonzero: shape {x.shape} has no single truth value (Boolean value of Tensor with {which} "
            "is ambiguous)"
        )
    return bool(x._data.reshape(-1)[0] != 0)


def resolve_conj(input: Any) -> Tensor:
    """The tensor itself: autobp conjugates eagerly (``torch.resolve_conj``)."""
    return as_tensor(input)


def resolve_neg(input: Any) -> Tensor:
    """The tensor itself: autobp negates eagerly (``torch.resolve_neg``)."""
    return as_tensor(input)


def _ranked(name: str, ranks: tuple) -> Any:
    """``torch.<name>(input, mat2)``: the Tensor method of that name (ops/tensor_methods.py) as a function."""
    method = _product(name, ranks)

    def product(input: Any, mat2: Any) -> Tensor:
        return method(_as_tensor(input), mat2)

    product.__name__ = product.__qualname__ = name
    product.__doc__ = method.__doc__
    return takes_out(name, "cast")(product)  # PyTorch's out= too


mm = _ranked("mm", (2, 2))
mv = _ranked("mv", (2, 1))
bmm = _ranked("bmm", (3, 3))

__all__ = [
    "float16", "float32", "float64", "complex64", "complex128", "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64", "bool_", "half", "double", "cfloat", "cdouble", "short",
    "long", "inference_mode", "from_numpy", "as_tensor", "is_tensor", "numel", "mm", "mv", "bmm",
    "inverse", "cdist", "histc", "get_default_dtype", "set_default_dtype",
    "is_floating_point", "is_nonzero", "resolve_conj", "resolve_neg", "device",
]  # fmt: skip
