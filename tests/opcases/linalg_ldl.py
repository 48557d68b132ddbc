"""Op-table cases for torch.linalg's LDL family (ldl_factor, ldl_factor_ex, ldl_solve, autobp/linalg/
ldl.py): forward values against PyTorch on symmetric, mostly indefinite matrices (2x2 pivot blocks
included). Neither torch nor autobp differentiates them (grad=False); pivots, complex matrices, errors
and the refused backward: tests/test_linalg_ldl.py."""

import numpy as np
from hypothesis import strategies as st

import autobp.linalg as la

from ..optable import case, torch
from .linalg import _batch, _rng, one, square


@st.composite
def _system(draw):
    """A symmetric indefinite A (batched) and a right-hand side B (n, k)."""
    n = draw(st.integers(1, 4))
    k = draw(st.integers(1, 3))
    rng = _rng(draw)
    a = rng.uniform(-1.0, 1.0, _batch(draw) + (n, n))
    return a + a.swapaxes(-1, -2), rng.uniform(-1.0, 1.0, (n, k))


_sym = one(square(symmetric=True))
case(
    "ldl_factor", lambda a: la.ldl_factor(a), _sym, torch_fn=lambda a: torch.linalg.ldl_factor(a), grad=False
)
case(
    "ldl_factor_ex",
    lambda a: la.ldl_factor_ex(a),
    _sym,
    torch_fn=lambda a: torch.linalg.ldl_factor_ex(a),
    grad=False,
)
case(
    "ldl_solve",
    lambda a, b: la.ldl_solve(*la.ldl_factor(a), b),
    _system(),
    torch_fn=lambda a, b: torch.linalg.ldl_solve(*torch.linalg.ldl_factor(a), b),
    numpy_fn=lambda a, b: np.linalg.solve(a, np.broadcast_to(b, a.shape[:-1] + b.shape[-1:])),
    grad=False,
)
