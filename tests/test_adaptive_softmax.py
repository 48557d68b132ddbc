"""nn.AdaptiveLogSoftmaxWithLoss against PyTorch's with the same weights: output, loss, log_prob,
predict, every parameter's and the input's gradient, unbatched input, and the errors."""

import numpy as np
import pytest

import autobp
from autobp import nn

torch = pytest.importorskip("torch")


def _pair(in_features=6, n_classes=11, cutoffs=(3, 7), div_value=2.0, head_bias=True):
    torch.manual_seed(0)
    theirs = torch.nn.AdaptiveLogSoftmaxWithLoss(in_features, n_classes, list(cutoffs), div_value, head_bias)
    theirs = theirs.double()
    ours = nn.AdaptiveLogSoftmaxWithLoss(in_features, n_classes, cutoffs, div_value, head_bias, rng=0)
    state = {k: v.detach().numpy() for k, v in theirs.state_dict().items()}
    assert set(state) == set(ours.state_dict())  # PyTorch's parameter names and shapes
    ours.load_state_dict(state)
    return ours, theirs


@pytest.mark.parametrize("target", [[0, 5, 9, 2, 10, 7], [1, 2, 0, 1, 0, 2], [8, 9, 10, 7, 8, 9]])
def test_forward_and_gradients_match_torch(target):
    ours, theirs = _pair()
    x = np.random.default_rng(1).standard_normal((6, 6))
    t = np.array(target)
    xa = autobp.tensor(x, requires_grad=True)
    out, loss = ours(xa, t)
    xt = torch.tensor(x, requires_grad=True)
    tout, tloss = theirs(xt, torch.tensor(t))
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(loss.data, tloss.item(), rtol=1e-12)
    w = np.random.default_rng(2).standard_normal(6)
    ((out * w).sum() + loss).backward()
    ((tout * torch.tensor(w)).sum() + tloss).backward()
    np.testing.assert_allclose(xa.grad, xt.grad.numpy(), rtol=1e-10, atol=1e-14)
    grads = {k: p.grad for k, p in ours.named_parameters()}
    for k, p in theirs.named_parameters():
        g = np.zeros(p.shape) if grads[k] is None else grads[k]
        tg = np.zeros(p.shape) if p.grad is None else p.grad.numpy()  # a cluster no target reached
        np.testing.assert_allclose(g, tg, rtol=1e-10, atol=1e-14, err_msg=k)


def test_log_prob_predict_and_unbatched_input_match_torch():
    ours, theirs = _pair(cutoffs=(4,), head_bias=False)
    x = np.random.default_rng(3).standard_normal((5, 6))
    lp = ours.log_prob(x)
    np.testing.assert_allclose(lp.data, theirs.log_prob(torch.tensor(x)).detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(np.exp(lp.data).sum(axis=1), 1.0)
    np.testing.assert_array_equal(ours.predict(x).data, theirs.predict(torch.tensor(x)).numpy())
    out, loss = ours(x[0], np.array(7))
    tout, tloss = theirs(torch.tensor(x[0]), torch.tensor(7))
    assert out.shape == ()
    np.testing.assert_allclose(out.data, tout.item(), rtol=1e-12)
    np.testing.assert_allclose(ours.log_prob(x[0]).data, lp.data[0])


def test_errors_are_clear():
    with pytest.raises(ValueError, match="cutoffs should be a sequence of unique, positive integers"):
        nn.AdaptiveLogSoftmaxWithLoss(4, 10, [5, 3])
    with pytest.raises(ValueError, match="cutoffs should be a sequence of unique"):
        nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3, 10])
    asm = nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3], rng=0)
    with pytest.raises(ValueError, match=r"values should be in \[0, 9\], but values in range \[0, 12\]"):
        asm(np.ones((2, 4)), np.array([0, 12]))
    with pytest.raises(ValueError, match=r"input must be \(N, 4\) or \(4,\), got shape \(2, 5\)"):
        asm(np.ones((2, 5)), np.array([0, 1]))
    with pytest.raises(ValueError, match="need one target per row"):
        asm(np.ones((2, 4)), np.array([0, 1, 2]))
