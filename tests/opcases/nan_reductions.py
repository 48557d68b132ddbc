"""Op-table cases for nanprod, nanvar, nanstd, nancumsum, nancumprod (gradients and torch without
NaNs, where they are prod, var, std, cumsum, cumprod; numpy's values with NaNs) and nanargmax/nanargmin.
The gradient at a NaN (0, as torch.nansum's) is checked against PyTorch in tests/test_nan_reductions.py."""

import numpy as np

import autobp

from ..optable import case, torch, unary
from .reductions_more import distinct, tdim
from .statistics import nonzero, with_nans

AXES = [("all", None, False), ("0", 0, False), ("last-keep", -1, True), ("pair", (0, -1), False)]


def _nd(axis):
    return 0 if axis is None else (1 if isinstance(axis, int) else 2)


def _torch_prod(x, axis, keep):
    if axis is None:
        out = x.prod()
        return out.reshape((1,) * x.ndim) if keep else out
    for a in sorted((axis,) if isinstance(axis, int) else axis, key=lambda a: a % x.ndim, reverse=True):
        x = x.prod(dim=a, keepdim=keep)
    return x


for id_, axis, keep in AXES:
    nd = _nd(axis)
    case(
        "nanprod",
        lambda x, axis=axis, keep=keep: autobp.nanprod(x, axis=axis, keepdims=keep),
        nonzero(min_dims=nd),
        torch_fn=lambda x, axis=axis, keep=keep: _torch_prod(x, axis, keep),
        numpy_fn=lambda x, axis=axis, keep=keep: np.nanprod(x, axis=axis, keepdims=keep),
        ints=True,
        id=f"nanprod-{id_}",
    )
    for name in ("nanvar", "nanstd"):
        for ddof in (0, 1):
            case(
                name,
                lambda x, name=name, axis=axis, keep=keep, ddof=ddof: getattr(autobp, name)(
                    x, axis=axis, keepdims=keep, ddof=ddof
                ),
                distinct(min_dims=max(nd, 1), min_side=2),  # no two equal: std's sqrt stays away from 0
                torch_fn=lambda x, name=name, axis=axis, keep=keep, ddof=ddof: getattr(torch, name[3:])(
                    x, dim=tdim(x, axis), keepdim=keep, correction=ddof
                ),
                numpy_fn=lambda x, name=name, axis=axis, keep=keep, ddof=ddof: getattr(np, name)(
                    x, axis=axis, keepdims=keep, ddof=ddof
                ),
                ints=True,
                id=f"{name}-{id_}-ddof{ddof}",
            )
# with NaNs: numpy's values (finite differences cannot step a NaN; gradients in the focused tests)
for name, base in (("nanprod", nonzero), ("nanvar", distinct), ("nanstd", distinct)):
    for id_, axis, keep in (("all", None, False), ("last-keep", -1, True)):
        case(
            name,
            lambda x, name=name, axis=axis, keep=keep: getattr(autobp, name)(x, axis=axis, keepdims=keep),
            with_nans(base, min_dims=2, min_side=3),  # every slice keeps a number (and two along -1)
            numpy_fn=lambda x, name=name, axis=axis, keep=keep: getattr(np, name)(
                x, axis=axis, keepdims=keep
            ),
            grad=False,
            id=f"{name}-{id_}-nan",
        )

for name, base in (("nancumsum", unary), ("nancumprod", nonzero)):
    for axis in (None, 0, -1):
        nd = 0 if axis is None else 1
        case(
            name,
            lambda x, name=name, axis=axis: getattr(autobp, name)(x, axis=axis),
            base(min_dims=nd),
            torch_fn=lambda x, name=name, axis=axis: getattr(torch, name[3:])(
                x.reshape(-1) if axis is None else x, dim=0 if axis is None else axis
            ),
            numpy_fn=lambda x, name=name, axis=axis: getattr(np, name)(x, axis=axis),
            ints=True,
            id=f"{name}-axis{axis}",
        )
        case(
            name,
            lambda x, name=name, axis=axis: getattr(autobp, name)(x, axis=axis),
            with_nans(base, min_dims=max(nd, 1)),
            numpy_fn=lambda x, name=name, axis=axis: getattr(np, name)(x, axis=axis),
            grad=False,
            id=f"{name}-axis{axis}-nan",
        )

for name in ("nanargmax", "nanargmin"):
    for id_, axis, keep in (("all", None, False), ("0", 0, False), ("last-keep", -1, True)):
        case(
            name,
            lambda x, name=name, axis=axis, keep=keep: getattr(autobp, name)(x, axis=axis, keepdims=keep),
            with_nans(unary, min_dims=max(_nd(axis), 1), min_side=1)
            if id_ != "0"
            else unary(min_dims=1, min_side=1),
            numpy_fn=lambda x, name=name, axis=axis, keep=keep: getattr(np, name)(
                x, axis=axis, keepdims=keep
            ),
            grad=False,
            ints=True,
            id=f"{name}-{id_}",
        )
