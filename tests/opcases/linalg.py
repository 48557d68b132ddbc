"""Op-table cases for autobp.linalg: batched matrices (0 to 2 leading axes, sides up to 4) kept
away from the points where a derivative does not exist (singular, repeated eigen/singular values);
those points are checked against PyTorch in tests/test_linalg_degenerate.py."""

import numpy as np
from hypothesis import strategies as st

import autobp.linalg as la

from ..optable import case, torch

_np_la = np.linalg


def sym(a):
    """The symmetric part, written so autobp and torch tensors both take it."""
    return (a + a.swapaxes(-1, -2)) * 0.5


def _batch(draw, max_dims=2):
    return tuple(draw(st.lists(st.integers(1, 3), max_size=max_dims)))


def _rng(draw):
    """Values from a seeded generator: hypothesis's favourite values (0, repeats) make singular
    matrices, which these cases must avoid; the seed still shrinks and replays."""
    return np.random.default_rng(draw(st.integers(0, 2**32 - 1)))


def _values(draw, shape, lo=-1.0, hi=1.0):
    return _rng(draw).uniform(lo, hi, shape)


def _orthonormal(rng, batch, n, k):
    q, r = np.linalg.qr(rng.standard_normal(batch + (n, k)))
    return q


def _spaced(rng, batch, k, lo, step):
    """k values per batch element, ``lo`` and up, at least ``step`` apart, in random order."""
    v = lo + step * np.arange(k) + rng.uniform(0, step / 2, batch + (k,))
    return rng.permuted(v, axis=-1)


@st.composite
def square(draw, shift=0.0, min_n=1, symmetric=False, gap=0.0, max_batch=2):
    """(..., n, n) matrices; ``shift`` * I added (well conditioned); ``gap``: the eigenvalues of the
    symmetric part at least that far apart (a symmetric matrix Q diag(w) Q^T)."""
    n = draw(st.integers(min_n, 4))
    batch = _batch(draw, max_batch)
    rng = _rng(draw)
    if gap:
        q = _orthonormal(rng, batch, n, n)
        w = _spaced(rng, batch, n, -1.0, 2 * gap)
        return (q * w[..., None, :]) @ q.swapaxes(-1, -2)
    a = rng.uniform(-1.0, 1.0, batch + (n, n)) + shift * np.eye(n)
    return sym(a) if symmetric else a


@st.composite
def rect(draw, min_gap=0.0, min_sv=0.0, wide=None, max_batch=2, is_square=False):
    """(..., m, n) matrices U diag(s) V^T whose singular values are at least ``min_sv`` and
    ``min_gap`` apart."""
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    if wide is not None:
        m, n = (min(m, n), max(m, n)) if wide else (max(m, n), min(m, n))
    if is_square:
        n = m
    batch = _batch(draw, max_batch)
    rng = _rng(draw)
    k = min(m, n)
    s = _spaced(rng, batch, k, max(min_sv, 0.1), max(min_gap, 0.1))
    u, v = _orthonormal(rng, batch, m, k), _orthonormal(rng, batch, n, k)
    return (u * s[..., None, :]) @ v.swapaxes(-1, -2)


def one(strategy):
    return strategy.map(lambda a: (a,))


# --- linear systems ----------------------------------------------------------------------------
case("inv", la.inv, one(square(shift=3.0)), torch_fn=lambda a: torch.linalg.inv(a), numpy_fn=_np_la.inv)


@st.composite
def system(draw, vector, max_batch=2):
    a = draw(square(shift=3.0, max_batch=max_batch))
    n = a.shape[-1]
    if vector:
        return a, _values(draw, (n,))
    batch = a.shape[:-2][draw(st.integers(0, a.ndim - 2)) :]  # a suffix of a's batch: broadcasting
    return a, _values(draw, batch + (n, draw(st.integers(1, 3))))


case(
    "solve",
    la.solve,
    system(False),
    # b expanded to a's batch: torch reads a b of a.ndim - 1 axes as vectors, numpy 2 as matrices
    torch_fn=lambda a, b: torch.linalg.solve(a, b.expand(a.shape[:-2] + b.shape[-2:])),
    numpy_fn=_np_la.solve,
)
case(
    "solve",
    la.solve,
    system(True),
    torch_fn=lambda a, b: torch.linalg.solve(a, b.expand(a.shape[:-1]).unsqueeze(-1)).squeeze(-1),
    numpy_fn=_np_la.solve,
    id="solve-vector-b",
)


def _tri_case(trans, lower, unit, vector):
    def fn(a, b):
        return la.solve_triangular(
            a, b[..., 0] if vector else b, trans=trans, lower=lower, unit_diagonal=unit
        )

    def tfn(a, b):
        op_a = a.mT if trans else a
        upper = lower if trans else not lower
        x = torch.linalg.solve_triangular(op_a, b, upper=upper, unitriangular=unit)
        return x[..., 0] if vector else x

    def nfn(a, b):
        import scipy.linalg

        return scipy.linalg.solve_triangular(a, b[..., 0] if vector else b, trans, lower, unit)

    inputs = system(False, max_batch=0) if vector else system(False)
    if vector:
        inputs = inputs.map(lambda ab: (ab[0], ab[1][:, :1]))
    case(
        "solve_triangular",
        fn,
        inputs,
        torch_fn=tfn,
        numpy_fn=nfn if vector else None,  # scipy does not batch: only the unbatched vector systems
        id=f"solve_triangular-trans{trans}-{'lower' if lower else 'upper'}{'-unit' if unit else ''}"
        + ("-vector" if vector else ""),
    )


