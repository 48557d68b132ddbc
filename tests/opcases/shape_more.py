"""Op-table cases for the shape and joining ops beyond the first few: ravel, unflatten, moveaxis,
expand, atleast_Nd, squeeze/expand_dims with tuples, the PyTorch spellings (permute, view, swapdims,
movedim, unsqueeze), stack/hstack/vstack/dstack/column_stack/append, split/array_split/chunk."""

import numpy as np
from hypothesis import strategies as st

import autobp

from ..optable import array, arrays_of, case, shapes, torch, unary


def fixed(*choices):
    """One array of one of the given shapes."""
    return st.sampled_from(choices).flatmap(lambda s: array(s)).map(lambda a: (a,))


def same_shape_pair(**options):
    return shapes(**options).flatmap(lambda s: arrays_of(s, s))


# --- reshapes ----------------------------------------------------------------------------------
case("ravel", autobp.ravel, unary(), torch_fn=lambda x: x.reshape(-1), numpy_fn=np.ravel, ints=True)
case("reshape", lambda x: x.view(-1, 1), unary(), torch_fn=lambda x: x.reshape(-1, 1), id="view")
case(
    "unflatten",
    lambda x: autobp.unflatten(x, 1, (2, -1)),
    fixed((3, 6), (1, 4, 2), (2, 0)),
    torch_fn=lambda x: x.unflatten(1, (2, -1)),
)
case(
    "unflatten",
    lambda x: x.unflatten(-1, (1, x.shape[-1], 1)),
    unary(min_dims=1),
    torch_fn=lambda x: x.unflatten(-1, (1, x.shape[-1], 1)),
    id="unflatten-last",
)
case(
    "moveaxis",
    lambda x: autobp.moveaxis(x, 0, -1),
    unary(min_dims=1),
    torch_fn=lambda x: torch.movedim(x, 0, -1),
    numpy_fn=lambda x: np.moveaxis(x, 0, -1),
    ints=True,
)
case(
    "moveaxis",
    lambda x: x.movedim((0, 1), (-1, 0)),
    unary(min_dims=3),
    torch_fn=lambda x: x.movedim((0, 1), (-1, 0)),
    numpy_fn=lambda x: np.moveaxis(x, (0, 1), (-1, 0)),
    id="movedim-tuples",
)
case(
    "transpose",
    lambda x: x.permute(*reversed(range(x.ndim))) * 1.0,
    unary(),
    torch_fn=lambda x: x.permute(tuple(reversed(range(x.ndim)))) * 1.0,
    id="permute",
)
case(
    "transpose",
    lambda x: autobp.permute(x, (1, 2, 0)),
    unary(min_dims=3, max_dims=3),
    torch_fn=lambda x: torch.permute(x, (1, 2, 0)),
    id="permute-function",
)
case(
    "swapaxes",
    lambda x: x.swapdims(-1, 0),
    unary(min_dims=1),
    torch_fn=lambda x: x.swapdims(-1, 0),
    id="swapdims",
)
case(
    "expand",
    lambda x: x.expand(2, -1, 4),
    fixed((3, 1), (1, 4), (3, 4), (1, 1)),
    torch_fn=lambda x: x.expand(2, -1, 4),
)
case(
    "expand",
    lambda x: autobp.expand(x, (3, 2)),
    fixed((), (1,), (2,)),
    torch_fn=lambda x: x.expand((3, 2)),
    id="expand-0d",
)
case(
    "expand_dims",
    lambda x: autobp.expand_dims(x, (0, -1)),
    unary(),
    numpy_fn=lambda x: np.expand_dims(x, (0, -1)),
    torch_fn=lambda x: x.unsqueeze(0).unsqueeze(-1),
    id="expand_dims-tuple",
    ints=True,
)
case(
    "squeeze",
    lambda x: autobp.squeeze(x.reshape(1, *x.shape, 1), axis=(0, -1)),
    unary(),
    numpy_fn=lambda x: np.squeeze(x.reshape(1, *x.shape, 1), axis=(0, -1)),
    torch_fn=lambda x: x.reshape(1, *x.shape, 1).squeeze((0, -1)),
    id="squeeze-tuple",
)
for _n in (1, 2, 3):
    _name = f"atleast_{_n}d"
    case(
        _name,
        getattr(autobp, _name),
        unary(),
        numpy_fn=getattr(np, _name),
        torch_fn=getattr(torch, _name, None) if torch else None,
        ints=True,
    )
    case(
        _name,
        lambda a, b, name=_name: getattr(autobp, name)(a, b),
        st.tuples(array(shapes(max_dims=1)), array(shapes(max_dims=3))),
        numpy_fn=lambda a, b, name=_name: getattr(np, name)(a, b),
        torch_fn=(lambda a, b, name=_name: getattr(torch, name)(a, b)) if torch else None,
        id=f"{_name}-two",
    )

