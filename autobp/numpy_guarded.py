"""numpy's modules of value containers (``numpy.ma``, ``numpy.rec``) as ``autobp.ma`` and ``autobp.rec``:
the same functions, classes and constants, except that a Tensor that requires grad given to one of them
raises a TypeError (a masked or record array holds values; numpy would drop the gradient silently).
Constant Tensors pass as their values, and ``isinstance(x, autobp.ma.MaskedArray)`` is numpy's test.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from .numpy_namespace import _NumpyClassMeta, _values, refuse_graph

_WHY = "autobp has no masked or record arrays; use a Tensor (and a boolean mask Tensor with autobp.where)"


class _Guarded:
    """numpy's function (or indexing object, such as ``ma.mr_``) ``obj``: called or indexed with a Tensor
    that requires grad it raises; its attributes (``ma.add.reduce``) are guarded alike."""

    def __init__(self, obj: Any, name: str) -> None:
        self._obj, self._name = obj, name
        self.__doc__ = getattr(obj, "__doc__", None)
        self.__name__ = getattr(obj, "__name__", name.rsplit(".", 1)[-1])

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        refuse_graph(self._name, (args, kwargs), _WHY)
        return self._obj(*_values(args), **_values(kwargs))

    def __getitem__(self, key: Any) -> Any:
        refuse_graph(self._name, key, _WHY)
        return self._obj[_values(key)]

    def __getattr__(self, attr: str) -> Any:
        return _guard(getattr(self._obj, attr), f"{self._name}.{attr}")

    def __repr__(self) -> str:
        return f"<autobp guard of {self._obj!r}>"


class _GuardedClassMeta(_NumpyClassMeta):
    """A guarded numpy class: class attributes are numpy's class's."""

    def __getattr__(cls, attr: str) -> Any:
        return getattr(cls._numpy, attr)


def _guard_class(cls: type, name: str) -> type:
    def __new__(_: type, *args: Any, **kwargs: Any) -> Any:
        refuse_graph(name, (args, kwargs), _WHY)
        return cls(*_values(args), **_values(kwargs))

    attrs = {"_numpy": cls, "__new__": __new__, "__doc__": cls.__doc__, "__module__": name.rsplit(".", 1)[0]}
    return _GuardedClassMeta(cls.__name__, (), attrs)


def _guard(obj: Any, name: str) -> Any:
    """``obj`` guarded if a Tensor could be handed to it; constants, modules and values as they are."""
    import numpy as np

    if isinstance(obj, (types.ModuleType, np.ndarray, np.generic, str, bytes, int, float, bool, type(None))):
        return obj
    if isinstance(obj, type):
        return _guard_class(obj, name)
    if callable(obj) or hasattr(type(obj), "__getitem__"):
        return _Guarded(obj, name)
    return obj


def guarded_module(module: types.ModuleType, name: str) -> types.ModuleType:
    """A module ``autobp.<name>`` with ``module``'s public names, guarded (registered in sys.modules)."""
    m = types.ModuleType(
        f"autobp.{name}", f"numpy.{name}, refusing Tensors that require grad (autobp/numpy_guarded.py)."
    )
    for attr in dir(module):
        if not attr.startswith("_"):
            setattr(m, attr, _guard(getattr(module, attr), f"{name}.{attr}"))
    sys.modules[m.__name__] = m
    return m
