"""Op-table cases for scatter_reduce's sum, prod and mean on complex input (``complex=True``): finite
differences on real and imaginary parts and second order (PyTorch computes these values but has no
complex gradient for scatter_reduce, so the gradients are checked against central differences only)."""

import autobp

from ..optable import case, complexify
from .scatter import any_rows, distinct_x_and_src

for _reduce in ("sum", "prod", "mean"):
    for _self in (True, False):
        case(
            "scatter_reduce",
            lambda x, s, r=_reduce, inc=_self: autobp.scatter_reduce(
                x, 0, any_rows(x.shape), s, r, include_self=inc
            ),
            complexify(distinct_x_and_src(), -1.0, 1.0),
            id=f"scatter_reduce-{_reduce}-{_self}-complex",
            complex=True,
        )