for _trans, _lower, _unit in [(0, True, False), (1, True, False), (1, False, True)]:
    _tri_case(_trans, _lower, _unit, False)
_tri_case(0, True, False, True)


def _torch_tri_case(upper, left, unit):
    """PyTorch's keywords (upper=, left=, unitriangular=) give torch.linalg.solve_triangular's solve."""
    kw = dict(upper=upper, left=left, unitriangular=unit)
    inputs = system(False)
    if not left:  # x a = b: b is (..., K, n)
        inputs = inputs.map(lambda ab: (ab[0], ab[1].swapaxes(-1, -2)))
    case(
        "solve_triangular",
        lambda a, b: la.solve_triangular(a, b, **kw),
        inputs,
        torch_fn=lambda a, b: torch.linalg.solve_triangular(a, b.expand(a.shape[:-2] + b.shape[-2:]), **kw),
        id=f"solve_triangular-torch-{'upper' if upper else 'lower'}-{'left' if left else 'right'}"
        + ("-unit" if unit else ""),
    )


for _flags in [(False, True, False), (True, True, True), (False, False, True), (True, False, False)]:
    _torch_tri_case(*_flags)

case("pinv", la.pinv, one(rect(min_sv=0.2)), torch_fn=lambda a: torch.linalg.pinv(a), numpy_fn=_np_la.pinv)


@st.composite
def tall_system(draw):
    a = draw(rect(min_sv=0.2, wide=False, max_batch=0))
    return a, _values(draw, (a.shape[0], draw(st.integers(1, 2))))


case(
    "lstsq",
    lambda a, b: la.lstsq(a, b)[0],
    tall_system(),
    torch_fn=lambda a, b: torch.linalg.lstsq(a, b).solution,
)

# --- determinants --------------------------------------------------------------------------------
case("det", la.det, one(square()), torch_fn=lambda a: torch.linalg.det(a), numpy_fn=_np_la.det)
case(
    "slogdet",
    la.slogdet,
    one(square(shift=3.0)),
    torch_fn=lambda a: tuple(torch.linalg.slogdet(a)),
    numpy_fn=lambda a: tuple(_np_la.slogdet(a)),
)

# --- decompositions ------------------------------------------------------------------------------
for _upper in (False, True):
    case(
        "cholesky",
        lambda a, u=_upper: la.cholesky(sym(a), upper=u),
        one(square(shift=4.0)),
        torch_fn=lambda a, u=_upper: torch.linalg.cholesky(sym(a), upper=u),
        numpy_fn=lambda a, u=_upper: _np_la.cholesky(sym(a), upper=u),
        id=f"cholesky-upper{_upper}",
    )


def _gauge(v):
    """Eigen/singular vectors times their first entry: the same whatever sign LAPACK picks."""
    return v * v[..., :1, :]


case(
    "eigh",
    lambda a: (lambda w, v: (w, _gauge(v)))(*la.eigh(sym(a))),
    one(square(gap=0.1)),
    torch_fn=lambda a: (lambda w, v: (w, _gauge(v)))(*torch.linalg.eigh(sym(a))),
)
case(
    "eigvalsh",
    lambda a: la.eigvalsh(sym(a)),
    one(square(gap=0.01)),
    torch_fn=lambda a: torch.linalg.eigvalsh(sym(a)),
    numpy_fn=lambda a: _np_la.eigvalsh(sym(a)),
)
case(
    "eigvalsh",
    lambda a: la.eigvalsh(a, UPLO="U"),
    one(square(symmetric=True)),
    numpy_fn=lambda a: _np_la.eigvalsh(a, UPLO="U"),
    grad=False,
    id="eigvalsh-upper-forward",
)


def _svd_parts(u, s, vh):
    return s, _gauge(u), _gauge(vh.swapaxes(-1, -2))


case(
    "svd",
    lambda a: _svd_parts(*la.svd(a, full_matrices=False)),
    one(rect(min_gap=0.1, min_sv=0.1)),
    torch_fn=lambda a: _svd_parts(*torch.linalg.svd(a, full_matrices=False)),
)
case(
    "svd",
    lambda a: _svd_parts(*la.svd(a)),
    one(rect(min_gap=0.1, min_sv=0.1, is_square=True)),
    torch_fn=lambda a: _svd_parts(*torch.linalg.svd(a)),
    id="svd-full-square",
)


