"""Gradient checkpointing: ``checkpoint(fn, *args)`` keeps only fn's inputs, recomputes the rest in backward.

A long net's backward pass needs every intermediate of its forward pass; checkpointing a segment
stores none of them and runs the segment again, with a graph, when its gradient is wanted: memory
for time. Tensors that fn captures (closures, modules) get their gradients, as with PyTorch's
non-reentrant checkpoint.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import numpy as np

from ._engine import run_backward
from ._graph import enable_grad, hooks, is_grad_enabled
from .pytree import tree_flatten
from .tensor import Tensor


class _Watch:
    """Install an ``on_make`` hook for a ``with`` block, chained after any hook already there
    (anomaly mode's), and put the previous one back at the end. The hook is process-wide, as
    anomaly mode's is: do not run checkpoints in several threads at once."""

    def __init__(self, fn: Callable[[Tensor, str, tuple], None]) -> None:
        self.fn = fn

    def __enter__(self) -> None:
        self.prev = prev = hooks.on_make
        fn = self.fn

        def hook(t: Tensor, op: str, parents: tuple) -> None:
            if prev is not None:
                prev(t, op, parents)
            fn(t, op, parents)

        hooks.on_make = hook

    def __exit__(self, *exc: Any) -> None:
        hooks.on_make = self.prev


_EARLY_STOP = [True]  # set_checkpoint_early_stop's setting, innermost last


@contextmanager
def set_checkpoint_early_stop(enable: bool) -> Iterator[None]:
    """PyTorch's ``torch.utils.checkpoint.set_checkpoint_early_stop``: a context manager taking its
    setting (a bool, checked), for code ported from PyTorch. autobp's recomputation always runs fn to
    its end (its checkpoint is one graph node, whose backward needs fn's outputs), so the setting
    changes no result; it only decides how much of fn PyTorch runs again."""
    if not isinstance(enable, bool):
        raise TypeError(f"set_checkpoint_early_stop: enable must be a bool, got {type(enable).__name__}")
    _EARLY_STOP.append(enable)
    try:
        yield
    finally:
        _EARLY_STOP.pop()


def checkpoint(
    fn: Callable[..., Any] | None = None,
    *args: Any,
    preserve_rng_state: bool = True,
    use_reentrant: bool | None = None,
    context_fn: Callable[[], tuple] | None = None,
    determinism_check: str = "default",
    debug: bool = False,
    early_stop: bool | None = None,
    **kwargs: Any,
) -> Any:
    """``fn(*args, **kwargs)``, without keeping its intermediates: backward runs fn again to get them.

    ``fn`` returns a Tensor, or any nesting of tuples, lists and dicts with Tensors among its leaves
    (other leaves, such as numbers or None, come back as fn gave them), as PyTorch's non-reentrant
    checkpoint does. Every Tensor that requires grad and that fn
    uses, whether passed in or captured (a closure's weights, a module's parameters), receives its
    gradient, equal bit for bit to the gradient without checkpointing when fn is deterministic.
    With ``preserve_rng_state`` (the default) the recomputation sees numpy's global random state
    as the forward pass saw it, so a dropout mask drawn from ``np.random`` comes out the same.
    Works under ``create_graph=True`` (second derivatives through the segment) and with custom
    ``autobp.Function``s inside. Memory: the segment's inputs and outputs stay alive; everything
    in between is freed as soon as the forward pass is done, and again after its backward.
    PyTorch's keywords are taken, not passed to ``fn``: ``use_reentrant`` (either value gives this, the
    non-reentrant form, which ``autobp.grad`` also works with), ``context_fn`` (returns two context
    managers: the forward pass runs in the first, the recomputation in the second; refused with
    ``use_reentrant=True``, as PyTorch refuses it), ``determinism_check`` and ``debug`` (the
    recomputation is always checked to give outputs of the same shapes and dtypes), ``early_stop``
    (a bool; see ``set_checkpoint_early_stop``: fn is always run to its end).
    Without ``fn`` (``checkpoint(use_reentrant=False)``) it returns a decorator: the decorated
    function checkpoints each call, every keyword of the call going to the function.

    >>> import autobp
    >>> W = autobp.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> x = autobp.tensor([[1.0, 1.0]])
    >>> y = checkpoint(lambda h: (h @ W).relu() @ W, x)   # W is captured, not an argument
    >>> y.sum().backward()
    >>> W.grad
    array([[ 7., 11.],
           [ 9., 13.]])
    """
    if early_stop is not None and not isinstance(early_stop, bool):
        raise TypeError(f"checkpoint: early_stop must be a bool or None, got {type(early_stop).__name__}")
    options = dict(preserve_rng_state=preserve_rng_state, use_reentrant=use_reentrant)
    options.update(context_fn=context_fn, determinism_check=determinism_check, debug=debug)
    if fn is None:  # the curried form: checkpoint(use_reentrant=False)(fn)
        if args or kwargs:
            raise TypeError("checkpoint: without fn, only checkpoint's own keywords are taken")
        return functools.partial(_curried, options=options)
    if not callable(fn):
        raise TypeError(f"checkpoint: fn must be callable, got {type(fn).__name__}")
    if context_fn is not None and use_reentrant:
        raise ValueError("Passing `context_fn` is only supported when use_reentrant=False.")
    if determinism_check not in ("default", "none"):
        raise ValueError(
            f"checkpoint: determinism_check must be 'default' or 'none', not {determinism_check!r}"
        )
    fwd_ctx, again_ctx = context_fn() if context_fn is not None else (nullcontext(), None)
    if not is_grad_enabled():  # nothing will be differentiated: nothing to save
        with fwd_ctx:
            return fn(*args, **kwargs)
    rng = np.random.get_state() if preserve_rng_state else None
    # every Tensor that requires grad and takes part: the arguments, and whatever fn's ops read
    found: dict[int, Tensor] = {id(a): a for a in args if isinstance(a, Tensor) and a.requires_grad}
    made: set[int] = set()  # the segment's own results (alive ones have distinct ids): not parents

    def discover(t: Tensor, op: str, parents: tuple) -> None:
        made.add(id(t))
        for p in parents:
            if p.requires_grad and id(p) not in found and id(p) not in made:
                found[id(p)] = p

    # grad stays enabled, as in PyTorch's non-reentrant checkpoint: fn may differentiate inside
    # (autograd.grad of its own intermediates); its graph is dropped once the outputs are re-made
    with fwd_ctx, _Watch(discover):
        result = fn(*args, **kwargs)
    leaves, tree, where = _outputs_of(result)
    parents = tuple(found.values())
    if not parents or not where:  # nothing upstream wants a gradient, or no Tensor to give it to
        return result
    outs = [leaves[k] for k in where]
    ctx = _CheckpointCtx(fn, args, kwargs, parents, rng, [(o.shape, o.dtype) for o in outs])
    ctx.again_ctx = again_ctx
    if isinstance(result, Tensor):
        return _record(ctx, outs, parents, False)
    for k, t in zip(where, _record(ctx, outs, parents, True)):
        leaves[k] = t
    return tree.unflatten(leaves)


def checkpoint_sequential(
    functions: Any, segments: int, input: Any, use_reentrant: bool | None = None, **kwargs: Any
) -> Any:
    """Run ``functions`` (a list of callables, or an ``nn.Sequential``) one after another on ``input``,
    as PyTorch's ``torch.utils.checkpoint.checkpoint_sequential``: they are cut into ``segments``
    runs of ``len(functions) // segments``; each run but the last is checkpointed (its intermediates
    recomputed in backward), the last (with any remainder) runs as usual. Takes ``preserve_rng_state``
    and ``use_reentrant`` as ``checkpoint`` does."""
    from .nn import Sequential

    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    if isinstance(functions, Sequential):
        functions = list(functions.children())
    functions = list(functions)
    if isinstance(segments, bool) or not isinstance(segments, (int, np.integer)) or segments < 1:
        raise ValueError(f"checkpoint_sequential: segments must be a positive int, got {segments!r}")
    size = len(functions) // int(segments)

    def run(part: list) -> Callable[[Any], Any]:
        def forward(x: Any) -> Any:
            for f in part:
                x = f(x)
            return x

        return forward

    done = 0
    for start in range(0, size * (int(segments) - 1), size):
        done = start + size
        part = functions[start:done]
        input = checkpoint(run(part), input, use_reentrant=use_reentrant, preserve_rng_state=preserve)
    return run(functions[done:])(input)


def _curried(fn: Callable[..., Any], options: dict) -> Callable[..., Any]:
    """``fn``, checkpointed at each call with ``options``; the call's keywords all go to ``fn``."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        return checkpoint(functools.partial(fn, **kwargs), *args, **options)

    return run


def _outputs_of(result: Any) -> tuple[list, Any, list[int]]:
    """``result``'s leaves (nested tuples, lists and dicts, as PyTorch's non-reentrant checkpoint
    takes any output), their structure, and where among them the Tensors are: those are recorded;
    other values (numbers, strings, None, arrays) are returned as fn gave them."""
    leaves, tree = tree_flatten(result)
    return leaves, tree, [k for k, o in enumerate(leaves) if isinstance(o, Tensor)]


def _record(ctx: _CheckpointCtx, outs: list[Tensor], parents: tuple, multi: bool) -> Any:
    """One graph node for the whole segment. Several outputs share one hidden node holding all
    their floats flattened and joined, each output a slice of it, so that their gradients meet
    in one recomputation (as ``autobp.Function`` does)."""
    if not multi:
        (o,) = outs
        if o.dtype.kind != "f":
            return Tensor._const(o._data)
        return Tensor._make(o._data, parents, "function", ctx)
    floats = [o._data for o in outs if o.dtype.kind == "f"]
    if not floats:
        return tuple(Tensor._const(o._data) for o in outs)
    packed = np.concatenate([a.reshape(-1) for a in floats]).astype(np.result_type(*floats), copy=False)
    hidden = Tensor._make(packed, parents, "function", ctx)
    results, start = [], 0
    for o in outs:
        if o.dtype.kind != "f":
            ctx.slices.append(None)
            results.append(Tensor._const(o._data))
            continue
        stop = start + o.size
        ctx.slices.append((start, stop))
        t = hidden[start:stop].reshape(o.shape)
        results.append(t if t.dtype == o.dtype else t.astype(o.dtype))
        start = stop
    return tuple(results)


class _CheckpointCtx:
    """What a checkpoint node keeps: fn, its arguments, the Tensors it differentiates, the random
    state; ``_vjp`` is its rule (run by the ``function`` rule, as for ``autobp.Function``)."""

    def __init__(
        self, fn: Callable, args: tuple, kwargs: dict, parents: tuple, rng: Any, specs: list
    ) -> None:
        self._fn = fn  # named ``_fn`` as FunctionCtx's is: anomaly mode and viz label the node with it
        self.args, self.kwargs, self.parents, self.rng, self.specs = args, kwargs, parents, rng, specs
        self.slices: list = []  # per output, (start, stop) in the hidden node, when there are several
        self.again_ctx: Any = None  # context_fn's second context manager: the recomputation runs in it

    def _vjp(self, g: Any, out: Any, xs: Any, need: tuple) -> tuple:
        graph = isinstance(g, Tensor)  # create_graph: g, out and xs are Tensors, results must be too
        # a leaf alias per parent (same memory, requires grad): the recomputed graph ends at the
        # aliases, so the pass below stops at the segment's boundary instead of walking on into the
        # graph upstream (and freeing it, and counting twice a path that reaches a parent from another)
        alias: dict[int, Tensor] = {}
        for p in self.parents:
            a = p.detach()
            a.requires_grad = True
            alias[id(p)] = a
        made: list[Tensor] = []

        def substitute(t: Tensor, op: str, parents: tuple) -> None:
            if t.requires_grad:
                if graph:  # (only then: a list of every node would keep the segment's arrays alive)
                    made.append(t)
                if any(id(p) in alias for p in parents):
                    t._parents = tuple(alias.get(id(p), p) for p in parents)

        args = [alias.get(id(a), a) if isinstance(a, Tensor) else a for a in self.args]
        with _Watch(substitute):
            outs = self._recompute(args)
            roots, seeds = [], []
            for k, o in enumerate(outs):
                o = alias.get(id(o), o)  # fn handed an input straight back
                if o.requires_grad and self._grad_of(g, k) is not None:
                    roots.append(o)
                    seeds.append(self._grad_of(g, k))
            wanted = [alias[id(p)] for p, n in zip(self.parents, need) if n]
            grads = iter(
                run_backward(roots, seeds, inputs=wanted, retain_graph=graph, create_graph=graph)
                if roots
                else [None] * len(wanted)
            )
        if graph:  # reconnect the gradients' graph to the real parents, for the next derivative
            back = {id(a): p for p, a in zip(self.parents, alias.values())}
            for t in made:
                if t._parents:
                    t._parents = tuple(back.get(id(p), p) for p in t._parents)
        return tuple(next(grads) if n else None for n in need)

    def _grad_of(self, g: Any, k: int) -> Any:
        """The gradient of output k: all of g for one output, else its slice of the hidden node's."""
        if not self.slices:
            return g
        span = self.slices[k]
        if span is None:
            return None
        shape, dtype = self.specs[k]
        part = g[span[0] : span[1]].reshape(shape)
        return part if part.dtype == dtype else part.astype(dtype)

    def _recompute(self, args: list) -> list[Tensor]:
        """fn again, recording a graph, under the random state the forward pass started from."""
        name = getattr(self._fn, "__name__", "fn")
        now = np.random.get_state() if self.rng is not None else None
        if self.rng is not None:
            np.random.set_state(self.rng)
        try:
            with self.again_ctx or nullcontext(), enable_grad():
                result = self._fn(*args, **self.kwargs)
        finally:
            if now is not None:
                np.random.set_state(now)
        leaves, _, where = _outputs_of(result)
        outs = [leaves[k] for k in where]
        got = [(o.shape, o.dtype) for o in outs]
        if got != self.specs:
            raise RuntimeError(
                f"checkpoint: recomputing {name} in backward gave outputs {_specs(got)}, but the forward "
                f"pass gave {_specs(self.specs)}: fn must compute the same thing when run again (does it "
                "read state that changed since, or draw random numbers with preserve_rng_state=False?)"
            )
        return outs


def _specs(specs: list) -> str:
    return ", ".join(f"{tuple(s)} {np.dtype(d).name}" for s, d in specs)
