"""numpy's ``vectorize`` and ``frompyfunc`` that record: on Tensors the Python function is called on 0-d
Tensors (or, with ``signature=``, on Tensors of the core shape) taken from the broadcast inputs, and the
results are stacked, so the gradient flows through every call (as ``jax.numpy.vectorize``). With no
Tensor among the arguments they are numpy's, giving numpy's arrays."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from ._plain import has_tensor
from .tensor import Tensor

_ARG = r"\(\s*(?:\w+(?:\s*,\s*\w+)*)?\s*\)"
_SIGNATURE = re.compile(rf"^{_ARG}(?:\s*,\s*{_ARG})*\s*->\s*{_ARG}(?:\s*,\s*{_ARG})*$")


def parse_signature(signature: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The core dimension names of each input and output of a gufunc signature such as ``(m,n),(n)->(m)``."""
    if not _SIGNATURE.match(signature):
        raise ValueError(f"not a valid gufunc signature: {signature}")
    ins, outs = signature.split("->")

    def dims(side: str) -> list[tuple[str, ...]]:
        return [
            tuple(d for d in re.split(r"\s*,\s*", a.strip()) if d) for a in re.findall(r"\(([^)]*)\)", side)
        ]

    return dims(ins), dims(outs)


def _as_tensor(x: Any) -> Tensor:
    """``x`` as a Tensor; a list holding Tensors is stacked on the graph (``autobp.asarray``)."""
    if isinstance(x, Tensor):
        return x
    if has_tensor(x):
        from . import asarray

        return asarray(x)
    return Tensor(np.asarray(x))


def _as_input(x: Any) -> Any:
    """A vectorized argument: a Tensor when numeric; otherwise (None, strings, objects) numpy's object
    array, whose elements reach the Python function as they are (as numpy's vectorize passes them)."""
    if isinstance(x, Tensor) or has_tensor(x):
        return _as_tensor(x)
    a = np.asarray(x) if x is not None else np.asarray(None, dtype=object)
    return Tensor(a) if a.dtype.kind in "biufc" else a.astype(object)


def _stack_outputs(items: list, loop_shape: tuple, otype: Any) -> Tensor:
    """The per-element results as one Tensor of shape ``loop_shape + result shape``, cast to ``otype``
    (numpy's rule without otypes: the first result's dtype)."""
    from . import stack

    parts = [_as_tensor(r) for r in items]
    dtype = np.dtype(otype) if otype is not None else parts[0].dtype
    parts = [p if p.dtype == dtype else p.astype(dtype) for p in parts]
    shapes = {tuple(p.shape) for p in parts}
    if len(shapes) > 1:
        raise ValueError(
            f"vectorize: the function's results differ in shape between elements: {sorted(shapes)}"
        )
    out = stack(parts)
    return out.reshape(loop_shape + tuple(parts[0].shape))


def _core_sizes(values: list, in_core: list, signature: str | None) -> dict:
    """The sizes of the signature's core dimensions, read from the inputs' trailing axes (numpy's checks)."""
    nones = {i for i, (v, c) in enumerate(zip(values, in_core)) if c and v.dtype == object and v.ndim == 0}
    if nones and all(values[i].item() is None for i in nones):
        raise ValueError(
            f"Cannot pass None at locations {nones} with signature={signature!r}: a 0-dimensional "
            f"argument does not have the core dimensions {[in_core[i] for i in sorted(nones)]}"
        )
    sizes: dict[str, int] = {}
    for t, core in zip(values, in_core):
        if t.ndim < len(core):
            raise ValueError(
                f"input with shape {tuple(t.shape)} does not have enough dimensions for all core "
                f"dimensions {core} ({t.ndim}-dimensional argument)"
            )
        for name, n in zip(core, t.shape[t.ndim - len(core) :]):
            if sizes.setdefault(name, n) != n:
                raise ValueError(f"inconsistent size for core dimension {name!r}: {n} vs {sizes[name]}")
    return sizes


