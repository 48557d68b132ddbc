"""Op-table case for torch.linalg.householder_product on complex reflectors (``complex=True``: finite
differences on real and imaginary parts, PyTorch's conjugate-Wirtinger gradients, second order, and
complex64 staying complex64)."""

import autobp.linalg as la

from ..optable import case, complexify, torch
from .linalg_torch import _reflectors

case(
    "householder_product",
    la.householder_product,
    complexify(_reflectors(), -1.0, 1.0),
    torch_fn=lambda a, tau: torch.linalg.householder_product(a, tau),
    id="householder_product-complex",
    complex=True,
)
