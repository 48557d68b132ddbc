"""Fixes found by running the last part of PyTorch's test/test_linalg.py (test_mm onwards) against autobp,
torch as the oracle: the deprecated leading-number overloads of addmm/addmv/addr/baddbmm/addbmm (and
their in-place methods), cholesky_inverse's checks and out=, and out= on nuclear_norm and tensordot."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

rng = np.random.default_rng(5)
B1, B2 = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 4, 5))
M1, M2, I35 = rng.standard_normal((3, 4)), rng.standard_normal((4, 5)), rng.standard_normal((3, 5))
V3, V4, V5 = rng.standard_normal(3), rng.standard_normal(4), rng.standard_normal(5)
I235 = rng.standard_normal((2, 3, 5))

# (name, call(module, wrap)) - each a deprecated overload PyTorch still accepts (with a warning)
LEGACY = [
    ("addbmm(beta, input, alpha, b1, b2)", lambda m, w: m.addbmm(0.5, w(I35), -2, w(B1), w(B2))),
    ("addbmm(beta, input, b1, b2)", lambda m, w: m.addbmm(2, w(I35), w(B1), w(B2))),
    ("input.addbmm(beta, b1, b2)", lambda m, w: w(I35).addbmm(2, w(B1), w(B2))),
    ("input.addbmm(beta, alpha, b1, b2)", lambda m, w: w(I35).addbmm(2, 0.5, w(B1), w(B2))),
    ("input.addbmm_(beta, alpha, b1, b2)", lambda m, w: w(I35).clone().addbmm_(2, 0.5, w(B1), w(B2))),
    ("input.baddbmm_(beta, b1, b2)", lambda m, w: w(I235).clone().baddbmm_(3, w(B1), w(B2))),
    ("baddbmm(beta, input, alpha, b1, b2)", lambda m, w: m.baddbmm(0.5, w(I235), 2, w(B1), w(B2))),
    ("addmm(beta, input, alpha, m1, m2)", lambda m, w: m.addmm(2, w(I35), 3, w(M1), w(M2))),
    ("input.addmm_(beta, m1, m2)", lambda m, w: w(I35).clone().addmm_(2, w(M1), w(M2))),
    ("addmv(beta, input, alpha, mat, vec)", lambda m, w: m.addmv(2, w(V3), 3, w(M1), w(V4))),
    ("addr(beta, input, alpha, v1, v2)", lambda m, w: m.addr(2, w(I35), 3, w(V3), w(V5))),
    ("input.addr_(beta, v1, v2)", lambda m, w: w(I35).clone().addr_(2, w(V3), w(V5))),
]


@pytest.mark.parametrize(("what", "call"), LEGACY, ids=[c[0] for c in LEGACY])
def test_deprecated_fused_overloads_as_torch(what, call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = call(torch, torch.tensor).numpy()
    with pytest.warns(UserWarning, match=r"This overload of \w+ is deprecated"):
        got = call(autobp, autobp.tensor)
    np.testing.assert_allclose(np.asarray(got.detach()), expected, rtol=1e-12, atol=1e-12)


def test_deprecated_overload_gradients_as_torch():
    """The leading numbers are beta and alpha: the gradients are those of the keyword form."""
    ins = [autobp.tensor(x, requires_grad=True) for x in (I35, B1, B2)]
    tins = [torch.tensor(x, requires_grad=True) for x in (I35, B1, B2)]
    with pytest.warns(UserWarning):
        autobp.addbmm(0.5, ins[0], -2, ins[1], ins[2]).sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.addbmm(0.5, tins[0], -2, tins[1], tins[2]).sum().backward()
    for a, t in zip(ins, tins):
        np.testing.assert_allclose(np.asarray(a.grad), t.grad.numpy(), rtol=1e-12)


def test_keyword_form_does_not_warn_and_mixing_forms_is_refused():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        autobp.addmm(autobp.tensor(I35), autobp.tensor(M1), autobp.tensor(M2), beta=2, alpha=3)
        autobp.tensor(I35).addmm_(autobp.tensor(M1), autobp.tensor(M2), beta=2)
    with pytest.raises(TypeError):
        autobp.addmm(2, autobp.tensor(I35), autobp.tensor(M1), autobp.tensor(M2), beta=2)


def _raises_like_torch(ours, theirs, words):
    with pytest.raises(Exception) as t:
        theirs()
    with pytest.raises(type(t.value), match=words):
        ours()


def test_cholesky_inverse_argument_errors_as_torch():
    """Shapes refused with PyTorch's words (numpy's broadcasting messages before), a zero on the
    factor's diagonal with PyTorch's LinAlgError and words (numpy's 'Singular matrix' before)."""
    _raises_like_torch(
        lambda: autobp.cholesky_inverse(autobp.ones(2)),
        lambda: torch.cholesky_inverse(torch.ones(2)),
        "must have at least 2 dimensions",
    )
    _raises_like_torch(
        lambda: autobp.cholesky_inverse(autobp.ones((2, 3))),
        lambda: torch.cholesky_inverse(torch.ones(2, 3)),
        "must be batches of square matrices, but they are 2 by 3 matrices",
    )
    a = np.tril(rng.standard_normal((2, 3, 3))) + 3 * np.eye(3)
    a[1, 1, 1] = 0
    with pytest.raises(Exception) as t:
        torch.cholesky_inverse(torch.tensor(a))
    with pytest.raises(np.linalg.LinAlgError) as e:
        autobp.cholesky_inverse(autobp.tensor(a))
    assert str(e.value) == str(t.value)
    assert isinstance(t.value, torch.linalg.LinAlgError)


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_inverse_out_as_torch(upper):
    A = rng.standard_normal((2, 3, 3))
    A = A @ np.swapaxes(A, -1, -2) + 3 * np.eye(3)
    L = np.linalg.cholesky(A)
    L = np.swapaxes(L, -1, -2) if upper else L
    out, tout = autobp.empty((2, 3)), torch.empty(2, 3, dtype=torch.float64)
    with pytest.warns(UserWarning, match="resized"):
        got = autobp.cholesky_inverse(autobp.tensor(L), upper, out=out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.cholesky_inverse(torch.tensor(L), upper, out=tout)
    assert got is out
    np.testing.assert_allclose(np.asarray(out), tout.numpy(), rtol=1e-10)
    with pytest.raises(RuntimeError, match="but got result with dtype Int"):
        autobp.cholesky_inverse(autobp.tensor(L), out=autobp.empty((2, 3, 3), dtype=np.int32))


def test_cholesky_inverse_gradient_still_as_torch():
    A = rng.standard_normal((3, 3))
    L = np.linalg.cholesky(A @ A.T + 3 * np.eye(3))
    x, tx = autobp.tensor(L, requires_grad=True), torch.tensor(L, requires_grad=True)
    g = rng.standard_normal((3, 3))
    autobp.cholesky_inverse(x).backward(autobp.tensor(g))
    torch.cholesky_inverse(tx).backward(torch.tensor(g))
    np.testing.assert_allclose(np.asarray(x.grad), tx.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.filterwarnings("ignore:at::nuclear_norm is deprecated")
@pytest.mark.parametrize(("shape", "dim", "keepdim"), [((5, 5), None, False), ((4, 5, 3), (2, 0), True)])
def test_nuclear_norm_out_as_torch(shape, dim, keepdim):
    x = rng.standard_normal(shape)
    kw = {} if dim is None else {"dim": dim}
    out, tout = autobp.empty(0), torch.empty(0, dtype=torch.float64)
    got = autobp.nuclear_norm(autobp.tensor(x), keepdim=keepdim, out=out, **kw)
    torch.nuclear_norm(torch.tensor(x), keepdim=keepdim, out=tout, **kw)
    assert got is out and out.shape == tuple(tout.shape)
    np.testing.assert_allclose(np.asarray(out), tout.numpy(), rtol=1e-12)


def test_tensordot_out_and_negative_dims_as_torch():
    a, b = rng.standard_normal((3, 4, 5)), rng.standard_normal((4, 3, 2))
    out, tout = autobp.zeros((5, 2)), torch.zeros((5, 2), dtype=torch.float64)
    got = autobp.tensordot(autobp.tensor(a), autobp.tensor(b), dims=([1, 0], [0, 1]), out=out)
    torch.tensordot(torch.tensor(a), torch.tensor(b), dims=([1, 0], [0, 1]), out=tout)
    assert got is out
    np.testing.assert_allclose(np.asarray(out), tout.numpy(), rtol=1e-12)
    _raises_like_torch(
        lambda: autobp.tensordot(autobp.tensor(a), autobp.tensor(b), dims=-1),
        lambda: torch.tensordot(torch.tensor(a), torch.tensor(b), dims=-1),
        "expects dims >= 0",
    )
    with pytest.raises(ValueError):  # numpy's type still catches it
        autobp.tensordot(autobp.tensor(a), autobp.tensor(b), -1)


@pytest.mark.parametrize("x", [rng.standard_normal((2, 3, 3)), np.array([[np.nan, 1.0], [2.0, np.inf]])])
def test_matrix_power_zero_is_on_the_graph_as_torch(x):
    """matrix_power(a, 0) of an input that requires grad is a graph node with a zero gradient (it was a
    constant: backward through it alone raised); its value stays the exact identity (a's nan/inf unused)."""
    a, ta = autobp.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    r, tr = autobp.linalg.matrix_power(a, 0), torch.linalg.matrix_power(ta, 0)
    assert r.requires_grad and tr.requires_grad
    np.testing.assert_array_equal(np.asarray(r.detach()), tr.detach().numpy())
    g = rng.standard_normal(x.shape)
    r.backward(autobp.tensor(g))
    tr.backward(torch.tensor(g))
    np.testing.assert_array_equal(np.asarray(a.grad), ta.grad.numpy())
    assert not autobp.linalg.matrix_power(autobp.ones((2, 2)), 0).requires_grad
