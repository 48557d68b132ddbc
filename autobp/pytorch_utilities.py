"""PyTorch's top-level queries and global settings that carry over to autobp: ``finfo``/``iinfo``,
``is_signed``/``is_conj``/``is_neg``/``is_same_size``/``is_inference``, inference and anomaly mode
switches and queries, thread counts, ``set_printoptions`` (how Tensor reprs print), the
deterministic-algorithms flag, ``vmap``, ``empty_strided``/``empty_permuted`` and ``typename``.
Where a setting has no effect on autobp (it is always deterministic, has no lazy conjugation), it is
recorded and reported back, and the docstring says so."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from . import _conversions
from . import anomaly as _anomaly
from ._default_dtype import DEFAULT
from .func import vmap as _vmap
from .pytorch_names import INFERENCE_MODE
from .tensor import Tensor

vmap = _vmap  # torch.vmap is torch.func.vmap


def _dtype_like(t: Any) -> Any:
    """A Tensor's or array's dtype, a dtype name or class as a numpy dtype; values pass."""
    if isinstance(t, (Tensor, np.ndarray)):
        return t.dtype
    return t if isinstance(t, (np.generic, int, float, complex)) else np.dtype(t)


class DTypeInfoError(ValueError, TypeError):
    """finfo of a non-floating or iinfo of a non-integer dtype (numpy's ValueError, PyTorch's TypeError)."""


def finfo(type: Any = None) -> np.finfo:  # noqa: A002  PyTorch's parameter name
    """numpy's ``finfo`` (bits, eps, max, min, tiny, smallest_normal, resolution) of a floating dtype,
    value, array or Tensor; float64, autobp's default, when none is given (``torch.finfo()``)."""
    dt = _dtype_like(np.float64 if type is None else type)
    if np.result_type(dt).kind not in "fc":
        raise DTypeInfoError(f"finfo: a floating or complex dtype expected, got {np.result_type(dt)}")
    return np.finfo(dt)


def iinfo(type: Any) -> np.iinfo:  # noqa: A002
    """numpy's ``iinfo`` (bits, max, min) of an integer dtype (``torch.iinfo``)."""
    dt = _dtype_like(type)
    if np.result_type(dt).kind not in "iu":
        raise DTypeInfoError(f"iinfo: an integer dtype expected, got {np.result_type(dt)}")
    return np.iinfo(dt)


def _tensor(x: Any, who: str) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{who}: a Tensor expected, got {type(x).__name__}")
    return x


def is_signed(input: Tensor) -> bool:
    """True for signed integer, floating and complex dtypes (``torch.is_signed``)."""
    return np.dtype(_tensor(input, "is_signed").dtype).kind in "ifc"


def is_conj(input: Tensor) -> bool:
    """False: autobp conjugates eagerly, no tensor carries a lazy conjugate bit (``torch.is_conj``)."""
    _tensor(input, "is_conj")
    return False


def is_neg(input: Tensor) -> bool:
    """False: autobp has no lazy negation bit (``torch.is_neg``)."""
    _tensor(input, "is_neg")
    return False


def is_inference(input: Tensor) -> bool:
    """False: autobp's tensors made in ``inference_mode`` are ordinary tensors (``torch.is_inference``)."""
    _tensor(input, "is_inference")
    return False


def is_same_size(input: Tensor, other: Tensor) -> bool:
    """True when both tensors have the same shape (``torch.is_same_size``)."""
    return _tensor(input, "is_same_size").shape == _tensor(other, "is_same_size").shape


