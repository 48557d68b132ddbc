"""Op-table cases for gathers (take, take_along_axis, gather, index_select, masked_select), writes
(scatter, scatter_add, index_add, index_put, ``t[idx] = v``), scatter_reduce, masked_fill, nonzero.

Indices are drawn from the input's shape with a generator seeded by that shape, so the op and its
oracles read the same positions while hypothesis varies the shapes."""

import numpy as np
from hypothesis import strategies as st

import autobp

from ..optable import array, arrays_of, case, shapes, torch, unary


def rng(shape, salt=0):
    return np.random.default_rng([*shape, salt, 7])


def T(a):  # noqa: N802  an index array for the torch oracle
    return torch.tensor(np.asarray(a))


# --- take, index_select ------------------------------------------------------------------------
def flat_idx(shape):
    n = int(np.prod(shape))
    return rng(shape).integers(-n, n, (2, 3))


case(
    "take",
    lambda x: autobp.take(x, flat_idx(x.shape)),
    unary(min_side=1),
    numpy_fn=lambda x: np.take(x, flat_idx(x.shape)),
    torch_fn=lambda x: torch.take(x, T(flat_idx(x.shape))),
    ints=True,
)


def axis_idx(shape, axis=-1, k=4):
    return rng(shape, 1).integers(0, shape[axis], k)  # repeats likely: the gradient accumulates


case(
    "take",
    lambda x: x.take(axis_idx(x.shape), axis=-1),
    unary(min_dims=1, min_side=1),
    numpy_fn=lambda x: np.take(x, axis_idx(x.shape), axis=-1),
    torch_fn=lambda x: torch.index_select(x, -1, T(axis_idx(x.shape))),
    id="take-axis",
    ints=True,
)
for _mode in ("wrap", "clip"):
    case(
        "take",
        lambda x, mode=_mode: autobp.take(x, [-7, 0, 6, 2], axis=0, mode=mode),
        unary(min_dims=1, min_side=1),
        numpy_fn=lambda x, mode=_mode: np.take(x, [-7, 0, 6, 2], axis=0, mode=mode),
        id=f"take-{_mode}",
    )
case(
    "index_select",
    lambda x: autobp.index_select(x, 0, axis_idx(x.shape, 0, 5)),
    unary(min_dims=1, min_side=1),
    torch_fn=lambda x: torch.index_select(x, 0, T(axis_idx(x.shape, 0, 5))),
)


# --- take_along_axis, gather ---------------------------------------------------------------------
def along_idx(shape, axis, k=3, smaller=False):
    ishape = list(shape)
    ishape[axis] = k
    if smaller:  # gather: the index may be shorter than the input along the other axes too
        ishape = [n if i == axis % len(shape) else max(n - 1, 1) for i, n in enumerate(ishape)]
    return rng(shape, 2).integers(0, shape[axis], ishape)


case(
    "take_along_axis",
    lambda x: autobp.take_along_axis(x, along_idx(x.shape, 0), axis=0),
    unary(min_dims=1, min_side=1),
    numpy_fn=lambda x: np.take_along_axis(x, along_idx(x.shape, 0), axis=0),
    torch_fn=lambda x: torch.take_along_dim(x, T(along_idx(x.shape, 0)), 0),
    ints=True,
)
case(
    "take_along_axis",
    lambda x: autobp.take_along_axis(x, np.array([[2, 0, 2]]), axis=-1),
    array(shapes(min_dims=2, max_dims=2, min_side=3)).map(lambda a: (a,)),
    numpy_fn=lambda x: np.take_along_axis(x, np.array([[2, 0, 2]]), axis=-1),
    torch_fn=lambda x: torch.take_along_dim(x, torch.tensor([[2, 0, 2]]), -1),
    id="take_along_axis-broadcast",
)
case(
    "gather",
    lambda x: autobp.gather(x, -1, along_idx(x.shape, -1, smaller=True)),
    unary(min_dims=1, min_side=1),
    torch_fn=lambda x: torch.gather(x, -1, T(along_idx(x.shape, -1, smaller=True))),
)


# --- masks -------------------------------------------------------------------------------------
def mask_of(shape, salt=3):
    return rng(shape, salt).random(shape) < 0.5


