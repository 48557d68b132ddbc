"""cbrt and rint, numpy names MyGrad's tests call: values at the points where a choice exists
(cbrt of negatives and at 0, rint's halves) checked against numpy and torch."""

import numpy as np
import pytest

import autobp


def test_cbrt_is_real_on_negatives_and_its_gradient_matches_finite_differences():
    x = autobp.Tensor([-8.0, -1.0, 0.5, 27.0], requires_grad=True)
    y = autobp.cbrt(x)
    np.testing.assert_allclose(y.data, [-2.0, -1.0, 0.5 ** (1 / 3), 3.0])
    y.sum().backward()
    np.testing.assert_allclose(x.grad, 1.0 / (3.0 * np.cbrt([-8.0, -1.0, 0.5, 27.0]) ** 2))
    assert autobp.gradcheck(autobp.cbrt, (autobp.Tensor([-2.0, 0.3, 5.0], requires_grad=True),))


def test_cbrt_gradient_at_zero_is_inf_as_torch_pow():
    torch = pytest.importorskip("torch")
    x = autobp.Tensor([0.0], requires_grad=True)
    autobp.cbrt(x).sum().backward()
    t = torch.tensor([0.0], dtype=torch.float64, requires_grad=True)
    (t ** (1.0 / 3.0)).sum().backward()
    assert np.isposinf(x.grad[0]) and np.isposinf(t.grad.item())


def test_cbrt_dispatch_dtypes_and_complex_refusal():
    x = autobp.Tensor(np.array([1.0, 8.0], dtype=np.float32), requires_grad=True)
    y = np.cbrt(x)
    assert isinstance(y, autobp.Tensor) and y.dtype == np.float32 and y.requires_grad
    assert autobp.cbrt(autobp.Tensor(np.array([8, -27]))).dtype == np.cbrt(np.array([8, -27])).dtype
    with pytest.raises(TypeError, match="cbrt"):
        autobp.cbrt(autobp.Tensor(np.array([1 + 1j])))


def test_rint_rounds_halves_to_even_like_torch_round_with_zero_gradient():
    torch = pytest.importorskip("torch")
    v = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4])
    x = autobp.Tensor(v, requires_grad=True)
    y = autobp.rint(x)
    np.testing.assert_array_equal(y.data, np.rint(v))
    np.testing.assert_array_equal(y.data, torch.round(torch.tensor(v)).numpy())
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, np.zeros_like(v))
    assert isinstance(np.rint(x), autobp.Tensor)
