"""``autobp.polynomial``: numpy.polynomial where it records, refusing where it would drop a gradient.

numpy's evaluation functions (``polyval``, ``chebval``, ``legval``, ``hermval``, ``hermeval``, ``lagval``,
``polyvalfromroots``) compute with the operators, so a Tensor ``x`` records; their coefficients (and
every argument of the other functions: fitting, arithmetic on coefficient arrays, Vandermonde matrices,
roots) become numpy arrays, so a Tensor that requires grad there is refused with a TypeError. The
classes (``Polynomial``, ``Chebyshev``, ...) are numpy's, subclassed: calling one on a Tensor records
(numpy's maps the argument through ``np.asanyarray``), and Tensors that require grad as coefficients or
operands are refused. ``isinstance(p, autobp.polynomial.Polynomial)`` holds for numpy's objects too.
"""

from __future__ import annotations

import sys
import types
from abc import ABCMeta
from typing import Any

import numpy as np

from .numpy_guarded import _guard
from .numpy_namespace import _values, refuse_graph
from .tensor import Tensor

_WHY = (
    "the coefficients become numpy arrays; use autobp.polyval (or the *val function) with Tensor coefficients"
)
_PREFIX = {
    "polynomial": "poly",
    "chebyshev": "cheb",
    "legendre": "leg",
    "hermite": "herm",
    "hermite_e": "herme",
    "laguerre": "lag",
}
_CLASSES = {
    "polynomial": "Polynomial",
    "chebyshev": "Chebyshev",
    "legendre": "Legendre",
    "hermite": "Hermite",
    "hermite_e": "HermiteE",
    "laguerre": "Laguerre",
}
_GUARDED_METHODS = (
    "__add__ __sub__ __mul__ __truediv__ __floordiv__ __mod__ __divmod__ __pow__ __radd__ __rsub__ __rmul__ "
    "__rtruediv__ __rfloordiv__ __rmod__ __rdivmod__ deriv integ linspace cutdeg truncate trim convert"
).split()
_GUARDED_CLASSMETHODS = ("fit", "fromroots", "identity", "basis", "cast", "interpolate")


def _x_records(fn: Any, name: str) -> Any:
    """numpy's evaluation function ``fn``: a Tensor ``x`` records; a Tensor that requires grad among the
    coefficients (or roots) is refused."""

    def evaluate(x: Any, *args: Any, **kwargs: Any) -> Any:
        refuse_graph(name, (args, kwargs), _WHY)
        if isinstance(x, Tensor) and len(args) + len(kwargs) >= 1:
            return _tensor_x(fn, name, x, *_values(args), **_values(kwargs))
        return fn(x, *_values(args), **_values(kwargs))

    evaluate.__name__ = evaluate.__qualname__ = fn.__name__
    evaluate.__doc__, evaluate.__wrapped__ = fn.__doc__, fn
    return evaluate


def _tensor_x(fn: Any, name: str, x: Tensor, c: Any = None, tensor: bool = True, **kwargs: Any) -> Any:
    """``fn(x, c, tensor)`` for a Tensor ``x`` as numpy computes it for an ndarray ``x``: numpy reshapes
    the coefficients (roots) only for ndarrays, so it is done here (``tensor=True``: one evaluation per
    column of c, result shape c.shape[1:] + x.shape), and ``tensor=False`` checks polyvalfromroots'
    shapes as numpy does."""
    key = "r" if "r" in kwargs else "c"
    c = kwargs.pop(key, c)
    c = np.array(c, ndmin=1, copy=None)
    if tensor:
        c = c.reshape(c.shape + (1,) * x.ndim)
    elif name.endswith("polyvalfromroots") and x.ndim >= c.ndim:
        raise ValueError(f"{name}: x.ndim must be < r.ndim when tensor == False (x {x.shape}, r {c.shape})")
    return fn(x, c, tensor=False, **kwargs)


class _PolyMeta(ABCMeta):
    """``isinstance`` against numpy's class, so numpy's own polynomial objects pass too."""

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, cls._numpy)

    def __subclasscheck__(cls, sub: Any) -> bool:
        # by the MRO, not issubclass(): numpy's ABCMeta check of cls._numpy walks its subclasses (this
        # class among them) and would call back here forever
        return isinstance(sub, type) and cls._numpy in sub.__mro__


