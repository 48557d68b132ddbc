"""Constants in, constants out: autobp's public functions called with no Tensor in their arguments
return what numpy returns (ndarrays, numpy scalars), so an ``import autobp as np`` program hands
matplotlib plain numbers; with a Tensor anywhere in the arguments they record on the graph as before.

The wrappers are made where the functions are exported (``autobp.<op>``, ``autobp.linalg.<op>``, ...);
the op modules, the Tensor methods, numpy's dispatch and the rules keep calling the inner functions.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from ._ufunc_keywords import UFUNC_KEYWORDS, extra_parameters, takes_ufunc_keywords, ufunc_caller
from .ops._args import ComplexRefusedError
from .return_types import _PLAIN_IN_NUMPY
from .tensor import Tensor

# constructors keep returning Tensors (torch.zeros and jnp.zeros do): making a Tensor is their job
CONSTRUCTORS = frozenset(
    "array asarray zeros ones empty full eye identity arange linspace zeros_like ones_like empty_like "
    "full_like fftfreq rfftfreq logspace geomspace".split()
)
# ops whose 0-d results numpy gives as 0-d arrays (np.where, np.copy, views of a 0-d array), not as
# numpy scalars as its ufuncs and reductions do
KEEP_0D = frozenset(
    "where copy clone broadcast_to tensordot select reshape view transpose permute squeeze moveaxis "
    "movedim swapaxes swapdims real imag atleast_1d atleast_2d atleast_3d expand_dims unsqueeze "
    "broadcast_arrays cov corrcoef real_if_close pad roll polygamma".split()
)
KEEP_0D |= frozenset(  # numpy's manipulation functions (ops/numpy_*.py, index_utils.py) alike
    "permute_dims matrix_transpose asarray_chkfinite ascontiguousarray require piecewise block resize "
    "trim_zeros apply_along_axis apply_over_axes unique_all unique_inverse linalg_tensordot".split()
)


def _real_if_real(out: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
    """numpy's eig of a real matrix gives real arrays when every eigenvalue is real (PyTorch's and
    autobp's Tensor results stay complex); a complex matrix's stay complex, as numpy's."""
    a = args[0] if args else (kwargs or {}).get("a")
    if np.iscomplexobj(a):
        return out
    items = out if isinstance(out, tuple) else (out,)
    if not all(np.all(np.imag(w) == 0) for w in items) or items[0].dtype.kind != "c":
        return out
    real = tuple(np.real(w).copy() for w in items)  # copied: no view of the complex array is kept
    return type(out)(*real) if isinstance(out, tuple) else real[0]


def _number_part(part: str) -> Callable:
    """numpy's real/imag of a number (Python's or a numpy scalar) is that number's own attribute
    (``np.real(1)`` is the int 1, ``np.imag(np.float64(2))`` a float64), not a 0-d array."""

    def fix(out: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        v = args[0] if args else (kwargs or {}).get("val")
        return getattr(v, part) if isinstance(v, (bool, int, float, complex, np.generic)) else out

    return fix


# where numpy's result differs in kind from the Tensor path's (applied to the plain result)
FIXUPS = {
    "real": _number_part("real"),
    "imag": _number_part("imag"),
    "eig": _real_if_real,
    "eigvals": _real_if_real,
    "lstsq": lambda out, *_: (*out[:2], np.int32(out[2]), out[3]),  # numpy's rank is an int32
}
# numpy's poly1d arithmetic: a poly1d among the arguments gives poly1d results
POLY1D_OPS = frozenset("polyadd polysub polymul polydiv polyder polyint".split())
# ops that write into their first argument: on arrays, numpy's function writes into the array
IN_PLACE = {"put_along_axis": np.put_along_axis, "copyto": np.copyto, "nan_to_num": np.nan_to_num}
# the modules whose declared functions follow the rule (autobp.nn.functional is PyTorch's namespace)
NAMESPACES = ("autobp", "autobp.linalg", "autobp.special", "autobp.fft", "autobp.signal", "autobp.integrate")
_WRAPPED: dict = {}  # (inner function, namespace) -> its wrapper (aliases share one)
_INNER: dict = {}  # wrapper -> inner function


def inner(fn: Any) -> Any:
    """The declared function behind a plain wrapper (anything else: itself), for tools that read
    the source (the reference docs) or compare with the declarations."""
    return _INNER.get(fn, fn) if callable(fn) else fn


def has_tensor(x: Any) -> bool:
    """Whether a Tensor is ``x`` or inside it (lists, tuples and dict values, at any depth)."""
    if isinstance(x, Tensor):
        return True
    if isinstance(x, dict):
        x = x.values()
    elif not isinstance(x, (list, tuple)):
        return False
    for v in x:  # a loop, not any(...): this runs on every call whose first argument is no Tensor
        if isinstance(v, Tensor) or (isinstance(v, (list, tuple, dict)) and has_tensor(v)):
            return True
    return False


def to_plain(out: Any, keep_0d: bool = False) -> Any:
    """A result made from constants, as numpy gives it: each Tensor its array, a 0-d one a numpy
    scalar (unless ``keep_0d``); tuples (named ones too) and lists of them alike. A Tensor that
    requires grad is kept: its graph came from a function argument closing over Tensors."""
    if isinstance(out, Tensor):
        if out.requires_grad:
            return out
        d = out._data
        return d if d.ndim or keep_0d else d[()]
    if isinstance(out, tuple):
        items = [to_plain(o, keep_0d) for o in out]
        if type(out) in _PLAIN_IN_NUMPY:  # numpy's frexp/histogram: plain tuples
            return tuple(items)
        return type(out)._make(items) if hasattr(out, "_fields") else tuple(items)
    if isinstance(out, list):
        return [to_plain(o, keep_0d) for o in out]
    return out


def _numpy_call(numpy_fn: Callable, sig: inspect.Signature | None, args: tuple, kwargs: dict) -> Any:
    """``numpy_fn`` with the arguments the caller gave. The wrapper packed every parameter: those left at
    their defaults are dropped (numpy has its own); the others go by position while numpy's parameter
    in that place is positional-only or of the same name, and by name from the first that is not."""
    if sig is None:  # the general wrapper packs nothing
        return numpy_fn(*args, **kwargs)
    P = inspect.Parameter
    ours = [p for p in sig.parameters.values() if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD)]
    if len(args) > len(ours):  # a *args parameter: passed as given
        return numpy_fn(*args, **kwargs)
    params = sig.parameters
    kwargs = {k: v for k, v in kwargs.items() if k not in params or v is not params[k].default}
    try:
        theirs = list(inspect.signature(numpy_fn).parameters.values())
    except (TypeError, ValueError):  # no signature: every argument by position
        theirs = None
    positional: list = []
    for i, (p, a) in enumerate(zip(ours, args)):
        if a is p.default:
            continue
        same = theirs is None or i == 0 or (i < len(theirs) and theirs[i].name == p.name)
        same = same or (theirs is not None and i < len(theirs) and theirs[i].kind is P.POSITIONAL_ONLY)
        if same and len(positional) == i:  # nothing skipped before it
            positional.append(a)
        else:
            kwargs[p.name] = a
    return numpy_fn(*positional, **kwargs)


