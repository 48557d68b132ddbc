"""Op-table cases for the scans: cumsum, cumprod, logcumsumexp, cummax, cummin, diff."""

import numpy as np

import autobp

from ..optable import arrays_of, case, shapes, torch, unary
from .reductions_more import distinct
from .statistics import nonzero, with_zeros

# (id, numpy axis): None scans the flattened tensor (PyTorch: flatten first)
SCAN_AXES = [("flat", None), ("0", 0), ("last", -1)]


def _torch_scan(fn, x, axis):
    return fn(x.reshape(-1), 0) if axis is None else fn(x, axis)


for name in ("cumsum", "cumprod"):
    for id_, axis in SCAN_AXES:
        nd = 0 if axis is None else 1
        inputs = [(nonzero(min_dims=nd), "")]
        if name == "cumprod":
            inputs.append((with_zeros(min_dims=nd), "-zeros"))
        for strategy, kind in inputs:
            case(
                name,
                lambda x, name=name, axis=axis: getattr(autobp, name)(x, axis=axis),
                strategy,
                torch_fn=lambda x, name=name, axis=axis: _torch_scan(getattr(torch, name), x, axis),
                numpy_fn=lambda x, name=name, axis=axis: getattr(np, name)(x, axis=axis),
                ints=True,
                id=f"{name}-{id_}{kind}",
            )
    case(
        name,
        lambda x, name=name: getattr(autobp, name)(x, dim=0, dtype=np.float64),
        nonzero(min_dims=1),
        torch_fn=lambda x, name=name: getattr(torch, name)(x, dim=0, dtype=torch.float64),
        float32=False,
        id=f"{name}-pytorch-dim-dtype",
    )

for id_, axis in SCAN_AXES:
    case(
        "logcumsumexp",
        lambda x, axis=axis: autobp.logcumsumexp(x, axis=axis),
        unary(-5.0, 5.0, min_dims=0 if axis is None else 1),
        torch_fn=lambda x, axis=axis: _torch_scan(torch.logcumsumexp, x, axis),
        id=f"logcumsumexp-{id_}",
    )
case(
    "logcumsumexp",
    lambda x: autobp.logcumsumexp(x, dim=-1),
    arrays_of((2, 3), lo=-800.0, hi=800.0),  # exp overflows: computed in log space
    torch_fn=lambda x: torch.logcumsumexp(x, -1),
    float32=False,
    id="logcumsumexp-large",
)

for name in ("cummax", "cummin"):
    for id_, axis in SCAN_AXES:
        case(
            name,
            lambda x, name=name, axis=axis: getattr(autobp, name)(x, axis=axis),
            distinct(min_dims=0 if axis is None else 1),  # ties in the table's cases: see test_semantics
            torch_fn=lambda x, name=name, axis=axis: tuple(_torch_scan(getattr(torch, name), x, axis)),
            id=f"{name}-{id_}",
        )

for n, axis, extra in [(1, -1, None), (2, 0, None), (1, 0, "prepend"), (3, -1, "append"), (0, -1, None)]:
    if extra is None:
        case(
            "diff",
            lambda x, n=n, axis=axis: autobp.diff(x, n=n, axis=axis),
            unary(min_dims=1),
            torch_fn=lambda x, n=n, axis=axis: torch.diff(x, n=n, dim=axis),
            numpy_fn=lambda x, n=n, axis=axis: np.diff(x, n=n, axis=axis),
            ints=True,
            id=f"diff-n{n}-axis{axis}",
        )
        continue
    case(
        "diff",
        lambda x, e, n=n, axis=axis, extra=extra: autobp.diff(x, n=n, axis=axis, **{extra: e}),
        shapes(min_dims=2, max_dims=2).flatmap(
            lambda s, axis=axis: arrays_of(s, tuple(2 if i == axis % 2 else m for i, m in enumerate(s)))
        ),
        torch_fn=lambda x, e, n=n, axis=axis, extra=extra: torch.diff(x, n=n, dim=axis, **{extra: e}),
        numpy_fn=lambda x, e, n=n, axis=axis, extra=extra: np.diff(x, n=n, axis=axis, **{extra: e}),
        ints=True,
        id=f"diff-{extra}",
    )
case(
    "diff",
    lambda x: autobp.diff(x > 0),
    unary(min_dims=1),
    numpy_fn=lambda x: np.diff(x > 0),
    grad=False,
    id="diff-bool",
)
