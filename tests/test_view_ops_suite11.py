"""Views found wanting by PyTorch's test_view_ops.py (held out), checked against torch: as_strided is a
view of its input's memory (storage offsets included), as_strided_ re-views in place, ..."""

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def _pair(shape, seed=0):
    a = np.random.default_rng(seed).standard_normal(shape)
    return autobp.tensor(a), torch.tensor(a)


def test_as_strided_writes_through_both_ways():
    for lib in (autobp, torch):
        t = lib.ones(5, 5, dtype=lib.float64)
        v = lib.as_strided(t, (25,), (1,))
        assert v._is_view() and v._base is t
        assert v.untyped_storage().data_ptr() == t.untyped_storage().data_ptr()
        v[6] = 0
        assert float(t[1, 1]) == 0.0
        t[2, 2] = 7
        assert float(v[12]) == 7.0


@pytest.mark.parametrize(
    "shape, index, size, stride, offset",
    [
        ((6, 2), (slice(3, None),), (3, 2), (2, 1), 0),  # reads memory before the input's first element
        ((6, 2), (slice(3, None),), (3, 2), (2, 1), None),  # default: the input's own storage offset
        ((4, 5), (slice(None), slice(1, 4)), (2, 3), (5, 1), 7),
        ((3, 4), (), (4, 3), (1, 4), None),  # a transpose
        ((12,), (), (3, 3), (2, 1), 1),  # overlapping windows
    ],
)
def test_as_strided_values_are_the_storage_positions_of_torch(shape, index, size, stride, offset):
    a, t = _pair(shape)
    got = a[index].as_strided(size, stride, offset)
    want = t[index].as_strided(size, stride, offset)
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    assert got.storage_offset() == want.storage_offset()


def test_as_strided_out_of_bounds_is_refused_as_torch():
    a, t = _pair((3, 4))
    with pytest.raises(RuntimeError, match="out of bounds"):
        t.as_strided((3, 3), (4, 2))
    with pytest.raises(RuntimeError, match="out of bounds"):
        a.as_strided((3, 3), (4, 2))


@pytest.mark.parametrize(
    "n, prepro, size, stride, offset",
    [
        (25, lambda lib, x: x.view(5, 5), (3, 3), (6, 2), 2),
        (12, None, (1, 2, 1, 5), (0, 5, 100, 1), 2),
        (5, None, (3, 3, 3), (0, 1, 0), 2),
        (5, lambda lib, x: x.expand(5, 5), (5, 5), (0, 1), 0),
        (35, None, (6, 6), (5, 1), 2),
        (6, lambda lib, x: x.view(2, 3).expand(10, 2, 3), (2, 3), (3, 1), 0),
    ],
)
def test_as_strided_gradient_matches_torch(n, prepro, size, stride, offset):
    rng = np.random.default_rng(1)
    x0, w0 = rng.standard_normal(n), rng.standard_normal(size)

    def run(lib):
        x = lib.tensor(x0, requires_grad=True)
        y = prepro(lib, x) if prepro else x
        (y.as_strided(size, stride, offset) * lib.tensor(w0)).sum().backward()
        return np.asarray(x.grad)

    np.testing.assert_allclose(run(autobp), run(torch), rtol=1e-12, atol=1e-12)

    def closure(x):
        return (prepro(autobp, x) if prepro else x).as_strided(size, stride, offset)

    x = autobp.tensor(x0, requires_grad=True)
    assert autobp.gradcheck(closure, (x,))
    assert autobp.gradgradcheck(closure, (x,))


def test_as_strided_inplace_reviews_the_tensor():
    for lib in (autobp, torch):
        t = lib.ones(5, 5)
        v = t.view_as(t)
        assert v.as_strided_((25,), (1,)) is v
        assert v.shape == (25,) and v._base is t
        v[6] = 0
        assert float(t[1, 1]) == 0.0


def test_storage_offset_and_storage_of_a_window_view():
    a, t = _pair((10,))
    got, want = a.unfold(0, 3, 2)[2], t.unfold(0, 3, 2)[2]
    assert got.storage_offset() == want.storage_offset() == 4
    assert got.storage().data_ptr() == a.storage().data_ptr()


def test_ravel_of_a_strided_tensor_is_a_contiguous_copy():
    for lib in (autobp, torch):
        x = lib.ones(10)[::2]
        r = x.ravel()
        assert r.is_contiguous() and r._base is not x
        y = lib.ones(3, 4)
        assert y.ravel()._base is y  # contiguous: a view
        r = y.T.ravel()
        assert r.is_contiguous()
        r[0] = 5
        assert float(y[0, 0]) == 1.0
    a, t = _pair((3, 4))
    np.testing.assert_array_equal(a.T.ravel().numpy(), t.T.ravel().numpy())


@pytest.mark.parametrize("op, shape", [("H", (2,)), ("H", (2, 3, 4)), ("mT", (2,)), ("mH", (2,))])
def test_matrix_transposes_refuse_as_torch(op, shape):
    with pytest.raises(RuntimeError, match="only supported on matrices"):
        getattr(torch.ones(shape), op)
    with pytest.raises(RuntimeError, match="only supported on matrices"):
        getattr(autobp.ones(shape), op)


