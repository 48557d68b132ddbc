"""``torch.autograd.functional`` as PyTorch spells it, for ``autobp.autograd.functional``:
``vjp(func, inputs, v)``, ``jvp(func, inputs, v)``, ``vhp``, ``hvp``, ``jacobian`` and ``hessian`` with
``create_graph`` and ``strict``. (``autobp.functional`` keeps its JAX/``torch.func`` forms, where
``vjp(fn, *primals)`` returns a pullback.)

As PyTorch's: inputs are differentiated as detached copies unless ``create_graph=True`` and they
require grad (then the results are differentiable with respect to them); results are detached unless
``create_graph=True``; everything runs with grad mode on, also inside ``no_grad``; an input the
outputs do not depend on gets zeros, or with ``strict=True`` an error in PyTorch's words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import functional as _f
from ._graph import enable_grad
from .autograd import grad as _grad
from .tensor import Tensor


def _tuple(x: Any, arg: str, fn: str) -> tuple[tuple, bool]:
    """``x`` as a tuple of Tensors and whether it was one Tensor (PyTorch's ``_as_tuple``)."""
    if isinstance(x, Tensor):
        return (x,), True
    items = tuple(x) if isinstance(x, (tuple, list)) else (x,)
    for i, t in enumerate(items):
        if not isinstance(t, Tensor):
            what = "inputs" if arg == "inputs" else arg
            raise TypeError(
                f"The {what} given to {fn} must be either a Tensor or a tuple of Tensors but the value at "
                f"index {i} has type {type(t)}."
            )
    return items, False


def _outputs(out: Any, fn: str) -> tuple[tuple, bool]:
    if isinstance(out, Tensor):
        return (out,), True
    items = tuple(out) if isinstance(out, (tuple, list)) else (out,)
    for i, t in enumerate(items):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"The outputs of the user-provided function given to {fn} must be either a Tensor or a "
                f"tuple of Tensors but the value at index {i} has type {type(t)}."
            )
    return items, False


def _prepare(xs: tuple, create_graph: bool) -> tuple:
    """PyTorch's ``_grad_preprocess``: keep the graph of an input that requires grad under
    create_graph, else differentiate a detached copy."""
    return tuple(
        x.view_as(x) if create_graph and x.requires_grad else x.detach().requires_grad_() for x in xs
    )


def _finish(ts: tuple, create_graph: bool, single: bool) -> Any:
    ts = tuple(t if create_graph or t is None else t.detach() for t in ts)
    return ts[0] if single else ts


def _vector(v: Any, refs: tuple, fn: str, what: str) -> tuple:
    vs, _ = _tuple(v, "v", fn)
    if len(vs) != len(refs):
        if len(refs) == 1:
            raise RuntimeError(f"The given v should contain a single Tensor. (got {len(vs)} Tensors)")
        raise RuntimeError(f"v is a tuple of invalid length: should be {len(refs)} but got {len(vs)}.")
    for i, (a, r) in enumerate(zip(vs, refs)):
        if a.shape != r.shape:
            at = "" if len(refs) == 1 else f" at index {i}"
            raise RuntimeError(
                f"v has invalid size{at}: should be {tuple(r.shape)} but got {tuple(a.shape)}."
            )
    return vs


