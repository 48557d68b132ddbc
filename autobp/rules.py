"""The derivative table: one vector-Jacobian rule per op, shared by Value and Tensor; the rules
themselves sit beside their ops' forwards, one module per family in ``autobp/ops/``.

A rule is ``rule(F, g, out, xs, ctx, need) -> tuple`` of one gradient per input
(None where ``need`` says the input wants none). ``g`` is the gradient of the
output, ``out`` the output, ``xs`` the inputs, ``ctx`` what the forward saved.
The engine passes raw numbers and ``F`` = numpy (or math) for a plain backward,
and Tensors with ``F`` = autobp's own ops under ``create_graph=True``: the same
rule then records its own graph, so one rule serves every derivative order.
Gradients may have the broadcast shape; the engine reduces them (unbroadcast).
``F.scale(g, f)`` is ``g * f`` for an ``f`` of g's shape; when the engine holds the
only reference to ``g`` it may write the product into g's buffer instead of a new one.
``F.saved(a, rebuild)`` is an array ``a`` the forward saved in ``ctx``; under ``create_graph``
it is ``rebuild()``, recorded from the inputs, so the rule stays differentiable.
"""

from __future__ import annotations

from collections.abc import Callable

RULES: dict[str, Callable] = {}


def rule(name: str) -> Callable[[Callable], Callable]:
    """Register ``fn`` as the derivative rule of op ``name``."""

    def register(fn: Callable) -> Callable:
        if name in RULES:
            raise ValueError(f"derivative rule for op {name!r} is already registered")
        RULES[name] = fn
        return fn

    return register


def holomorphic(fn: Callable) -> Callable:
    """Make a rule written as g * f'(x) (from the inputs and the output) right for complex inputs too.

    For f with real Taylor coefficients, f(conj z) = conj f(z), so the same formula evaluated at the
    conjugated inputs and output gives g * conj(f'(z)): PyTorch's convention for holomorphic ops
    (docs/concepts/complex.md). Real results run the rule as it is (one dtype test, no copy)."""

    def at_conjugates(F, g, out, xs, ctx, need):
        if out.dtype.kind == "c":
            out, xs = F.conj(out), tuple(F.conj(x) for x in xs)
        return fn(F, g, out, xs, ctx, need)

    at_conjugates.__name__ = at_conjugates.__qualname__ = fn.__name__
    at_conjugates.__doc__ = fn.__doc__
    return at_conjugates


# The ops whose rule reads none of its inputs' values, nor the output, nor an array the forward
# saved: only shapes, dtypes and small metadata in ctx (axes, a permutation, slices, a Python number).
# A Tensor backward keeps such a node's inputs and ctx instead of releasing them, so backward() can
# go through it again and add to .grad once more, as in PyTorch, whose nodes for these ops save no
# tensor: ``x.sum()`` or ``(x + y).sum()`` twice works; ``(x * y).sum()`` twice still raises, at the
# mul node. The same ops skip the in-place version check (a write changes no value they read). Memory:
# PyTorch's nodes hold no data here, ours hold the input Tensors, so those arrays stay alive as long as
# the node does (while the output is referenced). tests/test_backward_twice.py checks every name
# against torch. Not here, though torch keeps them: tril/triu ("triangle" saves a mask array) and
# basic indexing ("getitem" may save index arrays); nor ``x * 2``, ``x / 2``, whose torch nodes save
# the number as a tensor and raise.
SAVES_NOTHING = frozenset(
    {
        "add",
        "sub",
        "neg",
        "add_scalar",
        "sub_scalar",
        "rsub_scalar",
        "sum",
        "mean",
        "cumsum",
        "reshape",
        "transpose",
        "broadcast_to",
        "astype",
        "flip",
        "roll",
        "pad",
        "concatenate",
        "stack",
    }
)
