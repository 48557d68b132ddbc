"""numpy's positive on a Tensor (np.positive(t), autobp.positive): a new Tensor of the same values with
the gradient passed unchanged, as numpy returns a new array; the + operator stays PyTorch's identity."""

import numpy as np
import pytest

import autobp


def test_np_positive_dispatches_and_returns_a_new_tensor_with_identity_gradient():
    x = autobp.Tensor(np.array([1.0, -2.0, 0.0], dtype=np.float32), requires_grad=True)
    y = np.positive(x)
    assert isinstance(y, autobp.Tensor) and y is not x and y.dtype == np.float32
    assert not np.shares_memory(y.data, x.data)
    np.testing.assert_array_equal(y.data, np.positive(np.array([1.0, -2.0, 0.0], dtype=np.float32)))
    (y * autobp.Tensor([1.0, 2.0, 3.0], dtype=np.float32)).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 2.0, 3.0])
    assert autobp.gradcheck(autobp.positive, (autobp.Tensor([0.5, -1.5], requires_grad=True),))


def test_positive_matches_torch_values_and_gradient():
    torch = pytest.importorskip("torch")
    v = np.array([[0.3, -1.0], [2.0, 4.5]])
    x = autobp.Tensor(v, requires_grad=True)
    t = torch.tensor(v, requires_grad=True)
    (autobp.positive(x) ** 2).sum().backward()
    (torch.positive(t) ** 2).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy())


def test_positive_dtypes_as_numpy():
    ints = autobp.Tensor(np.array([3, -1]), dtype=np.int64)
    assert autobp.positive(ints).dtype == np.positive(np.array([3, -1])).dtype
    with pytest.raises(TypeError, match="positive"):
        autobp.positive(autobp.Tensor(np.array([True]), dtype=bool))
    x = autobp.Tensor([1.0], requires_grad=True)
    assert +x is x  # the operator is PyTorch's (torch's +t is t)
