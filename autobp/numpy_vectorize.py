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


def _stack_outputs(items: list, loop_shape: tuple, otype: Any) -> Tensor:
    """The per-element results as one Tensor of shape ``loop_shape + result shape``, cast to ``otype``
    (numpy's rule without otypes: the first result's dtype)."""
    from . import stack

    parts = [_as_tensor(r) for r in items]
    dtype = np.dtype(otype) if otype is not None else parts[0].dtype
    parts = [p if p.dtype == dtype else p.astype(dtype) for p in parts]
    out = stack(parts)
    return out.reshape(loop_shape + tuple(parts[0].shape))


def call_on_tensors(
    pyfunc: Callable, args: tuple, kwargs: dict, otypes: Any, excluded: set, signature: str | None
) -> Any:
    """``pyfunc`` vectorized over the non-excluded arguments, recorded (see the module docstring)."""
    from . import broadcast_to

    keys = [i for i in range(len(args)) if i not in excluded] + [k for k in kwargs if k not in excluded]
    values = [args[k] if isinstance(k, int) else kwargs[k] for k in keys]
    tensors = [_as_tensor(v) for v in values]
    if signature is not None:
        in_core, out_core = parse_signature(signature)
        if len(in_core) != len(tensors):
            raise TypeError(
                f"wrong number of positional arguments: expected {len(in_core)}, got {len(tensors)}"
            )
    else:
        in_core, out_core = [()] * len(tensors), None
    sizes: dict[str, int] = {}
    for t, core in zip(tensors, in_core):
        if t.ndim < len(core):
            raise ValueError(
                f"{t.ndim}-dimensional argument does not have enough dimensions for all core "
                f"dimensions {core}"
            )
        for name, n in zip(core, t.shape[t.ndim - len(core) :]):
            if sizes.setdefault(name, n) != n:
                raise ValueError(f"inconsistent size for core dimension {name!r}: {n} vs {sizes[name]}")
    loop_shape = tuple(np.broadcast_shapes(*(t.shape[: t.ndim - len(c)] for t, c in zip(tensors, in_core))))
    full = []
    for t, core in zip(tensors, in_core):
        shape = loop_shape + tuple(t.shape[t.ndim - len(core) :])
        full.append(t if tuple(t.shape) == shape else broadcast_to(t, shape))
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
    nout = len(out_core) if out_core is not None else len(results[0]) if isinstance(results[0], tuple) else 1
    if nout == 1 and (out_core is None or len(out_core) == 1):
        items = [r[0] if isinstance(r, tuple) and out_core is not None else r for r in results]
        return _stack_outputs(items, loop_shape, otypes[0] if otypes else None)
    return tuple(
        _stack_outputs([r[j] for r in results], loop_shape, otypes[j] if otypes else None)
        for j in range(nout)
    )


class _GaveTensor(Exception):
    """The Python function returned a Tensor on numpy's path: take the recording one instead."""


def _watch(pyfunc: Callable) -> Callable:
    def watched(*args: Any, **kwargs: Any) -> Any:
        out = pyfunc(*args, **kwargs)
        if has_tensor(out if isinstance(out, tuple) else (out,)):
            raise _GaveTensor
        return out

    return watched


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
        self.excluded = set(excluded or ())
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
    arrays otherwise); with no Tensor, numpy's ufunc and its object arrays. The ufunc's attributes and
    methods (``nin``, ``nout``, ``reduce``, ...) are numpy's (its methods refuse a Tensor)."""

    def __init__(self, func: Callable, nin: int, nout: int, *, identity: Any = None) -> None:
        self.func = func
        self._ufunc = np.frompyfunc(func, nin, nout, identity=identity)
        self.__name__ = self._ufunc.__name__

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
