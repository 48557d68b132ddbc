"""func.grad / value_and_grad of Tensors that do not require grad give constant Tensors, as
torch.func.grad does: the call's own graph (its fresh leaves) does not leak into the result, so an
optimisation loop ``x = x - lr * grad(f)(x)`` over Tensors (autobp.random's draws are Tensors) does
not grow a graph step after step. Found running HIPS autograd's test_value_and_grad."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp.func import grad, grad_and_value, value_and_grad

torch = pytest.importorskip("torch")


def loss(x):
    return (autobp.sin(x) ** 2).sum()


def torch_loss(x):
    return (torch.sin(x) ** 2).sum()


def test_grad_of_a_constant_tensor_is_a_constant_tensor_as_torch_func():
    x = np.array([0.3, -1.2, 2.0])
    g = grad(loss)(autobp.tensor(x))
    want = torch.func.grad(torch_loss)(torch.tensor(x))
    assert isinstance(g, autobp.Tensor)
    assert g.requires_grad is want.requires_grad is False and g.grad_fn is None
    np.testing.assert_allclose(g.data, want.numpy())


def test_value_and_grad_value_and_aux_are_constants():
    x = autobp.tensor([0.3, -1.2, 2.0])
    v, g = value_and_grad(loss)(x)
    tv, tg = torch.func.grad_and_value(torch_loss)(torch.tensor(x.data))[::-1]
    assert not v.requires_grad and not g.requires_grad
    np.testing.assert_allclose(v.data, tv.numpy())
    np.testing.assert_allclose(g.data, tg.numpy())
    g2, (v2, aux) = grad_and_value(lambda x: (loss(x), x * 2), has_aux=True)(x)
    assert not v2.requires_grad and not g2.requires_grad
    np.testing.assert_allclose(aux.data, 2 * x.data)
    np.testing.assert_allclose(g2.data, tg.numpy())


def test_a_descent_loop_over_tensors_keeps_no_graph():
    x = autobp.tensor([0.3, -1.2, 2.0])
    for _ in range(3):
        x = x - 0.1 * grad(loss)(x)
        assert not x.requires_grad and x.grad_fn is None


def test_graphs_outside_the_call_are_still_recorded():
    w = autobp.tensor([3.0, 1.0], requires_grad=True)  # closed over: the gradient depends on it
    g = grad(lambda x: (x * x * w).sum())(autobp.tensor([1.0, 2.0]))
    assert g.requires_grad
    g.sum().backward()
    np.testing.assert_allclose(w.grad, [2.0, 4.0])  # d/dw sum(2 x w) = 2 x
    h = grad(grad(lambda x: (x**3).sum()))(autobp.tensor(2.0))  # nesting: inner grad records
    assert float(h) == pytest.approx(12.0)
