"""Whether values or dtypes are complex or real (numpy's iscomplex, isreal, iscomplexobj, isrealobj):
boolean answers outside the graph, so ``f(x) if np.iscomplex(x) else g(x)`` works on Tensors."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from ._decl import op

_P = "type_predicates"


def _array(x: Any) -> np.ndarray:
    return x._data if isinstance(x, Tensor) else np.asarray(x)


@op(family=_P, differentiable=False, method=False)
def iscomplex(x: Any) -> Tensor:
    """True where an element has a nonzero imaginary part (all False for a real dtype), as a boolean
    Tensor of x's shape (numpy's iscomplex: a value test, not a dtype test; see iscomplexobj)."""
    a = _array(x)
    return Tensor._const(a.imag != 0 if a.dtype.kind == "c" else np.zeros(a.shape, bool))


@op(family=_P, differentiable=False, method=False)
def isreal(x: Any) -> Tensor:
    """True where an element's imaginary part is 0 (all True for a real dtype), as a boolean Tensor
    (numpy's isreal; 1+0j counts as real)."""
    a = _array(x)
    return Tensor._const(a.imag == 0 if a.dtype.kind == "c" else np.ones(a.shape, bool))


@op(family=_P, differentiable=False, method=False, torch=("is_complex",))
def iscomplexobj(x: Any) -> bool:
    """Whether x's dtype is complex (whatever its values), as a Python bool (numpy's iscomplexobj,
    torch.is_complex)."""
    dtype = getattr(x, "dtype", None)  # numpy's duck typing: any object with a dtype (pandas')
    if dtype is not None and not isinstance(x, (Tensor, np.ndarray)):
        kind = getattr(dtype, "type", None)
        if isinstance(kind, type):
            return issubclass(kind, np.complexfloating)
    return bool(_array(x).dtype.kind == "c")


@op(family=_P, differentiable=False, method=False)
def isrealobj(x: Any) -> bool:
    """Whether x's dtype is not complex, as a Python bool (numpy's isrealobj)."""
    return not iscomplexobj(x)
