"""The parts of a complex number (real, imag, conj, angle) and their rules, in PyTorch's convention:
for a real loss L of z = x + iy, z.grad = dL/dx + i dL/dy, so ``z -= lr * z.grad`` descends.
A holomorphic op's rule is g * conj(f'(z)); the ops here are not holomorphic and have their own."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..rules import rule
from ..tensor import Tensor, _view
from ._args import as_tensor
from ._decl import op

_C = "complex"


def _is_complex(x: Any) -> bool:
    return x.dtype.kind == "c"


def real_part(F: Any, g: Any) -> Any:
    """The real part of a gradient that reached a real-valued result (its imaginary part, left by a
    real-linear chain of rules after a complex op, means nothing: see docs/concepts/complex.md)."""
    return F.real(g) if g.dtype.kind == "c" else g


@op(family=_C, numpy=(np.conjugate,), torch=("conjugate", "conj_physical"))
def conj(x: Any) -> Tensor:
    """The complex conjugate x - iy, elementwise; a real tensor is returned as it is."""
    x = as_tensor(x)
    if not _is_complex(x):
        return x
    return Tensor._make(np.conjugate(x._data), (x,), "conj")


@op(family=_C, method=False)
def real(val: Any) -> Tensor:
    """The real part, a view of a complex tensor as numpy's (``t.real`` too); a real tensor itself."""
    x = as_tensor(val)
    if not _is_complex(x):
        return x
    return _view(Tensor._make(x._data.real, (x,), "real"), x, "real")


@op(family=_C, method=False)
def imag(val: Any) -> Tensor:
    """The imaginary part: a view of a complex tensor (``t.imag`` too), constant zeros for a real one.

    numpy's zeros for real tensors, where PyTorch raises."""
    x = as_tensor(val)
    if not _is_complex(x):
        return Tensor._const(np.zeros(x.shape, x.dtype))
    return _view(Tensor._make(x._data.imag, (x,), "imag"), x, "imag")


@op(family=_C)
def angle(z: Any, deg: bool = False) -> Tensor:
    """The argument atan2(y, x) of z = x + iy (in degrees with ``deg``); 0 or pi for real z, whose
    gradient is 0 (PyTorch's); at z = 0 the gradient is 0, as PyTorch's."""
    z = as_tensor(z)
    data = np.angle(z._data, deg=bool(deg))
    if data.dtype.kind != "f":
        data = data.astype(np.float64)
    return Tensor._make(data, (z,), "angle", 180.0 / np.pi if deg else 1.0)


@op(family=_C, method=False, rules=("real",))
def real_if_close(a: Any, tol: float = 100) -> Tensor:
    """The real part if every imaginary part is within ``tol`` machine epsilons of 0 (numpy's; a
    ``tol`` below 1 is absolute), else the tensor itself; real tensors are returned as they are."""
    x = as_tensor(a)
    if not _is_complex(x):
        return x
    bound = tol * np.finfo(x.dtype).eps if tol > 1 else tol
    return real(x) if bool(np.all(np.abs(x._data.imag) < bound)) else x


def from_parts(re: Any, im: Any, dtype: Any = None) -> Tensor:
    """re + i im, each part's value kept exactly (signed zeros, infinities: computing im * 1j turns an
    infinite im into nan + inf j and -0.0 into +0.0). The graph records re + im * 1j (its gradient:
    real(g) to re, imag(g) to im); the value is then set part by part."""
    re, im = as_tensor(re), as_tensor(im)
    if dtype is None:
        dtype = np.result_type(re.dtype, im.dtype, np.complex64)
    with np.errstate(invalid="ignore"):
        out = (re + im * 1j).astype(dtype)
    data = np.empty(out.shape, dtype)
    data.real, data.imag = re._data, im._data
    out._data = data
    return out


def _set_part(self: Tensor, value: Any, part: str) -> None:
    """``t.real = v`` / ``t.imag = v``: v written into that part in place (numpy's and PyTorch's
    assignment). Without a gradient, through the part's view (signed zeros kept); with one, recorded as
    ``t[...] = re + 1j im`` with the new part, so v and the other part get their gradients."""
    from .._graph import _mode

    if part == "imag" and not _is_complex(self):
        raise TypeError(
            f"imag: a real tensor ({self.dtype}, shape {self.shape}) has no imaginary part to set"
        )
    given = isinstance(value, Tensor) and value.requires_grad
    if not (_mode.enabled and (self.requires_grad or given)) or not _is_complex(self):
        (real(self) if part == "real" else imag(self))[...] = value
        return
    v = as_tensor(value)
    re, im = (v, imag(self)) if part == "real" else (real(self), v)
    self[...] = from_parts(re, im, self.dtype)


def _set_real(self: Tensor, value: Any) -> None:
    _set_part(self, value, "real")


def _set_imag(self: Tensor, value: Any) -> None:
    _set_part(self, value, "imag")


PROPERTIES = {
    "real": property(
        real, _set_real, doc="The real part (a view for complex tensors, as numpy's ``a.real``; assignable)."
    ),
    "imag": property(
        imag,
        _set_imag,
        doc="The imaginary part (zeros for a real tensor, as numpy's ``a.imag``; assignable).",
    ),
}


# --- rules ---------------------------------------------------------------------------------
@rule("conj")  # L(conj z): dL/dx = L_u, dL/dy = -L_v, so z.grad = conj(g)
def _conj(F, g, out, xs, ctx, need):
    return (F.conj(g),)


@rule("real")  # dL/dx = g, dL/dy = 0
def _real(F, g, out, xs, ctx, need):
    return (real_part(F, g).astype(xs[0].dtype),)


@rule("imag")  # dL/dx = 0, dL/dy = g: z.grad = i g
def _imag(F, g, out, xs, ctx, need):
    return (real_part(F, g) * 1j,)  # g first: 1j * np.float64 would be a Python complex


# angle = atan2(y, x): d/dx = -y / |z|^2, d/dy = x / |z|^2, so z.grad = g (-y + ix) / |z|^2 = g i z / |z|^2;
# 0 at z = 0 and for real z (PyTorch's values)
@rule("angle")
def _angle(F, g, out, xs, ctx, need):
    (z,) = xs
    if not _is_complex(z):
        return (0.0 * g * z,)
    g = real_part(F, g) * ctx
    zd = z._data if isinstance(z, Tensor) else z
    zero = zd == 0
    sq = F.real(z) ** 2 + F.imag(z) ** 2
    return (F.where(zero, 0.0 * z, g * (1j * z) / F.where(zero, 1.0, sq)),)