def _check_result(result: Any, out_core: list, sizes: dict) -> tuple:
    """One call's result as a tuple of outputs, checked against the signature's outputs (numpy's
    checks: the number of outputs, each output's core dimensions)."""
    nout = len(out_core)
    if nout == 1 and not (isinstance(result, tuple) and len(result) == 1):
        result = (result,)
    if not isinstance(result, tuple) or len(result) != nout:
        got = len(result) if isinstance(result, tuple) else 1
        raise ValueError(f"wrong number of outputs from pyfunc: expected {nout}, got {got}")
    for j, (r, core) in enumerate(zip(result, out_core)):
        shape = tuple(np.shape(r._data if isinstance(r, Tensor) else r))
        if len(shape) != len(core):
            raise ValueError(
                f"output shape {shape} does not match the core dimensions ({','.join(core)}) of output {j} "
                f"of the signature"
            )
        for name, n in zip(core, shape):
            if sizes.setdefault(name, n) != n:
                raise ValueError(f"inconsistent size for core dimension {name!r}: {n} vs {sizes[name]}")
    return result


def call_on_tensors(
    pyfunc: Callable, args: tuple, kwargs: dict, otypes: Any, excluded: set, signature: str | None
) -> Any:
    """``pyfunc`` vectorized over the non-excluded arguments, recorded (see the module docstring)."""
    from . import broadcast_to

    keys = [i for i in range(len(args)) if i not in excluded] + [k for k in kwargs if k not in excluded]
    values = [_as_input(args[k] if isinstance(k, int) else kwargs[k]) for k in keys]
    if signature is not None:
        in_core, out_core = parse_signature(signature)
        if len(in_core) != len(values):
            raise TypeError(
                f"wrong number of positional arguments: expected {len(in_core)}, got {len(values)}"
            )
    else:
        in_core, out_core = [()] * len(values), None
    sizes = _core_sizes(values, in_core, signature)
    loop_shape = tuple(np.broadcast_shapes(*(t.shape[: t.ndim - len(c)] for t, c in zip(values, in_core))))
    full = []
    for t, core in zip(values, in_core):
        shape = loop_shape + tuple(t.shape[t.ndim - len(core) :])
        if tuple(t.shape) != shape:
            t = broadcast_to(t, shape) if isinstance(t, Tensor) else np.broadcast_to(t, shape)
        full.append(t)
    if int(np.prod(loop_shape)) == 0:
        if not otypes:
            raise ValueError("cannot call `vectorize` on size 0 inputs unless `otypes` is set")
        cores = out_core if out_core is not None else [()] * len(otypes)
        outs = [
            Tensor(np.empty(loop_shape + tuple(sizes.get(d, 0) for d in c), dtype=o))
            for c, o in zip(cores, otypes)
        ]
        return outs[0] if len(outs) == 1 else tuple(outs)
    results = []
    for where in np.ndindex(*loop_shape):
        a, kw = list(args), dict(kwargs)
        for k, t in zip(keys, full):
            if isinstance(k, int):
                a[k] = t[where]
            else:
                kw[k] = t[where]
        results.append(pyfunc(*a, **kw))
    if out_core is None:  # numpy: the first result says how many outputs (a tuple: one per item)
        tupled = isinstance(results[0], tuple)
        nout = len(results[0]) if tupled else 1
        results = [_check_count(r, nout, tupled) for r in results]  # results of any (common) shape
    else:
        tupled = len(out_core) != 1
        nout = len(out_core)
        results = [_check_result(r, out_core, sizes) for r in results]
    outs = tuple(
        _stack_outputs([r[j] for r in results], loop_shape, otypes[j] if otypes else None)
        for j in range(nout)
    )
    return outs if tupled else outs[0]


def _check_count(result: Any, nout: int, tupled: bool) -> tuple:
    """Without a signature: every call must give as many outputs as the first (numpy's rule)."""
    if not tupled:
        if isinstance(result, tuple):
            raise ValueError(f"wrong number of outputs from pyfunc: expected 1, got {len(result)}")
        return (result,)
    if not isinstance(result, tuple) or len(result) != nout:
        got = len(result) if isinstance(result, tuple) else 1
        raise ValueError(f"wrong number of outputs from pyfunc: expected {nout}, got {got}")
    return result


class _GaveTensor(Exception):
    """The Python function returned a Tensor on numpy's path: take the recording one instead."""


def _watch(pyfunc: Callable) -> Callable:
    def watched(*args: Any, **kwargs: Any) -> Any:
        out = pyfunc(*args, **kwargs)
        if has_tensor(out if isinstance(out, tuple) else (out,)):
            raise _GaveTensor
        return out

    return watched


