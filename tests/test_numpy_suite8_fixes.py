"""Fixes found by running numpy 2.4's test_item_selection, test_regression (core, lib, linalg),
test_polynomial, test_half and test_scalarmath against autobp: numpy is the oracle for values and
dtypes, torch and autobp.gradcheck for gradients."""

import warnings

import numpy as np
import pytest

import autobp
from autobp import Tensor

torch = pytest.importorskip("torch")

SCALARS = [np.float16(1.5), np.float32(-2.5), np.float64(0.5), np.int8(-3), np.uint8(7), np.int32(5)]
SCALARS += [np.int64(-4), np.complex64(1 + 1j), np.bool_(True)]
NUMBERS = [2, 2.0, -1, True, 0.5j, 0.0]


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "power", "maximum", "minimum"])
def test_python_number_is_weak_next_to_numpy_scalars_and_arrays(name):
    # was: autobp.multiply(np.float32(1.5), 2) and multiply(float32 array, 2) gave float64 (numpy: float32)
    nf, af = getattr(np, name), getattr(autobp, name)
    checked = 0
    for s in SCALARS + [np.ones(3, np.float32), np.arange(3, dtype=np.int8), np.ones(2, np.float16)]:
        for n in NUMBERS:
            for args in ((s, n), (n, s)):
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    try:
                        expected = nf(*args)
                    except (TypeError, OverflowError, ValueError):
                        continue
                    if name in ("maximum", "minimum") and np.iscomplexobj(expected):
                        continue  # complex numbers have no order in autobp (docs/concepts/names.md)
                    got = af(*args)
                got = got.numpy() if isinstance(got, Tensor) else np.asarray(got)
                assert got.dtype == np.asarray(expected).dtype, (name, args)
                np.testing.assert_allclose(got, expected, rtol=1e-3)
                checked += 1
    assert checked > 60


def test_float_power_of_unsigned_tensor_and_negative_int():
    # was: OverflowError (-1 cast to uint8 first); numpy computes in float64
    for x in (Tensor(np.array(7, np.uint8)), Tensor(np.array([7, 2], np.uint8))):
        got = autobp.float_power(x, -1)
        expected = np.float_power(x.numpy(), -1)
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(got.numpy(), expected)
    assert autobp.float_power(np.uint8(7), -1) == np.float_power(np.uint8(7), -1)


def test_put_putmask_fill_diagonal_with_no_values_write_nothing():
    # was: ValueError "cannot write ... from an empty set of values"; numpy writes nothing
    for dtype in (np.float64, np.int32, np.bool_, np.complex128):
        a, t = np.zeros(6, dtype), Tensor(np.zeros(6, dtype))
        np.put(a, [1, 2, 3], [])
        autobp.put(t, [1, 2, 3], [])
        np.put(a, [100], [])  # numpy does not check the positions then either
        autobp.put(t, [100], [])
        mask = np.array([True, False] * 3)
        np.putmask(a, mask, [])
        autobp.putmask(t, mask, [])
        np.testing.assert_array_equal(t.numpy(), a)
    m, tm = np.ones((3, 3)), Tensor(np.ones((3, 3)))
    np.fill_diagonal(m, [])
    autobp.fill_diagonal(tm, [])
    np.testing.assert_array_equal(tm.numpy(), m)
    with pytest.raises(ValueError):  # numpy's place still refuses
        autobp.place(Tensor(np.zeros(3)), np.array([True, False, True]), [])


@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
def test_tensor_put_method_takes_numpys_modes(mode):
    # was: a.put(ind, v, mode='wrap'/'clip') refused ("only mode='raise'") though autobp.put took them
    ind = {"raise": [0, -1, 3], "wrap": [0, 7, -8], "clip": [-9, 2, 17]}[mode]
    a = np.arange(6.0)
    a.put(ind, [9.0, 8.0], mode=mode)
    t = Tensor(np.arange(6.0))
    assert t.put(ind, [9.0, 8.0], mode=mode) is None
    np.testing.assert_array_equal(t.numpy(), a)
    # gradients: the overwritten elements get none, as torch's index_put with the same positions
    x = Tensor(np.arange(1.0, 7.0), requires_grad=True)
    y = x * 1.0
    y.put(ind, Tensor(np.array([9.0, 8.0])), mode=mode)
    (y * Tensor(np.arange(6.0))).sum().backward()
    flat = np.clip(ind, 0, 5) if mode == "clip" else np.array(ind) % 6
    xt = torch.arange(1.0, 7.0, dtype=torch.float64, requires_grad=True)
    yt = xt.clone().put(torch.tensor(flat), torch.tensor([9.0, 8.0, 9.0], dtype=torch.float64))
    (yt * torch.arange(6.0, dtype=torch.float64)).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy())