def test_narrow_start_as_a_tensor():
    for lib in (autobp, torch):
        x = lib.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
        assert x.narrow(0, lib.tensor(1), 1).tolist() == [[3, 4, 5]]
        for bad in (lib.tensor(0.0), lib.tensor([0]), lib.tensor([0, 1])):
            with pytest.raises(RuntimeError, match="0-dim integral Tensor"):
                x.narrow(0, bad, 1)
        with pytest.raises(TypeError):
            x.narrow(0, 1.0, 1)


@pytest.mark.parametrize(
    "args, kind, words",
    [
        (((1, 1, -12),), ValueError, "broadcast a dimension with negative length"),
        ((-1, 1), ValueError, "broadcast a dimension with negative length"),
        ((3, 5), RuntimeError, r"dimension of length 5 at -1! Mismatching argument at index 1 had \(5,\)"),
        (
            ((2, 1), (3, 4, 5)),
            RuntimeError,
            r"length 4 at -2! Mismatching argument at index 1 had \(3, 4, 5\)",
        ),
        ((1.1,), RuntimeError, "Input shapes should be of type ints"),
    ],
)
def test_broadcast_shapes_refuses_as_torch(args, kind, words):
    with pytest.raises(kind, match=words):
        torch.broadcast_shapes(*args)
    with pytest.raises(kind, match=words):
        autobp.broadcast_shapes(*args)


def test_broadcast_shapes_values_match_torch():
    for args in [((2, 1), (3,)), (1, (5,)), (3, (1,)), ((4, 1, 1), (4, 3, 2)), ()]:
        assert tuple(autobp.broadcast_shapes(*args)) == tuple(torch.broadcast_shapes(*args))


@pytest.mark.parametrize(
    "shape, arg, dim, kind, words",
    [
        ((), 10, 0, RuntimeError, "expected at least a 1-dimensional tensor"),
        ((10,), 0, 0, RuntimeError, "number of sections must be larger than 0, got 0"),
        ((10,), -1, 0, RuntimeError, "number of sections must be larger than 0, got -1"),
        ((10,), 10, 1, IndexError, "Dimension out of range"),
    ],
)
def test_tensor_split_refuses_as_torch(shape, arg, dim, kind, words):
    for lib in (torch, autobp):
        for a in (arg, lib.tensor(arg)):
            with pytest.raises(kind, match=words):
                lib.tensor_split(lib.zeros(shape), a, dim)
    with pytest.raises((IndexError, ValueError)):  # numpy's kinds kept
        autobp.array_split(autobp.zeros(shape), arg, dim)


def test_tensor_split_refuses_a_float_or_2d_tensor_argument():
    for lib in (torch, autobp):
        with pytest.raises(RuntimeError, match="tensor_split expected tensor_indices_or_sections"):
            lib.tensor_split(lib.zeros(10), lib.tensor(1.1), 0)
        with pytest.raises(RuntimeError, match="zero-dimensional or one-dimensional tensor"):
            lib.tensor_split(lib.zeros(10), lib.tensor(((1,),)), 0)


def test_resize_overflow_is_refused_as_torch():
    for lib in (torch, autobp):
        x = lib.empty((), dtype=lib.float64)
        with pytest.raises(RuntimeError, match="Storage size calculation overflowed"):
            x.resize_([2, 4, 2**29, 2**29])


@pytest.mark.parametrize(
    "shape, fmt", [((10, 3, 4, 4), "channels_last"), ((3, 2, 3, 4, 4), "channels_last_3d")]
)
def test_resize_with_a_memory_format_lays_out_as_torch(shape, fmt):
    for lib in (torch, autobp):
        f = getattr(lib, fmt)
        flat = lib.randn(int(np.prod(shape)))
        flat.resize_(shape, memory_format=f)
        assert flat.is_contiguous(memory_format=f)
        strides = tuple(flat.stride())
        xc = lib.randn(shape).contiguous(memory_format=f)
        flat = lib.randn(xc.numel())
        flat.resize_as_(xc, memory_format=lib.preserve_format)
        assert flat.is_contiguous(memory_format=f) and tuple(flat.stride()) == strides
    t = torch.empty(shape)
    t.resize_(shape, memory_format=getattr(torch, fmt))
    assert tuple(t.stride()) == strides  # the same strides as torch's


def test_set_to_a_storage():
    for lib in (torch, autobp):
        x = lib.randn(1, 16, 5, 5)
        stride = list(x.stride())
        stride[0] = 20
        x.set_(x.storage(), 0, x.size(), stride)  # a size-1 dim's stride does not matter
        assert x.is_contiguous()
        y = lib.arange(10.0)
        z = lib.empty(0)
        z.set_(y.storage(), 2, (2, 3), (3, 1))
        assert z.tolist() == [[2.0, 3.0, 4.0], [5.0, 6.0, 7.0]]
        y[2] = 100.0
        assert float(z[0, 0]) == 100.0


