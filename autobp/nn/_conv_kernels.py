"""The numpy arithmetic of convolution: im2col by strided windows and one batched matmul, for the
convolution, its adjoint in the input (a transposed convolution) and its adjoint in the weight.

Shapes: x (N, C, *S), weight (O, C/G, *K), output (N, O, *L); G groups; ``Geom`` holds stride,
zero padding before (lo) and after (hi) each spatial axis, and dilation.
"""

from __future__ import annotations

import itertools
import math
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


class Geom(NamedTuple):
    """Where the windows of a convolution sit: per spatial axis stride, padding lo/hi, dilation."""

    stride: tuple
    lo: tuple
    hi: tuple
    dilation: tuple
    groups: int
    out: tuple | None = None  # the output's spatial shape when fewer windows are wanted than fit


def out_size(size: int, k: int, s: int, lo: int, hi: int, d: int) -> int:
    """Number of window positions along one axis: floor((size + lo + hi - d (k - 1) - 1) / s) + 1."""
    return (size + lo + hi - d * (k - 1) - 1) // s + 1


def pad_zeros(x: np.ndarray, lo: tuple, hi: tuple) -> np.ndarray:
    """x with zeros added before/after its trailing len(lo) axes (x itself when there are none)."""
    if not any(lo) and not any(hi):
        return x
    nd = len(lo)
    lead = x.ndim - nd
    out = np.zeros(x.shape[:lead] + tuple(n + a + b for n, a, b in zip(x.shape[lead:], lo, hi)), x.dtype)
    out[(Ellipsis,) + tuple(slice(a, a + n) for a, n in zip(lo, x.shape[lead:]))] = x
    return out


def windows(xp: np.ndarray, ksize: tuple, stride: tuple, dilation: tuple) -> np.ndarray:
    """A view (N, C, *L, *K) of padded ``xp`` (N, C, *P): entry [n, c, l, k] = xp[n, c, l*s + k*d]."""
    nd = len(ksize)
    ext = tuple(d * (k - 1) + 1 for k, d in zip(ksize, dilation))
    v = sliding_window_view(xp, ext, axis=tuple(range(2, 2 + nd)))
    sl = tuple(slice(None, None, s) for s in stride) + tuple(slice(None, None, d) for d in dilation)
    return v[(slice(None), slice(None)) + sl]


def _batch_last(a: np.ndarray) -> np.ndarray:
    """(N, C, *S) viewed as (C, *S, N)."""
    return a.transpose(tuple(range(1, a.ndim)) + (0,))


def _batch_first(a: np.ndarray) -> np.ndarray:
    """(C, *S, N) viewed as (N, C, *S)."""
    return a.transpose((a.ndim - 1,) + tuple(range(a.ndim - 1)))


def _taps(ksize: tuple, geo: Geom, L: tuple):
    """Each kernel tap k and the slices of the padded input its window entries read."""
    for k in itertools.product(*(range(n) for n in ksize)):
        yield (
            k,
            tuple(
                slice(ki * d, ki * d + s * (li - 1) + 1, s)
                for ki, d, s, li in zip(k, geo.dilation, geo.stride, L)
            ),
        )


def _im2col(x: np.ndarray, ksize: tuple, geo: Geom) -> tuple[np.ndarray, tuple]:
    """Columns (C, *K, *L, N): entry [c, k, l, n] = xp[n, c, l*s + k*d]. The batch axis is kept
    last (contiguous), so each kernel tap's copy runs along long contiguous rows even for small
    images; one copy per tap."""
    N, C = x.shape[:2]
    S = x.shape[2:]
    L = geo.out or tuple(
        out_size(n, k, s, a, b, d)
        for n, k, s, a, b, d in zip(S, ksize, geo.stride, geo.lo, geo.hi, geo.dilation)
    )
    P = tuple(n + a + b for n, a, b in zip(S, geo.lo, geo.hi))
    xp = np.zeros((C,) + P + (N,), dtype=x.dtype)
    xp[(slice(None),) + tuple(slice(a, a + n) for a, n in zip(geo.lo, S))] = _batch_last(x)
    cols = np.empty((C,) + tuple(ksize) + tuple(L) + (N,), dtype=x.dtype)
    for k, sl in _taps(ksize, geo, L):
        cols[(slice(None),) + k] = xp[(slice(None),) + sl]
    return cols, tuple(L)


