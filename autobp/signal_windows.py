"""scipy.signal.windows' window functions that torch.signal.windows also has (``hann(M, sym=True)``, ...).

scipy's positional parameters come first (``gaussian(M, std)``, ``kaiser(M, beta)``); torch's keyword
spellings and defaults are accepted too (``gaussian(M, std=1.0)``, ``kaiser(M, beta=12.0)``,
``general_cosine(M, a=...)``, ``dtype=``, ``requires_grad=``). ``sym=False`` gives the periodic window:
the symmetric one of M + 1 points with its last point dropped. The result is a float64 Tensor unless
``dtype`` says otherwise; M = 0 gives an empty window and M = 1 a single one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .pytorch_windows import _window
from .tensor import Tensor

_NUTTALL = (0.3635819, 0.4891775, 0.1365995, 0.0106411)
_BLACKMAN = (0.42, 0.50, 0.08)


def _cosine_sum(a: Iterable[float]) -> Any:
    coeffs = [float(c) for c in a]

    def values(k: np.ndarray, d: int) -> np.ndarray:
        phase = 2 * np.pi * k / d
        return sum((-1) ** j * c * np.cos(j * phase) for j, c in enumerate(coeffs))

    return values


def general_cosine(M: int, a: Iterable[float] | None = None, sym: bool = True, *,
                   dtype: Any = None, layout: Any = None, device: Any = None,
                   requires_grad: bool = False) -> Tensor:  # fmt: skip
    """A sum of cosines, sum_j (-1)^j a[j] cos(2 pi j n / (M - 1)) (scipy.signal.windows.general_cosine;
    torch.signal.windows.general_cosine's keyword ``a``)."""
    if a is None:
        raise TypeError("general_cosine: the coefficients a are required")
    return _window("general_cosine", M, not sym, _cosine_sum(a), dtype, requires_grad)


def general_hamming(M: int, alpha: float = 0.54, sym: bool = True, *, dtype: Any = None, layout: Any = None,
                    device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """alpha - (1 - alpha) cos(2 pi n / (M - 1)) (scipy.signal.windows.general_hamming; torch's default
    alpha 0.54)."""
    return _window("general_hamming", M, not sym, _cosine_sum((alpha, 1.0 - alpha)), dtype, requires_grad)


def hann(M: int, sym: bool = True, *, dtype: Any = None, layout: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The Hann window 0.5 - 0.5 cos(2 pi n / (M - 1)) (scipy.signal.windows.hann)."""
    return _window("hann", M, not sym, _cosine_sum((0.5, 0.5)), dtype, requires_grad)


def hamming(M: int, sym: bool = True, *, dtype: Any = None, layout: Any = None, device: Any = None,
            requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The Hamming window 0.54 - 0.46 cos(2 pi n / (M - 1)) (scipy.signal.windows.hamming)."""
    return _window("hamming", M, not sym, _cosine_sum((0.54, 0.46)), dtype, requires_grad)


def blackman(M: int, sym: bool = True, *, dtype: Any = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The Blackman window 0.42 - 0.5 cos(2 pi n / (M - 1)) + 0.08 cos(4 pi n / (M - 1))
    (scipy.signal.windows.blackman)."""
    return _window("blackman", M, not sym, _cosine_sum(_BLACKMAN), dtype, requires_grad)


def nuttall(M: int, sym: bool = True, *, dtype: Any = None, layout: Any = None, device: Any = None,
            requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Nuttall's minimum 4-term Blackman-Harris window (scipy.signal.windows.nuttall)."""
    return _window("nuttall", M, not sym, _cosine_sum(_NUTTALL), dtype, requires_grad)


def bartlett(M: int, sym: bool = True, *, dtype: Any = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The triangular window 1 - |2 n / (M - 1) - 1|, zero at both ends (scipy.signal.windows.bartlett)."""
    return _window("bartlett", M, not sym, lambda k, d: 1 - np.abs(2 * k / d - 1), dtype, requires_grad)


def cosine(M: int, sym: bool = True, *, dtype: Any = None, layout: Any = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The sine window sin(pi (n + 1/2) / M) (scipy.signal.windows.cosine)."""
    return _window("cosine", M, not sym, lambda k, d: np.sin(np.pi * (k + 0.5) / (d + 1)), dtype,
                   requires_grad)  # fmt: skip


def kaiser(M: int, beta: float = 12.0, sym: bool = True, *, dtype: Any = None, layout: Any = None,
           device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The Kaiser window I0(beta sqrt(1 - (2 n / (M - 1) - 1)^2)) / I0(beta) (scipy.signal.windows.kaiser;
    torch's default beta 12)."""

    def values(k: np.ndarray, d: int) -> np.ndarray:
        return np.i0(beta * np.sqrt(np.clip(1 - (2 * k / d - 1) ** 2, 0, None))) / np.i0(beta)

    return _window("kaiser", M, not sym, values, dtype, requires_grad)


def gaussian(M: int, std: float = 1.0, sym: bool = True, *, dtype: Any = None, layout: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The Gaussian window exp(-((n - (M - 1) / 2) / std)^2 / 2) (scipy.signal.windows.gaussian; torch's
    default std 1)."""
    if not std > 0:
        raise ValueError(f"gaussian: std must be positive, got {std!r}")
    return _window("gaussian", M, not sym, lambda k, d: np.exp(-0.5 * ((k - d / 2) / std) ** 2), dtype,
                   requires_grad)  # fmt: skip


def exponential(M: int, center: float | None = None, tau: float = 1.0, sym: bool = True, *, dtype: Any = None,
                layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The exponential (Poisson) window exp(-|n - center| / tau), center (M - 1) / 2 by default
    (scipy.signal.windows.exponential; a center may be given only with sym=False)."""
    if sym and center is not None:
        raise ValueError("exponential: center must be None for a symmetric window (sym=True)")
    if not tau > 0:
        raise ValueError(f"exponential: tau must be positive, got {tau!r}")

    def values(k: np.ndarray, d: int) -> np.ndarray:
        c = d / 2 if center is None else float(center)
        return np.exp(-np.abs(k - c) / tau)

    return _window("exponential", M, not sym, values, dtype, requires_grad)


__all__ = [
    "bartlett",
    "blackman",
    "cosine",
    "exponential",
    "gaussian",
    "general_cosine",
    "general_hamming",
    "hamming",
    "hann",
    "kaiser",
    "nuttall",
]
