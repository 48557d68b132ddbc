"""repeat of a 0-d array along axis 0 or -1: numpy treats it as 1-d; autobp used to call the axis out
of range."""

import numpy as np
import pytest

import autobp


@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize("repeats", [0, 3, [2], np.array([4])])
def test_repeat_0d_along_axis_matches_numpy(axis, repeats):
    x = autobp.tensor(np.array(1.5), requires_grad=True)
    y = autobp.repeat(x, repeats, axis=axis)
    expected = np.repeat(np.array(1.5), repeats, axis=axis)
    assert y.shape == expected.shape
    np.testing.assert_array_equal(y.data, expected)
    y.sum().backward()
    # d/dx of the sum of n copies of x is n
    np.testing.assert_array_equal(x.grad, np.array(float(expected.size)))
    assert autobp.gradcheck(lambda t: autobp.repeat(t, repeats, axis=axis) * 2.0, (x,))


def test_repeat_0d_along_axis_1_is_refused_like_numpy():
    with pytest.raises(np.exceptions.AxisError):
        np.repeat(np.array(1.5), 2, axis=1)
    with pytest.raises(np.exceptions.AxisError):
        autobp.repeat(autobp.tensor(1.5), 2, axis=1)
