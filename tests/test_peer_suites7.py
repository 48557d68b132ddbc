"""Fixes found re-running tinygrad's, MyGrad's and HIPS autograd's suites (sixth session), torch as oracle."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_arccosh_grad_real_matches_torch_left_of_minus_one(dtype):
    # torch's real acosh gradient is 1 / sqrt(x^2 - 1): finite for x < -1 (where the value is NaN)
    x = np.array([-300.0, -2.0, -1.5, 1.0 + 1e-6, 1.5, 300.0, 0.5], dtype=dtype)
    t = autobp.tensor(x, requires_grad=True)
    with np.errstate(invalid="ignore"):
        autobp.arccosh(t).sum().backward()
    tt = torch.tensor(x, requires_grad=True)
    torch.acosh(tt).sum().backward()
    assert t.grad.dtype == dtype
    np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=1e-5, equal_nan=True)


def test_arccosh_grad_complex_still_matches_torch():
    z = np.array([-2 + 0.5j, 2 + 0.5j, -2 - 0.5j, 0.3 - 0.1j])
    t = autobp.tensor(z, requires_grad=True)
    autobp.arccosh(t).real.sum().backward()
    tt = torch.tensor(z, requires_grad=True)
    torch.acosh(tt).real.sum().backward()
    np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=1e-10)


def test_arccosh_second_order_gradcheck():
    x = autobp.tensor([1.3, 2.0, 5.0], requires_grad=True)
    assert autobp.gradcheck(autobp.arccosh, (x,))
    assert autobp.gradgradcheck(autobp.arccosh, (x,))
