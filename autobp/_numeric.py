"""Central finite differences in float64: the reference every gradient is checked against."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def numerical_gradients(
    f: Callable[..., float], arrays: Sequence[np.ndarray], eps: float = 1e-6
) -> list[np.ndarray]:
    """d f / d arrays[i] by (f(x + eps) - f(x - eps)) / (2 eps), one element at a time.

    ``f`` takes float64 copies of ``arrays`` and returns a number; the inputs
    themselves are not modified.
    """
    xs = [np.array(a, dtype=np.float64, order="C") for a in arrays]  # reshape(-1) is a view
    grads = []
    for x in xs:
        g = np.zeros_like(x)
        flat, gflat = x.reshape(-1), g.reshape(-1)
        for j in range(flat.size):
            old = flat[j]
            flat[j] = old + eps
            hi = float(f(*xs))
            flat[j] = old - eps
            lo = float(f(*xs))
            flat[j] = old
            gflat[j] = (hi - lo) / (2 * eps)
        grads.append(g)
    return grads
