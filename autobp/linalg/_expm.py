"""The matrix exponential's forward in numpy: Higham's (2005) scaling and squaring with the [13/13]
Pade approximant, batched (each matrix scaled by its own power of 2). numpy rather than scipy's
expm: scipy's separately threaded BLAS stalls for milliseconds per call on a loaded machine."""

from __future__ import annotations

import numpy as np

_B = (
    64764752532480000.0,
    32382376266240000.0,
    7771770303897600.0,
    1187353796428800.0,
    129060195264000.0,
    10559470521600.0,
    670442572800.0,
    33522128640.0,
    1323241920.0,
    40840800.0,
    960960.0,
    16380.0,
    182.0,
    1.0,
)
_THETA13 = 5.371920351148152  # the largest 1-norm for which [13/13] Pade is accurate to double precision


def expm(a: np.ndarray) -> np.ndarray:
    """exp of each square matrix of ``a`` (..., n, n), in a's float dtype."""
    norm1 = np.abs(a).sum(axis=-2).max(axis=-1, initial=0.0)  # the 1-norm of each matrix
    s = np.maximum(0, np.ceil(np.log2(np.maximum(norm1, 1e-300) / _THETA13))).astype(int)
    a = a / (2.0**s)[..., None, None].astype(a.dtype)
    eye = np.eye(a.shape[-1], dtype=a.dtype)
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    b = _B
    u = a @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * eye)
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * eye
    r = np.linalg.solve(v - u, v + u)
    for k in range(int(s.max(initial=0))):  # undo the scaling: square s times, each matrix its own s
        squared = r @ r
        r = np.where((k < s)[..., None, None], squared, r)
    return r
