"""PyTorch's window functions (``torch.hann_window``, ... with ``periodic=True`` by default) and the
short-time Fourier transform pair ``stft``/``istft`` with torch 2.x's signatures. The transforms are
built from autobp's indexing, ``index_add`` and ``autobp.fft``, so they differentiate (to any order) in
the signal and the window."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import fft as _fft
from ._autocast import autocasts
from ._broadcast import DTypeError, ShapeError
from ._default_dtype import DEFAULT
from .ops import concatenate, index_add, zeros
from .ops._args import as_tensor
from .pytorch_functions import view_as_real
from .tensor import Tensor


def _window(
    who: str, window_length: int, periodic: bool, values: Any, dtype: Any, requires_grad: bool
) -> Tensor:
    if int(window_length) != window_length or window_length < 0:
        raise ShapeError(
            f"{who}: window_length must be a non-negative integer, got {window_length!r} "
            f"({who} requires non-negative window_length)"
        )
    dt = np.dtype(DEFAULT[0] if dtype is None else dtype)
    if dt.kind != "f":
        raise DTypeError(
            f"{who}: a floating dtype expected, got {dt.name} ({who} expects floating point dtypes)"
        )
    n = int(window_length)
    if n <= 1:
        data = np.ones(n)
    else:
        m = n + 1 if periodic else n  # a periodic window is the symmetric one of n + 1 points, last dropped
        data = np.asarray(values(np.arange(n, dtype=np.float64), m - 1), dtype=np.float64)
    return Tensor(data.astype(dt), requires_grad=requires_grad)


def hann_window(window_length: int, periodic: bool = True, *, dtype: Any = None, layout: Any = None,
                device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """0.5 - 0.5 cos(2 pi n / N), N = window_length (periodic) or window_length - 1 (``torch.hann_window``;
    the default dtype, float64 unless set, unless ``dtype`` says otherwise)."""
    return _window("hann_window", window_length, periodic, lambda k, d: 0.5 - 0.5 * np.cos(2 * np.pi * k / d),
                   dtype, requires_grad)  # fmt: skip


def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54, beta: float = 0.46, *,
                   dtype: Any = None, layout: Any = None, device: Any = None,
                   requires_grad: bool = False) -> Tensor:  # fmt: skip
    """alpha - beta cos(2 pi n / N) (``torch.hamming_window``)."""
    return _window("hamming_window", window_length, periodic,
                   lambda k, d: alpha - beta * np.cos(2 * np.pi * k / d), dtype, requires_grad)  # fmt: skip


def bartlett_window(window_length: int, periodic: bool = True, *, dtype: Any = None, layout: Any = None,
                    device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The triangular window 1 - |2 n / N - 1| (``torch.bartlett_window``)."""
    return _window("bartlett_window", window_length, periodic, lambda k, d: 1 - np.abs(2 * k / d - 1),
                   dtype, requires_grad)  # fmt: skip