def _slow(
    fn: Callable,
    keep_0d: bool,
    fixup: Callable | None,
    in_place: Callable | None,
    numpy_fn: Callable | None = None,
    sig: inspect.Signature | None = None,
) -> Callable:
    def call(args: tuple, kwargs: dict) -> Any:
        if has_tensor(args) or has_tensor(kwargs):
            return fn(*args, **kwargs)
        if in_place is not None:  # (an unused PyTorch out=None is not numpy's to take)
            return in_place(*args, **{k: v for k, v in kwargs.items() if k != "out" or v is not None})
        try:
            out = to_plain(fn(*args, **kwargs), keep_0d)
        except ComplexRefusedError as refused:
            # complex arrays that a Tensor op refuses (max, sort, clip, ...: no order, and no gradient
            # to keep): numpy's own answer, which orders by real part, then imaginary part
            if numpy_fn is None:
                raise
            try:
                return _numpy_call(numpy_fn, sig, args, kwargs)
            except (TypeError, ValueError):  # numpy refuses too, or a PyTorch keyword: autobp's words
                raise refused from None
        if fn.__name__ in POLY1D_OPS and any(isinstance(a, np.poly1d) for a in (*args, *kwargs.values())):
            return tuple(map(np.poly1d, out)) if isinstance(out, tuple) else np.poly1d(out)
        return out if fixup is None or has_tensor(out) else fixup(out, args, kwargs)

    return call


def _source(name: str, sig: inspect.Signature, ufunc: bool = False) -> str:
    """A function of ``sig``'s parameters (defaults set afterwards) that calls ``fn_`` with them
    unchanged when its first argument is a Tensor, and ``slow_`` with them packed otherwise.
    Spelling the parameters out (no ``*args, **kwargs``) keeps the Tensor path one plain call."""
    P = inspect.Parameter
    head, pos, kw, passed = [], [], [], []
    slash = star = False
    for p in sig.parameters.values():
        if p.kind is P.POSITIONAL_ONLY:
            slash = True
        elif slash:
            head.append("/")
            slash = False
        if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD):
            head.append(p.name)
            pos.append(p.name)
            passed.append(p.name)
        elif p.kind is P.VAR_POSITIONAL:
            head.append(f"*{p.name}")
            pos.append(f"*{p.name}")
            passed.append(f"*{p.name}")
            star = True
        elif p.kind is P.KEYWORD_ONLY:
            if not star:
                head.append("*")
                star = True
            head.append(p.name)
            kw.append(f"{p.name!r}: {p.name}")
            passed.append(f"{p.name}={p.name}")
        else:
            head.append(f"**{p.name}")
            kw.append(f"**{p.name}")
            passed.append(f"**{p.name}")
    if slash:
        head.append("/")
    check = ""
    if ufunc:  # numpy's ufunc keywords, handled apart so the usual call pays one test
        head += ([] if star else ["*"]) + list(UFUNC_KEYWORDS)
        packed = f"({''.join(p + ', ' for p in pos)}), {{{', '.join(kw)}}}"
        check = (
            "  if out is not None or where is not True or dtype is not None:\n"
            f"   return uf_({packed}, out, where, casting, dtype)\n"
        )
    params = list(sig.parameters.values())
    first = params[0] if params else None
    if first is not None and first.kind is P.VAR_POSITIONAL:
        test = f"{first.name} and (ty_({first.name}[0]) is T_ or isinstance({first.name}[0], T_))"
    elif first is not None and first.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD):
        # the first argument a Tensor (or a subclass); else any other positional one exactly a Tensor
        others = [p.name for p in params[1:] if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD)]
        f = first.name
        seq = f"((ty_({f}) is list or ty_({f}) is tuple) and len({f}) > 0 and ty_({f}[0]) is T_)"  # [t, u]
        tests = [f"ty_({f}) is T_", f"isinstance({f}, T_)"] + [f"ty_({n}) is T_" for n in others] + [seq]
        test = " or ".join(tests)
    else:
        test = "False"
    return (
        f"def make_(fn_, T_, slow_, uf_):\n"
        f" ty_ = type  # a parameter may be called `type` (scipy.signal.detrend's)\n"
        f" def {name}({', '.join(head)}):\n"
        f"{check}"
        f"  if {test}:\n"
        f"   return fn_({', '.join(passed)})\n"
        f"  return slow_(({''.join(p + ', ' for p in pos)}), {{{', '.join(kw)}}})\n"
        f" return {name}\n"
    )


