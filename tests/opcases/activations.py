"""Op-table cases for the activation functions (autobp/ops/activations.py, autobp.nn.functional),
against finite differences and torch.nn.functional, away from their kinks (tested on their own in
tests/test_semantics_elementwise.py)."""

import numpy as np
from hypothesis import strategies as st

from autobp.nn import functional as F

from ..optable import arrays_of, case, shapes, torch, unary

tf = torch.nn.functional if torch is not None else None


def _tf(name, **kw):
    return (lambda *xs: getattr(tf, name)(*xs, **kw)) if tf is not None else None


def _ours(name, **kw):
    return lambda *xs: getattr(F, name)(*xs, **kw)


# (op, options, domain)
_CASES = [
    ("gelu", {}, unary()),
    ("gelu", {"approximate": "tanh"}, unary()),
    ("silu", {}, unary(-6.0, 6.0)),
    ("mish", {}, unary(-6.0, 6.0)),
    ("elu", {}, unary(away=(0.0,))),
    ("elu", {"alpha": 0.5}, unary(away=(0.0,))),
    ("celu", {"alpha": 2.0}, unary(away=(0.0,))),
    ("selu", {}, unary(away=(0.0,))),
    ("leaky_relu", {}, unary(away=(0.0,))),
    ("leaky_relu", {"negative_slope": 0.2}, unary(away=(0.0,))),
    ("relu6", {}, unary(-2.0, 8.0, away=(0.0, 6.0))),
    ("hardtanh", {}, unary(away=(-1.0, 1.0))),
    ("hardtanh", {"min_val": -0.5, "max_val": 2.0}, unary(away=(-0.5, 2.0))),
    ("hardsigmoid", {}, unary(-5.0, 5.0, away=(-3.0, 3.0))),
    ("hardswish", {}, unary(-5.0, 5.0, away=(-3.0, 3.0))),
    ("logsigmoid", {}, unary(-30.0, 30.0)),
    ("softsign", {}, unary()),
    ("softplus", {}, unary(-30.0, 30.0, away=(20.0,))),
    ("softplus", {"beta": 2.0, "threshold": 3.0}, unary(away=(1.5,))),
    ("tanhshrink", {}, unary()),
    ("softshrink", {}, unary(away=(-0.5, 0.5))),
    ("softshrink", {"lambd": 1.0}, unary(away=(-1.0, 1.0))),
    ("hardshrink", {}, unary(away=(-0.5, 0.5))),
    ("threshold", {"threshold": 0.5, "value": -1.0}, unary(away=(0.5,))),
]
for _name, _kw, _inputs in _CASES:
    _id = _name + "".join(f"-{k}={v}" for k, v in _kw.items())
    case(_name, _ours(_name, **_kw), _inputs, torch_fn=_tf(_name, **_kw), id=_id)

for _axis in (0, -1):
    case(
        "softmin",
        _ours("softmin", dim=_axis),
        unary(min_dims=1, min_side=1),
        torch_fn=_tf("softmin", dim=_axis),
        id=f"softmin-dim{_axis}",
    )
case(
    "softmin",
    _ours("softmin"),
    unary(min_dims=1, min_side=1),
    torch_fn=_tf("softmin"),
    id="softmin-implicit-dim",
)

for _shape, _dim in [((3, 4), -1), ((4, 2), 0), ((2, 6, 1), 1), ((2,), 0)]:
    case(
        "glu",
        _ours("glu", dim=_dim),
        arrays_of(_shape),
        torch_fn=_tf("glu", dim=_dim),
        id=f"glu-{_shape}-{_dim}",
    )


def _off_zero(xs):
    """Entries moved off 0 (a kink of prelu and of the 1-norm; zero vectors are normalize's)."""
    return tuple(np.where(np.abs(x) < 0.05, 0.5, x) for x in xs)


# prelu: one slope per channel (axis 1) or one for all; the slopes get gradients too
for _xs, _ws in [((2, 3, 4), (3,)), ((2, 3), (3,)), ((2, 3, 2), (1,)), ((4,), (1,)), ((), (1,))]:
    case(
        "prelu",
        F.prelu,
        arrays_of(_xs, _ws).map(_off_zero),
        torch_fn=_tf("prelu"),
        id=f"prelu-{_xs}-{_ws}",
    )

# normalize: p-norms along an axis; a kink-free domain for p = 1 (|x| at 0)
_rows = st.sampled_from([(3, 4), (2, 3, 2)]).flatmap(lambda s: arrays_of(s)).map(_off_zero)
for _kw, _inputs in [
    ({}, _rows),
    ({"dim": 0}, _rows),
    ({"dim": 0, "eps": 1e-12}, arrays_of((5,)).map(_off_zero)),
    ({"p": 1.0, "dim": -1}, _rows.map(_off_zero)),
    ({"p": 3.0, "dim": (0, -1)}, _rows),
]:
    case(
        "normalize",
        _ours("normalize", **_kw),
        _inputs,
        torch_fn=_tf("normalize", **_kw),
        id="normalize" + "".join(f"-{k}={v}" for k, v in _kw.items()),
    )
case(
    "normalize",
    _ours("normalize", eps=1.0),
    shapes(min_dims=2, max_dims=2, min_side=1)
    .flatmap(lambda s: arrays_of(s, lo=-0.3, hi=0.3))
    .filter(lambda xs: bool(np.all(np.abs(np.sqrt((xs[0] ** 2).sum(1)) - 1.0) > 1e-2))),
    torch_fn=_tf("normalize", eps=1.0),
    id="normalize-below-eps",
)
