"""Op-table cases on complex inputs for the ops whose rules were made right for complex numbers after
the first set (tests/opcases/complex.py): logaddexp, float_power, logsumexp, logcumsumexp, softsign,
tanhshrink. Finite differences on the real and imaginary parts, second order, PyTorch's values and
gradients, complex64 kept."""

import numpy as np

import autobp

from ..optable import arrays_of, binary, case, complexify, torch, unary

C = {"complex": True}
NF = autobp.nn.functional


def _cunary(keep=None, im=2.0, **shape_options):
    return complexify(unary(-2.0, 2.0, **shape_options), -im, im, keep=keep)


# sums of exp(z) with |Im z| < 1 have arguments in (-1, 1): away from the cut of the log on the
# negative real axis, where numpy's and PyTorch's signs of a zero imaginary part may differ
_SUMS = 1.0


def _far_from_zero(*zs):  # |z| has a kink at 0
    return all(bool(np.all(np.abs(z) > 0.1)) for z in zs)


case(
    "logaddexp",
    autobp.logaddexp,
    complexify(binary(-2.0, 2.0), -_SUMS, _SUMS),
    torch_fn=lambda a, b: torch.logaddexp(a, b),
    id="logaddexp_complex",
    **C,
)
case(
    "float_power",
    autobp.float_power,
    complexify(binary(0.5, 2.0, -1.0, 1.0), -1.0, 1.0),  # Re > 0: away from the cut of the log
    torch_fn=lambda a, b: torch.float_power(a, b),
    numpy_fn=np.float_power,
    float32=False,  # complex128 whatever the inputs, as numpy's and PyTorch's
    id="float_power_complex",
    **C,
)
for _kw, _tkw in [
    ({}, {"dim": (0, 1)}),
    ({"axis": 0}, {"dim": 0}),
    ({"axis": -1, "keepdims": True}, {"dim": -1, "keepdim": True}),
]:
    case(
        "logsumexp",
        lambda z, kw=_kw: autobp.logsumexp(z, **kw),
        complexify(arrays_of((2, 3)), -_SUMS, _SUMS),
        torch_fn=lambda z, kw=_tkw: torch.logsumexp(z, **kw),
        id=f"logsumexp_complex-{_kw}",
        **C,
    )
for _axis in (0, -1):
    case(
        "logcumsumexp",
        lambda z, a=_axis: autobp.logcumsumexp(z, axis=a),
        _cunary(im=_SUMS, min_dims=2, max_dims=2, min_side=1),
        torch_fn=lambda z, a=_axis: torch.logcumsumexp(z, a),
        id=f"logcumsumexp_complex-{_axis}",
        **C,
    )
case(
    "softsign",
    NF.softsign,
    _cunary(keep=_far_from_zero),
    torch_fn=lambda z: torch.nn.functional.softsign(z),
    id="softsign_complex",
    **C,
)
case(
    "tanhshrink",
    NF.tanhshrink,
    complexify(unary(-2.0, 2.0), -1.0, 1.0),  # |Im| < pi/2: away from the poles of tanh
    torch_fn=lambda z: torch.nn.functional.tanhshrink(z),
    id="tanhshrink_complex",
    **C,
)


def _not_close(*zs):  # real_if_close's switch: away from it, the identity (at it, the real part)
    return all(z.size == 0 or bool(np.any(np.abs(z.imag) > 0.1)) for z in zs)


case(
    "real_if_close",
    autobp.real_if_close,
    _cunary(keep=_not_close),
    numpy_fn=np.real_if_close,
    id="real_if_close_complex",
    **C,
)
case("real_if_close", autobp.real_if_close, unary(), numpy_fn=np.real_if_close, ints=True)
