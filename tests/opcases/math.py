"""Op-table cases for the elementwise math of one tensor (autobp/ops/math.py): each against finite
differences, PyTorch and numpy (integer inputs too), on domains kept away from poles and jumps."""

import numpy as np
import scipy.special
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autobp

from ..optable import case, torch, unary


def _torch(name):
    return getattr(torch, name) if torch is not None else None


# (op, domain, PyTorch's name, numpy's function, integer inputs too)
_SMOOTH = [
    ("sin", unary(), "sin", np.sin, True),
    ("cos", unary(), "cos", np.cos, True),
    ("tan", unary(-1.4, 1.4), "tan", np.tan, True),
    ("arcsin", unary(-0.9, 0.9), "asin", np.arcsin, True),
    ("arccos", unary(-0.9, 0.9), "acos", np.arccos, True),
    ("arctan", unary(), "atan", np.arctan, True),
    ("sinh", unary(), "sinh", np.sinh, True),
    ("cosh", unary(), "cosh", np.cosh, True),
    ("arcsinh", unary(), "asinh", np.arcsinh, True),
    ("arccosh", unary(1.1, 4.0), "acosh", np.arccosh, True),
    ("arctanh", unary(-0.9, 0.9), "atanh", np.arctanh, True),
    ("log1p", unary(-0.8, 3.0), "log1p", np.log1p, True),
    ("expm1", unary(), "expm1", np.expm1, True),
    ("log2", unary(0.2, 4.0), "log2", np.log2, True),
    ("log10", unary(0.2, 4.0), "log10", np.log10, True),
    ("exp2", unary(), "exp2", np.exp2, True),
    ("square", unary(), "square", np.square, True),
    ("reciprocal", unary(away=(0.0,), margin=0.2), "reciprocal", np.reciprocal, False),
    ("rsqrt", unary(0.2, 4.0), "rsqrt", lambda a: 1.0 / np.sqrt(a), True),
    ("erf", unary(), "erf", scipy.special.erf, True),
    ("erfc", unary(), "erfc", scipy.special.erfc, True),
    ("erfinv", unary(-0.9, 0.9), "erfinv", scipy.special.erfinv, True),
    ("sinc", unary(away=(0.0,)), "sinc", np.sinc, True),
    ("deg2rad", unary(-200.0, 200.0), "deg2rad", np.deg2rad, True),
    ("radians", unary(-200.0, 200.0), "deg2rad", np.radians, True),
    ("rad2deg", unary(), "rad2deg", np.rad2deg, True),
    ("degrees", unary(), "rad2deg", np.degrees, True),
]
for _name, _inputs, _tname, _np, _ints in _SMOOTH:
    case(_name, getattr(autobp, _name), _inputs, torch_fn=_torch(_tname), numpy_fn=_np, ints=_ints)

# cbrt: PyTorch has none; its real cube root is sign(x) |x|^(1/3)
case(
    "cbrt",
    autobp.cbrt,
    unary(away=(0.0,), margin=0.1),
    torch_fn=lambda a: torch.sign(a) * torch.abs(a) ** (1.0 / 3.0),
    numpy_fn=np.cbrt,
    ints=True,
)

# reciprocal of integers is numpy's integer reciprocal (0 for |x| > 1): checked on nonzero integers
case(
    "reciprocal",
    autobp.reciprocal,
    unary(away=(0.0,), margin=0.6),
    numpy_fn=np.reciprocal,
    grad=False,
    ints=True,
    id="reciprocal-integers",
)

# piecewise constant: away from their jumps the gradient is 0, as PyTorch's
_INTEGERS = tuple(float(k) for k in range(-4, 5))
_HALVES = tuple(k + 0.5 for k in range(-4, 4))
for _name, _away in [("sign", (0.0,)), ("floor", _INTEGERS), ("ceil", _INTEGERS), ("trunc", _INTEGERS)]:
    case(
        _name,
        getattr(autobp, _name),
        unary(away=_away),
        torch_fn=_torch(_name),
        numpy_fn=getattr(np, _name),
        ints=True,
    )
case("rint", autobp.rint, unary(away=_HALVES), torch_fn=_torch("round"), numpy_fn=np.rint, ints=True)
case("fix", autobp.fix, unary(away=_INTEGERS), torch_fn=_torch("fix"), numpy_fn=np.fix, ints=True)
case("round", autobp.round, unary(away=_HALVES), torch_fn=_torch("round"), numpy_fn=np.round, ints=True)
case(
    "round",
    lambda x: x.round(decimals=1),
    unary(away=tuple(k / 10 + 0.05 for k in range(-31, 31)), margin=1e-3),
    torch_fn=lambda x: torch.round(x, decimals=1),
    numpy_fn=lambda a: np.round(a, 1),
    id="round-decimals",
)
case("around", autobp.around, unary(away=_HALVES), torch_fn=_torch("round"), numpy_fn=np.around, ints=True)

case(
    "logit",
    autobp.logit,
    unary(0.05, 0.95),
    torch_fn=_torch("logit"),
    numpy_fn=scipy.special.logit,
)
case(
    "logit",
    lambda x: autobp.logit(x, eps=0.1),
    unary(-0.5, 1.5, away=(0.1, 0.9)),
    torch_fn=lambda x: torch.logit(x, eps=0.1),
    id="logit-eps",
)

_special = st.sampled_from([np.nan, np.inf, -np.inf])
_with_nonfinite = st.one_of(_special, st.floats(-3.0, 3.0))
case(
    "nan_to_num",
    autobp.nan_to_num,
    unary(),
    torch_fn=_torch("nan_to_num"),
    numpy_fn=np.nan_to_num,
    ints=True,
)
case(
    "nan_to_num",
    lambda x: autobp.nan_to_num(x * 1.0, nan=2.0, posinf=5.0, neginf=-5.0),
    st.tuples(hnp.arrays(np.float64, (4,), elements=_with_nonfinite)),
    torch_fn=lambda x: torch.nan_to_num(x * 1.0, nan=2.0, posinf=5.0, neginf=-5.0),
    numpy_fn=lambda a: np.nan_to_num(a, nan=2.0, posinf=5.0, neginf=-5.0),
    grad=False,  # finite differences need finite inputs; the gradient there is checked against torch
    id="nan_to_num-nonfinite",
)