# --- joining -----------------------------------------------------------------------------------
case(
    "stack",
    lambda a, b: autobp.stack([a, b], axis=-2),
    same_shape_pair(min_dims=1),
    torch_fn=lambda a, b: torch.stack([a, b], -2),
    numpy_fn=lambda a, b: np.stack([a, b], axis=-2),
    id="stack-negative-axis",
    ints=True,
)
for _name in ("hstack", "vstack", "dstack", "column_stack"):
    case(
        _name,
        lambda a, b, name=_name: getattr(autobp, name)([a, b, a]),
        same_shape_pair(),
        numpy_fn=lambda a, b, name=_name: getattr(np, name)([a, b, a]),
        torch_fn=(lambda a, b, name=_name: getattr(torch, name)([a, b, a])) if torch else None,
        ints=True,
    )
case(
    "vstack",
    lambda a, b: autobp.vstack([a, b]),
    arrays_of((3,), (2, 3)),
    numpy_fn=lambda a, b: np.vstack([a, b]),
    torch_fn=lambda a, b: torch.vstack([a, b]),
    id="vstack-1d-and-2d",
)
case(
    "append",
    autobp.append,
    st.tuples(array(), array()),
    numpy_fn=np.append,
    torch_fn=lambda a, b: torch.cat([a.reshape(-1), b.reshape(-1)]),
    ints=True,
)
case(
    "append",
    lambda a, b: autobp.append(a, b, axis=0),
    arrays_of((2, 3), (1, 3)),
    numpy_fn=lambda a, b: np.append(a, b, axis=0),
    torch_fn=lambda a, b: torch.cat([a, b]),
    id="append-axis",
)
case(
    "concatenate",
    lambda a, b: autobp.concatenate([a, b], axis=None),
    st.tuples(array(), array()),
    numpy_fn=lambda a, b: np.concatenate([a, b], axis=None),
    torch_fn=lambda a, b: torch.cat([a.reshape(-1), b.reshape(-1)]),
    id="concatenate-axis-none",
    ints=True,
)

# --- splitting: lists of views ------------------------------------------------------------------
case(
    "array_split",
    lambda x: autobp.array_split(x, 3, axis=-1),
    unary(min_dims=1),
    numpy_fn=lambda x: np.array_split(x, 3, axis=-1),
    torch_fn=lambda x: torch.tensor_split(x, 3, dim=-1),
    ints=True,
)
case(
    "array_split",
    lambda x: autobp.array_split(x, [1, -1, 5]),
    unary(min_dims=1),
    numpy_fn=lambda x: np.array_split(x, [1, -1, 5]),
    id="array_split-indices",
)
case(
    "split",
    lambda x: autobp.split(x, 2, axis=1),
    fixed((3, 4), (1, 2, 2), (0, 0)),
    numpy_fn=lambda x: np.split(x, 2, axis=1),
    torch_fn=lambda x: torch.tensor_split(x, 2, dim=1),
    ints=True,
)
case(
    "split",
    lambda x: x.split([1, 3], axis=0),
    unary(min_dims=1),
    numpy_fn=lambda x: np.split(x, [1, 3], axis=0),
    id="split-indices",
)
for _k in (1, 2, 3):
    case(
        "chunk",
        lambda x, k=_k: autobp.chunk(x, k, dim=-1),
        unary(min_dims=1, min_side=1),
        torch_fn=lambda x, k=_k: torch.chunk(x, k, dim=-1),
        id=f"chunk-{_k}",
    )
