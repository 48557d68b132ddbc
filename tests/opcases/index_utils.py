"""Op-table cases for numpy's index, set and bit utilities, multidimensional histograms, windows and
float parts (ops/index_utils.py, histograms_nd.py, float_bits.py, numpy_introspection.py). Ops called
with only integers (tril_indices, windows) run through their declared function, which gives Tensors;
autobp.<name> itself gives numpy's arrays there (tests/test_numpy_arrays.py checks that)."""

import numpy as np

import autobp
from autobp.ops import DECLS

from ..optable import arrays_of, binary, case, shapes, torch, unary
from .numpy_arrays import distinct, fixed


def declared(name):
    return DECLS[name].fn


def rounded(*xs):
    return tuple(autobp.astype(autobp.round(x), np.int64) for x in xs)


_PAIR = shapes(min_dims=1, max_dims=2).flatmap(lambda s: arrays_of(s, (3,)))

# --- membership, bins, positions ----------------------------------------------------------------
case(
    "isin",
    lambda a, b: autobp.isin(autobp.round(a), autobp.round(b)),
    _PAIR,
    torch_fn=lambda a, b: torch.isin(torch.round(a), torch.round(b)),
    numpy_fn=lambda a, b: np.isin(np.round(a), np.round(b)),
    grad=False,
    ints=True,
)
case(
    "isin",
    lambda a, b: autobp.isin(autobp.round(a), autobp.round(b), invert=True),
    _PAIR,
    torch_fn=lambda a, b: torch.isin(torch.round(a), torch.round(b), invert=True),
    numpy_fn=lambda a, b: np.isin(np.round(a), np.round(b), invert=True),
    grad=False,
    id="isin-invert",
)
_BINS = np.array([-2.0, -0.5, 0.0, 1.0, 2.5])
for _right in (False, True):
    case(
        "digitize",
        lambda x, r=_right: autobp.digitize(x, _BINS, right=r),
        unary(),
        # increasing bins: digitize's right=False is bucketize's right=True, and the other way round
        torch_fn=lambda x, r=_right: torch.bucketize(x, torch.tensor(_BINS), right=not r),
        numpy_fn=lambda x, r=_right: np.digitize(x, _BINS, right=r),
        grad=False,
        ints=True,
        id=f"digitize-right-{_right}",
    )
case(
    "flatnonzero",
    lambda x: autobp.flatnonzero(autobp.round(x)),
    unary(),
    numpy_fn=lambda x: np.flatnonzero(np.round(x)),
    grad=False,
    ints=True,
)
case(
    "lexsort",
    lambda a, b: autobp.lexsort([autobp.round(a), autobp.round(b)]),
    shapes(min_dims=1, max_dims=1).flatmap(lambda s: arrays_of(s, s)),
    numpy_fn=lambda a, b: np.lexsort([np.round(a), np.round(b)]),
    grad=False,
    ints=True,
)

# --- set operations and unique_*: values gathered from the inputs --------------------------------
_TWO = distinct(shapes(min_dims=1, max_dims=2).flatmap(lambda s: arrays_of(s, (4,))))
_ONE = distinct(unary(max_dims=2))
case(
    "intersect1d",
    lambda a: autobp.intersect1d(a, a[::-1]),  # both arguments move together: the intersection stays
    distinct(unary(min_dims=1, max_dims=1)),
    numpy_fn=lambda a: np.intersect1d(a, a[::-1]),
)
case(
    "intersect1d",
    lambda a, b: autobp.intersect1d(autobp.round(a), autobp.round(b), return_indices=True),
    _PAIR,
    numpy_fn=lambda a, b: np.intersect1d(np.round(a), np.round(b), return_indices=True),
    grad=False,
    ints=True,
    id="intersect1d-indices",
)
case("union1d", autobp.union1d, _TWO, numpy_fn=np.union1d, ints=True)
case("setxor1d", autobp.setxor1d, _TWO, numpy_fn=np.setxor1d, ints=True)
case(
    "setdiff1d",
    lambda a, b: autobp.setdiff1d(a, b[:2]),
    _TWO,
    numpy_fn=lambda a, b: np.setdiff1d(a, b[:2]),
    ints=True,
)
case(
    "setdiff1d",
    lambda a: autobp.setdiff1d(a, a[:1], assume_unique=True),  # unsorted: ar1's order kept
    distinct(unary(min_dims=1, max_dims=1)),
    numpy_fn=lambda a: np.setdiff1d(a, a[:1], assume_unique=True),
    id="setdiff1d-assume-unique",
)
case(
    "setxor1d",
    lambda a, b: autobp.setxor1d(autobp.round(a), autobp.round(b)),
    _PAIR,
    numpy_fn=lambda a, b: np.setxor1d(np.round(a), np.round(b)),
    grad=False,
    id="setxor1d-repeats",
)
for _name in ("unique_all", "unique_counts", "unique_inverse", "unique_values"):
    case(_name, getattr(autobp, _name), _ONE, numpy_fn=getattr(np, _name), ints=True)
    case(
        _name,
        lambda x, n=_name: getattr(autobp, n)(autobp.round(x)),
        unary(),
        numpy_fn=lambda x, n=_name: getattr(np, n)(np.round(x)),
        grad=False,
        id=f"{_name}-repeats",
    )

