"""``Tensor.data`` answers PyTorch's Tensor methods (``p.data.copy_(x)``, ``p.data.normal_(0, 0.02)``,
``p.data.clone()``, ``p.data.size()``...) with PyTorch's values, stays an ndarray for numpy, and counts
each in-place method as one write (a later backward that saved the tensor refuses, as PyTorch's does
for a write through ``detach()``; PyTorch's own ``.data`` writes are not counted at all)."""

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
W = RNG.standard_normal((3, 4))
G = RNG.standard_normal((3, 4))
POS = RNG.uniform(0.5, 2.0, (3, 4))
MASK = RNG.uniform(size=(3, 4)) > 0.5

# (id, call on the .data array, torch array-like of operands): each applied to ours and to torch's
INPLACE = {
    "copy_": lambda d, T: d.copy_(T(G)),
    "copy_ broadcast": lambda d, T: d.copy_(T(G[0])),
    "fill_": lambda d, T: d.fill_(0.5),
    "zero_": lambda d, T: d.zero_(),
    "mul_ scalar": lambda d, T: d.mul_(0.3),
    "mul_ tensor": lambda d, T: d.mul_(T(G)),
    "add_ alpha": lambda d, T: d.add_(T(G), alpha=-0.1),
    "add_": lambda d, T: d.add_(T(G)),
    "sub_ alpha": lambda d, T: d.sub_(T(G), alpha=2.0),
    "div_ scalar": lambda d, T: d.div_(4.0),
    "div_ tensor": lambda d, T: d.div_(T(POS)),
    "div_ floor": lambda d, T: d.div_(T(POS), rounding_mode="floor"),
    "div_ trunc": lambda d, T: d.div_(T(POS), rounding_mode="trunc"),
    "clamp_": lambda d, T: d.clamp_(-0.5, 0.5),
    "clamp_ min": lambda d, T: d.clamp_(min=0.0),
    "clip_ max": lambda d, T: d.clip_(max=0.1),
    "neg_": lambda d, T: d.neg_(),
    "abs_": lambda d, T: d.abs_(),
    "addcmul_": lambda d, T: d.addcmul_(T(G), T(POS), value=0.5),
    "addcdiv_": lambda d, T: d.addcdiv_(T(G), T(POS), value=-0.2),
    "lerp_": lambda d, T: d.lerp_(T(G), 0.3),
    "masked_fill_": lambda d, T: d.masked_fill_(T(MASK), -1.5),
    "view(-1).fill_": lambda d, T: d.view(-1)[2:5].fill_(7.0),
    "t().mul_": lambda d, T: d.t()[0].mul_(3.0),
}


def _torch_arr(x):
    return torch.tensor(x)


def _ours_arr(x):
    return autobp.tensor(x)


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_methods_write_torchs_values_and_count_one_write(name):
    call = INPLACE[name]
    p = autobp.tensor(W.copy(), requires_grad=True)
    tp = torch.tensor(W.copy(), requires_grad=True)
    v0, tv0 = p._version, tp._version
    out = call(p.data, _ours_arr)
    tout = call(tp.detach(), _torch_arr)  # detach(): torch's .data shares memory but not the version
    np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(np.asarray(out), tout.numpy(), rtol=1e-13, atol=1e-15)
    assert p._version - v0 == tp._version - tv0 == 1


def test_inplace_method_returns_the_data_array_itself():
    p = autobp.tensor(W.copy(), requires_grad=True)
    d = p.data
    assert d.mul_(2.0) is d and d.zero_() is d and d.copy_(G) is d


