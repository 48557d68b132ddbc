"""numpy's legacy polynomial functions on coefficient arrays (highest power first): polyval, polyfit,
polyder, polyint, polyadd, polysub, polymul, polydiv, roots and poly, differentiable in every
coefficient, point and root. Each is written with autobp's ops the way numpy computes it, so values
and dtypes are numpy's and the gradients (of any order) come from those ops' rules."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..tensor import Tensor
from ._args import as_tensor
from ._decl import op
from .joining import concatenate, stack

_P = "polynomials"


def _numpy_dtype(fn: Any, *ts: Tensor) -> np.dtype:
    """The dtype numpy's own function gives for inputs of these shapes and dtypes (run on ones),
    except that float32 (complex64) inputs keep their precision where numpy widens them only
    because it multiplies by an int64 arange (polyder, polyint) or fits in float64 (polyfit)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        out = fn(*(np.ones(t.shape, t.dtype) for t in ts))
    dt = np.asarray(out[0] if isinstance(out, tuple) else out).dtype
    kinds = [t.dtype for t in ts if t.dtype.kind in "fc"]
    if dt.kind in "fc" and kinds and all(k.itemsize == (4 if k.kind == "f" else 8) for k in kinds):
        return np.dtype(np.complex64 if dt.kind == "c" else np.float32)
    return dt


def _as(t: Tensor, dt: np.dtype) -> Tensor:
    return t if t.dtype == dt else t.astype(dt)


def _seq(p: Any) -> Tensor:
    """numpy's atleast_1d."""
    p = as_tensor(p)
    return p.reshape((1,)) if p.ndim == 0 else p


def _zeros(n: int, dt: Any) -> Tensor:
    return Tensor._const(np.zeros((n,), dt))


@op(family=_P, rules=("mul", "add", "getitem", "astype"), method=False)
def polyval(p: Any, x: Any) -> Tensor:
    """Value of the polynomial with coefficients ``p`` (highest power first) at ``x`` (Horner's rule).

    Differentiable in p and x; a 2-d p of shape (deg + 1, K) evaluates K polynomials, as numpy's."""
    p, x = as_tensor(p), as_tensor(x)
    dt = _numpy_dtype(np.polyval, p, x)
    p, x = _as(p, dt), _as(x, dt)
    y = Tensor._const(np.zeros(x.shape, dt))
    for i in range(p.shape[0] if p.ndim else 0):
        y = y * x + p[i]
    return y


@op(family=_P, rules=("mul", "sub", "getitem", "astype"), method=False)
def polyder(p: Any, m: int = 1) -> Tensor:
    """Coefficients of the ``m``-th derivative of the polynomial ``p`` (numpy's polyder)."""
    m = int(m)
    if m < 0:
        raise ValueError(f"polyder: order of derivative must be positive (see polyint), got m={m}")
    p = as_tensor(p)
    dt = _numpy_dtype(lambda a: np.polyder(a, m), p)
    for _ in range(m):
        n = p.shape[0] - 1
        p = p[:-1] * Tensor._const(np.arange(n, 0, -1))
    return _as(p, dt)


@op(family=_P, rules=("div", "concatenate", "getitem", "astype"), method=False)
def polyint(p: Any, m: int = 1, k: Any = None) -> Tensor:
    """Coefficients of the ``m``-th antiderivative of ``p``, integration constants ``k`` (numpy's)."""
    m = int(m)
    if m < 0:
        raise ValueError(f"polyint: order of integral must be positive (see polyder), got m={m}")
    p = as_tensor(p)
    k = _zeros(m, p.dtype if p.dtype.kind in "fc" else float) if k is None else _seq(k)
    if k.shape[0] == 1 and m > 1:
        k = k[0] * Tensor._const(np.ones((m,), k.dtype))
    if k.shape[0] < m:
        raise ValueError(
            f"polyint: k must be a scalar or a rank-1 array of length 1 or >= m={m}, got {k.shape}"
        )
    p = as_tensor(p)
    if m == 0:
        return p
    dt = _numpy_dtype(lambda a, c: np.polyint(a, m, c), p, k)
    for i in range(m):
        p = concatenate([p / Tensor._const(np.arange(p.shape[0], 0, -1)), k[i : i + 1]])
    return _as(p, dt)


def _padded(a1: Tensor, a2: Tensor) -> tuple:
    """The two coefficient arrays, the shorter one with leading zeros (numpy's polyadd)."""
    diff = a2.shape[0] - a1.shape[0]
    if diff > 0:
        a1 = concatenate([_zeros(diff, a1.dtype), a1])
    elif diff < 0:
        a2 = concatenate([_zeros(-diff, a2.dtype), a2])
    return a1, a2


@op(family=_P, rules=("add", "concatenate", "astype"), method=False)
def polyadd(a1: Any, a2: Any) -> Tensor:
    """Coefficients of the sum of two polynomials (the shorter one padded at the high powers)."""
    a1, a2 = _seq(a1), _seq(a2)
    dt = _numpy_dtype(np.polyadd, a1, a2)
    a1, a2 = _padded(a1, a2)
    return _as(a1 + a2, dt)


