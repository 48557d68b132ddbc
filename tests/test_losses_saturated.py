"""Losses at the points a float probability really reaches: binary_cross_entropy at p = 0 and 1
(where a sigmoid saturates) and kl_div at a zero target give PyTorch's numbers, values and gradients
for input and target; inside the domain the gradients are checked by central differences too, to
second order."""

from __future__ import annotations

import numpy as np
import pytest

import autobp
import autobp.nn.functional as AF

torch = pytest.importorskip("torch")
TF = torch.nn.functional

P = np.array([0.0, 1.0, 0.0, 1.0, 0.3, 1e-50, 1 - 1e-16, 0.5])
T = np.array([0.0, 1.0, 1.0, 0.0, 0.7, 1.0, 0.0, 1.0])


def _grads(lib, fn, arrays, dtype):
    if lib is torch:
        ts = [torch.tensor(a.astype(dtype), requires_grad=True) for a in arrays]
        out = fn(*ts)
        return out.detach().numpy(), [g.numpy() for g in torch.autograd.grad(out, ts)]
    ts = [autobp.tensor(a.astype(dtype), requires_grad=True) for a in arrays]
    out = fn(*ts)
    return np.asarray(out.data), [np.asarray(g) for g in autobp.autograd.grad(out, ts)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy_at_zero_and_one_is_torchs(dtype, reduction, weighted):
    w = np.linspace(0.5, 2.0, P.size)

    def loss(F, wrap):
        def f(p, t):
            kw = {"weight": wrap(w.astype(dtype))} if weighted else {}
            out = F.binary_cross_entropy(p, t, reduction=reduction, **kw)
            return (
                (out * wrap(np.arange(1.0, P.size + 1).astype(dtype))).sum() if reduction == "none" else out
            )

        return f

    want_v, want_g = _grads(torch, loss(TF, torch.tensor), [P, T], dtype)
    got_v, got_g = _grads(autobp, loss(AF, autobp.tensor), [P, T], dtype)
    assert got_v.dtype == want_v.dtype == dtype
    np.testing.assert_allclose(got_v, want_v, rtol=1e-6)
    for got, want in zip(got_g, want_g):
        assert got.dtype == dtype
        np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True)


def test_binary_cross_entropy_inside_the_domain_by_central_differences():
    p = autobp.tensor([0.2, 0.45, 0.8], requires_grad=True)
    t = autobp.tensor([0.1, 0.9, 0.5], requires_grad=True)

    def f(p, t):
        return AF.binary_cross_entropy(p, t, reduction="none")

    assert autobp.gradcheck(f, (p, t))
    assert autobp.gradgradcheck(f, (p, t))


def test_binary_cross_entropy_second_order_is_torchs():
    p0, t0 = np.array([0.2, 0.45, 0.8]), np.array([0.1, 0.9, 0.5])
    pt, tt = (torch.tensor(a, requires_grad=True) for a in (p0, t0))
    gp = torch.autograd.grad(TF.binary_cross_entropy(pt, tt), pt, create_graph=True)[0]
    want = torch.autograd.grad((gp * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum(), (pt, tt))
    pa, ta = (autobp.tensor(a, requires_grad=True) for a in (p0, t0))
    ga = autobp.autograd.grad(AF.binary_cross_entropy(pa, ta), pa, create_graph=True)[0]
    got = autobp.autograd.grad((ga * autobp.tensor([1.0, 2.0, 3.0])).sum(), (pa, ta))
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), w.numpy(), rtol=1e-9)


@pytest.mark.parametrize("reduction", ["sum", "batchmean", "none"])
def test_kl_div_at_a_zero_target_is_torchs(reduction):
    x = np.array([[-1.0, -2.0, -0.5], [-0.1, -3.0, -1.0]])
    t = np.array([[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]])

    def loss(F, wrap):
        def f(x, t):
            out = F.kl_div(x, t, reduction=reduction)
            return (out * wrap(np.arange(1.0, 7.0).reshape(2, 3))).sum() if reduction == "none" else out

        return f

    want_v, want_g = _grads(torch, loss(TF, torch.tensor), [x, t], np.float64)
    got_v, got_g = _grads(autobp, loss(AF, autobp.tensor), [x, t], np.float64)
    np.testing.assert_allclose(got_v, want_v)
    for got, want in zip(got_g, want_g):  # d/dt at t = 0 is NaN in both (xlogy's y-gradient 0/0)
        np.testing.assert_allclose(got, want, equal_nan=True)