@pytest.mark.parametrize("name", ["mul_ scalar", "copy_", "add_ alpha", "zero_", "clamp_"])
def test_a_write_through_data_makes_a_stale_backward_refuse(name):
    call = INPLACE[name]
    tp = torch.tensor(W.copy(), requires_grad=True)
    ty = (tp * tp).sum()  # mul saves its inputs
    call(tp.detach(), _torch_arr)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        ty.backward()
    p = autobp.tensor(W.copy(), requires_grad=True)
    y = (p * p).sum()
    call(p.data, _ours_arr)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_augmented_division_by_a_tensor_is_one_write():
    t = 2.5
    p = autobp.tensor(W.copy(), requires_grad=True)
    tp = torch.tensor(W.copy(), requires_grad=True)
    v0 = p._version
    y = (p * p).sum()
    p.data /= autobp.tensor(t)
    d = tp.detach()
    d /= torch.tensor(t)
    np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-15)
    assert p._version - v0 == 1 and isinstance(p._data, np.ndarray)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_hand_written_sgd_on_data_matches_torch():
    x, target = RNG.standard_normal((5, 3)), RNG.standard_normal((5, 2))
    lin, tlin = autobp.nn.Linear(3, 2), torch.nn.Linear(3, 2).double()
    for p, tp in zip(lin.parameters(), tlin.parameters()):
        p.data.copy_(tp.data)
    for _ in range(3):
        for m, X, Y, ps in (
            (lin, autobp.tensor(x), autobp.tensor(target), lin.parameters()),
            (tlin, torch.tensor(x), torch.tensor(target), tlin.parameters()),
        ):
            ((m(X) - Y) ** 2).mean().backward()
            for p in ps:
                p.data.add_(p.grad, alpha=-0.1)
                p.grad.zero_()
    for p, tp in zip(lin.parameters(), tlin.parameters()):
        np.testing.assert_allclose(p.data, tp.data.numpy(), rtol=1e-12)


def test_queries_and_views_as_torch():
    p = autobp.tensor(W.copy(), requires_grad=True)
    tp = torch.tensor(W.copy())
    d, td = p.data, tp.data
    assert d.size() == tuple(td.size()) and d.size(1) == td.size(1) and d.size(-1) == 4
    assert d.size == 12 and d.numel() == td.numel() and d.dim() == td.dim()
    assert d.stride() == td.stride() and d.t().stride() == td.t().stride()
    np.testing.assert_array_equal(d.t(), td.t().numpy())
    np.testing.assert_array_equal(d.view(2, 6), td.view(2, 6).numpy())
    np.testing.assert_array_equal(d.view(-1), td.view(-1).numpy())
    assert d.unsqueeze(1).shape == tuple(td.unsqueeze(1).shape)
    assert d.unsqueeze(-1).shape == tuple(td.unsqueeze(-1).shape)
    assert d.view_as(np.zeros((4, 3))).shape == (4, 3)
    assert d.view(-1).data_ptr() == d.data_ptr() != d.clone().data_ptr()
    with pytest.raises(RuntimeError):
        d.t().view(-1)  # torch: a transposed matrix cannot be viewed flat
    with pytest.raises(RuntimeError):
        td.t().view(-1)
    with pytest.raises(RuntimeError, match="<= 2 dimensions"):
        torch.zeros(2, 2, 2).t()
    with pytest.raises(RuntimeError, match="<= 2 dimensions"):
        autobp.tensor(np.zeros((2, 2, 2))).data.t()
    assert d.view(np.float64) is not d and d.view(np.ndarray).__class__ is np.ndarray  # numpy's view


def test_norm_as_torch():
    p = autobp.tensor(W.copy())
    tp = torch.tensor(W.copy())
    for args in ((), (1,), (float("inf"),), (2, 1), (2, 0, True)):
        np.testing.assert_allclose(p.data.norm(*args), tp.data.norm(*args).numpy(), rtol=1e-13)


def test_new_arrays_are_unowned_copies_with_the_methods():
    p = autobp.tensor(W.copy(), requires_grad=True)
    v0 = p._version
    c = p.data.clone()
    c.zero_().add_(1.0)
    f = p.data.float()
    f.fill_(3.0)
    assert f.dtype == torch.tensor(W).float().numpy().dtype == np.float32
    assert p.data.to(np.float32).dtype == np.float32 and p.data.double() is not None
    np.testing.assert_array_equal(p.data, W)
    assert p._version == v0 and np.all(c == 1.0)
    n = p.data.new_zeros(2, 5)
    assert n.shape == (2, 5) and n.dtype == W.dtype and np.all(n == 0) and callable(n.normal_)
    assert p.data.new(p.data.size()).shape == W.shape
    np.testing.assert_array_equal(p.data.new([1, 2]), torch.tensor(W).new([1, 2]).numpy())
    assert p.data.new_full((3,), 2.0).tolist() == torch.tensor(W).new_full((3,), 2.0).tolist()
    assert p.data.long().dtype == np.int64 and p.data.half().dtype == np.float16


