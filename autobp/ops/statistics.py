"""Statistics over axes: prod, var, std, average, cov, corrcoef; numpy's meanings and signatures, with
PyTorch's ``dim``/``keepdim``/``correction``/``unbiased``."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from .._autocast import autocasts
from .._broadcast import count, reduction_axes, reduction_ctx
from ..rules import holomorphic, rule
from ..tensor import Tensor
from . import reductions as _red
from ._args import as_tensor, axis_arg, keep_arg, pair
from ._decl import op
from .complex_parts import conj, imag, real, real_part
from .reduction_keywords import complex_dtype, into_out, moments, takes_out
from .reductions import expand_reduced
from .scans import _typed, flip, in_range, ones

_S = "statistics"


def _axes(x: Tensor, axis: Any, keepdims: Any, dim: Any, keepdim: Any, name: str) -> tuple:
    axis, keepdims = axis_arg(axis, dim, name), keep_arg(keepdims, keepdim)
    return reduction_axes(axis, x.ndim, name, x.shape), keepdims


# --- prod ------------------------------------------------------------------------------------
@op(family=_S)
@takes_out
@autocasts("fp32")  # PyTorch's CPU autocast runs it in float32
def prod(
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    keepdims: bool = False,
    initial: Any = None,
    where: Any = True,
    *,
    dim: Any = None,
    keepdim: Any = None,
) -> Tensor:
    """Product over ``axis`` (all axes by default); exact gradients with one or several zeros.
    numpy's ``initial=`` multiplies in, ``where=`` takes the selected elements only."""
    x = _typed(as_tensor(x), dtype, out, "prod")
    axes, keepdims = _axes(x, axis, keepdims, dim, keepdim, "prod")
    if initial is not None or where is not True:
        from .reduction_initial import sum_or_prod

        return sum_or_prod(x, axes, keepdims, initial, where, "prod", dtype)
    ctx = reduction_ctx(axes, keepdims, x.shape)
    kept = None if dtype is None else x.dtype  # dtype=int16 stays int16, as numpy's
    return Tensor._make(np.prod(x._data, axis=axes, keepdims=keepdims, dtype=kept), (x,), "prod", ctx)


@rule("prod")
@holomorphic
def _prod(F, g, out, xs, ctx, need):
    # d/dx_i prod_j x_j = prod_{j != i} x_j: out / x_i where nothing is 0 and no product under- or
    # overflowed (PyTorch's fast case); else, and when recording (the derivative of out / x_i cancels
    # badly for tiny x_i), the product of the running products before and after i: no division
    x = xs[0]
    g = expand_reduced(g, ctx)
    if x.size == 0:
        return (F.broadcast_to(g, x.shape),)
    if not isinstance(x, Tensor) and not (x == 0).any() and in_range(out).all():
        return (g * (expand_reduced(out, ctx) / x),)
    return (g * _others_product(F, x, ctx[0]),)


def _others_product(F, x: Any, axes: tuple) -> Any:
    """For each element, the product of the other elements of its slice over ``axes``."""
    keep = [i for i in range(x.ndim) if i not in axes]
    perm = keep + list(axes)
    lead = tuple(x.shape[i] for i in keep)
    y = F.transpose(x, perm).reshape(lead + (count(x.shape, axes),))
    last = y.ndim - 1
    one = ones(y, lead + (1,))
    before = F.cumprod(F.concatenate([one, y[..., :-1]], axis=last), axis=last)
    after = flip(F.cumprod(F.concatenate([one, flip(y, last)[..., :-1]], axis=last), axis=last), last)
    others = (before * after).reshape(tuple(x.shape[i] for i in perm))
    return F.transpose(others, [int(i) for i in np.argsort(perm)])


# --- var and std -----------------------------------------------------------------------------
def _correction(ddof: Any, correction: Any, unbiased: Any, name: str) -> Any:
    """numpy's ``ddof`` or ``correction`` (same meaning), or PyTorch's ``unbiased`` (1 or 0)."""
    given = [
        k
        for k, v in (("ddof", ddof or None), ("correction", correction), ("unbiased", unbiased))
        if v is not None
    ]
    if len(given) > 1:
        both = " and ".join(given)
        raise ValueError(
            f"{name}: {both} can't be provided simultaneously. (give one of ddof=, correction=, unbiased=)"
        )
    if correction is not None:
        return correction
    if unbiased is not None:
        return 1 if unbiased else 0
    return ddof


