"""Op-table cases for torch.linalg's LU family (lu_factor, lu_factor_ex, lu, lu_solve), the *_ex forms
(cholesky_ex, inv_ex, solve_ex), vander and householder_product: values and gradients against
PyTorch, finite differences and second order. Well-conditioned matrices whose LU pivots are not close
to a tie (a pivot swap is a jump); failures and pivots: tests/test_linalg_torch.py."""

import numpy as np
from hypothesis import strategies as st

import autobp.linalg as la

from ..optable import array, case, shapes, torch
from .linalg import _rng, one, square


def _pivoted(a):
    """The rows of a diagonally dominant matrix reversed: LU must swap rows, far from any tie."""
    return a[..., ::-1, :].copy()


_lu_inputs = one(square(shift=3.0).map(_pivoted))
case("lu_factor", lambda a: la.lu_factor(a).LU, _lu_inputs, torch_fn=lambda a: torch.linalg.lu_factor(a).LU)
case(
    "lu_factor_ex",
    lambda a: la.lu_factor_ex(a).LU,
    _lu_inputs,
    torch_fn=lambda a: torch.linalg.lu_factor_ex(a).LU,
)
case("lu", lambda a: la.lu(a)[1:], _lu_inputs, torch_fn=lambda a: torch.linalg.lu(a)[1:])


@st.composite
def _lu_and_rhs(draw, left=True):
    """A packed LU (unit L below the diagonal, U with a diagonal >= 2 in size), and B."""
    n = draw(st.integers(1, 4))
    k = draw(st.integers(1, 3))
    rng = _rng(draw)
    lu = rng.uniform(-1.0, 1.0, (n, n)) + np.diag(rng.choice([-1.0, 1.0], n) * 3.0)
    b = rng.uniform(-1.0, 1.0, (n, k) if left else (k, n))
    return lu, b


def _pivots(n):
    """A fixed, valid set of LAPACK row interchanges for an n x n LU: row i swapped with row n."""
    return np.array([n] * (n - 1) + [n], dtype=np.int32)


for _left in (True, False):
    for _adjoint in (False, True):
        case(
            "lu_solve",
            lambda lu, b, left=_left, adjoint=_adjoint: la.lu_solve(
                lu, _pivots(lu.shape[-1]), b, left=left, adjoint=adjoint
            ),
            _lu_and_rhs(_left),
            torch_fn=lambda lu, b, left=_left, adjoint=_adjoint: torch.linalg.lu_solve(
                lu, torch.tensor(_pivots(lu.shape[-1])), b, left=left, adjoint=adjoint
            ),
            id=f"lu_solve-left{_left}-adjoint{_adjoint}",
        )


for _upper in (False, True):
    case(
        "cholesky_ex",
        lambda a, upper=_upper: (
            la.cholesky_ex(a @ a.swapaxes(-1, -2) + 2.0 * np.eye(a.shape[-1], dtype=a.dtype), upper=upper).L
        ),
        one(square()),
        torch_fn=lambda a, upper=_upper: (
            torch.linalg.cholesky_ex(a @ a.mT + 2.0 * torch.eye(a.shape[-1], dtype=a.dtype), upper=upper).L
        ),
        id=f"cholesky_ex-upper{_upper}",
    )
case(
    "inv_ex",
    lambda a: la.inv_ex(a).inverse,
    one(square(shift=3.0)),
    torch_fn=lambda a: torch.linalg.inv_ex(a).inverse,
)


@st.composite
def _system(draw, vector=False, left=True):
    a = draw(square(shift=3.0, max_batch=1))
    n, batch = a.shape[-1], a.shape[:-2]
    k = draw(st.integers(1, 3))
    b_shape = batch + ((n,) if vector else ((n, k) if left else (k, n)))
    return a, _rng(draw).uniform(-1.0, 1.0, b_shape)


for _vector, _left in ((False, True), (True, True), (False, False)):
    case(
        "solve_ex",
        lambda a, b, left=_left: la.solve_ex(a, b, left=left).result,
        _system(_vector, _left),
        torch_fn=lambda a, b, left=_left: torch.linalg.solve_ex(a, b, left=left).result,
        id=f"solve_ex-vector{_vector}-left{_left}",
    )
for _N in (None, 2, 4):  # PyTorch demands N > 1
    case(
        "linalg_vander",
        lambda x, N=_N: la.vander(x, N=N),
        # subnormal x set to 0: there torch's cumprod-based gradient drops the x^1 column's slope
        array(shapes(min_dims=1, max_dims=2, min_side=2), -2.0, 2.0).map(
            lambda a: (np.where(np.abs(a) < 1e-300, 0.0, a),)
        ),
        torch_fn=lambda x, N=_N: torch.linalg.vander(x, N=N),
        id=f"vander-N{_N}",
    )


@st.composite
def _reflectors(draw):
    m = draw(st.integers(1, 4))
    n = draw(st.integers(1, m))
    k = draw(st.integers(1, n))  # k = 0 (the identity's columns): tests/test_linalg_torch.py
    batch = tuple(draw(st.lists(st.integers(1, 2), max_size=1)))
    rng = _rng(draw)
    return rng.uniform(-1.0, 1.0, batch + (m, n)), rng.uniform(-1.0, 1.5, batch + (k,))


case(
    "householder_product",
    la.householder_product,
    _reflectors(),
    torch_fn=lambda a, tau: torch.linalg.householder_product(a, tau),
)