def test_polymul_of_an_empty_polynomial_is_numpys_zero():
    # was: ValueError from convolve; numpy reads [] as the zero polynomial
    for a, b in (([], [1.0]), ([], []), ([1.0, 2.0], []), (np.array([], np.float32), [1.0])):
        got, expected = autobp.polymul(a, b), np.polymul(a, b)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
    p = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    assert autobp.gradcheck(lambda p: autobp.polymul(p, Tensor(np.zeros(0))) + autobp.polymul(p, p)[:3], (p,))


def test_take_out_writes_into_an_array_or_a_tensor():
    # was: TypeError "out= is not supported"
    x = np.arange(12).reshape(3, 4)
    expected = np.take(x, [0, 2], axis=1)
    b = np.zeros_like(expected)
    assert autobp.take(Tensor(x), [0, 2], axis=1, out=b) is b
    np.testing.assert_array_equal(b, expected)
    bt = autobp.zeros((3, 2), dtype=np.int64)
    assert Tensor(x).take([0, 2], axis=1, out=bt) is bt
    np.testing.assert_array_equal(bt.numpy(), expected)
    # gradient through a Tensor out=: as torch's take (the written values' gradient reaches x)
    w = Tensor(np.arange(4.0), requires_grad=True)
    o = autobp.zeros(2)
    autobp.take(w, [1, 3], out=o)
    (o * Tensor(np.array([2.0, 5.0]))).sum().backward()
    wt = torch.arange(4.0, dtype=torch.float64, requires_grad=True)
    (torch.take(wt, torch.tensor([1, 3])) * torch.tensor([2.0, 5.0], dtype=torch.float64)).sum().backward()
    np.testing.assert_array_equal(w.grad, wt.grad.numpy())
    with pytest.raises(ValueError):
        autobp.take(Tensor(x), [0, 2], axis=1, out=np.zeros((2, 2), np.int64))


def test_dot_out_accepts_a_numpy_array():
    # was: TypeError "out= must be a Tensor, got ndarray"
    a = np.arange(6.0).reshape(2, 3)
    o, expected = np.zeros((2, 2)), np.dot(a, a.T)
    assert autobp.dot(Tensor(a), Tensor(a.T), out=o) is o
    np.testing.assert_array_equal(o, expected)
    z = np.ones(10)  # numpy's regression test: an empty product writes nothing around it
    zero = np.lib.stride_tricks.as_strided(z, (0, 10), (0, 8))
    autobp.dot(Tensor(np.zeros((0, 1))), Tensor(np.ones((1, 10))), out=zero)
    np.testing.assert_array_equal(z, np.ones(10))
    with pytest.raises(TypeError, match="requires grad"):
        autobp.dot(Tensor(a, requires_grad=True), Tensor(a.T), out=np.zeros((2, 2)))


def test_partition_and_argpartition_methods_as_numpys():
    # was: AttributeError ('Tensor' object has no attribute 'partition' / 'argpartition')
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 7))
    for kth, axis in ((2, -1), ((1, 4), 1), (0, 0)):
        t, b = Tensor(a.copy()), a.copy()
        idx = t.argpartition(kth, axis=axis).numpy()
        vals = np.take_along_axis(a, idx, axis=axis)
        assert t.partition(kth, axis=axis) is None and b.partition(kth, axis=axis) is None
        for k in np.atleast_1d(kth):  # numpy's guarantee: the k-th values are in place
            np.testing.assert_array_equal(np.take(t.numpy(), k, axis), np.take(b, k, axis))
            np.testing.assert_array_equal(np.take(vals, k, axis), np.take(b, k, axis))
    x = Tensor(rng.normal(size=5), requires_grad=True)

    def f(x):
        y = x * 1.0
        y.partition(2)
        return y * Tensor(np.arange(5.0))

    assert autobp.gradcheck(f, (x,))


def test_equality_with_none_strings_and_plain_objects_is_elementwise_false():
    # was: TypeError "unsupported operand of type NoneType/str"; numpy gives all False (!=: all True)
    # and torch a False, neither raises
    a = np.array([[1.0, 2.0, 3.0]])
    t = Tensor(a)
    for other in (None, "s", b"s", {}, object()):
        for got, want in ((t == other, a == other), (t != other, a != other), (other == t, other == a)):
            assert isinstance(got, Tensor) and got.dtype == np.bool_
            np.testing.assert_array_equal(got.numpy(), want)
    assert bool(Tensor(np.array(1.0)) == None) is bool(torch.tensor(1.0) == None)  # noqa: E711
    assert Tensor(np.array(1.0)) in [None, 1.0]
    with pytest.raises(TypeError):  # an order still needs numbers
        _ = t < None
    s = np.array(["test", "auto"])  # a Tensor of strings is compared by numpy
    for other in ("auto", None):
        np.testing.assert_array_equal((autobp.array(s) == other).numpy(), s == other)
        np.testing.assert_array_equal((autobp.array(s) != other).numpy(), s != other)


