"""Neurons, layers and MLPs of scalar ``Value`` nodes: micrograd's teaching ``nn``, on autobp's engine.

A micrograd notebook runs unchanged with ``from autobp.scalar_nn import MLP`` in place of
``from micrograd.nn import MLP``: weights are drawn in the same order from Python's ``random`` module
(so ``random.seed(1337)`` gives the same net), and calls, ``parameters()``, ``zero_grad()`` and the
printed forms are micrograd's. For real work use ``autobp.nn`` on Tensors.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from .value import Value


class Module:
    """A scalar model: its ``parameters()`` and ``zero_grad()``, which sets every gradient to 0."""

    def parameters(self) -> list[Value]:
        """The trainable Values, in a fixed order."""
        return []

    def zero_grad(self) -> None:
        """Reset every parameter's gradient (a Value graph accumulates, as micrograd's does)."""
        for p in self.parameters():
            p.grad = 0


class Neuron(Module):
    """``relu(w . x + b)`` (or without the relu when ``nonlin=False``); w ~ U(-1, 1), b = 0."""

    def __init__(self, nin: int, nonlin: bool = True) -> None:
        if int(nin) != nin or nin < 0:
            raise ValueError(f"Neuron: nin must be a non-negative integer, got {nin!r}")
        self.w = [Value(random.uniform(-1, 1)) for _ in range(int(nin))]
        self.b = Value(0)
        self.nonlin = nonlin

    def __call__(self, x: Sequence[Any]) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"Neuron: expected {len(self.w)} inputs, got {len(x)}")
        act = self.b
        for wi, xi in zip(self.w, x):  # b + w0 x0 + w1 x1 + ..., summed in micrograd's order
            act = act + wi * xi
        return act.relu() if self.nonlin else act

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same inputs; a layer of one neuron returns its Value, not a list."""

    def __init__(self, nin: int, nout: int, **kwargs: Any) -> None:
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x: Sequence[Any]) -> Value | list[Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(map(repr, self.neurons))}]"


class MLP(Module):
    """Layers of sizes ``nouts`` after ``nin`` inputs, relu on every layer but the last."""

    def __init__(self, nin: int, nouts: Sequence[int]) -> None:
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != last) for i in range(len(nouts))]

    def __call__(self, x: Any) -> Any:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(map(repr, self.layers))}]"