def _moments(x, axis, dtype, ddof, keepdims, correction, unbiased, dim, keepdim, name, where, mean):
    x = _typed(as_tensor(x), dtype, None, name)
    axes, keepdims = _axes(x, axis, keepdims, dim, keepdim, name)
    c = _correction(ddof, correction, unbiased, name)
    if where is not True or mean is not None:  # numpy's where= / mean=: a composition
        return moments(x, axes, keepdims, c, where, mean, name == "std", name), None, None
    data = x._data
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.var(data, axis=axes, ddof=c, keepdims=keepdims)
    return x, v, reduction_ctx(axes, keepdims, x.shape, (c, count(x.shape, axes)))


_TORCH_VAR = "torch.{0} defaults to correction=1 (unbiased); autobp's {0}, as numpy's, to ddof=0"


@op(family=_S, differs=_TORCH_VAR.format("var"))
def var(
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    ddof: float = 0,
    keepdims: bool = False,
    *,
    correction: Any = None,
    unbiased: Any = None,
    dim: Any = None,
    keepdim: Any = None,
    where: Any = True,
    mean: Any = None,
) -> Tensor:
    """Variance over ``axis``: mean squared deviation, divided by N - ddof (numpy's ddof=0 default).

    numpy's ``where=`` counts only the selected elements (the others get a zero gradient), ``mean=``
    takes a precomputed mean with kept dimensions (the gradient reaches it too), ``out=`` writes the
    result into that Tensor (or array) and returns it."""
    x, v, ctx = _moments(
        x, axis, dtype, ddof, keepdims, correction, unbiased, dim, keepdim, "var", where, mean
    )
    result = x if v is None else Tensor._make(v, (x,), "var", ctx)
    return into_out(complex_dtype(result, dtype), out, "var")


@op(family=_S, differs=_TORCH_VAR.format("std"))
def std(
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    ddof: float = 0,
    keepdims: bool = False,
    *,
    correction: Any = None,
    unbiased: Any = None,
    dim: Any = None,
    keepdim: Any = None,
    where: Any = True,
    mean: Any = None,
) -> Tensor:
    """Standard deviation, sqrt(var); its gradient where it is 0 is 0 (PyTorch's choice).

    ``where=``, ``mean=`` and ``out=`` as var's (numpy's keywords)."""
    x, v, ctx = _moments(
        x, axis, dtype, ddof, keepdims, correction, unbiased, dim, keepdim, "std", where, mean
    )
    result = x if v is None else Tensor._make(np.sqrt(v), (x,), "std", ctx)
    return into_out(complex_dtype(result, dtype), out, "std")


def _var_grad(F, g: Any, x: Any, ctx: tuple) -> Any:
    """d var / dx times g (g already of the input's rank): 2 (x - mean) / (N - ddof) g. For complex x,
    var = mean |x - mean|^2 is real, and so is the gradient it can meaningfully receive."""
    c, n = ctx[2]
    if x.size == 0:
        return F.broadcast_to(g, x.shape)
    denom = max(n - c, 0)
    scale = 2.0 / denom if denom else np.inf  # numpy's var is inf or nan there; so is its gradient
    return g * (x - F.mean(x, axis=ctx[0], keepdims=True)) * scale


# var and std are real for complex x too. A real result can be handed a complex g (its imaginary
# part left by the real-linear rules between it and a complex op, as in the second derivative of a
# complex var, whose first-order gradient g (x - mean) is complex): only Re(g) is a gradient of a real
# value, and multiplying the rest by the complex x - mean would mix it into the answer.
@rule("var")  # ctx = (axes, kept shape or None, (ddof, N))
def _var(F, g, out, xs, ctx, need):
    return (_var_grad(F, expand_reduced(real_part(F, g), ctx), xs[0], ctx),)


