"""optim.LAMB: Adam's trajectory (torch.optim.Adam) with the trust ratio off, the paper's first step,
and the trust ratio's defining property (each parameter moves by lr * |w|)."""

import numpy as np
import pytest

from autobp import nn, optim

torch = pytest.importorskip("torch")

rng = np.random.default_rng(9)


def test_without_trust_ratio_it_is_torchs_adam():
    w0 = [rng.standard_normal((3, 2)), rng.standard_normal(4)]
    ours = [nn.Parameter(w.copy()) for w in w0]
    theirs = [torch.nn.Parameter(torch.tensor(w.copy())) for w in w0]
    opt = optim.LAMB(ours, lr=0.01, betas=(0.8, 0.99), eps=1e-8, adam=True)
    topt = torch.optim.Adam(theirs, lr=0.01, betas=(0.8, 0.99), eps=1e-8)
    for _ in range(15):
        for p, tp in zip(ours, theirs):
            g = np.sin(3 * p.data) + 0.3 * rng.standard_normal(p.shape)
            p.grad, tp.grad = g, torch.tensor(g.copy())
        opt.step()
        topt.step()
    for p, tp in zip(ours, theirs):
        np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_first_step_is_the_papers_and_moves_each_parameter_by_lr_times_its_norm():
    w0, g = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    p = nn.Parameter(w0.copy())
    opt = optim.LAMB([p], lr=0.05, weight_decay=0.1, eps=1e-6)
    p.grad = g
    opt.step()
    u = g / (np.abs(g) + 1e-6) + 0.1 * w0  # t = 1: m_hat = g, v_hat = g^2
    np.testing.assert_allclose(p.data, w0 - 0.05 * np.linalg.norm(w0) / np.linalg.norm(u) * u, rtol=1e-12)
    for scale in (1e-3, 1e3):  # the step's length is lr * |w| whatever the gradient's scale
        q = nn.Parameter(w0.copy())
        o = optim.LAMB([q], lr=0.05, b1=0.5, b2=0.9)
        for _ in range(3):
            before = q.data.copy()
            q.grad = scale * rng.standard_normal(q.shape)
            o.step()
            assert np.linalg.norm(q.data - before) == pytest.approx(0.05 * np.linalg.norm(before), rel=1e-12)
    assert o.param_groups[0]["betas"] == (0.5, 0.9)


def test_a_zero_parameter_takes_the_plain_adam_step_and_float32_stays_float32():
    p = nn.Parameter(np.zeros(3, dtype=np.float32))
    opt = optim.LAMB([p], lr=0.1)
    p.grad = np.array([1.0, -2.0, 0.0], dtype=np.float32)
    opt.step()
    assert p.dtype == np.float32
    np.testing.assert_allclose(p.data, [-0.1, 0.1, 0.0], rtol=1e-5)  # |w| = 0: trust ratio 1
