"""Shape/selection fixes found by running PyTorch's test_shape_ops.py / test_sort_and_select.py /
test_indexing.py against autobp (torchops5); torch is the oracle."""

import warnings

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def _np(t):
    return np.asarray(t.detach().numpy())


@pytest.mark.parametrize(
    "make", [lambda m: m.tensor([1, 2, 3])[[]], lambda m: m.empty(10, 0, dtype=m.float64)[[], []]]
)
def test_empty_list_index_selects_nothing(make):
    want = make(torch)
    got = make(autobp)
    assert got.shape == tuple(want.shape)
    assert got.dtype == np.dtype(str(want.dtype).replace("torch.", ""))


def test_empty_float_tensor_index_is_still_refused():
    with pytest.raises(IndexError):
        torch.tensor([1, 2, 3])[torch.tensor([])]
    with pytest.raises(IndexError):
        autobp.tensor([1, 2, 3])[autobp.tensor([])]


@pytest.mark.parametrize("args", [(0, 0, 1), (0, 0, 2), (0, 1, 1)])
def test_unfold_of_0d_gives_one_window(args):
    want = torch.tensor(0.5).unfold(*args)
    got = autobp.tensor(0.5).unfold(*args)
    assert got.shape == tuple(want.shape)
    np.testing.assert_array_equal(_np(got), want.numpy())


def test_unfold_of_0d_gradient():
    x = autobp.tensor(0.5, requires_grad=True)
    (x * 3.0).unfold(0, 1, 1).sum().backward()
    t = torch.tensor(0.5, requires_grad=True)
    (t * 3.0).unfold(0, 1, 1).sum().backward()
    assert float(x.grad) == float(t.grad)


@pytest.mark.parametrize(
    "args, match",
    [
        ((0, -1, 1), "size is -1 but must be >= 0"),
        ((0, 1, -1), "step is -1 but must be > 0"),
        ((0, 8, 1), "maximum size for tensor at dimension 0 is 7 but size is 8"),
    ],
)
def test_unfold_errors_as_torch(args, match):
    with pytest.raises(RuntimeError, match=match):
        torch.arange(1.0, 8).unfold(*args)
    with pytest.raises(RuntimeError, match=match):
        autobp.arange(1.0, 8).unfold(*args)


def test_out_for_clamp_diag_msort_kthvalue():
    x = np.random.RandomState(0).randn(4, 5)
    cases = [
        lambda m, o: m.clamp(m.tensor(x), -0.5, 0.5, out=o),
        lambda m, o: m.clip(m.tensor(x), min=-0.5, out=o),
        lambda m, o: m.diag(m.tensor(x), 1, out=o),
        lambda m, o: m.msort(m.tensor(x), out=o),
    ]
    for f in cases:
        to, ao = torch.empty(0, dtype=torch.float64), autobp.empty(0, dtype=autobp.float64)
        rt, ra = f(torch, to), f(autobp, ao)
        assert ra is ao and rt is to
        np.testing.assert_array_equal(_np(ao), to.numpy())
    tv, ti = torch.empty(0, dtype=torch.float64), torch.empty(0, dtype=torch.long)
    av, ai = autobp.empty(0, dtype=autobp.float64), autobp.empty(0, dtype=autobp.int64)
    torch.kthvalue(torch.tensor(x), 2, 1, out=(tv, ti))
    res = autobp.kthvalue(autobp.tensor(x), 2, 1, out=(av, ai))
    assert res[0] is av and res[1] is ai
    np.testing.assert_array_equal(_np(av), tv.numpy())
    np.testing.assert_array_equal(_np(ai), ti.numpy())


def test_clamp_out_keeps_the_gradient():
    x = np.linspace(-1, 1, 7)
    a = autobp.tensor(x, requires_grad=True)
    o = autobp.zeros(7)
    autobp.clamp(a, -0.5, 0.5, out=o)
    (o * autobp.tensor(np.arange(7.0))).sum().backward()
    t = torch.tensor(x, requires_grad=True)
    (torch.clamp(t, -0.5, 0.5) * torch.arange(7.0, dtype=torch.float64)).sum().backward()
    np.testing.assert_array_equal(a.grad, t.grad.numpy())


