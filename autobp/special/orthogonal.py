"""torch.special's classical orthogonal polynomials, the value of the degree-n polynomial at x:
Chebyshev T, U, V, W and their shifted forms, Hermite H and He, Laguerre L and Legendre P.

scipy.special's eval_* functions compute the values. PyTorch gives none of these a gradient; autobp
differentiates in x with the classical rules, each again a polynomial of the same families (so every
order works): T_n' = n U_{n-1}, C_n^(a)' = 2a C_{n-1}^(a+1) (Gegenbauer: U = C^(1), P = C^(1/2)),
H_n' = 2n H_{n-1}, He_n' = n He_{n-1}, L_n^(a)' = -L_{n-1}^(a+1). The degree n (an integer, or a
tensor of them broadcasting with x) is not differentiable; as in PyTorch it is truncated to an
integer and a negative degree gives 0."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sc

from ..ops._args import as_tensor
from ..ops._decl import op
from ..rules import rule
from ..tensor import Tensor
from ._common import FAMILY, NS, as_float, data_of, float_result

_RULE = "orthogonal_polynomial"


def _values(kind: str, n: np.ndarray, alpha: float, x: np.ndarray) -> np.ndarray:
    """The polynomial of ``kind`` and degree n at x; 0 where n < 0 (PyTorch's convention)."""
    m = np.maximum(n, 0)
    with np.errstate(all="ignore"):
        if kind == "t":
            v = sc.eval_chebyt(m, x)
        elif kind == "c":
            if alpha == 1.0:
                v = sc.eval_chebyu(m, x)
            elif alpha == 0.5:
                v = sc.eval_legendre(m, x)
            else:
                v = sc.eval_gegenbauer(m, alpha, x)
        elif kind == "h":
            v = sc.eval_hermite(m, x)
        elif kind == "he":
            v = sc.eval_hermitenorm(m, x)
        else:  # "l": generalized Laguerre
            v = sc.eval_laguerre(m, x) if alpha == 0.0 else sc.eval_genlaguerre(m, alpha, x)
    return np.where(n < 0, 0.0, v)


def _poly(kind: str, n: np.ndarray, x: Any, alpha: float = 0.0, like: Any = None) -> Any:
    """A recorded polynomial node on a Tensor x; plain numbers (in ``like``'s dtype) on an array."""
    if not isinstance(x, Tensor):
        return as_float(_values(kind, n, alpha, x), like)
    return Tensor._make(float_result(_values(kind, n, alpha, x._data), x), (x,), _RULE, (kind, n, alpha))


@rule(_RULE)
def _orthogonal_polynomial(F, g, out, xs, ctx, need):
    kind, n, alpha = ctx
    x = xs[0]
    if kind == "t":
        d = as_float(n, g) * _poly("c", n - 1, x, 1.0, g)
    elif kind == "c":
        d = 2.0 * alpha * _poly("c", n - 1, x, alpha + 1.0, g)
    elif kind == "h":
        d = as_float(2 * n, g) * _poly("h", n - 1, x, 0.0, g)
    elif kind == "he":
        d = as_float(n, g) * _poly("he", n - 1, x, 0.0, g)
    else:
        d = -_poly("l", n - 1, x, alpha + 1.0, g)
    return (g * d,)


def _degree(n: Any, name: str) -> np.ndarray:
    """The degree as an int64 array, truncated toward zero like PyTorch's cast."""
    arr = np.asarray(data_of(n))
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: the degree n must be a number or a real tensor, got dtype {arr.dtype}")
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: the degree n must be finite, got {arr}")
    return np.trunc(arr).astype(np.int64)


def _shape_checked(x: Any, n: np.ndarray, name: str) -> Tensor:
    x = as_tensor(x)
    if x.dtype.kind == "c":
        raise TypeError(f"{name}: real input expected, got dtype {x.dtype}")
    try:
        np.broadcast_shapes(x.shape, n.shape)
    except ValueError:
        raise ValueError(f"{name}: x of shape {x.shape} and n of shape {n.shape} do not broadcast") from None
    return x


def _family(kind: str, alpha: float, x: Any, n: Any, name: str, shifted: bool = False) -> Tensor:
    nn = _degree(n, name)
    x = _shape_checked(x, nn, name)
    if shifted:  # the shifted polynomials live on [0, 1]: P*(x) = P(2x - 1)
        x = 2.0 * x - 1.0
    return _poly(kind, nn, x, alpha)


def _third_fourth(x: Any, n: Any, sign: float, name: str, shifted: bool) -> Tensor:
    """V_n = U_n - U_{n-1} (third kind) and W_n = U_n + U_{n-1} (fourth kind)."""
    nn = _degree(n, name)
    x = _shape_checked(x, nn, name)
    if shifted:
        x = 2.0 * x - 1.0
    return _poly("c", nn, x, 1.0) + sign * _poly("c", nn - 1, x, 1.0)


def _declare(fn: Any) -> Any:
    return op(family=FAMILY, namespace=NS, numpy=None, method=False, rules=(_RULE,))(fn)


@_declare
def chebyshev_polynomial_t(x: Any, n: Any) -> Tensor:
    """T_n(x), the Chebyshev polynomial of the first kind; derivative n U_{n-1}(x) (none in torch)."""
    return _family("t", 0.0, x, n, "chebyshev_polynomial_t")


@_declare
def chebyshev_polynomial_u(x: Any, n: Any) -> Tensor:
    """U_n(x), the Chebyshev polynomial of the second kind; derivative 2 C_{n-1}^(2)(x) (none in torch)."""
    return _family("c", 1.0, x, n, "chebyshev_polynomial_u")


@_declare
def chebyshev_polynomial_v(x: Any, n: Any) -> Tensor:
    """V_n(x) = U_n(x) - U_{n-1}(x), the Chebyshev polynomial of the third kind (gradient: autobp's)."""
    return _third_fourth(x, n, -1.0, "chebyshev_polynomial_v", False)


@_declare
def chebyshev_polynomial_w(x: Any, n: Any) -> Tensor:
    """W_n(x) = U_n(x) + U_{n-1}(x), the Chebyshev polynomial of the fourth kind (gradient: autobp's)."""
    return _third_fourth(x, n, 1.0, "chebyshev_polynomial_w", False)


@_declare
def shifted_chebyshev_polynomial_t(x: Any, n: Any) -> Tensor:
    """T*_n(x) = T_n(2x - 1), the shifted Chebyshev polynomial of the first kind (gradient: autobp's)."""
    return _family("t", 0.0, x, n, "shifted_chebyshev_polynomial_t", shifted=True)


@_declare
def shifted_chebyshev_polynomial_u(x: Any, n: Any) -> Tensor:
    """U*_n(x) = U_n(2x - 1), the shifted Chebyshev polynomial of the second kind (gradient: autobp's)."""
    return _family("c", 1.0, x, n, "shifted_chebyshev_polynomial_u", shifted=True)


@_declare
def shifted_chebyshev_polynomial_v(x: Any, n: Any) -> Tensor:
    """V*_n(x) = V_n(2x - 1), the shifted Chebyshev polynomial of the third kind (gradient: autobp's)."""
    return _third_fourth(x, n, -1.0, "shifted_chebyshev_polynomial_v", True)


@_declare
def shifted_chebyshev_polynomial_w(x: Any, n: Any) -> Tensor:
    """W*_n(x) = W_n(2x - 1), the shifted Chebyshev polynomial of the fourth kind (gradient: autobp's)."""
    return _third_fourth(x, n, 1.0, "shifted_chebyshev_polynomial_w", True)


@_declare
def hermite_polynomial_h(x: Any, n: Any) -> Tensor:
    """H_n(x), the physicists' Hermite polynomial; derivative 2n H_{n-1}(x) (none in torch)."""
    return _family("h", 0.0, x, n, "hermite_polynomial_h")


@_declare
def hermite_polynomial_he(x: Any, n: Any) -> Tensor:
    """He_n(x), the probabilists' Hermite polynomial; derivative n He_{n-1}(x) (none in torch)."""
    return _family("he", 0.0, x, n, "hermite_polynomial_he")


@_declare
def laguerre_polynomial_l(x: Any, n: Any) -> Tensor:
    """L_n(x), the Laguerre polynomial; derivative -L_{n-1}^(1)(x) (none in torch)."""
    return _family("l", 0.0, x, n, "laguerre_polynomial_l")


@_declare
def legendre_polynomial_p(x: Any, n: Any) -> Tensor:
    """P_n(x), the Legendre polynomial; derivative C_{n-1}^(3/2)(x) (none in torch)."""
    return _family("c", 0.5, x, n, "legendre_polynomial_p")
