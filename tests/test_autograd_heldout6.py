"""Gaps found by PyTorch's test_autograd.py (sixth session): each checked against torch."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def _complex_grad(fn_a, fn_t, *arrays):
    """d(sum(Re out) + 0.7 sum(Im out)) w.r.t. each input, autobp and torch (PyTorch's convention)."""
    xa = [autobp.tensor(a, requires_grad=True) for a in arrays]
    xt = [torch.tensor(a, requires_grad=True) for a in arrays]
    oa, ot = fn_a(*xa), fn_t(*xt)
    ga = autobp.autograd.grad(oa.real.sum() + 0.7 * oa.imag.sum(), xa)
    gt = torch.autograd.grad(ot.real.sum() + 0.7 * ot.imag.sum(), xt)
    return [g.numpy() for g in ga], [g.numpy() for g in gt]


def test_pow_real_negative_base_complex_exponent_gradient():
    # was NaN (log of a negative real), then the conjugate branch (-i pi): PyTorch's +i pi
    base = np.array([-1.0, -2.5, 3.0])
    e = np.array([0.3 + 0.2j, -0.5 + 1.1j, 1.5 - 0.4j])
    ga, gt = _complex_grad(lambda x: autobp.pow(autobp.tensor(base), x), lambda x: torch.pow(torch.tensor(base), x), e)
    np.testing.assert_allclose(ga[0], gt[0], rtol=1e-12)
    ga, gt = _complex_grad(lambda x: autobp.pow(-1, x), lambda x: torch.pow(-1, x), e)
    np.testing.assert_allclose(ga[0], gt[0], rtol=1e-12)


def test_pow_real_negative_base_requiring_grad_complex_exponent():
    base = np.array([-1.5, 2.0, -0.7])
    e = np.array([0.3 + 0.2j, -0.5 + 1.1j, 2.0 + 0.0j])
    ga, gt = _complex_grad(lambda b, x: b**x, lambda b, x: b**x, base, e)
    for a, t in zip(ga, gt):
        np.testing.assert_allclose(a, t, rtol=1e-12)
    x = autobp.tensor(e, requires_grad=True)
    b = autobp.tensor(base, requires_grad=True)
    assert autobp.gradcheck(lambda b, x: b**x, (b, x))
    assert autobp.gradgradcheck(lambda b, x: b**x, (b, x))
