"""The rest of numpy's top-level namespace, so ``import autobp as np`` programs find every name.

Most names are numpy's own objects, re-exported: they take no Tensor (dates, files, text, configuration)
or dispatch back to autobp on one (``np.poly1d(c)(t)`` evaluates with autobp's ``polyval``). Printing and
saving a Tensor use its values (nothing is computed, so no gradient is lost). Where numpy would compute
on a Tensor's values and silently drop its gradient (``matrix``, ``nditer``, ``as_strided``), a Tensor that
requires grad is refused with a TypeError saying what to do instead.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import numpy as np

from . import _dispatch
from ._graph import _mode
from .numpy_vectorize import frompyfunc, vectorize
from .tensor import Tensor

# numpy's functions and classes as they are (no Tensor is a sensible input, or they dispatch to autobp)
_SAME = (
    "loadtxt genfromtxt fromfile fromstring fromregex datetime_as_string datetime_data busday_count "
    "busday_offset is_busday isnat base_repr binary_repr getbufsize setbufsize geterrcall seterrcall info "
    "show_config show_runtime get_include ndarray ufunc flatiter poly1d recarray record memmap datetime64 "
    "timedelta64 busdaycalendar"
).split()
# numpy's modules, constants and index-trick instances: attributes of autobp, not in __all__ (numpy's
# documentation is theirs); emath and testing are autobp's own modules (imported in autobp/__init__.py)
_ATTRIBUTES = (
    "mgrid ogrid False_ True_ ScalarType sctypeDict little_endian char strings ctypeslib exceptions "
    "dtypes typing test core f2py float128 complex256"  # (float128: not on every platform, so not in __all__)
).split()
ATTRIBUTES = {n: getattr(np, n) for n in _ATTRIBUTES if hasattr(np, n)}
globals().update({n: getattr(np, n) for n in _SAME})


def _values(x: Any) -> Any:
    """``x`` with each Tensor (also inside lists, tuples and dict values) replaced by its values."""
    if isinstance(x, Tensor):
        return x._data
    if isinstance(x, (list, tuple)):
        return type(x)(_values(v) for v in x)
    if isinstance(x, dict):
        return {k: _values(v) for k, v in x.items()}
    return x


def _graph_tensor(x: Any) -> Tensor | None:
    """The first Tensor in ``x`` (at any depth) that would carry a gradient, else None."""
    if isinstance(x, Tensor):
        return x if x.requires_grad and _mode.enabled else None
    items = x.values() if isinstance(x, dict) else x if isinstance(x, (list, tuple)) else ()
    for v in items:
        t = _graph_tensor(v)
        if t is not None:
            return t
    return None


def refuse_graph(name: str, args: Any, instead: str) -> None:
    """Raise a TypeError if a Tensor in ``args`` requires grad: numpy's ``name`` would compute on its
    values and drop the gradient without a word."""
    t = _graph_tensor(args)
    if t is not None:
        raise TypeError(
            f"autobp.{name} of a Tensor that requires grad (shape {t.shape}, {t.dtype}): numpy's {name} "
            f"works on the values and would silently drop the gradient; {instead}, or pass t.detach() "
            "to work on the values"
        )


# --- printing and saving: the values, nothing computed ------------------------------------------
def array2string(a: Any, *args: Any, **kwargs: Any) -> str:
    """numpy's ``array2string``; a Tensor prints its values (printing drops no gradient)."""
    return np.array2string(_values(a), *args, **kwargs)


def array_str(a: Any, *args: Any, **kwargs: Any) -> str:
    """numpy's ``array_str``; a Tensor prints its values."""
    return np.array_str(_values(a), *args, **kwargs)


def array_repr(
    arr: Any,
    max_line_width: int | None = None,
    precision: int | None = None,
    suppress_small: bool | None = None,
) -> str:
    """numpy's ``array_repr``; a Tensor's is ``tensor(...)`` as its repr, with numpy's options applied."""
    if not isinstance(arr, Tensor):
        return np.array_repr(arr, max_line_width, precision, suppress_small)
    d = arr._data
    body = np.array2string(d, max_line_width, precision, suppress_small, ", ", "tensor(")
    extra = f", dtype={d.dtype}" if d.dtype != np.float64 else ""
    if arr._op is not None:
        extra += f", grad_fn={arr._op}"
    elif arr.requires_grad:
        extra += ", requires_grad=True"
    return f"tensor({body}{extra})"


def format_float_positional(x: Any, *args: Any, **kwargs: Any) -> str:
    """numpy's ``format_float_positional``; a 0-d Tensor formats its value."""
    return np.format_float_positional(_values(x)[()] if isinstance(x, Tensor) else x, *args, **kwargs)


def format_float_scientific(x: Any, *args: Any, **kwargs: Any) -> str:
    """numpy's ``format_float_scientific``; a 0-d Tensor formats its value."""
    return np.format_float_scientific(_values(x)[()] if isinstance(x, Tensor) else x, *args, **kwargs)


