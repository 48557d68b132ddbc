"""Complex inputs and outputs for gradcheck: the function seen as a real function of the real and
imaginary parts, so central differences perturb each part and compare with PyTorch's convention."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .tensor import Tensor
from .value import Value


def _items(out: Any) -> list:
    """A function's outputs as a list (one output is a list of one)."""
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _is_complex(x: Any) -> bool:
    return isinstance(x, Tensor) and x.dtype.kind == "c"


def _realified(fn: Callable[..., Any], args: tuple) -> tuple[Callable[..., Any], tuple, list]:
    """fn as a real function of real inputs, for complex checks: each complex input that requires
    grad becomes two real leaves (its real and imaginary parts, z = x + iy rebuilt with autobp's ops),
    each complex output two real outputs (Re, Im). Central differences then perturb x and y
    separately, and the analytical side is what the rules give: dL/dx = Re(z.grad) and dL/dy =
    Im(z.grad) for PyTorch's convention z.grad = dL/dx + i dL/dy. Returns (fn, args, names of the
    new inputs)."""
    from .ops import imag, real

    spans, new_args, names = [], [], []
    for i, a in enumerate(args):
        if _is_complex(a) and a.requires_grad:
            part = np.finfo(a.dtype).dtype  # float32 for complex64, float64 for complex128
            spans.append((len(new_args), True))
            new_args += [
                Tensor(np.array(a._data.real, order="C"), requires_grad=True, dtype=part),
                Tensor(np.array(a._data.imag, order="C"), requires_grad=True, dtype=part),
            ]
            names += [f"Re(input {i})", f"Im(input {i})"]
        else:
            spans.append((len(new_args), False))
            new_args.append(a)
            names.append(f"input {i}")

    def real_fn(*xs: Any) -> Any:
        rebuilt = [xs[k] + xs[k + 1] * 1j if pair else xs[k] for k, pair in spans]
        out = fn(*rebuilt)
        items = _items(out)
        if not any(_is_complex(o) for o in items):
            return out
        return tuple(p for o in items for p in ((real(o), imag(o)) if _is_complex(o) else (o,)))

    return real_fn, tuple(new_args), names


def _needs_realifying(fn: Callable[..., Any], args: tuple) -> bool:
    if any(_is_complex(a) and a.requires_grad for a in args):
        return True
    if any(isinstance(a, Value) for a in args):
        return False
    return any(_is_complex(o) for o in _items(fn(*args)))