def _by_group(g: np.ndarray, G: int) -> np.ndarray:
    """(N, O, *L) as (G, O/G, prod(L) * N); free when g is laid out (O, *L, N) in memory, as the
    convolution's own results (and elementwise functions of them) are."""
    # explicit sizes, not -1: an empty batch (N = 0) leaves -1 undetermined
    return _batch_last(g).reshape(G, g.shape[1] // G, math.prod(g.shape[2:]) * g.shape[0])


def conv(x: np.ndarray, w: np.ndarray, geo: Geom) -> np.ndarray:
    """Cross-correlation out[n, o, l] = sum_{c in o's group, k} xp[n, c, l*s + k*d] w[o, c, k].
    The result is an (N, O, *L) view of an array laid out (O, *L, N)."""
    N, O, G, K = x.shape[0], w.shape[0], geo.groups, w.shape[2:]
    cols, L = _im2col(x, K, geo)
    CgK = (x.shape[1] // G) * math.prod(K)  # explicit, not -1: N = 0 or an empty kernel leave -1 undetermined
    out = np.matmul(w.reshape(G, O // G, CgK), cols.reshape(G, CgK, N * math.prod(L)))  # the one BLAS call
    return _batch_first(out.reshape((O,) + L + (N,)))


def conv_weight(x: np.ndarray, g: np.ndarray, geo: Geom, ksize: tuple) -> np.ndarray:
    """The weight's gradient: gw[o, c, k] = sum_{n, l} g[n, o, l] xp[n, c(o), l*s + k*d]."""
    O, G = g.shape[1], geo.groups
    cols, L = _im2col(x, ksize, geo)
    cols = cols.reshape(G, (x.shape[1] // G) * math.prod(ksize), math.prod(L) * x.shape[0])  # (G, Cg*K, L*N)
    gw = np.matmul(_by_group(g, G), cols.swapaxes(1, 2))  # (G, Og, Cg*K)
    return gw.reshape((O, x.shape[1] // G) + tuple(ksize))


def fold_taps(cols: np.ndarray, P: tuple, stride: tuple, dilation: tuple) -> np.ndarray:
    """The adjoint of ``windows``: cols (*K, *lead, *L) summed into zeros (*lead, *P) at
    position l*s + k*d; one strided add per kernel tap (not per position)."""
    nd = len(P)
    K, L = cols.shape[:nd], cols.shape[cols.ndim - nd :]
    lead = cols.shape[nd : cols.ndim - nd]
    out = np.zeros(lead + tuple(P), dtype=cols.dtype)
    for k in itertools.product(*(range(n) for n in K)):
        sl = tuple(
            slice(ki * d, ki * d + s * (li - 1) + 1, s) for ki, d, s, li in zip(k, dilation, stride, L)
        )
        out[(Ellipsis,) + sl] += cols[k]
    return out


def conv_input(g: np.ndarray, w: np.ndarray, geo: Geom, size: tuple) -> np.ndarray:
    """The input's gradient (a transposed convolution): gx[n, c, i] = sum g[n, o, l] w[o, c, k] over
    l*s + k*d = i + lo, for an input of spatial shape ``size``: one matmul, then one strided add
    per kernel tap (col2im), batch axis last as in ``_im2col``."""
    N, O, G, K = g.shape[0], w.shape[0], geo.groups, w.shape[2:]
    Cg, L = w.shape[1], g.shape[2:]
    wm = w.reshape(G, O // G, -1).swapaxes(1, 2)  # (G, Cg*K, Og)
    cols = np.matmul(wm, _by_group(g, G)).reshape((G * Cg,) + tuple(K) + tuple(L) + (N,))
    P = tuple(n + a + b for n, a, b in zip(size, geo.lo, geo.hi))
    xp = np.zeros((G * Cg,) + P + (N,), dtype=cols.dtype)
    for k, sl in _taps(K, geo, L):
        xp[(slice(None),) + sl] += cols[(slice(None),) + k]
    crop = tuple(slice(a, a + n) for a, n in zip(geo.lo, size))
    return _batch_first(xp[(slice(None),) + crop])
