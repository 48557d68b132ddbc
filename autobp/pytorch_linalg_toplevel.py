"""PyTorch's top-level matrix and sampling functions with its signatures: ``lu_unpack``,
``chain_matmul``, ``frobenius_norm``, ``nuclear_norm``, ``triangular_solve`` (upper by default,
returning (solution, cloned_coefficient)), the randomised ``svd_lowrank``/``pca_lowrank``, ``igamma``/
``igammac``, ``poisson``/``binomial`` sampling, ``range`` (inclusive end), ``rsub``, ``fill``,
``trapz``/``cumulative_trapezoid`` with ``dim``. Each is a composition of autobp's differentiable ops."""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from . import integrate as _integrate
from . import linalg as _la
from . import return_types as _rt
from . import special as _sp
from ._autocast import autocasts
from ._default_dtype import DEFAULT
from ._torch_out import takes_out
from .linalg._common import LinalgArgumentError
from .ops import concatenate, matmul, tril, triu
from .ops._args import as_tensor
from .random import generator_of, randn
from .tensor import Tensor

# ``torch.range`` is set on the autobp module as an attribute only (not in ``__all__``), so
# ``from autobp import *`` never shadows the builtin
BUILTIN_NAMES = ("range",)


@takes_out("lu_unpack", "exact", ("P", "L", "U"))
def lu_unpack(LU_data: Any, LU_pivots: Any, unpack_data: bool = True, unpack_pivots: bool = True) -> tuple:  # noqa: N803
    """(P, L, U) with A = P L U from ``lu_factor``'s packed LU and 1-based LAPACK pivots
    (``torch.lu_unpack``); L and U differentiate through LU_data, P is a constant. An unrequested part
    is an empty tensor, as in PyTorch."""
    lu = as_tensor(LU_data)
    piv = np.asarray(LU_pivots.data if isinstance(LU_pivots, Tensor) else LU_pivots).astype(np.int64)
    if lu.ndim < 2 or piv.shape != lu.shape[:-2] + (min(lu.shape[-2:]),):
        raise ValueError(
            f"lu_unpack: LU_data (*, m, n) and pivots (*, min(m, n)) expected, got {lu.shape} and {piv.shape}"
        )
    m, n = lu.shape[-2:]
    k = min(m, n)
    empty = Tensor._const(np.zeros(0, lu.dtype))
    L = U = empty
    if unpack_data:
        eye = np.eye(m, k, dtype=lu.dtype)
        L = tril(lu[..., :, :k], -1) + eye
        U = triu(lu[..., :k, :])
    P = empty
    if unpack_pivots:
        if piv.size and (piv.min() < 1 or piv.max() > m):
            raise ValueError(
                f"lu_unpack: pivots must be in 1..{m}, got values from {piv.min()} to {piv.max()}"
            )
        flat = piv.reshape(-1, k)
        perms = np.empty((flat.shape[0], m, m), lu.dtype)
        for b, row in enumerate(flat):
            perm = np.arange(m)
            for i, p in enumerate(row):
                perm[[i, p - 1]] = perm[[p - 1, i]]
            perms[b] = np.eye(m, dtype=lu.dtype)[:, perm]  # A = P L U: row i of L U is row perm[i] of A
        P = Tensor._const(perms.reshape(lu.shape[:-2] + (m, m)))
    return _rt.lu_unpack._make((P, L, U))


def chain_matmul(*matrices: Any) -> Tensor:
    """The product of the 2-D matrices in the cheapest order (``torch.chain_matmul``, deprecated for
    ``linalg.multi_dot``)."""
    if not matrices:
        raise LinalgArgumentError(
            "chain_matmul(): Expected one or more matrices (at least one matrix expected)"
        )
    dims = [as_tensor(m).ndim for m in matrices]
    if any(d != 2 for d in dims):
        raise LinalgArgumentError(
            f"chain_matmul: 2-D matrices expected, got shapes {[as_tensor(m).shape for m in matrices]} "
            f"(Tensor dimension is {next(d for d in dims if d != 2)}, expected 2 instead)"
        )
    return as_tensor(matrices[0]).clone() if len(matrices) == 1 else _la.multi_dot(list(matrices))


