"""Op-table cases for the creation ops: constants (read their shape from the drawn input), the *_like
family, full/full_like with a differentiable 0-d fill, diag, diagonal, trace, tril, triu, meshgrid,
one_hot."""

import numpy as np
from hypothesis import strategies as st

import autobp

from ..optable import array, arrays_of, case, shapes, torch, unary

# --- constants -----------------------------------------------------------------------------------
for _name in ("zeros", "ones"):
    case(
        _name,
        lambda x, name=_name: getattr(autobp, name)(x.shape),
        unary(),
        numpy_fn=lambda x, name=_name: getattr(np, name)(x.shape),
        torch_fn=lambda x, name=_name: getattr(torch, name)(tuple(x.shape), dtype=torch.float64),
        grad=False,
        ints=True,
    )
case(
    "zeros",
    lambda x: autobp.zeros(2, 3, dtype=np.float32),
    unary(),
    numpy_fn=lambda x: np.zeros((2, 3), np.float32),
    grad=False,
    id="zeros-torch-sizes",
)
case(
    "empty",
    lambda x: autobp.ones_like(autobp.empty(x.shape)),  # values are arbitrary: shape and dtype only
    unary(),
    numpy_fn=lambda x: np.ones_like(np.empty(x.shape)),
    grad=False,
)
case(
    "eye",
    lambda x: autobp.eye(*(x.shape + (3, 3))[:2], k=-1),
    unary(max_dims=2),
    numpy_fn=lambda x: np.eye(*(x.shape + (3, 3))[:2], k=-1),
    grad=False,
)
case(
    "identity",
    lambda x: autobp.identity(x.size),
    unary(max_dims=1),
    numpy_fn=lambda x: np.identity(x.size),
    grad=False,
)
case(
    "arange",
    lambda x: autobp.arange(x.size),
    unary(),
    numpy_fn=lambda x: np.arange(x.size),
    torch_fn=lambda x: torch.arange(x.numel()),
    grad=False,
)
case(
    "arange",
    lambda x: autobp.arange(-1.0, x.size, 0.5),
    unary(),
    numpy_fn=lambda x: np.arange(-1.0, x.size, 0.5),
    grad=False,
    id="arange-float-step",
)
case(
    "linspace",
    lambda x: autobp.linspace(-1.0, 2.0, x.size),
    unary(),
    numpy_fn=lambda x: np.linspace(-1.0, 2.0, x.size),
    grad=False,
)
for _name in ("zeros_like", "ones_like"):
    case(
        _name,
        getattr(autobp, _name),
        unary(),
        numpy_fn=getattr(np, _name),
        torch_fn=getattr(torch, _name, None) if torch else None,
        grad=False,
        ints=True,
    )
case(
    "empty_like",
    lambda x: autobp.zeros_like(autobp.empty_like(x)),
    unary(),
    numpy_fn=lambda x: np.zeros_like(np.empty_like(x)),
    grad=False,
    ints=True,
)

# --- full, full_like: a 0-d Tensor fill value is differentiated -----------------------------------
case(
    "full",
    lambda v: autobp.full((2, 3), v),
    arrays_of(()),
    numpy_fn=lambda v: np.full((2, 3), v),
    torch_fn=lambda v: v.expand(2, 3),
)
case(
    "full_like",
    lambda x, v: autobp.full_like(x, v),
    st.tuples(array(), array(())),
    numpy_fn=lambda x, v: np.full_like(x, v),
    torch_fn=lambda x, v: v.expand(x.shape) + 0.0 * x,
)
case(
    "full_like",
    lambda x: autobp.full_like(x, 2.5),
    unary(),
    numpy_fn=lambda x: np.full_like(x, 2.5),
    grad=False,
    ints=True,
    id="full_like-number",
)

# --- diagonals and triangles -----------------------------------------------------------------------
for _k in (-1, 0, 2):
    case(
        "diag",
        lambda x, k=_k: autobp.diag(x, k),
        unary(min_dims=1, max_dims=2),
        numpy_fn=lambda x, k=_k: np.diag(x, k),
        torch_fn=lambda x, k=_k: torch.diag(x, k),
        id=f"diag-{_k}",
        ints=True,
    )
    case(
        "diagonal",
        lambda x, k=_k: autobp.diagonal(x, k, 2, 0),
        unary(min_dims=3),
        numpy_fn=lambda x, k=_k: np.diagonal(x, k, 2, 0),
        torch_fn=lambda x, k=_k: torch.diagonal(x, k, 2, 0),
        id=f"diagonal-{_k}",
        ints=True,
    )
    for _name in ("tril", "triu"):
        case(
            _name,
            lambda x, k=_k, name=_name: getattr(autobp, name)(x, k),
            unary(min_dims=2),
            numpy_fn=lambda x, k=_k, name=_name: getattr(np, name)(x, k),
            torch_fn=lambda x, k=_k, name=_name: getattr(torch, name)(x, k),
            id=f"{_name}-{_k}",
            ints=True,
        )
case(
    "diag",
    lambda x: autobp.diag(x, diagonal=1),
    unary(min_dims=1, max_dims=2),
    torch_fn=lambda x: torch.diag(x, diagonal=1),
    id="diag-torch-keyword",
)
case(
    "diagonal",
    lambda x: x.diagonal(dim1=-1, dim2=-2),
    unary(min_dims=2),
    torch_fn=lambda x: x.diagonal(dim1=-1, dim2=-2),
    id="diagonal-torch-dims",
)
case(
    "tril",
    lambda x: autobp.tril(x, -1),
    unary(min_dims=1, max_dims=1),
    numpy_fn=lambda x: np.tril(x, -1),
    id="tril-1d",
)
case(
    "trace",
    lambda x: x.trace(),
    unary(min_dims=2, max_dims=2),
    numpy_fn=np.trace,
    torch_fn=lambda x: torch.trace(x),
    ints=True,
)
case(
    "trace",
    lambda x: x.trace(1, 0, -1),
    unary(min_dims=3),
    numpy_fn=lambda x: np.trace(x, 1, 0, -1),
    torch_fn=lambda x: torch.diagonal(x, 1, 0, -1).sum(-1),
    id="trace-offset-axes",
)

# --- meshgrid, one_hot -----------------------------------------------------------------------------
for _indexing in ("xy", "ij"):
    case(
        "meshgrid",
        lambda *xs, ix=_indexing: autobp.meshgrid(*xs, indexing=ix),
        st.integers(1, 3).flatmap(lambda n: st.tuples(*(array(shapes(1, 1)) for _ in range(n)))),
        numpy_fn=lambda *xs, ix=_indexing: np.meshgrid(*xs, indexing=ix),
        torch_fn=lambda *xs, ix=_indexing: torch.meshgrid(*xs, indexing=ix),
        id=f"meshgrid-{_indexing}",
    )
case(
    "meshgrid",
    lambda a, b: autobp.meshgrid(a, b, sparse=True),
    st.tuples(array(shapes(1, 1)), array(shapes(1, 1))),
    numpy_fn=lambda a, b: np.meshgrid(a, b, sparse=True),
    id="meshgrid-sparse",
)


def _classes(x):
    return np.abs(np.round(np.asarray(x.data if hasattr(x, "data") else x))).astype(np.int64)


case(
    "one_hot",
    lambda x: autobp.one_hot(autobp.Tensor(_classes(x), dtype=np.int64), 4),
    unary(-3, 3),
    torch_fn=lambda x: torch.nn.functional.one_hot(x.detach().round().abs().long(), 4),
    grad=False,
)