def test_gradcheck_check_forward_ad_on_views_as_torch():
    rng = np.random.default_rng(3)
    cases = [
        (lambda x: x.unbind(), (3, 4, 5)),
        (lambda x: x.as_strided((3, 3), (2, 1), 1), (12,)),
        (lambda x: x.view(3, 4).T.unfold(0, 2, 1), (12,)),
    ]
    for fn, shape in cases:
        a = rng.standard_normal(shape)
        assert torch.autograd.gradcheck(fn, (torch.tensor(a, requires_grad=True),), check_forward_ad=True)
        assert autobp.gradcheck(fn, (autobp.tensor(a, requires_grad=True),), check_forward_ad=True)


def test_gradcheck_check_forward_ad_can_fail():
    class Double(autobp.Function):  # a backward that is right but not itself differentiable
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return autobp.Tensor(np.asarray(g.data) * 2)

    x = autobp.randn(3, requires_grad=True)
    assert autobp.gradcheck(Double.apply, (x,))
    with pytest.raises(RuntimeError, match="not on the graph"):
        autobp.gradcheck(Double.apply, (x,), check_forward_ad=True)


def test_transpose_takes_torchs_dim_keywords():
    a, t = _pair((2, 3, 4, 5))
    for d0, d1 in [(0, 1), (-1, 0), (2, -3), (1, 1)]:
        got = autobp.transpose(a, dim0=d0, dim1=d1)
        want = torch.transpose(t, dim0=d0, dim1=d1)
        np.testing.assert_array_equal(got.numpy(), want.numpy())
        assert got._base is a
    assert autobp.transpose(a, (1, 0, 2, 3)).shape == (3, 2, 4, 5)  # numpy's positional axes stay
    with pytest.raises(TypeError):
        autobp.transpose(a, dim0=1)


def test_flatten_of_one_dim_is_the_tensor_itself():
    for lib in (torch, autobp):
        t = lib.ones(2, 2, requires_grad=True)
        assert t.flatten(1, 1) is t and t.flatten(-1, 1) is t
        s = lib.ones(3)
        assert s.flatten() is s
        z = lib.tensor(1.0)
        assert z.flatten().shape == (1,) and z.flatten()._base is z


@pytest.mark.parametrize("grad", [False, True])
def test_as_strided_view_sees_a_recorded_write_into_its_base(grad):
    def run(lib):
        x = lib.tensor(np.arange(6.0), requires_grad=grad)
        y = x * 1 if grad else x
        v = y.as_strided((2, 2), (2, 1), 1)
        w = lib.tensor(np.linspace(1, 2, 6), requires_grad=True)
        y.mul_(w)  # recorded: w requires grad
        values = v.detach().numpy().copy()
        (v * lib.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
        return values, np.asarray(w.grad), (np.asarray(x.grad) if grad else None)

    got, want = run(autobp), run(torch)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12)  # the view's values after the write
    np.testing.assert_allclose(got[1], want[1], rtol=1e-12)  # the gradient through the view
    if grad:
        np.testing.assert_allclose(got[2], want[2], rtol=1e-12)


def test_as_strided_outside_the_input_still_shares_memory():
    for lib in (torch, autobp):
        x = lib.arange(4.0)
        v = x[2:].as_strided((2,), (1,), 0)  # only elements before x[2:]
        assert v.tolist() == [0.0, 1.0] and v._base is x
        v[0] = 5.0
        assert x.tolist() == [5.0, 1.0, 2.0, 3.0]


def test_unfold_view_follows_a_recorded_write_into_its_base():
    def run(lib):
        x = lib.zeros(6, dtype=lib.float64)
        v = x.unfold(0, 3, 1)
        w = lib.tensor(np.linspace(1, 2, 6), requires_grad=True)
        x.add_(w)  # recorded: w requires grad
        (v * lib.tensor(np.arange(12.0).reshape(4, 3))).sum().backward()
        return v.detach().numpy().copy(), np.asarray(w.grad)

    got, want = run(autobp), run(torch)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-12)


def test_view_as_complex_follows_a_recorded_write_and_has_torchs_gradient():
    def run(lib):
        x = lib.zeros(4, dtype=lib.float64)
        v = lib.view_as_complex(x.view(2, 2))
        w = lib.tensor([1.0, 2.0, 3.0, 4.0], dtype=lib.float64, requires_grad=True)
        x.add_(w)  # recorded: w requires grad
        (v * lib.tensor([1 + 2j, 3 - 1j])).abs().sum().backward()
        return v.detach().numpy().copy(), np.asarray(w.grad)

    got, want = run(autobp), run(torch)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-12)
    x = autobp.tensor(np.random.default_rng(4).standard_normal((3, 2)), requires_grad=True)
    assert autobp.gradcheck(lambda t: autobp.view_as_complex(t) ** 2, (x,))
    assert autobp.gradgradcheck(lambda t: autobp.view_as_complex(t) ** 3, (x,))