def is_inference_mode_enabled() -> bool:
    """True inside ``autobp.inference_mode()`` (``torch.is_inference_mode_enabled``)."""
    return INFERENCE_MODE[-1]


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()`` or after ``set_anomaly_enabled(True)``
    (``torch.is_anomaly_enabled``)."""
    return _anomaly.is_anomaly_enabled()


_GLOBAL_ANOMALY: list = []
_CHECK_NAN = [True]


def set_anomaly_enabled(mode: bool, check_nan: bool = True) -> None:
    """Turn anomaly detection on or off outside any ``with`` block (``torch.set_anomaly_enabled``);
    ``check_nan`` also checks each op's forward output for NaN."""
    while _GLOBAL_ANOMALY:
        _GLOBAL_ANOMALY.pop().__exit__(None, None, None)
    if mode:
        ctx = _anomaly.detect_anomaly(check_nan)
        ctx.__enter__()
        _GLOBAL_ANOMALY.append(ctx)
        _CHECK_NAN[0] = bool(check_nan)


def is_anomaly_check_nan_enabled() -> bool:
    """True while anomaly detection is on with NaN checks (``torch.is_anomaly_check_nan_enabled``)."""
    return is_anomaly_enabled() and (_CHECK_NAN[0] if _GLOBAL_ANOMALY else True)


_THREADS: dict[str, Any] = {"intra": None, "interop": os.cpu_count() or 1}


