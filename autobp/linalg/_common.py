"""Helpers shared by the linear-algebra ops: argument checks, batched matrix idioms that work on
ndarrays and Tensors alike, and ``lin(x)``, the linear-algebra namespace a rule computes with
(numpy/scipy on arrays in a plain backward, autobp.linalg's own ops on Tensors under create_graph)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor

NS = "autobp.linalg"
FAMILY = "linalg"


def data_of(x: Any) -> np.ndarray:
    """The numbers of an ndarray or a Tensor (for masks and branch decisions only, never gradients)."""
    return x._data if isinstance(x, Tensor) else np.asarray(x)


class LinalgArgumentError(ValueError, RuntimeError):
    """A bad argument to a linear-algebra function (a ValueError, and the RuntimeError PyTorch raises)."""


class LinAlgShapeError(np.linalg.LinAlgError, RuntimeError):
    """numpy's LinAlgError for a shape numpy refuses with it, and the RuntimeError PyTorch raises."""


def check_matrix(a: Tensor, op: str, square: bool = True, complex_ok: bool = True) -> None:
    """Raise a clear error unless ``a`` is a (batch of) matrix, square if ``square``; complex
    matrices only where the rule is checked for them (``complex_ok``). The words include PyTorch's."""
    if a.dtype.kind == "c" and not complex_ok:
        raise TypeError(f"{op}: complex matrices (dtype {a.dtype}, shape {a.shape}) are not supported yet")
    # numpy's LinAlgError (a ValueError) and PyTorch's RuntimeError; numpy's and PyTorch's words
    if a.ndim < 2:
        raise LinAlgShapeError(
            f"{op}: expected a matrix or a batch of matrices, got shape {a.shape} (the input must have at "
            f"least 2 dimensions; {a.ndim}-dimensional array given. Array must be at least two-dimensional)"
        )
    if square and a.shape[-1] != a.shape[-2]:
        m, n = a.shape[-2:]
        raise LinAlgShapeError(
            f"{op}: expected square matrices, got shape {a.shape} (Last 2 dimensions of the array "
            f"must be square; A must be batches of square matrices, but they are {m} by {n} matrices)"
        )


def float_dtype(*dts: Any) -> np.dtype:
    """numpy.linalg's result dtype: float32 and complex stay, everything else becomes float64."""
    dt = np.result_type(*dts)
    return dt if dt.kind in "fc" and dt.itemsize >= 4 else np.dtype(np.float64)


def is_complex(x: Any) -> bool:
    """True for a complex ndarray or Tensor."""
    return data_of(x).dtype.kind == "c"


def conj(x: Any) -> Any:
    """The complex conjugate of an ndarray or Tensor (recorded on the graph); real ones unchanged."""
    if not is_complex(x):
        return x
    if isinstance(x, Tensor):
        from ..ops import conj as _conj

        return _conj(x)
    return np.conj(x)


def mH(x: Any) -> Any:  # noqa: N802  the conjugate transpose, PyTorch's spelling
    """The conjugate transpose of the last two axes (the transpose of real matrices)."""
    return conj(mT(x))


def tri_adjoint(gs: Any, uplo: str) -> Any:
    """The gradient with respect to a matrix of which only one triangle is read as a Hermitian one.

    numpy's eigh(a, UPLO='L') (and cholesky) work on H = tril(a) + tril(a, -1)^H with the diagonal's
    real part, so for the gradient ``gs`` with respect to H the chain rule gives
    tril(gs + gs^H, -1) + Re diag(gs) (for UPLO='U' the upper triangle)."""
    both = gs + mH(gs)
    off = tril(both, -1) if uplo == "L" else triu(both, 1)
    d = diagonal(gs)
    if is_complex(d):
        from ..ops import real

        d = real(d) if isinstance(d, Tensor) else d.real
    return off + diag_embed(d)


def mT(x: Any) -> Any:
    """The transpose of the last two axes."""
    return x.swapaxes(-1, -2)


def diagonal(x: Any) -> Any:
    """The main diagonals of a batch of square matrices, shape (..., n)."""
    idx = np.arange(x.shape[-1])
    return x[..., idx, idx]


