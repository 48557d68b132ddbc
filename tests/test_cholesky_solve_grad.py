"""cholesky_solve's gradient with respect to the factor is PyTorch's full matrix (non-zero in the
unread triangle, computed with whatever that triangle holds); values, both gradients and second order
against torch, and central differences where the unread triangle is zero."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

rng = np.random.default_rng(7)


def _factor(*batch, n=3, garbage=True):
    a = rng.standard_normal(batch + (n, n))
    f = np.tril(a, -1) + np.eye(n) * (2 + rng.random(batch + (n,)))[..., None, :]
    return f + (np.triu(rng.standard_normal(batch + (n, n)), 1) if garbage else 0)


def _grads(lib, B, F, upper, W, create=False):
    b = lib.tensor(B, requires_grad=True)
    f = lib.tensor(F, requires_grad=True)
    out = lib.cholesky_solve(b, f, upper=upper)
    loss = (out * lib.tensor(W)).sum()
    loss = loss.real if np.iscomplexobj(F) else loss
    if lib is torch:
        gb, gf = torch.autograd.grad(loss, (b, f), create_graph=create)
    else:
        gb, gf = autobp.grad(loss, (b, f), create_graph=create)
    return b, f, out, gb, gf


def _np(t):
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.numpy())


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize(
    "bshape, fbatch", [((3, 2), ()), ((2, 3, 2), (2,)), ((4, 3, 1), ()), ((3, 2), (2,))], ids=str
)
def test_values_and_gradients_as_torch(upper, bshape, fbatch):
    F = _factor(*fbatch)
    F = np.swapaxes(F, -1, -2).copy() if upper else F
    B = rng.standard_normal(bshape)
    W = rng.standard_normal(np.broadcast_shapes(bshape, fbatch + (3, 1)))
    *_, out, gb, gf = _grads(autobp, B, F, upper, W)
    *_, tout, tgb, tgf = _grads(torch, B, F, upper, W)
    np.testing.assert_allclose(_np(out), _np(tout), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(_np(gb), _np(tgb), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(_np(gf), _np(tgf), rtol=1e-10, atol=1e-12)
    unread = np.tril(np.ones((3, 3)), -1) if upper else np.triu(np.ones((3, 3)), 1)
    assert np.abs(_np(gf) * unread).max() > 1e-3  # PyTorch's gradient is a full matrix


def test_second_order_as_torch():
    F, B, W = _factor(), rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    b, f, _, gb, gf = _grads(autobp, B, F, False, W, create=True)
    tb, tf, _, tgb, tgf = _grads(torch, B, F, False, W, create=True)
    V = rng.standard_normal((3, 3))
    s = (gf * autobp.tensor(V)).sum() + (gb**2).sum()
    ts = (tgf * torch.tensor(V)).sum() + (tgb**2).sum()
    hb, hf = autobp.grad(s, (b, f))
    thb, thf = torch.autograd.grad(ts, (tb, tf))
    np.testing.assert_allclose(_np(hb), _np(thb), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(_np(hf), _np(thf), rtol=1e-9, atol=1e-12)


def test_complex_as_torch():
    n = 3
    F = _factor(garbage=False) + 1j * np.tril(rng.standard_normal((n, n)), -1)
    B = rng.standard_normal((n, 2)) + 1j * rng.standard_normal((n, 2))
    W = rng.standard_normal((n, 2))
    *_, out, gb, gf = _grads(autobp, B, F, False, W)
    *_, tout, tgb, tgf = _grads(torch, B, F, False, W)
    np.testing.assert_allclose(_np(out), _np(tout), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(_np(gb), _np(tgb), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(_np(gf), _np(tgf), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("upper", [False, True])
def test_read_triangle_is_the_true_derivative(upper):
    """Through tril/triu (the unread triangle zero) the gradient is the derivative: central differences
    to first and second order."""
    F = _factor(garbage=False)
    F = F.T.copy() if upper else F
    tri = autobp.triu if upper else autobp.tril
    b = autobp.tensor(rng.standard_normal((3, 2)), requires_grad=True)
    f = autobp.tensor(F, requires_grad=True)

    def fn(b, f):
        return autobp.cholesky_solve(b, tri(f), upper=upper)

    assert autobp.gradcheck(fn, (b, f))
    assert autobp.gradgradcheck(fn, (b, f))


def test_bad_shapes():
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        autobp.cholesky_solve(autobp.tensor(np.ones(3)), autobp.tensor(np.eye(3)))
    with pytest.raises(ValueError, match="square"):
        autobp.cholesky_solve(autobp.tensor(np.ones((3, 2))), autobp.tensor(np.ones((3, 2))))
    with pytest.raises(ValueError, match="does not fit"):
        autobp.cholesky_solve(autobp.tensor(np.ones((2, 2))), autobp.tensor(np.eye(3)))


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_inverse_gradient_as_torch(upper):
    F = _factor()
    F = F.T.copy() if upper else F
    W = rng.standard_normal((3, 3))
    a = autobp.tensor(F, requires_grad=True)
    (autobp.cholesky_inverse(a, upper=upper) * autobp.tensor(W)).sum().backward()
    t = torch.tensor(F, requires_grad=True)
    (torch.cholesky_inverse(t, upper=upper) * torch.tensor(W)).sum().backward()
    np.testing.assert_allclose(np.asarray(a.grad), t.grad.numpy(), rtol=1e-10, atol=1e-12)
