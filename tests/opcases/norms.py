"""Op-table cases for norms: norm (numpy.linalg.norm: vector and matrix orders) and vector_norm
(torch.linalg.vector_norm). Inputs keep away from kinks (zeros, tied magnitudes, tied row sums); the
gradients there are checked against PyTorch in tests/test_semantics_reductions.py."""

import numpy as np

import autobp

from ..optable import arrays_of, case, torch, unary
from .reductions_more import signed_distinct

INF = np.inf


def _tied_sums(a, axis, margin=1e-2):
    """Row or column sums of |a| (over ``axis``) that come within ``margin`` of each other: a tie of
    the max/min they feed."""
    s = np.sort(np.abs(a).sum(axis=axis).ravel())
    return s.size > 1 and bool(np.any(np.diff(s) < margin))


def matrices(summed_axis):
    return unary(away=(0.0,), min_dims=2, max_dims=2, min_side=1).filter(
        lambda t, ax=summed_axis: not _tied_sums(t[0], ax)
    )


# vector orders along the last axis: numpy's norm(ord, axis=-1) and torch.linalg.vector_norm
for ord_ in (None, 2, 1, 3, 0.5, -1, INF, -INF, 0):
    p = 2 if ord_ is None else ord_
    case(
        "norm",
        lambda x, o=ord_: autobp.norm(x, o, axis=-1),
        signed_distinct(min_dims=1, min_side=1),
        torch_fn=lambda x, p=p: torch.linalg.vector_norm(x, p, dim=-1),
        numpy_fn=lambda x, o=ord_: np.linalg.norm(x, o, axis=-1),
        ints=True,
        id=f"norm-vector-{ord_}",
    )
case(
    "norm",
    lambda x: autobp.norm(x, keepdims=True),
    unary(away=(0.0,)),
    torch_fn=lambda x: torch.linalg.vector_norm(x, keepdim=True),
    numpy_fn=lambda x: np.linalg.norm(x, keepdims=True),
    ints=True,
    id="norm-default-flattened",
)
case(
    "norm",
    lambda x: autobp.norm(x, axis=0, keepdims=True) + autobp.norm(x, dim=-1, keepdim=True),
    signed_distinct(min_dims=2, max_dims=2, min_side=1),
    torch_fn=lambda x: (
        torch.linalg.vector_norm(x, dim=0, keepdim=True) + torch.linalg.vector_norm(x, dim=-1, keepdim=True)
    ),
    id="norm-pytorch-spelling",
)
# matrix orders: 'fro' (any values), 1 and -1 (column sums: summed over axis 0), inf and -inf (rows)
case(
    "norm",
    lambda x: autobp.norm(x, "fro"),
    unary(away=(0.0,), min_dims=2, max_dims=2),
    torch_fn=lambda x: torch.linalg.matrix_norm(x, "fro"),
    numpy_fn=lambda x: np.linalg.norm(x, "fro"),
    ints=True,
    id="norm-matrix-fro",
)
for ord_, summed in ((1, 0), (-1, 0), (INF, 1), (-INF, 1)):
    case(
        "norm",
        lambda x, o=ord_: autobp.norm(x, o),
        matrices(summed),
        torch_fn=lambda x, o=ord_: torch.linalg.matrix_norm(x, o),
        numpy_fn=lambda x, o=ord_: np.linalg.norm(x, o),
        ints=True,
        id=f"norm-matrix-{ord_}",
    )
case(
    "norm",
    lambda x: autobp.norm(x, 1, axis=(2, 0), keepdims=True),
    unary(away=(0.0,), min_dims=3, max_dims=3, min_side=1).filter(lambda t: not _tied_sums(t[0], 2)),
    torch_fn=lambda x: torch.linalg.matrix_norm(x, 1, dim=(2, 0), keepdim=True),
    numpy_fn=lambda x: np.linalg.norm(x, 1, axis=(2, 0), keepdims=True),
    id="norm-matrix-batched-axes",
)

for k, ord_ in enumerate((2, 1, 3, 0.5, INF, -INF, 0)):
    for id_, axis, keep in [(("all", None, False), ("pair-keep", (0, -1), True))[k % 2]]:
        case(
            "vector_norm",
            lambda x, o=ord_, axis=axis, keep=keep: autobp.vector_norm(x, o, axis=axis, keepdims=keep),
            signed_distinct(min_dims=0 if axis is None else 2, min_side=1),
            torch_fn=lambda x, o=ord_, axis=axis, keep=keep: torch.linalg.vector_norm(
                x, o, dim=axis, keepdim=keep
            ),
            id=f"vector_norm-{ord_}-{id_}",
        )
case(
    "vector_norm",
    lambda x: autobp.vector_norm(x, 2.5, dim=-1),
    unary(away=(0.0,), min_dims=1),
    torch_fn=lambda x: torch.linalg.vector_norm(x, 2.5, dim=-1),
    id="vector_norm-dim",
)


# matrix norms from the singular values ('nuc', 2, -2), batched, with numpy's keepdims; away from
# repeated or zero singular values, where the gradient of the largest or smallest one is not unique
def _distinct_singular_values(xs):
    s = np.linalg.svd(xs[0], compute_uv=False)
    return bool(np.all(s[:, -1] > 0.1) and np.all(np.abs(np.diff(s, axis=-1)) > 0.1))


for _ord in ("nuc", 2, -2):
    case(
        "norm",
        lambda x, o=_ord: autobp.norm(x, ord=o, axis=(1, 2), keepdims=True),
        arrays_of((2, 3, 2)).filter(_distinct_singular_values),
        torch_fn=lambda x, o=_ord: torch.linalg.matrix_norm(x, ord=o, dim=(1, 2), keepdim=True),
        numpy_fn=lambda x, o=_ord: np.linalg.norm(x, ord=o, axis=(1, 2), keepdims=True),
        id=f"norm-matrix-{_ord}",
    )
