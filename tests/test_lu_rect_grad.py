"""linalg.lu / lu_factor / lu_factor_ex on wide and tall matrices: P, L, U, the packed LU and the
pivots, and the gradients of L, U and LU, against torch (batched); central differences to second order."""

import numpy as np
import pytest

import autobp
import autobp.linalg as la

torch = pytest.importorskip("torch")

rng = np.random.default_rng(21)
SHAPES = [(3, 5), (5, 3), (2, 3, 5), (2, 5, 3), (2, 2, 1, 4), (4, 1), (1, 4), (3, 2, 4)]


def _np(t):
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.numpy())


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_lu_values_and_gradients_as_torch(shape):
    A = rng.standard_normal(shape)
    x = autobp.tensor(A, requires_grad=True)
    t = torch.tensor(A, requires_grad=True)
    P, L, U = la.lu(x)
    tP, tL, tU = torch.linalg.lu(t)
    for a, b in ((P, tP), (L, tL), (U, tU)):
        assert a.shape == tuple(b.shape)
        np.testing.assert_allclose(_np(a), _np(b), rtol=1e-12, atol=1e-12)
    WL, WU = rng.standard_normal(L.shape), rng.standard_normal(U.shape)
    ((L * autobp.tensor(WL)).sum() + (U * autobp.tensor(WU)).sum()).backward()
    ((tL * torch.tensor(WL)).sum() + (tU * torch.tensor(WU)).sum()).backward()
    np.testing.assert_allclose(np.asarray(x.grad), t.grad.numpy(), rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("ex", [False, True])
def test_lu_factor_values_pivots_and_gradient_as_torch(shape, ex):
    A = rng.standard_normal(shape)
    x = autobp.tensor(A, requires_grad=True)
    t = torch.tensor(A, requires_grad=True)
    got = la.lu_factor_ex(x) if ex else la.lu_factor(x)
    want = torch.linalg.lu_factor_ex(t) if ex else torch.linalg.lu_factor(t)
    np.testing.assert_allclose(_np(got[0]), _np(want[0]), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(_np(got[1]), _np(want[1]))
    assert got[1].dtype == np.int32
    W = rng.standard_normal(got[0].shape)
    (got[0] * autobp.tensor(W)).sum().backward()
    (want[0] * torch.tensor(W)).sum().backward()
    np.testing.assert_allclose(np.asarray(x.grad), t.grad.numpy(), rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("shape", [(3, 5), (5, 3)], ids=str)
def test_second_order_as_torch(shape):
    A = rng.standard_normal(shape)
    x = autobp.tensor(A, requires_grad=True)
    t = torch.tensor(A, requires_grad=True)
    W, V = rng.standard_normal(shape), rng.standard_normal(shape)
    (g,) = autobp.grad((la.lu_factor(x)[0] * autobp.tensor(W)).sum(), (x,), create_graph=True)
    (tg,) = torch.autograd.grad(
        (torch.linalg.lu_factor(t)[0] * torch.tensor(W)).sum(), (t,), create_graph=True
    )
    (h,) = autobp.grad((g * autobp.tensor(V)).sum(), (x,))
    (th,) = torch.autograd.grad((tg * torch.tensor(V)).sum(), (t,))
    np.testing.assert_allclose(np.asarray(h), th.numpy(), rtol=1e-8, atol=1e-10)


def _well_pivoted(k, extra, wide):
    sq = (rng.uniform(-1, 1, (k, k)) + 3 * np.eye(k))[::-1]
    if wide:
        return np.concatenate([sq, rng.uniform(-1, 1, (k, extra))], axis=1)
    return np.concatenate([sq, rng.uniform(-0.3, 0.3, (extra, k))], axis=0)


@pytest.mark.parametrize("wide", [True, False], ids=["wide", "tall"])
def test_gradcheck_to_second_order(wide):
    a = autobp.tensor(_well_pivoted(3, 2, wide), requires_grad=True)
    assert autobp.gradcheck(lambda a: la.lu_factor(a)[0], (a,))
    assert autobp.gradgradcheck(lambda a: la.lu_factor(a)[0], (a,))
    assert autobp.gradcheck(lambda a: la.lu(a)[1] @ la.lu(a)[2], (a,))  # P^T A, piecewise linear in A
