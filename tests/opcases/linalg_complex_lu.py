"""Op-table cases for torch.linalg's LU family and *_ex forms on complex matrices (``complex=True``:
finite differences on real and imaginary parts, PyTorch's conjugate-Wirtinger gradients, second
order): lu_factor (square, wide, tall), lu, lu_solve in its four forms, inv_ex and solve_ex. The
imaginary parts are small next to a dominant diagonal, so LU's pivots stay far from a tie."""

import numpy as np
from hypothesis import strategies as st

import autobp.linalg as la

from ..optable import case, complexify, torch
from .linalg import _rng, one, square
from .linalg_lu_rect import _rect
from .linalg_torch import _lu_and_rhs, _pivoted, _pivots, _system

C = {"complex": True}
_SMALL = {"lo": -0.3, "hi": 0.3}

_lu_inputs = complexify(one(square(shift=3.0).map(_pivoted)), **_SMALL)
case(
    "lu_factor",
    lambda a: la.lu_factor(a).LU,
    _lu_inputs,
    torch_fn=lambda a: torch.linalg.lu_factor(a).LU,
    id="lu_factor-complex",
    **C,
)
case(
    "lu", lambda a: la.lu(a)[1:], _lu_inputs, torch_fn=lambda a: torch.linalg.lu(a)[1:], id="lu-complex", **C
)
for _wide, _tag in ((True, "wide"), (False, "tall")):
    case(
        "lu_factor",
        lambda a: la.lu_factor(a).LU,
        complexify(_rect(_wide), **_SMALL),
        torch_fn=lambda a: torch.linalg.lu_factor(a).LU,
        id=f"lu_factor-{_tag}-complex",
        **C,
    )

for _left in (True, False):
    for _adjoint in (False, True):
        case(
            "lu_solve",
            lambda lu, b, left=_left, adjoint=_adjoint: la.lu_solve(
                lu, _pivots(lu.shape[-1]), b, left=left, adjoint=adjoint
            ),
            complexify(_lu_and_rhs(_left), **_SMALL),
            torch_fn=lambda lu, b, left=_left, adjoint=_adjoint: torch.linalg.lu_solve(
                lu, torch.tensor(_pivots(lu.shape[-1])), b, left=left, adjoint=adjoint
            ),
            id=f"lu_solve-left{_left}-adjoint{_adjoint}-complex",
            **C,
        )

case(
    "inv_ex",
    lambda a: la.inv_ex(a).inverse,
    complexify(one(square(shift=3.0)), **_SMALL),
    torch_fn=lambda a: torch.linalg.inv_ex(a).inverse,
    id="inv_ex-complex",
    **C,
)
for _vector, _left in ((False, True), (True, True), (False, False)):
    case(
        "solve_ex",
        lambda a, b, left=_left: la.solve_ex(a, b, left=left).result,
        complexify(_system(_vector, _left), **_SMALL),
        torch_fn=lambda a, b, left=_left: torch.linalg.solve_ex(a, b, left=left).result,
        id=f"solve_ex-vector{_vector}-left{_left}-complex",
        **C,
    )


@st.composite
def _hermitian_pd(draw):
    """A complex Hermitian positive-definite matrix (cholesky_ex reads its lower triangle)."""
    n = draw(st.integers(1, 3))
    rng = _rng(draw)
    z = rng.uniform(-1.0, 1.0, (n, n)) + 1j * rng.uniform(-1.0, 1.0, (n, n))
    return (z @ z.conj().T + 2.0 * np.eye(n),)


# cholesky_ex's value and info against torch; its gradient is autobp's cholesky's (the triangle numpy
# reads, docs/concepts/names.md), so the symmetrised input makes the two comparable
case(
    "cholesky_ex",
    lambda a: la.cholesky_ex((a + a.conj().swapaxes(-1, -2)) / 2).L,
    _hermitian_pd(),
    torch_fn=lambda a: torch.linalg.cholesky_ex((a + a.mH) / 2).L,
    id="cholesky_ex-complex",
    **C,
)