def _grads(
    outs: tuple, xs: tuple, seeds: tuple, create_graph: bool, strict: bool, fn: str, stage: str
) -> tuple:
    """sum_k seeds[k]ᵀ d outs[k] / d xs: zeros for an unused input, or PyTorch's strict-mode errors."""
    pairs = [(o, s) for o, s in zip(outs, seeds) if o.requires_grad]
    for i, o in enumerate(outs):
        if strict and not o.requires_grad:
            raise RuntimeError(
                f"Output {i} of the user-provided function does not require gradients. The outputs must be "
                "computed in a differentiable manner from the input when running in strict mode."
            )
    gs = [None] * len(xs)
    if pairs:
        gs = _grad(
            [o for o, _ in pairs],
            list(xs),
            [s for _, s in pairs],
            retain_graph=True,
            create_graph=create_graph,
            allow_unused=True,
        )
    res = []
    for i, (x, g) in enumerate(zip(xs, gs)):
        if g is None:
            if strict:
                if stage == "back":
                    raise RuntimeError(
                        f"The output of the user-provided function is independent of input {i}. This is "
                        "not allowed in strict mode."
                    )
                raise RuntimeError(
                    f"The jacobian of the user-provided function with respect to input {i} is independent "
                    "of the input. This is not allowed in strict mode when create_graph=True."
                )
            g = Tensor(np.zeros(x.shape, x.dtype), requires_grad=create_graph)
        res.append(g)
    return tuple(res)


def vjp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """``(func(inputs), vᵀ J)`` (``torch.autograd.functional.vjp``); ``v`` may be omitted when ``func``
    returns one single-element Tensor."""
    with enable_grad():
        xs, single_in = _tuple(inputs, "inputs", "vjp")
        xs = _prepare(xs, create_graph)
        outs, single_out = _outputs(func(*xs), "vjp")
        if v is None:
            if len(outs) != 1 or outs[0].size != 1:
                raise RuntimeError(
                    "The vector v can only be None if the user-provided function returns a single Tensor "
                    "with a single element."
                )
            vs = (Tensor(np.ones(outs[0].shape, outs[0].dtype)),)
        else:
            vs = _vector(v, outs, "vjp", "v")
        res = _grads(outs, xs, vs, create_graph, strict, "vjp", "back")
        if strict and create_graph:
            _check_graph(res, "back")
    return _finish(outs, create_graph, single_out), _finish(res, create_graph, single_in)


def _check_graph(res: tuple, stage: str) -> None:
    for i, g in enumerate(res):
        if not g.requires_grad:
            raise RuntimeError(
                f"The jacobian of the user-provided function is independent of input {i}. This is not "
                "allowed in strict mode when create_graph=True."
            )


def jvp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """``(func(inputs), J v)`` (``torch.autograd.functional.jvp``), by the double-backward trick;
    ``v`` may be omitted when the input is one single-element Tensor."""
    with enable_grad():
        xs, single_in = _tuple(inputs, "inputs", "jvp")
        xs = _prepare(xs, create_graph)
        if v is None:
            if len(xs) != 1 or xs[0].size != 1:
                raise RuntimeError(
                    "The vector v can only be None if the input to the user-provided function is a single "
                    "Tensor with a single element."
                )
            vs = (Tensor(np.ones(xs[0].shape, xs[0].dtype)),)
        else:
            vs = _vector(v, xs, "jvp", "v")
        outs, single_out = _outputs(func(*xs), "jvp")
        us = tuple(Tensor(np.ones(o.shape, o.dtype), requires_grad=True) for o in outs)
        gs = _grads(outs, xs, us, True, strict, "jvp", "back")
        jv = _grads(gs, us, vs, create_graph, False, "jvp", "double")
        if strict and create_graph:
            _check_graph(jv, "double")
    return _finish(outs, create_graph, single_out), _finish(jv, create_graph, single_out)


def _scalar(out: Any, fn: str) -> Tensor:
    outs, _ = _outputs(out, fn)
    if len(outs) != 1:
        raise RuntimeError(f"The function given to {fn} should return a single Tensor")
    if outs[0].size != 1:
        raise RuntimeError(
            f"The Tensor returned by the function given to {fn} should contain a single element"
        )
    return outs[0]


