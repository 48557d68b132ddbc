"""optim.Muon vs torch.optim.Muon: exact trajectories with torch's bfloat16 cast switched off (the only
difference, see Muon's docstring), bfloat16-close ones with it on, and the Newton-Schulz step against
the SVD's orthogonal polar factor."""

import numpy as np
import pytest

from autobp import nn, optim
from autobp.optim.muon import newton_schulz

torch = pytest.importorskip("torch")

CASES = [
    dict(lr=0.02),
    dict(lr=0.02, weight_decay=0.01, momentum=0.9),
    dict(lr=0.05, nesterov=False, ns_steps=3, ns_coefficients=(2.0, -1.5, 0.5)),
    dict(lr=0.05, adjust_lr_fn="match_rms_adamw", momentum=0.8),
    dict(lr=0.01, adjust_lr_fn="original", eps=1e-3),
]


def _run(kw, shapes=((3, 5), (5, 2)), steps=10):
    rng = np.random.default_rng(11)
    w0 = [rng.standard_normal(s) for s in shapes]
    ours = [nn.Parameter(w.copy()) for w in w0]
    theirs = [torch.nn.Parameter(torch.tensor(w.copy())) for w in w0]
    opt = optim.Muon([{"params": ours[:1]}, {"params": ours[1:], "lr": kw["lr"] / 2}], **kw)
    topt = torch.optim.Muon([{"params": theirs[:1]}, {"params": theirs[1:], "lr": kw["lr"] / 2}], **kw)
    for _ in range(steps):
        for p, tp in zip(ours, theirs):
            g = np.sin(3 * p.data) + 0.3 * rng.standard_normal(p.shape)
            p.grad, tp.grad = g, torch.tensor(g.copy())
        opt.step()
        topt.step()
    return w0, ours, theirs


@pytest.mark.parametrize("kw", CASES)
def test_trajectory_is_torchs_without_its_bfloat16_cast(kw, monkeypatch):
    monkeypatch.setattr(torch.Tensor, "bfloat16", lambda self: self.clone())  # torch's steps in float64
    w0, ours, theirs = _run(kw)
    for w, p, tp in zip(w0, ours, theirs):
        np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-12, atol=1e-13)
        assert np.abs(p.data - w).max() > 1e-2  # it moved


@pytest.mark.parametrize("kw", CASES[:2])
def test_trajectory_is_close_to_torchs_bfloat16_one(kw):
    w0, ours, theirs = _run(kw)
    for w, p, tp in zip(w0, ours, theirs):
        moved = np.abs(p.data - w).max()
        assert np.abs(p.data - tp.detach().numpy()).max() < 0.05 * moved  # bfloat16 has 8 bits


def test_newton_schulz_converges_to_the_polar_factor():
    """With the cubic coefficients (1.5, -0.5, 0) the iteration converges to U V^T (g = U S V^T)."""
    rng = np.random.default_rng(3)
    for shape in [(3, 5), (5, 3), (4, 4)]:
        g = rng.standard_normal(shape) + 2 * np.eye(*shape)  # well-conditioned: fast convergence
        u, _, vt = np.linalg.svd(g, full_matrices=False)
        np.testing.assert_allclose(newton_schulz(g, (1.5, -0.5, 0.0), 60, 1e-7), u @ vt, atol=1e-10)


def test_float32_stays_float32_and_bad_arguments_fail_clearly():
    p = nn.Parameter(np.ones((2, 3), dtype=np.float32))
    opt = optim.Muon([p], lr=0.1)
    p.grad = np.arange(6, dtype=np.float32).reshape(2, 3)
    opt.step()
    assert p.dtype == np.float32 and opt.state[p]["momentum_buffer"].dtype == np.float32
    with pytest.raises(ValueError, match="only 2-D parameters"):
        optim.Muon([nn.Parameter(np.ones(3))])
    with pytest.raises(ValueError, match="adjust_lr_fn"):
        optim.Muon([p], adjust_lr_fn="sqrt")
    with pytest.raises(ValueError, match="ns_steps must be below 100"):
        newton_schulz(np.ones((2, 2)), (1.5, -0.5, 0.0), 100, 1e-7)
