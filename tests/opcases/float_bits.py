"""Op-table cases for float parts and integer bits (modf, frexp, ldexp, spacing, nextafter, heaviside,
gcd, lcm, bitwise_count, packbits, unpackbits), numpy's window functions and the array constructors
that pass a Tensor through (asarray_chkfinite, ascontiguousarray, asfortranarray, require)."""

import numpy as np

import autobp
from autobp.ops import DECLS

from ..optable import binary, case, torch, unary
from .numpy_arrays import fixed

_INTS = (-2.0, -1.0, 0.0, 1.0, 2.0)
case(
    "modf",
    autobp.modf,
    unary(away=_INTS),
    torch_fn=lambda x: (torch.frac(x), torch.trunc(x)),
    numpy_fn=np.modf,
    ints=True,
)
_POWERS = (-2.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 2.0)  # where the exponent jumps
case("frexp", autobp.frexp, unary(away=_POWERS), torch_fn=torch.frexp, numpy_fn=np.frexp, ints=True)
_N = np.array([[1, -2, 0], [3, 1, -1]])
case(
    "ldexp",
    lambda x: autobp.ldexp(x, _N),
    fixed((2, 3), (1, 3), (3,)),
    torch_fn=lambda x: torch.ldexp(x, torch.tensor(_N, dtype=x.dtype)),  # int exponents: torch's 2**-2 is 0
    numpy_fn=lambda x: np.ldexp(x, _N),
    ints=True,
)
case("spacing", autobp.spacing, unary(), numpy_fn=np.spacing, grad=False)
case(
    "nextafter",
    autobp.nextafter,
    binary(away=lambda a, b: np.all(np.abs(np.subtract(a, b)) > 1e-2)),  # ties: tests/test_nextafter_grad.py
    torch_fn=torch.nextafter,
    numpy_fn=np.nextafter,
)
case(
    "heaviside",
    lambda a, b: autobp.heaviside(autobp.round(a), b),  # rounded: zeros occur, where x2 is the value
    binary(),
    torch_fn=lambda a, b: torch.heaviside(torch.round(a), b),
    numpy_fn=lambda a, b: np.heaviside(np.round(a), b),
    grad=False,
    ints=True,
)


def _ints(lib, x, scale=5):
    if lib is np:
        return np.round(x * scale).astype(np.int64)
    if lib is torch:
        return torch.round(x * scale).long()
    return autobp.astype(autobp.round(x * scale), np.int64)


for _name in ("gcd", "lcm"):
    case(
        _name,
        lambda a, b, n=_name: getattr(autobp, n)(_ints(autobp, a), _ints(autobp, b)),
        binary(),
        torch_fn=lambda a, b, n=_name: getattr(torch, n)(_ints(torch, a), _ints(torch, b)),
        numpy_fn=lambda a, b, n=_name: getattr(np, n)(_ints(np, a), _ints(np, b)),
        grad=False,
    )
case(
    "bitwise_count",
    lambda x: autobp.bitwise_count(_ints(autobp, x, 100)),
    unary(),
    numpy_fn=lambda x: np.bitwise_count(_ints(np, x, 100)),
    grad=False,
)
case(
    "packbits",
    lambda x: autobp.packbits(x > 0, axis=-1),
    unary(min_dims=1),
    numpy_fn=lambda x: np.packbits(x > 0, axis=-1),
    grad=False,
    ints=True,
)
case(
    "packbits",
    lambda x: autobp.packbits(x > 0, bitorder="little"),
    unary(),
    numpy_fn=lambda x: np.packbits(x > 0, bitorder="little"),
    grad=False,
    id="packbits-flat-little",
)
case(
    "unpackbits",
    lambda x: autobp.unpackbits(autobp.astype(autobp.abs(_ints(autobp, x, 80)), np.uint8), axis=0, count=5),
    unary(min_dims=1, min_side=1),  # numpy pads an empty input with uninitialised memory
    numpy_fn=lambda x: np.unpackbits(np.abs(_ints(np, x, 80)).astype(np.uint8), axis=0, count=5),
    grad=False,
)
for _name, _args in [
    ("bartlett", ()),
    ("blackman", ()),
    ("hamming", ()),
    ("hanning", ()),
    ("kaiser", (4.0,)),
]:
    case(
        _name,
        lambda x, n=_name, a=_args: DECLS[n].fn(x.shape[0], *a),
        fixed((0,), (1,), (2,), (5,)),
        numpy_fn=lambda x, n=_name, a=_args: getattr(np, n)(x.shape[0], *a),
        grad=False,
    )

# --- constructors that pass a Tensor through: the gradient is the identity's ---------------------
case(
    "asarray_chkfinite",
    autobp.asarray_chkfinite,
    unary(),
    torch_fn=lambda x: x,
    numpy_fn=np.asarray_chkfinite,
    ints=True,
)
case(
    "ascontiguousarray",
    lambda x: autobp.ascontiguousarray(x.T),
    unary(),
    torch_fn=lambda x: x.T.contiguous().reshape(x.T.shape or (1,)),
    numpy_fn=lambda x: np.ascontiguousarray(x.T),
    ints=True,
)
case(
    "asfortranarray",
    autobp.asfortranarray,
    unary(),
    numpy_fn=np.asfortranarray,
    ints=True,
)
case(
    "require",
    lambda x: autobp.require(x, None, ["C", "A"]),
    unary(),
    numpy_fn=lambda x: np.require(x, None, ["C", "A"]),
    ints=True,
)
case(
    "array_equiv",
    lambda a, b: autobp.tensor(autobp.array_equiv(autobp.round(a), autobp.round(b))),
    binary(lo=-1, hi=1),
    numpy_fn=lambda a, b: np.array_equiv(np.round(a), np.round(b)),
    grad=False,
    ints=True,
)
