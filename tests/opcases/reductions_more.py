"""Op-table cases for the reductions beyond core.py's: amax, amin, ptp, any, all, argmax, argmin,
count_nonzero; and the strategies the statistics, scan, sorting and norm cases share."""

import numpy as np
from hypothesis import strategies as st

import autobp

from ..optable import case, shapes, torch

# axis variants: (id, numpy axis, keepdims); a 0-d tensor only takes axis None
AXES = [
    ("all", None, False),
    ("all-keep", None, True),
    ("0", 0, False),
    ("last-keep", -1, True),
    ("pair", (0, -1), False),
]


def distinct(lo: float = -2.0, step: float = 0.37, **shape_options):
    """A 1-tuple of an array of distinct values (no ties: max, sort and median are differentiable)."""
    return shapes(**shape_options).flatmap(
        lambda s: st.permutations(range(int(np.prod(s)))).map(
            lambda p: ((np.array(p, dtype=np.float64) * step + lo).reshape(s),)
        )
    )


def signed_distinct(**shape_options):
    """Distinct magnitudes, none near 0, random signs: |x| has no ties and no kink."""
    return distinct(lo=0.3, **shape_options).flatmap(
        lambda a: st.lists(st.booleans(), min_size=a[0].size, max_size=a[0].size).map(
            lambda signs: (np.where(np.reshape(signs, a[0].shape), -a[0], a[0]),)
        )
    )


def rounded(lo: float = -2.0, hi: float = 2.0, **shape_options):
    """Small integers as floats: zeros and ties are common (for ops without gradient)."""
    return st.tuples(
        shapes(**shape_options).flatmap(
            lambda s: st.lists(
                st.integers(int(lo), int(hi)), min_size=int(np.prod(s)), max_size=int(np.prod(s))
            ).map(lambda v: np.array(v, dtype=np.float64).reshape(s))
        )
    )


def axis_variants(min_side: int = 0, ids: tuple = ("all-keep", "0", "pair")):
    """(id, axis, keepdims, shape options) for the AXES entries named in ``ids``."""
    for id_, axis, keep in AXES:
        if id_ not in ids:
            continue
        nd = 0 if axis is None else (1 if isinstance(axis, int) else 2)
        yield id_, axis, keep, {"min_dims": nd, "min_side": min_side}


def tdim(x, axis):
    """PyTorch's dim for numpy's axis (None: every dim)."""
    return tuple(range(x.ndim)) if axis is None else axis


for name, tname in (("amax", "amax"), ("amin", "amin")):
    for id_, axis, keep, opts in axis_variants(min_side=1):
        case(
            name,
            lambda x, name=name, axis=axis, keep=keep: getattr(autobp, name)(x, axis=axis, keepdims=keep),
            distinct(**opts),
            torch_fn=lambda x, tname=tname, axis=axis, keep=keep: getattr(torch, tname)(
                x, dim=tdim(x, axis), keepdim=keep
            ),
            numpy_fn=lambda x, name=name, axis=axis, keep=keep: getattr(np, name)(
                x, axis=axis, keepdims=keep
            ),
            ints=True,
            id=f"{name}-{id_}",
        )
for id_, axis, keep, opts in axis_variants(min_side=1):
    case(
        "ptp",
        lambda x, axis=axis, keep=keep: autobp.ptp(x, axis=axis, keepdims=keep),
        distinct(**opts),
        torch_fn=lambda x, axis=axis, keep=keep: (
            torch.amax(x, dim=tdim(x, axis), keepdim=keep) - torch.amin(x, dim=tdim(x, axis), keepdim=keep)
        ),
        numpy_fn=lambda x, axis=axis, keep=keep: np.ptp(x, axis=axis, keepdims=keep),
        ints=True,
        id=f"ptp-{id_}",
    )
case(
    "max",
    lambda x: autobp.max(x, dim=-1, keepdim=True) + x.min(dim=0, keepdim=True),
    distinct(min_dims=2, min_side=1),
    torch_fn=lambda x: x.amax(dim=-1, keepdim=True) + x.amin(dim=0, keepdim=True),
    id="max-min-pytorch-dim",
)

for name, fn in (("any", np.any), ("all", np.all), ("count_nonzero", np.count_nonzero)):
    for id_, axis, keep, opts in axis_variants(ids=("all", "last-keep", "pair")):
        case(
            name,
            lambda x, name=name, axis=axis, keep=keep: getattr(autobp, name)(x, axis=axis, keepdims=keep),
            rounded(-1, 1, **opts),
            numpy_fn=lambda x, fn=fn, axis=axis, keep=keep: fn(x, axis=axis, keepdims=keep),
            grad=False,
            ints=True,
            id=f"{name}-{id_}",
        )
    case(
        name,
        lambda x, name=name: getattr(autobp, name)(x, dim=-1),
        rounded(-1, 1, min_dims=1),
        torch_fn=lambda x, name=name: getattr(torch, name)(x, dim=-1),
        grad=False,
        id=f"{name}-torch",
    )

for name in ("argmax", "argmin"):
    for id_, axis, keep in (
        ("all", None, False),
        ("all-keep", None, True),
        ("0", 0, False),
        ("last-keep", -1, True),
    ):
        case(
            name,
            lambda x, name=name, axis=axis, keep=keep: getattr(autobp, name)(x, axis=axis, keepdims=keep),
            distinct(min_dims=0 if axis is None else 1, min_side=1),
            numpy_fn=lambda x, name=name, axis=axis, keep=keep: getattr(np, name)(
                x, axis=axis, keepdims=keep
            ),
            torch_fn=lambda x, name=name, axis=axis, keep=keep: getattr(torch, name)(
                x, dim=axis, keepdim=keep
            ),
            grad=False,
            id=f"{name}-{id_}",
        )
    case(
        name,
        lambda x, name=name: getattr(autobp, name)(x, axis=-1),
        rounded(-1, 1, min_dims=1, min_side=1),
        numpy_fn=lambda x, name=name: getattr(np, name)(x, axis=-1),
        grad=False,
        ints=True,
        id=f"{name}-ties-first",
    )
