"""Op-table cases for numpy's array manipulation functions (ops/numpy_arrays.py, numpy_functional.py,
numpy_writes.py): numpy's values and dtypes, PyTorch where it has the op, finite differences."""

import numpy as np
from hypothesis import strategies as st

import autobp

from ..optable import array, arrays_of, binary, case, complexify, torch, unary


def fixed(*choices):
    """One array of one of the given shapes."""
    return st.sampled_from(choices).flatmap(lambda s: array(s)).map(lambda a: (a,))


def distinct(strategy, gap=1e-2):
    """Inputs whose values (all arrays together) are pairwise apart: no ties, so sorts and set
    operations are differentiable there."""

    def apart(xs):
        v = np.sort(np.concatenate([np.ravel(x) for x in xs])) if xs else np.zeros(0)
        return v.size < 2 or bool(np.min(np.diff(v)) > gap)

    return strategy.filter(apart)


# --- diagflat, tri, vander, block, broadcast_arrays --------------------------------------------
case("diagflat", autobp.diagflat, unary(max_dims=2), torch_fn=torch.diagflat, numpy_fn=np.diagflat, ints=True)
case(
    "diagflat",
    lambda x: autobp.diagflat(x, -1),
    unary(max_dims=2),
    torch_fn=lambda x: torch.diagflat(x, -1),
    numpy_fn=lambda x: np.diagflat(x, -1),
    id="diagflat-k",
)
case(
    "tri",
    lambda x: autobp.ops.DECLS["tri"].fn(x.shape[0], x.shape[1], 1, dtype=x.dtype),
    fixed((3, 4), (1, 1), (4, 2), (0, 3)),
    numpy_fn=lambda x: np.tri(x.shape[0], x.shape[1], 1, dtype=x.dtype),
    grad=False,
    ints=True,
)
_VEC = unary(min_dims=1, max_dims=1)


def torch_vander(x, n=None, increasing=False):
    """torch.vander's definition (its own backward raises an in-place error in torch 2.x)."""
    n = x.shape[0] if n is None else n
    if n == 0:
        return x.reshape(-1, 1)[:, :0]
    powers = range(n) if increasing else reversed(range(n))
    return torch.stack([x**p for p in powers], dim=1)


case("vander", autobp.vander, _VEC, torch_fn=torch_vander, numpy_fn=np.vander, ints=True)
case(
    "vander",
    lambda x: autobp.vander(x, 4, increasing=True),
    _VEC,
    torch_fn=lambda x: torch_vander(x, 4, increasing=True),
    numpy_fn=lambda x: np.vander(x, 4, increasing=True),
    id="vander-N-increasing",
)
case(
    "vander",
    lambda x: autobp.vander(x * 0.0, 3),  # at x = 0: d x^p/dx = p x^(p-1), 0 for p = 0 and 1 for p = 1
    _VEC,
    torch_fn=lambda x: torch_vander(x * 0.0, 3),
    id="vander-at-zero",
)
case(
    "block",
    lambda a, b, c: autobp.block([[a, b], [c]]),
    arrays_of((2, 2), (2, 1), (1, 3)),
    torch_fn=lambda a, b, c: torch.cat([torch.cat([a, b], 1), c], 0),
    numpy_fn=lambda a, b, c: np.block([[a, b], [c]]),
    ints=True,
)
case(
    "block",
    lambda a, b, c: autobp.block([[a, b], [c]]),  # 1-d and 0-d blocks: leading 1-axes added
    arrays_of((2,), (), (3,)),
    numpy_fn=lambda a, b, c: np.block([[a, b], [c]]),
    id="block-promoted",
)
case(
    "broadcast_arrays",
    lambda a, b: autobp.broadcast_arrays(a, b),
    binary(),
    torch_fn=lambda a, b: torch.broadcast_tensors(a, b),
    numpy_fn=lambda a, b: np.broadcast_arrays(a, b),
    ints=True,
)

# --- delete, insert, choose, compress, extract, resize, ediff1d ---------------------------------
_MAT = fixed((3, 4), (4, 4), (3, 3))
case(
    "delete",
    lambda x: autobp.delete(x, [0, 2], axis=1),
    _MAT,
    numpy_fn=lambda x: np.delete(x, [0, 2], axis=1),
    ints=True,
)
case(
    "delete",
    lambda x: autobp.delete(x, slice(1, None, 2)),
    _MAT,
    numpy_fn=lambda x: np.delete(x, slice(1, None, 2)),
    id="delete-flat-slice",
)
case(
    "delete",
    lambda x: autobp.delete(x, np.arange(x.shape[0]) % 2 == 0, axis=0),
    _MAT,
    numpy_fn=lambda x: np.delete(x, np.arange(x.shape[0]) % 2 == 0, axis=0),
    id="delete-mask",
)
case(
    "insert",
    lambda x, v: autobp.insert(x, 1, v, axis=1),
    arrays_of((2, 3), (2,)),
    numpy_fn=lambda x, v: np.insert(x, 1, v, axis=1),
    ints=True,
)
case(
    "insert",
    lambda x, v: autobp.insert(x, [0, 2, 2], v),
    arrays_of((2, 3), (3,)),
    numpy_fn=lambda x, v: np.insert(x, [0, 2, 2], v),
    id="insert-flat-repeated",
)
case(
    "insert",
    lambda x, v: autobp.insert(x, [1], v, axis=0),  # one value row broadcast across the new row
    arrays_of((2, 3), (1,)),
    numpy_fn=lambda x, v: np.insert(x, [1], v, axis=0),
    id="insert-broadcast",
)
_PICK = np.array([[0, 2, 1], [1, 0, 2]])
case(
    "choose",
    lambda a, b, c: autobp.choose(_PICK, [a, b, c]),
    arrays_of((2, 3), (3,), (2, 1)),
    numpy_fn=lambda a, b, c: np.choose(_PICK, [a, b, c]),
    ints=True,
)
for _mode in ("wrap", "clip"):
    case(
        "choose",
        lambda a, b, m=_mode: autobp.choose(_PICK + 1, [a, b], mode=m),
        arrays_of((2, 3), (2, 3)),
        numpy_fn=lambda a, b, m=_mode: np.choose(_PICK + 1, [a, b], mode=m),
        id=f"choose-{_mode}",
    )
