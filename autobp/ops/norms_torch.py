"""torch.norm's own spelling, reached through ``autobp.norm(x, p=..., dim=...)``: ``p`` (a number,
'fro' or 'nuc') where numpy says ``ord``, with PyTorch's meaning, which differs from numpy's for
matrices: a number is always a vector norm (of the flattened input when dim is None, else over the
given dims), 'fro' the 2-norm over the same elements, 'nuc' the nuclear norm of a matrix (of the
last two axes when dim is None)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor


def torch_norm(x: Tensor, p: Any, dim: Any, keepdim: bool) -> Tensor:
    """torch.norm(x, p, dim, keepdim) (``x`` already floating, of the requested dtype)."""
    from ..linalg import matrix_norm, vector_norm
    from ..linalg._common import LinalgArgumentError

    if isinstance(dim, (int, np.integer)) and not isinstance(dim, bool):
        dim = (int(dim),)
    if isinstance(p, str):
        if p == "fro":
            if dim is not None and len(dim) not in (1, 2):
                raise LinalgArgumentError(f"norm: 'fro' needs one or two dims, got dim={dim!r}")
            return vector_norm(x, 2, axis=dim, keepdims=keepdim)
        if p == "nuc":
            if dim is None:
                if x.ndim != 2:
                    raise LinalgArgumentError(
                        f"norm: 'nuc' without dim needs a 2-D input (A must have at least 2 dimensions), "
                        f"got shape {x.shape}"
                    )
                dim = (-2, -1)
            if len(dim) != 2:
                raise LinalgArgumentError(f"norm: 'nuc' needs dim to be a 2-tuple, got {dim!r}")
            return matrix_norm(x, "nuc", axis=tuple(dim), keepdims=keepdim)
        raise LinalgArgumentError(f"norm: p must be a number, 'fro' or 'nuc', got {p!r}")
    return vector_norm(x, p, axis=None if dim is None else tuple(dim), keepdims=keepdim)
