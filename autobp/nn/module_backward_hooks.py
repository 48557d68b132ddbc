"""Module backward hooks (PyTorch's ``register_full_backward_hook`` / ``register_full_backward_pre_hook``).

As PyTorch does, a hooked call wraps the module's positional Tensor inputs and its Tensor outputs in
identity nodes (one ``autobp.Function`` node per side): the output node runs when every gradient of
the outputs is complete (pre-hooks), the input node when every gradient of the inputs is (hooks).
Modules without backward hooks never get here (Module's fast path)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .._graph import is_grad_enabled
from ..function import Function
from ..tensor import Tensor, _view


class BackwardHookState:
    """One hooked call: the hooks captured at forward time (PyTorch's, too: a hook removed after
    the forward still runs for that graph), where the Tensors sit among the arguments and outputs,
    and the (possibly replaced) output gradients, which wait for the input node."""

    def __init__(self, module: Any, hooks: list, pre_hooks: list) -> None:
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.grad_outputs: tuple | None = None
        self.n_inputs = self.n_outputs = 0
        self.in_index: list | None = None  # positions of the wrapped inputs; None: none needs grad
        self.in_tensors: list = []  # (position, Tensor) of every Tensor argument
        self.out_index: list = []
        self.out_tensors: list = []
        self.reached: list = []  # per wrapped output: did a gradient reach it in this pass

    def wrap_inputs(self, args: tuple) -> tuple:
        """``args`` with each positional Tensor that requires grad replaced by an identity of it."""
        self.n_inputs = len(args)
        self.in_tensors = [(i, a) for i, a in enumerate(args) if isinstance(a, Tensor)]
        idx = [i for i, a in self.in_tensors if _wrappable(a)]
        if not idx:
            return args
        self.in_index = idx
        new = list(args)
        for i, t in zip(idx, _identity(self, "in", [args[i] for i in idx])):
            new[i] = t
        return tuple(new)

    def wrap_outputs(self, out: Any) -> Any:
        """``out`` (a Tensor or a tuple) with each Tensor that requires grad replaced by an identity."""
        single = not isinstance(out, tuple)
        outs = (out,) if single else out
        if single and not isinstance(out, Tensor):
            warnings.warn(
                f"For backward hooks to be called, module output should be a Tensor or a tuple of Tensors "
                f"but received {type(out)}",
                stacklevel=3,
            )
        self.n_outputs = len(outs)
        idx = [i for i, t in enumerate(outs) if isinstance(t, Tensor) and _wrappable(t)]
        if not idx:
            return out
        self.out_index, self.out_tensors = idx, [outs[i] for i in idx]
        wrapped = _identity(self, "out", self.out_tensors)
        self.reached = [len(idx) == 1] * len(idx)  # one output: its node runs only if reached
        if len(idx) > 1:  # a slot of the shared node that no gradient reaches gets PyTorch's None
            for k, t in enumerate(wrapped):
                t.register_hook(_Mark(self.reached, k))
        new = list(outs)
        for i, t in zip(idx, wrapped):
            new[i] = t
        return new[0] if single else tuple(new)

    def on_outputs(self, grads: tuple) -> tuple:
        """The output node's backward: pre-hooks may replace grad_output (one entry per output,
        None where no gradient came); hooks run here too if no input needed a gradient."""
        go = [None] * self.n_outputs
        for k, i in enumerate(self.out_index):
            go[i] = grads[k] if self.reached[k] else None
            self.reached[k] = len(self.out_index) == 1
        grad_outputs = tuple(go)
        for hook in self.pre_hooks:
            grad_outputs = _replaced(hook(self.module, grad_outputs), grad_outputs, "pre hook", hook)
        if self.in_index is None:  # PyTorch then calls the hooks here, with grad_input all None
            self._hooks_without_inputs(grad_outputs)
        else:
            self.grad_outputs = grad_outputs
        return tuple(
            _checked(grad_outputs[i], t, i, "grad_output") for i, t in zip(self.out_index, self.out_tensors)
        )

    def _hooks_without_inputs(self, grad_outputs: tuple) -> None:
        if not self.hooks:
            return
        warnings.warn(
            "Full backward hook is firing when gradients are computed with respect to module outputs "
            "since no inputs require gradients.",
            stacklevel=2,
        )
        grad_inputs = (None,) * self.n_inputs
        for hook in self.hooks:
            res = hook(self.module, grad_inputs, grad_outputs)
            if res is not None and not (isinstance(res, tuple) and all(r is None for r in res)):
                raise RuntimeError(
                    "Backward hook for Modules where no input requires gradient should always return "
                    "None or None for all gradients."
                )

    def on_inputs(self, grads: tuple) -> tuple:
        """The input node's backward: hooks see grad_input (one entry per positional argument: None
        for non-Tensors, zeros for Tensors that got no gradient, as PyTorch) and may replace it."""
        if self.grad_outputs is None:  # the gradient reached the inputs without passing the outputs
            return grads
        gi: list = [None] * self.n_inputs
        for i, a in self.in_tensors:  # PyTorch fills the gradient of a Tensor that needs none with zeros
            gi[i] = Tensor._const(np.zeros(a.shape, dtype=a.dtype))
        for i, g in zip(self.in_index, grads):
            gi[i] = g
        grad_inputs = tuple(gi)
        for hook in self.hooks:
            grad_inputs = _replaced(
                hook(self.module, grad_inputs, self.grad_outputs), grad_inputs, "hook", hook
            )
        self.grad_outputs = None
        inputs = dict(self.in_tensors)
        return tuple(_checked(grad_inputs[i], inputs[i], i, "grad_input") for i in self.in_index)


class _Mark:
    """A tensor hook that notes that a gradient reached output ``k`` (and leaves it unchanged)."""

    def __init__(self, reached: list, k: int) -> None:
        self.reached, self.k = reached, k

    def __call__(self, g: Any) -> None:
        self.reached[self.k] = True


class _BackwardHookIdentity(Function):
    """The identity on the hooked Tensors; its backward is where the module's hooks run."""

    @staticmethod
    def forward(ctx: Any, state: BackwardHookState, side: str, *arrays: np.ndarray) -> Any:
        ctx.state, ctx.side = state, side
        return arrays[0] if len(arrays) == 1 else arrays

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> tuple:
        state = ctx.state
        new = state.on_outputs(grads) if ctx.side == "out" else state.on_inputs(grads)
        return (None, None, *new)


