"""PyTorch's top-level special and matrix functions under its own names and signatures (``lgamma``,
``polygamma(n, x)``, ``sgn``, ``det``, ``logdet``, ``cholesky(upper=)``, ``qr(some=)``, ``svd`` returning V,
...), each a short composition of ``autobp.special`` and ``autobp.linalg``, so they differentiate by
those ops' rules."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import linalg as _la
from . import return_types as _rt
from . import special as _sp
from ._autocast import autocasts
from ._cholesky_solve import cholesky_solve
from ._torch_out import takes_out
from .linalg._common import check_matrix
from .linalg.lu import raise_info
from .ops import abs as _abs
from .ops import log, swapaxes, where
from .ops._args import as_tensor
from .tensor import Tensor


@takes_out("sgn", "exact")
def sgn(input: Any) -> Tensor:
    """sign(x) for real x, z / |z| (0 at 0) for complex z, with PyTorch's gradient (``torch.sgn``)."""
    z = as_tensor(input)
    if z.dtype.kind != "c":
        return z.sign()
    r = _abs(z)
    zero = r == 0
    return where(zero, 0j, z / where(zero, 1.0, r))


def lgamma(input: Any) -> Tensor:
    """log |Gamma(x)| (``torch.lgamma``, scipy's ``gammaln``), with torch's values where scipy's differ:
    -log|x| at a subnormal float64 x (scipy: inf) and inf at x = -inf (scipy: -inf)."""
    x = as_tensor(input)
    if x.dtype.kind != "f":
        return _sp.gammaln(x)
    d = x._data
    tiny = (d != 0) & (np.abs(d) < np.finfo(d.dtype).tiny)  # log Gamma(x) = -log|x| - gamma x + ...
    if not tiny.any():
        out = _sp.gammaln(x)
    else:  # each branch at a safe input, so the other's gradient is 0, not 0 * inf
        out = where(tiny, -log(_abs(where(tiny, x, 1.0))), _sp.gammaln(where(tiny, 1.0, x)))
    if (d == -np.inf).any():
        out = where(d == -np.inf, np.inf, out)
    return out


def digamma(input: Any) -> Tensor:
    """d/dx log Gamma(x) (``torch.digamma``)."""
    return _sp.digamma(input)


def polygamma(n: int, input: Any) -> Tensor:
    """The n-th derivative of digamma (``torch.polygamma``: n first)."""
    return _sp.polygamma(n, input)


def mvlgamma(input: Any, p: int) -> Tensor:
    """The log multivariate gamma function of dimension p (``torch.mvlgamma``): p(p-1)/4 log(pi) +
    sum_{j<p} lgamma(x - j/2), computed everywhere as PyTorch's (inf at poles, log|Gamma| between);
    ``autobp.special.multigammaln`` keeps scipy's refusal of x <= (p-1)/2."""
    if isinstance(p, bool) or not isinstance(p, (int, np.integer)):
        raise TypeError(f"mvlgamma(): argument 'p' (position 2) must be int, not {type(p).__name__}")
    if p < 1:
        from ._broadcast import ShapeError  # ValueError and PyTorch's RuntimeError

        raise ShapeError(f"mvlgamma: p has to be greater than or equal to 1, got {p}")
    x = as_tensor(input)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    out = _sp.gammaln(x)
    for j in range(1, p):
        out = out + _sp.gammaln(x - j / 2)
    return out + p * (p - 1) / 4 * np.log(np.pi)


def det(input: Any) -> Tensor:
    """Determinants of the last two axes (``torch.det``)."""
    return _la.det(input)


def logdet(input: Any) -> Tensor:
    """log det: NaN for a negative determinant, -inf for zero (``torch.logdet``); the complex log of the
    determinant for complex matrices (its principal value, as torch's)."""
    sign, logabs = _la.slogdet(input)
    if sign.dtype.kind == "c":
        return log(sign) + logabs
    return where(sign < 0, np.nan, logabs)