case(
    "masked_select",
    lambda x: autobp.masked_select(x, mask_of(x.shape)),
    unary(),
    torch_fn=lambda x: torch.masked_select(x, T(mask_of(x.shape))),
)
case(
    "masked_select",
    lambda x: autobp.masked_select(x, mask_of(x.shape[-1:] + (1,) * 0)),
    unary(min_dims=1),
    torch_fn=lambda x: torch.masked_select(x, T(mask_of(x.shape[-1:]))),
    id="masked_select-broadcast",
)
case(
    "masked_fill",
    lambda x, v: autobp.masked_fill(x, mask_of(x.shape), v),
    st.tuples(array(), array(())),
    torch_fn=lambda x, v: torch.masked_fill(x, T(mask_of(x.shape)), v),
)
case(
    "masked_fill",
    lambda x: x.masked_fill(mask_of(x.shape[-1:]), -1.5),
    unary(min_dims=1),
    torch_fn=lambda x: x.masked_fill(T(mask_of(x.shape[-1:])), -1.5),
    id="masked_fill-number-broadcast",
)
_rounded = unary(-2, 2).map(lambda a: (np.round(a),))
case(
    "nonzero",
    autobp.nonzero,
    unary(-2, 2, min_dims=1).map(lambda a: (np.round(a[0]),)),
    numpy_fn=np.nonzero,
    grad=False,
    ints=True,
)
case("argwhere", autobp.argwhere, _rounded, numpy_fn=np.argwhere, grad=False, ints=True)
case(
    "argwhere",
    autobp.argwhere,
    unary(-2, 2, min_dims=1).map(lambda a: (np.round(a[0]),)),
    torch_fn=lambda x: torch.nonzero(x),
    grad=False,
    id="argwhere-is-torch-nonzero",
)


# --- scatter, scatter_add, index_add, index_put --------------------------------------------------
def rows_and_src(extra=0):
    """x of shape (n, m) and src of shape (n + extra, m): PyTorch reads src only where index is."""
    return st.tuples(st.integers(1, 4), st.integers(1, 3)).flatmap(  # torch.scatter fails on m = 0
        lambda nm: arrays_of((nm[0], nm[1]), (nm[0] + extra, nm[1]))
    )


