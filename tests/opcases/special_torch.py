"""Op-table cases for torch.special's functions autobp.special adds (K Bessel functions, spherical
j_n, Airy Ai, entr, erfcx, Hurwitz zeta, the orthogonal polynomials): values against scipy.special,
gradients against finite differences and, where PyTorch has a gradient, against torch. Values of the
torch-only ones against torch: tests/test_special_torch.py."""

import numpy as np
import scipy.special as sc

import autobp.special as sp

from ..optable import array, binary, case, torch, unary

for _name in ("k0", "k1", "k0e", "k1e"):
    case(_name, getattr(sp, _name), unary(0.2, 6.0), numpy_fn=getattr(sc, _name))


def _spherical_jn(n, x):
    # scipy answers nan at subnormal x for n > 0, where the value, x^n / (2n+1)!!, underflows to 0
    return np.where((n > 0) & (np.abs(x) < 1e-300), 0.0, sc.spherical_jn(n, x))


for _n in (0, 1, 3):
    case(
        "spherical_jn",
        lambda x, n=_n: sp.spherical_jn(n, x),
        unary(-6.0, 6.0),
        numpy_fn=lambda x, n=_n: _spherical_jn(n, x),
        id=f"spherical_jn-{_n}",
    )
case("airy_ai", sp.airy_ai, unary(-5.0, 3.0), numpy_fn=lambda x: sc.airy(x)[0])
case("entr", sp.entr, unary(0.05, 4.0), torch_fn=lambda x: torch.special.entr(x), numpy_fn=sc.entr)
case("erfcx", sp.erfcx, unary(-2.0, 8.0), torch_fn=lambda x: torch.special.erfcx(x), numpy_fn=sc.erfcx)
for _s in (2.0, 3.5):
    case(
        "zeta",
        lambda q, s=_s: sp.zeta(s, q),
        unary(0.3, 5.0),
        torch_fn=lambda q, s=_s: torch.special.zeta(torch.full_like(q, s), q),
        numpy_fn=lambda q, s=_s: sc.zeta(s, q),
        id=f"zeta-{_s}",
    )

# in x as well (JAX's; torch.special.zeta has no x-derivative, so no torch_fn)
case("zeta", sp.zeta, binary(1.5, 6.0, 0.3, 5.0), numpy_fn=sc.zeta, id="zeta-x-q")

# degree n -> (domain, scipy's values or None)
_POLYS = {
    "chebyshev_polynomial_t": ((-1.5, 1.5), sc.eval_chebyt),
    "chebyshev_polynomial_u": ((-1.5, 1.5), sc.eval_chebyu),
    "chebyshev_polynomial_v": ((-1.5, 1.5), None),
    "chebyshev_polynomial_w": ((-1.5, 1.5), None),
    "shifted_chebyshev_polynomial_t": ((-0.2, 1.2), sc.eval_sh_chebyt),
    "shifted_chebyshev_polynomial_u": ((-0.2, 1.2), sc.eval_sh_chebyu),
    "shifted_chebyshev_polynomial_v": ((-0.2, 1.2), None),
    "shifted_chebyshev_polynomial_w": ((-0.2, 1.2), None),
    "hermite_polynomial_h": ((-2.0, 2.0), sc.eval_hermite),
    "hermite_polynomial_he": ((-2.0, 2.0), sc.eval_hermitenorm),
    "laguerre_polynomial_l": ((-1.0, 5.0), sc.eval_laguerre),
    "legendre_polynomial_p": ((-1.5, 1.5), sc.eval_legendre),
}
for _name, ((_lo, _hi), _ref) in _POLYS.items():
    for _n in (0, 1, 4):
        case(
            _name,
            lambda x, name=_name, n=_n: getattr(sp, name)(x, n),
            unary(_lo, _hi),
            numpy_fn=None if _ref is None else (lambda x, ref=_ref, n=_n: ref(n, x)),
            id=f"{_name}-{_n}",
        )
    # a tensor of degrees broadcasting against x (including a negative one: 0, PyTorch's convention)
    case(
        _name,
        lambda x, name=_name: getattr(sp, name)(x, np.array([-1, 2, 3])),
        array((2, 3), _lo, _hi).map(lambda a: (a,)),
        id=f"{_name}-degrees",
    )
