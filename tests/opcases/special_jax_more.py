"""Op-table cases for loggamma (real and complex), complex gamma and boxcox1p: values against scipy.special,
gradients against finite differences (domains clear of poles and the branch cut)."""

import scipy.special as sc

import autobp.special as sp

from ..optable import binary, case, complexify, unary

case("loggamma", sp.loggamma, unary(0.2, 5.0), numpy_fn=sc.loggamma, id="loggamma-real")
case(
    "loggamma",
    sp.loggamma,
    complexify(unary(0.2, 3.0), -2.0, 2.0),
    numpy_fn=sc.loggamma,
    complex=True,
    second_order=False,  # the complex rule is first order only
    id="loggamma-complex",
)
case(
    "gamma",
    sp.gamma,
    complexify(unary(0.2, 3.0), -2.0, 2.0),
    numpy_fn=sc.gamma,
    complex=True,
    second_order=False,
    id="gamma-complex",
)
case("boxcox1p", sp.boxcox1p, binary(-0.5, 3.0, -1.5, 1.5), numpy_fn=sc.boxcox1p)
