"""Optimisation loops as functions, in the style of HIPS autograd's ``misc.optimizers``:
``adam(grad, x0, callback, num_iters, step_size)`` with ``grad(x, i)`` returning the gradient at
iterate ``x`` of step ``i``. ``x0`` may be a pytree (dict/list/tuple of arrays); the loop runs on one
flat float64 vector (``autobp.pytree.ravel_pytree``) and ``callback(x, i, g)`` sees the tree again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..pytree import ravel_pytree, tree_map
from ..tensor import Tensor


def _values(flat: Any) -> np.ndarray:
    return np.asarray(flat._data if isinstance(flat, Tensor) else flat, dtype=np.float64)


def _as_float(leaf: Any) -> Any:
    """An integer or bool leaf as float64 (the loop moves it by fractional steps); others unchanged."""
    kind = np.asarray(leaf._data if isinstance(leaf, Tensor) else leaf).dtype.kind
    return (
        leaf.astype(np.float64)
        if kind in "iub" and hasattr(leaf, "astype")
        else (float(leaf) if kind in "iub" else leaf)
    )


def _flat_loop(step: Callable, grad: Callable, x0: Any, callback: Callable | None, num_iters: int) -> Any:
    """Run ``x = step(x, g, i)`` on the flattened tree; ``grad``/``callback`` see the tree."""
    flat, unravel_as = ravel_pytree(tree_map(_as_float, x0))
    x = _values(flat)

    def unravel(v: np.ndarray) -> Any:  # each leaf back in its own float dtype (float32 stays float32)
        return unravel_as(np.asarray(v).astype(flat.dtype, copy=False))

    state: dict = {}
    for i in range(num_iters):
        g = _values(ravel_pytree(grad(unravel(x), i))[0])
        if g.shape != x.shape:
            raise ValueError(f"optimizer: grad returned {g.size} numbers for {x.size} parameters")
        if callback is not None:
            callback(unravel(x), i, unravel(g))
        x = step(x, g, i, state)
    return unravel(x)


def sgd(
    grad: Callable,
    x0: Any,
    callback: Callable | None = None,
    num_iters: int = 200,
    step_size: float = 0.1,
    mass: float = 0.9,
) -> Any:
    """Gradient descent with momentum as an exponential average: v <- mass v - (1 - mass) g,
    x <- x + step_size v (v starts at 0).

    >>> float(sgd(lambda x, i: 2 * x, np.array([1.0]), num_iters=300)[0]) < 1e-6
    True
    """

    def step(x, g, i, s):
        s["v"] = mass * s.get("v", 0.0) - (1.0 - mass) * g
        return x + step_size * s["v"]

    return _flat_loop(step, grad, x0, callback, num_iters)


def rmsprop(
    grad: Callable,
    x0: Any,
    callback: Callable | None = None,
    num_iters: int = 100,
    step_size: float = 0.1,
    gamma: float = 0.9,
    eps: float = 1e-8,
) -> Any:
    """RMSprop: a <- gamma a + (1 - gamma) g^2 (a starts at 1), x <- x - step_size g / (sqrt(a) + eps)."""

    def step(x, g, i, s):
        s["a"] = s.get("a", 1.0) * gamma + g**2 * (1 - gamma)
        return x - step_size * g / (np.sqrt(s["a"]) + eps)

    return _flat_loop(step, grad, x0, callback, num_iters)


def adam(
    grad: Callable,
    x0: Any,
    callback: Callable | None = None,
    num_iters: int = 100,
    step_size: float = 0.001,
    b1: float = 0.9,
    b2: float = 0.999,
    eps: float = 1e-8,
) -> Any:
    """Adam (Kingma & Ba 2015): moment averages m, v of g and g^2 (from 0), bias-corrected by
    1 - b^(i+1), and x <- x - step_size m_hat / (sqrt(v_hat) + eps).

    >>> x = adam(lambda x, i: {"w": 2 * x["w"]}, {"w": np.array([1.0, -2.0])}, num_iters=2000, step_size=0.01)
    >>> bool(np.all(np.abs(x["w"]) < 1e-3))
    True
    """

    def step(x, g, i, s):
        s["m"] = (1 - b1) * g + b1 * s.get("m", 0.0)
        s["v"] = (1 - b2) * g**2 + b2 * s.get("v", 0.0)
        m_hat = s["m"] / (1 - b1 ** (i + 1))
        v_hat = s["v"] / (1 - b2 ** (i + 1))
        return x - step_size * m_hat / (np.sqrt(v_hat) + eps)

    return _flat_loop(step, grad, x0, callback, num_iters)


__all__ = ["sgd", "rmsprop", "adam"]
