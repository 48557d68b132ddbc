"""transpose with a lone int axis, as numpy takes for a 1-d array's only axis (np.transpose(a, 0)),
used to fail iterating the int."""

import numpy as np
import pytest

import autobp


@pytest.mark.parametrize("axes", [0, -1, np.int64(0)])
def test_transpose_int_axis_on_1d_matches_numpy(axes):
    a = np.array([1.0, -2.0, 3.0])
    x = autobp.tensor(a, requires_grad=True)
    y = autobp.transpose(x, axes)
    np.testing.assert_array_equal(y.data, np.transpose(a, axes))
    (y * autobp.tensor([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 2.0, 3.0])
    assert autobp.gradcheck(lambda t: autobp.transpose(t, axes), (x,))


def test_transpose_int_axis_on_2d_is_refused_like_numpy():
    with pytest.raises(ValueError):
        np.transpose(np.ones((2, 3)), 1)
    with pytest.raises(ValueError):
        autobp.transpose(autobp.tensor(np.ones((2, 3))), 1)


@pytest.mark.parametrize("axes", [(0.5, 1), ((0,), 1), ("a", 0), (True, 0)])
def test_non_integer_axes_raise_typeerror_like_numpy(axes):
    """A non-integer among the axes is numpy's (and torch.permute's) TypeError, function and method."""
    a = np.zeros((2, 3))
    with pytest.raises(TypeError):
        np.transpose(a, axes)
    with pytest.raises(TypeError):
        a.transpose(*axes)
    x = autobp.tensor(a)
    with pytest.raises(TypeError, match="axes must be integers"):
        autobp.transpose(x, axes)
    with pytest.raises(TypeError, match="axes must be integers"):
        x.transpose(*axes)
