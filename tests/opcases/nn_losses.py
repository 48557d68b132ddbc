"""Op-table cases for binary_cross_entropy (its own node, with PyTorch's gradient formulas): inside
(0, 1), where those formulas are the derivative, over hypothesis shapes (0-d, empty, non-contiguous),
with the target differentiable too; p = 0 and 1 exactly are in tests/test_losses_saturated.py."""

from hypothesis import strategies as st

import autobp.nn.functional as F

from ..optable import array, case, shapes, torch

TF = torch.nn.functional if torch else None


def _pairs(min_side):
    return shapes(min_side=min_side).flatmap(lambda s: st.tuples(array(s, 0.05, 0.95), array(s, 0.0, 1.0)))


# the mean of an empty loss is 0/0, whose derivatives are NaN even for a zero output gradient
for _red in ("mean", "sum", "none"):
    case(
        "binary_cross_entropy",
        lambda p, t, r=_red: F.binary_cross_entropy(p, t, reduction=r),
        _pairs(1 if _red == "mean" else 0),
        torch_fn=lambda p, t, r=_red: TF.binary_cross_entropy(p, t, reduction=r),
        id=f"binary_cross_entropy-{_red}",
    )