case(
    "compress",
    lambda x: autobp.compress([True, False, True], x, axis=0),
    _MAT,
    numpy_fn=lambda x: np.compress([True, False, True], x, axis=0),
    ints=True,
)
case(
    "compress",
    lambda x: autobp.compress([0, 1, 1], x),
    _MAT,
    numpy_fn=lambda x: np.compress([0, 1, 1], x),
    id="compress-flat",
)
_EVERY_OTHER = np.arange(12).reshape(3, 4) % 2 == 0
case(
    "extract",
    lambda x: autobp.extract(_EVERY_OTHER[: x.shape[0], : x.shape[1]], x),
    fixed((3, 4), (3, 3)),
    numpy_fn=lambda x: np.extract(_EVERY_OTHER[: x.shape[0], : x.shape[1]], x),
    ints=True,
)
case(
    "resize",
    lambda x: autobp.resize(x, (3, 5)),
    unary(min_side=1),
    numpy_fn=lambda x: np.resize(x, (3, 5)),
    ints=True,
)
case(
    "ediff1d",
    lambda x, b, e: autobp.ediff1d(x, to_end=e, to_begin=b),
    arrays_of((2, 3), (2,), ()),
    torch_fn=lambda x, b, e: torch.cat([b, torch.diff(x.reshape(-1)), e.reshape(1)]),
    numpy_fn=lambda x, b, e: np.ediff1d(x, to_end=e, to_begin=b),
    ints=True,
)
case("ediff1d", autobp.ediff1d, unary(), numpy_fn=np.ediff1d, ints=True, id="ediff1d-plain")

# --- unstack, permute_dims, matrix_transpose, sort_complex, trim_zeros --------------------------
case(
    "unstack",
    autobp.unstack,
    unary(min_dims=1, min_side=1),
    torch_fn=lambda x: torch.unbind(x, 0),
    numpy_fn=np.unstack,
    ints=True,
)
case(
    "unstack",
    lambda x: autobp.unstack(x, axis=-1),
    unary(min_dims=2, min_side=1),
    torch_fn=lambda x: torch.unbind(x, -1),
    numpy_fn=lambda x: np.unstack(x, axis=-1),
    id="unstack-last",
)
case(
    "permute_dims",
    lambda x: autobp.permute_dims(x, (1, 2, 0)),
    unary(min_dims=3, max_dims=3),
    torch_fn=lambda x: torch.permute(x, (1, 2, 0)),
    numpy_fn=lambda x: np.permute_dims(x, (1, 2, 0)),
    ints=True,
)
case("permute_dims", autobp.permute_dims, unary(), numpy_fn=np.permute_dims, id="permute_dims-reverse")
case(
    "matrix_transpose",
    autobp.matrix_transpose,
    unary(min_dims=2),
    torch_fn=lambda x: x.mT,
    numpy_fn=np.matrix_transpose,
    ints=True,
)
case(
    "sort_complex",
    autobp.sort_complex,
    distinct(unary(min_dims=1, max_dims=2)),
    numpy_fn=np.sort_complex,
    float32=False,  # numpy: a float32 input gives complex128
    ints=True,
)
case(
    "sort_complex",
    autobp.sort_complex,
    complexify(distinct(unary(min_dims=1, max_dims=1))),
    numpy_fn=np.sort_complex,
    complex=True,
    id="sort_complex-complex",
)


def _padded(x, lib):
    zeros = lib.zeros(2, dtype=x.dtype) if lib is np else autobp.zeros(2, dtype=x.dtype)
    return lib.concatenate([zeros, x, zeros[:1]])


_NONZERO = unary(min_dims=1, max_dims=1, away=(0.0,), margin=0.1)
case(
    "trim_zeros",
    lambda x: autobp.trim_zeros(_padded(x, autobp)),
    _NONZERO,
    numpy_fn=lambda x: np.trim_zeros(_padded(x, np)),
)
case(
    "trim_zeros",
    lambda x: autobp.trim_zeros(_padded(x, autobp), "b"),
    _NONZERO,
    numpy_fn=lambda x: np.trim_zeros(_padded(x, np), "b"),
    id="trim_zeros-back",
)
case(
    "trim_zeros",
    lambda x: autobp.trim_zeros(autobp.pad(x, ((1, 0), (0, 2))), axis=-1),
    unary(min_dims=2, max_dims=2, min_side=1, away=(0.0,), margin=0.1),
    numpy_fn=lambda x: np.trim_zeros(np.pad(x, ((1, 0), (0, 2))), axis=-1),
    id="trim_zeros-axis",
)
