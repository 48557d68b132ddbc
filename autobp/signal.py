"""Differentiable scipy.signal.convolve and correlate (modes 'full', 'same', 'valid', any number of
dimensions). One op, the full convolution, carries the rule; the modes are slices of it and
correlate is convolve with the kernel flipped, as scipy defines it."""

from __future__ import annotations

from typing import Any

import numpy as np

from .ops._args import pair
from .ops._decl import op
from .ops.complex_parts import conj
from .rules import rule
from .tensor import Tensor

_NS = "autobp.signal"


def _flip(x: Any) -> Any:
    return x[(slice(None, None, -1),) * x.ndim]


def _check(a: Tensor, b: Tensor, mode: str, name: str) -> None:
    if mode not in ("full", "same", "valid"):
        raise ValueError(f"{name}: mode must be 'full', 'same' or 'valid', got {mode!r}")
    if a.ndim != b.ndim:
        raise ValueError(
            f"{name}: in1 and in2 must have the same number of dimensions, got {a.shape} and {b.shape}"
        )
    if 0 in a.shape or 0 in b.shape:
        raise ValueError(f"{name}: empty input, shapes {a.shape} and {b.shape}")
    if mode == "valid":
        ge = all(m >= n for m, n in zip(a.shape, b.shape))
        le = all(m <= n for m, n in zip(a.shape, b.shape))
        if not (ge or le):
            raise ValueError(
                f"{name}: for 'valid' mode one input must be at least as large as the other in every "
                f"dimension, got {a.shape} and {b.shape}"
            )


def _full(a: Tensor, b: Tensor) -> Tensor:
    import scipy.signal  # here, not at import: scipy.signal alone takes a second to import

    data = scipy.signal.convolve(a._data, b._data, mode="full", method="direct")
    return Tensor._make(np.asarray(data), (a, b), "convolve_full")


def _correlate_valid(g: Any, k: Any) -> Any:
    """sum_j g[i + j] conj(k[j]) for every i where it fits: the full convolution's adjoint (scipy's
    correlate conjugates k, as PyTorch's convention for complex inputs needs)."""
    if isinstance(g, Tensor):
        full = _full(g, _flip(conj(k)))
        return full[tuple(slice(n - 1, m) for m, n in zip(g.shape, k.shape))]
    import scipy.signal

    return scipy.signal.correlate(g, k, mode="valid", method="direct")


@rule("convolve_full")  # z = a * b (full): ga = correlate(g, b, valid), gb = correlate(g, a, valid)
def _convolve_full(F, g, out, xs, ctx, need):
    a, b = xs
    return (_correlate_valid(g, b) if need[0] else None), (_correlate_valid(g, a) if need[1] else None)


@op(
    name="signal_convolve",
    family="signal",
    namespace=_NS,
    numpy=None,
    method=False,
    rules=("convolve_full", "getitem"),
)
def convolve(
    in1: Any,
    in2: Any,
    mode: str = "full",
    method: str = "auto",
    *,
    axes: Any = None,
    dot_axes: Any = None,
    precision: Any = None,
) -> Tensor:
    """N-dimensional convolution of ``in1`` with ``in2`` (scipy.signal.convolve; ``method`` and JAX's
    ``precision`` are accepted and the direct sum is used); differentiable in both inputs.

    Extension over scipy (HIPS autograd's generalisation), keyword-only: ``axes=(axes_1, axes_2)``
    pairs the axes convolved together and ``dot_axes=(dot_1, dot_2)`` pairs axes summed over as in
    tensordot; every other axis is kept. The result's axes are in1's kept axes, then in2's, then
    the convolved ones (sized by ``mode``, 'same' taking in1's sizes). ``axes=([], [])`` with
    ``dot_axes`` is tensordot; without either argument it is scipy's convolution.
    """
    if axes is not None or dot_axes is not None:
        from ._convolve_axes import convolve_axes  # composed from differentiable ops

        return convolve_axes(in1, in2, mode, axes, dot_axes)
    a, b = pair(in1, in2, "convolve")
    _check(a, b, mode, "convolve")
    if a.ndim == 0:
        return a * b
    full = _full(a, b)
    if mode == "full":
        return full
    if mode == "same":  # centred on the full result, in1's shape
        return full[tuple(slice((n - 1) // 2, (n - 1) // 2 + m) for m, n in zip(a.shape, b.shape))]
    return full[tuple(slice(min(m, n) - 1, max(m, n)) for m, n in zip(a.shape, b.shape))]


@op(
    name="signal_correlate",
    family="signal",
    namespace=_NS,
    numpy=None,
    method=False,
    rules=("convolve_full", "getitem", "conj"),
)
def correlate(
    in1: Any, in2: Any, mode: str = "full", method: str = "auto", *, precision: Any = None
) -> Tensor:
    """N-dimensional cross-correlation (scipy.signal.correlate): convolve(in1, conj(in2) flipped, mode)
    (in2 conjugated as scipy's, for complex inputs); JAX's ``precision`` is accepted."""
    a, b = pair(in1, in2, "correlate")
    _check(a, b, mode, "correlate")
    if mode == "valid" and any(m < n for m, n in zip(a.shape, b.shape)):
        # scipy swaps the inputs when in2 is the larger one; correlate then comes out reversed
        return conj(_flip(convolve(b, _flip(conj(a)), mode)))
    return convolve(a, _flip(conj(b)), mode)


from .signal_more import convolve2d, correlate2d, detrend  # noqa: E402

__all__ = ["convolve", "correlate", "convolve2d", "correlate2d", "detrend"]

import sys  # noqa: E402

from . import signal_windows as windows  # noqa: E402  (scipy.signal.windows)

sys.modules[f"{__name__}.windows"] = windows  # ``import autobp.signal.windows`` as scipy's
