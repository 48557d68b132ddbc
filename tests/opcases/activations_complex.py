"""Op-table cases for activations PyTorch computes on complex inputs (``complex=True``): normalize
(through the modulus, any p) and silu; and normalize's real p = inf, 0 and negative p, which go
through vector_norm as torch's composition does."""

import numpy as np
from hypothesis import strategies as st

from ..optable import arrays_of, case, complexify, unary
from .activations import _off_zero, _ours, _tf

C = {"complex": True}
_rows = st.sampled_from([(3, 4), (2, 3, 2)]).flatmap(lambda s: arrays_of(s)).map(_off_zero)


def _distinct_max(xs):
    """|x| with one clear maximum per row (the inf-norm's kink is a tie)."""
    a = np.abs(xs[0])
    top = np.sort(a, axis=-1)
    return bool(np.all(top[..., -1] - top[..., -2] > 1e-2)) if a.shape[-1] > 1 else True


for _kw in ({}, {"p": 1.0, "dim": -1}, {"p": 3.0, "dim": 0}):
    case(
        "normalize",
        _ours("normalize", **_kw),
        complexify(_rows, keep=lambda z: bool(np.all(np.abs(z) > 0.05))),
        torch_fn=_tf("normalize", **_kw),
        id="normalize-complex" + "".join(f"-{k}={v}" for k, v in _kw.items()),
        **C,
    )
for _kw in ({"p": float("inf"), "dim": -1}, {"p": -1.0, "dim": -1}):
    case(
        "normalize",
        _ours("normalize", **_kw),
        _rows.filter(_distinct_max),
        torch_fn=_tf("normalize", **_kw),
        id="normalize" + "".join(f"-{k}={v}" for k, v in _kw.items()),
    )
# PyTorch computes silu on complex numbers but has no gradient for it: finite differences only
case("silu", _ours("silu"), complexify(unary(-3.0, 3.0)), id="silu-complex", **C)
