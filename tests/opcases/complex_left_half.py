"""Op-table cases on complex inputs with negative real parts, where a derivative written as
1/sqrt(z^2 - 1) takes the wrong branch (arccosh's did; found by JAX's lax_numpy gradient tests)."""

import numpy as np

import autobp

from ..optable import case, torch
from .complex import C, cunary

case(
    "arccosh",
    autobp.arccosh,
    cunary(-2.0, -0.2, keep=lambda z: bool(np.all(np.abs(z.imag) > 0.1))),
    torch_fn=lambda z: torch.acosh(z),
    numpy_fn=np.arccosh,
    id="arccosh_complex_left_half",
    **C,
)
case(
    "sign",
    autobp.sign,
    cunary(-2.0, 2.0, keep=lambda z: bool(np.all(np.abs(z) > 0.1))),
    torch_fn=lambda z: torch.sgn(z),
    numpy_fn=np.sign,
    id="sign_complex",
    **C,
)
