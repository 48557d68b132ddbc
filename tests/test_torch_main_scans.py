"""PyTorch's spellings found missing by running test/test_torch.py against autobp (helper torchmain6):
diff(dim=) and its prepend/append errors, gradient(spacing=, dim=), out= of cummax/cummin/logcumsumexp
and bernoulli, bernoulli(input, p), normal_/uniform_ keywords. torch is the oracle."""

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")


def _t(a):
    return torch.tensor(np.asarray(a))


@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_diff_dim_keyword_matches_torch(dim, n):
    x = np.random.default_rng(0).normal(size=(3, 4))
    pre = x[:1] if dim == 0 else x[:, :1]
    got = ab.diff(ab.tensor(x), n=n, dim=dim, prepend=ab.tensor(pre), append=ab.tensor(x))
    want = torch.diff(_t(x), n=n, dim=dim, prepend=_t(pre), append=_t(x))
    np.testing.assert_allclose(got.numpy(), want.numpy())
    np.testing.assert_allclose(ab.tensor(x).diff(dim=dim, n=n).numpy(), _t(x).diff(dim=dim, n=n).numpy())


def test_diff_gradient_through_dim_keyword():
    x = np.random.default_rng(1).normal(size=(3, 4))
    a = ab.tensor(x, requires_grad=True)
    (ab.diff(a, n=2, dim=0) ** 2).sum().backward()
    b = _t(x).requires_grad_()
    (torch.diff(b, n=2, dim=0) ** 2).sum().backward()
    np.testing.assert_allclose(a.grad, b.grad.numpy())


def test_diff_errors_carry_torch_words():
    x = ab.ones(2, 3)
    for bad, words in (
        (ab.tensor([1.0, 2.0, 3.0]), "diff expects prepend or append to be the same dimension as input"),
        (ab.tensor([[0.0, 1.0]]), "diff expects the shape of tensor to prepend or append to match"),
    ):
        with pytest.raises(RuntimeError, match=words):
            x.diff(dim=0, prepend=bad)
        with pytest.raises(RuntimeError, match=words):
            torch.ones(2, 3).diff(dim=0, prepend=_t(bad.numpy()))
    with pytest.raises(RuntimeError, match="diff expects input to be at least one-dimensional"):
        ab.diff(ab.tensor(2.0))
    with pytest.raises(TypeError):
        ab.diff(x, axis=0, dim=0)


@pytest.mark.parametrize(
    "kw",
    [
        dict(spacing=2.0, dim=1),
        dict(spacing=[2.0, 0.5], dim=(0, 1)),
        dict(dim=0),
        dict(dim=(1,), edge_order=2),
    ],
)
def test_gradient_torch_keywords_give_a_tuple_as_torch(kw):
    x = np.random.default_rng(2).normal(size=(4, 5))
    got = ab.gradient(ab.tensor(x), **kw)
    want = torch.gradient(_t(x), **kw)
    assert isinstance(got, tuple) and len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.numpy(), w.numpy())


def test_gradient_coordinate_tensors():
    x = np.random.default_rng(3).normal(size=(4, 5))
    c0, c1 = np.array([0.0, 1.0, 3.0, 4.5]), np.array([0.0, 0.5, 1.0, 2.0, 4.0])
    got = ab.gradient(ab.tensor(x), spacing=[ab.tensor(c0), ab.tensor(c1)], dim=(0, 1))
    want = torch.gradient(_t(x), spacing=[_t(c0), _t(c1)], dim=(0, 1))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.numpy(), w.numpy())
    with pytest.raises(TypeError):
        ab.gradient(ab.tensor(x), 1.0, spacing=1.0)


@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_cummax_cummin_out(name):
    x = np.random.default_rng(4).normal(size=(5, 4))
    v, i = ab.empty(0), ab.empty(0, dtype=ab.int64)
    r = getattr(ab, name)(ab.tensor(x), 1, out=(v, i))
    want = getattr(torch, name)(_t(x), 1)
    assert r[0] is v and r[1] is i
    np.testing.assert_array_equal(v.numpy(), want.values.numpy())
    np.testing.assert_array_equal(i.numpy(), want.indices.numpy())
    with pytest.raises(RuntimeError, match="expected scalar_type Double but found Short"):
        getattr(ab, name)(ab.tensor(x), 0, out=(ab.empty(0, dtype=ab.int16), i))
    with pytest.raises(RuntimeError, match="expected scalar_type Double but found Short"):
        outs = (torch.empty(0, dtype=torch.int16), torch.empty(0, dtype=torch.int64))
        getattr(torch, name)(_t(x), 0, out=outs)


def test_logcumsumexp_out():
    x = np.random.default_rng(5).normal(size=(5, 2))
    o = ab.zeros(5, 2)
    assert ab.logcumsumexp(ab.tensor(x), dim=1, out=o) is o
    np.testing.assert_allclose(o.numpy(), torch.logcumsumexp(_t(x), 1).numpy())
    with pytest.raises(RuntimeError, match="expected scalar_type Double but found Float"):
        ab.logcumsumexp(ab.tensor(x), 1, out=ab.zeros(5, 2, dtype=ab.float32))


def test_bernoulli_out_and_p():
    p = ab.rand(6, 6)
    for dt in (ab.int64, ab.bool, ab.float32):
        o = ab.full((6, 6), 2, dtype=dt)
        assert ab.bernoulli(p, out=o) is o and o.dtype == dt
        assert set(np.unique(o.numpy()).tolist()) <= {0, 1}
    # torch.bernoulli(input, p): input's shape and dtype, every element 1 with probability p
    for prob in (0.0, 1.0):
        got = ab.bernoulli(ab.zeros(3, 2), prob)
        want = torch.bernoulli(torch.zeros(3, 2, dtype=torch.float64), prob)
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    assert ab.bernoulli(ab.zeros(3, dtype=ab.float32), 0.5).dtype == ab.float32


def test_random_fills_take_torch_keywords():
    x = ab.empty(4000).normal_(mean=5.0, std=2.0)
    assert abs(float(x.mean()) - 5.0) < 0.2 and abs(float(x.std()) - 2.0) < 0.2
    y = ab.empty(4000).uniform_(from_=2.0, to=3.0)
    assert 2.0 <= float(y.min()) and float(y.max()) < 3.0
    with pytest.raises(TypeError):
        ab.empty(3).normal_(bogus=1.0)