@rule("std")  # d std = d var / (2 std), taken as 0 where std is 0 (as PyTorch does)
def _std(F, g, out, xs, ctx, need):
    s = expand_reduced(out, ctx)
    flat = s == 0
    g = F.where(flat, 0.0, expand_reduced(real_part(F, g), ctx) / F.where(flat, 1.0, 2.0 * s))
    return (_var_grad(F, g, xs[0], ctx),)


# --- average -----------------------------------------------------------------------------------
@op(family=_S, rules=("mean", "mul", "sum", "div", "broadcast_to"))
def average(
    x: Any, axis: Any = None, weights: Any = None, returned: bool = False, *, keepdims: bool = False
) -> Any:
    """Weighted mean over ``axis`` (numpy's average); with ``returned``, the weights' sum too.

    Weights are of x's shape or of the shape of x along ``axis`` (numpy's rule), differentiable too.
    """
    x = as_tensor(x)
    if weights is None:
        avg = _red.mean(x, axis=axis, keepdims=keepdims)
        scale = Tensor._const(np.full(avg.shape, x.size / max(avg.size, 1), dtype=avg.dtype))
        return (avg, scale) if returned else avg
    x, w = pair(x, weights, "average")
    # numpy's result dtype, x and weights cast to it before multiplying (uint8 products wrapped)
    ints = x.dtype.kind in "biu"
    rd = np.result_type(x.dtype, w.dtype, np.float64) if ints else np.result_type(x.dtype, w.dtype)
    x, w = (t if t.dtype == rd else t.astype(rd) for t in (x, w))
    if w.shape != x.shape:  # weights along the given axes (numpy's rule): broadcast to x's shape
        if axis is None:
            raise TypeError(
                f"average: Axis must be specified when shapes of a and weights differ ({w.shape} and "
                f"{x.shape})."
            )
        axes = normalize_axis_tuple(axis, x.ndim)
        if w.shape != tuple(x.shape[a] for a in axes):
            raise ValueError(
                "average: Shape of weights must be consistent with shape of a along specified axis "
                f"(weights {w.shape}, a {x.shape}, axis={axis!r})."
            )
        w = w.transpose([int(i) for i in np.argsort(axes)])
        w = w.reshape(tuple(s if i in axes else 1 for i, s in enumerate(x.shape))).broadcast_to(x.shape)
    total = _red.sum(w, axis=axis, keepdims=keepdims)
    if np.any(total._data == 0):
        raise ZeroDivisionError("average: the weights sum to zero, so they cannot be normalised")
    avg = _red.sum(x * w, axis=axis, keepdims=keepdims) / total
    if returned:  # numpy sums the weights in the result's dtype (float64 for integers)
        total = total if total.dtype == avg.dtype else total.astype(avg.dtype)
        return avg, total if total.shape == avg.shape else total.broadcast_to(avg.shape)
    return avg


# --- cov and corrcoef (composites) ---------------------------------------------------------------
def _variables(m: Any, y: Any, rowvar: bool, name: str) -> Tensor:
    """numpy's cov layout: one variable per row (columns with ``rowvar=False``), ``y`` appended."""
    rows = []
    for i, t in enumerate((m, y)):
        if t is None:
            continue
        t = as_tensor(t)
        if t.ndim > 2:
            raise ValueError(f"{name}: inputs must be 1-d or 2-d, got shape {t.shape}")
        # numpy's: a 2-d m is transposed whenever rowvar is False (a (1, n) m is n variables of one
        # observation each); y only when it has more than one row
        flip = not rowvar and (t.ndim == 2 if i == 0 else t.ndim == 2 and t.shape[0] != 1)
        t = t.reshape((1, -1)) if t.ndim < 2 else t
        rows.append(t.T if flip else t)
    x = rows[0] if len(rows) == 1 else _joined(rows)
    return x if x.dtype == np.float64 else x.astype(np.result_type(x.dtype, np.float64))


def _joined(rows: list) -> Tensor:
    from .joining import concatenate  # the joining family, imported when needed

    return concatenate(rows, axis=0)


