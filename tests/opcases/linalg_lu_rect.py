"""Op-table cases for the LU family on wide and tall matrices (lu_factor, lu_factor_ex, lu): values
and gradients against PyTorch, finite differences and second order. The leading square block is
diagonally dominant with its rows reversed, and the extra rows (tall) are small, so LU's pivots are
far from a tie; more in tests/test_lu_rect_grad.py."""

import numpy as np
from hypothesis import strategies as st

import autobp.linalg as la

from ..optable import case, torch
from .linalg import _batch, _rng


@st.composite
def _rect(draw, wide):
    k = draw(st.integers(1, 3))
    extra = draw(st.integers(1, 2))
    batch = _batch(draw, 1)
    rng = _rng(draw)
    sq = (rng.uniform(-1.0, 1.0, batch + (k, k)) + 3.0 * np.eye(k))[..., ::-1, :]
    if wide:
        a = np.concatenate([sq, rng.uniform(-1.0, 1.0, batch + (k, extra))], axis=-1)
    else:
        a = np.concatenate([sq, rng.uniform(-0.3, 0.3, batch + (extra, k))], axis=-2)
    return (np.ascontiguousarray(a),)


for _wide, _tag in ((True, "wide"), (False, "tall")):
    case(
        "lu_factor",
        lambda a: la.lu_factor(a).LU,
        _rect(_wide),
        torch_fn=lambda a: torch.linalg.lu_factor(a).LU,
        id=f"lu_factor-{_tag}",
    )
    case(
        "lu_factor_ex",
        lambda a: la.lu_factor_ex(a).LU,
        _rect(_wide),
        torch_fn=lambda a: torch.linalg.lu_factor_ex(a).LU,
        id=f"lu_factor_ex-{_tag}",
    )
    case(
        "lu",
        lambda a: la.lu(a)[1:],
        _rect(_wide),
        torch_fn=lambda a: torch.linalg.lu(a)[1:],
        id=f"lu-{_tag}",
    )