@takes_out("slogdet", "exact", ("sign", "logabsdet"))
def slogdet(input: Any) -> tuple:
    """(sign, log |det|) as a ``return_types.slogdet`` (``torch.slogdet``; ``linalg.slogdet`` gives a
    ``linalg_slogdet``)."""
    return _rt.slogdet._make(_la.slogdet(input))


@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def pinverse(input: Any, rcond: float = 1e-15) -> Tensor:
    """The pseudo-inverse (``torch.pinverse``)."""
    return _la.pinv(input, rcond=rcond)


def matrix_power(input: Any, n: int) -> Tensor:
    """The n-th power of square matrices (``torch.matrix_power``)."""
    return _la.matrix_power(input, n)


def matrix_exp(input: Any) -> Tensor:
    """The matrix exponential (``torch.matrix_exp``)."""
    return _la.matrix_exp(input)


@takes_out("cholesky")
def cholesky(input: Any, upper: bool = False) -> Tensor:
    """The Cholesky factor L (L L^H = A), or its conjugate transpose with ``upper`` (``torch.cholesky``)."""
    L = _la.cholesky(input)
    return L.swapaxes(-1, -2).conj() if upper else L


@takes_out("cholesky_inverse", "safe")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def cholesky_inverse(L: Any, upper: bool = False) -> Tensor:
    """A's inverse from its Cholesky factor (``torch.cholesky_inverse``); a zero on the factor's
    diagonal (a singular A) raises LinAlgError naming it, in PyTorch's words."""
    L = as_tensor(L)
    check_matrix(L, "cholesky_inverse")
    zero = np.diagonal(L._data, axis1=-2, axis2=-1) == 0
    info = np.where(zero.any(axis=-1), zero.argmax(axis=-1) + 1, 0) if L.shape[-1] else np.zeros(L.shape[:-2])
    raise_info(
        info,
        "cholesky_inverse",
        "The diagonal element {1} is zero, the inversion could not be completed because the input matrix is "
        "singular.",
    )
    eye = np.broadcast_to(np.eye(L.shape[-1], dtype=L.dtype), L.shape)
    return cholesky_solve(Tensor._const(np.array(eye)), L, upper)


@takes_out("qr")
def qr(input: Any, some: bool = True) -> tuple:
    """(Q, R), reduced unless ``some=False`` (``torch.qr``): a ``return_types.qr`` named tuple."""
    return _rt.qr._make(_la.qr(input, mode="reduced" if some else "complete"))


@takes_out("svd", "exact", ("U", "S", "V"))
def svd(input: Any, some: bool = True, compute_uv: bool = True) -> tuple:
    """(U, S, V) with A = U diag(S) V^H: V itself, not V^H as ``linalg.svd`` gives (``torch.svd``); with
    ``compute_uv=False`` U and V are zeros, as PyTorch returns them. A ``return_types.svd`` (U, S, V)."""
    a = as_tensor(input)
    if not compute_uv:
        s = _la.svdvals(a)
        m, n = a.shape[-2], a.shape[-1]
        ku, kv = (min(m, n), min(m, n)) if some else (m, n)
        zu = Tensor._const(np.zeros(a.shape[:-2] + (m, ku), a.dtype))
        return _rt.svd._make((zu, s, Tensor._const(np.zeros(a.shape[:-2] + (n, kv), a.dtype))))
    U, S, Vh = _la.svd(a, full_matrices=not some)
    return _rt.svd._make((U, S, swapaxes(Vh, -1, -2).conj()))


__all__ = [
    "sgn",
    "lgamma",
    "digamma",
    "polygamma",
    "mvlgamma",
    "det",
    "logdet",
    "slogdet",
    "pinverse",
    "matrix_power",
    "matrix_exp",
    "cholesky",
    "cholesky_solve",
    "cholesky_inverse",
    "qr",
    "svd",
]
