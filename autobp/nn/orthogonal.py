"""``torch.nn.utils.parametrizations.orthogonal``: a matrix (or batch of matrices) kept orthogonal
(unitary when complex) by computing it from an unconstrained tensor, as PyTorch does.

The maps: ``"matrix_exp"`` and ``"cayley"`` turn the lower triangle of the stored tensor into a
skew-symmetric A and take exp(A) or the Cayley transform (I - A/2)^-1 (I + A/2); ``"householder"``
takes the product of the Householder reflectors below the diagonal. With ``use_trivialization``
(the default) the result is multiplied by a buffer ``base`` holding the orthogonal matrix the weight
was set to, and the stored tensor is reset to -I, so the weight starts where it was.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._graph import no_grad
from ..tensor import Tensor
from .module import Module
from .parametrize import register_parametrization

_MAPS = ("matrix_exp", "cayley", "householder")


def _mT(x: Any) -> Any:
    return np.swapaxes(x, -1, -2)


def _is_orthogonal(q: np.ndarray) -> bool:
    """PyTorch's test: Q^H Q equals I within 10 n eps (absolute; numpy's allclose rtol 1e-5)."""
    n, k = q.shape[-2], q.shape[-1]
    eps = 10.0 * n * np.finfo(q.dtype).eps
    return bool(np.allclose(_mT(q.conj()) @ q, np.eye(k, dtype=q.dtype), rtol=1e-5, atol=eps))


def _make_orthogonal(a: np.ndarray) -> np.ndarray:
    """The Q of A = QR (A tall) with the diagonal of R made non-negative."""
    q, r = np.linalg.qr(a)
    d = np.diagonal(r, axis1=-2, axis2=-1)
    sgn = np.sign(d) if d.dtype.kind != "c" else np.where(d == 0, 0, d / np.where(d == 0, 1, np.abs(d)))
    return q * sgn[..., None, :]


class _Orthogonal(Module):
    """The parametrization ``orthogonal`` registers: the stored tensor to an orthogonal matrix."""

    def __init__(self, weight: Tensor, orthogonal_map: str, *, use_trivialization: bool = True) -> None:
        super().__init__()
        if weight.dtype.kind == "c" and orthogonal_map == "householder":
            raise ValueError("The householder parametrization does not support complex tensors.")
        self.shape = tuple(weight.shape)
        self.orthogonal_map = orthogonal_map
        self.use_trivialization = use_trivialization
        self._registering = False
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X: Tensor) -> Tensor:
        """The orthogonal matrix (batch) computed from the stored tensor ``X``."""
        from .. import linalg, ops

        n, k = X.shape[-2], X.shape[-1]
        transposed = n < k
        if transposed:
            X = X.mT
            n, k = k, n
        if self.orthogonal_map in ("matrix_exp", "cayley"):
            X = X.tril()
            if n != k:  # embed the tall matrix into a square one
                pad = Tensor._const(np.zeros(X.shape[:-2] + (n, n - k), dtype=X.dtype))
                X = ops.concatenate([X, pad], axis=-1)
            A = X - X.mH
            if self.orthogonal_map == "matrix_exp":
                Q = linalg.matrix_exp(A)
            else:
                eye = Tensor._const(np.eye(n, dtype=A.dtype))
                Q = linalg.solve(eye - A * 0.5, eye + A * 0.5)
            if n != k:
                Q = Q[..., :k]
        else:
            A = X.tril(-1)
            tau = 2.0 / (1.0 + (A * A).sum(axis=-2))
            Q = linalg.householder_product(A, tau)
            # the signs of the diagonal (+-1, truncated to integers), outside the graph as PyTorch's
            signs = np.trunc(np.diagonal(X._data, axis1=-2, axis2=-1)).astype(np.int32)
            Q = Q * Tensor._const(signs[..., None, :].astype(Q.dtype))
        if self.use_trivialization:
            Q = self.base @ Q
        if transposed:
            Q = Q.mT
        return Q

    def right_inverse(self, Q: Any) -> Tensor:
        """A stored tensor whose image is ``Q`` (made orthogonal by QR if it is not)."""
        with no_grad():
            return self._right_inverse(Q)

    def _right_inverse(self, Q: Any) -> Tensor:
        q = np.array(Q._data if isinstance(Q, Tensor) else Q)
        if q.shape != self.shape:
            raise ValueError(
                f"Expected a matrix or batch of matrices of shape {self.shape}. "
                f"Got a tensor of shape {q.shape}."
            )
        init_shape = q.shape
        n, k = q.shape[-2], q.shape[-1]
        transpose = n < k
        if transpose:
            q = _mT(q)
            n, k = k, n
        if not self.use_trivialization:
            if self.orthogonal_map in ("matrix_exp", "cayley"):
                if self._registering:  # PyTorch then keeps the original tensor as it is
                    return Tensor(np.array(Q._data if isinstance(Q, Tensor) else Q))
                raise NotImplementedError(
                    "It is not possible to assign to the matrix exponential "
                    "or the Cayley parametrizations when use_trivialization=False."
                )
            h, tau = np.linalg.qr(q, mode="raw")  # LAPACK's geqrf, transposed
            a = np.ascontiguousarray(_mT(h))
            d = np.diagonal(a, axis1=-2, axis2=-1)
            d = np.where(tau == 0.0, -np.sign(d), np.sign(d))  # where no reflection: the other sign
            idx = np.arange(d.shape[-1])
            a[..., idx, idx] = d
            return Tensor(_mT(a) if transpose else a, dtype=a.dtype)
        if n == k:
            q = q.copy() if _is_orthogonal(q) else _make_orthogonal(q)
        else:  # complete Q to a square orthogonal matrix with random columns
            from .. import random

            extra = random.randn(*(q.shape[:-2] + (n, n - k)))
            extra = np.asarray(extra._data if isinstance(extra, Tensor) else extra).astype(q.dtype)
            q = _make_orthogonal(np.concatenate([q, extra], axis=-1))
        self.base = Tensor(q, dtype=q.dtype)
        neg_id = np.zeros(init_shape, dtype=q.dtype)
        idx = np.arange(min(init_shape[-2:]))
        neg_id[..., idx, idx] = -1.0
        return Tensor(neg_id, dtype=neg_id.dtype)


def orthogonal(
    module: Module,
    name: str = "weight",
    orthogonal_map: str | None = None,
    *,
    use_trivialization: bool = True,
) -> Module:
    """Keep ``module.<name>`` (a matrix or a batch of matrices) orthogonal: orthonormal columns when
    it is tall, rows when wide. ``orthogonal_map``: ``"matrix_exp"``, ``"cayley"`` or
    ``"householder"`` (default: matrix_exp for a square or complex matrix, else householder). The
    weight starts at its current value made orthogonal (its QR factor) and can be assigned an
    orthogonal matrix. Returns ``module``, as PyTorch's.

    >>> from autobp import nn
    >>> layer = orthogonal(nn.Linear(3, 3, rng=0))
    >>> W = layer.weight.data
    >>> bool(np.allclose(W.T @ W, np.eye(3)))
    True
    """
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError(f"Expected a matrix or batch of matrices. Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        square = weight.shape[-2] == weight.shape[-1]
        orthogonal_map = "matrix_exp" if square or weight.dtype.kind == "c" else "householder"
    if orthogonal_map not in _MAPS:
        raise ValueError(
            f'orthogonal_map has to be one of "matrix_exp", "cayley", "householder". Got: {orthogonal_map}'
        )
    orth = _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization)
    orth._registering = True
    try:
        register_parametrization(module, name, orth, unsafe=True)
    finally:
        orth._registering = False
    return module
