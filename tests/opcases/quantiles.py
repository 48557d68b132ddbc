"""Op-table cases for the quantile methods (lower, higher, nearest, midpoint, and PyTorch's
``interpolation=`` spelling) and the NaN-ignoring nanquantile, nanpercentile and nanmedian."""

import numpy as np
from hypothesis import strategies as st

import autobp

from ..optable import case, torch
from .reductions_more import distinct
from .statistics import ONE_AXIS, with_nans


def _torch_one(fn, x, axis, keep, *args, **kwargs):
    """PyTorch's quantile over one dim (or the flattened tensor for axis None)."""
    if axis is None:
        return fn(x.reshape(-1), *args, **kwargs)
    return fn(x, *args, dim=axis, keepdim=keep, **kwargs)


for method, (id_, axis, keep) in zip(("lower", "higher", "nearest", "midpoint"), ONE_AXIS + ONE_AXIS[:1]):
    nd = 0 if axis is None else 1
    for q in (0.3, [0.0, 0.5, 0.625, 1.0]):  # 0.5 and 0.625 of 5 or 9 elements: a tie for nearest
        qid = "scalar" if isinstance(q, float) else "array"
        case(
            "quantile",
            lambda x, q=q, m=method, axis=axis, keep=keep: autobp.quantile(
                x, q, axis=axis, keepdims=keep, method=m
            ),
            distinct(min_dims=nd, min_side=1),
            torch_fn=lambda x, q=q, m=method, axis=axis, keep=keep: _torch_one(
                torch.quantile, x, axis, keep, torch.tensor(q, dtype=x.dtype), interpolation=m
            ),
            numpy_fn=lambda x, q=q, m=method, axis=axis, keep=keep: np.quantile(
                x, q, axis=axis, keepdims=keep, method=m
            ),
            float32=isinstance(q, float),
            ints=True,
            id=f"quantile-{method}-{qid}-{id_}",
        )
case(
    "percentile",
    lambda x: autobp.percentile(x, [10.0, 90.0], axis=-1, interpolation="nearest"),
    distinct(min_dims=1, min_side=1),
    torch_fn=lambda x: torch.quantile(
        x, torch.tensor([0.1, 0.9], dtype=x.dtype), dim=-1, interpolation="nearest"
    ),
    numpy_fn=lambda x: np.percentile(x, [10.0, 90.0], axis=-1, method="nearest"),
    float32=False,
    id="percentile-interpolation-nearest",
)

for name, q, tq in (("nanquantile", 0.3, 0.3), ("nanpercentile", 70.0, 0.7), ("nanmedian", None, 0.5)):
    args = () if q is None else (q,)
    for (id_, axis, keep), nans in ((ONE_AXIS[0], False), (ONE_AXIS[2], False), (ONE_AXIS[2], True)):
        nd = 0 if axis is None else 1
        case(
            name,
            lambda x, name=name, args=args, axis=axis, keep=keep: getattr(autobp, name)(
                x, *args, axis=axis, keepdims=keep
            ),
            with_nans(distinct, min_dims=nd, min_side=1) if nans else distinct(min_dims=nd, min_side=1),
            torch_fn=lambda x, tq=tq, axis=axis, keep=keep: _torch_one(torch.nanquantile, x, axis, keep, tq),
            numpy_fn=lambda x, name=name, args=args, axis=axis, keep=keep: getattr(np, name)(
                x, *args, axis=axis, keepdims=keep
            ),
            grad=not nans,  # with NaNs: the gradient against torch in tests/test_quantile_methods.py
            ints=not nans,  # NaN has no integer form
            id=f"{name}-{id_}" + ("-nan" if nans else ""),
        )


def _with_q(name):
    """(x, q): q a differentiable array of two levels whose ranks q (n - 1) along the last axis sit
    between two positions (finite differences in q mean nothing at an exact rank)."""
    scale = 100.0 if name.endswith("percentile") else 1.0

    def add_q(xs):
        n = xs[0].shape[-1]
        frac = st.floats(0.1, 0.9).flatmap(lambda f: st.integers(0, n - 2).map(lambda k: (k + f) / (n - 1)))
        return st.lists(frac, min_size=2, max_size=2).map(lambda q: (xs[0], np.array(q) * scale))

    return distinct(min_dims=1, min_side=2).flatmap(add_q)


for name, tname in (("quantile", "quantile"), ("nanquantile", "nanquantile"), ("percentile", "quantile")):
    case(
        name,
        lambda x, q, name=name: getattr(autobp, name)(x, q, axis=-1),
        _with_q(name),
        # torch.quantile's derivative in q (the gap between the two neighbours times n - 1)
        torch_fn=lambda x, q, tname=tname, name=name: getattr(torch, tname)(
            x, q / (100.0 if name == "percentile" else 1.0), dim=-1
        ),
        numpy_fn=lambda x, q, name=name: getattr(np, name)(x, q, axis=-1),
        id=f"{name}-differentiable-q",
    )

for _method in ("hazen", "inverted_cdf", "averaged_inverted_cdf", "median_unbiased"):
    case(  # numpy's other methods: numpy's values; the gradient to the elements each value is made of
        "quantile",
        lambda x, m=_method: autobp.quantile(x, [0.2, 0.65], axis=-1, method=m),
        distinct(min_dims=1, min_side=2),
        numpy_fn=lambda x, m=_method: np.quantile(x, [0.2, 0.65], axis=-1, method=m),
        float32=False,
        id=f"quantile-method-{_method}",
    )
