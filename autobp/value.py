"""Value: a scalar node with micrograd's API, on the shared engine.

The graph is kept after ``backward()`` (so it can be drawn with its grads) and
every node's ``.grad`` receives this pass's gradient, added to what it held.
"""

from __future__ import annotations

import math
import operator
from numbers import Real
from typing import Any

from ._engine import run_backward
from ._engine_value import _ALL, _scalar_rule_error
from ._graph import next_seq, topological_order
from .rules import RULES


class _ScalarOps:
    """The ``F`` namespace the rules see when they run on Python floats."""

    exp = staticmethod(math.exp)
    log = staticmethod(math.log)
    scale = staticmethod(operator.mul)

    @staticmethod
    def where(cond: bool, a: float, b: float) -> float:
        return a if cond else b


def _as_float(x: Any) -> float:
    if isinstance(x, Real) and not isinstance(x, (bool, Value)):
        return float(x)
    raise TypeError(f"Value: data must be a real number, got {x!r} of type {type(x).__name__}")


_new = object.__new__


def _node(data: Any, parents: tuple, op: str, ctx: Any = None) -> Value:
    """An op's result: ``Value(data, parents, op)`` without the constructor's argument handling
    (an op's arguments are already a tuple and a name; a micrograd step makes thousands of these)."""
    v = _new(Value)
    v.data = data if type(data) is float else _as_float(data)
    v.grad = 0.0
    v.label = ""
    v._parents = parents
    v._op = op
    v._ctx = ctx
    v._seq = next_seq()
    return v


def _operand(x: Any, op: str) -> Value:
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or (isinstance(x, Real) and not isinstance(x, bool)):
        return _node(float(x), (), None)
    raise TypeError(
        f"Value {op}: unsupported operand {x!r} of type {type(x).__name__}; expected a Value or a real number"
    )


class Value:
    """A scalar that remembers how it was computed, for reverse-mode autodiff.

    >>> x = Value(2.0); y = x * x + 1; y.backward(); x.grad
    4.0
    """

    __slots__ = ("data", "grad", "label", "_parents", "_op", "_ctx", "_seq", "__weakref__")
    requires_grad = True
    _keeps_graph = True  # micrograd semantics: backward() does not free the graph
    _retains_grad = True  # every node, not just leaves, gets its .grad
    _raw_ops = _ScalarOps

    def __init__(
        self, data: float, _children: tuple = (), _op: str = "", label: str = "", _ctx: Any = None
    ) -> None:
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.label = label
        self._parents = _children if type(_children) is tuple else tuple(_children)
        self._op = _op or None
        self._ctx = _ctx
        self._seq = next_seq()

    @classmethod
    def _graph_ops(cls):
        raise NotImplementedError(
            "Value graphs support first derivatives only; use Tensor with create_graph=True for higher orders"
        )

    def _receive_grad(self, g: float, delivered: Any = None, pre: bool = True) -> float:
        self.grad += g
        return g  # the gradient that flows on (a Tensor's hooks may replace it)

    @staticmethod
    def _receive_grads(pairs: Any, delivered: Any = None) -> None:
        for v, g in pairs:
            v.grad += g

    @property
    def _prev(self) -> set:
        """micrograd's name for the parents."""
        return set(self._parents)

    # --- arithmetic ----------------------------------------------------------
    def __add__(self, other: Any) -> Value:
        if type(other) is not Value:
            other = _operand(other, "+")
        return _node(self.data + other.data, (self, other), "add")

    def __mul__(self, other: Any) -> Value:
        if type(other) is not Value:
            other = _operand(other, "*")
        return _node(self.data * other.data, (self, other), "mul")

    def __sub__(self, other: Any) -> Value:
        if type(other) is not Value:
            other = _operand(other, "-")
        return _node(self.data - other.data, (self, other), "sub")

    def __truediv__(self, other: Any) -> Value:
        if type(other) is not Value:
            other = _operand(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(f"Value /: division of {self.data!r} by zero")
        return _node(self.data / other.data, (self, other), "div")

    def __radd__(self, other: Any) -> Value:
        return _operand(other, "+") + self

    def __rmul__(self, other: Any) -> Value:
        return _operand(other, "*") * self

    def __rsub__(self, other: Any) -> Value:
        return _operand(other, "-") - self

    def __rtruediv__(self, other: Any) -> Value:
        return _operand(other, "/") / self

    def __neg__(self) -> Value:
        return _node(-self.data, (self,), "neg")

    def __pow__(self, other: Any) -> Value:
        if isinstance(other, Value):
            return self._pow_value(other)
        if not isinstance(other, Real) or isinstance(other, bool):
            raise TypeError(f"Value **: exponent must be an int, float or Value, got {type(other).__name__}")
        x = self.data
        if x < 0 and float(other) != int(other):
            raise ValueError(f"Value **: negative base {x!r} with non-integer exponent {other!r}")
        if x == 0 and other < 0:
            raise ZeroDivisionError(f"Value **: zero base with negative exponent {other!r}")
        return _node(x**other, (self,), "pow_scalar", other)

    def __rpow__(self, other: Any) -> Value:
        return _operand(other, "**")._pow_value(self)

    def _pow_value(self, other: Value) -> Value:
        if self.data <= 0:
            raise ValueError(
                f"Value **: base must be positive when the exponent is a Value "
                f"(d/db a**b = a**b ln a), got base {self.data!r}"
            )
        return _node(self.data**other.data, (self, other), "pow")

    # --- functions -----------------------------------------------------------
    def exp(self) -> Value:
        try:
            return _node(math.exp(self.data), (self,), "exp")
        except OverflowError:
            raise OverflowError(f"Value.exp: exp({self.data!r}) overflows a float") from None

    def log(self) -> Value:
        if self.data <= 0:
            raise ValueError(f"Value.log: log of non-positive number {self.data!r}")
        return _node(math.log(self.data), (self,), "log")

    def tanh(self) -> Value:
        return _node(math.tanh(self.data), (self,), "tanh")

    def sigmoid(self) -> Value:
        x = self.data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return _node(s, (self,), "sigmoid")

    def relu(self) -> Value:
        return _node(self.data if self.data > 0 else 0.0, (self,), "relu")

    # --- autodiff ------------------------------------------------------------
    def backward(self) -> None:
        """Add d(self)/d(node) to ``.grad`` of every node this Value depends on.

        Gradients accumulate across calls, like PyTorch leaves: call
        ``zero_grad()`` between passes to start from zero.
        """
        run_backward([self], [1.0])

    def _backward(self) -> None:
        """micrograd's step for one node: add ``.grad`` times each local derivative into the inputs'
        ``.grad`` (a leaf, or an op with no rule, passes nothing). Called on every node in reverse
        topological order after setting the output's ``.grad`` to 1, it does what ``backward()`` does."""
        rule = RULES.get(self._op) if self._op is not None else None
        if rule is None:
            return
        parents = self._parents
        try:
            pgs = rule(_ScalarOps, self.grad, self.data, tuple(p.data for p in parents), self._ctx, _ALL)
        except (ZeroDivisionError, OverflowError, ValueError) as err:
            raise _scalar_rule_error(self, err) from None
        for p, pg in zip(parents, pgs):
            if pg is not None:
                p.grad += pg

    def zero_grad(self) -> None:
        """Set ``.grad`` to 0 on this Value and every node it depends on."""
        for v in topological_order([self]):
            v.grad = 0.0

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"  # micrograd's
