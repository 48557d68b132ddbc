"""The in-place methods of autobp/pytorch_inplace_more.py against torch: fused products, shape changes,
random fills (values, dtypes, aliasing, version bumps, gradients, refusals)."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch")
rng = np.random.default_rng(3)


def arr(v):
    if isinstance(v, torch.Tensor):
        return v.detach().numpy()
    return np.asarray(v._data if isinstance(v, Tensor) else v)


FUSED = [
    ("addmm_", (3, 4), [(3, 2), (2, 4)]),
    ("addbmm_", (3, 4), [(5, 3, 2), (5, 2, 4)]),
    ("addmv_", (3,), [(3, 2), (2,)]),
    ("addr_", (3, 4), [(3,), (4,)]),
    ("baddbmm_", (5, 3, 4), [(5, 3, 2), (5, 2, 4)]),
]


@pytest.mark.parametrize("name,shape,others", FUSED)
def test_fused_products_in_place_values_aliasing_and_gradients(name, shape, others):
    base = rng.normal(size=shape)
    ops = [rng.normal(size=s) for s in others]
    # values, the same object, a version bump, on a plain tensor
    t, tt = Tensor(base.copy()), torch.tensor(base.copy())
    v0 = t._version
    assert getattr(t, name)(*[Tensor(o) for o in ops], beta=0.5, alpha=2.0) is t
    getattr(tt, name)(*[torch.tensor(o) for o in ops], beta=0.5, alpha=2.0)
    np.testing.assert_allclose(arr(t), arr(tt), rtol=1e-12)
    assert t._version == v0 + 1
    # gradients through a non-leaf written in place
    leaves = [Tensor(base, requires_grad=True)] + [Tensor(o, requires_grad=True) for o in ops]
    tleaves = [torch.tensor(base, requires_grad=True)] + [torch.tensor(o, requires_grad=True) for o in ops]
    for ls in (leaves, tleaves):
        y = ls[0] * 1.5
        getattr(y, name)(*ls[1:], beta=0.5, alpha=2.0)
        (y * y).sum().backward()
    for a, b in zip(leaves, tleaves):
        np.testing.assert_allclose(arr(a.grad), arr(b.grad), rtol=1e-10)
    # a leaf that requires grad refuses, as in torch
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        getattr(leaves[0], name)(*leaves[1:])


SHAPES = [
    ("squeeze_", (2, 1, 3, 1), ()),
    ("squeeze_", (2, 1, 3, 1), (1,)),
    ("squeeze_", (2, 1, 3, 1), (0,)),
    ("squeeze_", (2, 1, 3, 1), ((1, 3),)),
    ("unsqueeze_", (2, 3), (-1,)),
    ("unsqueeze_", (2, 3), (1,)),
    ("t_", (2, 3), ()),
    ("t_", (3,), ()),
    ("transpose_", (2, 3, 4), (0, 2)),
    ("swapaxes_", (2, 3, 4), (0, -1)),
    ("swapdims_", (2, 3, 4), (1, 0)),
]


@pytest.mark.parametrize("name,shape,args", SHAPES)
def test_shape_changes_in_place(name, shape, args):
    data = rng.normal(size=shape)
    t, tt = Tensor(data.copy()), torch.tensor(data.copy())
    v0 = t._version
    assert getattr(t, name)(*args) is t
    getattr(tt, name)(*args)
    assert t.shape == tuple(tt.shape)
    np.testing.assert_array_equal(arr(t), arr(tt))
    assert t._version == v0 + 1
    # on a non-leaf of a graph it is recorded: gradients as torch's
    x, tx = Tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    w = rng.normal(size=tt.shape)
    for lib, leaf in ((autobp, x), (torch, tx)):
        y = leaf * 2.0
        getattr(y, name)(*args)
        assert tuple(y.shape) == tuple(tt.shape)
        (y * lib.tensor(w)).sum().backward()
    np.testing.assert_allclose(arr(x.grad), arr(tx.grad), rtol=1e-12)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        getattr(x, name)(*args)
    with autobp.no_grad():  # allowed there, as in torch
        getattr(Tensor(data, requires_grad=True), name)(*args)


def test_shape_change_shares_memory_and_t_refuses_3d():
    t = Tensor(np.arange(6.0).reshape(2, 3))
    t.t_()
    t._data[0, 1] = 100.0
    tt = torch.arange(6.0).reshape(2, 3)
    d = tt.view(6)
    tt.t_()
    tt[0, 1] = 100.0
    np.testing.assert_array_equal(arr(t), arr(tt))
    assert arr(d)[3] == 100.0
    with pytest.raises(RuntimeError, match=r"t_\(\) expects a tensor with <= 2 dimensions, but self is 3D"):
        Tensor(np.ones((2, 3, 4))).t_()
    with pytest.raises(IndexError, match="Dimension out of range"):
        Tensor(np.ones((2, 3))).unsqueeze_(3)


@pytest.mark.parametrize("new", [(3, 2), (6,), (2, 2), (8,), (0,)])
def test_resize(new):
    t, tt = Tensor(np.arange(6.0).reshape(2, 3)), torch.arange(6.0).reshape(2, 3)
    assert t.resize_(*new) is t
    tt.resize_(*new)
    assert t.shape == tuple(tt.shape)
    k = min(6, int(np.prod(new)))  # torch leaves the new elements uninitialised
    np.testing.assert_array_equal(arr(t).reshape(-1)[:k], arr(tt).reshape(-1)[:k])
    assert Tensor(np.ones(6)).resize_as_(Tensor(np.ones((3, 2)))).shape == (3, 2)
    leaf = Tensor(np.ones(3), requires_grad=True)
    for t in (leaf, leaf * 2):
        with pytest.raises(RuntimeError, match="cannot resize variables that require grad"):
            t.resize_(3)
    with pytest.raises(RuntimeError, match="cannot resize variables that require grad"):
        torch.ones(3, requires_grad=True).resize_(3)


def test_random_fills_are_reproducible_and_in_range():
    n = 4000
    autobp.manual_seed(0)
    a = Tensor(np.empty(n)).exponential_(2.0)
    autobp.manual_seed(0)
    b = Tensor(np.empty(n)).exponential_(2.0)
    np.testing.assert_array_equal(arr(a), arr(b))
    assert abs(arr(a).mean() - 0.5) < 0.05  # mean 1/lambda
    g = Tensor(np.empty(n)).geometric_(0.25)
    assert arr(g).min() >= 1 and abs(arr(g).mean() - 4.0) < 0.4
    ln = Tensor(np.empty(n, dtype=np.float32)).log_normal_(0.0, 0.5)
    assert ln.dtype == np.float32 and arr(ln).min() > 0
    assert abs(np.median(np.log(arr(ln)))) < 0.05
    c = Tensor(np.empty(n)).cauchy_(1.0, 2.0)
    assert abs(np.median(arr(c)) - 1.0) < 0.3
    be = Tensor(np.empty((2, 3))).bernoulli_(Tensor([0.0, 1.0, 1.0]))
    np.testing.assert_array_equal(arr(be), [[0, 1, 1], [0, 1, 1]])
    assert set(np.unique(arr(Tensor(np.empty(100, dtype=np.int64)).bernoulli_(0.5)))) <= {0, 1}


@pytest.mark.parametrize(
    "dtype,tdtype",
    [(np.float64, torch.float64), (np.float32, torch.float32), (np.int64, torch.int64),
     (np.int32, torch.int32), (np.int8, torch.int8), (np.uint8, torch.uint8), (np.bool_, torch.bool)],
)  # fmt: skip
def test_random_default_ranges_follow_torch(dtype, tdtype):
    t = Tensor(np.empty(3000, dtype=dtype)).random_()
    assert t.dtype == dtype
    hi = {torch.float64: 2**53, torch.float32: 2**24, torch.bool: 2}.get(tdtype)
    hi = hi or torch.iinfo(tdtype).max + 1
    v = arr(t).astype(np.float64)
    assert v.min() >= 0 and v.max() < hi and v.max() >= hi / 2  # the whole range is used
    r = arr(Tensor(np.empty(500)).random_(3, 10))
    assert r.min() == 3 and r.max() == 9 and np.all(r == np.round(r))
    assert arr(Tensor(np.empty(500)).random_(4)).max() == 3


def test_random_fill_refusals_match_torch():
    leaf = Tensor(np.ones(3), requires_grad=True)
    for name, args in [("bernoulli_", (0.5,)), ("cauchy_", ()), ("exponential_", ()), ("geometric_", (0.5,)),
                       ("log_normal_", ()), ("random_", ())]:  # fmt: skip
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            getattr(leaf, name)(*args)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            getattr(torch.ones(3, requires_grad=True), name)(*args)
    bad = [
        ("bernoulli_", (1.5,), "bernoulli_ expects p to be in"),
        ("exponential_", (0.0,), "exponential_ expects lambda > 0.0"),
        ("geometric_", (1.0,), r"geometric_ expects p to be in \(0, 1\)"),
        ("cauchy_", (0.0, -1.0), "cauchy_ expects sigma > 0.0"),
        ("log_normal_", (0.0, 0.0), "log_normal_ expects std > 0.0"),
        ("random_", (5, 2), "random_ expects 'from' to be less than 'to'"),
    ]
    for name, args, msg in bad:
        with pytest.raises(RuntimeError, match=msg):
            getattr(torch.empty(3), name)(*args)
        with pytest.raises(RuntimeError, match=msg):
            getattr(Tensor(np.empty(3)), name)(*args)
    with pytest.raises(RuntimeError, match="continuous probability distribution"):
        Tensor(np.empty(3, dtype=np.int64)).exponential_()
    # a non-leaf: the write is recorded, no gradient flows through the random values (as torch)
    x, tx = Tensor(np.ones(3), requires_grad=True), torch.ones(3, dtype=torch.float64, requires_grad=True)
    for leaf in (x, tx):
        y = leaf * 2.0
        y.uniform_()
        (y + leaf).sum().backward()
    np.testing.assert_array_equal(arr(x.grad), arr(tx.grad))


def test_bernoulli_and_multinomial_methods():
    p = Tensor([0.0, 1.0, 1.0, 0.0], requires_grad=True)
    out = p.bernoulli()
    np.testing.assert_array_equal(arr(out), [0, 1, 1, 0])
    assert out.dtype == np.float64 and not out.requires_grad
    half = Tensor(np.zeros(2000, dtype=np.float32)).bernoulli(0.25)
    assert half.dtype == np.float32 and abs(arr(half).mean() - 0.25) < 0.04
    autobp.manual_seed(1)
    m = Tensor([0.0, 3.0, 1.0]).multinomial(2)
    assert m.dtype == np.int64 and m.shape == (2,) and set(arr(m).tolist()) == {1, 2}
    with pytest.raises(ValueError, match="num_samples must be positive"):
        Tensor([0.0, 1.0]).multinomial(0)


def test_a_shape_change_of_a_graph_view_is_refused_clearly():
    x = Tensor(np.ones((2, 1, 3)), requires_grad=True)
    y = x * 2.0
    view = y[0]  # a view of y on the graph, alive
    with pytest.raises(RuntimeError, match=r"squeeze_: .*shares memory .* use squeeze\(\)"):
        y.squeeze_()
    assert view.shape == (1, 3)
    with pytest.raises(RuntimeError, match=r"unsqueeze_: .*shares memory"):
        (x * 2.0)[0].unsqueeze_(0)
    y2 = x * 2.0  # nothing views it: recorded
    assert y2.squeeze_().shape == (2, 3) and y2.grad_fn is not None