def test_take_reads_boolean_indices_as_positions_as_numpy():
    # was: TypeError "indices must be integers, got dtype bool"; numpy casts True/False to 1/0
    a = np.arange(5.0) * 10
    ind = np.array([[True, False], [True, True]])
    np.testing.assert_array_equal(autobp.take(Tensor(a), ind).numpy(), np.take(a, ind))
    x = Tensor(a, requires_grad=True)
    assert autobp.gradcheck(lambda x: autobp.take(x, ind), (x,))


def test_numpys_out_on_compress_trace_vecdot_matvec_vecmat():
    # was: TypeError "out= is not supported"; numpy writes the result into out=
    a = np.arange(1.0, 7.0).reshape(2, 3)
    calls = {
        "compress": (lambda m, o: m.compress([True, False, True], a, axis=1, out=o)),
        "trace": (lambda m, o: m.trace(a, 1, out=o)),
        "vecdot": (lambda m, o: m.vecdot(a, a, out=o)),
        "matvec": (lambda m, o: m.matvec(a, a[0], out=o)),
        "vecmat": (lambda m, o: m.vecmat(a[:, 0], a, out=o)),
    }
    for name, call in calls.items():
        want = np.zeros(np.shape(call(np, None)))
        call(np, want)
        got = np.zeros_like(want)
        assert call(_TensorArgs(), got) is got, name
        np.testing.assert_allclose(got, want)
    # a Tensor out= takes the write with its gradient, as torch's out= does for torch.trace's sum
    w = Tensor(a, requires_grad=True)
    o = autobp.zeros(())
    autobp.trace(w, out=o)
    (o * 3.0).backward()
    wt = torch.tensor(a, requires_grad=True)
    (torch.trace(wt) * 3.0).backward()
    np.testing.assert_allclose(w.grad, wt.grad.numpy())


class _TensorArgs:
    """autobp's functions with every ndarray argument given as a Tensor."""

    def __getattr__(self, name):
        fn = getattr(autobp, name)
        return lambda *a, **k: fn(*(Tensor(v) if isinstance(v, np.ndarray) else v for v in a), **k)


@pytest.mark.parametrize(
    "name, kw",
    [("max", {"axis": 1}), ("min", {"axis": 0}), ("amax", {"axis": 1}), ("amin", {}), ("ptp", {"axis": 1})]
    + [("any", {"axis": 0}), ("all", {"axis": 1}), ("round", {"decimals": 1}), ("around", {})],
)
def test_numpys_out_on_max_min_ptp_any_all_round(name, kw):
    # was: TypeError "unexpected keyword argument 'out'"
    a = np.array([[1.26, -2.5, 3.0], [0.5, 7.25, -1.0]])
    want = np.zeros(np.shape(getattr(np, name)(a, **kw)), np.asarray(getattr(np, name)(a, **kw)).dtype)
    getattr(np, name)(a, out=want, **kw)
    for given in (Tensor(a), a):
        got = np.zeros_like(want)
        assert getattr(autobp, name)(given, out=got, **kw) is got
        np.testing.assert_array_equal(got, want)
    got_t = autobp.zeros(want.shape, dtype=want.dtype)
    assert getattr(autobp, name)(Tensor(a), out=got_t, **kw) is got_t
    np.testing.assert_array_equal(got_t.numpy(), want)


def test_amax_out_tensor_keeps_the_gradient_as_torch():
    a = np.array([[1.0, 5.0, 5.0], [2.0, -1.0, 0.5]])
    x = Tensor(a, requires_grad=True)
    o = autobp.zeros(2)
    autobp.amax(x, axis=1, out=o)
    (o * Tensor(np.array([2.0, 3.0]))).sum().backward()
    xt = torch.tensor(a, requires_grad=True)  # torch refuses out= with a gradient: its plain amax's
    (torch.amax(xt, dim=1) * torch.tensor([2.0, 3.0], dtype=torch.float64)).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy())


def test_out_casting_rules_as_numpys():
    # take/compress cast out's dtype to the input's with the "safe" rule (numpy's regression test
    # test_compress_small_type); vecdot's out= follows its ufunc's same_kind rule
    a, af = np.array([[1, 2], [3, 4]]), np.array([[1.5, 2.0], [3.0, 4.0]])
    calls = [
        lambda m, x, o: m.compress([True, False], x, axis=1, out=o),
        lambda m, x, o: m.take(x, [0], axis=1, out=o),
        lambda m, x, o: m.vecdot(x, x, out=o),
        lambda m, x, o: m.round(x, out=o),
    ]
    for call in calls:
        for x in (a, af):
            for dt in (np.int64, np.float32, np.int8):
                shape = np.shape(call(np, x, None))
                try:
                    call(np, x, np.zeros(shape, dt))
                    refused = False
                except TypeError:
                    refused = True
                if refused:
                    with pytest.raises(TypeError):
                        call(_TensorArgs(), x, np.zeros(shape, dt))
                else:
                    want, got = np.zeros(shape, dt), np.zeros(shape, dt)
                    call(np, x, want)
                    call(_TensorArgs(), x, got)
                    np.testing.assert_array_equal(got, want)
