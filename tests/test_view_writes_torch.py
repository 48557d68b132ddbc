"""Writes into views that PyTorch makes and autobp once copied: ``t.diagonal()`` is a view (a write
reaches ``t``, on a graph too), and a write into an expanded (broadcast) view of
another tensor raises as torch's does instead of silently leaving the base alone."""

from __future__ import annotations

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("offset, dims", [(0, (0, 1)), (1, (0, 1)), (-1, (1, 2)), (0, (2, 0))])
def test_a_write_into_diagonal_reaches_the_tensor_as_in_torch(offset, dims):
    base = np.arange(24.0).reshape(2, 3, 4)
    x, tx = ab.tensor(base.copy()), torch.tensor(base.copy())
    d = x.diagonal(offset, *dims)
    d.mul_(-1.0)
    tx.diagonal(offset, *dims).mul_(-1.0)
    np.testing.assert_array_equal(x.numpy(), tx.numpy())
    assert not np.array_equal(x.numpy(), base)  # the write did change the base
    x.add_(1.0)  # and the view sees a later write into its base
    np.testing.assert_array_equal(d.numpy(), tx.add_(1.0).diagonal(offset, *dims).numpy())


def test_diagonal_on_a_graph_writes_through_and_still_differentiates():
    x = ab.tensor(np.arange(9.0).reshape(3, 3), requires_grad=True)
    tx = torch.tensor(np.arange(9.0).reshape(3, 3), requires_grad=True)
    y, ty = x * 2.0, tx * 2.0
    y.diagonal().zero_()  # once refused; PyTorch writes into y, and y's diagonal gets no gradient
    ty.diagonal().zero_()
    (y * y).sum().backward()
    (ty * ty).sum().backward()
    np.testing.assert_array_equal(y.detach().numpy(), ty.detach().numpy())
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())
    x.grad = None
    d = (x * 2.0).diagonal()
    (d * d).sum().backward()
    np.testing.assert_array_equal(x.grad, np.diag(8.0 * np.diag(x.numpy())))


WRITES = {
    "add_": lambda v, lib: v.add_(1.0),
    "mul_": lambda v, lib: v.mul_(2.0),
    "copy_": lambda v, lib: v.copy_(lib.ones((2, 2))),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_into_an_expanded_view_raises_as_in_torch(write):
    x = ab.arange(4.0).reshape(2, 2)
    tx = torch.arange(4.0).reshape(2, 2)
    with pytest.raises(RuntimeError, match="more than one element"):
        WRITES[write](tx[:1].expand(2, 2), torch)
    with pytest.raises(RuntimeError, match="more than one element"):
        WRITES[write](x[:1].expand(2, 2), ab)
    np.testing.assert_array_equal(x.numpy(), np.arange(4.0).reshape(2, 2))
