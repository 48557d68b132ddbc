"""trapezoid and cumulative_trapezoid beyond the op table: numpy's dispatch, autobp.integrate's
names, scipy's ``initial`` rule, the gradient of dx, and clear errors for mismatched shapes."""

import numpy as np
import pytest
import scipy.integrate

import autobp
from autobp import Tensor
from autobp.integrate import cumulative_trapezoid, trapezoid


def test_integrate_exposes_scipys_names():
    assert trapezoid is autobp.integrate.trapezoid
    y = np.array([1.0, 4.0, 9.0, 16.0])
    assert trapezoid(y, dx=0.5) == scipy.integrate.trapezoid(y, dx=0.5)
    np.testing.assert_array_equal(
        cumulative_trapezoid(y, initial=0), scipy.integrate.cumulative_trapezoid(y, initial=0)
    )


def test_numpys_trapezoid_on_a_tensor_dispatches_and_dx_is_differentiable():
    y = Tensor([1.0, 2.0, 4.0], requires_grad=True)
    dx = Tensor(0.5, requires_grad=True)
    out = np.trapezoid(y, dx=dx)
    assert isinstance(out, Tensor)
    out.backward()
    np.testing.assert_array_equal(y.grad, [0.25, 0.5, 0.25])
    assert float(dx.grad) == 4.5  # the integral per unit spacing


def test_fewer_than_two_points_integrate_to_zero():
    assert autobp.trapezoid(Tensor([3.0])).item() == 0.0 == np.trapezoid([3.0])
    assert cumulative_trapezoid(Tensor([3.0])).shape == (0,)
    assert cumulative_trapezoid(Tensor([3.0]), initial=0).shape == (1,)


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="None or 0"):
        cumulative_trapezoid([1.0, 2.0], initial=1)
    with pytest.raises(ValueError, match=r"as many points as y along axis 0.*\(2,\) and \(3,\)"):
        cumulative_trapezoid([1.0, 2.0, 3.0], x=[0.0, 1.0])
    with pytest.raises(ValueError, match="at least one point"):
        cumulative_trapezoid(np.ones((2, 0)))
    with pytest.raises(ValueError, match=r"x has 2 points along axis 0, y has 3"):
        autobp.trapezoid(np.ones(3), x=[0.0, 1.0])
    with pytest.raises(ValueError, match="0-d"):
        autobp.trapezoid(np.float64(1.0))
    with pytest.raises(ValueError, match="do not broadcast"):  # numpy's diff(x) (2, 3) vs y's (2, 3, 3)
        autobp.trapezoid(np.ones((2, 3, 4)), x=np.ones((2, 4)))
