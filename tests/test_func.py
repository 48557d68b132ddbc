"""autobp.func: grad and vmap as functions that compose; per-example gradients by vmap(grad(loss))."""

import numpy as np
import pytest

import autobp
from autobp import Tensor, func, gradcheck

torch = pytest.importorskip("torch")


def loss(w, x, y):
    return ((autobp.tanh(x @ w) - y) ** 2).sum()


def test_per_example_gradients_match_pytorch_vmap():
    rng = np.random.default_rng(0)
    w, X, Y = rng.standard_normal((3, 2)), rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    per_example = func.vmap(func.grad(loss), in_axes=(None, 0, 0))(Tensor(w), Tensor(X), Tensor(Y))
    assert per_example.shape == (5, 3, 2)
    tw = torch.tensor(w)

    def tloss(w_, x, y):
        return ((torch.tanh(x @ w_) - y) ** 2).sum()

    expected = torch.func.vmap(torch.func.grad(tloss), in_dims=(None, 0, 0))(
        tw, torch.tensor(X), torch.tensor(Y)
    )
    np.testing.assert_allclose(per_example.data, expected.numpy(), rtol=1e-12)
    # they sum to the batch gradient
    full = func.grad(loss)(Tensor(w), Tensor(X), Tensor(Y))
    np.testing.assert_allclose(per_example.data.sum(axis=0), full.data, rtol=1e-12)


def test_grad_of_grad_is_the_second_derivative():
    d2 = func.grad(lambda x: func.grad(lambda z: (z**4).sum())(x).sum())
    np.testing.assert_allclose(d2(Tensor(np.array([1.0, 2.0]))).data, [12.0, 48.0])


def test_vmap_output_stays_differentiable():
    x = Tensor(np.array([[0.3, 0.1], [-0.5, 0.9]]), requires_grad=True)
    assert gradcheck(lambda a: func.vmap(lambda r: (r * r.sum()).sum())(a), x)


def test_vmap_refuses_mismatched_axes():
    with pytest.raises(ValueError, match="different sizes"):
        func.vmap(lambda a, b: a + b)(Tensor(np.ones((2, 3))), Tensor(np.ones((3, 3))))
