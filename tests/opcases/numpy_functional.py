"""Op-table cases for numpy's vector products (vecdot, matvec, vecmat), the functions that call a
function on pieces (apply_along_axis, apply_over_axes, piecewise) and the in-place writes
(fill_diagonal, put, putmask, place), each written into a copy so the leaves stay untouched."""

import numpy as np

import autobp

from ..optable import arrays_of, case, complexify, torch, unary

# --- vecdot, matvec, vecmat (numpy 2.2): the first vector is conjugated in vecdot and vecmat -----
_VD = arrays_of((2, 3), (3,))
case(
    "vecdot",
    autobp.vecdot,
    _VD,
    torch_fn=lambda a, b: torch.linalg.vecdot(a, b),
    numpy_fn=np.vecdot,
    ints=True,
)
case(
    "vecdot",
    lambda a, b: autobp.vecdot(a, b, axis=0),
    arrays_of((3, 2), (3, 1)),
    torch_fn=lambda a, b: torch.linalg.vecdot(a, b, dim=0),
    numpy_fn=lambda a, b: np.vecdot(a, b, axis=0),
    id="vecdot-axis0",
)
case(
    "vecdot",
    autobp.vecdot,
    complexify(_VD),
    torch_fn=lambda a, b: torch.linalg.vecdot(a, b),
    numpy_fn=np.vecdot,
    complex=True,
    id="vecdot-complex",
)
_MV = arrays_of((2, 3, 4), (4,))
case("matvec", autobp.matvec, _MV, torch_fn=torch.matmul, numpy_fn=np.matvec, ints=True)
case(
    "matvec",
    autobp.matvec,
    complexify(_MV),
    torch_fn=torch.matmul,
    numpy_fn=np.matvec,
    complex=True,
    id="matvec-complex",
)
_VM = arrays_of((3,), (2, 3, 4))
case("vecmat", autobp.vecmat, _VM, torch_fn=lambda a, b: torch.matmul(a, b), numpy_fn=np.vecmat, ints=True)
case(
    "vecmat",
    autobp.vecmat,
    complexify(_VM),
    torch_fn=lambda a, b: torch.matmul(a.conj(), b),
    numpy_fn=np.vecmat,
    complex=True,
    id="vecmat-complex",
)

# --- apply_along_axis, apply_over_axes, piecewise ----------------------------------------------
_GRID = unary(min_dims=2, max_dims=3, min_side=1)
case(
    "apply_along_axis",
    lambda x: autobp.apply_along_axis(lambda v: v * v.sum(), 1, x),
    _GRID,
    torch_fn=lambda x: x * x.sum(1, keepdim=True),
    numpy_fn=lambda x: np.apply_along_axis(lambda v: v * v.sum(), 1, x),
    ints=True,
)
case(
    "apply_along_axis",
    lambda x: autobp.apply_along_axis(lambda v: (v * v).sum(), 0, x),
    _GRID,
    torch_fn=lambda x: (x * x).sum(0),
    numpy_fn=lambda x: np.apply_along_axis(lambda v: (v * v).sum(), 0, x),
    id="apply_along_axis-scalar",
)
case(
    "apply_along_axis",
    lambda x: autobp.apply_along_axis(lambda v: autobp.outer(v, v), -1, x),  # a 2-d result per slice
    unary(min_dims=2, max_dims=2, min_side=1),
    torch_fn=lambda x: x[:, :, None] * x[:, None, :],
    numpy_fn=lambda x: np.apply_along_axis(lambda v: np.outer(v, v), -1, x),
    id="apply_along_axis-matrix",
)
case(
    "apply_over_axes",
    lambda x: autobp.apply_over_axes(autobp.sum, x, [0, 2]),
    unary(min_dims=3, max_dims=3),
    torch_fn=lambda x: x.sum((0, 2), keepdim=True),
    numpy_fn=lambda x: np.apply_over_axes(np.sum, x, [0, 2]),
    ints=True,
)
case(
    "apply_over_axes",
    lambda x: autobp.apply_over_axes(lambda t, ax: autobp.cumsum(t, axis=ax), x, -1),  # keeps the ndim
    unary(min_dims=1),
    torch_fn=lambda x: x.cumsum(-1),
    numpy_fn=lambda x: np.apply_over_axes(lambda t, ax: np.cumsum(t, axis=ax), x, -1),
    id="apply_over_axes-same-ndim",
)
case(
    "piecewise",
    lambda x: autobp.piecewise(x, [x < 0, x >= 0], [lambda v: v * v, lambda v: 2 * v]),
    unary(away=(0.0,)),
    torch_fn=lambda x: torch.where(x < 0, x * x, 2 * x),
    numpy_fn=lambda x: np.piecewise(x, [x < 0, x >= 0], [lambda v: v * v, lambda v: 2 * v]),
    ints=True,
)
case(
    "piecewise",
    lambda x: autobp.piecewise(x, [x < -1, x > 1], [-1.0, lambda v: v**3, lambda v: v]),  # the else function
    unary(away=(-1.0, 1.0)),
    torch_fn=lambda x: torch.where(x < -1, -1.0, torch.where(x > 1, x**3, x)),
    numpy_fn=lambda x: np.piecewise(x, [x < -1, x > 1], [-1.0, lambda v: v**3, lambda v: v]),
    id="piecewise-constant-and-else",
)


