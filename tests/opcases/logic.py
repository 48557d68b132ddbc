"""Op-table cases for predicates and logical/bitwise ops (autobp/ops/logic.py): values and dtypes
against numpy (integer inputs too) and PyTorch; none has a gradient."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autobp
from autobp import Tensor

from ..optable import binary, case, shapes, torch, unary

_with_specials = st.one_of(st.sampled_from([np.nan, np.inf, -np.inf, 0.0, -0.0]), st.floats(-3.0, 3.0))
_nonfinite = hnp.arrays(np.float64, shapes(), elements=_with_specials).map(lambda a: (a,))
_small_ints = binary(-3, 3).map(lambda ab: tuple(np.round(x) for x in ab))  # zeros and ties included
# pairs equal, nearly equal or not: isclose's three answers
_near = binary().flatmap(
    lambda ab: st.sampled_from([ab, (ab[0], ab[0] + 1e-9 * ab[1]), (ab[0], ab[0] + 1e-3 * ab[1])])
)


def _torch(name):
    return getattr(torch, name) if torch is not None else None


for _name in ("isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit"):
    _fn, _np = getattr(autobp, _name), getattr(np, _name)
    case(_name, _fn, _nonfinite, torch_fn=_torch(_name), numpy_fn=_np, grad=False)
    case(_name, _fn, unary(), numpy_fn=_np, grad=False, ints=True, id=f"{_name}-finite")

case("isclose", autobp.isclose, _near, torch_fn=_torch("isclose"), numpy_fn=np.isclose, grad=False, ints=True)
case(
    "isclose",
    lambda a, b: autobp.isclose(a, b, rtol=0.1, atol=0.5, equal_nan=True),
    _near.map(lambda ab: (np.where(ab[0] > 2, np.nan, ab[0]), np.where(ab[1] > 2, np.nan, ab[1]))),
    torch_fn=lambda a, b: torch.isclose(a, b, rtol=0.1, atol=0.5, equal_nan=True),
    numpy_fn=lambda a, b: np.isclose(a, b, rtol=0.1, atol=0.5, equal_nan=True),
    grad=False,
    id="isclose-tolerances-nan",
)
case(
    "allclose",
    lambda a, b: Tensor(autobp.allclose(a, b), dtype=bool),
    _near,
    numpy_fn=lambda a, b: np.asarray(np.allclose(a, b)),
    grad=False,
    ints=True,
)
case(
    "array_equal",
    lambda a, b: Tensor(autobp.array_equal(a, b), dtype=bool),
    st.one_of(binary(), unary().map(lambda a: (a[0], a[0].copy()))),
    numpy_fn=lambda a, b: np.asarray(np.array_equal(a, b)),
    grad=False,
    ints=True,
)

for _name in ("logical_and", "logical_or", "logical_xor"):
    case(
        _name,
        getattr(autobp, _name),
        _small_ints,
        torch_fn=_torch(_name),
        numpy_fn=getattr(np, _name),
        grad=False,
        ints=True,
    )
case(
    "logical_not",
    autobp.logical_not,
    unary().map(lambda a: (np.round(a[0]),)),
    torch_fn=_torch("logical_not"),
    numpy_fn=np.logical_not,
    grad=False,
    ints=True,
)


# bitwise ops take integers and booleans only: the cases cast (the table draws floats)
def _ints(*xs):
    return [x.astype(np.int64) for x in xs]


def _bools(*xs):
    return [x > 0 for x in xs]


for _name, _symbol_fn in [
    ("bitwise_and", lambda a, b: a & b),
    ("bitwise_or", lambda a, b: a | b),
    ("bitwise_xor", lambda a, b: a ^ b),
]:
    _fn, _np = getattr(autobp, _name), getattr(np, _name)
    for _cast in (_ints, _bools):
        _kind = _cast.__name__[1:]
        case(
            _name,
            lambda a, b, f=_fn, c=_cast: f(*c(a, b)),
            _small_ints,
            numpy_fn=lambda a, b, f=_np, c=_cast: f(*c(a, b)),
            grad=False,
            id=f"{_name}-{_kind}",
        )
        case(
            _name,
            lambda a, b, f=_symbol_fn, c=_cast: [f(*c(a, b)), f(c(a)[0], 2), f(True, c(b)[0])],
            _small_ints,
            numpy_fn=lambda a, b, f=_symbol_fn, c=_cast: [f(*c(a, b)), f(c(a)[0], 2), f(True, c(b)[0])],
            grad=False,
            id=f"{_name}-{_kind}-operator",
        )
for _cast in (_ints, _bools):
    _kind = _cast.__name__[1:]
    case(
        "invert",
        lambda a, c=_cast: [autobp.invert(*c(a)), ~c(a)[0], autobp.bitwise_not(*c(a))],
        _small_ints.map(lambda ab: ab[:1]),
        numpy_fn=lambda a, c=_cast: [np.invert(*c(a)), ~c(a)[0], np.bitwise_not(*c(a))],
        grad=False,
        id=f"invert-{_kind}",
    )


def _shift_args(a, b):
    """Integer values and non-negative shift amounts below the bit width (numpy and C leave larger
    shifts undefined)."""
    return a.astype(np.int64), (np.abs(b) % 8).astype(np.int64)


for _name, _symbol_fn in [("left_shift", lambda a, b: a << b), ("right_shift", lambda a, b: a >> b)]:
    _fn, _np = getattr(autobp, _name), getattr(np, _name)
    case(
        _name,
        lambda a, b, f=_fn, s=_symbol_fn: [
            f(*_shift_args(a, b)),
            s(*_shift_args(a, b)),
            s(_shift_args(a, b)[0], 2),
            s(3, _shift_args(a, b)[1]),
        ],
        _small_ints,
        numpy_fn=lambda a, b, f=_np, s=_symbol_fn: [
            f(*_shift_args(a, b)),
            s(*_shift_args(a, b)),
            s(_shift_args(a, b)[0], 2),
            s(3, _shift_args(a, b)[1]),
        ],
        grad=False,
        id=f"{_name}-operator",
    )
