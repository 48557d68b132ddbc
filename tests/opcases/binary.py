"""Op-table cases for the elementwise functions of two tensors (autobp/ops/binary.py), on domains
away from their jumps and poles; the special points themselves are in test_semantics_elementwise.py."""

import numpy as np
import scipy.special
from hypothesis import strategies as st

import autobp

from ..optable import array, arrays_of, binary, case, shapes, torch

_apart = lambda a, b: bool(np.all(np.abs(a - b) > 1e-2))  # noqa: E731  no ties
_off_origin = lambda a, b: bool(np.all(a * a + b * b > 1e-2))  # noqa: E731
_off_zero = lambda a, b: bool(np.all(np.abs(a) > 1e-2) and np.all(np.abs(b) > 1e-2))  # noqa: E731


def _torch(name):
    return getattr(torch, name) if torch is not None else None


case(
    "arctan2",
    autobp.arctan2,
    binary(away=_off_origin),
    torch_fn=_torch("atan2"),
    numpy_fn=np.arctan2,
    ints=True,
)
case("hypot", autobp.hypot, binary(away=_off_origin), torch_fn=_torch("hypot"), numpy_fn=np.hypot, ints=True)
case("logaddexp", autobp.logaddexp, binary(), torch_fn=_torch("logaddexp"), numpy_fn=np.logaddexp, ints=True)
case(
    "logaddexp2",
    autobp.logaddexp2,
    binary(),
    torch_fn=_torch("logaddexp2"),
    numpy_fn=np.logaddexp2,
    ints=True,
)
case(
    "copysign",
    autobp.copysign,
    binary(away=_off_zero),
    torch_fn=_torch("copysign"),
    numpy_fn=np.copysign,
    ints=True,
)
case(
    "xlogy", autobp.xlogy, binary(lo2=0.2), torch_fn=_torch("xlogy"), numpy_fn=scipy.special.xlogy, ints=True
)
case(
    "float_power",
    autobp.float_power,
    binary(lo=0.5, hi=2.0, lo2=-2.0, hi2=2.0, away=lambda a, b: bool(np.all(np.abs(b) > 1e-2))),
    torch_fn=_torch("float_power"),
    numpy_fn=np.float_power,
    ints=True,
    float32=False,  # float64 whatever the inputs, as numpy and PyTorch
)
case("fmax", autobp.fmax, binary(away=_apart), torch_fn=_torch("fmax"), numpy_fn=np.fmax, ints=True)
case("fmin", autobp.fmin, binary(away=_apart), torch_fn=_torch("fmin"), numpy_fn=np.fmin, ints=True)


# --- remainders: quotients kept 0.05 away from integers (where they jump), divisors away from 0 ------
def _off_jumps(ab):
    u, v = ab
    b = np.where(v >= 0, v + 0.5, v - 0.5)  # |b| >= 0.5
    q = np.floor(u) + 0.05 + 0.9 * (u - np.floor(u))  # a / b has a fractional part in [0.05, 0.95]
    return q * b, b


def _off_jumps_scalar(ab):
    a, b = _off_jumps((ab[0], np.broadcast_to(ab[1], ab[0].shape)))
    return a, np.array(b.flat[0]) if b.size else np.where(ab[1] >= 0, ab[1] + 0.5, ab[1] - 0.5)


_same_shape = shapes().flatmap(lambda s: arrays_of(s, s)).map(_off_jumps)
_scalar_divisor = shapes().flatmap(lambda s: st.tuples(array(s), array(()))).map(_off_jumps_scalar)
for _name, _fn, _tfn, _nfn in [
    ("fmod", autobp.fmod, _torch("fmod"), np.fmod),
    ("remainder", autobp.remainder, _torch("remainder"), np.remainder),
    ("mod", autobp.mod, _torch("remainder"), np.mod),
]:
    case(_name, _fn, _same_shape, torch_fn=_tfn, numpy_fn=_nfn, ints=True)
case("remainder", lambda a, b: a % b, _same_shape, torch_fn=lambda a, b: a % b, id="remainder-operator")
case(
    "remainder",
    lambda a, b: [a % b, 1.5 % b, a % 2.5, 7 % b],
    binary(lo2=0.5),
    numpy_fn=lambda a, b: [a % b, 1.5 % b, a % 2.5, 7 % b],
    grad=False,
    ints=True,
    id="remainder-operators",
)
case(
    "remainder",
    lambda a, b: autobp.remainder(a * 1.0, b) * 2.0,
    _scalar_divisor,
    torch_fn=lambda a, b: torch.remainder(a * 1.0, b) * 2.0,
    id="remainder-broadcast",
)
case(
    "floor_divide",
    autobp.floor_divide,
    binary(lo2=0.5),
    torch_fn=_torch("floor_divide"),
    numpy_fn=np.floor_divide,
    grad=False,
    ints=True,
)
case(
    "floor_divide",
    lambda a, b: list(divmod(a, b)) + [a // 1.5, 7.0 // b],
    binary(lo2=0.5),
    numpy_fn=lambda a, b: list(divmod(a, b)) + [a // 1.5, 7.0 // b],
    grad=False,
    ints=True,
    id="floor_divide-operators",
)

# --- lerp: a scalar weight, or a Tensor weight that gets its gradient -------------------------------
case(
    "lerp",
    lambda s, e: autobp.lerp(s, e, 0.3) + s.lerp(e, 0.75),
    binary(),
    torch_fn=lambda s, e: torch.lerp(s, e, 0.3) + s.lerp(e, 0.75),
)
case(
    "lerp",
    autobp.lerp,
    shapes().flatmap(lambda s: arrays_of(s, (), s, lo=-1.5, hi=1.5)).map(lambda t: (t[0], t[2], t[1])),
    torch_fn=torch.lerp if torch is not None else None,
    id="lerp-tensor-weight",
)
