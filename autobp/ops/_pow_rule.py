"""The rule of ``x ** y`` with both operands differentiable (``power``, ``**``, ``torch.pow``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..rules import rule
from ..tensor import Tensor


def _values(x: Any) -> Any:
    return x._data if type(x) is Tensor else x


# x ** y with both differentiable, PyTorch's values where the formulas meet 0 * inf:
#   d/dx = y x^(y-1), and 0 at y = 0 where that is 0 * inf (x = 0, tiny x) or NaN (x = NaN);
#   d/dy = x^y log x, and 0 where x == 0 and y >= 0 (0 ** y is constant there; at y = 0 it jumps
#   from 1 to 0 on the right and PyTorch still says 0); at x = 0, y < 0 it is -inf, as PyTorch.
# The masked entries are computed from a safe base of 1, so no NaN reaches a second derivative either.
@rule("pow")
def _pow_rule(F, g, out, xs, ctx, need):
    x, y = xs
    xd, yd = _values(x), _values(y)  # the masks are constants, also under create_graph
    y_zero = yd == 0.0  # (before yd is made real below)
    cplx = type(out) is not float and out.dtype.kind == "c"  # conj(d out / dx) is wanted
    real_base = cplx and np.asarray(xd).dtype.kind != "c"  # then log x < 0 is +i pi: conj at the end
    if cplx:  # yd: 0 ** y is constant where Re y > 0 (and the masks below need an order)
        x, y, out, yd = (
            (x, y, out, np.real(yd)) if real_base else (F.conj(x), F.conj(y), F.conj(out), np.real(yd))
        )
    fix = F.conj if real_base else (lambda v: v)
    gx = gy = None
    if need[0]:
        with np.errstate(all="ignore"):  # masked only where the formula is not finite (keeps d/dy of it)
            flat = y_zero & ~np.isfinite(np.reciprocal(np.asarray(xd, dtype=np.result_type(xd, 1.0))))
        base = F.where(flat, 1.0 + 0.0 * x, x)
        gx = g * F.where(flat, 0.0 * y, fix(y * base ** (y - 1.0)))
    if need[1]:
        const = (xd == 0.0) & (yd >= 0.0)
        lx = F.where(const, 1.0 + 0.0 * x, x)
        lx = F.log(lx.astype(out.dtype) if real_base else lx)  # log of a negative base: complex
        gy = g * F.where(const, 0.0 * out, fix(out * lx))
    return gx, gy
