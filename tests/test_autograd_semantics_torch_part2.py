"""PyTorch's autograd semantics that its test_autograd.py (the part after the checkpoint tests,
TestAutogradDeviceType's CPU tests, TestAutogradInferenceMode) showed autobp got wrong; torch is the
oracle where installed."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

NAN = float("nan")


@pytest.mark.parametrize("name", ["max", "min", "median"])
@pytest.mark.parametrize(
    "values", [[NAN, NAN, NAN], [1.0, NAN, NAN, 3.0], [1.0, 0.0, 1.0, 0.0, 1.0], [2.0, NAN, 1.0]]
)
def test_extreme_and_median_gradient_with_nan_goes_to_the_nans(name, values):
    x = autobp.tensor(values, requires_grad=True)
    getattr(autobp, name)(x).backward()
    xt = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    getattr(torch, name)(xt).backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy())


def test_max_over_an_axis_with_a_nan_row():
    values = [[1.0, NAN, NAN], [2.0, 3.0, 1.0]]
    x = autobp.tensor(values, requires_grad=True)
    autobp.amax(x, axis=1).sum().backward()
    # the NaN row's gradient is shared by its NaNs (the non-NaN row: its maximum, as before)
    np.testing.assert_allclose(x.grad, [[0.0, 0.5, 0.5], [0.0, 1.0, 0.0]])