def savetxt(fname: Any, X: Any, *args: Any, **kwargs: Any) -> None:
    """numpy's ``savetxt``; a Tensor saves its values (saving is the explicit way out of the graph)."""
    np.savetxt(fname, _values(X), *args, **kwargs)


def savez(file: Any, *args: Any, **kwds: Any) -> None:
    """numpy's ``savez``; Tensors save their values (``autobp.save`` keeps ``requires_grad`` too)."""
    np.savez(file, *_values(args), **_values(kwds))


def savez_compressed(file: Any, *args: Any, **kwds: Any) -> None:
    """numpy's ``savez_compressed``; Tensors save their values."""
    np.savez_compressed(file, *_values(args), **_values(kwds))


def isfortran(a: Any) -> bool:
    """numpy's ``isfortran``: whether the (Tensor's) values are Fortran-ordered and not C-ordered."""
    return np.isfortran(_values(a))


# numpy's functions reached through Tensor.__array_function__ (np.savetxt(f, t), np.array2string(t)):
# the same, on the values
_ON_VALUES = {
    np.array2string: array2string,
    np.array_str: array_str,
    np.array_repr: array_repr,
    np.savetxt: savetxt,
    np.savez: savez,
    np.savez_compressed: savez_compressed,
    np.save: lambda file, arr, *a, **k: np.save(file, _values(arr), *a, **k),
}
_dispatch.FUNCTIONS.update(_ON_VALUES)


# --- print options: numpy's for arrays, autobp's (set_printoptions) for Tensor reprs --------------
def get_printoptions() -> dict:
    """How Tensor reprs print, as ``autobp.set_printoptions`` takes them (``set_printoptions(**opts)``
    restores them); numpy's arrays keep ``numpy.get_printoptions()``."""
    from ._conversions import PRINT_OPTIONS

    return dict(PRINT_OPTIONS)


class printoptions:
    """Context manager: ``with autobp.printoptions(precision=3): ...`` sets numpy's print options for
    arrays and autobp's (``set_printoptions``) for Tensor reprs, and restores both on exit."""

    _SHARED = (
        "precision",
        "threshold",
        "edgeitems",
        "linewidth",
        "suppress",
        "formatter",
        "sign",
        "floatmode",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = (
            "precision",
            "threshold",
            "edgeitems",
            "linewidth",
            "suppress",
            "nanstr",
            "infstr",
            "formatter",
        )
        names += ("sign", "floatmode")
        self.options = {**dict(zip(names, args)), **kwargs}

    def __enter__(self) -> dict:
        from . import pytorch_utilities

        self._saved = get_printoptions()
        numpy_opts = {k: v for k, v in self.options.items() if k != "sci_mode"}
        self._numpy = np.printoptions(**numpy_opts)
        got = self._numpy.__enter__()
        shared = {k: v for k, v in self.options.items() if k in self._SHARED + ("sci_mode",)}
        pytorch_utilities.set_printoptions(**{**self._saved, **shared})
        return got

    def __exit__(self, *exc: Any) -> None:
        from . import pytorch_utilities

        pytorch_utilities.set_printoptions(**self._saved)
        self._numpy.__exit__(*exc)


# --- numpy's classes of values: refused on a Tensor that requires grad --------------------------
class _NumpyClassMeta(type):
    """``isinstance(x, autobp.matrix)`` is ``isinstance(x, numpy.matrix)`` (the objects are numpy's)."""

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, cls._numpy)

    def __subclasscheck__(cls, sub: Any) -> bool:
        return issubclass(sub, cls._numpy)


class matrix(np.matrix, metaclass=_NumpyClassMeta):
    """numpy's ``matrix`` (the objects made are numpy's); a Tensor that requires grad is refused (a
    matrix holds values: its products would drop the gradient). Use 2-D Tensors and ``@``."""

    _numpy = np.matrix

    def __new__(cls, data: Any, dtype: Any = None, copy: bool = True) -> np.matrix:
        refuse_graph("matrix", data, "use a 2-D Tensor and @ (autobp.matmul)")
        return np.matrix(_values(data), dtype, copy)


def asmatrix(data: Any, dtype: Any = None) -> np.matrix:
    """numpy's ``asmatrix``; a Tensor that requires grad is refused (see ``matrix``)."""
    refuse_graph("asmatrix", data, "use a 2-D Tensor and @ (autobp.matmul)")
    return np.asmatrix(_values(data), dtype)


def bmat(obj: Any, ldict: Any = None, gdict: Any = None) -> np.matrix:
    """numpy's ``bmat``; Tensors that require grad are refused (``autobp.block`` records)."""
    refuse_graph("bmat", obj, "use autobp.block (it records)")
    return np.bmat(_values(obj), ldict, gdict)


