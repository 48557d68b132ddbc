"""Op-table cases for the incomplete gamma/beta functions, Student's t CDF, beta/rgamma/gammasgn/
erfcinv and the Bessel functions J, Y, I of real order: values against scipy.special, gradients in x
against finite differences and, where PyTorch has the function with a gradient, against torch."""

import scipy.special as sc

import autobp.special as sp

from ..optable import binary, case, torch, unary

for _a in (0.7, 2.5):
    case(
        "gammainc",
        lambda x, a=_a: sp.gammainc(a, x),
        unary(0.05, 6.0),
        torch_fn=lambda x, a=_a: torch.special.gammainc(torch.full_like(x, a), x),
        numpy_fn=lambda x, a=_a: sc.gammainc(a, x),
        id=f"gammainc-a{_a}",
    )
    case(
        "gammaincc",
        lambda x, a=_a: sp.gammaincc(a, x),
        unary(0.05, 6.0),
        torch_fn=lambda x, a=_a: torch.special.gammaincc(torch.full_like(x, a), x),
        numpy_fn=lambda x, a=_a: sc.gammaincc(a, x),
        id=f"gammaincc-a{_a}",
    )
case(
    "betainc",
    lambda x: sp.betainc(1.5, 3.0, x),
    unary(0.02, 0.98),
    numpy_fn=lambda x: sc.betainc(1.5, 3.0, x),
)
case(
    "stdtr",
    lambda x: sp.stdtr(3.5, x),
    unary(-6.0, 6.0),
    numpy_fn=lambda x: sc.stdtr(3.5, x),
)
case(
    "beta",
    sp.beta,
    binary(0.3, 4.0),
    torch_fn=lambda a, b: torch.exp(torch.lgamma(a) + torch.lgamma(b) - torch.lgamma(a + b)),
    numpy_fn=sc.beta,
)
case(
    "rgamma",
    sp.rgamma,
    unary(-2.9, 4.0, away=(0.0, -1.0, -2.0), margin=0.1),
    numpy_fn=sc.rgamma,
)
case("gammasgn", sp.gammasgn, unary(-2.9, 4.0, away=(0.0, -1.0, -2.0)), numpy_fn=sc.gammasgn, grad=False)
case("erfcinv", sp.erfcinv, unary(0.05, 1.95), numpy_fn=sc.erfcinv)
for _name in ("j0", "j1"):
    case(_name, getattr(sp, _name), unary(-8.0, 8.0), numpy_fn=getattr(sc, _name))
for _name in ("y0", "y1"):
    case(_name, getattr(sp, _name), unary(0.3, 8.0), numpy_fn=getattr(sc, _name))
for _name, _v, _lo in (("jv", 2.5, 0.1), ("yv", 1.5, 0.3), ("iv", 1.5, 0.1), ("ive", 0.5, 0.1)):
    case(
        _name,
        lambda x, name=_name, v=_v: getattr(sp, name)(v, x),
        unary(_lo, 6.0),
        numpy_fn=lambda x, name=_name, v=_v: getattr(sc, name)(v, x),
        id=f"{_name}-{_v}",
    )
case(
    "ive", lambda x: sp.ive(2, x), unary(-6.0, 6.0, away=(0.0,)), numpy_fn=lambda x: sc.ive(2, x), id="ive-2"
)
for _name in ("jn", "yn"):
    case(
        _name,
        lambda x, name=_name: getattr(sp, name)(2, x),
        unary(0.3, 8.0),
        numpy_fn=lambda x, name=_name: getattr(sc, name)(2, x),
    )
