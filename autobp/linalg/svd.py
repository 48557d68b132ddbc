"""The singular value decomposition: svd (numpy's full_matrices/compute_uv) and svdvals, batched,
real or complex, with PyTorch's gradient formulas. U, S and Vh are separate nodes; each rule is the
part of PyTorch's joint formula that is linear in its own result's gradient."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import return_types as _rt
from .._autocast import autocasts
from .._torch_out import takes_out
from ..ops._args import as_tensor
from ..ops._decl import op
from ..ops.complex_parts import real_part
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, LinalgArgumentError, check_matrix, data_of, diag_embed, diagonal, mH

SVDResult = _rt.linalg_svd  # numpy's name for it (numpy.linalg.svd's fields)


def _check_driver(driver: Any, name: str) -> None:
    """PyTorch's ``driver=`` (a cuSOLVER choice): None is the only value on the CPU."""
    if driver is not None:
        raise LinalgArgumentError(
            f"linalg.{name}: keyword argument `driver=` is only supported on CUDA inputs with cuSOLVER "
            f"backend (got driver={driver!r})"
        )


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.svd,), method=False, rules=("svd_u", "svd_s", "svd_vh"))
@takes_out("linalg.svd")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def svd(
    a: Any,
    full_matrices: bool = True,
    compute_uv: bool = True,
    hermitian: bool = False,
    *,
    driver: Any = None,
) -> Any:
    """U, S, Vh with a = U diag(S) Vh, as numpy's svd (``full_matrices=True`` by default).

    Gradients are PyTorch's formulas for the reduced factors; with ``full_matrices=True`` and a
    non-square input the extra columns of U (rows of Vh) are not functions of ``a``, so a nonzero
    gradient reaching them raises (PyTorch silently drops it). Repeated singular values make the
    U/Vh gradient inf/nan (E_ij = S_j^2 - S_i^2 = 0) as in PyTorch; S's own gradient stays finite.
    Complex singular vectors are determined up to a common phase e^(i phi) of u_k and v_k: use a
    loss that does not depend on it (PyTorch checks this; autobp, whose U and Vh are separate
    nodes, cannot see both gradients at once and does not).
    """
    a = as_tensor(a)
    check_matrix(a, "svd", square=False)
    _check_driver(driver, "svd")
    if not compute_uv:
        return svdvals(a)
    u, s, vh = np.linalg.svd(a._data, full_matrices=full_matrices, hermitian=hermitian)
    k = s.shape[-1]
    uk, vhk = u[..., :, :k], vh[..., :k, :]  # the reduced factors every rule works with
    return SVDResult._make(
        (
            Tensor._make(u, (a,), "svd_u", (s, vhk, k)),
            Tensor._make(s, (a,), "svd_s", (uk, vhk)),
            Tensor._make(vh, (a,), "svd_vh", (uk, s, k)),
        )
    )


def _narrow(g: Any, k: int, axis: int, what: str) -> Any:
    """The gradient of the first ``k`` columns (axis -1) or rows (axis -2); the rest must be 0."""
    if g.shape[axis] == k:
        return g
    extra = data_of(g)[..., :, k:] if axis == -1 else data_of(g)[..., k:, :]
    if np.any(extra != 0):
        raise LinalgArgumentError(
            f"svd: the gradient reaches the extra {what} of a full_matrices=True factorisation of a "
            "non-square matrix, which are not determined by the input: use full_matrices=False"
        )
    return g[..., :, :k] if axis == -1 else g[..., :k, :]


def _inv_gaps(F, s):
    """1 / E with E_jk = S_k^2 - S_j^2 off the diagonal, 1 on it (where the numerators are 0 for a
    real loss of the factors, and for a complex one that ignores the phases)."""
    s2 = s * s
    e = s2[..., None, :] - s2[..., :, None]
    eye = np.eye(data_of(s).shape[-1], dtype=bool)
    return F.where(eye, 1.0, e)


def _svd_grad_u(F, u, s, vh, gu):
    """gA from gU (PyTorch's svd_backward with gS = gV = 0); u, vh the reduced factors."""
    m, n = u.shape[-2], vh.shape[-1]
    uhgu = mH(u) @ gu
    skew = uhgu - mH(uhgu)
    inner = skew * s[..., None, :] / _inv_gaps(F, s)
    if data_of(skew).dtype.kind == "c":  # the imaginary diagonal: i Im(U^H gU)_kk / S_k
        inner = inner + diag_embed(diagonal(skew) / (2.0 * s))
    if m > n:  # (I - U U^H) gU S^-1 lies outside the span of U
        gus = gu / s[..., None, :]
        return (u @ inner + gus - u @ (mH(u) @ gus)) @ vh
    return u @ inner @ vh


def _svd_grad_vh(F, u, s, vh, gvh):
    """gA from gVh (gV = gVh^H), PyTorch's svd_backward with gS = gU = 0."""
    m, n = u.shape[-2], vh.shape[-1]
    vhgv = vh @ mH(gvh)  # V^H gV
    inner = s[..., :, None] * (vhgv - mH(vhgv)) / _inv_gaps(F, s)
    if m < n:  # S^-1 gV^H (I - V V^H) lies outside the span of V^H
        sgvh = gvh / s[..., :, None]
        return u @ (inner @ vh + sgvh - (sgvh @ mH(vh)) @ vh)
    return u @ inner @ vh


def _svd_factors(xs):
    return svd(xs[0], full_matrices=False)


@rule("svd_u")  # ctx = (S, reduced Vh, k)
def _svd_u(F, g, out, xs, ctx, need):
    s, vh, k = ctx
    s = F.saved(s, lambda: _svd_factors(xs)[1])
    vh = F.saved(vh, lambda: _svd_factors(xs)[2])
    return (_svd_grad_u(F, out[..., :, :k], s, vh, _narrow(g, k, -1, "columns of U")),)


@rule("svd_s")  # ctx = (reduced U, reduced Vh): gA = U diag(gS) Vh
def _svd_s(F, g, out, xs, ctx, need):
    u = F.saved(ctx[0], lambda: _svd_factors(xs)[0])
    vh = F.saved(ctx[1], lambda: _svd_factors(xs)[2])
    return ((u * real_part(F, g)[..., None, :]) @ vh,)


@rule("svd_vh")  # ctx = (reduced U, S, k)
def _svd_vh(F, g, out, xs, ctx, need):
    u, s, k = ctx
    u = F.saved(u, lambda: _svd_factors(xs)[0])
    s = F.saved(s, lambda: _svd_factors(xs)[1])
    return (_svd_grad_vh(F, u, s, out[..., :k, :], _narrow(g, k, -2, "rows of Vh")),)


@op(family=FAMILY, namespace=NS, numpy=(np.linalg.svdvals,), method=False, rules=("svd_s",))
@takes_out("linalg.svdvals")
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def svdvals(a: Any, *, driver: Any = None) -> Tensor:
    """Singular values (descending) of each matrix; gradient U diag(gS) Vh, finite everywhere."""
    a = as_tensor(a)
    _check_driver(driver, "svdvals")
    check_matrix(a, "svdvals", square=False)
    u, s, vh = np.linalg.svd(a._data, full_matrices=False)
    return Tensor._make(s, (a,), "svd_s", (u, vh))
