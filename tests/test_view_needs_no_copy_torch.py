"""Tensor.view / view_as refuse a shape that needs a copy (a RuntimeError, as PyTorch's), instead of
returning a copy that writes do not reach; a view that is possible writes through to its base."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

CASES = [
    ((5, 2), lambda t: t.T, (10,)),
    ((5, 2), lambda t: t.T, (2, 5)),
    ((4, 6), lambda t: t[:, ::2], (12,)),
    ((4, 6), lambda t: t[:, :3], (2, 2, 3)),
    ((4, 6), lambda t: t[::2], (12,)),
    ((3, 1), lambda t: t.expand(3, 4), (12,)),
    ((3, 1), lambda t: t.expand(3, 4), (3, 4, 1)),
    ((2, 3, 4), lambda t: t.permute(1, 0, 2), (3, 8)),
    ((2, 3, 4), lambda t: t.permute(0, 2, 1), (2, 12)),
    ((2, 0), lambda t: t.T, (0,)),
]


@pytest.mark.parametrize("shape,make,new", CASES)
def test_view_as_torch(shape, make, new):
    a = np.arange(float(np.prod(shape))).reshape(shape)
    base, tbase = autobp.tensor(a.copy()), torch.tensor(a.copy())
    x, xt = make(base), make(tbase)
    try:
        vt = xt.view(new)
    except RuntimeError:
        with pytest.raises(RuntimeError, match="view size is not compatible"):
            x.view(new)
        with pytest.raises(RuntimeError):
            x.view_as(autobp.zeros(new))
        return
    v = x.view(new)
    np.testing.assert_array_equal(v.numpy(), vt.numpy())
    np.testing.assert_array_equal(x.view_as(autobp.zeros(new)).numpy(), vt.numpy())
    if v.size:
        v[(0,) * len(new)] = -7.0
        vt[(0,) * len(new)] = -7.0
        np.testing.assert_array_equal(base.numpy(), tbase.numpy())


def test_view_keeps_gradient():
    a = np.random.default_rng(0).standard_normal((3, 4))
    x, xt = autobp.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    (x.view(2, 6) ** 3).sum().backward()
    (xt.view(2, 6) ** 3).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy())


def test_reshape_as_still_copies_where_it_must():
    a = np.arange(10.0).reshape(5, 2)
    x, xt = autobp.tensor(a).T, torch.tensor(a).T
    np.testing.assert_array_equal(
        x.reshape_as(autobp.zeros(10)).numpy(), xt.reshape_as(torch.zeros(10)).numpy()
    )
