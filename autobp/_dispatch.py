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


def _into_tensors(ufunc: Any, method: str, inputs: tuple, kwargs: dict, outs: tuple) -> Any:
    """``np.add(x, y, out=z)``, ``np.multiply(x, 2, out=z, where=mask)`` with a Tensor ``z``: the result,
    computed as without out=, written into z in place (``z[...] = r``, or ``z[mask] = r[mask]``),
    recorded when a gradient is involved; returns z (a tuple of the outs for several outputs)."""
    from .ops.writes_into import write_into
    from .tensor import Tensor

    kwargs = dict(kwargs)
    del kwargs["out"]
    where = kwargs.pop("where", True) if method == "__call__" else True  # reduce's where= is its own
    casting = kwargs.pop("casting", "same_kind")
    results = array_ufunc(ufunc, method, inputs, kwargs)
    results = results if isinstance(results, tuple) else (results,)
    if len(results) != len(outs):
        raise TypeError(f"{_uname(ufunc)}: {len(outs)} outputs given to out=, it has {len(results)}")
    for o, r in zip(outs, results):
        if isinstance(o, Tensor):
            write_into(o, r, where, casting, f"{_uname(ufunc)}(..., out=<Tensor>)")
        elif o is not None:  # an ndarray among the outs: its plain values, if no graph is lost
            _refuse_graph(ufunc, (r,))
            np.copyto(o, r._data if isinstance(r, Tensor) else r, casting=casting, where=_values(where))
    given = tuple(o if o is not None else r for o, r in zip(outs, results))
    return given[0] if len(given) == 1 else given


def _refuse_graph(ufunc: Any, inputs: tuple) -> None:
    from ._graph import _mode
    from .tensor import Tensor

    for x in inputs:
        if _mode.enabled and isinstance(x, Tensor) and x.requires_grad:
            raise TypeError(
                f"{_uname(ufunc)}(..., out=<ndarray>) with a Tensor that requires grad (shape "
                f"{x.shape}, {x.dtype}): writing into a numpy array would drop its gradient; drop out= "
                "(autobp returns a new Tensor), write into a Tensor, or pass t.detach()"
            )


def _into_arrays(ufunc: Any, method: str, inputs: tuple, kwargs: dict) -> Any:
    """``ndarray -= t`` and other ufuncs with out=: numpy writes into plain arrays when no input carries
    a gradient (a constant Tensor's values, as PyTorch's ``__array__`` gives them; or under no_grad);
    an input that requires grad is refused (the write would drop the gradient). A Tensor among the
    outs takes the result in place, recorded (``_into_tensors``)."""
    from .tensor import Tensor

    outs = kwargs["out"] if isinstance(kwargs["out"], tuple) else (kwargs["out"],)
    if any(isinstance(o, Tensor) for o in outs):
        return _into_tensors(ufunc, method, inputs, kwargs, outs)
    _refuse_graph(ufunc, inputs)
    kwargs = {k: _values(v) for k, v in kwargs.items()}  # a Tensor where= mask
    return getattr(ufunc, method)(*_values(inputs), **kwargs)


def _from_scipy_special(ufunc: Any) -> bool:
    """Whether a ufunc is one of scipy.special's (only looked up when scipy is already imported)."""
    import sys

    special = sys.modules.get("scipy.special")
    return special is not None and getattr(special, ufunc.__name__, None) is ufunc


def _scipy_special(ufunc: Any) -> Any:
    """The autobp.special function for one of scipy.special's ufuncs (``scipy.special.erf(t)``), or None."""
    if not _from_scipy_special(ufunc):
        return None
    from . import special as ours

    return getattr(ours, ufunc.__name__, None)


def _uname(ufunc: Any) -> str:
    """A ufunc's name with its home, for messages: ``numpy.exp``, ``scipy.special.ndtri``."""
    return f"{'scipy.special' if _from_scipy_special(ufunc) else 'numpy'}.{ufunc.__name__}"


def array_ufunc(ufunc: Any, method: str, inputs: tuple, kwargs: dict) -> Any:
    """Tensor.__array_ufunc__: ``np.exp(t)``, ``ndarray + t``, ``np.add.reduce(t)``."""
    if kwargs.get("out") is not None:
        return _into_arrays(ufunc, method, inputs, kwargs)
    kwargs.pop("out", None)
    if method == "__call__":
        fn = UFUNCS.get(ufunc) or _scipy_special(ufunc)
        if fn is None:
            raise _refuse(_uname(ufunc), "op")
        if kwargs:
            raise TypeError(f"{_uname(ufunc)} on a Tensor: arguments {sorted(kwargs)} are unsupported")
        return fn(*inputs)
    from .ufunc_methods import BY_UFUNC

    fn = BY_UFUNC.get(ufunc)  # autobp.add.outer, .reduceat, .at, ... (autobp/ufunc_methods.py)
    if fn is not None and hasattr(fn, method):
        return getattr(fn, method)(*inputs, **kwargs)
    key = REDUCE.get((method, ufunc))
    if key is None:
        raise _refuse(f"{_uname(ufunc)}.{method}", "op")
    from .ops import DECLS

    if key not in DECLS:
        raise _refuse(f"{_uname(ufunc)}.{method}", "op")
    (x,) = inputs
    axis = kwargs.pop("axis", 0)  # ufunc.reduce and accumulate default to the first axis
    if kwargs.pop("dtype", None) is not None:
        raise TypeError(f"{_uname(ufunc)}.{method} on a Tensor: dtype= is not supported")
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
