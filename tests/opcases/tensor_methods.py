"""Op-table cases for copy (PyTorch's clone) and searchsorted."""

import numpy as np
from hypothesis import strategies as st

import autobp

from ..optable import arrays_of, case, shapes, torch, unary

case("copy", autobp.copy, unary(), torch_fn=lambda x: torch.clone(x), numpy_fn=np.copy, ints=True)
case("copy", lambda x: x.clone() * 2.0, unary(), torch_fn=lambda x: x.clone() * 2.0, id="copy-clone-method")


def _sorted_and_values(s):
    """A sorted 1-D array (ties likely: rounded to halves) and values to place in it."""
    return arrays_of((s,), (3,)).map(lambda t: (np.sort(np.round(t[0] * 2) / 2), np.round(t[1] * 2) / 2))


SORTED = st.integers(0, 4).flatmap(_sorted_and_values)
for side in ("left", "right"):
    case(
        "searchsorted",
        lambda a, v, side=side: autobp.searchsorted(a, v, side=side),
        SORTED,
        torch_fn=lambda a, v, side=side: torch.searchsorted(a, v, side=side),
        numpy_fn=lambda a, v, side=side: np.searchsorted(a, v, side=side),
        grad=False,
        ints=True,
        id=f"searchsorted-{side}",
    )
case(
    "searchsorted",
    lambda a, v: autobp.searchsorted(a, v, right=True),
    shapes(min_dims=2, max_dims=2, min_side=1).flatmap(
        lambda s: arrays_of(s, s[:-1] + (2,)).map(lambda t: (np.sort(t[0], axis=-1), t[1]))
    ),
    torch_fn=lambda a, v: torch.searchsorted(a, v, right=True),
    grad=False,
    id="searchsorted-rows-right",
)
