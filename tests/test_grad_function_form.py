"""``autobp.grad`` given a function is ``autobp.func.grad`` (JAX's and HIPS autograd's ``grad(f)``);
given Tensors it stays torch.autograd.grad."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
from autobp import Tensor


def _f(w, x):
    return autobp.tanh(autobp.dot(x, w)).sum()


W = np.array([0.3, -0.2, 0.5])
X = np.arange(6.0).reshape(2, 3) / 5


def _expected_dw(w, x):
    """d/dw sum tanh(x @ w) = x^T (1 - tanh(x @ w)^2), by calculus."""
    return x.T @ (1 - np.tanh(x @ w) ** 2)


def test_grad_of_a_function_is_the_functional_gradient_with_numpy_in_numpy_out():
    g = autobp.grad(_f)(W, X)
    assert isinstance(g, np.ndarray)
    np.testing.assert_allclose(g, _expected_dw(W, X), rtol=1e-12)


def test_the_second_positional_argument_and_argnums_pick_the_argument():
    dx = np.outer(1 - np.tanh(X @ W) ** 2, W)
    np.testing.assert_allclose(autobp.grad(_f, 1)(W, X), dx, rtol=1e-12)
    gw, gx = autobp.grad(_f, argnums=(0, 1))(W, X)
    np.testing.assert_allclose(gw, _expected_dw(W, X), rtol=1e-12)
    np.testing.assert_allclose(gx, dx, rtol=1e-12)
    with pytest.raises(TypeError, match="argnums given twice"):
        autobp.grad(_f, 0, argnums=1)


def test_has_aux_and_nesting():
    g, aux = autobp.grad(lambda w: ((w**2).sum(), "aux"), has_aux=True)(np.array([1.0, -2.0]))
    np.testing.assert_allclose(g, [2.0, -4.0])
    assert aux == "aux"
    third = autobp.grad(autobp.grad(autobp.grad(lambda x: x**4)))(Tensor(1.5))
    assert float(third) == pytest.approx(24 * 1.5)


def test_tensor_outputs_keep_torch_autograd_grads_meaning():
    t = Tensor([1.0, 2.0], requires_grad=True)
    (g,) = autobp.grad((t**3).sum(), t)
    np.testing.assert_allclose(g.data, 3 * t.data**2)
    with pytest.raises(TypeError, match="inputs is missing"):
        autobp.grad((t**3).sum())
