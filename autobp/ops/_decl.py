"""The op declaration: one entry per public op (name, function, rules, numpy and PyTorch names,
second-order flag, one-line doc) that drives the Tensor methods, the module functions, the numpy
dispatch tables, the docs' op table and the test table's coverage check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

_AUTO: Any = object()  # numpy=: look the name up in numpy


class OpDecl(NamedTuple):
    """One public op. ``fn`` is ``autobp.<name>``; ``method`` the Tensor method (or None)."""

    name: str
    fn: Callable
    family: str
    rules: tuple  # names in the rule table this op records (empty: no gradient, or a composite)
    numpy: tuple  # numpy callables that dispatch to fn on Tensors (np.sin, np.concatenate, ...)
    torch: tuple  # PyTorch spellings accepted as aliases (function and, with a method, method)
    method: Callable | None
    second_order: bool  # its rules are written with differentiable ops (create_graph works)
    differentiable: bool  # False: integer/boolean results, no gradient by definition
    doc: str
    namespace: str  # where users find fn: "autobp", "autobp.linalg", "autobp.nn.functional", ...
    differs: str  # how PyTorch's op of this name differs (empty: same meaning), for the docs


DECLS: dict[str, OpDecl] = {}
ALIASES: dict[str, str] = {}  # PyTorch spelling -> declared name
# np.ufunc -> autobp function, and numpy function -> autobp function: the tables Tensor's
# __array_ufunc__ and __array_function__ dispatch through (autobp/_dispatch.py)
from .._dispatch import FUNCTIONS, UFUNCS  # noqa: E402


def _first_line(fn: Callable) -> str:
    return (fn.__doc__ or "").strip().split("\n")[0]


def op(
    *,
    name: str | None = None,
    family: str,
    rules: Any = None,
    numpy: Any = _AUTO,
    torch: tuple = (),
    method: Any = True,
    second_order: bool = True,
    differentiable: bool = True,
    namespace: str = "autobp",
    differs: str = "",
) -> Callable[[Callable], Callable]:
    """Declare ``fn`` as the public op ``name`` (default: the function's name).

    ``rules``: rule names it records (default: its own name, if differentiable). ``numpy``: the numpy
    callable(s) that dispatch to it (default ``np.<name>`` when numpy has it; None for none).
    ``method``: True for a Tensor method that is ``fn`` itself, a callable for a method with another
    signature (``t.reshape(*shape)``), False for none. ``torch``: PyTorch spellings accepted too.
    ``namespace``: the module users call it from (only "autobp" ops become ``autobp.<name>``).
    ``differs``: a note for the docs where PyTorch's op of the same name means something else.
    """

    def register(fn: Callable) -> Callable:
        key = name or fn.__name__
        if key in DECLS:
            raise ValueError(f"op {key!r} is declared twice ({DECLS[key].family} and {family})")
        if numpy is _AUTO:
            found = getattr(np, key, None)
            nps = (found,) if callable(found) else ()
        elif numpy is None:
            nps = ()
        else:
            nps = tuple(numpy) if isinstance(numpy, (tuple, list)) else (numpy,)
        rs = (key,) if rules is None and differentiable else tuple(rules or ())
        m = fn if method is True else (method or None)
        DECLS[key] = OpDecl(
            key,
            fn,
            family,
            rs,
            nps,
            tuple(torch),
            m,
            second_order,
            differentiable,
            _first_line(fn),
            namespace,
            differs,
        )
        for alias in torch:
            ALIASES.setdefault(alias, key)
        for f in nps:
            (UFUNCS if isinstance(f, np.ufunc) else FUNCTIONS)[f] = fn
        return fn

    return register


def attach(cls: type, names: dict) -> list:
    """Give ``cls`` (Tensor) every declared method, and PyTorch aliases that name no numpy method;
    fill ``names`` (a module's globals) with every function and alias. Returns the public names."""
    public = []
    for d in DECLS.values():
        if d.namespace == "autobp":
            names[d.name] = d.fn
            public.append(d.name)
        if d.method is not None:
            setattr(cls, d.name, d.method)
    for alias, key in ALIASES.items():
        d = DECLS[key]
        if alias not in DECLS and d.namespace == "autobp":  # a numpy name always wins over PyTorch's
            names[alias] = d.fn
            public.append(alias)
        if d.method is not None and not hasattr(cls, alias):
            setattr(cls, alias, d.method)
    return public