# --- index grids ---------------------------------------------------------------------------------
_NM = fixed((3, 4), (1, 1), (4, 2), (0, 3))
for _name in ("tril_indices", "triu_indices"):
    case(
        _name,
        lambda x, n=_name: declared(n)(x.shape[0], 1, x.shape[1]),
        _NM,
        numpy_fn=lambda x, n=_name: getattr(np, n)(x.shape[0], 1, x.shape[1]),
        torch_fn=lambda x, n=_name: tuple(getattr(torch, n)(x.shape[0], x.shape[1], 1)),
        grad=False,
    )
    case(
        f"{_name}_from",
        lambda x, n=_name: getattr(autobp, f"{n}_from")(x, -1),
        _NM,
        numpy_fn=lambda x, n=_name: getattr(np, f"{n}_from")(x, -1),
        grad=False,
    )
case(
    "diag_indices",
    lambda x: declared("diag_indices")(x.shape[0], x.ndim),
    fixed((3, 3), (2, 2, 2), (1, 1)),
    numpy_fn=lambda x: np.diag_indices(x.shape[0], x.ndim),
    grad=False,
)
case(
    "diag_indices_from",
    autobp.diag_indices_from,
    fixed((3, 3), (2, 2, 2)),
    numpy_fn=np.diag_indices_from,
    grad=False,
)
case(
    "mask_indices",
    lambda x: declared("mask_indices")(x.shape[0], autobp.triu, 1),
    fixed((3,), (4,), (1,)),
    numpy_fn=lambda x: np.mask_indices(x.shape[0], np.triu, 1),
    grad=False,
)
case(
    "indices",
    lambda x: declared("indices")(x.shape),
    unary(),
    numpy_fn=lambda x: np.indices(x.shape),
    grad=False,
)
case(
    "indices",
    lambda x: declared("indices")(x.shape, sparse=True),
    unary(),
    numpy_fn=lambda x: np.indices(x.shape, sparse=True),
    grad=False,
    id="indices-sparse",
)
case(
    "ix_",
    lambda a, b: autobp.ix_(autobp.flatnonzero(autobp.round(a)), autobp.round(b) > 0),
    _PAIR,
    numpy_fn=lambda a, b: np.ix_(np.flatnonzero(np.round(a)), np.round(b) > 0),
    grad=False,
)
case(
    "unravel_index",
    lambda x: autobp.unravel_index(autobp.abs(rounded(x * 3)[0]), (3, 4)),
    unary(),
    numpy_fn=lambda x: np.unravel_index(np.abs(np.round(x * 3).astype(np.int64)), (3, 4)),
    grad=False,
)
case(
    "ravel_multi_index",
    lambda a, b: autobp.ravel_multi_index(rounded(a, b), (7, 7), mode="wrap"),
    binary(),
    numpy_fn=lambda a, b: np.ravel_multi_index(
        (np.round(a).astype(np.int64), np.round(b).astype(np.int64)), (7, 7), mode="wrap"
    ),
    grad=False,
)

# --- histograms: counts constant, weighted sums differentiable in the weights --------------------
_XS = np.array([-2.5, -0.3, 0.4, 0.4, 1.7, 2.9])
_YS = np.array([0.1, -1.2, 2.2, 0.6, -2.8, 1.1])
for _density in (None, True):
    case(
        "histogram2d",
        lambda w, d=_density: autobp.histogram2d(
            _XS, _YS, bins=3, range=[[-3, 3], [-3, 3]], density=d, weights=w
        )[0],
        arrays_of((6,), lo=0.5, hi=3.0),
        numpy_fn=lambda w, d=_density: np.histogram2d(
            _XS, _YS, bins=3, range=[[-3, 3], [-3, 3]], density=d, weights=w
        )[0],
        id=f"histogram2d-weights-{_density}",
    )
    case(
        "histogramdd",
        lambda w, d=_density: autobp.histogramdd(
            np.stack([_XS, _YS, _XS * _YS], 1), bins=(2, 3, 2), density=d, weights=w
        )[0],
        arrays_of((6,), lo=0.5, hi=3.0),
        numpy_fn=lambda w, d=_density: np.histogramdd(
            np.stack([_XS, _YS, _XS * _YS], 1), bins=(2, 3, 2), density=d, weights=w
        )[0],
        id=f"histogramdd-weights-{_density}",
    )
case(
    "histogram2d",
    lambda x, y: autobp.histogram2d(x, y, bins=[2, 3]),
    shapes(min_dims=1, max_dims=1, min_side=1).flatmap(lambda s: arrays_of(s, s)),
    numpy_fn=lambda x, y: np.histogram2d(x, y, bins=[2, 3]),
    grad=False,
    id="histogram2d-counts",
)
case(
    "histogramdd",
    lambda x: autobp.histogramdd(x, bins=2)[0],
    unary(min_dims=2, max_dims=2, min_side=1),
    numpy_fn=lambda x: np.histogramdd(x, bins=2)[0],
    grad=False,
    id="histogramdd-counts",
)