def test_detach_and_numpy_share_the_memory_and_count_writes():
    p = autobp.tensor(W.copy(), requires_grad=True)
    v0 = p._version
    p.data.detach().fill_(2.0)
    assert p._version == v0 + 1 and np.all(p.detach().numpy() == 2.0)
    p.data.numpy()[0, 0] = 5.0
    assert p._version == v0 + 2 and p.detach().numpy()[0, 0] == 5.0


def test_numpy_behaviour_of_data_is_kept():
    p = autobp.tensor(W.copy(), requires_grad=True)
    d = p.data
    assert isinstance(d, np.ndarray) and repr(d) == repr(W) and str(d) == str(W)
    assert type(d + 1) is np.ndarray and type(np.sin(d)) is np.ndarray
    assert isinstance(d.size, int) and d.size == W.size
    np.testing.assert_array_equal(d.sum(axis=0), W.sum(axis=0))  # numpy's meanings of shared names
    np.testing.assert_array_equal(d.max(1), W.max(1))
    assert d.std() == W.std() and d.T.shape == (4, 3)
    v0 = p._version
    d += 1.0
    assert p._version == v0 + 1
    d[0, :2] = 0.0
    assert p._version == v0 + 2 and p.detach().numpy()[0, 0] == 0.0


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_normal_draws_from_the_global_generator(dtype):
    p = autobp.tensor(np.zeros((300, 300), dtype), requires_grad=True)
    v0 = p._version
    autobp.manual_seed(3)
    assert p.data.normal_(0.5, 0.02) is not None
    first = p.detach().numpy().copy()
    assert first.dtype == dtype and p._version == v0 + 1
    assert abs(first.mean() - 0.5) < 5 * 0.02 / 300  # mean of 90000 draws
    assert abs(first.std() / 0.02 - 1) < 0.02
    autobp.manual_seed(3)
    p.data.normal_(0.5, 0.02)
    np.testing.assert_array_equal(p.detach().numpy(), first)


def test_uniform_draws_in_range_with_uniform_moments():
    a = 0.3
    p = autobp.tensor(np.zeros((300, 300)), requires_grad=True)
    p.data.uniform_(-a, a)
    v = p.detach().numpy()
    assert v.min() >= -a and v.max() < a
    assert abs(v.mean()) < 5 * a / np.sqrt(3) / 300
    assert abs(v.var() / (a * a / 3) - 1) < 0.02
    t = torch.zeros(300, 300).uniform_(-a, a)  # torch's range, for the same call
    assert t.min() >= -a and t.max() < a


def test_bernoulli_is_a_zero_one_mask_with_rate_p():
    p = autobp.tensor(np.full((300, 300), 7.0, np.float32), requires_grad=True)
    v0 = p._version
    p.data.bernoulli_(0.3)
    v = p.detach().numpy()
    t = torch.full((300, 300), 7.0).bernoulli_(0.3)
    assert v.dtype == t.numpy().dtype and set(np.unique(v)) == set(np.unique(t.numpy())) == {0.0, 1.0}
    assert abs(v.mean() - 0.3) < 5 * np.sqrt(0.3 * 0.7) / 300 and p._version == v0 + 1


def test_random_fills_on_grad_and_a_linear_reset():
    p = autobp.tensor(np.ones(4), requires_grad=True)
    (p * 2).sum().backward()
    g = p.grad
    g.uniform_(2.0, 3.0)
    assert np.all((p.grad >= 2.0) & (p.grad < 3.0))
    lin = autobp.nn.Linear(50, 40)
    stdv = 1.0 / np.sqrt(50)
    lin.weight.data.uniform_(-stdv, stdv)
    lin.bias.data.zero_()
    assert np.abs(lin.weight.data).max() <= stdv and not lin.bias.data.any()
    assert lin(autobp.tensor(np.ones((2, 50)))).shape == (2, 40)