def diag_embed(v: Any) -> Any:
    """A batch of diagonal matrices with diagonal ``v`` (..., n)."""
    n = v.shape[-1]
    return v[..., None] * np.eye(n, dtype=data_of(v).dtype)


def tril(x: Any, k: int = 0) -> Any:
    """Lower triangle (from diagonal ``k`` down) of a batch of matrices; the rest zero."""
    m, n = x.shape[-2:]
    return x * np.tri(m, n, k, dtype=data_of(x).dtype)


def triu(x: Any, k: int = 0) -> Any:
    """Upper triangle (from diagonal ``k`` up) of a batch of matrices; the rest zero."""
    m, n = x.shape[-2:]
    return x * (1 - np.tri(m, n, k - 1, dtype=data_of(x).dtype))


def solve_triangular_arrays(
    a: np.ndarray, b: np.ndarray, trans: int = 0, lower: bool = False, unit_diagonal: bool = False
) -> np.ndarray:
    """scipy.linalg.solve_triangular's result over broadcast leading axes; ``b`` is (..., M, K);
    ``trans`` 0: a x = b, 1: a^T x = b, 2: a^H x = b.

    numpy's batched solve on the triangle (the other triangle zeroed, the diagonal set to 1 with
    ``unit_diagonal``): one call for the whole batch, and it avoids scipy's separately threaded
    BLAS, which stalls for milliseconds per call on a loaded machine.
    """
    m = a.shape[-1]
    dt = float_dtype(a.dtype, b.dtype)
    mask = np.tri(m, m, 0 if lower else -1, dtype=bool)
    t = np.where(mask if lower else ~mask, a, 0).astype(dt, copy=False)
    if unit_diagonal:
        t[..., np.arange(m), np.arange(m)] = 1
    if trans:
        t = t.swapaxes(-1, -2).conj() if trans == 2 else t.swapaxes(-1, -2)
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    if m == 0 or int(np.prod(batch)) == 0:
        return np.zeros(batch + b.shape[-2:], dtype=dt)
    return np.linalg.solve(t, b.astype(dt, copy=False))


def expm_arrays(a: np.ndarray) -> np.ndarray:
    """exp of each matrix of a batch (scipy.linalg.expm's values, see _expm.py)."""
    if a.size == 0:
        return np.zeros(a.shape, dtype=float_dtype(a.dtype))
    from ._expm import expm

    return expm(a.astype(float_dtype(a.dtype), copy=False))


class _Arrays:
    """The plain-backward namespace: numpy and scipy on ndarrays (matrix right-hand sides only)."""

    inv = staticmethod(np.linalg.inv)
    solve = staticmethod(np.linalg.solve)
    det = staticmethod(np.linalg.det)
    svdvals = staticmethod(lambda a: np.linalg.svd(a, compute_uv=False))
    matrix_exp = staticmethod(expm_arrays)

    @staticmethod
    def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False):
        return solve_triangular_arrays(a, b, trans, lower, unit_diagonal)

    @staticmethod
    def svd(a):
        return np.linalg.svd(a, full_matrices=False)

    @staticmethod
    def eigh(a):
        return np.linalg.eigh(a)

    @staticmethod
    def qr(a):
        return np.linalg.qr(a)

    @staticmethod
    def concatenate(xs, axis):
        return np.concatenate(xs, axis)


class _Graph:
    """The create_graph namespace: autobp.linalg's own recording ops (looked up when first used)."""

    def __getattr__(self, name: str) -> Any:
        from .. import linalg
        from ..ops import concatenate

        fn = concatenate if name == "concatenate" else getattr(linalg, name)
        if name == "svd":
            fn = lambda a: linalg.svd(a, full_matrices=False)  # noqa: E731
        setattr(self, name, fn)
        return fn


ARRAYS, GRAPH = _Arrays(), _Graph()


def lin(x: Any) -> Any:
    """The linear-algebra namespace for a rule whose gradient is ``x``: GRAPH for Tensors."""
    return GRAPH if isinstance(x, Tensor) else ARRAYS
