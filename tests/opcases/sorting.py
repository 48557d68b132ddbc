"""Op-table cases for sorting and selection: sort, argsort, topk, kthvalue (distinct values here; ties
are checked against PyTorch in tests/test_semantics_reductions.py)."""

import numpy as np

import autobp

from ..optable import case, torch
from .reductions_more import distinct, rounded

for id_, axis, descending in [
    ("last", -1, False),
    ("0", 0, False),
    ("flat", None, False),
    ("desc", -1, True),
]:
    nd = 0 if axis is None else 1
    case(
        "sort",
        lambda x, axis=axis, d=descending: autobp.sort(x, axis=axis, descending=d),
        distinct(min_dims=nd),
        torch_fn=lambda x, axis=axis, d=descending: (
            torch.sort(
                x.reshape(-1) if axis is None else x, dim=0 if axis is None else axis, descending=d
            ).values
        ),
        numpy_fn=None if descending else (lambda x, axis=axis: np.sort(x, axis=axis)),
        ints=True,
        id=f"sort-{id_}",
    )
    case(
        "argsort",
        lambda x, axis=axis, d=descending: autobp.argsort(x, axis=axis, descending=d),
        distinct(min_dims=nd),
        torch_fn=lambda x, axis=axis, d=descending: torch.argsort(
            x.reshape(-1) if axis is None else x, dim=0 if axis is None else axis, descending=d
        ),
        numpy_fn=None if descending else (lambda x, axis=axis: np.argsort(x, axis=axis)),
        grad=False,
        id=f"argsort-{id_}",
    )
case(
    "sort",
    lambda x: x.sort(dim=0, stable=True),
    distinct(min_dims=1),
    torch_fn=lambda x: torch.sort(x, dim=0, stable=True).values,
    id="sort-method-pytorch-spelling",
)
case(
    "argsort",
    lambda x: autobp.argsort(x, kind="stable"),
    rounded(-2, 2, min_dims=1),  # ties: a stable order, as numpy's kind="stable"
    numpy_fn=lambda x: np.argsort(x, kind="stable"),
    grad=False,
    ints=True,
    id="argsort-ties-stable",
)

for k, dim, largest in [(1, -1, True), (2, 0, True), (2, -1, False), (0, -1, True)]:
    case(
        "topk",
        lambda x, k=k, dim=dim, largest=largest: autobp.topk(x, k, dim=dim, largest=largest),
        distinct(min_dims=1, min_side=2),
        torch_fn=lambda x, k=k, dim=dim, largest=largest: tuple(torch.topk(x, k, dim=dim, largest=largest)),
        id=f"topk-k{k}-dim{dim}-{'largest' if largest else 'smallest'}",
    )
for k, dim, keep in [(1, -1, False), (2, 0, True), (1, 0, False)]:
    case(
        "kthvalue",
        lambda x, k=k, dim=dim, keep=keep: autobp.kthvalue(x, k, dim=dim, keepdim=keep),
        distinct(min_dims=1, min_side=2),
        torch_fn=lambda x, k=k, dim=dim, keep=keep: tuple(torch.kthvalue(x, k, dim=dim, keepdim=keep)),
        id=f"kthvalue-k{k}-dim{dim}-keep{keep}",
    )