@op(family=_P, rules=("sub", "concatenate", "astype"), method=False)
def polysub(a1: Any, a2: Any) -> Tensor:
    """Coefficients of the difference a1 - a2 of two polynomials."""
    a1, a2 = _seq(a1), _seq(a2)
    dt = _numpy_dtype(np.polysub, a1, a2)
    a1, a2 = _padded(a1, a2)
    return _as(a1 - a2, dt)


def _poly1d(p: Tensor, name: str) -> Tensor:
    """numpy's poly1d(p) coefficients: 1-d, leading zeros dropped ([0] if nothing is left)."""
    if p.ndim != 1:
        raise ValueError(f"{name}: a polynomial must be 1-d, got shape {p.shape}")
    nz = np.flatnonzero(p._data)
    if p.shape[0] == 0:  # numpy's poly1d([]) is the zero polynomial [0]
        return _zeros(1, p.dtype)
    return p[int(nz[0]) :] if len(nz) else p[-1:] * 0


@op(family=_P, rules=("convolve_full", "getitem", "astype"), method=False)
def polymul(a1: Any, a2: Any) -> Tensor:
    """Coefficients of the product of two polynomials (the convolution of their coefficients).

    As numpy (which makes poly1d's of both), leading zeros are dropped first."""
    from .numpy_aliases import convolve

    a1, a2 = _seq(a1), _seq(a2)
    dt = _numpy_dtype(np.polymul, a1, a2)
    a1, a2 = _poly1d(_as(a1, dt), "polymul"), _poly1d(_as(a2, dt), "polymul")
    return _as(convolve(a1, a2), dt)


@op(family=_P, rules=("mul", "div", "sub", "getitem", "concatenate", "stack"), method=False)
def polydiv(u: Any, v: Any) -> tuple:
    """Quotient and remainder (q, r) of the polynomial division u / v (numpy's long division).

    As numpy, leading remainder coefficients close to 0 (numpy's allclose(r[0], 0, rtol=1e-14),
    whose default atol is 1e-8) are dropped; their value is a rounding error, so they carry no
    gradient. Differentiable in u and v (v[0] != 0)."""
    u, v = _seq(u), _seq(v)
    if u.ndim != 1 or v.ndim != 1:
        raise ValueError(
            f"polydiv: u and v must be 1-d coefficient arrays, got shapes {u.shape} and {v.shape}"
        )
    dt = _numpy_dtype(np.polydiv, u, v)
    u, v = _as(u, dt), _as(v, dt)
    m, n = u.shape[0] - 1, v.shape[0] - 1
    scale = 1.0 / v[0]
    r, qs = u, []
    for k in range(m - n + 1):
        d = scale * r[k]
        qs.append(d)
        # r[k:k+n+1] -= d * v, written without writing into r
        r = r - concatenate([_zeros(k, dt), d * v, _zeros(m - n - k, dt)])
    q = stack(qs) if qs else _zeros(1, dt)
    while np.allclose(r._data[0], 0, rtol=1e-14) and r.shape[0] > 1:
        r = r[1:]
    return q, r


def _trimmed(p: Tensor) -> tuple:
    """p without its leading zeros, and how many trailing zeros (roots at 0) it had."""
    nz = np.nonzero(np.ravel(p._data))[0]
    if len(nz) == 0:
        return p[:0], 0
    return p[int(nz[0]) : int(nz[-1]) + 1], p.shape[0] - int(nz[-1]) - 1


@op(family=_P, rules=("div", "neg", "getitem", "concatenate", "eig_w", "real"), method=False)
def roots(p: Any) -> Tensor:
    """Roots of the polynomial with coefficients ``p``: the eigenvalues of its companion matrix.

    As numpy: complex, or real when every eigenvalue's imaginary part is exactly 0; leading zeros
    are dropped and trailing zeros give roots at 0. Differentiable where the roots are simple (the
    gradient of autobp.linalg.eigvals; it is infinite at a repeated root)."""
    from ..linalg.eigen import eigvals
    from .complex_parts import real

    p = _seq(p)
    if p.ndim != 1:
        raise ValueError(f"roots: input must be a rank-1 array, got shape {p.shape}")
    if p.dtype.kind not in "fc":
        p = p.astype(np.float64)
    p, zeros_at_0 = _trimmed(p)
    n = p.shape[0]
    if n > 1:
        first = -p[1:] / p[0]
        below = Tensor._const(np.eye(n - 2, n - 1, dtype=p.dtype))  # the companion's subdiagonal of ones
        w = eigvals(concatenate([first.reshape((1, n - 1)), below]))
        if p.dtype.kind == "f" and np.all(w._data.imag == 0):
            w = real(w)  # numpy's eigvals of a real matrix with real eigenvalues is real
    else:
        w = _zeros(0, np.float64 if p.dtype.kind == "f" else p.dtype)
    if zeros_at_0:
        w = concatenate([w, _zeros(zeros_at_0, w.dtype)])
    return w