def plain(fn: Callable, name: str, namespace: str = "autobp", attr: str | None = None) -> Callable:
    """``fn`` (the declared op ``name``, found as ``namespace.attr``) following the rule: called with
    no Tensor in its arguments it returns numpy's kind of result (see ``to_plain``); with one it is
    ``fn`` itself plus one type check."""
    key = (fn, namespace)
    if key in _WRAPPED:
        return _WRAPPED[key]
    attr = attr or name
    try:
        sig = inspect.signature(fn, follow_wrapped=False)
    except (TypeError, ValueError):  # no Python signature: the general (slower) wrapper
        sig = None
    in_numpy = getattr(np, name, None) if namespace == "autobp" else None
    numpy_fn = in_numpy if callable(in_numpy) else None  # for complex constants
    wrapped_sig = sig if sig is not None and name.isidentifier() else None  # the wrapper packs defaults
    slow = _slow(fn, name in KEEP_0D, FIXUPS.get(name), IN_PLACE.get(name), numpy_fn, wrapped_sig)
    ufunc = in_numpy
    if not isinstance(ufunc, np.ufunc) or sig is None or not takes_ufunc_keywords(sig):
        ufunc = None
    if sig is None or not name.isidentifier():

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return slow(args, kwargs)

    else:
        scope: dict = {}
        exec(_source(fn.__name__ if fn.__name__.isidentifier() else name, sig, ufunc is not None), scope)  # noqa: S102
        uf = None if ufunc is None else ufunc_caller(fn, ufunc, name, has_tensor, to_plain)
        wrapper = scope["make_"](fn, Tensor, slow, uf)
        P = inspect.Parameter
        params = list(sig.parameters.values()) + (extra_parameters() if ufunc is not None else [])
        given = [p for p in params if p.default is not P.empty]
        positional = tuple(p.default for p in given if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD))
        wrapper.__defaults__ = positional or None
        wrapper.__kwdefaults__ = {p.name: p.default for p in given if p.kind is P.KEYWORD_ONLY} or None
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    if namespace in NAMESPACES:  # pickled by reference: namespace.name is this wrapper
        wrapper.__module__, wrapper.__qualname__ = namespace, attr
    else:  # a distribution's function: module.dist.name is this wrapper
        wrapper.__module__, wrapper.__qualname__ = fn.__module__, fn.__qualname__
    wrapper.__annotations__ = dict(getattr(fn, "__annotations__", {}))
    wrapper.__wrapped__ = fn
    _WRAPPED[key] = wrapper
    _INNER[wrapper] = fn
    return wrapper


def export_plain() -> None:
    """Replace each declared op in the public namespaces (and the scipy.stats-style distributions'
    functions) by its ``plain`` wrapper; called once, at the end of ``autobp/__init__.py``."""
    from .ops import DECLS
    from .stats import __all__ as dists

    declared = {}
    for d in DECLS.values():
        if d.name not in CONSTRUCTORS and d.namespace != "autobp.nn.functional":
            declared[id(d.fn)] = d
    for modname in NAMESPACES:
        module = sys.modules[modname]
        for attr, obj in list(vars(module).items()):
            d = declared.get(id(obj))
            if d is not None and not attr.startswith("_"):
                setattr(module, attr, plain(d.fn, d.name, modname, attr))
    stats = sys.modules["autobp.stats"]
    for dist in dists:
        cls = getattr(stats, dist)
        for attr, obj in list(vars(cls).items()):
            if isinstance(obj, staticmethod) and not attr.startswith("_"):
                setattr(cls, attr, staticmethod(plain(obj.__func__, attr, f"autobp.stats.{dist}")))