def _wrappable(t: Tensor) -> bool:
    return t.requires_grad and t.dtype.kind == "f"  # Function nodes carry real floats only


def _identity(state: BackwardHookState, side: str, tensors: list) -> list:
    out = _BackwardHookIdentity.apply(state, side, *tensors)
    if len(tensors) == 1:  # the same array: link it as a view, so in-place writes are seen by both
        return [_view(out, tensors[0])]
    return list(out)


def _replaced(res: Any, current: tuple, kind: str, hook: Callable) -> tuple:
    """What a hook returned: None keeps ``current``; a tuple of as many entries replaces it."""
    if res is None:
        return current
    if not isinstance(res, (tuple, list)):
        name = getattr(hook, "__name__", type(hook).__name__)
        raise TypeError(
            f"backward {kind} {name!r} must return None or a tuple of gradients, got {type(res).__name__}"
        )
    if len(res) != len(current):
        what = "grad_output" if kind == "pre hook" else "grad_input"
        raise RuntimeError(
            f"Backward {kind} returned an invalid number of {what}, got {len(res)}, "
            f"but expected {len(current)}"
        )
    return tuple(res)


def _checked(g: Any, t: Tensor, i: int, what: str) -> Any:
    """A gradient a hook returned, as a Tensor of ``t``'s shape (None stays None: no gradient)."""
    if g is None:
        return None
    g = g if isinstance(g, Tensor) else Tensor._const(np.asarray(g))
    if g.shape != t.shape:
        raise RuntimeError(
            f"a backward hook has changed the size of {what}[{i}]: the tensor has shape {t.shape}, "
            f"the hook returned shape {g.shape}"
        )
    return g


def backward_state(module: Any, hooks: tuple | None) -> BackwardHookState | None:
    """The state of a hooked call, or None when no backward hook applies (or grad mode is off)."""
    from .module_global_hooks import registry

    g = registry()  # the hooks every module runs before its own (PyTorch's global module hooks)
    gpre, gpost = g._global_backward_pre_hooks, g._global_backward_hooks
    pre = [*gpre.values(), *(hooks[2].values() if hooks else ())]
    post = [*gpost.values(), *(hooks[3].values() if hooks else ())]
    if not (pre or post) or not is_grad_enabled():
        return None
    return BackwardHookState(module, post, pre)
