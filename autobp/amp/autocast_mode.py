"""PyTorch's ``torch.autocast`` for autobp's one device, the CPU: a context manager and decorator under
which matmul, linear, conv and attention run in float16 and losses in float32 (see ``autobp._autocast``
for the op lists), with the thread-local queries ``is_autocast_enabled`` and ``get_autocast_dtype``."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import _autocast
from .._device import DeviceError, _parse

_FLOAT16 = np.dtype(np.float16)


_NO_CUDA = "CUDA is not available (autobp computes with numpy on the CPU)"


def _device_type(device_type: Any, who: str, cuda_ok: bool = False) -> str:
    """``"cpu"``, or PyTorch's error for a non-string or unknown device type, or autobp's refusal of a
    device it has not (``"cuda"``, ...); with ``cuda_ok``, ``"cuda"`` passes (the caller disables itself,
    as a PyTorch build without CUDA does)."""
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    kind, index = _parse(device_type)  # PyTorch's error for an unknown device type
    if device_type == "cpu" or (cuda_ok and device_type == "cuda"):
        return device_type
    if kind == "cpu":  # "cpu:0": PyTorch takes only a device type here
        raise RuntimeError(f"{who}: User specified an unsupported autocast device_type '{device_type}'")
    raise DeviceError(
        f"{who}: autobp computes with numpy on the CPU and has no {kind} device; "
        f"use device_type='cpu' (device_type={device_type!r} given)"
    )


def _dtype(dtype: Any, who: str) -> np.dtype | None:
    """``dtype`` as a numpy dtype (None stays None); bfloat16, which numpy has not, is refused."""
    if dtype is None:
        return None
    if "bfloat16" in str(dtype):
        raise TypeError(_no_bfloat16(who, f"dtype={dtype}"))
    try:
        return np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"{who}: dtype must be a floating dtype such as autobp.float16, got {dtype!r}"
        ) from None


def _no_bfloat16(who: str, what: str) -> str:
    return (
        f"{who}: {what} asks for bfloat16 (PyTorch's CPU autocast default), which numpy has not; "
        "pass dtype=autobp.float16"
    )


class autocast:  # noqa: N801  PyTorch's name
    """Run a region in mixed precision, as ``torch.autocast(device_type, dtype, enabled, cache_enabled)``:
    a context manager or a decorator. Inside an enabled region the ops on PyTorch's CPU lists cast their
    float32/float16 inputs (float64, integer, bool and complex inputs are left alone): matmul (``@``),
    mm, bmm, addmm, baddbmm, addbmm, linalg.vecdot/multi_dot, linear, conv and
    transposed conv, conv_tbc, prelu and scaled_dot_product_attention to ``dtype``; the losses, the
    linalg decompositions and solves, cdist and the FFTs to float32.
    The casts are on the graph, so each leaf's ``.grad`` has the leaf's dtype.

    ``device_type`` is ``"cpu"``; ``"cuda"`` warns and does nothing, as PyTorch without CUDA does
    (other devices are refused: autobp computes with numpy on the CPU).
    ``dtype`` must be given as ``autobp.float16``: PyTorch's CPU default, bfloat16, is a dtype numpy has
    not, so ``autocast("cpu")`` outside a float16 region raises a TypeError (inside one it keeps float16,
    as PyTorch's keeps the enclosing dtype). float32 or float64 warn and turn autocast off, as PyTorch's.
    The state is thread-local; regions nest and ``enabled=False`` turns autocast off inside one.
    ``cache_enabled`` is accepted and has no effect (PyTorch's cache of cast weights is a speed-up).

    >>> import autobp
    >>> a = autobp.ones((2, 3), dtype=autobp.float32)
    >>> with autobp.autocast("cpu", dtype=autobp.float16):
    ...     print((a @ a.T).dtype, autobp.nn.functional.mse_loss(a, a).dtype)
    float16 float32
    """

    def __init__(
        self, device_type: str, dtype: Any = None, enabled: bool = True, cache_enabled: bool | None = None
    ) -> None:
        self.device = _device_type(device_type, "autocast", cuda_ok=True)
        if self.device == "cuda":  # a PyTorch build without CUDA warns and does nothing in the region
            if enabled:
                warnings.warn(_NO_CUDA + ". Disabling autocast.", UserWarning, stacklevel=2)
            self._cuda = True
            return
        self._cuda = False
        fast = _dtype(dtype, "autocast")
        self.fast_dtype = _autocast.state.dtype if fast is None else fast
        enabled = bool(enabled)
        if enabled and self.fast_dtype is None:
            raise TypeError(
                _no_bfloat16("autocast", "device_type='cpu' without dtype")
                + " (or set it with autobp.set_autocast_dtype('cpu', autobp.float16))"
            )
        if enabled and self.fast_dtype != _FLOAT16:
            warnings.warn(
                "In CPU autocast, but the target dtype is not supported. Disabling autocast.\n"
                f"CPU Autocast only supports dtypes of float16 currently (got {self.fast_dtype}; PyTorch "
                "also takes bfloat16, which numpy has not).",
                UserWarning,
                stacklevel=2,
            )
            enabled = False
        self._enabled = enabled
        self._cache_enabled = True if cache_enabled is None else bool(cache_enabled)
        self._saved: list = []  # (enabled, dtype) of the enclosing state, one per entry of this object

    def __enter__(self) -> autocast:
        if self._cuda:
            return self
        st = _autocast.state
        self._saved.append((st.enabled, st.dtype))
        _autocast.set_enabled(self._enabled)
        st.dtype = self.fast_dtype
        st.depth += 1
        return self

    def __exit__(self, *exc: Any) -> bool:
        if self._cuda:
            return False
        st = _autocast.state
        enabled, dtype = self._saved.pop()
        st.depth -= 1
        _autocast.set_enabled(enabled)
        st.dtype = dtype
        return False

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Decorate ``func`` to run inside this region, each call entering and leaving it."""
        if not callable(func):
            raise TypeError(
                f"autocast()(func) requires a callable, but got {type(func).__name__}; as a context "
                "manager write `with autobp.autocast(device_type='cpu', dtype=autobp.float16):`"
            )

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return run


def is_autocast_available(device_type: str) -> bool:
    """True for ``"cpu"``, the one device autobp autocasts on (``torch.amp.is_autocast_available``)."""
    return device_type == "cpu"


def is_autocast_enabled(device_type: str | None = None) -> bool:
    """Whether autocast is on in this thread for ``device_type`` (``"cpu"``; left out, the CPU too:
    autobp's one device, where PyTorch's no-argument form asks about CUDA). Other devices: False."""
    if device_type is None:
        return bool(_autocast.state.enabled)
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    _parse(device_type)
    return device_type == "cpu" and bool(_autocast.state.enabled)


def get_autocast_dtype(device_type: str) -> type | None:
    """This thread's autocast dtype for ``"cpu"`` (``autobp.float16`` inside a float16 region); None
    while none is set, where PyTorch answers bfloat16, a dtype numpy has not."""
    _device_type(device_type, "get_autocast_dtype")
    dtype = _autocast.state.dtype
    return None if dtype is None else np.dtype(dtype).type


def set_autocast_enabled(device_type: str, enabled: bool) -> None:
    """Turn this thread's CPU autocast on or off outside a ``with`` block (``torch.set_autocast_enabled``);
    turning it on needs a dtype set first (``set_autocast_dtype``)."""
    _device_type(device_type, "set_autocast_enabled")
    if enabled and _autocast.state.dtype is None:
        raise TypeError(_no_bfloat16("set_autocast_enabled", "the default autocast dtype"))
    _autocast.set_enabled(bool(enabled))


def set_autocast_dtype(device_type: str, dtype: Any) -> None:
    """Set this thread's CPU autocast dtype, the one ``autocast("cpu")`` uses without ``dtype``
    (``torch.set_autocast_dtype``)."""
    _device_type(device_type, "set_autocast_dtype")
    if dtype is None:
        raise TypeError("set_autocast_dtype: dtype must be a dtype such as autobp.float16, got None")
    _autocast.state.dtype = _dtype(dtype, "set_autocast_dtype")
