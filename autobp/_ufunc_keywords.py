"""numpy's ufunc keywords on autobp's functions of a ufunc's name (``autobp.sin``, ``autobp.maximum``,
``autobp.ldexp``, ...): ``out=`` (the result written into that Tensor, or array, and returned, as
numpy's and PyTorch's out=), ``where=`` (only where true; elsewhere out keeps its values, a new result
holds 0 where numpy leaves memory unset), ``dtype=`` (numpy's output dtype, its casting rule checked by
numpy) and ``casting=``. Writes into a Tensor are recorded (as ``out[...] = r`` or
``out[mask] = r[mask]``) when a gradient is involved: the result's inputs get the gradient of the
written elements, out's old value that of the rest."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from .tensor import Tensor

KEYWORDS = ("out", "where", "casting", "dtype", "order", "subok", "signature")  # fn taking one: left as is


def _probe(x: Any) -> Any:
    """A one-element stand-in with x's dtype (a Python number stays a number: numpy's weak scalars)."""
    if isinstance(x, Tensor):
        return np.ones((), x.dtype)
    if isinstance(x, np.ndarray | np.generic):
        return np.ones((), x.dtype)
    if isinstance(x, (bool, int, float, complex)):
        return x
    return np.ones((), np.asarray(x).dtype)


def _output_dtypes(ufunc: np.ufunc, args: tuple, dtype: Any, casting: str) -> tuple:
    """numpy's result dtypes of ``ufunc(*args, dtype=dtype, casting=casting)`` (its errors as numpy's)."""
    with np.errstate(all="ignore"):
        r = ufunc(*(_probe(a) for a in args), dtype=dtype, casting=casting)
    return tuple(np.asarray(o).dtype for o in (r if isinstance(r, tuple) else (r,)))


def _floating(x: Any) -> bool:
    return isinstance(x, Tensor) and x.dtype.kind in "fc"


def _cast(x: Any, dtype: np.dtype) -> Any:
    if isinstance(x, Tensor):
        return x if x.dtype == dtype else x.astype(dtype)
    return x


def _write(o: Any, r: Any, where: Any, casting: str, name: str) -> Any:
    from ._graph import _mode
    from .ops.writes_into import write_into

    if isinstance(o, Tensor):
        return write_into(o, r, where, casting, f"{name}(..., out=<Tensor>)")
    if not isinstance(o, np.ndarray):
        raise TypeError(f"{name}: out= must be a Tensor or a numpy array (or a tuple of them), got {type(o)}")
    if _mode.enabled and isinstance(r, Tensor) and r.requires_grad:
        raise TypeError(
            f"{name}(..., out=<ndarray>) of a result that requires grad (shape {r.shape}, {r.dtype}): a "
            "numpy array cannot hold its graph; pass a Tensor as out=, or drop out="
        )
    w = where._data if isinstance(where, Tensor) else where
    np.copyto(o, r._data if isinstance(r, Tensor) else r, casting=casting, where=w)
    return o


def write_out(result: Tensor, out: Any, name: str) -> Any:
    """``result`` written into ``out`` (a Tensor, in place and recorded, or a numpy array) as numpy's
    ``f(x, out=None)`` functions that are not ufuncs (fix, isposinf, ...) do; ``result`` when None."""
    if out is None:
        return result
    if isinstance(out, tuple) and len(out) == 1:
        out = out[0]
    return _write(out, result, True, "same_kind", name)


def call(fn: Callable, ufunc: np.ufunc, name: str, args: tuple, kwargs: dict, extra: dict) -> Any:
    """``fn(*args, **kwargs)`` with numpy's ufunc keywords ``extra`` applied (see the module doc)."""
    out = extra.get("out")
    where = extra.get("where", True)
    casting = extra.get("casting", "same_kind")
    dtype = extra.get("dtype")
    if dtype is not None:
        want = _output_dtypes(ufunc, args, dtype, casting)
        if want[0].kind in "fc":  # float arguments computed in the requested float dtype
            args = tuple(
                _cast(a, want[0]) if isinstance(a, Tensor) and a.dtype.kind in "fc" else a for a in args
            )
        results = fn(*args, **kwargs)
        many = isinstance(results, tuple)
        results = tuple(_cast(r, d) for r, d in zip(results if many else (results,), want))
        results = results if many else results[0]
    else:
        results = fn(*args, **kwargs)
    many = isinstance(results, tuple)
    items = results if many else (results,)
    if out is None:
        if where is True:
            return results
        outs = tuple(Tensor._const(np.zeros(r.shape, r.dtype)) for r in items)  # numpy's unset memory
    else:
        outs = out if isinstance(out, tuple) else (out,)
        if len(outs) != len(items):
            raise TypeError(f"{name}: {len(outs)} outputs given to out=, it has {len(items)}")
    written = tuple(r if o is None else _write(o, r, where, casting, name) for o, r in zip(outs, items))
    if many and hasattr(results, "_fields"):  # frexp's (mantissa, exponent) stays a named tuple
        return type(results)._make(written)
    return written if many else written[0]


UFUNC_KEYWORDS = ("out=None", "where=True", "casting='same_kind'", "dtype=None")


def extra_parameters() -> list:
    """The keyword-only parameters the plain wrapper of a ufunc-named function adds."""
    P = inspect.Parameter
    return [
        P("out", P.KEYWORD_ONLY, default=None),
        P("where", P.KEYWORD_ONLY, default=True),
        P("casting", P.KEYWORD_ONLY, default="same_kind"),
        P("dtype", P.KEYWORD_ONLY, default=None),
    ]


def takes_ufunc_keywords(sig: inspect.Signature) -> bool:
    """Whether a function of this signature can be given the ufunc keywords (it takes none of them,
    and no ``**kwargs``)."""
    return not any(p.name in KEYWORDS or p.kind is p.VAR_KEYWORD for p in sig.parameters.values())


def ufunc_caller(
    fn: Callable, ufunc: np.ufunc, name: str, has_tensor: Callable, to_plain: Callable
) -> Callable:
    """What the plain wrapper of ``fn`` calls when a ufunc keyword is given: ``call``, its result as
    numpy gives it (arrays) when no Tensor is among the arguments and no out= was given."""

    def uf(args: tuple, kwargs: dict, out: Any, where: Any, casting: str, dtype: Any) -> Any:
        extra = {"out": out, "where": where, "casting": casting, "dtype": dtype}
        result = call(fn, ufunc, name, args, kwargs, extra)
        if out is None and not (has_tensor(args) or has_tensor(kwargs) or isinstance(where, Tensor)):
            return to_plain(result)
        return result

    return uf
