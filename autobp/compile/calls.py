"""The public op calls behind a recorded step: while ``autobp.compile`` traces, each top-level call
of a declared op (``autobp.<op>``, a Tensor method, operator or property) is noted with its
arguments and the nodes it made, so the generated step can call the op again on new values and get
the data and ctx its rules need (any op with a rule, composites and data-dependent ops included)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .._graph import hooks, next_seq
from ..tensor import Tensor

_CO_VARARGS, _CO_VARKEYWORDS = 0x04, 0x08
_WATCHED: dict | None = None  # code object -> the functions with that code
# Tensor methods that hand a value to Python: called by the step's own code (not inside an op), they
# let the value steer what it does next (data-dependent control flow), which a program cannot replay
_READS = ("__bool__", "item", "__float__", "__int__", "__index__", "tolist", "__array__", "numpy")


def watched() -> dict:
    """Code object -> functions, for every declared op's function and method and every Tensor
    operator, method and property the op families attach (several functions share one code object
    when they are closures made by one factory: ``_function`` below tells them apart)."""
    global _WATCHED
    if _WATCHED is None:
        from ..ops import DECLS, FAMILIES

        funcs: list = []
        for d in DECLS.values():
            funcs += [d.fn, d.method]
        for fam in FAMILIES:
            funcs += list(getattr(fam, "DUNDERS", {}).values())
            funcs += list(getattr(fam, "METHODS", {}).values())
            funcs += [p.fget for p in getattr(fam, "PROPERTIES", {}).values()]
        by_code: dict = {}
        for f in funcs:
            code = getattr(f, "__code__", None)
            if code is not None:
                by_code.setdefault(code, set()).add(f)
        _WATCHED = {c: tuple(fs) for c, fs in by_code.items()}
    return _WATCHED


def _function(frame: Any, fns: tuple) -> Callable | None:
    """The function running in ``frame``, among those sharing its code: the one whose closure holds
    the values the frame sees in its free variables."""
    if len(fns) == 1:
        return fns[0]
    loc, names = frame.f_locals, frame.f_code.co_freevars
    for fn in fns:
        cells = fn.__closure__ or ()
        if all(loc.get(n, cell) is _contents(cell) for n, cell in zip(names, cells)):
            return fn
    return None


def _contents(cell: Any) -> Any:
    try:
        return cell.cell_contents
    except ValueError:  # an empty cell
        return cell


@dataclass(eq=False)
class Call:
    """One top-level op call: ``fn(*args, **kwargs)`` with every Tensor in them replaced by a
    ``Hole(i)`` (``inputs[i]`` the Tensor, ``grads[i]`` whether it required grad at the call),
    the nodes it made (``members``: (tensor, op, parents, ctx, data, seq, parents' seqs) in creation
    order, as made: an in-place op may later give the Tensor objects others) and its result
    (``outs``: (path, Tensor, seq) of each Tensor in it)."""

    fn: Callable
    args: tuple
    kwargs: dict
    inputs: list
    grads: list
    before: list  # each input's (seq, version, array id) at the call: an in-place op changes them
    start: int  # creation numbers of Tensors made by the call are >= start
    members: list = field(default_factory=list)
    result: Any = None
    outs: list = field(default_factory=list)
    # (input position, the member now holding its value or None, its new creation number) for each
    # input an in-place op wrote into
    mutated: list = field(default_factory=list)


class Hole:
    """Where the i-th input Tensor goes back in a call's arguments."""

    __slots__ = ("i",)

    def __init__(self, i: int) -> None:
        self.i = i


def holes(obj: Any, inputs: list) -> Any:
    """``obj`` with each Tensor (in lists, tuples and dict values) replaced by a Hole; the Tensors
    are appended to ``inputs`` (one Hole per object, however often it appears)."""
    if isinstance(obj, Tensor):
        for i, t in enumerate(inputs):
            if t is obj:
                return Hole(i)
        inputs.append(obj)
        return Hole(len(inputs) - 1)
    if type(obj) in (list, tuple):
        return type(obj)(holes(o, inputs) for o in obj)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a named tuple
        return type(obj)(*(holes(o, inputs) for o in obj))
    if type(obj) is dict:
        return {k: holes(v, inputs) for k, v in obj.items()}
    return obj


def fill(obj: Any, values: list) -> Any:
    """The inverse of ``holes``: each Hole(i) replaced by ``values[i]``."""
    if type(obj) is Hole:
        return values[obj.i]
    if type(obj) in (list, tuple):
        return type(obj)(fill(o, values) for o in obj)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(fill(o, values) for o in obj))
    if type(obj) is dict:
        return {k: fill(v, values) for k, v in obj.items()}
    return obj


