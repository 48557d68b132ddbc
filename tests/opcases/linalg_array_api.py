"""Op-table cases for numpy.linalg's array-API names and cond, matrix_rank, multi_dot, tensorinv,
tensorsolve (autobp/linalg/array_api.py), and numpy.fft's hfft/ihfft, against numpy and torch.linalg
/ torch.fft (values and every gradient)."""

import numpy as np
from hypothesis import strategies as st

import autobp.fft as fft
import autobp.linalg as la

from ..optable import arrays_of, binary, case, complexify, shapes, torch, unary
from .linalg import one, rect, square

_np_la = np.linalg


def _vectors3(draw_shape):
    return draw_shape.flatmap(lambda s: arrays_of(s + (3,), s + (3,)))


case(
    "linalg_cross",
    lambda a, b: la.cross(a, b),
    _vectors3(shapes(max_dims=2)),
    torch_fn=lambda a, b: torch.linalg.cross(a, b),
    numpy_fn=lambda a, b: _np_la.cross(a, b),
)
case(
    "linalg_cross",
    lambda a, b: la.cross(a, b, axis=0),
    shapes(max_dims=1).flatmap(lambda s: arrays_of((3,) + s, (3,) + s)),
    torch_fn=lambda a, b: torch.linalg.cross(a, b, dim=0),
    numpy_fn=lambda a, b: _np_la.cross(a, b, axis=0),
    id="linalg_cross-axis0",
)
case(
    "linalg_cross",
    lambda a, b: la.cross(a, b, dim=0),
    shapes(max_dims=1).flatmap(lambda s: arrays_of((3,) + s, (3,) + s)),
    torch_fn=lambda a, b: torch.linalg.cross(a, b, dim=0),
    id="linalg_cross-torch-dim0",
)
case(
    "linalg_diagonal",
    lambda x: la.diagonal(x, offset=1, dim1=0, dim2=2),
    unary(min_dims=3),
    torch_fn=lambda x: torch.linalg.diagonal(x, offset=1, dim1=0, dim2=2),
    id="linalg_diagonal-torch-dim1-dim2",
)
case(
    "linalg_outer",
    la.outer,
    st.tuples(shapes(1, 1), shapes(1, 1)).flatmap(lambda s: arrays_of(*s)),
    torch_fn=torch.outer if torch else None,
    numpy_fn=_np_la.outer,
)
for offset in (0, 1, -1):
    case(
        "linalg_diagonal",
        lambda x, offset=offset: la.diagonal(x, offset=offset),
        unary(min_dims=2),
        torch_fn=lambda x, offset=offset: torch.linalg.diagonal(x, offset=offset),
        numpy_fn=lambda x, offset=offset: _np_la.diagonal(x, offset=offset),
        ints=True,
        id=f"linalg_diagonal-{offset}",
    )
    case(
        "linalg_trace",
        lambda x, offset=offset: la.trace(x, offset=offset),
        unary(min_dims=2),
        torch_fn=lambda x, offset=offset: torch.linalg.diagonal(x, offset=offset).sum(-1),
        numpy_fn=lambda x, offset=offset: _np_la.trace(x, offset=offset),
        ints=True,
        id=f"linalg_trace-{offset}",
    )
case(
    "linalg_matmul",
    la.matmul,
    st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)).flatmap(
        lambda mkn: arrays_of((2, mkn[0], mkn[1]), (mkn[1], mkn[2]))
    ),
    torch_fn=lambda a, b: torch.linalg.matmul(a, b),
    numpy_fn=_np_la.matmul,
    ints=True,
)
case(
    "linalg_matrix_transpose",
    la.matrix_transpose,
    unary(min_dims=2),
    torch_fn=lambda x: x.mT,
    numpy_fn=_np_la.matrix_transpose,
    ints=True,
)
case(
    "linalg_tensordot",
    lambda a, b: la.tensordot(a, b, axes=1),
    st.tuples(shapes(1, 2, 1), shapes(0, 2)).flatmap(lambda s: arrays_of(s[0], s[0][-1:] + s[1])),
    torch_fn=lambda a, b: torch.tensordot(a, b, dims=1),
    numpy_fn=lambda a, b: _np_la.tensordot(a, b, axes=1),
    ints=True,
)
case(
    "linalg_vecdot",
    lambda a, b: la.vecdot(a, b),
    binary().filter(lambda ab: ab[0].ndim and ab[1].ndim and ab[0].shape[-1] == ab[1].shape[-1]),
    torch_fn=lambda a, b: torch.linalg.vecdot(a, b),
    numpy_fn=lambda a, b: _np_la.vecdot(a, b),
    ints=True,
)
case(
    "linalg_vecdot",
    lambda a, b: la.vecdot(a, b, axis=0),
    complexify(shapes(1, 2, 1).flatmap(lambda s: arrays_of(s, s))),
    torch_fn=lambda a, b: torch.linalg.vecdot(a, b, dim=0),
    numpy_fn=lambda a, b: _np_la.vecdot(a, b, axis=0),
    complex=True,
    id="linalg_vecdot-complex-axis0",
)
case(
    "linalg_vecdot",
    lambda a, b: la.vecdot(a, b, dim=0),
    shapes(1, 2, 1).flatmap(lambda s: arrays_of(s, s)),
    torch_fn=lambda a, b: torch.linalg.vecdot(a, b, dim=0),
    id="linalg_vecdot-torch-dim0",
)
for _tol in ({"atol": 0.5}, {"atol": 0.1, "rtol": 0.3}, {"rtol": 0.5}):
    case(
        "linalg_matrix_rank",
        lambda a, _tol=_tol: la.matrix_rank(a, **_tol),
        one(rect()),
        torch_fn=lambda a, _tol=_tol: torch.linalg.matrix_rank(a, **_tol),
        grad=False,
        id="linalg_matrix_rank-torch-" + "-".join(f"{k}{v}" for k, v in _tol.items()),
    )