def _hessian_product(func: Callable, inputs: Any, v: Any, create_graph: bool, strict: bool, fn: str) -> Any:
    with enable_grad():
        xs, single = _tuple(inputs, "inputs", fn)
        xs = _prepare(xs, create_graph)
        y = _scalar(func(*xs), fn)
        if v is None:
            if len(xs) != 1 or xs[0].size != 1:
                raise RuntimeError(
                    "The vector v can only be None if the input to the user-provided function is a single "
                    "Tensor with a single element."
                )
            vs = (Tensor(np.ones(xs[0].shape, xs[0].dtype)),)
        else:
            vs = _vector(v, xs, fn, "v")
        gs = _grads((y,), xs, (Tensor(np.ones(y.shape, y.dtype)),), True, strict, fn, "back")
        if strict:
            for i, g in enumerate(gs):
                if not g.requires_grad:
                    raise RuntimeError(
                        f"The jacobian of the user-provided function with respect to input {i} is "
                        "independent of the input. This is not allowed in strict mode."
                    )
        hv = _grads(gs, xs, vs, create_graph, False, fn, "double")
    return _finish((y,), create_graph, True), _finish(hv, create_graph, single)


def vhp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """``(func(inputs), vᵀ H)`` of a scalar ``func`` (``torch.autograd.functional.vhp``)."""
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp")


def hvp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """``(func(inputs), H v)`` of a scalar ``func`` (``torch.autograd.functional.hvp``); reverse mode
    gives vᵀH, equal wherever the Hessian is symmetric (``func`` twice continuously differentiable)."""
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp")


def jacobian(
    func: Callable[..., Any],
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """``torch.autograd.functional.jacobian``: blocks of shape ``out.shape + in.shape`` (``autobp.jacobian``
    with PyTorch's argument order and defaults; ``strict=True`` checks that every output depends on
    every input)."""
    if strict and vectorize:
        raise RuntimeError(
            "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not supported "
            "together. Please either set `strict=False` or `vectorize=False`."
        )
    xs, _ = _tuple(inputs, "inputs", "jacobian")
    with enable_grad():
        if strict:
            _strict_check(func, xs, create_graph, "jacobian")
        else:
            _outputs(func(*[x.detach() for x in xs]), "jacobian")
        return _f.jacobian(func, inputs, create_graph=create_graph, vectorize=vectorize, strategy=strategy)


def _strict_check(func: Callable, xs: tuple, create_graph: bool, fn: str) -> None:
    """Every output requires grad and depends on every input (PyTorch's strict mode), else an error."""
    ps = _prepare(xs, create_graph)
    outs, _ = _outputs(func(*ps), fn)
    for o in outs:
        seeds = tuple(
            Tensor(np.zeros(q.shape, q.dtype) if q is not o else np.ones(o.shape, o.dtype)) for q in outs
        )
        gs = _grads(outs, ps, seeds, True, True, fn, "back")
        if create_graph:
            _check_graph(gs, "back")


def hessian(
    func: Callable[..., Any],
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """``torch.autograd.functional.hessian`` of a scalar ``func``: blocks ``in_i.shape + in_j.shape``."""
    if strict and vectorize:
        raise RuntimeError(
            "torch.autograd.functional.hessian: `strict=True` and `vectorize=True` are not supported "
            "together. Please either set `strict=False` or `vectorize=False`."
        )
    xs, _ = _tuple(inputs, "inputs", "hessian")
    with enable_grad():
        ps = _prepare(xs, create_graph)
        y = _scalar(func(*ps), "hessian")
        if strict:
            gs = _grads((y,), ps, (Tensor(np.ones(y.shape, y.dtype)),), True, True, "hessian", "double")
            for i, g in enumerate(gs):
                if not g.requires_grad:
                    raise RuntimeError(
                        f"The jacobian of the user-provided function with respect to input {i} is "
                        "independent of the input. This is not allowed in strict mode."
                    )
        return _f.hessian(
            lambda *a: _scalar(func(*a), "hessian").reshape(()),
            inputs,
            create_graph=create_graph,
            vectorize=vectorize,
            outer_jacobian_strategy=outer_jacobian_strategy,
        )