def frobenius_norm(input: Any, dim: Any = (-2, -1), keepdim: bool = False) -> Tensor:
    """sqrt(sum |x|^2) over ``dim`` (``torch.frobenius_norm``)."""
    d = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    return _la.vector_norm(input, 2, d, keepdim)


@takes_out("nuclear_norm")
def nuclear_norm(input: Any, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The sum of singular values of the matrices over ``dim`` (the last two axes of a 2-D input by
    default; ``torch.nuclear_norm(input, keepdim)`` or ``(input, dim, keepdim)``)."""
    if isinstance(dim, bool):
        dim, keepdim = None, dim
    x = as_tensor(input)
    if dim is None:
        if x.ndim != 2:
            raise ValueError(f"nuclear_norm: without dim a 2-D input expected, got shape {x.shape}")
        dim = (0, 1)
    return _la.matrix_norm(x, "nuc", tuple(dim), keepdim)


@takes_out("triangular_solve")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def triangular_solve(input: Any, A: Any, upper: bool = True, transpose: bool = False,  # noqa: N803
                     unitriangular: bool = False) -> tuple:  # fmt: skip
    """X with op(A) X = input, A triangular (its other triangle is not read), op transposing when
    ``transpose``; a ``return_types.triangular_solve`` (solution, cloned_coefficient)
    (``torch.triangular_solve``: upper=True by default)."""
    b, a = as_tensor(input), as_tensor(A)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2] or b.ndim < 2 or b.shape[-2] != a.shape[-1]:
        raise ValueError(
            f"triangular_solve: A (*, n, n) and input (*, n, k) expected, got {a.shape} and {b.shape}"
        )
    tri = triu(a) if upper else tril(a)
    if unitriangular:  # the identity in A's dtype: a float64 eye promoted float32 results to float64
        eye = np.eye(a.shape[-1], dtype=a.dtype)
        tri = tri - tri * eye + eye
    lead = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    tri_b = tri.broadcast_to(lead + a.shape[-2:])
    rhs = b.broadcast_to(lead + b.shape[-2:])
    x = _la.solve_triangular(
        tri_b, rhs, trans=1 if transpose else 0, lower=not upper, unit_diagonal=unitriangular
    )
    return _rt.triangular_solve._make((x, a.broadcast_to(lead + a.shape[-2:]).clone()))


def svd_lowrank(A: Any, q: int | None = 6, niter: int | None = 2, M: Any = None) -> tuple:  # noqa: N803
    """A rank-q approximation U diag(S) V^T of A (or A - M) by the randomised range finder with
    ``niter`` power iterations, the random matrix drawn from autobp's global generator
    (``torch.svd_lowrank``; q clamped to min(m, n), as PyTorch); differentiable through the QR and SVD
    it runs."""
    a = as_tensor(A)
    if M is not None:
        a = a - as_tensor(M)
    if a.ndim < 2:
        raise ValueError(f"svd_lowrank: a (*, m, n) matrix expected, got shape {a.shape}")
    m, n = a.shape[-2:]
    q = min(6 if q is None else int(q), m, n)  # PyTorch clamps q to min(m, n)
    if q < 1:
        raise ValueError(f"svd_lowrank: q must be at least 1 (and is clamped to min(m, n)), got {q}")
    wide = m < n
    if wide:
        a = a.mT.conj() if a.dtype.kind == "c" else a.mT
    ah = a.mT.conj() if a.dtype.kind == "c" else a.mT
    shape = a.shape[:-2] + (a.shape[-1], q)
    if a.dtype.kind == "c":  # a complex Gaussian test matrix, as PyTorch draws for complex A
        real = np.float32 if a.dtype == np.complex64 else np.float64
        r = randn(*shape, dtype=real) + 1j * randn(*shape, dtype=real)
    else:
        r = randn(*shape, dtype=a.dtype if a.dtype.kind == "f" else np.float64)
    Q = _la.qr(matmul(a, r)).Q
    for _ in builtins.range(2 if niter is None else int(niter)):
        Q = _la.qr(matmul(a, _la.qr(matmul(ah, Q)).Q)).Q
    B = matmul(Q.mT.conj() if a.dtype.kind == "c" else Q.mT, a)
    u, s, vh = _la.svd(B, full_matrices=False)
    U, V = matmul(Q, u), (vh.mT.conj() if a.dtype.kind == "c" else vh.mT)
    return (V, s, U) if wide else (U, s, V)


def pca_lowrank(A: Any, q: int | None = None, center: bool = True, niter: int = 2) -> tuple:  # noqa: N803
    """(U, S, V) of ``svd_lowrank`` of the column-centred A (``torch.pca_lowrank``; q defaults to
    min(6, m, n))."""
    a = as_tensor(A)
    if a.ndim < 2:
        raise ValueError(f"pca_lowrank: a (*, m, n) matrix expected, got shape {a.shape}")
    q = min(6, *a.shape[-2:]) if q is None else q
    if center:
        a = a - a.mean(axis=-2, keepdims=True)
    return svd_lowrank(a, q, niter)


@takes_out("geqrf", "exact", ("a", "tau"))
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def geqrf(input: Any) -> tuple:
    """LAPACK's packed QR: R on and above the diagonal, the Householder vectors below it, and their
    scales tau, a ``return_types.geqrf`` (``torch.geqrf``; no gradient, as in PyTorch)."""
    from scipy.linalg import qr as _scipy_qr

    x = np.asarray(as_tensor(input).data)
    if x.ndim < 2:
        raise ValueError(f"geqrf: a (*, m, n) matrix expected, got shape {x.shape}")
    k = min(x.shape[-2:])
    flat = x.reshape((math.prod(x.shape[:-2]),) + x.shape[-2:])  # explicit: -1 is undetermined when empty
    packed = np.empty_like(flat)
    taus = np.empty((flat.shape[0], k), flat.dtype)
    if k > 0:  # an (m, 0) or (0, n) matrix has no reflectors: packed and tau are empty
        for b, m in enumerate(flat):
            (packed[b], taus[b]), _ = _scipy_qr(m, mode="raw")
    return _rt.geqrf._make(
        (Tensor._const(packed.reshape(x.shape)), Tensor._const(taus.reshape(x.shape[:-2] + (k,))))
    )


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def ormqr(input: Any, tau: Any, other: Any, left: bool = True, transpose: bool = False) -> Tensor:
    """``other`` times the full m x m Q of ``geqrf``'s reflectors (Q other, Q^H other, other Q or
    other Q^H by ``left`` and ``transpose``) (``torch.ormqr``), through ``linalg.householder_product``."""
    a, t, c = as_tensor(input), as_tensor(tau), as_tensor(other)
    m, n = a.shape[-2:]
    if m > n:  # reflectors with tau 0 are the identity: pad to the square Q
        a = concatenate([a, Tensor._const(np.zeros(a.shape[:-1] + (m - n,), a.dtype))], axis=-1)
    if t.shape[-1] < m:
        t = concatenate([t, Tensor._const(np.zeros(t.shape[:-1] + (m - t.shape[-1],), t.dtype))], axis=-1)
    q = _la.householder_product(a[..., :m], t[..., :m])
    if transpose:
        q = q.mT.conj() if q.dtype.kind == "c" else q.mT
    return matmul(q, c) if left else matmul(c, q)


def igamma(input: Any, other: Any) -> Tensor:
    """The regularised lower incomplete gamma P(input, other) (``torch.igamma``): differentiable in
    ``other`` and, to first order, in ``input`` (scipy's/JAX's ``gammainc``; PyTorch refuses that one)."""
    return _sp.gammainc(input, other)


def igammac(input: Any, other: Any) -> Tensor:
    """The regularised upper incomplete gamma Q(input, other) (``torch.igammac``)."""
    return _sp.gammaincc(input, other)


def poisson(input: Any, generator: Any = None) -> Tensor:
    """A Poisson sample for each rate in ``input``, in its dtype, from the global generator or
    ``generator`` (``torch.poisson``; no gradient)."""
    rates = np.asarray(as_tensor(input).data)
    if np.any(rates < 0) or np.isnan(rates).any():
        raise ValueError("poisson: rates must be non-negative")
    return Tensor._const(generator_of(generator, "generator").poisson(rates).astype(rates.dtype))


def binomial(count: Any, prob: Any, generator: Any = None) -> Tensor:
    """A binomial sample of ``count`` trials with success probability ``prob`` each, in prob's dtype
    (``torch.binomial``; no gradient)."""
    c, p = np.asarray(as_tensor(count).data), np.asarray(as_tensor(prob).data)
    if np.any(c < 0) or np.any((p < 0) | (p > 1)):
        raise ValueError("binomial: count must be >= 0 and prob in [0, 1]")
    draws = generator_of(generator, "generator").binomial(c.astype(np.int64), p)
    return Tensor._const(np.asarray(draws).astype(np.result_type(c.dtype, p.dtype)))


def range(start: Any, end: Any, step: Any = 1, *, dtype: Any = None, layout: Any = None, device: Any = None,  # noqa: A001
          requires_grad: bool = False) -> Tensor:  # fmt: skip
    """start, start + step, ... up to and including ``end`` (``torch.range``, deprecated for
    ``arange``; the default dtype, float64 unless set, unless ``dtype`` is given)."""
    if step == 0 or (end - start) * step < 0:
        raise ValueError(f"range: step {step} cannot reach {end} from {start}")
    n = int(np.floor((end - start) / step)) + 1  # PyTorch's count, in double precision
    dt = np.dtype(DEFAULT[0] if dtype is None else dtype)
    return Tensor((start + step * np.arange(n)).astype(dt), requires_grad=requires_grad)


def rsub(input: Any, other: Any, alpha: Any = 1) -> Tensor:
    """other - alpha * input (``torch.rsub``)."""
    x = as_tensor(input)
    o = other if isinstance(other, (int, float, complex, Tensor)) else as_tensor(other)
    return o - (x if alpha == 1 else x * alpha)


def fill(input: Any, value: Any) -> Tensor:
    """A new tensor of input's shape and dtype filled with ``value`` (``torch.fill``; a 0-d tensor
    value receives the summed gradient)."""
    x = as_tensor(input)
    v = as_tensor(value)
    if v.ndim != 0:
        raise ValueError(f"fill: a scalar or 0-d value expected, got shape {v.shape}")
    return (v + np.zeros(x.shape, v.dtype)).astype(x.dtype)  # x's values (inf, NaN) are never read


def trapz(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The trapezoid rule along ``dim`` (``torch.trapz``, i.e. ``trapezoid``)."""
    return _integrate.trapezoid(y, x, 1.0 if dx is None else dx, axis=dim)


def cumulative_trapezoid(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The running trapezoid-rule integral along ``dim``, one shorter than y
    (``torch.cumulative_trapezoid``)."""
    return _integrate.cumulative_trapezoid(y, x, 1.0 if dx is None else dx, axis=dim)


__all__ = [
    "lu_unpack", "geqrf", "ormqr", "chain_matmul", "frobenius_norm", "nuclear_norm", "triangular_solve",
    "svd_lowrank", "pca_lowrank", "igamma", "igammac", "poisson", "binomial", "rsub", "fill", "trapz",
    "cumulative_trapezoid",
]  # fmt: skip