def test_nonzero_out():
    v = np.random.RandomState(1).randint(0, 2, (3, 4))
    warnings.simplefilter("ignore")
    want = torch.nonzero(torch.tensor(v), out=torch.empty(0, dtype=torch.long))
    out = autobp.empty(0, dtype=autobp.int64)
    assert autobp.nonzero(autobp.tensor(v), out=out) is out
    np.testing.assert_array_equal(_np(out), want.numpy())
    for lib in (torch, autobp):
        with pytest.raises(RuntimeError, match="scalar type Long"):
            lib.nonzero(lib.tensor(v), out=lib.empty(0))
        with pytest.raises(RuntimeError):
            lib.nonzero(lib.tensor(v), as_tuple=True, out=lib.empty(0, dtype=lib.int64))


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.fliplr(m.ones(3)),
        lambda m: m.flipud(m.tensor(1.0)),
        lambda m: m.ones(2, 2, 2).rot90(1, [1, 1]),
        lambda m: m.ones(2, 2, 2).rot90(1, [0, 1, 2]),
        lambda m: m.ones(2, 2, 2).rot90(1, [0]),
    ],
)
def test_flip_and_rot90_errors_are_runtime_errors(call):
    with pytest.raises(RuntimeError):
        call(torch)
    with pytest.raises(RuntimeError):
        call(autobp)


def test_flip_method_takes_dims_one_by_one():
    x = np.arange(24).reshape(2, 3, 4)
    for dims in [(0,), (0, 1), (2, 0), (0, 1, 2)]:
        np.testing.assert_array_equal(_np(autobp.tensor(x).flip(*dims)), torch.tensor(x).flip(*dims).numpy())
    a = autobp.tensor(x.astype(float), requires_grad=True)
    t = torch.tensor(x.astype(float), requires_grad=True)
    w = np.linspace(0, 1, 24).reshape(2, 3, 4)
    (a.flip(0, 2) * autobp.tensor(w)).sum().backward()
    (t.flip(0, 2) * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(a.grad, t.grad.numpy())
    for lib in (torch, autobp):
        data = lib.ones((2, 2, 2))
        with pytest.raises(RuntimeError):
            data.flip(0, 1, 1)
        with pytest.raises(IndexError):
            data.flip(0, 1, 2, 3)


@pytest.mark.parametrize(
    "args, error, match",
    [
        ((5, 0), IndexError, "Dimension out of range"),
        ((0, 5), IndexError, "Dimension out of range"),
        (((1, 0), (0,)), RuntimeError, "movedim: Invalid source or destination dims:"),
        (((0, 0), (0, 1)), RuntimeError, "movedim: repeated dim in `source`"),
        (((0, 1), (1, 1)), RuntimeError, "movedim: repeated dim in `destination`"),
    ],
)
def test_movedim_errors_as_torch(args, error, match):
    for lib in (torch, autobp):
        x = lib.zeros((2, 3, 4, 5))
        with pytest.raises(error, match=match):
            lib.movedim(x, *args)


@pytest.mark.parametrize(
    "args, error, match",
    [
        ((0.5, (2, 2)), TypeError, "expected 'indices' to be integer"),
        (([1], (1, 2, 2.0)), TypeError, "expected 'shape' sequence to only contain ints"),
        ((0, (2, -3)), ValueError, r"'shape' cannot have negative values, but got \(2, -3\)"),
    ],
)
def test_unravel_index_bad_input_as_torch(args, error, match):
    for lib in (torch, autobp):
        with pytest.raises(error, match=match):
            lib.unravel_index(lib.tensor(args[0]), args[1])


def test_unravel_index_values():
    want = torch.unravel_index(torch.tensor([5, 7, 0]), (3, 4))
    got = autobp.unravel_index(autobp.tensor([5, 7, 0]), (3, 4))
    for g, w in zip(got, want):
        np.testing.assert_array_equal(_np(g), w.numpy())


@pytest.mark.parametrize(
    "shape, dim", [((5, 0, 0), 1), ((5, 0, 5), 2), ((5, 0), 0), ((5, 0), 1), ((0, 3), 0)]
)
@pytest.mark.parametrize("name", ["unique", "unique_consecutive"])
def test_unique_along_dim_of_empty_tensor_as_torch(name, shape, dim):
    def call(lib):
        return getattr(lib, name)(lib.empty(shape), dim=dim, return_inverse=True, return_counts=True)

    try:
        want = [tuple(t.shape) for t in call(torch)]
    except RuntimeError:
        with pytest.raises(RuntimeError, match="unique cannot be applied"):
            call(autobp)
        return
    assert [tuple(t.shape) for t in call(autobp)] == want


def test_unique_axis_keeps_numpy_answer_for_empty_tensor():
    assert (
        autobp.unique(autobp.empty((5, 0, 5)), axis=2).shape == np.unique(np.empty((5, 0, 5)), axis=2).shape
    )