class nditer(metaclass=_NumpyClassMeta):
    """numpy's ``nditer`` (the iterator made is numpy's); a Tensor that requires grad is refused (the
    iterator hands out values). Index the Tensor, or use autobp.vectorize, to keep the gradient."""

    _numpy = np.nditer

    def __new__(cls, op: Any, *args: Any, **kwargs: Any) -> np.nditer:
        refuse_graph("nditer", op, "index the Tensor or use autobp.vectorize")
        return np.nditer(_values(op), *args, **kwargs)


def nested_iters(op: Any, axes: Any, *args: Any, **kwargs: Any) -> tuple:
    """numpy's ``nested_iters``; a Tensor that requires grad is refused (see ``nditer``)."""
    refuse_graph("nested_iters", op, "index the Tensor or use autobp.vectorize")
    return np.nested_iters(_values(op), axes, *args, **kwargs)


class _TensorBroadcast:
    """``autobp.broadcast`` of Tensors that require grad: numpy's broadcast object's attributes, and
    iteration giving tuples of 0-d Tensors (recorded indexing of the broadcast inputs)."""

    def __init__(self, args: tuple) -> None:
        from . import broadcast_arrays

        self._numpy = np.broadcast(*_values(args))
        tensors = [a if isinstance(a, Tensor) else Tensor(np.asarray(a)) for a in args]
        self._arrays = broadcast_arrays(*tensors)
        self.shape, self.nd, self.ndim = self._numpy.shape, self._numpy.ndim, self._numpy.ndim
        self.size, self.numiter = self._numpy.size, self._numpy.numiter
        self.index = 0

    def reset(self) -> None:
        self.index = 0

    def __iter__(self) -> _TensorBroadcast:
        return self

    def __next__(self) -> tuple:
        if self.index >= self.size:
            raise StopIteration
        where = np.unravel_index(self.index, self.shape)
        self.index += 1
        return tuple(a[where] for a in self._arrays)


class broadcast(metaclass=_NumpyClassMeta):
    """numpy's ``broadcast`` object (shape, nd, size, numiter, iteration over element tuples); with a
    Tensor that requires grad, iteration gives 0-d Tensors on the graph instead of numpy's values."""

    _numpy = (np.broadcast, _TensorBroadcast)

    def __new__(cls, *args: Any) -> Any:
        if _graph_tensor(args) is None:
            return np.broadcast(*_values(args))
        return _TensorBroadcast(args)


# --- numpy.lib: the parts that take no Tensor or record; as_strided refuses --------------------
def _as_strided(x: Any, *args: Any, **kwargs: Any) -> np.ndarray:
    refuse_graph("lib.stride_tricks.as_strided", x, "use autobp.lib.stride_tricks.sliding_window_view")
    return np.lib.stride_tricks.as_strided(_values(x), *args, **kwargs)


def _module(name: str, doc: str, **attrs: Any) -> types.ModuleType:
    m = types.ModuleType(name, doc)
    for k, v in attrs.items():
        setattr(m, k, v)
    return m


def _make_lib() -> types.ModuleType:
    from . import emath

    st = np.lib.stride_tricks
    stride_tricks = _module(
        "autobp.lib.stride_tricks",
        "numpy.lib.stride_tricks: sliding_window_view records on a Tensor; as_strided refuses one that "
        "requires grad.",
        sliding_window_view=st.sliding_window_view,
        as_strided=_as_strided,
    )
    same = ("Arrayterator", "NumpyVersion", "add_docstring", "add_newdoc", "format", "introspect", "mixins")
    same += ("npyio", "array_utils", "tracemalloc_domain")
    attrs = {n: getattr(np.lib, n) for n in same if hasattr(np.lib, n)}
    return _module(
        "autobp.lib",
        "numpy.lib's parts that take no Tensor or record on one; scimath is autobp.emath.",
        scimath=emath,
        stride_tricks=stride_tricks,
        **attrs,
    )


ATTRIBUTES["lib"] = _make_lib()
sys.modules["autobp.lib"] = ATTRIBUTES["lib"]
sys.modules["autobp.lib.stride_tricks"] = ATTRIBUTES["lib"].stride_tricks


def _guarded_modules() -> None:
    from .numpy_guarded import guarded_module

    for name in ("ma", "rec"):  # masked and record arrays of values: refused on a Tensor that requires grad
        ATTRIBUTES[name] = guarded_module(getattr(np, name), name)
    from .numpy_polynomial import make_polynomial

    ATTRIBUTES["polynomial"] = make_polynomial()


_guarded_modules()

__all__ = _SAME + [
    "vectorize",
    "frompyfunc",
    "array2string",
    "array_str",
    "array_repr",
    "format_float_positional",
    "format_float_scientific",
    "savetxt",
    "savez",
    "savez_compressed",
    "isfortran",
    "get_printoptions",
    "printoptions",
    "matrix",
    "asmatrix",
    "bmat",
    "nditer",
    "nested_iters",
    "broadcast",
]