@op(
    family=_S,
    rules=(
        "astype",
        "transpose",
        "mean",
        "sub",
        "conj",
        "matmul",
        "mul",
        "reshape",
        "concatenate",
        "sum",
        "div",
    ),
)
def cov(
    m: Any,
    y: Any = None,
    rowvar: bool = True,
    bias: bool = False,
    ddof: Any = None,
    fweights: Any = None,
    aweights: Any = None,
    *,
    dtype: Any = None,
    correction: Any = None,
) -> Tensor:
    """Covariance matrix of the rows (numpy's cov; float64 like numpy's), divided by N - ddof.

    ``fweights`` (integer repeat counts) and ``aweights`` (observation weights, differentiable) weigh
    the observations as numpy's and torch.cov's: the weighted mean is removed and the sum divided by
    sum(w) - ddof sum(w aweights) / sum(w), w = fweights * aweights."""
    x = _variables(m, y, rowvar, "cov")
    if dtype is not None:
        x = x.astype(dtype)
    ddof = correction if correction is not None else ((0 if bias else 1) if ddof is None else ddof)
    if fweights is not None or aweights is not None:
        c = _weighted_cov(x, fweights, aweights, ddof)
        return c.reshape(()) if c.shape == (1, 1) else c
    fact = max(x.shape[1] - ddof, 0)
    centred = x - _red.mean(x, axis=1, keepdims=True)
    c = (centred @ conj(centred).T) * (1.0 / fact if fact else np.inf)  # numpy's conj: Hermitian
    return c.reshape(()) if c.shape == (1, 1) else c


def _weights(w: Any, n: int, name: str, integer: bool) -> Tensor:
    w = as_tensor(w)
    if w.ndim != 1:  # numpy's RuntimeError and words
        raise RuntimeError(f"cov: cannot handle multidimensional {name} (shape {w.shape})")
    if w.shape[0] != n:
        raise RuntimeError(f"cov: incompatible numbers of samples and {name} ({n} and {w.shape[0]})")
    if integer and (w.dtype.kind not in "iu" and not np.all(np.mod(w._data, 1) == 0)):
        raise TypeError(f"cov: fweights must hold integers, got {w._data.tolist()}")
    if np.any(w._data < 0):
        raise ValueError(f"cov: {name} cannot be negative, got {w._data.tolist()}")
    return w


def _weighted_cov(x: Tensor, fweights: Any, aweights: Any, ddof: Any) -> Tensor:
    """numpy's weighted covariance of the rows of x (variables x observations)."""
    n = x.shape[1]
    f = None if fweights is None else _weights(fweights, n, "fweights", True).astype(x.dtype)
    a = None if aweights is None else _weights(aweights, n, "aweights", False)
    w = f if a is None else (a if f is None else f * a)
    w_sum = w.sum()
    avg = (x * w).sum(axis=1, keepdims=True) / w_sum
    if ddof == 0:
        fact = w_sum
    elif a is None:
        fact = w_sum - ddof
    else:
        fact = w_sum - ddof * (w * a).sum() / w_sum
    if float(np.real(fact.data)) <= 0:  # numpy's: a warning and an infinite / NaN result
        fact = fact * 0.0
    centred = x - avg
    with np.errstate(divide="ignore", invalid="ignore"):
        return (centred @ conj(centred * w).T) * (1.0 / fact)  # numpy's order of operations


@op(family=_S, rules=("cov", "getitem", "real", "imag", "sqrt", "div", "clip"))
def corrcoef(x: Any, y: Any = None, rowvar: bool = True, *, dtype: Any = None) -> Tensor:
    """Correlation coefficients of the rows (numpy's corrcoef): cov / (std_i std_j), clipped to [-1, 1]."""
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    d = real(c[np.arange(c.shape[0]), np.arange(c.shape[0])]) ** 0.5  # variances: real
    r = (c / d[:, None]) / d[None, :]
    if r.dtype.kind == "c":  # numpy and PyTorch clip the real and imaginary parts separately
        return real(r).clip(-1.0, 1.0) + imag(r).clip(-1.0, 1.0) * 1j
    return r.clip(-1.0, 1.0)
