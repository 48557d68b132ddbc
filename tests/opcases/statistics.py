"""Op-table cases for statistics: prod, var, std, median, quantile, percentile, nansum, nanmean,
nanmax, nanmin, average."""

import numpy as np

import autobp

from ..optable import arrays_of, case, shapes, torch, unary
from .reductions_more import axis_variants, distinct, tdim

# PyTorch's prod, median and quantile take one dim (or none); these variants fit both libraries
ONE_AXIS = [("all", None, False), ("0", 0, False), ("last-keep", -1, True)]


def _torch_one(fn, x, axis, keep, *args):
    return fn(x.reshape(-1), *args) if axis is None else fn(x, *args, dim=axis, keepdim=keep)


def with_zeros(**shape_options):
    """Values in [-1.2, 1.2] (a product of 48 stays small enough for finite differences) with every
    one of magnitude below 0.5 set to exactly 0: one zero, several."""
    return unary(-1.2, 1.2, **shape_options).map(lambda a: (np.where(np.abs(a[0]) < 0.5, 0.0, a[0]),))


def nonzero(**shape_options):
    """Values in [-1.2, 1.2] none below 1e-3 in magnitude: no product underflows (where autobp's
    gradient is exact and PyTorch's is 0, see tests/test_semantics_reductions.py)."""
    return unary(-1.2, 1.2, away=(0.0,), margin=1e-3, **shape_options)


for (id_, axis, keep), kind in zip(ONE_AXIS + ONE_AXIS[:1], ("", "", "-zeros", "-zeros")):
    nd = 0 if axis is None else 1
    inputs = with_zeros(min_dims=nd) if kind else nonzero(min_dims=nd)
    case(
        "prod",
        lambda x, axis=axis, keep=keep: autobp.prod(x, axis=axis, keepdims=keep),
        inputs,
        torch_fn=lambda x, axis=axis, keep=keep: _torch_one(torch.prod, x, axis, keep),
        numpy_fn=lambda x, axis=axis, keep=keep: np.prod(x, axis=axis, keepdims=keep),
        ints=True,
        id=f"prod-{id_}{kind}",
    )
case(
    "prod",
    lambda x: autobp.prod(x, axis=(0, 2)) + x.prod(dim=1).sum(),
    with_zeros(min_dims=3, max_dims=3),
    numpy_fn=lambda x: np.prod(x, axis=(0, 2)) + np.prod(x, axis=1).sum(),
    id="prod-pair-zeros",
)

for name in ("var", "std"):
    for (id_, axis, keep, opts), ddof in zip(
        axis_variants(2, ("all", "0", "last-keep", "pair")), (0, 1, 1, 0)
    ):
        case(
            name,
            lambda x, name=name, axis=axis, keep=keep, ddof=ddof: getattr(autobp, name)(
                x, axis=axis, ddof=ddof, keepdims=keep
            ),
            distinct(**{**opts, "min_dims": max(opts["min_dims"], ddof)}),  # distinct: std off its kink
            torch_fn=lambda x, name=name, axis=axis, keep=keep, ddof=ddof: getattr(torch, name)(
                x, dim=tdim(x, axis), correction=ddof, keepdim=keep
            ),
            numpy_fn=lambda x, name=name, axis=axis, keep=keep, ddof=ddof: getattr(np, name)(
                x, axis=axis, ddof=ddof, keepdims=keep
            ),
            ints=True,
            id=f"{name}-{id_}-ddof{ddof}",
        )
    case(
        name,
        lambda x, name=name: (
            getattr(autobp, name)(x, dim=0, unbiased=True) * getattr(autobp, name)(x, correction=0)
        ),
        distinct(min_dims=1, min_side=2),
        torch_fn=lambda x, name=name: (
            getattr(torch, name)(x, dim=0, unbiased=True) * getattr(torch, name)(x, correction=0)
        ),
        id=f"{name}-pytorch-spellings",
    )

for id_, axis, keep in ONE_AXIS:
    nd = 0 if axis is None else 1
    case(
        "median",
        lambda x, axis=axis, keep=keep: autobp.median(x, axis=axis, keepdims=keep),
        distinct(min_dims=nd, min_side=1),
        torch_fn=lambda x, axis=axis, keep=keep: _torch_one(torch.quantile, x, axis, keep, 0.5),
        numpy_fn=lambda x, axis=axis, keep=keep: np.median(x, axis=axis, keepdims=keep),
        ints=True,
        id=f"median-{id_}",
    )