def blackman_window(window_length: int, periodic: bool = True, *, dtype: Any = None, layout: Any = None,
                    device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """0.42 - 0.5 cos(2 pi n / N) + 0.08 cos(4 pi n / N) (``torch.blackman_window``)."""

    def values(k: np.ndarray, d: int) -> np.ndarray:
        return 0.42 - 0.5 * np.cos(2 * np.pi * k / d) + 0.08 * np.cos(4 * np.pi * k / d)

    return _window("blackman_window", window_length, periodic, values, dtype, requires_grad)


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *, dtype: Any = None,
                  layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """I0(beta sqrt(1 - (2 n / N - 1)^2)) / I0(beta) (``torch.kaiser_window``)."""

    def values(k: np.ndarray, d: int) -> np.ndarray:
        return np.i0(beta * np.sqrt(np.clip(1 - (2 * k / d - 1) ** 2, 0, None))) / np.i0(beta)

    return _window("kaiser_window", window_length, periodic, values, dtype, requires_grad)


# ---- short-time Fourier transform ------------------------------------------------------------------------


_NO_WINDOW = "A window was not provided. A rectangular window will be applied, "
_NO_WINDOW_STFT = (
    _NO_WINDOW + "which is known to cause spectral leakage. Other windows such as hann_window or "
    "hamming_window are recommended to reduce spectral leakage. To suppress this warning and use a "
    "rectangular window, explicitly set `window=ones(n_fft)`."
)
_NO_WINDOW_ISTFT = (
    _NO_WINDOW + "Please provide the same window used by stft to make the inversion lossless. To suppress "
    "this warning and use a rectangular window, explicitly set `window=ones(n_fft)`."
)


def _pad_index(length: int, pad: int, mode: str) -> np.ndarray:
    """Source positions of a signal of ``length`` padded by ``pad`` at both ends (-1: a zero)."""
    k = np.arange(-pad, length + pad)
    if mode == "reflect":
        if pad >= length:
            raise ShapeError(f"stft: reflect padding of {pad} needs a signal longer than that, got {length}")
        period = 2 * (length - 1)
        k = np.abs(k) % period if period else np.zeros_like(k)
        return np.where(k >= length, period - k, k)
    if mode == "replicate":
        return np.clip(k, 0, length - 1)
    if mode == "circular":
        return k % length
    if mode == "constant":
        return np.where((k < 0) | (k >= length), -1, k)
    raise ShapeError(f"stft: pad_mode must be 'reflect', 'constant', 'replicate' or 'circular', got {mode!r}")


def _full_window(window: Any, n_fft: int, win_length: int, dtype: Any, who: str) -> Tensor | None:
    if window is None:
        return None if win_length == n_fft else _centre(Tensor(np.ones(win_length, dtype)), n_fft)
    w = as_tensor(window)
    if w.shape != (win_length,):
        raise ShapeError(f"{who}: window of shape ({win_length},) (win_length) expected, got {w.shape}")
    return _centre(w, n_fft)


def _centre(w: Tensor, n_fft: int) -> Tensor:
    left = (n_fft - w.shape[0]) // 2
    if left == 0 and w.shape[0] == n_fft:
        return w
    right = n_fft - left - w.shape[0]
    return concatenate([Tensor._const(np.zeros(left, w.dtype)), w, Tensor._const(np.zeros(right, w.dtype))])


def _lengths(n_fft: int, hop_length: int | None, win_length: int | None, who: str) -> tuple[int, int]:
    hop = n_fft // 4 if hop_length is None else int(hop_length)
    win = n_fft if win_length is None else int(win_length)
    if n_fft <= 0 or hop <= 0 or not 0 < win <= n_fft:
        raise ShapeError(
            f"{who}: need n_fft > 0, hop_length > 0 and 0 < win_length <= n_fft, got {n_fft}, {hop}, {win}"
        )
    return hop, win


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def stft(input: Any, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
         window: Any = None, center: bool = True, pad_mode: str = "reflect", normalized: bool = False,
         onesided: bool | None = None, return_complex: bool | None = None,
         align_to_window: bool | None = None) -> Tensor:  # fmt: skip
    """The short-time Fourier transform of a (L,) or (B, L) signal: (B?, n_fft // 2 + 1 or n_fft, frames)
    complex, frames of ``n_fft`` samples every ``hop_length`` (n_fft // 4) times ``window`` (ones,
    zero-padded centrally to n_fft), the signal padded by n_fft // 2 at both ends when ``center``
    (``torch.stft``; ``return_complex`` must be given for a real signal, False giving the
    ``view_as_real`` layout; ``align_to_window``, with center=False, starts each frame where its window
    starts rather than n_fft samples apart from the signal's start)."""
    x = as_tensor(input)
    complex_in = x.dtype.kind == "c"
    if return_complex is None:
        if not complex_in and not (window is not None and as_tensor(window).dtype.kind == "c"):
            raise RuntimeError("stft requires the return_complex parameter be given for real inputs")
        return_complex = True
    if x.ndim not in (1, 2):
        raise ShapeError(f"stft: a 1-D or 2-D (batch, length) signal expected, got shape {x.shape}")
    hop, win = _lengths(n_fft, hop_length, win_length, "stft")
    if window is None:
        warnings.warn(_NO_WINDOW_STFT, UserWarning, stacklevel=2)
    w = _full_window(window, n_fft, win, x.real.dtype if complex_in else x.dtype, "stft")
    if center and align_to_window is not None:
        raise ShapeError(
            "stft: align_to_window should only be set when center=False "
            "(stft align_to_window should only be set when center = false)"
        )
    if center:
        idx = _pad_index(x.shape[-1], n_fft // 2, pad_mode)
        x = x[..., np.where(idx < 0, 0, idx)] * (idx >= 0) if pad_mode == "constant" else x[..., idx]
    elif align_to_window and win < n_fft:  # frames start where the (centred) window starts
        left = (n_fft - win) // 2
        zl, zr = (
            np.zeros(x.shape[:-1] + (left,), x.dtype),
            np.zeros(x.shape[:-1] + (n_fft - win - left,), x.dtype),
        )
        x = concatenate([Tensor._const(zl), x, Tensor._const(zr)], axis=-1)
    length = x.shape[-1]
    if length < n_fft:
        raise ShapeError(f"stft: n_fft ({n_fft}) exceeds the (padded) signal length {length}")
    frames = 1 + (length - n_fft) // hop
    cols = np.arange(frames)[:, None] * hop + np.arange(n_fft)[None, :]
    segs = x[..., cols]  # (B?, frames, n_fft)
    if w is not None:
        segs = segs * w
    complex_any = complex_in or (w is not None and w.dtype.kind == "c")
    one = (not complex_any) if onesided is None else bool(onesided)
    if one and complex_any:
        raise ShapeError(
            "stft: onesided=True needs a real signal and window, got a complex one "
            "(cannot have onesided output if window or input is complex)"
        )
    spec = _fft.rfft(segs, axis=-1) if one else _fft.fft(segs, axis=-1)
    if normalized:
        spec = spec * (1.0 / np.sqrt(n_fft))
    spec = spec.swapaxes(-1, -2)
    if not return_complex:
        warnings.warn("stft with return_complex=False is deprecated in PyTorch", UserWarning, stacklevel=2)
        return view_as_real(spec)
    return spec


def istft(input: Any, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
          window: Any = None, center: bool = True, normalized: bool = False, onesided: bool | None = None,
          length: int | None = None, return_complex: bool = False) -> Tensor:  # fmt: skip
    """The inverse of ``stft``: inverse FFTs of the (B?, freq, frames) complex spectrum's frames, times
    the window, overlap-added and divided by the overlap-added ``window ** 2`` (``torch.istft``; an
    envelope that vanishes somewhere is an error, as in PyTorch). As PyTorch, a real result (the default)
    is the inverse real FFT of the first n_fft // 2 + 1 bins even of a two-sided spectrum, and a complex
    window needs ``return_complex=True``."""
    z = as_tensor(input)
    if z.dtype.kind != "c":
        raise DTypeError(f"istft: a complex spectrum expected, got {z.dtype.name}")
    if z.ndim not in (2, 3):
        raise ShapeError(f"istft: a (freq, frames) or (batch, freq, frames) spectrum expected, got {z.shape}")
    hop, win = _lengths(n_fft, hop_length, win_length, "istft")
    one = (z.shape[-2] != n_fft) if onesided is None else bool(onesided)
    if z.shape[-2] != (n_fft // 2 + 1 if one else n_fft):
        raise ShapeError(f"istft: {n_fft // 2 + 1 if one else n_fft} frequencies expected for n_fft={n_fft} "
                         f"(onesided={one}), got {z.shape[-2]}")  # fmt: skip
    if one and return_complex:
        raise ShapeError("istft: return_complex=True needs a two-sided spectrum (onesided=False)")
    real_dtype = np.float32 if z.dtype == np.complex64 else np.float64
    if window is None:
        warnings.warn(_NO_WINDOW_ISTFT, UserWarning, stacklevel=2)
    w = _full_window(window, n_fft, win, real_dtype, "istft")
    if w is not None and w.dtype.kind == "c" and not return_complex:
        raise ShapeError("istft: a complex window needs return_complex=True")
    if normalized:
        z = z * np.sqrt(n_fft)
    zt = z.swapaxes(-1, -2)  # (B?, frames, freq)
    if return_complex:
        segs = _fft.ifft(zt, axis=-1)
    else:  # PyTorch reads a two-sided spectrum's first n_fft // 2 + 1 bins as a one-sided one
        segs = _fft.irfft(zt if one else zt[..., : n_fft // 2 + 1], n=n_fft, axis=-1)
    if w is not None:
        segs = segs * w
    frames = zt.shape[-2]
    total = n_fft + hop * (frames - 1)
    cols = (np.arange(frames)[:, None] * hop + np.arange(n_fft)[None, :]).reshape(-1)
    lead = segs.shape[:-2]
    out = zeros(lead + (total,), dtype=segs.dtype)
    out = index_add(out, -1, cols, segs.reshape(lead + (frames * n_fft,)))
    wsq = Tensor._const(np.ones(n_fft, real_dtype)) if w is None else w * w  # PyTorch's window ** 2
    env = index_add(zeros(total, dtype=wsq.dtype), 0, cols, concatenate([wsq] * frames))
    start = n_fft // 2 if center else 0
    end = total - (n_fft // 2 if center else 0) if length is None else start + int(length)
    end_in = min(end, total)
    if np.any(np.abs(np.asarray(env.data)[start:end_in]) < 1e-11):
        raise RuntimeError(
            "istft: the window's overlap-added square vanishes somewhere (the NOLA condition fails)"
        )
    y = out[..., start:end_in] / env[start:end_in]
    if end > end_in:  # a requested length beyond the signal: zeros, as PyTorch pads
        warnings.warn("The length of signal is shorter than the length parameter. Result is being padded "
                      "with zeros in the tail. Please check your center and hop_length settings",
                      UserWarning, stacklevel=2)  # fmt: skip
        y = concatenate([y, zeros(lead + (end - end_in,), dtype=y.dtype)], axis=-1)
    return y


__all__ = [
    "hann_window",
    "hamming_window",
    "bartlett_window",
    "blackman_window",
    "kaiser_window",
    "stft",
    "istft",
]
