"""numpy's own functions on Tensors: ``np.sin(t)``, ``np.sum(t, axis=0)``, ``np.concatenate([a, b])``
record on the graph exactly like autobp's functions (the tables come from the op declarations);
a numpy function autobp cannot differentiate raises a TypeError instead of dropping the gradient."""

from __future__ import annotations

from typing import Any

import numpy as np

UFUNCS: dict = {}  # np.ufunc -> autobp function; filled by autobp.ops (the declarations' numpy=)
FUNCTIONS: dict = {}  # numpy function -> autobp function
REDUCE = {  # ufunc.reduce / ufunc.accumulate -> the declared op that computes it
    ("reduce", np.add): "sum",
    ("reduce", np.multiply): "prod",
    ("reduce", np.maximum): "max",
    ("reduce", np.minimum): "min",
    ("reduce", np.logical_and): "all",
    ("reduce", np.logical_or): "any",
    ("accumulate", np.add): "cumsum",
    ("accumulate", np.multiply): "cumprod",
    ("accumulate", np.maximum): "cummax",  # (values, indices): numpy wants the values
    ("accumulate", np.minimum): "cummin",
}
# functions that only look at shapes and types: answered from the values, nothing to differentiate
_INSPECT = {np.shape, np.ndim, np.size, np.iscomplexobj, np.isrealobj, np.may_share_memory, np.shares_memory}
_INSPECT |= {np.result_type, np.can_cast, np.min_scalar_type}  # dtypes only


def _name(func: Any) -> str:
    module = getattr(func, "__module__", None) or "numpy"
    if module.startswith(("numpy._", "numpy.lib", "numpy.core")):  # numpy's private homes of np.<name>
        module = "numpy"
    return f"{module}.{getattr(func, '__name__', func)}"


def _refuse(what: str, kind: str) -> TypeError:
    return TypeError(
        f"{what} on a Tensor: autobp has no differentiable {kind} for it, and numpy would silently drop "
        "the gradient. Use the autobp function of that name if there is one (autobp.ops.DECLS lists them), "
        "or np.asarray(t) to compute on the values without a gradient"
    )


def _values(x: Any) -> Any:
    from .tensor import Tensor

    if isinstance(x, Tensor):
        return x._data
    if isinstance(x, (list, tuple)):
        return type(x)(_values(i) for i in x)
    return x


def _into_arrays(ufunc: Any, method: str, inputs: tuple, kwargs: dict) -> Any:
    """``ndarray -= t`` and other ufuncs with out=: numpy writes into plain arrays when no input carries
    a gradient (a constant Tensor's values, as PyTorch's ``__array__`` gives them); a Tensor as out=,
    or an input that requires grad, is refused (the write would drop the gradient)."""
    from .tensor import Tensor

    outs = kwargs["out"] if isinstance(kwargs["out"], tuple) else (kwargs["out"],)
    if any(isinstance(o, Tensor) for o in outs):
        raise TypeError(
            f"numpy.{ufunc.__name__}(..., out=...) into a Tensor: a Tensor's values cannot be written "
            "in place by numpy; drop out= (autobp returns a new Tensor) or use the Tensor's in-place methods"
        )
    for x in inputs:
        if isinstance(x, Tensor) and x.requires_grad:
            raise TypeError(
                f"numpy.{ufunc.__name__}(..., out=<ndarray>) with a Tensor that requires grad (shape "
                f"{x.shape}, {x.dtype}): writing into a numpy array would drop its gradient; drop out= "
                "(autobp returns a new Tensor) or pass t.detach()"
            )
    return getattr(ufunc, method)(*_values(inputs), **kwargs)


def array_ufunc(ufunc: Any, method: str, inputs: tuple, kwargs: dict) -> Any:
    """Tensor.__array_ufunc__: ``np.exp(t)``, ``ndarray + t``, ``np.add.reduce(t)``."""
    if kwargs.get("out") is not None:
        return _into_arrays(ufunc, method, inputs, kwargs)
    kwargs.pop("out", None)
    if method == "__call__":
        fn = UFUNCS.get(ufunc)
        if fn is None:
            raise _refuse(f"numpy.{ufunc.__name__}", "op")
        if kwargs:
            raise TypeError(f"numpy.{ufunc.__name__} on a Tensor: arguments {sorted(kwargs)} are unsupported")
        return fn(*inputs)
    key = REDUCE.get((method, ufunc))
    if key is None:
        raise _refuse(f"numpy.{ufunc.__name__}.{method}", "op")
    from .ops import DECLS

    if key not in DECLS:
        raise _refuse(f"numpy.{ufunc.__name__}.{method}", "op")
    (x,) = inputs
    axis = kwargs.pop("axis", 0)  # ufunc.reduce and accumulate default to the first axis
    if kwargs.pop("dtype", None) is not None:
        raise TypeError(f"numpy.{ufunc.__name__}.{method} on a Tensor: dtype= is not supported")
    out = DECLS[key].fn(x, axis, **kwargs)
    return out[0] if key in ("cummax", "cummin") else out


def array_function(func: Any, args: tuple, kwargs: dict) -> Any:
    """Tensor.__array_function__: ``np.sum(t, axis=0)``, ``np.concatenate([a, b])``."""
    fn = FUNCTIONS.get(func)
    if fn is not None:
        return fn(*args, **kwargs)
    if func in _INSPECT:
        return func(*_values(args), **kwargs)
    raise _refuse(_name(func), "function")