case(
    "median",
    lambda x: autobp.median(x, axis=(0, -1), keepdims=True),
    distinct(min_dims=2, min_side=1),
    numpy_fn=lambda x: np.median(x, axis=(0, -1), keepdims=True),
    id="median-pair",
)

QUANTILES = [
    ("quantile", 0.3, "scalar", ONE_AXIS[0]),
    ("quantile", 0.0, "zero", ONE_AXIS[1]),
    ("quantile", 1.0, "one", ONE_AXIS[2]),
    ("quantile", [0.1, 0.5, 0.75], "array", ONE_AXIS[2]),
    ("percentile", 0.3, "scalar", ONE_AXIS[1]),
    ("percentile", [0.1, 0.5, 0.75], "array", ONE_AXIS[0]),
]
for name, q, qid, (id_, axis, keep) in QUANTILES:
    nd = 0 if axis is None else 1
    scale = 1 if name == "quantile" else 100
    qq = q * scale if isinstance(q, float) else [v * scale for v in q]
    case(
        name,
        lambda x, name=name, qq=qq, axis=axis, keep=keep: getattr(autobp, name)(
            x, qq, axis=axis, keepdims=keep
        ),
        distinct(min_dims=nd, min_side=1),
        torch_fn=lambda x, q=q, axis=axis, keep=keep: _torch_one(
            torch.quantile, x, axis, keep, torch.tensor(q, dtype=x.dtype)
        ),
        numpy_fn=lambda x, name=name, qq=qq, axis=axis, keep=keep: getattr(np, name)(
            x, qq, axis=axis, keepdims=keep
        ),
        float32=isinstance(q, float),  # numpy: an array q gives float64 even for float32 input
        ints=True,
        id=f"{name}-{qid}-{id_}",
    )
case(
    "quantile",
    lambda x: autobp.quantile(x, [[0.2], [0.9]], axis=(0, 1)),
    distinct(min_dims=2, min_side=1),
    numpy_fn=lambda x: np.quantile(x, [[0.2], [0.9]], axis=(0, 1)),
    float32=False,
    id="quantile-2d-q-pair",
)


def with_nans(base, **shape_options):
    """NaN at every odd position along the last axis (position 0 of each last-axis row stays a number)."""

    def put(a):
        a = a.copy()
        if a.ndim:
            a[..., 1::2] = np.nan
        return (a,)

    return base(**shape_options).map(lambda t: put(t[0]))


# gradients without NaNs here (finite differences cannot step a NaN); with NaNs, the forward here and
# the gradient (0 at a NaN) in tests/test_semantics_reductions.py, against PyTorch
for name, base in (("nansum", unary), ("nanmean", unary), ("nanmax", distinct), ("nanmin", distinct)):
    tname = {"nanmax": "amax", "nanmin": "amin"}.get(name, name)
    for (id_, axis, keep), nans in (
        (("all", None, False), False),
        (("0", 0, False), False),
        (("last-keep", -1, True), True),
    ):
        nd = 0 if axis is None else 1
        case(
            name,
            lambda x, name=name, axis=axis, keep=keep: getattr(autobp, name)(x, axis=axis, keepdims=keep),
            with_nans(base, min_dims=nd, min_side=1) if nans else base(min_dims=nd, min_side=1),
            torch_fn=None
            if nans and tname != name
            else lambda x, tname=tname, axis=axis, keep=keep: getattr(torch, tname)(
                x, dim=tdim(x, axis), keepdim=keep
            ),
            numpy_fn=lambda x, name=name, axis=axis, keep=keep: getattr(np, name)(
                x, axis=axis, keepdims=keep
            ),
            grad=not nans,
            ints=True,
            id=f"{name}-{id_}" + ("-nan" if nans else ""),
        )

# numpy's where= (the first column left out) and initial= (nansum adds it, nanmax/nanmin compare it)
_W = np.array([False, True, True])
for name, extra in (
    ("nansum", {"initial": 1.5}),
    ("nanmean", {}),
    ("nanmax", {"initial": -9.0}),
    ("nanmin", {"initial": 9.0}),
):
    case(
        name,
        lambda x, name=name, extra=extra: getattr(autobp, name)(x, axis=-1, where=_W, **extra),
        distinct(min_dims=2, max_dims=2, min_side=3, max_side=3),
        numpy_fn=lambda x, name=name, extra=extra: getattr(np, name)(x, axis=-1, where=_W, **extra),
        ints=name != "nanmean",
        id=f"{name}-where-initial",
    )