case(
    "svdvals",
    la.svdvals,
    one(rect(min_gap=0.01)),
    torch_fn=lambda a: torch.linalg.svdvals(a),
    numpy_fn=_np_la.svdvals,
)
case(
    "svd",
    lambda a: la.svd(a, compute_uv=False),
    one(rect()),
    numpy_fn=lambda a: _np_la.svd(a, compute_uv=False),
    grad=False,
    id="svd-values-only",
)


def _leading_block_regular(a):
    """+2 on the leading diagonal: a wide matrix's first square block (R1 in a = Q [R1 R2]) must be
    invertible too, which full rank alone does not give."""
    return a + 2.0 * np.eye(*a.shape[-2:])


for _wide in (False, True):
    case(
        "qr",
        lambda a: tuple(la.qr(a)),
        one(rect(min_sv=0.3, wide=_wide).map(_leading_block_regular)),
        torch_fn=lambda a: tuple(torch.linalg.qr(a)),
        numpy_fn=lambda a: tuple(_np_la.qr(a)),
        id=f"qr-{'wide' if _wide else 'tall'}",
    )
case(
    "qr",
    lambda a: la.qr(a, mode="r"),
    one(rect(min_sv=0.3)),
    torch_fn=lambda a: torch.linalg.qr(a)[1],  # torch's mode="r" has no backward
    id="qr-mode-r",
)


# --- norms and powers ----------------------------------------------------------------------------
@st.composite
def vectors(draw):
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=2, max_size=3)))
    a = _values(draw, shape, -2.0, 2.0)
    return (np.sign(a) * (0.1 + np.abs(a)),)


_AXES = ((None, False), (-1, True), ((0, -1), False))
for _i, _ord in enumerate((2, 1, np.inf, -np.inf, 3, 1.5, 0.5, -1)):
    for _axis, _keep in (_AXES[_i % 3],):
        case(
            "linalg_vector_norm",
            lambda x, o=_ord, ax=_axis, k=_keep: la.vector_norm(x, o, axis=ax, keepdims=k),
            vectors(),
            torch_fn=lambda x, o=_ord, ax=_axis, k=_keep: torch.linalg.vector_norm(x, o, dim=ax, keepdim=k),
            numpy_fn=lambda x, o=_ord, ax=_axis, k=_keep: _np_la.vector_norm(x, ord=o, axis=ax, keepdims=k),
            second_order=not np.isinf(_ord),
            id=f"vector_norm-ord{_ord}-axis{_axis}-keep{_keep}",
        )
case(
    "linalg_vector_norm",
    lambda x: la.vector_norm(x, 0),
    vectors(),
    torch_fn=lambda x: torch.linalg.vector_norm(x, 0),
    numpy_fn=lambda x: _np_la.vector_norm(x, ord=0),
    id="vector_norm-ord0",
)

for _i, _ord in enumerate(("fro", "nuc", 2, -2, 1, -1, np.inf, -np.inf)):
    for _axis, _keep in ((((-2, -1), False), ((0, -1), True))[_i % 2],):
        case(
            "linalg_matrix_norm",
            lambda x, o=_ord, ax=_axis, k=_keep: la.matrix_norm(x, o, axis=ax, keepdims=k),
            one(rect(min_gap=0.05)).map(lambda t: (np.sign(t[0]) * (0.05 + np.abs(t[0])),)),
            torch_fn=lambda x, o=_ord, ax=_axis, k=_keep: torch.linalg.matrix_norm(x, o, dim=ax, keepdim=k),
            numpy_fn=lambda x, o=_ord, ax=_axis, k=_keep: _np_la.norm(x, ord=o, axis=ax, keepdims=k),
            second_order=_ord in ("fro", "nuc", 2, -2),
            id=f"matrix_norm-ord{_ord}-axis{_axis}-keep{_keep}",
        )

for _ord, _axis, _keep in [
    (None, None, False),
    (None, None, True),
    (None, 0, False),
    (1, 1, True),
    ("fro", (0, 1), False),
    (2, None, False),
]:
    case(
        "linalg_norm",
        lambda x, o=_ord, ax=_axis, k=_keep: la.norm(x, o, ax, k),
        one(rect(min_gap=0.05, max_batch=0)),
        torch_fn=lambda x, o=_ord, ax=_axis, k=_keep: torch.linalg.norm(x, o, ax, k),
        numpy_fn=lambda x, o=_ord, ax=_axis, k=_keep: _np_la.norm(x, o, ax, k),
        second_order=_ord != 1,
        id=f"norm-ord{_ord}-axis{_axis}-keep{_keep}",
    )

for _n in (3, 1, 0, -2):
    case(
        "matrix_power",
        lambda a, n=_n: la.matrix_power(a, n),
        one(square(shift=2.0)),
        torch_fn=lambda a, n=_n: torch.linalg.matrix_power(a, n),
        numpy_fn=lambda a, n=_n: _np_la.matrix_power(a, n),
        grad=_n != 0,
        id=f"matrix_power-{_n}",
    )
case("matrix_exp", la.matrix_exp, one(square()), torch_fn=lambda a: torch.linalg.matrix_exp(a))
