"""``ravel_pytree`` (JAX's ``jax.flatten_util.ravel_pytree``): a pytree's leaves as one flat vector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..ops import concatenate
from ..tensor import Tensor
from ._api import tree_flatten


def _real_part(piece: Any) -> Any:
    """A complex piece going back to a real leaf keeps its real part (JAX's cast drops the imaginary)."""
    return piece.real if piece.dtype.kind == "c" else piece


def ravel_pytree(tree: Any) -> tuple[Tensor, Callable[[Any], Any]]:
    """``(flat, unravel)``: every leaf flattened and concatenated into one 1-d vector (differentiable
    when the leaves are Tensors) and the function mapping such a vector back to the tree, as JAX's
    ``jax.flatten_util.ravel_pytree``: the vector has the leaves' promoted dtype (all-int leaves stay
    int; an empty tree gives float64, autobp's default float), and ``unravel`` casts each piece back to
    its leaf's dtype, or, when all leaves share one dtype, keeps the dtype of the vector it is given.

    >>> flat, unravel = ravel_pytree({"w": np.ones((2, 2)), "b": np.zeros(2)})
    >>> flat.shape, unravel(flat)["w"].shape
    ((6,), (2, 2))
    """
    leaves, tdef = tree_flatten(tree)
    arrays = [v if isinstance(v, Tensor) else np.asarray(v) for v in leaves]
    shapes = [tuple(a.shape) for a in arrays]
    sizes = [int(np.prod(s, dtype=np.int64)) for s in shapes]
    dtypes = [np.dtype(a.dtype) for a in arrays]
    to_dtype = np.result_type(*dtypes) if dtypes else np.dtype(np.float64)
    parts = [a.reshape(-1) if a.dtype == to_dtype else a.reshape(-1).astype(to_dtype) for a in arrays]
    flat = concatenate(parts) if parts else Tensor(np.zeros(0))
    if not any(isinstance(v, Tensor) for v in leaves):
        flat = flat.detach()
    polymorphic = len(set(dtypes)) <= 1
    total = sum(sizes)

    def unravel(vec: Any) -> Any:
        if np.shape(vec) != (total,):
            raise ValueError(
                f"The unravel function expected an array of shape {(total,)}, got shape {np.shape(vec)}."
            )
        vec_dtype = np.dtype(vec.dtype) if hasattr(vec, "dtype") else np.asarray(vec).dtype
        if not polymorphic and vec_dtype != to_dtype:
            raise TypeError(
                f"unravel function given array of dtype {vec_dtype} but expected dtype {to_dtype}, the "
                "dtype of the raveled tree (its leaves have several dtypes; each piece is cast back)"
            )
        out, start = [], 0
        for shape, n, dt in zip(shapes, sizes, dtypes):
            piece = vec[start : start + n].reshape(shape)
            if not polymorphic and piece.dtype != dt:
                piece = (_real_part(piece) if dt.kind != "c" else piece).astype(dt)
            out.append(piece)
            start += n
        return tdef.unflatten(out)

    return flat, unravel
