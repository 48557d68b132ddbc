"""vmap over in-place methods, against torch.func.vmap: an output that is the slice fn was given comes
back as the input itself (or a view of it with the mapped axis moved), and a write into an input that is
not mapped over is refused, as torch.func refuses it, instead of every slice overwriting it."""

import numpy as np
import pytest

import autobp
from autobp.func import vmap

torch = pytest.importorskip("torch")
tvmap = torch.func.vmap


def _pair(shape, seed=0):
    a = np.random.default_rng(seed).standard_normal(shape)
    return autobp.tensor(a.copy()), torch.tensor(a.copy())


def test_inplace_method_returns_the_input_itself():
    x, xt = _pair((3, 4))
    r, rt = vmap(autobp.Tensor.sin_)(x), tvmap(torch.Tensor.sin_)(xt)
    assert (r is x) and (rt is xt)
    np.testing.assert_allclose(r.numpy(), rt.numpy())


def test_nested_inplace_method_returns_the_input_itself():
    x, xt = _pair((2, 3, 4))
    r, rt = vmap(vmap(autobp.Tensor.exp_))(x), tvmap(tvmap(torch.Tensor.exp_))(xt)
    assert (r is x) and (rt is xt)
    np.testing.assert_allclose(x.numpy(), xt.numpy())


def test_moved_axis_gives_a_view_that_writes_through():
    x, xt = _pair((3, 4))
    r = vmap(autobp.Tensor.cos_, in_dims=1, out_dims=0)(x)
    rt = tvmap(torch.Tensor.cos_, in_dims=1, out_dims=0)(xt)
    assert r.shape == tuple(rt.shape) == (4, 3) and rt._base is xt
    np.testing.assert_allclose(r.numpy(), rt.numpy())
    r.zero_()
    rt.zero_()
    np.testing.assert_array_equal(x.numpy(), xt.numpy())
    assert not x.numpy().any()


def test_identity_function_returns_the_input():
    x, xt = _pair((3, 2))
    assert vmap(lambda a: a)(x) is x
    assert tvmap(lambda a: a)(xt) is xt


def test_inplace_twice_matches_torch():
    # the reference loop of torch's _vmap_test: vmap(op_)(x), then op_ again per slice
    x, xt = _pair((5, 3))
    r, rt = vmap(autobp.Tensor.tanh_)(x), tvmap(torch.Tensor.tanh_)(xt)
    for k in range(5):
        x[k].tanh_()
        xt[k].tanh_()
    np.testing.assert_allclose(r.numpy(), rt.numpy(), rtol=1e-12)


def test_copy_into_mapped_input_writes_every_slice():
    (x, xt), (y, yt) = _pair((3,), 1), _pair((3, 2), 2)
    vmap(autobp.Tensor.copy_, in_dims=(1, None))(y, x)
    tvmap(torch.Tensor.copy_, in_dims=(1, None))(yt, xt)
    np.testing.assert_array_equal(y.numpy(), yt.numpy())


@pytest.mark.parametrize(
    "method",
    [lambda s, v: s.copy_(v), lambda s, v: s.fill_(v.sum()), lambda s, v: s.mul_(v)],
    ids=["copy_", "fill_", "mul_"],
)
def test_write_into_unmapped_input_is_refused(method):
    (x, xt), (y, yt) = _pair((3,), 3), _pair((2, 3), 4)
    with pytest.raises(RuntimeError):
        tvmap(method, in_dims=(None, 0))(xt, yt)
    with pytest.raises(RuntimeError, match="inplace"):
        vmap(method, in_dims=(None, 0))(x, y)


def test_chunk_size_message_is_torch_s():
    x, xt = _pair((4, 2))
    msg = "vmap: chunk_size should be None or greater than 0"
    for bad in (0, -1):
        with pytest.raises(ValueError, match=msg):
            tvmap(torch.sin, chunk_size=bad)(xt)
        with pytest.raises(ValueError, match=msg):
            vmap(autobp.sin, chunk_size=bad)(x)


def test_chunk_is_a_tuple_and_maps_under_vmap():
    x, xt = _pair((4, 2, 7))
    assert type(autobp.chunk(x, 3, -1)) is type(torch.chunk(xt, 3, -1)) is tuple
    assert type(x.chunk(2)) is tuple
    r = vmap(autobp.chunk, in_dims=(0, None, None))(x, 3, -1)
    rt = tvmap(torch.chunk, in_dims=(0, None, None))(xt, 3, -1)
    assert type(r) is type(rt) is tuple and len(r) == len(rt)
    for a, b in zip(r, rt):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize(
    "name,shapes", [("mm", [(2, 2, 2), (2,)]), ("mv", [(2, 2), (2, 2)]), ("bmm", [(2, 2), (2, 2)])]
)
def test_matrix_product_rank_errors_are_runtime_errors(name, shapes):
    with pytest.raises(RuntimeError):
        getattr(torch, name)(*(torch.zeros(s) for s in shapes))
    with pytest.raises(RuntimeError, match=name):
        getattr(autobp, name)(*(autobp.zeros(s) for s in shapes))


def test_gradient_through_inplace_method_under_vmap():
    a = np.random.default_rng(1).standard_normal((3, 4))
    w = np.arange(12.0).reshape(4, 3)
    leaf, tleaf = autobp.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    r = vmap(autobp.Tensor.sin_, in_dims=1, out_dims=0)(leaf * 2)
    rt = tvmap(torch.Tensor.sin_, in_dims=1, out_dims=0)(tleaf * 2)
    (r * autobp.tensor(w)).sum().backward()
    (rt * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(leaf.grad, tleaf.grad.numpy(), rtol=1e-12)
