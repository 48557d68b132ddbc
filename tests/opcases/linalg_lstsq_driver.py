"""Op-table cases for linalg.lstsq's torch form (``driver=``): batched, wide and tall, well-conditioned
systems; the solution for each driver, and gelss's residuals for tall ones. Per-driver outputs and
rank-deficient cases: tests/test_lstsq_driver.py."""

from hypothesis import strategies as st

import autobp.linalg as la

from ..optable import case, torch
from .linalg import _values, rect


@st.composite
def _system(draw, wide=None):
    a = draw(rect(min_sv=0.2, wide=wide, max_batch=1))
    return a, _values(draw, a.shape[:-1] + (draw(st.integers(1, 2)),))


for _driver in ("gels", "gelsy", "gelsd", "gelss"):
    case(
        "lstsq",
        lambda a, b, d=_driver: la.lstsq(a, b, driver=d).solution,
        _system(),
        torch_fn=lambda a, b, d=_driver: torch.linalg.lstsq(a, b, driver=d).solution,
        id=f"lstsq-driver-{_driver}",
    )

case(
    "lstsq",
    lambda a, b: la.lstsq(a, b, driver="gelss").residuals,
    _system(wide=False).filter(lambda ab: ab[0].shape[-2] > ab[0].shape[-1]),
    torch_fn=lambda a, b: torch.linalg.lstsq(a, b, driver="gelss").residuals,
    id="lstsq-driver-residuals",
)