case(
    "linalg_matrix_rank",
    la.matrix_rank,
    one(rect()),
    torch_fn=lambda a: torch.linalg.matrix_rank(a),
    numpy_fn=_np_la.matrix_rank,
    grad=False,
)
for p in (None, -2, "fro", "nuc", 1, np.inf):
    case(
        "linalg_cond",
        lambda a, p=p: la.cond(a, p),
        one(rect(min_gap=0.2, min_sv=0.5, is_square=p not in (None, -2))),
        # torch.linalg.cond's own backward fails for 'fro', 1 and inf (it writes into inv's output
        # in place): its definition, norm(a) norm(inv(a)), is the oracle there
        torch_fn=(lambda a, p=p: torch.linalg.cond(a, p))
        if p in (None, -2)
        else (
            lambda a, p=p: torch.linalg.matrix_norm(a, p) * torch.linalg.matrix_norm(torch.linalg.inv(a), p)
        ),
        numpy_fn=lambda a, p=p: _np_la.cond(a, p),
        id=f"linalg_cond-{p}",
    )


@st.composite
def chain(draw, row, col):
    """Matrices for multi_dot: 2 to 4 of them, the first a vector if ``row``, the last if ``col``."""
    sizes = draw(st.lists(st.integers(1, 3), min_size=3, max_size=5))
    shapes_ = [(sizes[i], sizes[i + 1]) for i in range(len(sizes) - 1)]
    if row:
        shapes_[0] = shapes_[0][1:]
    if col:
        shapes_[-1] = shapes_[-1][:1]
    return draw(arrays_of(*shapes_))


for row, col in ((False, False), (True, False), (True, True)):
    case(
        "linalg_multi_dot",
        lambda *ms: la.multi_dot(list(ms)),
        chain(row, col),
        torch_fn=lambda *ms: torch.linalg.multi_dot(list(ms)),
        numpy_fn=lambda *ms: _np_la.multi_dot(list(ms)),
        id=f"linalg_multi_dot-row{row}-col{col}",
    )
case(
    "linalg_tensorinv",
    lambda a: la.tensorinv(a, ind=1),
    square(shift=3.0, min_n=4, max_batch=0).map(lambda a: (a.reshape(4, 2, 2),)),
    torch_fn=lambda a: torch.linalg.tensorinv(a, ind=1),
    numpy_fn=lambda a: _np_la.tensorinv(a, ind=1),
)
case(
    "linalg_tensorsolve",
    lambda a, b: la.tensorsolve(a, b),
    st.tuples(square(shift=3.0, min_n=4, max_batch=0), arrays_of((2, 2))).map(
        lambda t: (t[0].reshape(2, 2, 2, 2), t[1][0])
    ),
    torch_fn=lambda a, b: torch.linalg.tensorsolve(a, b),
    numpy_fn=_np_la.tensorsolve,
)
case(
    "linalg_tensorsolve",
    lambda a, b: la.tensorsolve(a, b, axes=(0,)),
    st.tuples(square(shift=3.0, min_n=4, max_batch=0), arrays_of((2, 2))).map(
        lambda t: (t[0].reshape(2, 2, 2, 2), t[1][0])
    ),
    torch_fn=lambda a, b: torch.linalg.tensorsolve(a, b, dims=(0,)),
    numpy_fn=lambda a, b: _np_la.tensorsolve(a, b, axes=(0,)),
    id="linalg_tensorsolve-axes",
)

# --- numpy.fft's Hermitian transforms ---------------------------------------------------------------
for n, norm in ((None, None), (5, "ortho"), (6, "forward"), (3, None)):
    case(
        "hfft",
        lambda z, n=n, norm=norm: fft.hfft(z, n=n, norm=norm),
        complexify(arrays_of((2, 4))),
        torch_fn=lambda z, n=n, norm=norm: torch.fft.hfft(z, n=n, norm=norm),
        numpy_fn=lambda z, n=n, norm=norm: np.fft.hfft(z, n, norm=norm),
        complex=True,
        id=f"hfft-n{n}-{norm or 'backward'}",
    )
    case(
        "ihfft",
        lambda x, n=n, norm=norm: fft.ihfft(x, n=n, axis=0, norm=norm),
        arrays_of((4, 2)),
        torch_fn=lambda x, n=n, norm=norm: torch.fft.ihfft(x, n=n, dim=0, norm=norm),
        numpy_fn=lambda x, n=n, norm=norm: np.fft.ihfft(x, n, axis=0, norm=norm),
        id=f"ihfft-n{n}-{norm or 'backward'}",
    )
