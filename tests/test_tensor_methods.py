"""Tensor methods and attributes from autobp/ops/tensor_methods.py, against numpy and PyTorch."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch")

A = np.arange(24.0).reshape(2, 3, 4) * 0.25 - 2.0


@pytest.mark.parametrize("attr", ["mT", "mH"])
def test_matrix_transposes_swap_the_last_two_axes_like_numpy_and_torch_with_gradients(attr):
    x = Tensor(A, requires_grad=True)
    y = getattr(x, attr)
    np.testing.assert_array_equal(y.data, A.mT)
    w = np.random.default_rng(0).normal(size=y.shape)
    (y * Tensor(w)).sum().backward()
    tx = torch.tensor(A, requires_grad=True)
    (getattr(tx, attr) * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())
    assert autobp.gradcheck(lambda t: getattr(t, attr) * 1.0, (Tensor(A[0], requires_grad=True),))


def test_matrix_transposes_are_views_and_refuse_too_few_axes():
    x = Tensor(A.copy())
    assert np.shares_memory(x.mT.data, x.data) and x.mT._source is x
    assert x[0].H.shape == (4, 3)
    np.testing.assert_array_equal(x[0].H.data, A[0].T)
    with pytest.raises(ValueError, match=r"mT: a matrix transpose needs at least 2 axes, got shape \(3,\)"):
        _ = Tensor([1.0, 2.0, 3.0]).mT
    with pytest.raises(ValueError, match=r"H: .* 2-D tensor, got shape \(2, 3, 4\); use .mH"):
        _ = x.H


def test_clone_and_copy_own_their_memory_and_pass_the_gradient():
    x = Tensor(A, requires_grad=True)
    for c in (x.clone(), x.copy(), np.copy(x), autobp.copy(x)):
        assert not np.shares_memory(c.data, x.data)
        np.testing.assert_array_equal(c.data, A)
        (c * 2.0).sum().backward()
    np.testing.assert_array_equal(x.grad, np.full(A.shape, 8.0))


def test_pytorch_method_spellings_equal_torchs():
    a, b = A[0], A[1]
    ours, theirs = Tensor(a), torch.tensor(a)
    for name, args in [
        ("add", (b,)),
        ("sub", (b,)),
        ("mul", (b,)),
        ("div", (b + 10.0,)),
        ("pow", (2.0,)),
        ("maximum", (b,)),
        ("minimum", (b,)),
        ("eq", (b,)),
        ("ne", (b,)),
        ("lt", (b,)),
        ("le", (b,)),
        ("gt", (b,)),
        ("ge", (b,)),
        ("frac", ()),
        ("neg", ()),
    ]:
        got = getattr(ours, name)(*[Tensor(v) if isinstance(v, np.ndarray) else v for v in args])
        want = getattr(theirs, name)(*[torch.tensor(v) if isinstance(v, np.ndarray) else v for v in args])
        np.testing.assert_array_equal(got.data, want.numpy(), err_msg=name)
    np.testing.assert_array_equal(ours.add(Tensor(b), alpha=3.0).data, theirs.add(torch.tensor(b), alpha=3.0))
    np.testing.assert_array_equal(ours.matmul(Tensor(b.T)).data, theirs.matmul(torch.tensor(b.T)))
    np.testing.assert_array_equal(
        ours.where(ours > 0, Tensor(b)).data, theirs.where(theirs > 0, torch.tensor(b)).numpy()
    )


def test_shape_and_dtype_of_another_tensor():
    x, other = Tensor(A[0, 0]), Tensor(np.zeros((2, 2), np.float32))
    assert x.view_as(other).shape == (2, 2) and x.reshape_as(other).shape == (2, 2)
    assert Tensor([1.0, 2.0]).expand_as(other).shape == (2, 2)
    assert x.type_as(other).dtype == np.float32 and x.type_as(x) is x
    assert x.to(np.float32).dtype == np.float32 and x.to("cpu") is x and x.to(other).dtype == np.float32
    assert x.to(copy=True) is not x and x.cpu() is x and x.device == "cpu" == np.zeros(1).device
    with pytest.raises(ValueError, match="device 'cuda' is not available"):
        x.to("cuda")


def test_new_tensors_take_selfs_dtype_like_torch():
    x, tx = Tensor(np.ones(2, np.float32)), torch.ones(2)
    for name, args in [("new_zeros", (2, 3)), ("new_ones", ((3,),)), ("new_full", ((2,), 7.0))]:
        got, want = getattr(x, name)(*args), getattr(tx, name)(*args)
        assert got.dtype == np.float32 and got.is_leaf and not got.requires_grad
        np.testing.assert_array_equal(got.data, want.numpy())
    assert x.new_empty(4).shape == (4,) and x.new_tensor([1, 2]).dtype == np.float32
    assert x.new_zeros(2, dtype=np.int64).dtype == np.int64
    assert x.new_ones(2, requires_grad=True).requires_grad


def test_select_narrow_unbind_match_torch_and_are_differentiable():
    x, tx = Tensor(A, requires_grad=True), torch.tensor(A, requires_grad=True)
    ours = (
        x.select(1, -1).sum()
        + x.narrow(2, 1, 2).sum() * 2.0
        + sum(t.sum() * i for i, t in enumerate(x.unbind(2)))
    )
    theirs = (
        tx.select(1, -1).sum()
        + tx.narrow(2, 1, 2).sum() * 2.0
        + sum(t.sum() * i for i, t in enumerate(tx.unbind(2)))
    )
    ours.backward()
    theirs.backward()
    np.testing.assert_allclose(ours.item(), theirs.item())
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())
    with pytest.raises(IndexError, match="narrow: start 3 and length 2 exceed axis 2 of length 4"):
        x.narrow(2, 3, 2)


def test_memory_queries_match_numpy_and_torch():
    a = np.zeros((2, 3, 4), np.float32)
    x, tx = Tensor(a), torch.zeros(2, 3, 4)
    assert (x.itemsize, x.nbytes, x.strides) == (a.itemsize, a.nbytes, a.strides)
    assert x.stride() == tx.stride() and x.stride(-1) == tx.stride(-1) == 1
    assert x.element_size() == tx.element_size() and x.nelement() == tx.nelement() == 24
    assert x.is_contiguous() and not x.mT.is_contiguous() and not tx.mT.is_contiguous()
    assert x.mT.stride() == tx.mT.stride()
    assert (
        x.is_floating_point() and not Tensor([1], dtype=np.int64).is_floating_point() and not x.is_complex()
    )
    assert x.data_ptr() == x.data.ctypes.data
    assert x.mT.contiguous().is_contiguous() and x.contiguous() is x


def test_real_imag_conj_of_real_tensors():
    x = Tensor(A)
    assert x.real is x and x.conj() is x and x.conjugate() is x
    np.testing.assert_array_equal(x.imag.data, np.imag(A))


def test_retains_grad_and_detach_():
    x = Tensor(A, requires_grad=True)
    h = x * 2.0
    assert not h.retains_grad
    h.retain_grad()
    assert h.retains_grad
    d = (x * 3.0).detach_()
    assert d.is_leaf and not d.requires_grad and d.grad_fn is None


def test_flat_reads_and_writes_like_numpys():
    a = np.arange(6.0).reshape(2, 3)
    x = Tensor(a, requires_grad=True)
    np.testing.assert_array_equal(x.flat[[4, 0]].data, a.flat[[4, 0]])
    assert len(x.flat) == 6 and [v.item() for v in x.flat] == list(a.flat)
    x.flat[1:3].sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    h, expected = Tensor(a.copy()), a.copy()
    h.flat[[0, 5]] = -1.0
    expected.flat[[0, 5]] = -1.0
    np.testing.assert_array_equal(h.data, expected)


def test_matrix_products_and_addc_match_torch():
    a, b = A[0], A[1]
    ours, theirs = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    got = (
        ours.mm(Tensor(b.T)).sum()
        + ours.mv(Tensor(b[0])).sum()
        + ours.addcdiv(Tensor(b), Tensor(b + 9.0), value=2.0).sum()
    )
    got = got + ours.addcmul(ours, Tensor(b), value=0.5).sum() + Tensor(A).bmm(Tensor(A.mT)).sum()
    want = theirs.mm(torch.tensor(b.T)).sum() + theirs.mv(torch.tensor(b[0])).sum()
    want = want + theirs.addcdiv(torch.tensor(b), torch.tensor(b + 9.0), value=2.0).sum()
    want = (
        want
        + theirs.addcmul(theirs, torch.tensor(b), value=0.5).sum()
        + torch.tensor(A).bmm(torch.tensor(A).mT).sum()
    )
    got.backward()
    want.backward()
    np.testing.assert_allclose(got.item(), want.item(), rtol=1e-14)
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-14)
    with pytest.raises(ValueError, match=r"mm: needs 2-D and 2-D tensors, got shapes \(3, 4\) and \(4,\)"):
        ours.mm(Tensor(b[0]))
