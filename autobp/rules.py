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
