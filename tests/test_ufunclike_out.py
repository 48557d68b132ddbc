"""numpy's fix, isposinf and isneginf take ``out`` (by position or keyword): the result written into
that numpy array or Tensor and returned (numpy is the oracle)."""

import numpy as np
import pytest

import autobp as ab

X = np.array([[1.0, 1.1, -1.5, np.inf], [-1.8, -np.inf, np.nan, 0.0]])


@pytest.mark.parametrize("name,dtype", [("fix", float), ("isposinf", bool), ("isneginf", bool)])
@pytest.mark.parametrize("by_position", [True, False])
def test_out_ndarray_written_and_returned(name, dtype, by_position):
    want_out = np.zeros(X.shape, dtype)
    expected = getattr(np, name)(X, want_out)
    for arg in (X, ab.tensor(X)):
        out = np.zeros(X.shape, dtype)
        got = getattr(ab, name)(arg, out) if by_position else getattr(ab, name)(arg, out=out)
        assert got is out
        np.testing.assert_array_equal(out, want_out)
        np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("name,dtype", [("fix", float), ("isposinf", bool), ("isneginf", bool)])
def test_out_tensor_written_in_place(name, dtype):
    out = ab.zeros(X.shape, dtype=dtype)
    got = getattr(ab, name)(ab.tensor(X), out=out)
    assert got is out
    np.testing.assert_array_equal(out.numpy(), getattr(np, name)(X))


def test_fix_scalar_out_and_gradient():
    o = np.array(0.0)
    assert ab.fix(-3.4, out=o) is o
    assert o == np.fix(-3.4)
    t = ab.tensor([1.5, -2.5], requires_grad=True)
    out = ab.zeros(2)
    ab.fix(t, out).sum().backward()
    np.testing.assert_array_equal(out.detach().numpy(), np.fix([1.5, -2.5]))
    np.testing.assert_array_equal(t.grad, [0.0, 0.0])  # fix is piecewise constant


def test_isposinf_complex_refused_as_numpy():
    z = np.array([1 + 2j, np.inf])
    with pytest.raises(TypeError):
        np.isposinf(z)
    with pytest.raises(TypeError):
        ab.isposinf(ab.tensor(z))
