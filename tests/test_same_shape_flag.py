"""The plain backward skips summing gradients back for nodes whose inputs all have their shape
(``Tensor._same``): a node that an in-place op or setitem turns into a broadcasting one must not."""

from __future__ import annotations

import numpy as np

import autobp


def _leaves():
    x = autobp.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    b = autobp.tensor(np.array([1.0, -2.0, 0.5]), requires_grad=True)
    return x, b


def test_in_place_broadcast_add_on_an_elementwise_result_sums_the_gradient_back():
    x, b = _leaves()
    y = x * 2.0  # one input of the result's shape
    y.add_(b)  # in place: now y's node adds a (3,) input to a (2, 3) one
    (y * y).sum().backward()
    expected_b = (2 * (2 * x.data + b.data)).sum(axis=0)
    assert b.grad.shape == (3,)
    assert np.allclose(b.grad, expected_b)
    assert np.allclose(x.grad, 4 * (2 * x.data + b.data))


def test_setitem_of_a_broadcast_row_sums_the_gradient_back():
    x, b = _leaves()
    y = x * 1.0
    y[0:1] = b  # a (3,) value broadcast into a (1, 3) slot
    (3.0 * y).sum().backward()
    assert b.grad.shape == (3,)
    assert np.array_equal(b.grad, np.full(3, 3.0))
    assert np.array_equal(x.grad, np.array([[0.0, 0.0, 0.0], [3.0, 3.0, 3.0]]))


def test_tensor_tensor_ops_of_equal_and_of_broadcast_shapes():
    x, b = _leaves()
    w = autobp.tensor(np.full((2, 3), 0.5), requires_grad=True)
    ((x * w + b) / w - x).sum().backward()  # equal shapes, then a broadcast add
    assert b.grad.shape == (3,)
    assert np.allclose(b.grad, np.full(3, 2 / 0.5))
    assert np.allclose(w.grad, -b.data / 0.25 * np.ones((2, 1)))
    assert np.allclose(x.grad, np.zeros((2, 3)))
