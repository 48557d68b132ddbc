"""``autobp.grad``: gradients of outputs with respect to chosen inputs, as a function; and
``torch.autograd``'s other names (``backward`` of several outputs at once, ``Function``, ``gradcheck``,
the grad-mode switches, ``detect_anomaly``, ``set_detect_anomaly``, ``Variable``), so
``autobp.autograd`` stands in for it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ._engine import run_backward
from ._gradient_edges import tensors_of
from ._seeds import graph_seed, seed_of, warn_grad_cycle
from .tensor import Tensor


def _functional_grad(fn: Callable[..., Any], position: Any, argnums: Any, has_aux: bool) -> Callable:
    from .func import grad as functional_grad

    if position is not None and argnums is not None:
        raise TypeError(f"grad(f, ...): argnums given twice ({position!r} and argnums={argnums!r})")
    which = position if position is not None else argnums
    return functional_grad(fn, 0 if which is None else which, has_aux=has_aux)


def _as_list(x: Any, what: str) -> list[Tensor]:
    items = [x] if isinstance(x, Tensor) else list(x)
    for i, t in enumerate(items):
        if not isinstance(t, Tensor):
            raise TypeError(f"grad: {what}[{i}] is a {type(t).__name__}, not a Tensor")
    return items


def _is_mapping(x: Any) -> bool:
    return isinstance(x, Mapping)


def _dict_inputs(inputs: Any, who: str) -> tuple[list, list]:
    """The keys and Tensors of ``inputs`` given as a dict (PyTorch's form; exactly a dict)."""
    if type(inputs) is not dict:
        raise TypeError(
            f"`inputs` argument to `{who}()` must be a dict, not {type(inputs).__name__}. Other Mapping "
            "types are not supported."
        )
    return list(inputs.keys()), list(inputs.values())


def _per_output(values: Any, outs: list, mismatch: str) -> list:
    """One seed (or None) per output from None, a single array or Tensor, or a sequence of them."""
    if values is None or isinstance(values, (Tensor, np.ndarray)):
        seeds = [values] * len(outs) if values is None else [values]
    else:
        seeds = list(values)
    if len(seeds) != len(outs):
        raise ValueError(mismatch.format(len(seeds), len(outs)))
    return seeds


def grad(
    outputs: Tensor | Sequence[Tensor] | Callable[..., Any],
    inputs: Tensor | Sequence[Tensor] | int | Sequence[int] | None = None,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
    *,
    argnums: int | Sequence[int] | None = None,
    has_aux: bool = False,
) -> Any:
    """Return d(outputs)/d(inputs) as a tuple of Tensors, leaving every ``.grad`` untouched.

    With ``create_graph=True`` the results are part of a graph themselves, so
    they can be differentiated again (second derivatives, Hessian-vector products).
    An input the outputs do not depend on raises, or with ``allow_unused=True`` gets None, or with
    ``materialize_grads=True`` zeros (PyTorch's keywords). ``is_grads_batched=True``: the first axis of
    each ``grad_outputs`` entry is a batch of cotangents, and each result gets that axis too.

    Given a function instead, ``grad(f)``, ``grad(f, 1)`` or ``grad(f, argnums=(0, 1), has_aux=True)``
    is ``autobp.func.grad``: the gradient as a function, as JAX and HIPS autograd spell it.
    """
    if callable(outputs) and not isinstance(outputs, Tensor):
        return _functional_grad(outputs, inputs, argnums, has_aux)
    if inputs is None:
        raise TypeError(
            "grad(outputs, inputs): inputs is missing (the Tensors to differentiate with respect to)"
        )
    if not isinstance(inputs, (Tensor, list, tuple)) and _is_mapping(inputs):  # PyTorch's dict of inputs
        keys, values = _dict_inputs(inputs, "grad")
        res = grad(
            outputs,
            values,
            grad_outputs,
            retain_graph,
            create_graph,
            allow_unused,
            is_grads_batched,
            materialize_grads,
        )
        return dict(zip(keys, res))
    outputs = tensors_of(outputs)[0]  # GradientEdges stand for their nodes' tensors
    inputs, edge_inputs = tensors_of(inputs)
    if is_grads_batched:  # one backward per cotangent of the batch, stacked (see _grads_batched.py)
        from ._grads_batched import grads_batched

        outs, ins = _as_list(outputs, "outputs"), _as_list(inputs, "inputs")
        gos = _per_output(grad_outputs, outs, "grad: {} grad_outputs for {} outputs")
        return grads_batched(
            grad,
            outs,
            ins,
            gos,
            retain_graph=retain_graph,
            create_graph=create_graph,
            allow_unused=allow_unused,
            materialize_grads=materialize_grads,
        )
    if allow_unused is None:
        allow_unused = materialize_grads
    elif materialize_grads and not allow_unused:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, but got: "
            "allow_unused=False."
        )
    outs = _as_list(outputs, "outputs")
    ins = _as_list(inputs, "inputs")
    if not ins:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    gos = _per_output(grad_outputs, outs, "grad: {} grad_outputs for {} outputs")
    for i, t in enumerate(ins):
        if not t.requires_grad:
            raise RuntimeError(f"grad: inputs[{i}] (shape {t.shape}) does not require grad")
    for i, t in enumerate(outs):
        if not t.requires_grad:
            raise RuntimeError(
                f"grad: outputs[{i}] (shape {t.shape}) does not require grad: "
                "it does not depend on any input that does"
            )
    seeds = []
    for i, (o, go) in enumerate(zip(outs, gos)):
        s = seed_of(o, go, f"grad (outputs[{i}])", i)
        if create_graph:
            s = graph_seed(o, go, s)
        seeds.append(s)
    if retain_graph is None:
        retain_graph = create_graph
    results = run_backward(outs, seeds, inputs=ins, retain_graph=retain_graph, create_graph=create_graph)
    out = []
    for i, (x, g) in enumerate(zip(ins, results)):
        if g is None and materialize_grads and edge_inputs and edge_inputs[i]:
            raise RuntimeError("materialize_grads cannot be used when the given input is a GradientEdge")
        if g is None and materialize_grads:  # under create_graph a leaf that requires grad, as PyTorch's
            out.append(Tensor(np.zeros_like(x._data), requires_grad=create_graph))
            continue
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"grad: The differentiated Tensor at index {i} appears to not have been used in the "
                    f"graph (inputs[{i}], shape {x.shape}). "
                    "Set allow_unused=True if this is the desired behavior (it then gets None)"
                )
            out.append(None)
            continue
        if x.dtype.kind not in "fc":
            raise TypeError(
                f"grad: inputs[{i}] is a {x.dtype} tensor of shape {x.shape}; only floating-point and"
                " complex tensors can require gradients (its gradient would be truncated)"
            )
        if not isinstance(g, Tensor):
            g = Tensor._const(np.asarray(g, dtype=x.dtype))
        elif g.dtype != x.dtype:
            g = g.astype(x.dtype)
        out.append(g)
    return tuple(out)


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Any = None,
) -> None:
    """Accumulate the gradients of ``sum_k grad_tensors[k] . tensors[k]`` into the leaves' ``.grad`` in
    one pass (``torch.autograd.backward``): each output's seed as in ``Tensor.backward``, one graph walk
    for all of them, so a node shared by several outputs runs its rule once. ``inputs``: only these."""
    outs = _as_list(tensors_of(tensors)[0], "tensors")  # GradientEdges stand for their nodes' tensors
    inputs = tensors_of(inputs)[0]
    gos = _per_output(grad_tensors, outs, "backward: {} grad_tensors for {} tensors")
    if len(outs) == 1:
        outs[0].backward(gos[0], retain_graph=retain_graph, create_graph=create_graph, inputs=inputs)
        return
    for i, t in enumerate(outs):
        if not t.requires_grad:
            raise RuntimeError(
                f"backward: tensors[{i}] (shape {t.shape}) does not require grad and has no graph"
            )
    seeds = [seed_of(o, go, f"backward (tensors[{i}])", i) for i, (o, go) in enumerate(zip(outs, gos))]
    if create_graph:
        seeds = [graph_seed(o, go, s) for o, go, s in zip(outs, gos, seeds)]
        warn_grad_cycle()
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is None:
        run_backward(outs, seeds, retain_graph=retain_graph, create_graph=create_graph)
        return
    if isinstance(inputs, dict) or _is_mapping(inputs):
        inputs = _dict_inputs(inputs, "backward")[1]
    ins = _as_list(inputs, "inputs")
    if not ins:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    run_backward(
        outs, seeds, inputs=ins, retain_graph=retain_graph, create_graph=create_graph, accumulate=True
    )


from . import autograd_functional as functional  # noqa: E402, F401  torch.autograd.functional's forms
from . import (  # noqa: E402
    function,  # noqa: E402, F401  torch.autograd.function (once_differentiable, Function)
    graph,  # noqa: E402, F401  torch.autograd.graph's increment_version
)
from ._autograd_extras import (  # noqa: E402, F401  torch.autograd's Variable and switches
    Variable,
    is_multithreading_enabled,
    set_detect_anomaly,
    set_multithreading_enabled,
)
from ._graph import enable_grad, no_grad, set_grad_enabled  # noqa: E402, F401  torch.autograd's switches
from .anomaly import detect_anomaly  # noqa: E402, F401
from .function import Function  # noqa: E402, F401  torch.autograd.Function
from .gradcheck import gradcheck, gradgradcheck  # noqa: E402, F401
from .pytorch_names import inference_mode  # noqa: E402, F401
