"""More of PyTorch's top-level functions: ``addcmul``/``addcdiv``, ``adjoint``, the ``unsafe_*`` splits
and ``narrow_copy``/``as_strided_copy``, ``constant_pad_nd``, the general ``convolution``,
``native_layer_norm``/``native_dropout`` with their saved statistics, ``norm_except_dim``, the
deprecated ``lu``/``lu_solve``, ``orgqr`` and a few global settings (matmul precision, warn-always,
deterministic debug mode, flush-denormal) that autobp records. All compose autobp's differentiable ops."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import linalg as _la
from . import return_types as _rt
from ._addc_old import _old_addc
from ._autocast import autocasts
from ._broadcast import DTypeError
from .nn import functional as _F
from .nn.init import as_generator
from .ops import scatter_reduce, where
from .ops._args import as_tensor
from .pytorch_nn_toplevel import conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d
from .pytorch_scatter_views import _fresh, as_strided, split_copy
from .tensor import Tensor


def addcmul(input: Any, tensor1: Any, tensor2: Any, *old: Any, value: Any = 1) -> Tensor:
    """input + value * tensor1 * tensor2 (``torch.addcmul``; also its deprecated
    ``addcmul(input, value, tensor1, tensor2)``, with PyTorch's deprecation warning)."""
    if old:
        value, tensor1, tensor2 = _old_addc("addcmul", tensor1, tensor2, old)
    return as_tensor(input) + value * (as_tensor(tensor1) * as_tensor(tensor2))


def addcdiv(input: Any, tensor1: Any, tensor2: Any, *old: Any, value: Any = 1) -> Tensor:
    """input + value * tensor1 / tensor2 (``torch.addcdiv``; also its deprecated
    ``addcdiv(input, value, tensor1, tensor2)``, with PyTorch's deprecation warning)."""
    if old:
        value, tensor1, tensor2 = _old_addc("addcdiv", tensor1, tensor2, old)
    t1, t2 = as_tensor(tensor1), as_tensor(tensor2)
    if t1.dtype.kind in "iub" and t2.dtype.kind in "iub":
        raise DTypeError(
            f"addcdiv: integer division of tensor1 by tensor2 ({t1.dtype} by {t2.dtype}) is not supported, "
            "use floats (PyTorch: Integer division with addcdiv is no longer supported)"
        )
    return as_tensor(input) + value * (t1 / t2)


def adjoint(input: Any) -> Tensor:
    """The conjugate transpose of the last two dims (``torch.adjoint``)."""
    x = as_tensor(input)
    if x.ndim < 2:
        raise ValueError(f"adjoint: a tensor of at least 2 dims expected, got shape {x.shape}")
    return x.mT.conj() if x.dtype.kind == "c" else x.mT


def as_strided_copy(input: Any, size: Any, stride: Any, storage_offset: int | None = None) -> Tensor:
    """``as_strided`` in a fresh tensor (``torch.as_strided_copy``)."""
    return _fresh(as_strided(input, size, stride, storage_offset))


def narrow_copy(input: Any, dim: int, start: int, length: int) -> Tensor:
    """``narrow`` in a fresh tensor (``torch.narrow_copy``)."""
    return _fresh(as_tensor(input).narrow(dim, start, length))


def unsafe_chunk(input: Any, chunks: int, dim: int = 0) -> tuple:
    """``chunk`` (``torch.unsafe_chunk``; autobp's pieces are always safe to use)."""
    return tuple(as_tensor(input).chunk(chunks, dim))


def unsafe_split(input: Any, split_size: Any, dim: int = 0) -> tuple:
    """Pieces of ``split_size`` along ``dim`` (``torch.unsafe_split``)."""
    return split_copy(input, split_size, dim)


def unsafe_split_with_sizes(input: Any, split_sizes: Any, dim: int = 0) -> tuple:
    """Pieces of the given sizes along ``dim`` (``torch.unsafe_split_with_sizes``)."""
    return split_copy(input, list(split_sizes), dim)


def constant_pad_nd(input: Any, pad: Any, value: Any = 0) -> Tensor:
    """Pad the last dims by (left, right) pairs, last dim first, with ``value``; negative pads crop
    (``torch.constant_pad_nd``)."""
    return _F.pad(input, tuple(int(p) for p in pad), mode="constant", value=value)


_CONVS = {1: (conv1d, conv_transpose1d), 2: (conv2d, conv_transpose2d), 3: (conv3d, conv_transpose3d)}


def convolution(input: Any, weight: Any, bias: Any, stride: Any, padding: Any, dilation: Any,
                transposed: bool,
                output_padding: Any, groups: int) -> Tensor:  # fmt: skip
    """The convolution of ``weight``'s spatial rank (1 to 3), transposed or not (``torch.convolution``)."""
    w = as_tensor(weight)
    nd = w.ndim - 2
    if nd not in _CONVS:
        raise ValueError(f"convolution: a weight of 3 to 5 dims expected, got shape {w.shape}")
    direct, transpose = _CONVS[nd]
    if transposed:
        return transpose(input, w, bias, stride, padding, output_padding, groups, dilation)
    return direct(input, w, bias, stride, padding, dilation, groups)


def native_layer_norm(input: Any, normalized_shape: Any, weight: Any, bias: Any, eps: float) -> tuple:
    """(layer_norm output, mean, 1 / sqrt(var + eps)), the statistics with the normalised dims kept as 1
    (``torch.native_layer_norm``)."""
    x = as_tensor(input)
    k = len(tuple(normalized_shape))
    axes = tuple(range(x.ndim - k, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    rstd = (((x - mean) ** 2).mean(axis=axes, keepdims=True) + eps) ** -0.5
    return _F.layer_norm(x, normalized_shape, weight, bias, eps), mean, rstd


def native_dropout(input: Any, p: float, train: bool | None) -> tuple:
    """(dropout output, the boolean keep mask) (``torch.native_dropout``; train None counts as True)."""
    x = as_tensor(input)
    if not 0 <= p <= 1:
        raise ValueError(f"native_dropout: p must be in [0, 1], got {p}")
    if train is False:
        return x.clone(), Tensor._const(np.ones(x.shape, bool))
    keep = as_generator(None).random(x.shape) >= p
    scale = 0.0 if p == 1 else 1.0 / (1 - p)
    return x * (keep.astype(x.dtype) * scale), Tensor._const(keep)


def norm_except_dim(v: Any, pow: int = 2, dim: int = 0) -> Tensor:  # noqa: A002  PyTorch's name
    """The ``pow``-norm over every dim but ``dim``, that dim kept and the others size 1; dim -1 is the
    norm of everything (``torch.norm_except_dim``, weight normalisation's norm)."""
    x = as_tensor(v)
    if dim == -1:
        return _la.vector_norm(x, pow)
    d = dim % x.ndim
    return _la.vector_norm(x, pow, tuple(a for a in range(x.ndim) if a != d), True)


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def lu(A: Any, pivot: bool = True, get_infos: bool = False) -> tuple:  # noqa: N803
    """(LU, pivots[, infos]) of the LU factorisation (``torch.lu``, deprecated for ``linalg.lu_factor``);
    with ``get_infos`` a ``return_types._lu_with_info``, as PyTorch's."""
    LU, piv = _la.lu_factor(A, pivot=pivot)  # noqa: N806
    if get_infos:
        return _rt._lu_with_info._make((LU, piv, Tensor._const(np.zeros(as_tensor(A).shape[:-2], np.int32))))
    return LU, piv


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def lu_solve(b: Any, LU_data: Any, LU_pivots: Any) -> Tensor:  # noqa: N803
    """X with A X = b from ``lu``'s factors (``torch.lu_solve``, deprecated for ``linalg.lu_solve``)."""
    return _la.lu_solve(LU_data, LU_pivots, b)


def orgqr(input: Any, tau: Any) -> Tensor:
    """The first n columns of the product of Householder reflectors (``torch.orgqr``, i.e.
    ``linalg.householder_product``)."""
    return _la.householder_product(input, tau)


def segment_reduce(data: Any, reduce: str, *, lengths: Any = None, indices: Any = None, offsets: Any = None,
                   axis: int = 0, unsafe: bool = False, initial: Any = None) -> Tensor:  # fmt: skip
    """Reduce ('sum', 'mean', 'max', 'min', 'prod') consecutive segments of ``data`` along axis 0, their
    sizes given by 1-D ``lengths`` or ``offsets``; ``initial`` joins every segment's reduction, and an
    empty segment gives it (else 0, nan, -inf, inf, 1) (``torch.segment_reduce``; ties in max/min
    share the gradient)."""
    if reduce not in ("sum", "mean", "max", "min", "prod"):
        raise ValueError(f"segment_reduce: reduce must be sum, mean, max, min or prod, got {reduce!r}")
    if indices is not None:
        raise NotImplementedError("segment_reduce: indices are not supported (nor are they in PyTorch)")
    if (lengths is None) == (offsets is None):
        raise ValueError("segment_reduce: give exactly one of lengths and offsets")
    x = as_tensor(data)
    if lengths is not None:
        sizes = np.asarray(lengths.data if isinstance(lengths, Tensor) else lengths).astype(np.int64)
    else:
        sizes = np.diff(np.asarray(offsets.data if isinstance(offsets, Tensor) else offsets).astype(np.int64))
    if sizes.ndim != 1 or axis != 0:
        raise ValueError(
            f"segment_reduce: 1-D lengths/offsets along axis 0 expected, got {sizes.shape}, axis {axis}"
        )
    if np.any(sizes < 0) or sizes.sum() != x.shape[0]:
        raise ValueError(
            f"segment_reduce: segment sizes {sizes.tolist()} must be >= 0 and sum to {x.shape[0]}"
        )
    n = sizes.size
    seg = np.repeat(np.arange(n), sizes).reshape((-1,) + (1,) * (x.ndim - 1))
    seg = np.ascontiguousarray(np.broadcast_to(seg, x.shape))
    shape = (n,) + x.shape[1:]
    counts = sizes.reshape((-1,) + (1,) * (x.ndim - 1)).astype(x.dtype)
    init = None if initial is None else float(initial)
    if reduce in ("sum", "mean"):
        total = scatter_reduce(Tensor._const(np.full(shape, init or 0.0, x.dtype)), 0, seg, x, "sum")
        if reduce == "sum":
            return total
        if init is None:
            return total / np.where(counts > 0, counts, np.nan)
        return total / np.where(counts > 0, counts, 1.0)
    if reduce == "prod":
        start = Tensor._const(np.full(shape, 1.0 if init is None else init, x.dtype))
        return scatter_reduce(start, 0, seg, x, "prod")
    neutral = Tensor._const(np.full(shape, -np.inf if reduce == "max" else np.inf, x.dtype))
    out = scatter_reduce(neutral, 0, seg, x, "amax" if reduce == "max" else "amin", include_self=False)
    if init is None:
        return out
    better = out >= init if reduce == "max" else out <= init  # a member tying with initial keeps the gradient
    return where(better, out, init)


def nonzero_static(input: Any, *, size: int, fill_value: int = -1) -> Tensor:
    """The (size, ndim) int64 indices of the first ``size`` nonzero elements, rows past the last one
    holding ``fill_value`` (``torch.nonzero_static``)."""
    if int(size) < 0:
        raise ValueError(f"nonzero_static: size must be non-negative, got {size}")
    data = np.asarray(as_tensor(input).data)
    found = np.argwhere(data)[: int(size)].astype(np.int64)
    out = np.full((int(size), data.ndim), fill_value, np.int64)
    out[: len(found)] = found
    return Tensor._const(out)


def frombuffer(
    buffer: Any, *, dtype: Any, count: int = -1, offset: int = 0, requires_grad: bool = False
) -> Tensor:
    """A 1-D tensor over ``count`` items of ``dtype`` from ``offset`` bytes into a buffer, sharing its
    memory (``torch.frombuffer``)."""
    data = np.frombuffer(buffer, dtype=dtype, count=count, offset=offset)
    return (
        Tensor(data, requires_grad=requires_grad, dtype=data.dtype) if requires_grad else Tensor._const(data)
    )


def from_dlpack(ext_tensor: Any) -> Tensor:
    """A tensor over another library's array through the DLPack protocol (``torch.from_dlpack``;
    CPU arrays only, as numpy reads them)."""
    return Tensor._const(np.from_dlpack(ext_tensor))


def get_device(input: Tensor) -> int:
    """-1: every autobp tensor lives on the CPU (``torch.get_device``)."""
    return -1


_SETTINGS: dict[str, Any] = {"matmul_precision": "highest", "warn_always": False, "debug_mode": 0}
_DEBUG_MODES = {"default": 0, "warn": 1, "error": 2}


def get_float32_matmul_precision() -> str:
    """The recorded float32 matmul precision, 'highest' at first (``torch.get_float32_matmul_precision``)."""
    return _SETTINGS["matmul_precision"]


def set_float32_matmul_precision(precision: str) -> None:
    """Record 'highest', 'high' or 'medium' (``torch.set_float32_matmul_precision``); numpy always
    multiplies float32 at full precision, so nothing else changes."""
    if precision not in ("highest", "high", "medium"):
        raise ValueError(
            f"set_float32_matmul_precision: 'highest', 'high' or 'medium' expected, got {precision!r}"
        )
    _SETTINGS["matmul_precision"] = precision


def is_warn_always_enabled() -> bool:
    """The flag ``set_warn_always`` recorded (``torch.is_warn_always_enabled``)."""
    return _SETTINGS["warn_always"]


def set_warn_always(b: bool) -> None:
    """Record the flag (``torch.set_warn_always``); autobp's warnings follow Python's filters."""
    _SETTINGS["warn_always"] = bool(b)


def get_deterministic_debug_mode() -> int:
    """The recorded debug mode: 0 default, 1 warn, 2 error (``torch.get_deterministic_debug_mode``)."""
    return _SETTINGS["debug_mode"]


def set_deterministic_debug_mode(debug_mode: Any) -> None:
    """Record 0/'default', 1/'warn' or 2/'error' (``torch.set_deterministic_debug_mode``); autobp's ops
    are deterministic, so nothing warns or fails."""
    mode = _DEBUG_MODES.get(debug_mode, debug_mode) if isinstance(debug_mode, str) else debug_mode
    if mode not in (0, 1, 2):
        raise ValueError(
            f"set_deterministic_debug_mode: 0, 1, 2, 'default', 'warn' or 'error', got {debug_mode!r}"
        )
    _SETTINGS["debug_mode"] = int(mode)


def set_flush_denormal(mode: bool) -> bool:
    """False: numpy cannot be told to flush denormal floats to zero, so the mode is not set
    (``torch.set_flush_denormal`` returns whether it could)."""
    return False


__all__ = [
    "addcmul", "addcdiv", "adjoint", "as_strided_copy", "narrow_copy", "unsafe_chunk", "unsafe_split",
    "unsafe_split_with_sizes", "constant_pad_nd", "convolution", "native_layer_norm", "native_dropout",
    "norm_except_dim", "segment_reduce", "lu", "lu_solve", "orgqr", "nonzero_static", "frombuffer",
    "from_dlpack", "get_device", "get_float32_matmul_precision", "set_float32_matmul_precision",
    "is_warn_always_enabled", "set_warn_always",
    "get_deterministic_debug_mode", "set_deterministic_debug_mode", "set_flush_denormal",
]  # fmt: skip