def _guarded_method(base: type, attr: str, name: str) -> Any:
    method = getattr(base, attr)

    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        refuse_graph(f"{name}.{attr}", (args, kwargs), _WHY)
        return method(self, *_values(args), **_values(kwargs))

    guarded.__name__, guarded.__doc__ = attr, method.__doc__
    return guarded


def _guarded_classmethod(base: type, attr: str, name: str) -> Any:
    function = vars(base).get(attr) or next(vars(k)[attr] for k in base.__mro__ if attr in vars(k))
    function = function.__func__

    def guarded(klass: type, *args: Any, **kwargs: Any) -> Any:
        refuse_graph(f"{name}.{attr}", (args, kwargs), _WHY)
        return function(klass, *_values(args), **_values(kwargs))

    guarded.__name__, guarded.__doc__ = attr, function.__doc__
    return classmethod(guarded)


def _recording_class(base: type) -> type:
    """numpy's polynomial class ``base``, subclassed: calls on a Tensor record, Tensors that require grad
    as coefficients, operands or fitting data are refused."""
    name = f"polynomial.{base.__name__}"

    def __init__(self: Any, coef: Any, domain: Any = None, window: Any = None, symbol: str = "x") -> None:
        refuse_graph(name, (coef, domain, window), _WHY)
        base.__init__(self, _values(coef), _values(domain), _values(window), symbol)

    def __call__(self: Any, arg: Any) -> Any:
        if isinstance(arg, Tensor):
            off, scl = self.mapparms()
            return self._val(off + scl * arg, self.coef)
        return base.__call__(self, arg)

    namespace: dict = {
        "_numpy": base,
        "__init__": __init__,
        "__call__": __call__,
        "__module__": "autobp.polynomial",
    }
    namespace["__doc__"] = (
        f"numpy.polynomial.{base.__name__}; called on a Tensor it records.\n\n{base.__doc__}"
    )
    namespace["__qualname__"] = base.__name__
    namespace.update({a: _guarded_method(base, a, name) for a in _GUARDED_METHODS if hasattr(base, a)})
    namespace.update(
        {a: _guarded_classmethod(base, a, name) for a in _GUARDED_CLASSMETHODS if hasattr(base, a)}
    )
    return _PolyMeta(base.__name__, (base,), namespace)


def _module(name: str, doc: str) -> types.ModuleType:
    m = types.ModuleType(name, doc)
    sys.modules[name] = m
    return m


def make_polynomial() -> types.ModuleType:
    """The ``autobp.polynomial`` package object and its submodules (registered in sys.modules)."""
    P = np.polynomial
    package = _module("autobp.polynomial", __doc__)
    classes = {}
    for cls_name in _CLASSES.values():
        classes[cls_name] = _recording_class(getattr(P, cls_name))
        setattr(package, cls_name, classes[cls_name])
    for sub, prefix in _PREFIX.items():
        numpy_module = getattr(P, sub)
        m = _module(f"autobp.polynomial.{sub}", f"numpy.polynomial.{sub}; see autobp.polynomial.")
        records = {f"{prefix}val"} | ({"polyvalfromroots"} if sub == "polynomial" else set())
        for attr in dir(numpy_module):
            if attr.startswith("_") or attr in ("np", "pu", "la", "polyutils", "ABCPolyBase"):
                continue
            obj = getattr(numpy_module, attr)
            if attr in classes:
                value = classes[attr]
            elif attr in records:
                value = _x_records(obj, f"polynomial.{sub}.{attr}")
            else:
                value = _guard(obj, f"polynomial.{sub}.{attr}")
            setattr(m, attr, value)
        setattr(package, sub, m)
    utils = _module("autobp.polynomial.polyutils", "numpy.polynomial.polyutils; see autobp.polynomial.")
    for attr in dir(P.polyutils):
        if not attr.startswith("_") and attr not in ("np", "functools", "operator", "warnings"):
            setattr(utils, attr, _guard(getattr(P.polyutils, attr), f"polynomial.polyutils.{attr}"))
    package.polyutils = utils
    package.set_default_printstyle = P.set_default_printstyle
    return package