case(
    "average",
    lambda x, w: autobp.average(x, axis=-1, weights=w),
    shapes(min_dims=1, min_side=1).flatmap(lambda s: arrays_of(s, s[-1:], lo=0.5, hi=2.0)),
    torch_fn=lambda x, w: (x * w).sum(-1) / w.sum(),
    numpy_fn=lambda x, w: np.average(x, axis=-1, weights=w),
    id="average-1d-weights",
)
case(
    "average",
    lambda x, w: autobp.average(x, weights=w, returned=True),
    shapes(min_side=1).flatmap(lambda s: arrays_of(s, s, lo=0.5, hi=2.0)),
    torch_fn=lambda x, w: ((x * w).sum() / w.sum(), w.sum()),
    numpy_fn=lambda x, w: np.average(x, weights=w, returned=True),
    id="average-full-weights-returned",
)
case(
    "average",
    lambda x: autobp.average(x, axis=0, keepdims=True),
    unary(min_dims=1, min_side=1),
    torch_fn=lambda x: x.mean(0, keepdim=True),
    numpy_fn=lambda x: np.average(x, axis=0, keepdims=True),
    ints=True,
    id="average-unweighted",
)


def _uncorrelated(t):
    """Rows that vary (std > 0.1), no two correlated within 1e-2 of +-1 (corrcoef clips there)."""
    if np.any(np.std(t[0], axis=-1) < 0.1):
        return False
    c = np.corrcoef(t[0])
    return c.ndim == 0 or bool(np.all(np.abs(c[~np.eye(len(c), dtype=bool)]) < 0.99))


case(
    "cov",
    lambda x: autobp.cov(x),
    shapes(min_dims=2, max_dims=2, min_side=2).flatmap(lambda s: arrays_of(s)),
    torch_fn=lambda x: torch.cov(x),
    numpy_fn=lambda x: np.cov(x),
    float32=False,  # numpy's cov computes in float64
    ints=True,
    id="cov-rows",
)
case(
    "cov",
    lambda x, y: autobp.cov(x, y, rowvar=False, bias=True),
    arrays_of((4, 2), (4,)),
    numpy_fn=lambda x, y: np.cov(x, y, rowvar=False, bias=True),
    torch_fn=lambda x, y: torch.cov(torch.cat([x.T, y[None]]), correction=0),
    float32=False,
    id="cov-columns-y-bias",
)
case(  # numpy's: a 2-d input with rowvar=False is transposed even with one row (n variables)
    "cov",
    lambda x: autobp.cov(x, rowvar=False, bias=True),
    arrays_of((1, 3)),
    numpy_fn=lambda x: np.cov(x, rowvar=False, bias=True),
    torch_fn=lambda x: torch.cov(x.T, correction=0),
    float32=False,
    id="cov-one-row-rowvar-false",
)
_FW = np.array([1, 3, 0, 2, 1])
for _ddof in (1, 0, 2):
    case(
        "cov",
        # aweights differentiable (positive: away from 0), fweights integer constants
        lambda x, a, _ddof=_ddof: autobp.cov(x, ddof=_ddof, fweights=_FW, aweights=a),
        arrays_of((3, 5), (5,)).map(lambda xa: (xa[0], np.abs(xa[1]) + 0.5)),
        numpy_fn=lambda x, a, _ddof=_ddof: np.cov(x, ddof=_ddof, fweights=_FW, aweights=a),
        torch_fn=lambda x, a, _ddof=_ddof: torch.cov(
            x, correction=_ddof, fweights=torch.tensor(_FW), aweights=a
        ),
        float32=False,
        id=f"cov-fweights-aweights-ddof{_ddof}",
    )
case(
    "cov",
    lambda x: autobp.cov(x, fweights=_FW),
    arrays_of((2, 5)),
    numpy_fn=lambda x: np.cov(x, fweights=_FW),
    torch_fn=lambda x: torch.cov(x, fweights=torch.tensor(_FW)),
    float32=False,
    id="cov-fweights",
)
case(
    "corrcoef",
    autobp.corrcoef,
    arrays_of((3, 4)).filter(_uncorrelated),
    torch_fn=lambda x: torch.corrcoef(x),
    numpy_fn=np.corrcoef,
    float32=False,
)
