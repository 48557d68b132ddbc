"""Losses pass the gradient to every differentiable argument, the target included, as PyTorch does."""

import numpy as np
import pytest

import autobp
from autobp import Tensor
from autobp.nn import functional as F

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_probability_targets_receive_their_gradient(reduction):
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((4, 5))
    probs = rng.dirichlet(np.ones(5), size=4)
    x, t = Tensor(logits, requires_grad=True), Tensor(probs, requires_grad=True)
    loss = F.cross_entropy(x, t, reduction=reduction)
    w = rng.standard_normal(loss.shape)
    (loss * w).sum().backward()
    tx = torch.tensor(logits, requires_grad=True)
    tt = torch.tensor(probs, requires_grad=True)
    tl = torch.nn.functional.cross_entropy(tx, tt, reduction=reduction)
    (tl * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(loss.data, tl.detach().numpy(), rtol=1e-12)
    assert t.grad is not None, "the target's gradient was dropped"
    np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    # d/dtarget = -log_softmax(x), scaled by the reduction
    scale = {"mean": 1 / 4, "sum": 1.0, "none": 1.0}[reduction]
    expected = -autobp.log_softmax(Tensor(logits), axis=-1).data * scale
    if reduction == "none":
        expected = expected * w[:, None]
    else:
        expected = expected * w
    np.testing.assert_allclose(t.grad, expected, rtol=1e-12)


@pytest.mark.parametrize(
    "loss", ["mse_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "sse_loss"]
)
def test_regression_style_losses_differentiate_their_target(loss):
    rng = np.random.default_rng(1)
    p = rng.uniform(0.1, 0.9, (3, 2))
    d = rng.uniform(0.1, 0.9, (3, 2))
    x, t = Tensor(p, requires_grad=True), Tensor(d, requires_grad=True)
    getattr(F, loss)(x, t).backward()
    assert t.grad is not None and np.all(np.isfinite(t.grad)) and np.any(t.grad != 0)
    assert autobp.gradcheck(lambda a, b: getattr(F, loss)(a, b), [Tensor(p, requires_grad=True), t])
