"""autobp.signal.convolve's extension over scipy (HIPS autograd's generalisation): a convolution over
chosen pairs of axes and a tensordot over others, composed from differentiable ops (pad, windows
taken by indexing, einsum), so gradients and second order come from those ops' rules."""

from __future__ import annotations

from string import ascii_letters
from typing import Any

import numpy as np

from .ops import einsum, flip, pad, transpose
from .ops._args import pair
from .tensor import Tensor


def _pairs(spec: Any, name: str, a: Tensor, b: Tensor) -> tuple:
    """(axes of in1, axes of in2) as two tuples of non-negative ints of equal length."""
    try:
        first, second = spec
        first, second = [int(i) for i in first], [int(i) for i in second]
    except (TypeError, ValueError):
        raise TypeError(f"convolve: {name} must be a pair of axis lists, got {spec!r}") from None
    if len(first) != len(second):
        raise ValueError(
            f"convolve: {name}={spec!r} pairs {len(first)} axes of in1 with {len(second)} of in2"
        )
    for axs, t, which in ((first, a, "in1"), (second, b, "in2")):
        for i in axs:
            if not -t.ndim <= i < t.ndim:
                raise ValueError(f"convolve: {name} axis {i} is out of range for {which} of shape {t.shape}")
    return tuple(i % a.ndim for i in first), tuple(i % b.ndim for i in second)


def _conv_size(m: int, n: int, mode: str) -> slice:
    """The slice of the full convolution (length m + n - 1) that ``mode`` keeps."""
    if mode == "full":
        return slice(None)
    if mode == "same":  # centred, in1's size (scipy's)
        return slice((n - 1) // 2, (n - 1) // 2 + m)
    return slice(min(m, n) - 1, max(m, n))


def convolve_axes(in1: Any, in2: Any, mode: str, axes: Any, dot_axes: Any) -> Tensor:
    """out[i, j, k] = sum_d sum_s in1[i, d, k - s] in2[j, d, s]: i in1's kept axes, j in2's, d the
    paired ``dot_axes``, k and s the paired convolution ``axes`` (then cut to ``mode``)."""
    a, b = pair(in1, in2, "convolve")
    if a.dtype.kind == "c" or b.dtype.kind == "c":
        raise TypeError(f"convolve: complex input (dtypes {a.dtype}, {b.dtype}) is not supported yet")
    if mode not in ("full", "same", "valid"):
        raise ValueError(f"convolve: mode must be 'full', 'same' or 'valid', got {mode!r}")
    dot_a, dot_b = _pairs(dot_axes if dot_axes is not None else ((), ()), "dot_axes", a, b)
    if axes is None:  # every axis that is not summed over, in order
        axes = ([i for i in range(a.ndim) if i not in dot_a], [i for i in range(b.ndim) if i not in dot_b])
    conv_a, conv_b = _pairs(axes, "axes", a, b)
    used_a, used_b = conv_a + dot_a, conv_b + dot_b
    if len(set(used_a)) != len(used_a) or len(set(used_b)) != len(used_b):
        raise ValueError(f"convolve: an axis appears twice in axes={axes!r} and dot_axes={dot_axes!r}")
    for i, j in zip(dot_a, dot_b):
        if a.shape[i] != b.shape[j]:
            raise ValueError(
                f"convolve: dot axes {i} of in1 {a.shape} and {j} of in2 {b.shape} differ in length"
            )
    ms, ns = [a.shape[i] for i in conv_a], [b.shape[j] for j in conv_b]
    if 0 in ms or 0 in ns:
        raise ValueError(f"convolve: empty convolution axes, shapes {a.shape} and {b.shape}")
    if mode == "valid" and not (all(m >= n for m, n in zip(ms, ns)) or all(m <= n for m, n in zip(ms, ns))):
        raise ValueError(
            f"convolve: for 'valid' mode one input must be at least as large as the other along every "
            f"convolution axis, got {a.shape} and {b.shape} with axes={axes!r}"
        )
    keep_a = [i for i in range(a.ndim) if i not in used_a]
    keep_b = [j for j in range(b.ndim) if j not in used_b]
    a = transpose(a, keep_a + list(dot_a) + list(conv_a))  # (kept, dot, conv)
    b = transpose(b, keep_b + list(dot_b) + list(conv_b))
    c, first = len(conv_a), len(keep_a) + len(dot_a)  # in1's convolution axes start at ``first``
    # full convolution as a product with windows: pad in1 by n - 1 zeros each side, take the
    # window of n at every output position k, and contract it with in2 reversed along that axis
    a = pad(a, [(0, 0)] * first + [(n - 1, n - 1) for n in ns])
    for i, (m, n) in enumerate(zip(ms, ns)):
        axis = first + 2 * i  # earlier convolution axes have become (k, s) pairs
        windows = np.arange(m + n - 1)[:, None] + np.arange(n)[None, :]
        a = a[(slice(None),) * axis + (windows,)]
    if c:
        b = flip(b, tuple(range(b.ndim - c, b.ndim)))
    letters = iter(ascii_letters)
    ia, ib = [next(letters) for _ in keep_a], [next(letters) for _ in keep_b]
    d = [next(letters) for _ in dot_a]
    k, s = [next(letters) for _ in range(c)], [next(letters) for _ in range(c)]
    sa = "".join(ia + d + [x for ks in zip(k, s) for x in ks])
    sb = "".join(ib + d + s)
    out = einsum(f"{sa},{sb}->{''.join(ia + ib + k)}", a, b)
    if mode == "full" or not c:
        return out
    cut = tuple(_conv_size(m, n, mode) for m, n in zip(ms, ns))
    return out[(slice(None),) * (out.ndim - c) + cut]
