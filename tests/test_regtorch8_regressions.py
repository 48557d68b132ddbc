"""Regressions found by re-running earlier PyTorch held-out suites against main (torch as the oracle)."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_inplace_method_values_and_grads_are_torchs(reduce, include_self):
    # Tensor.scatter_reduce_ called a function that had moved module (AttributeError on every call)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3))
    src = rng.standard_normal((5, 3))
    idx = np.array([[0, 1, 2], [0, 0, 3], [2, 1, 0], [3, 3, 3], [1, 2, 1]])
    a, s = autobp.tensor(x, requires_grad=True), autobp.tensor(src, requires_grad=True)
    out = a.clone().scatter_reduce_(0, idx, s, reduce, include_self=include_self)
    ta, ts = torch.tensor(x, requires_grad=True), torch.tensor(src, requires_grad=True)
    want = ta.clone().scatter_reduce_(0, torch.tensor(idx), ts, reduce, include_self=include_self)
    np.testing.assert_allclose(out.numpy(), want.detach().numpy(), rtol=1e-12)
    w = rng.standard_normal(out.shape)
    (out * autobp.tensor(w)).sum().backward()
    (want * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(a.grad, ta.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(s.grad, ts.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_scatter_reduce_inplace_on_integers_is_torchs():
    x = np.array([5, 1, 7, 2])
    idx = np.array([0, 0, 3, 1, 3])
    src = np.array([3, 9, -4, 6, 8])
    for reduce in ["sum", "prod", "amax", "amin", "mean"]:
        got = autobp.tensor(x).scatter_reduce_(0, idx, autobp.tensor(src), reduce)
        want = torch.tensor(x).scatter_reduce_(0, torch.tensor(idx), torch.tensor(src), reduce)
        np.testing.assert_array_equal(got.numpy(), want.numpy())
        assert str(got.dtype) == "int64"


def test_gradcheck_accepts_a_forward_that_updates_non_differentiable_inputs():
    # F.batch_norm in training updates running_mean/var in place: PyTorch's gradcheck and gradgradcheck
    # pass (its test_batchnorm_grad); autobp's reported "the forward pass modified input 1 in place"
    x = autobp.arange(12, dtype=autobp.float64).reshape(2, 3, 2).requires_grad_()
    w = autobp.arange(1, 4, dtype=autobp.float64).requires_grad_()
    b = autobp.arange(3, dtype=autobp.float64).requires_grad_()
    rm, rv = 1 - autobp.arange(3, dtype=autobp.float64), 2 * autobp.arange(3, dtype=autobp.float64) + 1
    for training in (False, True):
        args = (x, rm, rv, w, b, training, 0.1, 1e-4)
        assert autobp.autograd.gradcheck(autobp.nn.functional.batch_norm, args)
        assert autobp.autograd.gradgradcheck(autobp.nn.functional.batch_norm, args)
    assert not np.allclose(rm.numpy(), 1 - np.arange(3))  # the running mean was updated
    tx = torch.arange(12, dtype=torch.float64).reshape(2, 3, 2).requires_grad_()
    trm = 1 - torch.arange(3, dtype=torch.float64)
    targs = (tx, trm, 2 * torch.arange(3.0, dtype=torch.float64) + 1, None, None, True, 0.1, 1e-4)
    assert torch.autograd.gradcheck(torch.nn.functional.batch_norm, targs)


def test_gradcheck_still_reports_a_forward_that_writes_a_differentiable_input():
    def scribble(t):
        out = t * 2
        t.data[...] = 0.0
        return out

    with pytest.raises(Exception, match="modified"):
        autobp.autograd.gradcheck(scribble, (autobp.tensor([1.0, 2.0], requires_grad=True),))


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_max_unpool_of_an_empty_batch_backpropagates_as_torchs(nd):
    # an empty index made scatter return a copy of its input cut off from src, so max_unpool of an
    # empty batch did not require grad and backward() raised; PyTorch's test_MaxUnpool_zero_batch_dim
    shape = (0, 4) + (6,) * nd
    pool = getattr(autobp.nn, f"MaxPool{nd}d")(2, stride=2, return_indices=True)
    unpool = getattr(autobp.nn, f"MaxUnpool{nd}d")(2, stride=2)
    x = autobp.randn(*shape, requires_grad=True)
    out = unpool(*pool(x))
    tx = torch.randn(*shape, requires_grad=True)
    tpool = getattr(torch.nn, f"MaxPool{nd}d")(2, stride=2, return_indices=True)
    tout = getattr(torch.nn, f"MaxUnpool{nd}d")(2, stride=2)(*tpool(tx))
    assert out.requires_grad == tout.requires_grad is True
    assert out.shape == tuple(tout.shape)
    out.sum().backward()
    tout.sum().backward()
    assert x.grad.shape == tuple(tx.grad.shape)


@pytest.mark.parametrize("name", ["scatter", "scatter_add", "scatter_reduce"])
def test_scatter_with_an_empty_index_keeps_src_in_the_graph_as_torch(name):
    x = np.arange(6.0).reshape(2, 3)
    idx = np.zeros((2, 0), dtype=np.int64)
    extra = ("sum",) if name == "scatter_reduce" else ()
    a, s = autobp.tensor(x, requires_grad=True), autobp.zeros((2, 0), requires_grad=True)
    out = getattr(autobp, name)(a, 1, idx, s, *extra)
    ta, ts = torch.tensor(x, requires_grad=True), torch.zeros((2, 0), dtype=torch.float64, requires_grad=True)
    want = getattr(torch, name)(ta, 1, torch.tensor(idx), ts, *extra)
    assert out.requires_grad == want.requires_grad
    np.testing.assert_array_equal(out.detach().numpy(), want.detach().numpy())
    w = np.arange(6.0).reshape(2, 3) + 1
    (out * autobp.tensor(w)).sum().backward()
    (want * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(a.grad, ta.grad.numpy())
    assert s.grad.shape == tuple(ts.grad.shape)


@pytest.mark.parametrize("fmt", ["channels_last", "channels_last_3d"])
def test_a_leafs_first_grad_has_the_leafs_memory_format_as_torch(fmt):
    # PyTorch's AccumulateGrad lays .grad out as its dense leaf; autobp's grads were always C order,
    # so test_Dropout2d's channels-last check failed whenever the random shape was not degenerate
    shape = (3, 4, 5, 2) if fmt == "channels_last" else (2, 3, 4, 5, 2)
    x = autobp.ones(shape).clone(memory_format=getattr(autobp, fmt)).requires_grad_()
    tx = torch.ones(shape).clone(memory_format=getattr(torch, fmt)).requires_grad_()
    (x * 2).sum().backward()
    (tx * 2).sum().backward()
    mf, tmf = getattr(autobp, fmt), getattr(torch, fmt)
    assert x.grad.is_contiguous(memory_format=mf) == tx.grad.is_contiguous(memory_format=tmf) is True
    assert x.grad.is_contiguous() == tx.grad.is_contiguous() is False
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())


def test_grad_layout_of_transposed_and_sliced_leaves_as_torch():
    t = autobp.tensor(np.arange(12.0).reshape(3, 4).T, requires_grad=True)  # dense, Fortran order
    tt = torch.arange(12.0, dtype=torch.float64).reshape(3, 4).t().detach().requires_grad_()
    (t * t).sum().backward()
    (tt * tt).sum().backward()
    np.testing.assert_array_equal(t.grad, tt.grad.numpy())
    assert [s // 8 for s in t.grad.strides] == list(tt.grad.stride())
    d = autobp.nn.Dropout2d(0.2)
    x = autobp.ones((10, 3, 4, 2)).clone(memory_format=autobp.channels_last).requires_grad_()
    d(x).backward(autobp.ones((10, 3, 4, 2)))
    assert x.grad.is_contiguous(memory_format=autobp.channels_last)
