"""Op-table cases for autobp.linalg's systems, factorisations, powers and norms on complex matrices
(``complex=True``), and cholesky's triangle semantics on real ones: well-conditioned matrices built
so that no case sits where a derivative does not exist."""

import numpy as np
from hypothesis import strategies as st

import autobp
import autobp.linalg as la

from ..optable import case, torch
from .linalg import _rng
from .linalg_complex_decomp import C, _cnormal, crect, csquare, hermitian, torch_triangle

_np_la = np.linalg


@st.composite
def csystem(draw, max_batch=2):
    (a,) = draw(csquare(max_batch=max_batch))
    b = _cnormal(_rng(draw), a.shape[:-1] + (draw(st.integers(1, 3)),))
    return a, b


# --- triangular solves --------------------------------------------------------------------------
for _trans, _lower, _unit in [(0, True, False), (1, False, False), (2, True, True), ("C", False, False)]:

    def _tfn(a, b, trans=_trans, lower=_lower, unit=_unit):
        t = a.tril() if lower else a.triu()
        if unit:
            t = t - torch.diag_embed(torch.diagonal(t, 0, -2, -1)) + torch.eye(a.shape[-1])
        op_t = t.mT if trans == 1 else t.mH if trans in (2, "C") else t
        return torch.linalg.solve(op_t, b)

    case(
        "solve_triangular",
        lambda a, b, t=_trans, lo=_lower, u=_unit: la.solve_triangular(a, b, t, lo, u),
        csystem(),
        torch_fn=_tfn,
        id=f"solve_triangular-complex-trans{_trans}-lower{_lower}-unit{_unit}",
        **C,
    )

# --- factorisations and systems -------------------------------------------------------------------
for _upper in (False, True):
    _uplo = "U" if _upper else "L"
    for _cx in (False, True):
        case(
            "cholesky",
            lambda a, u=_upper: la.cholesky(a, upper=u),
            hermitian(lo=0.5, uplo=_uplo, is_complex=_cx),
            torch_fn=lambda a, u=_upper, t=_uplo: torch.linalg.cholesky(torch_triangle(a, t), upper=u),
            numpy_fn=lambda a, u=_upper: _np_la.cholesky(a, upper=u),
            id=f"cholesky-triangle-upper{_upper}" + ("-complex" if _cx else ""),
            **(C if _cx else {}),
        )

for _wide in (False, True):
    case(
        "qr",
        lambda a: tuple(la.qr(a)),
        crect(min_sv=0.3, wide=_wide).map(lambda t: (t[0] + 2.0 * np.eye(*t[0].shape[-2:]),)),
        torch_fn=lambda a: tuple(torch.linalg.qr(a)),
        numpy_fn=lambda a: tuple(_np_la.qr(a)),
        id=f"qr-complex-{'wide' if _wide else 'tall'}",
        **C,
    )
case("pinv", la.pinv, crect(min_sv=0.2), torch_fn=lambda a: torch.linalg.pinv(a), numpy_fn=_np_la.pinv, **C)


@st.composite
def ctall_system(draw):
    (a,) = draw(crect(min_sv=0.2, wide=False, max_batch=0))
    return a, _cnormal(_rng(draw), (a.shape[0], draw(st.integers(1, 2))))


case(
    "lstsq",
    lambda a, b: la.lstsq(a, b)[0],
    ctall_system(),
    torch_fn=lambda a, b: torch.linalg.pinv(a) @ b,  # torch's complex lstsq has no backward
    id="lstsq-complex",
    **C,
)
case(
    "lstsq",
    lambda a, b: la.lstsq(a, b)[1],
    ctall_system().filter(lambda ab: ab[0].shape[0] > ab[0].shape[1]),
    numpy_fn=lambda a, b: _np_la.lstsq(a, b)[1],
    id="lstsq-complex-residuals",
    **C,
)
case(
    "slogdet",
    lambda a: tuple(la.slogdet(a)),
    csquare(),
    torch_fn=lambda a: tuple(torch.linalg.slogdet(a)),
    numpy_fn=lambda a: tuple(_np_la.slogdet(a)),
    id="slogdet-complex",
    **C,
)
for _n in (3, -2):
    case(
        "matrix_power",
        lambda a, n=_n: la.matrix_power(a, n),
        csquare(shift=2.0),
        torch_fn=lambda a, n=_n: torch.linalg.matrix_power(a, n),
        numpy_fn=lambda a, n=_n: _np_la.matrix_power(a, n),
        id=f"matrix_power-complex-{_n}",
        **C,
    )
