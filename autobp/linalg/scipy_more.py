"""More of scipy.linalg in autobp.linalg, built on autobp's differentiable ops (every derivative order
comes from the parts): expm and expm_frechet, block_diag, toeplitz, cho_factor and cho_solve,
eigh_tridiagonal. Names numpy.linalg or torch.linalg use with another meaning (lu_factor,
lu_solve, cholesky, qr, solve) keep theirs; these are the scipy names neither library has."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops._args import as_tensor
from ..ops._decl import op
from ..tensor import Tensor
from ._common import FAMILY, NS, LinalgArgumentError, check_matrix, mT

_LA = dict(family=FAMILY, namespace=NS, method=False)


def _inexact(t: Tensor) -> Tensor:
    """t itself when floating or complex, else as float64 (scipy.linalg's result for integers)."""
    return t if t.dtype.kind in "fc" else t.astype(np.float64)


@op(numpy=None, rules=("matrix_exp", "astype"), **_LA)
def expm(A: Any) -> Tensor:  # noqa: N803  scipy's name
    """exp(A) of each square matrix of A (..., n, n) (scipy.linalg.expm; integers become float64).

    The same function as ``matrix_exp``, under scipy's name, differentiable to every order."""
    from .expm import matrix_exp

    a = _inexact(as_tensor(A))
    check_matrix(a, "expm")
    return matrix_exp(a)


@op(numpy=None, rules=("matrix_exp", "concatenate", "getitem", "add", "astype"), **_LA)
def expm_frechet(
    A: Any,  # noqa: N803  scipy's names
    E: Any,  # noqa: N803
    method: Any = None,
    compute_expm: bool = True,
    check_finite: bool = True,
) -> Any:
    """The Frechet derivative of expm at A in the direction E (scipy.linalg.expm_frechet).

    Returns ``(expm(A), L)`` with ``compute_expm`` (scipy's default), else ``L``: both blocks of
    exp([[A, E], [0, A]]) (Van Loan), so differentiable in A and E to every order. ``method`` and
    ``check_finite`` are accepted for scipy's signature (the block method is used)."""
    from .expm import matrix_exp

    del method, check_finite
    a, e = _inexact(as_tensor(A)), _inexact(as_tensor(E))
    if a.ndim != 2 or a.shape[0] != a.shape[1] or e.shape != a.shape:
        raise LinalgArgumentError(
            f"expm_frechet: A and E must be square matrices of the same shape, got {a.shape} and {e.shape}"
        )
    n = a.shape[0]
    z = np.zeros(a.shape, dtype=np.result_type(a.dtype, e.dtype))
    big = matrix_exp(concatenate_blocks(a + z, e + z, z, a + z))
    frechet = big[:n, n:]
    return (big[:n, :n], frechet) if compute_expm else frechet


def concatenate_blocks(tl: Any, tr: Any, bl: Any, br: Any) -> Tensor:
    """[[tl, tr], [bl, br]] for matrices (or batches of them) of matching shapes."""
    from ..ops import concatenate

    return concatenate([concatenate([tl, tr], -1), concatenate([bl, br], -1)], -2)


@op(name="linalg_block_diag", numpy=None, rules=("concatenate", "astype", "reshape"), **_LA)
def block_diag(*arrs: Any) -> Tensor:
    """The block-diagonal matrix of its arguments (scipy.linalg.block_diag): a scalar is a 1x1 block,
    a 1-d array a row; no arguments give shape (1, 0). Differentiable in every block."""
    from ..pytorch_functions import block_diag as _block_diag

    return _block_diag(*arrs)


@op(numpy=None, rules=("concatenate", "getitem", "flip", "conj", "broadcast_to", "astype", "reshape"), **_LA)
def toeplitz(c: Any, r: Any = None) -> Tensor:
    """The Toeplitz matrix with first column c and first row r (scipy.linalg.toeplitz, scipy 1.17's
    batching: c (..., m) and r (..., n), batch shapes broadcast). T[i, j] = c[i - j] below and on the
    diagonal, r[j - i] above it (r[0] unused); r defaults to conj(c). Differentiable in c and r."""
    from ..ops import broadcast_to, concatenate

    c = as_tensor(c)
    r = c.conj() if r is None else as_tensor(r)
    c = c.reshape((1,)) if c.ndim == 0 else c
    r = r.reshape((1,)) if r.ndim == 0 else r
    m, n = c.shape[-1], r.shape[-1]
    batch = np.broadcast_shapes(c.shape[:-1], r.shape[:-1])
    dt = np.result_type(c.dtype, r.dtype)
    c = broadcast_to(c.astype(dt), batch + (m,))
    r = broadcast_to(r.astype(dt), batch + (n,))
    vals = concatenate([c.flip(-1), r[..., 1:]], -1)  # vals[m - 1 + k] = c[-k] (k <= 0), r[k] (k > 0)
    if m == 0 or n == 0:
        return Tensor._const(np.zeros(batch + (m, n), dt))
    idx = (m - 1) - np.arange(m)[:, None] + np.arange(n)[None, :]
    return vals[..., idx]


@op(numpy=None, rules=("cholesky", "triangle", "add", "astype"), **_LA)
def cho_factor(a: Any, lower: bool = False, overwrite_a: bool = False, check_finite: bool = True) -> tuple:
    """``(c, lower)``: the Cholesky factor of the Hermitian positive-definite a (scipy.linalg.cho_factor),
    upper (c^H c = a) unless ``lower``, in that triangle of c; c's other triangle holds a's entries there,
    as scipy's (cho_solve ignores it). Differentiable; pass the pair to ``cho_solve``."""
    from ..ops.diagonals import tril, triu
    from .decomp import cholesky

    del overwrite_a, check_finite
    a = _inexact(as_tensor(a))
    check_matrix(a, "cho_factor")
    factor = cholesky(a, upper=not lower)
    return factor + (triu(a, 1) if lower else tril(a, -1)), bool(lower)


@op(numpy=None, rules=("solve_triangular", "triangle", "conj", "transpose", "astype"), **_LA)
def cho_solve(c_and_lower: tuple, b: Any, overwrite_b: bool = False, check_finite: bool = True) -> Tensor:
    """x with a x = b from ``(c, lower) = cho_factor(a)`` (scipy.linalg.cho_solve): two triangular
    solves with the triangle of c that ``lower`` names (the other triangle is ignored). b is (n,) or
    (n, k). Differentiable in c and b."""
    from ..ops.diagonals import tril, triu
    from .solve import solve_triangular

    del overwrite_b, check_finite
    c, lower = c_and_lower
    c = _inexact(as_tensor(c))
    check_matrix(c, "cho_solve")
    b = as_tensor(b)
    if b.ndim == 0 or b.shape[0] != c.shape[-1]:
        raise LinalgArgumentError(f"cho_solve: b of shape {b.shape} does not match the factor {c.shape}")
    low = tril(c) if lower else mT(triu(c)).conj()  # L with a = L L^H
    y = solve_triangular(low, b, lower=True)
    return solve_triangular(mT(low).conj(), y, lower=False)


@op(numpy=None, rules=("eigh_w", "eigh_v", "scatter_add", "add", "conj", "getitem", "astype"), **_LA)
def eigh_tridiagonal(
    d: Any,
    e: Any,
    eigvals_only: bool = False,
    select: str = "a",
    select_range: Any = None,
    check_finite: bool = True,
    tol: float = 0.0,
    lapack_driver: str = "auto",
) -> Any:
    """Eigenvalues (ascending) and, unless ``eigvals_only``, eigenvectors of the Hermitian tridiagonal
    matrix with diagonal d (n,) and superdiagonal e (n - 1,) (scipy.linalg.eigh_tridiagonal; complex e
    is allowed, the subdiagonal is conj(e)). ``select`` 'a' (all), 'i' (indices lo..hi of
    ``select_range``, inclusive) or 'v' (values in the half-open range (lo, hi]). Differentiable in d and
    e wherever the eigenvalues are distinct."""
    from ..ops import diag
    from .eigen import eigh

    del check_finite, tol, lapack_driver
    d, e = as_tensor(d), as_tensor(e)
    if d.ndim != 1 or e.ndim != 1 or e.shape[0] != max(d.shape[0] - 1, 0):
        raise LinalgArgumentError(
            f"eigh_tridiagonal: d must be (n,) and e (n - 1,), got {d.shape} and {e.shape}"
        )
    t = diag(_inexact(d)) + diag(e, 1) + diag(e.conj(), -1)
    w, v = eigh(t)
    if select in ("a", "all", 0):
        keep = slice(None)
    elif select in ("i", "index", 2):
        lo, hi = (int(k) for k in select_range)
        keep = slice(lo, hi + 1)
    elif select in ("v", "value", 1):
        lo, hi = select_range
        keep = np.flatnonzero((w._data > lo) & (w._data <= hi))
    else:
        raise LinalgArgumentError(f"eigh_tridiagonal: select must be 'a', 'i' or 'v', got {select!r}")
    return w[keep] if eigvals_only else (w[keep], v[:, keep])