@op(family=_P, rules=("mul", "sub", "concatenate", "eig_w", "real"), method=False)
def poly(seq_of_zeros: Any) -> Any:
    """Coefficients (leading 1) of the monic polynomial whose roots are ``seq_of_zeros``; of a
    square matrix, its characteristic polynomial (roots = its eigenvalues). numpy's: complex roots
    that come in conjugate pairs give real coefficients; no roots give the number 1.0."""
    from ..linalg.eigen import eigvals
    from .complex_parts import real

    seq = _seq(seq_of_zeros)
    if seq.ndim == 2 and seq.shape[0] == seq.shape[1] and seq.shape[0] != 0:
        seq = eigvals(seq)
    elif seq.ndim == 1:
        code = np.mintypecode(seq.dtype.char)
        seq = _as(seq, np.dtype(code))
    else:
        raise ValueError(f"poly: input must be 1d or non-empty square 2d array, got shape {seq.shape}")
    if seq.shape[0] == 0:
        return 1.0
    dt = seq.dtype
    a = Tensor._const(np.ones((1,), dt))
    for i in range(seq.shape[0]):  # a * (s - zero): the coefficients shift up one power
        a = concatenate([a, _zeros(1, dt)]) - seq[i] * concatenate([_zeros(1, dt), a])
    if dt.kind == "c":
        r = seq._data.astype(complex)
        if np.all(np.sort(r) == np.sort(r.conjugate())):
            a = real(a)
    return a


def _weighted_system(x: Tensor, y: Tensor, deg: int, w: Any) -> tuple:
    """numpy's polyfit system: the Vandermonde matrix of x (highest power first) and y, both rows
    times the weights w."""
    cols = [Tensor._const(np.ones(x.shape, x.dtype))]
    for _ in range(deg):
        cols.append(cols[-1] * x)
    lhs, rhs = stack(cols[::-1], axis=1), y
    if w is not None:
        w = as_tensor(w) + 0.0
        if w.ndim != 1:
            raise TypeError(f"polyfit: expected a 1-d array for weights, got shape {w.shape}")
        if w.shape[0] != y.shape[0]:
            raise TypeError(
                f"polyfit: expected w and y to have the same length, got {w.shape[0]} and {y.shape[0]}"
            )
        lhs = lhs * w[:, None]
        rhs = rhs * (w if y.ndim == 1 else w[:, None])
    return lhs, rhs


@op(family=_P, rules=("pinv", "matmul", "mul", "div", "sqrt", "sum", "stack"), method=False)
def polyfit(
    x: Any, y: Any, deg: int, rcond: Any = None, full: bool = False, w: Any = None, cov: Any = False
) -> Any:
    """Least-squares polynomial fit of degree ``deg`` to the points (x, y): its coefficients.

    numpy's method (columns of the Vandermonde matrix scaled to unit norm, then
    autobp.linalg.lstsq), so differentiable in x, y and the weights ``w`` wherever the rank is
    constant. ``full=True`` returns (coefficients, residuals, rank, singular values, rcond);
    ``cov=True`` (or "unscaled") returns (coefficients, covariance), as numpy's. A 2-d y fits
    each column. Poor conditioning warns with numpy's RankWarning."""
    from ..linalg.solve import inv, lstsq
    from .einsum import outer

    deg = int(deg)
    x, y = as_tensor(x), as_tensor(y)
    if deg < 0:
        raise ValueError(f"polyfit: expected deg >= 0, got {deg}")
    if x.ndim != 1:
        raise TypeError(f"polyfit: expected a 1-d vector for x, got shape {x.shape}")
    if x.shape[0] == 0:
        raise TypeError("polyfit: expected a non-empty vector for x")
    if y.ndim < 1 or y.ndim > 2:
        raise TypeError(f"polyfit: expected a 1-d or 2-d array for y, got shape {y.shape}")
    if x.shape[0] != y.shape[0]:
        raise TypeError(
            f"polyfit: expected x and y to have the same length, got {x.shape[0]} and {y.shape[0]}"
        )
    dt = _numpy_dtype(lambda a, b: np.polyfit(a, b, 0), x, y)
    x, y = _as(x, dt), _as(y, dt)
    order = deg + 1
    if rcond is None:
        rcond = x.shape[0] * np.finfo(dt).eps
    lhs, rhs = _weighted_system(x, y, deg, w)
    scale = (lhs * lhs).sum(axis=0) ** 0.5
    lhs = lhs / scale
    c, resids, rank, s = lstsq(lhs, rhs, rcond)
    c = c / (scale if c.ndim == 1 else scale[:, None])
    if rank != order and not full:
        warnings.warn("Polyfit may be poorly conditioned", np.exceptions.RankWarning, stacklevel=2)
    if full:
        return c, resids, rank, s, rcond
    if not cov:
        return c
    base = inv(lhs.T @ lhs) / outer(scale, scale)
    if cov == "unscaled":
        fac = 1.0
    else:
        if x.shape[0] <= order:
            raise ValueError(
                f"polyfit: the number of data points ({x.shape[0]}) must exceed order ({order}) "
                "to scale the covariance matrix"
            )
        fac = resids / (x.shape[0] - order)
    return c, (base * fac if y.ndim == 1 else base[:, :, None] * fac)
