"""The methods of autobp/pytorch_methods_more.py against torch: values, dtypes, in-place aliasing and
versions, gradients where differentiable, and the refusals."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch")
rng = np.random.default_rng(5)


def arr(v):
    if isinstance(v, torch.Tensor):
        return v.detach().resolve_conj().numpy()
    return np.asarray(v._data if isinstance(v, Tensor) else v)


def same(a, b, rtol=1e-12):
    """Equal values and dtype (torch's dtype name against numpy's)."""
    a, b = arr(a), arr(b)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-14)


def pair(data, **kw):
    return Tensor(np.array(data), **kw), torch.tensor(np.array(data), **kw)


X = [0.5, -2.0, 3.0, 0.0]
M = [[4.0, 1.0, 0.5], [1.0, 3.0, -0.2], [0.5, -0.2, 2.0]]


@pytest.mark.parametrize(
    "name,data,args",
    [
        ("bincount", [0, 2, 2, 5], ()),
        ("bincount", [0, 2, 2, 5], ((), {"minlength": 8})),
        ("bincount", [0, 2, 2, 5], (([0.5, 1.0, 1.0, 2.0],), {})),
        ("bincount", [0, 2, 2, 5], (([1, 2, 3, 4],), {})),
        ("diagflat", [1.0, 2.0], ((1,), {})),
        ("diagflat", [[1.0, 2.0], [3.0, 4.0]], ()),
        ("frexp", X, ()),
        ("gcd", [12, 18, -4], (([8, 27, 6],), {})),
        ("lcm", [4, 6, 0], (([6, 4, 3],), {})),
        ("ldexp", X, (([1, 2, 3, 4],), {})),
        ("ldexp", X, (([1.5],), {})),
        ("heaviside", X, (([0.5],), {})),
        ("histc", X, ((4,), {})),
        ("histc", X, ((4, -1, 1), {})),
        ("i0", [0.0, 1.0, -2.5], ()),
        ("inverse", M, ()),
        ("isreal", [1 + 0j, 1 + 1j], ()),
        ("cholesky_inverse", [[2.0, 0.0], [1.0, 1.5]], ()),
        ("cholesky_solve", [[1.0], [2.0]], (([[2.0, 0.0], [1.0, 1.0]],), {})),
        ("positive", X, ()),
        ("adjoint", [[1 + 1j, 2.0], [3.0, 4 - 2j]], ()),
        ("nonzero_static", [[0, 1], [1, 1]], ((), {"size": 5})),
        ("nonzero_static", [[0, 1], [1, 1]], ((), {"size": 1, "fill_value": 7})),
        ("narrow_copy", [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], ((1, 1, 2), {})),
    ],
)
def test_method_forms_match_torch(name, data, args):
    pos, kw = args if args else ((), {})
    a, t = pair(data)
    mine = getattr(a, name)(*[Tensor(np.array(p)) if isinstance(p, list) else p for p in pos], **kw)
    theirs = getattr(t, name)(*[torch.tensor(np.array(p)) if isinstance(p, list) else p for p in pos], **kw)
    if isinstance(theirs, tuple):
        for u, v in zip(mine, theirs):
            same(u, v)
    else:
        same(mine, theirs)


def test_histogram_returns_hist_and_edges_as_torch():
    a, t = pair(X)
    for args, kw in [((3,), {}), (([-2.0, 0.0, 3.0],), {}), ((3,), {"range": (0.0, 1.0), "density": True}),
                     ((3,), {"weight": [1.0, 2.0, 3.0, 4.0]})]:  # fmt: skip
        conv = lambda v, T: T(np.array(v)) if isinstance(v, list) else v  # noqa: E731
        mine = a.histogram(*[conv(v, Tensor) for v in args], **{k: conv(v, Tensor) for k, v in kw.items()})
        theirs = t.histogram(
            *[conv(v, torch.tensor) for v in args], **{k: conv(v, torch.tensor) for k, v in kw.items()}
        )
        same(mine.hist, theirs.hist)
        same(mine.bin_edges, theirs.bin_edges)
    f32 = Tensor(np.array(X, dtype=np.float32)).histogram(3)
    assert f32.hist.dtype == np.float32 and f32.bin_edges.dtype == np.float32
    with pytest.raises(TypeError, match="floating point"):
        Tensor(np.array([1, 2])).histogram(3)


def test_lu_and_lu_solve_as_torch():
    A = rng.normal(size=(2, 3, 3))
    B = rng.normal(size=(2, 3, 2))
    LU, piv = Tensor(A).lu()
    with pytest.warns(UserWarning):
        tLU, tpiv = torch.tensor(A).lu()
    same(LU, tLU)
    same(piv, tpiv)
    assert len(Tensor(A).lu(get_infos=True)) == 3
    b, tb = Tensor(B, requires_grad=True), torch.tensor(B, requires_grad=True)
    a, ta = Tensor(A, requires_grad=True), torch.tensor(A, requires_grad=True)
    x = b.lu_solve(*a.lu())
    with pytest.warns(UserWarning):
        tx = tb.lu_solve(*ta.lu())
    same(x, tx, rtol=1e-10)
    (x * x).sum().backward()
    (tx * tx).sum().backward()
    np.testing.assert_allclose(b.grad, arr(tb.grad), rtol=1e-9)
    np.testing.assert_allclose(a.grad, arr(ta.grad), rtol=1e-9)


@pytest.mark.parametrize(
    "name,data,other",
    [("inverse", M, None), ("cholesky_solve", [[1.0, 0.5], [2.0, -1.0]], [[2.0, 0.0], [1.0, 1.5]]),
     ("cholesky_inverse", [[2.0, 0.0], [1.0, 1.5]], None), ("ldexp", X, [1.5, -0.5, 2.0, 0.25]),
     ("diagflat", [1.0, -2.0], None), ("adjoint", M, None), ("narrow_copy", M, None)],
)  # fmt: skip
def test_gradients_match_torch(name, data, other):
    args = {"narrow_copy": (1, 1, 2)}.get(name, ())
    mine, theirs = [], []
    for T, out in ((Tensor, mine), (torch.tensor, theirs)):
        x = T(np.array(data), requires_grad=True)
        o = None if other is None else T(np.array(other), requires_grad=True)
        y = getattr(x, name)(*((o,) if o is not None else args))
        (y * y).sum().backward()
        out += [x.grad] + ([] if o is None else [o.grad])
    for u, v in zip(mine, theirs):
        if name.startswith("cholesky") and u is mine[-1]:  # the factor: only its lower triangle is read
            u, v = np.tril(arr(u)), np.tril(arr(v))  # (torch's gradient has the upper part too)
        np.testing.assert_allclose(arr(u), arr(v), rtol=1e-10)


def test_ldexp_of_integers_is_float64():
    out = Tensor(np.array([1, 2])).ldexp(Tensor(np.array([1, 2])))
    assert out.dtype == np.float64  # torch: its default float32; autobp's default float is float64
    np.testing.assert_array_equal(arr(out), arr(torch.tensor([1, 2]).ldexp(torch.tensor([1, 2]))))


@pytest.mark.parametrize(
    "name,data,args",
    [("gcd_", [12, 18], ([8, 27],)), ("lcm_", [4, 6], ([6, 4],)), ("ldexp_", X, ([1, 2, 3, 4],)),
     ("heaviside_", X, ([0.5],)), ("i0_", [0.0, 1.0], ()), ("conj_physical_", [1 + 2j, 3.0], ()),
     ("conj_physical_", X, ())],
)  # fmt: skip
def test_in_place_forms_write_into_the_same_object(name, data, args):
    a, t = pair(data)
    v0 = a._version
    assert getattr(a, name)(*[Tensor(np.array(p)) for p in args]) is a
    getattr(t, name)(*[torch.tensor(np.array(p)) for p in args])
    same(a, t)
    assert a._version == v0 + 1
    if a.dtype.kind == "f":
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            getattr(Tensor(np.array(data), requires_grad=True), name)(*[Tensor(np.array(p)) for p in args])


def test_put_():
    a, t = Tensor(np.zeros((2, 3))), torch.zeros(2, 3, dtype=torch.float64)
    idx, src = [0, 5, -1], [1.0, 2.0, 3.0]
    assert a.put_(Tensor(np.array(idx)), Tensor(np.array(src))) is a
    t.put_(torch.tensor(idx), torch.tensor(src, dtype=torch.float64))
    same(a, t)
    a.put_(Tensor(np.array([0, 0])), Tensor(np.array([1.0, 2.0])), accumulate=True)
    t.put_(torch.tensor([0, 0]), torch.tensor([1.0, 2.0], dtype=torch.float64), accumulate=True)
    same(a, t)
    with pytest.raises(IndexError, match="out of range: tried to access index 7 on a tensor of 6 elements"):
        a.put_(Tensor(np.array([0, 7])), Tensor(np.array([1.0, 2.0])))
    with pytest.raises(IndexError, match="Expected source and index to have the same number of elements"):
        a.put_(Tensor(np.array([0, 1])), Tensor(np.array([1.0, 2.0, 3.0])))
    # gradients: the written positions get the source's, the rest the input's (as torch)
    g = []
    for T in (Tensor, torch.tensor):
        x, s = T(np.ones((2, 3)), requires_grad=True), T(np.array([2.0, 3.0]), requires_grad=True)
        y = x * 1.0
        y.put_(T(np.array([1, 4])), s, accumulate=True)
        (y * y).sum().backward()
        g += [arr(x.grad), arr(s.grad)]
    np.testing.assert_allclose(g[0], g[2])
    np.testing.assert_allclose(g[1], g[3])


def test_fill_diagonal_():
    for shape, kw in [((5, 3), {"wrap": True}), ((5, 3), {}), ((3, 5), {}), ((3, 3, 3), {})]:
        a, t = Tensor(np.zeros(shape)), torch.zeros(shape, dtype=torch.float64)
        assert a.fill_diagonal_(2.0, **kw) is a
        t.fill_diagonal_(2.0, **kw)
        same(a, t)
    with pytest.raises(RuntimeError, match="all dimensions of input must be of equal length"):
        Tensor(np.zeros((3, 2, 3))).fill_diagonal_(1.0)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        Tensor(np.zeros((3, 3)), requires_grad=True).fill_diagonal_(1.0)


def test_apply_map_map2():
    for T in (Tensor, torch.tensor):
        a = T(np.array([1.0, 2.0, 3.0]))
        assert a.apply_(lambda v: v * 2) is a
        a.map_(T(np.array([1.0, 1.0, 1.0])), lambda p, q: p - q)
        a.map2_(T(np.array([1.0])), T(np.array([2.0, 2.0, 2.0])), lambda p, q, r: p + q * r)
        np.testing.assert_array_equal(arr(a), [3.0, 5.0, 7.0])
    a, t = pair([1, 2, 3])
    same(a.apply_(lambda v: v / 2), t.apply_(lambda v: v / 2))  # written back in the tensor's dtype
    for T in (Tensor, torch.tensor):
        leaf = T(np.ones(3), requires_grad=True)
        with pytest.raises(RuntimeError, match=r"Can't call apply_\(\) on Variable that requires grad"):
            leaf.apply_(lambda v: v)
        with pytest.raises(RuntimeError, match=r"Can't call map_\(\) on Variable that requires grad"):
            leaf.map_(T(np.ones(3)), lambda p, q: p)


def test_unsafe_split_and_chunk_have_torch_meaning():
    a, t = pair(np.arange(7))
    for name, args in [("unsafe_split", (3,)), ("unsafe_chunk", (3,)), ("unsafe_split_with_sizes", ([2, 5],)),
                       ("unsafe_chunk", (4,))]:  # fmt: skip
        mine, theirs = getattr(a, name)(*args), getattr(t, name)(*args)
        assert isinstance(mine, tuple) and len(mine) == len(theirs)
        for u, v in zip(mine, theirs):
            same(u, v)
    with pytest.raises(ValueError, match="add up to 6"):
        a.unsafe_split_with_sizes([2, 4])
    with pytest.raises(TypeError, match="must be int, not list"):
        a.unsafe_split([3, 4])
    with pytest.raises(TypeError, match="must be int, not list"):
        t.unsafe_split([3, 4])


def test_memory_queries():
    a, t = pair(np.arange(6.0))
    for view in [lambda x: x[2:], lambda x: x.reshape(2, 3)[1], lambda x: x.reshape(2, 3).T[1], lambda x: x]:
        assert view(a).storage_offset() == view(t).storage_offset()
    assert a.is_set_to(a) and not a.is_set_to(a.reshape(2, 3)) and not a.is_set_to(Tensor(np.arange(6.0)))
    assert t.is_set_to(t) and not t.is_set_to(t.view(2, 3))
    b, tb = pair(np.ones((2, 3, 4)))
    assert b.dim_order() == tb.dim_order() == (0, 1, 2)
    assert b.permute(2, 0, 1).dim_order() == tb.permute(2, 0, 1).dim_order() == (1, 2, 0)
    assert a.output_nr == t.output_nr == 0
    assert a.layout == "strided" and str(t.layout) == "torch.strided"
    assert a.is_shared() is t.is_shared() is False and a.is_pinned() is t.is_pinned() is False
    assert a.share_memory_() is a and a.pin_memory() is a
    with pytest.raises(TypeError, match="no bfloat16 dtype"):
        a.bfloat16()
    with pytest.raises(TypeError, match="no complex32 dtype"):
        a.chalf()
    with pytest.raises(RuntimeError, match="only supported on matrices"):
        a.adjoint()
    with pytest.raises(RuntimeError, match="only supported on matrices"):
        t.adjoint()


def test_existing_numpy_meanings_are_kept():
    a = Tensor(np.arange(6.0))
    assert a.put(np.array([0]), np.array([9.0])) is None  # numpy's put
    assert len(a.split(3)) == 3  # numpy's split: 3 sections
    assert autobp.Tensor.max is not None


@pytest.mark.parametrize(
    ("size", "stride"), [((2, 3), (3, 1)), ((2, 3), (1, 2)), ((0, 3), (3, 1)), ((4,), (2,)), ((), ())]
)
def test_new_empty_strided_has_torchs_shape_strides_and_dtype(size, stride):
    torch = pytest.importorskip("torch")
    ours = autobp.zeros(2, dtype=np.float32).new_empty_strided(size, stride)
    theirs = torch.zeros(2).new_empty_strided(size, stride)
    assert ours.shape == tuple(theirs.shape) and ours.stride() == theirs.stride() and ours.dtype == np.float32
    leaf = autobp.zeros(1).new_empty_strided(size, stride, dtype=np.float64, requires_grad=True)
    assert leaf.requires_grad and leaf.dtype == np.float64 and leaf.is_leaf
    with pytest.raises(ValueError, match="new_empty_strided"):
        autobp.zeros(1).new_empty_strided((2, 3), (1,))