def _blas_threads() -> int:
    """numpy's BLAS thread count when threadpoolctl can tell, else the CPU count."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover  optional
        return os.cpu_count() or 1
    counts = [int(i["num_threads"]) for i in threadpool_info() if i.get("user_api") == "blas"]
    return max(counts) if counts else os.cpu_count() or 1


def _positive(n: Any, who: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{who}: a positive integer expected, got {n!r}")
    return int(n)


def get_num_threads() -> int:
    """The thread count last set by ``set_num_threads``; before that numpy's BLAS thread count (the CPU
    count without threadpoolctl) (``torch.get_num_threads``)."""
    return _blas_threads() if _THREADS["intra"] is None else _THREADS["intra"]


def set_num_threads(num: int) -> None:
    """Record ``num`` as the thread count and, when threadpoolctl is installed, limit numpy's BLAS to
    that many threads (``torch.set_num_threads``); autobp itself runs single-threaded numpy code."""
    _THREADS["intra"] = _positive(num, "set_num_threads")
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover  optional
        return
    threadpool_limits(limits=_THREADS["intra"], user_api="blas")


def get_num_interop_threads() -> int:
    """The recorded inter-op thread count (``torch.get_num_interop_threads``)."""
    return _THREADS["interop"]


def set_num_interop_threads(num: int) -> None:
    """Record the inter-op thread count (``torch.set_num_interop_threads``); autobp runs ops one at a
    time, so nothing else changes."""
    _THREADS["interop"] = _positive(num, "set_num_interop_threads")


_PROFILES = {
    "default": {},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": np.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(precision: int | None = None, threshold: float | None = None,
                     edgeitems: int | None = None, linewidth: int | None = None, *,
                     profile: str | None = None, sci_mode: bool | None = None,
                     suppress: bool | None = None, formatter: Any = None,
                     sign: str | None = None, floatmode: str | None = None) -> None:  # fmt: skip
    """How Tensor reprs print (``torch.set_printoptions``, numpy's first four arguments in the same
    places): digits after the point, the element count above which the middle is elided, items kept at
    each edge, line width; ``sci_mode`` scientific notation on/off (None: numpy's choice); ``profile``
    'default' (autobp's: precision 4, threshold 20), 'short' or 'full' resets all first. numpy's
    ``suppress``, ``formatter``, ``sign`` and ``floatmode`` apply to Tensor reprs too; numpy's own
    arrays keep ``numpy.set_printoptions``."""
    opts = _conversions.PRINT_OPTIONS
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(f"set_printoptions: profile must be default, short or full, got {profile!r}")
        opts.update(_conversions.PRINT_DEFAULTS)
        opts.update(_PROFILES[profile])
    given = {"precision": precision, "threshold": threshold, "edgeitems": edgeitems, "linewidth": linewidth,
             "suppress": suppress, "formatter": formatter, "sign": sign, "floatmode": floatmode}  # fmt: skip
    opts.update({k: v for k, v in given.items() if v is not None})
    opts["sci_mode"] = sci_mode


_DETERMINISTIC = {"mode": False, "warn_only": False}


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Record the flag (``torch.use_deterministic_algorithms``): autobp's ops are deterministic
    already, so nothing else changes."""
    _DETERMINISTIC.update(mode=bool(mode), warn_only=bool(warn_only))


def are_deterministic_algorithms_enabled() -> bool:
    """The flag ``use_deterministic_algorithms`` recorded (``torch.are_deterministic_algorithms_enabled``)."""
    return _DETERMINISTIC["mode"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """The ``warn_only`` flag recorded (``torch.is_deterministic_algorithms_warn_only_enabled``)."""
    return _DETERMINISTIC["warn_only"]


def empty_strided(size: Any, stride: Any, *, dtype: Any = None, layout: Any = None, device: Any = None,
                  requires_grad: bool = False, pin_memory: bool = False) -> Tensor:  # fmt: skip
    """An uninitialised tensor of ``size`` laid out in memory with ``stride`` (in elements), as
    ``torch.empty_strided``: ``t.stride()`` is ``stride``."""
    from ._device import check_device
    from ._tensor_set import _strided
    from .ops._creation_args import _leaf, torch_only

    check_device(device, "empty_strided")
    torch_only("empty_strided", layout, pin_memory)
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride) or any(s < 0 for s in stride) or any(n < 0 for n in size):
        raise ValueError(
            f"empty_strided: size {size} and stride {stride} must have the same length, none negative "
            f"(PyTorch: dimensionality of sizes ({len(size)}) must match dimensionality of strides "
            f"({len(stride)}))"
        )
    need = 0 if 0 in size else sum((n - 1) * s for n, s in zip(size, stride)) + 1
    memory = np.empty(need, DEFAULT[0] if dtype is None else dtype)
    return _leaf(_strided(memory, 0, size, stride), requires_grad, "empty_strided")


def empty_permuted(size: Any, physical_layout: Any, *, dtype: Any = None, layout: Any = None,
                   device: Any = None, requires_grad: bool = False,
                   pin_memory: bool = False) -> Tensor:  # fmt: skip
    """An uninitialised tensor of ``size`` (``torch.empty_permuted``; ``physical_layout`` must be a
    permutation of the dims, the memory order itself is row-major here)."""
    size, perm = tuple(int(s) for s in size), [int(p) for p in physical_layout]
    if sorted(perm) != list(range(len(size))):
        raise ValueError(f"empty_permuted: physical_layout must permute 0..{len(size) - 1}, got {perm}")
    return Tensor(np.empty(size, DEFAULT[0] if dtype is None else dtype), requires_grad=requires_grad)


def typename(obj: Any) -> str:
    """numpy's ``typename`` for a type character (``'d'``: ``'double precision'``); otherwise PyTorch's
    name for an object's type: ``'autobp.DoubleTensor'`` for a float64 Tensor, else module.qualname
    (``torch.typename``)."""
    if isinstance(obj, str):
        return np.typename(obj)
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", None)
    prefix = "" if module in (None, "builtins") else module + "."
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__qualname__
    if not isinstance(obj, type) and not callable(obj):
        prefix = "" if type(obj).__module__ == "builtins" else type(obj).__module__ + "."
        name = type(obj).__qualname__
    return prefix + name


__all__ = [
    "vmap", "finfo", "iinfo", "is_signed", "is_conj", "is_neg", "is_inference", "is_same_size",
    "is_inference_mode_enabled", "is_anomaly_enabled", "set_anomaly_enabled", "is_anomaly_check_nan_enabled",
    "get_num_threads", "set_num_threads", "get_num_interop_threads", "set_num_interop_threads",
    "set_printoptions", "use_deterministic_algorithms", "are_deterministic_algorithms_enabled",
    "is_deterministic_algorithms_warn_only_enabled", "empty_strided", "empty_permuted", "typename",
]  # fmt: skip
