"""torch.cholesky_solve as one recorded op with PyTorch's gradient: X = (L L^H)^-1 B reads only the
factor's triangle, but its gradient with respect to the factor is PyTorch's full matrix
-(G X^H + X G^H) L (G = (L L^H)^-1 dX; L the factor as given, both triangles), not zero in the
unread triangle. That is the derivative of (L L^H)^-1 B taken over every entry of a triangular L,
and the numbers users porting PyTorch code compare against."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._autocast import autocasts
from ._torch_out import takes_out
from .linalg._common import check_matrix, mH, solve_triangular_arrays
from .ops._args import as_tensor
from .rules import rule
from .tensor import Tensor


def _solve_arrays(b: np.ndarray, f: np.ndarray, upper: bool) -> np.ndarray:
    """(L L^H)^-1 b on arrays, L = the lower triangle of f (or the upper's conjugate transpose)."""
    if upper:  # A = U^H U: U^H y = b, then U x = y
        y = solve_triangular_arrays(f, b, 2, lower=False)
        return solve_triangular_arrays(f, y, 0, lower=False)
    y = solve_triangular_arrays(f, b, 0, lower=True)
    return solve_triangular_arrays(f, y, 2, lower=True)


@takes_out("cholesky_solve", "safe")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def cholesky_solve(B: Any, L: Any, upper: bool = False) -> Tensor:  # noqa: N803
    """X with A X = B, given A's Cholesky factor L (A = L L^H, or U^H U with ``upper``), as
    ``torch.cholesky_solve``: batched, the batch axes broadcast; B a matrix (..., n, k).

    Only the factor's named triangle is read, yet the factor's gradient is PyTorch's full matrix
    -(G X^H + X G^H) L (``-L (G X^H + X G^H)`` with ``upper``), G = A^-1 dX, with L as given: non-zero
    in the unread triangle, and computed with whatever that triangle holds, as torch's. Its read
    triangle is the true derivative when the unread one is zero. Second order works."""
    B, L = as_tensor(B), as_tensor(L)
    check_matrix(L, "cholesky_solve")
    if B.ndim < 2:
        raise ValueError(f"cholesky_solve: B must have at least 2 dimensions, got shape {B.shape}")
    if B.shape[-2] != L.shape[-1]:
        raise ValueError(f"cholesky_solve: B of shape {B.shape} does not fit the factor's {L.shape}")
    try:
        np.broadcast_shapes(B.shape[:-2], L.shape[:-2])
    except ValueError:
        raise ValueError(
            f"cholesky_solve: batch shapes of B {B.shape} and the factor {L.shape} do not broadcast"
        ) from None
    data = _solve_arrays(B._data, L._data, bool(upper))
    return Tensor._make(data, (B, L), "cholesky_solve", bool(upper))


@rule("cholesky_solve")  # ctx = upper; PyTorch's formula (its cholesky_solve_backward)
def _cholesky_solve_rule(F, g, out, xs, ctx, need):
    upper = ctx
    f = xs[1]
    if isinstance(g, Tensor):
        gb = cholesky_solve(g, f, upper)
    else:
        gb = _solve_arrays(g, f._data if isinstance(f, Tensor) else f, upper)
    if not need[1]:
        return gb, None
    c = gb @ mH(out)
    c = c + mH(c)
    return gb, -(f @ c) if upper else -(c @ f)