# --- recorded in-place writes, into a copy ------------------------------------------------------
def written(fn_name, *args, **kwargs):
    """The op writing into a copy of its first input (a Tensor or an array), the copy returned."""

    def run(x, *rest):
        y = x * 1 if isinstance(x, autobp.Tensor) else x.copy()
        lib = autobp if isinstance(x, autobp.Tensor) else np
        assert getattr(lib, fn_name)(y, *rest, *args, **kwargs) is None
        return y

    return run


case(
    "fill_diagonal",
    written("fill_diagonal"),
    arrays_of((3, 3), (2,)),
    torch_fn=lambda x, v: x * (1 - torch.eye(3, dtype=x.dtype)) + torch.diag(v[[0, 1, 0]]),
    numpy_fn=written("fill_diagonal"),
    ints=True,
)
case(
    "fill_diagonal",
    written("fill_diagonal", wrap=True),
    arrays_of((7, 2), ()),
    numpy_fn=written("fill_diagonal", wrap=True),
    id="fill_diagonal-tall-wrap",
)
case(
    "fill_diagonal",
    written("fill_diagonal"),
    arrays_of((2, 2, 2), (2,)),
    numpy_fn=written("fill_diagonal"),
    id="fill_diagonal-3d",
)
_AT = np.array([0, 5, -1, 5])
case(
    "put",
    lambda x, v: written("put")(x, _AT, v),
    arrays_of((2, 4), (3,)),
    numpy_fn=lambda x, v: written("put")(x, _AT, v),
    ints=True,
)
for _mode in ("wrap", "clip"):
    case(
        "put",
        lambda x, v, m=_mode: written("put", mode=m)(x, _AT * 3, v),
        arrays_of((2, 3), (2,)),
        numpy_fn=lambda x, v, m=_mode: written("put", mode=m)(x, _AT * 3, v),
        id=f"put-{_mode}",
    )
_MASK = np.array([[True, False, True], [False, True, True]])
case(
    "putmask",
    lambda x, v: written("putmask")(x, _MASK, v),
    arrays_of((2, 3), (4,)),
    numpy_fn=lambda x, v: written("putmask")(x, _MASK, v),
    torch_fn=lambda x, v: torch.where(torch.tensor(_MASK), v[[0, 1, 2, 3, 0, 1]].reshape(2, 3), x),
    ints=True,
)
case(
    "place",
    lambda x, v: written("place")(x, _MASK, v),
    arrays_of((2, 3), (3,)),
    numpy_fn=lambda x, v: written("place")(x, _MASK, v),
    ints=True,
)

# --- correlate, unwrap ---------------------------------------------------------------------------
for _shapes in [((5,), (3,)), ((2,), (4,))]:  # the second: v longer than a, where numpy swaps them
    for _m in ("valid", "same", "full"):
        case(
            "correlate",
            lambda a, v, m=_m: autobp.correlate(a, v, m),
            arrays_of(*_shapes),
            numpy_fn=lambda a, v, m=_m: np.correlate(a, v, m),
            ints=True,
            id=f"correlate-{_m}-{_shapes[1][0]}",
        )
case(
    "correlate",
    lambda a, v: autobp.correlate(a, v, "full"),
    complexify(arrays_of((4,), (2,))),
    numpy_fn=lambda a, v: np.correlate(a, v, "full"),
    complex=True,
    id="correlate-complex",
)
case(
    "unwrap",
    lambda x: autobp.unwrap(x * 4),  # jumps of up to 24 between neighbours: many are unwrapped
    unary(min_dims=1),
    numpy_fn=lambda x: np.unwrap(x * 4),
    torch_fn=lambda x: x * 4 + torch.tensor(np.unwrap(x.detach().numpy() * 4) - x.detach().numpy() * 4),
    ints=True,
)
case(
    "unwrap",
    lambda x: autobp.unwrap(x * 3, 4.0, axis=0, period=5.0),
    unary(min_dims=1),
    numpy_fn=lambda x: np.unwrap(x * 3, 4.0, axis=0, period=5.0),
    id="unwrap-discont-period",
)
