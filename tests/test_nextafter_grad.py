"""nextafter's gradient is PyTorch's: g for x1 except where x1 == x2 (the result is x2 there: 0), 0
for x2. The op table checks it away from ties against torch and finite differences; ties here."""

import numpy as np
import pytest

import autobp


def test_gradients_at_and_off_ties_match_torch():
    torch = pytest.importorskip("torch")
    a = np.array([0.0, 1.0, 1.0, -2.0, 3.0, -0.0])
    b = np.array([0.0, 1.0, 3.0, 5.0, -1.0, 0.0])
    g = np.array([0.7, -1.3, 0.5, 2.0, 1.1, 0.9])
    x, y = autobp.tensor(a, requires_grad=True), autobp.tensor(b, requires_grad=True)
    out = autobp.nextafter(x, y)
    out.backward(autobp.tensor(g))
    tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    tout = torch.nextafter(tx, ty)
    tout.backward(torch.tensor(g))
    np.testing.assert_array_equal(out.data, tout.detach().numpy())
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())
    np.testing.assert_array_equal(y.grad, ty.grad.numpy())
    assert x.grad[0] == 0.0 and x.grad[2] == 0.5  # a tie, then a step towards 3


def test_python_number_keeps_float32():
    x = autobp.tensor(np.array([1.0, 2.0], np.float32), requires_grad=True)
    out = autobp.nextafter(x, 3.0)
    assert out.dtype == np.float32 and out.requires_grad
    np.testing.assert_array_equal(out.data, np.nextafter(np.array([1.0, 2.0], np.float32), 3.0))