def tensors_in(obj: Any, path: tuple = ()) -> list:
    """(path, Tensor) for every Tensor in a call's result (a Tensor, or lists and tuples of them)."""
    if isinstance(obj, Tensor):
        return [(path, obj)]
    if isinstance(obj, (list, tuple)):
        return [pt for i, o in enumerate(obj) for pt in tensors_in(o, path + (i,))]
    return []


def _state(t: Tensor) -> tuple:
    return (t._seq, t._version, id(t._data))


def _bound(frame: Any) -> tuple:
    """The arguments a function was called with, read from its frame as the call starts."""
    code, loc = frame.f_code, frame.f_locals
    names, n = code.co_varnames, code.co_argcount
    args = [loc[name] for name in names[:n]]
    kw = {name: loc[name] for name in names[n : n + code.co_kwonlyargcount]}
    at = n + code.co_kwonlyargcount
    if code.co_flags & _CO_VARARGS:
        args += list(loc[names[at]])
        at += 1
    if code.co_flags & _CO_VARKEYWORDS:
        kw.update(loc[names[at]])
    return tuple(args), kw


class Recorder:
    """Installed while a step is traced: a profile function noting top-level op calls, and an
    ``on_make`` hook noting every node (``tape`` entries "open", "node", "close", in order)."""

    def __init__(self) -> None:
        self.tape: list = []
        self.frames: list = []  # frames of the op calls under way, the top-level one first
        self.call: Call | None = None
        self.codes = watched()
        self.reads = {getattr(Tensor, n).__code__: n for n in _READS}

    def profile(self, frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            fns = self.codes.get(frame.f_code)
            if fns is None:
                if not self.frames and frame.f_code in self.reads:
                    t = frame.f_locals.get("self")
                    if isinstance(t, Tensor):
                        self.tape.append(("read", t, self.reads[frame.f_code], t._seq))
                return
            if not self.frames:
                fn = _function(frame, fns)
                if fn is None:
                    return
                args, kwargs = _bound(frame)
                inputs: list = []
                args, kwargs = holes(args, inputs), holes(kwargs, inputs)
                grads = [t.requires_grad for t in inputs]
                before = [_state(t) for t in inputs]
                self.call = Call(fn, args, kwargs, inputs, grads, before, next_seq())
                self.tape.append(("open", self.call))
            self.frames.append(frame)
        elif event == "return" and self.frames and self.frames[-1] is frame:
            self.frames.pop()
            if not self.frames:
                call, self.call = self.call, None
                call.result = arg
                call.outs = [(path, t, t._seq) for path, t in tensors_in(arg)]
                for i, t in enumerate(call.inputs):
                    if _state(t) != call.before[i]:  # written in place: which node holds it now
                        j = next((j for j, m in enumerate(call.members) if m[0]._data is t._data), None)
                        call.mutated.append((i, j, t._seq))
                self.tape.append(("close", call))

    def on_make(self, t: Tensor, op: str, parents: tuple) -> None:
        pseqs = tuple(p._seq for p in parents)  # as they are now: an in-place op renumbers a Tensor
        self.tape.append(("node", t, op, parents, t._ctx, self.call, t._seq, t._data, t.requires_grad, pseqs))
        if self.call is not None:
            self.call.members.append((t, op, parents, t._ctx, t._data, t._seq, pseqs))

    def run(self, fn: Callable, args: tuple) -> Any:
        """``fn(*args)`` with the recording installed (and whatever was installed before kept)."""
        previous_make, previous_profile = hooks.on_make, sys.getprofile()

        def make(t: Tensor, op: str, parents: tuple) -> None:
            self.on_make(t, op, parents)
            if previous_make is not None:
                previous_make(t, op, parents)

        hooks.on_make = make
        sys.setprofile(self.profile)
        try:
            return fn(*args)
        finally:
            sys.setprofile(previous_profile)
            hooks.on_make = previous_make