case(
    "matrix_exp",
    la.matrix_exp,
    csquare(shift=0.0),
    torch_fn=lambda a: torch.linalg.matrix_exp(a),
    id="matrix_exp-complex",
    **C,
)

# --- norms ---------------------------------------------------------------------------------------


def _untied(x, margin=1e-2):
    """No two column sums, nor two row sums, of |x| within ``margin``: no tie for ord 1 or inf."""
    sums = [np.sort(np.abs(x).sum(axis=ax).ravel()) for ax in (-2, -1)]
    return all(s.size < 2 or np.diff(s).min() > margin for s in sums)


# entries at least 0.3 from 0, where |z| has its kink, and no tied row or column sums
_AWAY = crect(min_sv=0.1).map(lambda t: (t[0] + 0.3 * np.sign(t[0].real),)).filter(lambda t: _untied(t[0]))
_VECTOR = [(2, None, False), (3, -1, True), (1.5, (0, -1), False), (np.inf, -1, False), (0.5, 0, True)]
for _ord, _axis, _keep in _VECTOR:
    case(
        "linalg_vector_norm",
        lambda x, o=_ord, ax=_axis, k=_keep: la.vector_norm(x, o, axis=ax, keepdims=k),
        _AWAY,
        torch_fn=lambda x, o=_ord, ax=_axis, k=_keep: torch.linalg.vector_norm(x, o, dim=ax, keepdim=k),
        numpy_fn=lambda x, o=_ord, ax=_axis, k=_keep: _np_la.vector_norm(x, ord=o, axis=ax, keepdims=k),
        second_order=not np.isinf(_ord),
        id=f"vector_norm-complex-ord{_ord}-axis{_axis}",
        **C,
    )
for _ord in ("fro", "nuc", 2, -2, 1, np.inf):
    case(
        "linalg_matrix_norm",
        lambda x, o=_ord: la.matrix_norm(x, o),
        _AWAY if _ord in (1, np.inf) else crect(),
        torch_fn=lambda x, o=_ord: torch.linalg.matrix_norm(x, o),
        numpy_fn=lambda x, o=_ord: _np_la.matrix_norm(x, ord=o),
        second_order=_ord in ("fro", "nuc", 2, -2),
        id=f"matrix_norm-complex-ord{_ord}",
        **C,
    )
for _ord, _axis in [(None, None), (4, -1), ("nuc", (0, -1)), (None, (0, -1))]:
    case(
        "linalg_norm",
        lambda x, o=_ord, ax=_axis: la.norm(x, o, ax),
        _AWAY,
        torch_fn=lambda x, o=_ord, ax=_axis: torch.linalg.norm(x, o, ax),
        numpy_fn=lambda x, o=_ord, ax=_axis: _np_la.norm(x, o, ax),
        id=f"norm-complex-ord{_ord}-axis{_axis}",
        **C,
    )
for _ord, _axis in [(None, None), (3, -1), (1, 0), ("nuc", (-2, -1))]:
    case(
        "norm",
        lambda x, o=_ord, ax=_axis: autobp.norm(x, o, ax),
        _AWAY,
        torch_fn=lambda x, o=_ord, ax=_axis: torch.linalg.norm(x, o, ax),
        numpy_fn=lambda x, o=_ord, ax=_axis: _np_la.norm(x, o, ax),
        id=f"autobp-norm-complex-ord{_ord}-axis{_axis}",
        **C,
    )
case(
    "vector_norm",
    lambda x: autobp.vector_norm(x, 1.5, axis=-1),
    _AWAY,
    torch_fn=lambda x: torch.linalg.vector_norm(x, 1.5, dim=-1),
    id="autobp-vector_norm-complex",
    **C,
)
