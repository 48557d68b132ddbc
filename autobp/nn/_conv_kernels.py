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


def _cols(x: np.ndarray, ksize: tuple, geo: Geom) -> tuple[np.ndarray, tuple]:
    """im2col: (G, N * prod(L), C/G * prod(K)) and the output's spatial shape L."""
    nd, (N, C), G = len(ksize), x.shape[:2], geo.groups
    win = windows(pad_zeros(x, geo.lo, geo.hi), ksize, geo.stride, geo.dilation)
    if geo.out is not None:  # a transposed convolution's output_padding leaves spare room at the end
        win = win[(slice(None), slice(None)) + tuple(slice(0, n) for n in geo.out)]
    L = win.shape[2 : 2 + nd]
    win = win.reshape((N, G, C // G) + L + ksize)
    perm = (1, 0) + tuple(range(3, 3 + nd)) + (2,) + tuple(range(3 + nd, 3 + 2 * nd))
    return win.transpose(perm).reshape(G, N * math.prod(L), (C // G) * math.prod(ksize)), L


def conv(x: np.ndarray, w: np.ndarray, geo: Geom) -> np.ndarray:
    """Cross-correlation out[n, o, l] = sum_{c in o's group, k} xp[n, c, l*s + k*d] w[o, c, k]."""
    N, O, G, K = x.shape[0], w.shape[0], geo.groups, w.shape[2:]
    cols, L = _cols(x, K, geo)
    wm = w.reshape(G, O // G, -1).transpose(0, 2, 1)  # (G, Cg*K, Og)
    out = np.matmul(cols, wm)  # (G, N*L, Og): the one BLAS call
    nd = len(K)
    out = out.reshape((G, N) + L + (O // G,))
    out = out.transpose((1, 0, 2 + nd) + tuple(range(2, 2 + nd)))  # (N, G, Og, *L)
    return out.reshape((N, O) + L)


def conv_weight(x: np.ndarray, g: np.ndarray, geo: Geom, ksize: tuple) -> np.ndarray:
    """The weight's gradient: gw[o, c, k] = sum_{n, l} g[n, o, l] xp[n, c(o), l*s + k*d]."""
    N, O, G = g.shape[0], g.shape[1], geo.groups
    cols, L = _cols(x, ksize, geo)
    nd = len(ksize)
    gm = g.reshape((N, G, O // G) + L).transpose((1, 2, 0) + tuple(range(3, 3 + nd)))
    gw = np.matmul(gm.reshape(G, O // G, -1), cols)  # (G, Og, Cg*K)
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
    l*s + k*d = i + lo, for an input of spatial shape ``size``."""
    N, O, G, K = g.shape[0], w.shape[0], geo.groups, w.shape[2:]
    nd, Cg = len(K), w.shape[1]
    L = g.shape[2:]
    gm = g.reshape((N, G, O // G) + L).transpose((1, 2, 0) + tuple(range(3, 3 + nd)))
    wm = w.reshape(G, O // G, -1).transpose(0, 2, 1)  # (G, Cg*K, Og)
    cols = np.matmul(wm, gm.reshape(G, O // G, -1))  # (G, Cg*K, N*L): the one BLAS call
    cols = cols.reshape((G, Cg) + tuple(K) + (N,) + L)
    perm = tuple(range(2, 2 + nd)) + (2 + nd, 0, 1) + tuple(range(3 + nd, 3 + 2 * nd))
    P = tuple(n + a + b for n, a, b in zip(size, geo.lo, geo.hi))
    xp = fold_taps(cols.transpose(perm), P, geo.stride, geo.dilation)  # (N, G, Cg, *P)
    crop = tuple(slice(a, a + n) for a, n in zip(geo.lo, size))
    return xp[(slice(None),) * 3 + crop].reshape((N, G * Cg) + tuple(size))
