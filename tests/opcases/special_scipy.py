"""Op-table cases for the scipy.special functions jax.scipy.special offers beyond torch.special's:
exponential/trigonometric integrals, hypergeometric and gamma-ratio functions, convex losses and
Box-Cox, distribution functions, elliptic integrals, Struve, Lambert W, Faddeeva, Bessel K/J/Y of
real order and spherical harmonics. Values against scipy.special; gradients against finite
differences (domains clear of poles, kinks and branch cuts)."""

import numpy as np
import scipy.special as sc

import autobp.special as sp

from ..optable import binary, case, complexify, unary

for _name, _lo, _hi in (("exp1", 0.1, 5.0), ("dawsn", -4.0, 4.0), ("spence", 0.1, 3.0)):
    case(_name, getattr(sp, _name), unary(_lo, _hi), numpy_fn=getattr(sc, _name))
case("expi", sp.expi, unary(-4.0, 4.0, away=(0.0,), margin=0.1), numpy_fn=sc.expi)
case("expn", lambda x: sp.expn(1, x), unary(0.1, 5.0), numpy_fn=lambda x: sc.expn(1, x))
case("sici", sp.sici, unary(0.1, 5.0), numpy_fn=sc.sici)
case("shichi", sp.shichi, unary(0.1, 3.0), numpy_fn=sc.shichi)
case("fresnel", sp.fresnel, unary(-3.0, 3.0), numpy_fn=sc.fresnel)
case("hyp1f1", lambda x: sp.hyp1f1(0.7, 1.8, x), unary(-3.0, 3.0), numpy_fn=lambda x: sc.hyp1f1(0.7, 1.8, x))
case(
    "hyp2f1",
    lambda z: sp.hyp2f1(0.5, 1.2, 2.3, z),
    unary(-2.0, 0.8),
    numpy_fn=lambda z: sc.hyp2f1(0.5, 1.2, 2.3, z),
)
case("poch", sp.poch, binary(0.3, 3.0), numpy_fn=sc.poch)
case("special_binom", sp.binom, binary(2.0, 5.0, 0.1, 2.0), numpy_fn=sc.binom)
case("comb", sp.comb, binary(2.0, 5.0, 0.1, 2.0), numpy_fn=sc.comb)
case("factorial", sp.factorial, unary(0.1, 4.0), numpy_fn=sc.factorial)
case("rel_entr", sp.rel_entr, binary(0.1, 3.0), numpy_fn=sc.rel_entr)
case("kl_div", sp.kl_div, binary(0.1, 3.0), numpy_fn=sc.kl_div)
case(
    "huber",
    sp.huber,
    binary(0.5, 2.0, -3.0, 3.0, away=lambda d, r: bool(np.all(np.abs(np.abs(r) - d) > 0.02))),
    numpy_fn=sc.huber,
)
case("pseudo_huber", sp.pseudo_huber, binary(0.5, 2.0, -3.0, 3.0), numpy_fn=sc.pseudo_huber)
case("boxcox", sp.boxcox, binary(0.2, 3.0, -1.5, 1.5), numpy_fn=sc.boxcox)
# scipy's inv_boxcox is (1 + lmbda y)^(1 / lmbda), and autobp keeps its values: for 0 < |lmbda| below
# about 1e-10, 1 + lmbda y rounds to 1 and the value is flat in y (finite differences see 0 where the
# derivative, exp(y) as lmbda -> 0, is what the rule gives), so such lmbdas are left out
case(
    "inv_boxcox",
    sp.inv_boxcox,
    binary(-1.0, 1.0, -0.5, 0.5, away=lambda y, lm: bool(np.all((lm == 0) | (np.abs(lm) > 1e-6)))),
    numpy_fn=sc.inv_boxcox,
)
case("owens_t", sp.owens_t, binary(-2.0, 2.0), numpy_fn=sc.owens_t)
case("chdtr", lambda x: sp.chdtr(3.0, x), unary(0.1, 6.0), numpy_fn=lambda x: sc.chdtr(3.0, x))
case(
    "gdtr",
    lambda a, x: sp.gdtr(a, 2.5, x),
    binary(0.2, 3.0, 0.1, 4.0),
    numpy_fn=lambda a, x: sc.gdtr(a, 2.5, x),
)
case("pdtr", lambda m: sp.pdtr(3, m), unary(0.1, 6.0), numpy_fn=lambda m: sc.pdtr(3, m))
case("bdtr", lambda p: sp.bdtr(3, 7, p), unary(0.05, 0.95), numpy_fn=lambda p: sc.bdtr(3, 7, p))
case("nbdtr", lambda p: sp.nbdtr(3, 2.5, p), unary(0.05, 0.95), numpy_fn=lambda p: sc.nbdtr(3, 2.5, p))
case("kolmogorov", sp.kolmogorov, unary(0.0, 2.5), numpy_fn=sc.kolmogorov)
case("ellipk", sp.ellipk, unary(-2.0, 0.9), numpy_fn=sc.ellipk)
case("ellipe", sp.ellipe, unary(-2.0, 0.95), numpy_fn=sc.ellipe)
case("ellipkinc", sp.ellipkinc, binary(-1.5, 1.5, -1.0, 0.8), numpy_fn=sc.ellipkinc)
case("ellipeinc", sp.ellipeinc, binary(-1.5, 1.5, -1.0, 0.8), numpy_fn=sc.ellipeinc)
case("struve", lambda x: sp.struve(1.5, x), unary(0.2, 5.0), numpy_fn=lambda x: sc.struve(1.5, x))
case("lambertw", sp.lambertw, unary(-0.3, 3.0), numpy_fn=sc.lambertw, id="lambertw-real")
case(
    "lambertw",
    sp.lambertw,
    complexify(unary(0.1, 2.0), -1.0, 1.0),
    numpy_fn=sc.lambertw,
    complex=True,
    id="lambertw-complex",
)
case("wofz", sp.wofz, complexify(unary(-2.0, 2.0), -1.5, 2.0), numpy_fn=sc.wofz, complex=True)
for _name, _v, _lo in (("kv", 1.3, 0.2), ("kve", 0.6, 0.2), ("jve", 2.5, 0.1), ("yve", 1.5, 0.3)):
    case(
        _name,
        lambda x, name=_name, v=_v: getattr(sp, name)(v, x),
        unary(_lo, 6.0),
        numpy_fn=lambda x, name=_name, v=_v: getattr(sc, name)(v, x),
    )
case(
    "sph_harm_y",
    lambda t, p: sp.sph_harm_y(3, 2, t, p),
    binary(0.1, 3.0, -3.0, 3.0),
    numpy_fn=lambda t, p: sc.sph_harm_y(3, 2, t, p),
)
case(
    "sph_harm",
    lambda t, p: sp.sph_harm(-1, 2, t, p),
    binary(-3.0, 3.0, 0.1, 3.0),
    numpy_fn=lambda t, p: sc.sph_harm_y(2, -1, p, t),
)
case(
    "bessel_jn",
    lambda z: sp.bessel_jn(z, v=3),
    unary(-6.0, 6.0),
    numpy_fn=lambda z: sc.jv(np.arange(4).reshape((4,) + (1,) * np.ndim(z)), z),
)
