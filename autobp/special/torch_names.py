"""torch.special's spellings of functions autobp.special has under scipy's (or numpy's) names:
bessel_j0 is j0, modified_bessel_k1 is k1, scaled_modified_bessel_k0 is k0e, exp2 is autobp.exp2,
and so on. Unlike torch.special, every one of them has a gradient."""

from __future__ import annotations

from typing import Any

from .. import ops as _ops
from ..tensor import Tensor
from .bessel import i0, i1
from .bessel_jy import j0, j1, y0, y1
from .bessel_k import k0, k0e, k1, k1e, spherical_jn

bessel_j0, bessel_j1, bessel_y0, bessel_y1 = j0, j1, y0, y1
modified_bessel_i0, modified_bessel_i1 = i0, i1
modified_bessel_k0, modified_bessel_k1 = k0, k1
scaled_modified_bessel_k0, scaled_modified_bessel_k1 = k0e, k1e
exp2, expm1, sinc = _ops.exp2, _ops.expm1, _ops.sinc


def spherical_bessel_j0(x: Any) -> Tensor:
    """sin(x) / x (1 at 0), the spherical Bessel function j_0; derivative -j_1(x)."""
    return spherical_jn(0, x)


def round(x: Any, *, decimals: int = 0) -> Tensor:  # noqa: A001 - torch.special's name
    """x rounded to ``decimals`` places, halves to even (torch.special.round; autobp.round)."""
    return _ops.round(x, decimals)