def _checked_excluded(excluded: Any) -> set:
    """The excluded argument positions (ints >= 0) and names (strings); anything else would never match
    an argument, so it is refused."""
    excluded = set(excluded or ())
    bad = [e for e in excluded if isinstance(e, bool) or not isinstance(e, (int, str))]
    if bad:
        raise TypeError(
            f"autobp.vectorize can only exclude integer or string arguments, got excluded={excluded}"
        )
    if any(isinstance(e, int) and e < 0 for e in excluded):
        raise ValueError(
            f"excluded={excluded} contains negative numbers (positions of arguments count from 0)"
        )
    return excluded


class vectorize:
    """numpy's ``vectorize`` that records: called with Tensors, ``pyfunc`` runs on 0-d Tensors (or on
    Tensors of the core shape given by ``signature=``, e.g. ``'(n),(n)->()'``) from the broadcast
    inputs and the results are stacked on the graph; ``otypes`` fixes the result dtypes (else the
    first result's, as numpy), ``excluded`` names arguments passed through unchanged. With no Tensor,
    numpy's ``vectorize`` and its arrays. Usable as a decorator, with or without arguments."""

    def __init__(
        self,
        pyfunc: Callable | None = None,
        otypes: Any = None,
        doc: str | None = None,
        excluded: Any = None,
        cache: bool = False,
        signature: str | None = None,
    ) -> None:
        self.pyfunc, self.otypes, self.cache, self.signature = pyfunc, otypes, cache, signature
        if isinstance(otypes, str):
            self.otypes = list(otypes)
        self.excluded = _checked_excluded(excluded)
        self.__doc__ = doc if doc is not None else getattr(pyfunc, "__doc__", None)
        self._doc = doc
        if signature is not None:
            parse_signature(signature)
        self._numpy = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.pyfunc is None:  # @vectorize(otypes=...) def f(...): the function comes in the first call
            (self.pyfunc,) = args
            self.__doc__ = self._doc if self._doc is not None else self.pyfunc.__doc__
            return self
        if not (has_tensor(args) or has_tensor(kwargs)):  # (an excluded Tensor counts: w in f(x, w))
            if self._numpy is None:
                watched = _watch(self.pyfunc)
                self._numpy = np.vectorize(
                    watched, self.otypes, self._doc, self.excluded or None, self.cache, self.signature
                )
            try:
                return self._numpy(*args, **kwargs)
            except _GaveTensor:  # pyfunc reads a Tensor it closes over: numpy would keep only values
                pass
        return call_on_tensors(self.pyfunc, args, kwargs, self.otypes, self.excluded, self.signature)


class frompyfunc:
    """numpy's ``frompyfunc`` that records: on Tensors ``func`` runs on 0-d Tensors of the broadcast
    inputs and the results are stacked into Tensors (``nout`` > 1: a tuple of them, numpy's object
    arrays otherwise); with no Tensor, numpy's ufunc and its object arrays. The ufunc's attributes
    (``nin``, ``nout``, ``identity``, ...) are numpy's; its methods ``reduce``, ``accumulate``,
    ``outer``, ``reduceat``, ``at`` record on Tensors (autobp/ufunc_methods.py: a left fold of ``func``)
    and are numpy's without one. Two frompyfuncs of the same function and arguments are equal."""

    def __init__(self, func: Callable, nin: int, nout: int, *, identity: Any = None) -> None:
        self.func = func
        from .ufunc_methods import methods

        self._ufunc = np.frompyfunc(func, nin, nout, identity=identity)
        self.__name__ = self._ufunc.__name__
        self._key = (func, nin, nout, identity)
        for name, method in methods(self, self._ufunc).items():  # recorded on Tensors, numpy's otherwise
            setattr(self, name, method)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, frompyfunc) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not has_tensor(args):
            return self._ufunc(*args, **kwargs)
        if len(args) != self._ufunc.nin or kwargs:
            raise TypeError(
                f"{self.__name__} (frompyfunc) takes {self._ufunc.nin} positional arguments on Tensors, "
                f"got {len(args)} and keywords {sorted(kwargs)}"
            )
        out = call_on_tensors(self.func, args, {}, None, set(), None)
        if self._ufunc.nout > 1 and not isinstance(out, tuple):
            raise ValueError(f"{self.__name__} returned one value, frompyfunc declared {self._ufunc.nout}")
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ufunc, name)

    def __repr__(self) -> str:
        return f"<autobp.frompyfunc of {self._ufunc!r}>"