def test_complex_random_fills_draw_both_parts_as_torch():
    n = 200_000
    ours = autobp.tensor(np.zeros(n, np.complex128)).data.normal_(1.0, 2.0)
    theirs = torch.zeros(n, dtype=torch.complex128).normal_(1.0, 2.0).numpy()
    for part in (np.real, np.imag):
        assert abs(part(ours).mean() - part(theirs).mean()) < 0.03
        assert abs(part(ours).std() / part(theirs).std() - 1) < 0.02
    u = autobp.tensor(np.zeros(n, np.complex64)).data.uniform_(0.0, 1.0)
    assert u.dtype == np.complex64 and 0.0 <= u.imag.min() and u.imag.max() < 1.0
    assert abs(u.imag.mean() - 0.5) < 0.01 and abs(u.real.mean() - 0.5) < 0.01


def test_random_fills_refuse_what_torch_refuses():
    for call in (lambda a: a.normal_(0.0, -1.0), lambda a: a.uniform_(2.0, 1.0)):
        with pytest.raises(RuntimeError):
            call(torch.zeros(3))
        with pytest.raises(RuntimeError):
            call(autobp.tensor(np.zeros(3)).data)
    with pytest.raises(NotImplementedError):
        torch.zeros(3, dtype=torch.int64).normal_()
    with pytest.raises(NotImplementedError, match="int64"):
        autobp.tensor(np.zeros(3, np.int64)).data.normal_()


def test_permute_narrow_expand_as_torch():
    x = RNG.standard_normal((2, 3, 4))
    p = autobp.tensor(x.copy(), requires_grad=True)
    d, td = p.data, torch.tensor(x)
    for ours, theirs in (
        (d.permute(2, 0, 1), td.permute(2, 0, 1)),
        (d.permute((1, 0, 2)), td.permute((1, 0, 2))),
        (d.narrow(1, 1, 2), td.narrow(1, 1, 2)),
        (d.narrow(2, -3, 2), td.narrow(2, -3, 2)),
        (d[:, :1].expand(2, 5, 4), td[:, :1].expand(2, 5, 4)),
        (d[0, :, :1].expand(-1, 6), td[0, :, :1].expand(-1, 6)),
        (d[0, :1].expand_as(np.zeros((2, 3, 4))), td[0, :1].expand_as(torch.zeros(2, 3, 4))),
    ):
        np.testing.assert_array_equal(ours, theirs.numpy())
    v0 = p._version
    d.permute(2, 1, 0)[0].zero_()  # a write through a view reaches the tensor and counts
    d.narrow(0, 1, 1).fill_(4.0)
    assert p._version == v0 + 2 and np.all(p.detach().numpy()[..., 0][0] == 0.0)
    assert np.all(p.detach().numpy()[1] == 4.0)


def _old_optimizer_steps(d, T):
    d.add_(-0.1, T(G))
    d.sub_(0.5, T(G))
    d.mul_(0.9).addcmul_(0.1, T(G), T(G))
    d.addcdiv_(-0.01, T(G), T(POS))


def test_deprecated_scalar_first_overloads_of_older_optimizers():
    p = autobp.tensor(W.copy(), requires_grad=True)
    tp = torch.tensor(W.copy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns once per process
        _old_optimizer_steps(tp.data, _torch_arr)
    with pytest.warns(UserWarning) as seen:
        _old_optimizer_steps(p.data, _ours_arr)
    assert [str(w.message).split(":")[0] for w in seen] == [
        f"This overload of {n} is deprecated" for n in ("add_", "sub_", "addcmul_", "addcdiv_")
    ]
    np.testing.assert_allclose(p.detach().numpy(), tp.numpy(), rtol=1e-13)
    with pytest.raises(TypeError, match="number first"):
        p.data.add_(G, G)
