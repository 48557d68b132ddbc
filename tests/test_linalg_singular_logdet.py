"""slogdet / logdet backward at exactly singular matrices: no exception (numpy's inv used to raise
LinAlgError), a non-finite gradient as PyTorch's (LAPACK's LU solve dividing by the zero pivot),
and the regular matrices of the same batch keep their exact gradient A^-H. torch is the oracle."""

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

SINGULAR = [
    np.array([[1.0, 2.0], [2.0, 4.0]]),
    np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]),
    np.zeros((3, 3)),
    np.diag([1.0, 0.0]),
    np.array([[0.0, 1.0], [0.0, 0.0]]),
]
FUNCS = {
    "slogdet": (lambda a: autobp.linalg.slogdet(a)[1], lambda a: torch.linalg.slogdet(a)[1]),
    "logdet": (autobp.logdet, torch.logdet),
}


def _grads(a0, name, dtype=np.float64):
    ours, theirs = FUNCS[name]
    a = autobp.tensor(a0.astype(dtype), requires_grad=True)
    ours(a).sum().backward()
    b = torch.tensor(a0.astype(dtype), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs(b).sum().backward()
    return np.asarray(a.grad), b.grad.numpy()


@pytest.mark.parametrize("name", sorted(FUNCS))
@pytest.mark.parametrize("k", range(len(SINGULAR)))
def test_singular_gradient_is_not_finite_as_torch(name, k):
    ours, theirs = _grads(SINGULAR[k], name)
    assert ours.shape == theirs.shape
    assert not np.isfinite(theirs).all()
    assert not np.isfinite(ours).all()


@pytest.mark.parametrize("name", sorted(FUNCS))
def test_two_by_two_singular_matches_torch_exactly(name):
    ours, theirs = _grads(SINGULAR[0], name)
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("name", sorted(FUNCS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_regular_members_of_a_batch_keep_their_gradient(name, dtype):
    reg = np.array([[2.0, 1.0], [1.0, 3.0]])
    batch = np.stack([np.diag([1.0, 0.0]), reg, np.array([[1.0, 2.0], [2.0, 4.0]]), -reg])
    ours, theirs = _grads(batch, name, dtype)
    assert ours.dtype == dtype
    np.testing.assert_allclose(ours[[1, 3]], theirs[[1, 3]], rtol=1e-6)
    assert not np.isfinite(ours[0]).all() and not np.isfinite(ours[2]).all()


def test_create_graph_at_a_singular_batch_member():
    # PyTorch's create_graph backward raises at a singular member (it solves with linalg.solve);
    # autobp gives the plain backward's non-finite values there and keeps the regular members
    # differentiable: compared with torch on the regular matrix alone
    reg = np.array([[2.0, 1.0], [1.0, 3.0]])
    a = autobp.tensor(np.stack([np.diag([1.0, 0.0]), reg]), requires_grad=True)
    (g,) = autobp.autograd.grad(autobp.linalg.slogdet(a)[1].sum(), a, create_graph=True)
    b = torch.tensor(reg, requires_grad=True)
    (gt,) = torch.autograd.grad(torch.linalg.slogdet(b)[1], b, create_graph=True)
    np.testing.assert_allclose(np.asarray(g.detach())[1], gt.detach().numpy())
    assert not np.isfinite(np.asarray(g.detach())[0]).all()
    (h,) = autobp.autograd.grad(g[1].sum(), a)
    (ht,) = torch.autograd.grad(gt.sum(), b)
    np.testing.assert_allclose(np.asarray(h)[1], ht.numpy())
    np.testing.assert_array_equal(np.asarray(h)[0], 0.0)


def test_complex_singular_slogdet_does_not_raise():
    a0 = np.array([[1.0 + 1j, 2.0], [1.0 + 1j, 2.0]])
    a = autobp.tensor(a0, requires_grad=True)
    s, la = autobp.linalg.slogdet(a)
    (la.sum() + s.real.sum()).backward()
    b = torch.tensor(a0, requires_grad=True)
    st, lat = torch.linalg.slogdet(b)
    (lat.sum() + st.real.sum()).backward()
    assert not np.isfinite(np.asarray(a.grad)).all()
    assert not np.isfinite(b.grad.numpy()).all()


def test_regular_matrix_gradient_unchanged():
    r = np.random.default_rng(0).standard_normal((3, 4, 4))
    ours, theirs = _grads(r, "slogdet")
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)
    a = autobp.tensor(r, requires_grad=True)
    assert autobp.gradcheck(lambda x: autobp.linalg.slogdet(x)[1], (a,))
