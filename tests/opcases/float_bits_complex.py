"""Op-table cases for ldexp with complex operands (``complex=True``): PyTorch's x1 * 2**x2, numpy
refusing complex, differentiable in both the complex mantissa and the complex exponent, to second order."""

import autobp

from ..optable import binary, case, complexify, torch

case(
    "ldexp",
    autobp.ldexp,
    complexify(binary(-2.0, 2.0), -1.0, 1.0),
    torch_fn=torch.ldexp,
    id="ldexp-complex",
    complex=True,
)
