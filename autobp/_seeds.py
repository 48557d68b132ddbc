"""Where a backward pass starts and what it hands back: the seed of its output (ones for a real
scalar, else the caller's ``gradient=``, checked), the tensors of ``backward(inputs=)``, the real part
of a complex gradient reaching a real input (PyTorch's convention) and the refusal of an integer leaf."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

_CYCLE = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter and its "
    "gradient which can cause a memory leak. We recommend using autograd.grad when creating the graph to "
    "avoid this. If you have to use this function, make sure to reset the .grad fields of your parameters "
    "to None after use to break the cycle and avoid the leak."
)


def warn_grad_cycle() -> None:
    """PyTorch's warning for ``backward(create_graph=True)``: ``.grad`` then holds a graph that reaches
    back to its own tensor, a reference cycle. Warned from this one line, so Python's default filter
    shows it once, as PyTorch warns once."""
    warnings.warn(_CYCLE, UserWarning, stacklevel=1)


class ComplexSeedError(RuntimeError, TypeError):
    """backward()/grad() of a complex output without ``gradient=``: PyTorch's RuntimeError, and a
    TypeError too (the output's dtype is what is wrong), so either ``except`` catches it."""


def seed_of(root: Any, gradient: Any, who: str, index: int = 0) -> np.ndarray:
    """The starting gradient of a Tensor ``root``: ones for a scalar, else the checked ``gradient``
    (``index``: the output's position, for the error message)."""
    if gradient is None:
        d = root._data  # np.array is a C call; np.ones is Python around np.empty and copyto
        if d.size != 1:
            raise RuntimeError(
                f"{who}: grad can be implicitly created only for scalar outputs, but the output "
                f"has shape {root.shape}; pass gradient= (an array of that shape)"
            )
        if d.dtype.kind == "c":  # PyTorch's rule: the seed of a complex output is not 1 by default
            raise ComplexSeedError(
                f"{who}: grad can be implicitly created only for real scalar outputs, but the output has "
                f"dtype {d.dtype}; backpropagate a real loss (abs(z) ** 2, z.real, ...) or pass gradient="
            )
        return np.array(1, d.dtype) if d.ndim == 0 else np.ones(d.shape, d.dtype)
    g = gradient._data if isinstance(gradient, type(root)) else gradient
    given = g.dtype if hasattr(g, "dtype") else np.asarray(g).dtype
    if (given.kind == "c") != (root._data.dtype.kind == "c"):  # casting would drop or invent a part
        raise ComplexSeedError(
            "For complex Tensors, both grad_output and output are required to have the same dtype. Mismatch "
            f"in dtype: grad_output[{index}] has a dtype of {given} and output[{index}] has a dtype of "
            f"{root._data.dtype}."
        )
    g = np.array(g, dtype=root._data.dtype)  # a copy: the engine may hand it to a leaf
    if g.shape != root.shape:
        raise SeedShapeError(
            f"Mismatch in shape: grad_output[{index}] has a shape of {g.shape} and output[{index}] has a "
            f"shape of {root.shape}."
        )
    return g


def graph_seed(root: Any, gradient: Any, seed: np.ndarray) -> Any:
    """The seed of a ``create_graph`` pass: the caller's ``gradient`` Tensor itself when there is one
    (so the gradients it yields depend on it, as PyTorch's do), else the checked ``seed`` as a constant."""
    cls = type(root)
    if isinstance(gradient, cls):  # a copy (recorded): a leaf's .grad must not be the caller's tensor
        return gradient.clone() if gradient.dtype == seed.dtype else gradient.astype(seed.dtype)
    return cls._const(seed)


class SeedShapeError(ValueError, RuntimeError):
    """A ``gradient=``/``grad_outputs`` whose shape is not its output's: PyTorch's RuntimeError (in its
    words), and the ValueError autobp raised before, so either ``except`` catches it."""


def _real_for(x: Any, g: Any) -> Any:
    """A real input's gradient is the real part of what reached it from a complex result (PyTorch's
    convention: rules give g * conj(d out / d x), and the imaginary part means nothing for real x)."""
    if g is None or g.dtype.kind != "c" or x._data.dtype.kind == "c":
        return g
    return g.real if type(g) is np.ndarray else type(x)._graph_ops().real(g)


def input_values(inputs: Any) -> Any:
    """``backward(inputs=...)`` given PyTorch's dict of Tensors: its values; GradientEdges: their nodes'
    tensors (_gradient_edges.py)."""
    if isinstance(inputs, dict):
        from .autograd import _dict_inputs

        return _dict_inputs(inputs, "backward")[1]
    from ._gradient_edges import tensors_of

    return tensors_of(inputs)[0]


def integer_leaf_error(t: Any, g: np.ndarray) -> TypeError:
    """The error for an integer tensor made to require grad by assignment, when a gradient reaches it."""
    return TypeError(
        f"backward: a {t._data.dtype} tensor of shape {t.shape} has requires_grad=True (set by assignment), "
        f"but only floating-point and complex tensors can require gradients (its {g.dtype} gradient would "
        "be truncated); make it float (tensor(data, dtype=float) or t.astype(float)) before requiring grad"
    )
