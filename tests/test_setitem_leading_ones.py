"""x[index] = y where y has more (size-1) leading axes than x[index]: numpy and PyTorch accept it, and
the backward pass must sum y's gradient over the broadcast axes instead of failing to reshape it."""

import numpy as np
import pytest

import autobp

CASES = [
    # (x shape, index, y shape)
    ((2,), (slice(None),), (1, 1)),
    ((3, 2), (slice(1, None),), (1, 1, 2)),
    ((3, 2), (0,), (1, 1, 1)),
    ((1, 1, 1, 1, 2), (0, 0, 0, 0, slice(0, None)), (1, 1)),
    ((4, 3), (np.array([0, 2]),), (1, 1, 3)),
    ((4, 3), (np.array([True, False, True, False]),), (1, 2, 1)),
]


@pytest.mark.parametrize(("xshape", "index", "yshape"), CASES)
def test_values_and_gradients_match_torch(xshape, index, yshape):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    xv = rng.normal(size=xshape)
    yv = rng.normal(size=yshape)
    w = rng.normal(size=xshape)

    x = autobp.tensor(xv, requires_grad=True)
    y = autobp.tensor(yv, requires_grad=True)
    z = x * 1.0
    z[index] = y
    (z * autobp.tensor(w)).sum().backward()

    tx = torch.tensor(xv, requires_grad=True)
    ty = torch.tensor(yv, requires_grad=True)
    tz = tx * 1.0
    tindex = tuple(torch.from_numpy(i) if isinstance(i, np.ndarray) else i for i in index)
    tz[tindex] = ty
    (tz * torch.tensor(w)).sum().backward()

    expected = xv.copy()
    expected[index] = yv  # numpy accepts the extra leading axes too
    np.testing.assert_allclose(z.data, expected)
    np.testing.assert_allclose(z.data, tz.detach().numpy())
    np.testing.assert_allclose(x.grad, tx.grad.numpy())
    np.testing.assert_allclose(y.grad, ty.grad.numpy())
    assert y.grad.shape == yshape


def test_gradcheck_first_and_second_order():
    def f(x, y):
        z = x * 1.0
        z[1:] = y
        return z * z

    x = autobp.tensor(np.arange(6.0).reshape(3, 2) / 7, requires_grad=True)
    y = autobp.tensor(np.array([[[0.3, -0.4]]]), requires_grad=True)
    assert autobp.gradcheck(f, (x, y))
    assert autobp.gradgradcheck(f, (x, y))


@pytest.mark.parametrize("vectorize", [False, True])
@pytest.mark.parametrize(("xshape", "yshape"), [((2,), (1, 1)), ((2, 3), (1, 1, 1)), ((2, 3), (1, 1, 3))])
def test_jacobian_matches_torch(vectorize, xshape, yshape):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    w = rng.normal(size=xshape)

    def f(x, y):
        z = x * 1.0
        z[:] = y
        return z * autobp.tensor(w)

    def tf(x, y):
        z = x * 1.0
        z[:] = y
        return z * torch.tensor(w)

    xv, yv = np.zeros(xshape), rng.normal(size=yshape)
    jx, jy = autobp.functional.jacobian(f, (autobp.tensor(xv), autobp.tensor(yv)), vectorize=vectorize)
    tx, ty = torch.autograd.functional.jacobian(tf, (torch.tensor(xv), torch.tensor(yv)))
    np.testing.assert_allclose(jx.data, tx.numpy())
    np.testing.assert_allclose(jy.data, ty.numpy())
    assert jy.shape == tuple(ty.shape)