def distinct_rows(shape):
    """An index of shape (ceil(n / 2), m) into axis 0 with no position written twice per column."""
    n, m = shape
    g = rng(shape, 4)
    cols = [g.permutation(n)[: (n + 1) // 2] for _ in range(m)]
    return np.stack(cols, axis=1) if m else np.zeros(((n + 1) // 2, 0), dtype=np.int64)


def any_rows(shape, k=3):
    return rng(shape, 5).integers(0, shape[0], (k, shape[1]))


case(
    "scatter",
    lambda x, s: autobp.scatter(x, 0, distinct_rows(x.shape), s),
    st.tuples(st.integers(1, 4), st.integers(1, 3)).flatmap(
        lambda nm: arrays_of(nm, ((nm[0] + 1) // 2, nm[1]))  # src of the index's shape
    ),
    torch_fn=lambda x, s: torch.scatter(x, 0, T(distinct_rows(x.shape)), s),
)
case(  # a larger src is read only where the index is (PyTorch's own backward fails on this one)
    "scatter",
    lambda x, s: autobp.scatter(x, 0, distinct_rows(x.shape), s),
    rows_and_src(extra=1),
    id="scatter-larger-src",
)
case(
    "scatter",
    lambda x: x.scatter(0, distinct_rows(x.shape), 2.5),
    rows_and_src().map(lambda xs: xs[:1]),
    torch_fn=lambda x: x.scatter(0, T(distinct_rows(x.shape)), 2.5),
    id="scatter-value",
)
case(  # PyTorch's scatter(reduce=...) has no derivative: checked by finite differences (values below)
    "scatter",
    lambda x, s: autobp.scatter(x, 0, any_rows(x.shape), s, reduce="add"),
    st.tuples(st.integers(1, 4), st.integers(0, 3)).flatmap(lambda nm: arrays_of(nm, (3, nm[1]))),
    id="scatter-reduce-add",
)
case(
    "scatter_add",
    lambda x, s: autobp.scatter_add(x, 0, any_rows(x.shape), s),
    st.tuples(st.integers(1, 4), st.integers(0, 3)).flatmap(lambda nm: arrays_of(nm, (3, nm[1]))),
    torch_fn=lambda x, s: torch.scatter_add(x, 0, T(any_rows(x.shape)), s),
)


def some_positions(n, salt=6):
    return rng((n,), salt).integers(0, n, 5) if n else np.zeros(0, dtype=np.int64)


case(
    "index_add",
    lambda x, s: autobp.index_add(x, 1, some_positions(x.shape[1]), s, alpha=2.0),
    st.tuples(st.integers(0, 3), st.integers(1, 4)).flatmap(lambda nm: arrays_of(nm, (nm[0], 5))),
    torch_fn=lambda x, s: torch.index_add(x, 1, T(some_positions(x.shape[1])), s, alpha=2.0),
)
case(
    "index_put",
    lambda x, v: autobp.index_put(x, (some_positions(x.shape[0]),), v, accumulate=True),
    st.integers(1, 4).flatmap(lambda n: arrays_of((n, 2), (2,))),
    torch_fn=lambda x, v: torch.index_put(x, (T(some_positions(x.shape[0])),), v, accumulate=True),
    id="index_put-accumulate",
)
case(
    "index_put",
    lambda x, v: autobp.index_put(x, (np.array([2, 0]), np.array([1, 1])), v),
    arrays_of((3, 2), (2,)),
    torch_fn=lambda x, v: torch.index_put(x, (torch.tensor([2, 0]), torch.tensor([1, 1])), v),
)


# --- t[idx] = v: recorded index put ------------------------------------------------------------
def setitem_fn(index_of):
    def fn(x, v):
        y = x * 1.0  # a non-leaf copy: a leaf that requires grad refuses in-place writes
        y[index_of(x.shape)] = v
        return y

    return fn


def setitem_torch(index_of):
    def fn(x, v):
        y = x.clone()
        idx = index_of(tuple(x.shape))
        y[tuple(T(i) if isinstance(i, np.ndarray) else i for i in idx) if isinstance(idx, tuple) else idx] = v
        return y

    return fn


def with_value(index_of, min_dims=1, min_side=1, value_shape=None):
    """x of a drawn shape and v of the shape x[index] has (or ``value_shape(shape)``, which broadcasts)."""

    def pair(s):
        vs = np.empty(s)[index_of(s)].shape if value_shape is None else value_shape(s)
        return arrays_of(s, vs)

    return shapes(min_dims=min_dims, min_side=min_side).flatmap(pair)


_SETITEM = {  # name: (index from shape, PyTorch can express it, min_dims)
    "int": (lambda s: (0,), True, 1),
    "negative-int-slice": (lambda s: (-1, slice(None, None, 2)), True, 2),
    "negative-step": (lambda s: (slice(None, None, -2),), False, 1),
    "none-ellipsis": (lambda s: (None, Ellipsis, slice(1, None)), True, 1),
    "mask": (lambda s: mask_of(s, 8), True, 1),
    "distinct-ints": (lambda s: (rng(s, 9).permutation(s[0])[:2], slice(None)), True, 2),
    "slice-ellipsis-ints": (lambda s: (slice(1, None), Ellipsis, rng(s, 10).permutation(s[-1])[:2]), True, 2),
    "repeated-ints": (lambda s: (np.array([0, -1, 0, 0]),), False, 1),  # the last write lands
}
for _name, (_index, _torch_ok, _nd) in _SETITEM.items():
    case(
        "index_put",
        setitem_fn(_index),
        with_value(_index, min_dims=_nd),
        torch_fn=setitem_torch(_index) if _torch_ok else None,
        id=f"setitem-{_name}",
    )
case(
    "index_put",
    setitem_fn(lambda s: (slice(None), np.array([1, 0, 1]))),
    with_value(
        lambda s: (slice(None), np.array([1, 0, 1])), min_dims=2, min_side=2, value_shape=lambda s: ()
    ),
    id="setitem-repeated-broadcast-scalar",
)
case(
    "index_put",
    setitem_fn(lambda s: mask_of(s, 11)),
    with_value(lambda s: mask_of(s, 11), min_dims=1, value_shape=lambda s: ()),
    torch_fn=setitem_torch(lambda s: mask_of(s, 11)),
    id="setitem-mask-scalar",
)


# --- scatter_reduce: distinct values, so amax/amin have no ties (ties: test_scatter_semantics) ----
def distinct_x_and_src():
    def split(nm):
        n, m = nm
        total = n * m + 3 * m
        return st.permutations(range(total)).map(
            lambda p: (
                ((np.array(p[: n * m], dtype=float) - total / 2) * 0.13 + 0.07).reshape(n, m),
                ((np.array(p[n * m :], dtype=float) - total / 2) * 0.13 + 0.07).reshape(3, m),
            )
        )

    return st.tuples(st.integers(1, 4), st.integers(0, 3)).flatmap(split)


for _reduce in ("sum", "prod", "mean", "amax", "amin"):
    for _self in (True, False):
        case(
            "scatter_reduce",
            lambda x, s, r=_reduce, inc=_self: autobp.scatter_reduce(
                x, 0, any_rows(x.shape), s, r, include_self=inc
            ),
            distinct_x_and_src(),
            torch_fn=lambda x, s, r=_reduce, inc=_self: torch.scatter_reduce(
                x, 0, T(any_rows(tuple(x.shape))), s, r, include_self=inc
            ),
            second_order=_reduce not in ("amax", "amin"),
            id=f"scatter_reduce-{_reduce}-{_self}",
        )


case(  # nonzero values away from each other (products: zeros are test_semantics_scatter's)
    "scatter",
    lambda x, s: autobp.scatter(x, 0, any_rows(x.shape), s, reduce="multiply"),
    distinct_x_and_src(),
    id="scatter-reduce-multiply",
)


def put_fn(x, v):
    y = x * 1  # a non-leaf copy of x's dtype
    autobp.put_along_axis(y, along_idx(x.shape, 0, k=2), v, axis=0)
    return y


def put_np(x, v):
    y = x.copy()
    np.put_along_axis(y, along_idx(x.shape, 0, k=2), v, axis=0)
    return y


case(
    "put_along_axis",
    put_fn,
    shapes(min_dims=1, min_side=1).flatmap(lambda s: arrays_of(s, (2,) + s[1:])),
    numpy_fn=put_np,
    ints=True,  # repeated indices: the last write lands (numpy's), so no torch oracle
)
