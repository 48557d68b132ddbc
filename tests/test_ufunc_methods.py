"""numpy's ufunc methods on autobp's ufunc-named functions (autobp/ufunc_methods.py) and numpy's own
ufunc methods on Tensors: values against numpy, gradients against central differences and torch."""

import functools

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)
BINARY = ["add", "subtract", "multiply", "divide", "maximum", "minimum", "fmax", "fmin"]
BINARY += ["logaddexp", "logaddexp2", "hypot", "power", "arctan2", "copysign"]
SHAPES = [(), (3,), (4, 3), (0, 3), (2, 0, 3), (2, 3, 2)]


def _expected_reduce(name, x, axis, **kw):
    """numpy's reduce; for power and arctan2 numpy's documented left fold computed on object arrays
    (numpy 2.4's own float power.reduce and arctan2.reduce return op(x[0], x[-1]))."""
    if name in ("power", "arctan2") and x.size:
        folded = np.frompyfunc(getattr(np, name), 2, 1).reduce(x.astype(object), axis=axis, **kw)
        return np.asarray(folded, dtype=x.dtype)
    return getattr(np, name).reduce(x, axis=axis, **kw)


def _axes(shape):
    return [None, 0, -1, (0, 1)] if len(shape) >= 2 else [None, 0]


def _data(shape, dtype=np.float64):
    return RNG.uniform(0.5, 2.0, shape).astype(dtype)


def _close(got, expected, rtol=1e-7):
    got = got._data if isinstance(got, ab.Tensor) else np.asarray(got)
    assert got.dtype == np.asarray(expected).dtype
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("shape", SHAPES)
def test_reduce_values_match_numpy(name, shape):
    fn, uf, x = getattr(ab, name), getattr(np, name), _data(shape)
    t = ab.tensor(x)
    for axis in _axes(shape):
        reorderable = uf.identity is not None or name in ("maximum", "minimum", "fmax", "fmin")
        mask = RNG.uniform(size=shape) > 0.3
        for kw in ({}, {"keepdims": True}, {"initial": 1.5}, {"where": mask, "initial": 1.25}):
            try:
                expected = _expected_reduce(name, x, axis, **kw)
            except ValueError as e:  # numpy refuses (empty without identity, non-reorderable tuple axis)
                with pytest.raises(ValueError, match=str(e)[:20]):
                    fn.reduce(t, axis=axis, **kw)
                continue
            if kw.get("where") is not None and not reorderable and isinstance(axis, tuple):
                continue
            _close(fn.reduce(t, axis=axis, **kw), expected, rtol=1e-6)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("shape", [(3,), (4, 3), (0, 3), (2, 3, 2)])
def test_accumulate_reduceat_outer_match_numpy(name, shape):
    fn, uf, x = getattr(ab, name), getattr(np, name), _data(shape)
    t = ab.tensor(x)
    for axis in range(-len(shape), len(shape)):
        _close(fn.accumulate(t, axis=axis), uf.accumulate(x, axis=axis))
        if shape[axis]:
            for idx in ([0], [1, 0, 2], [0, 2, 1], [2, 2]):
                idx = [i % shape[axis] for i in idx]
                expected = np.stack(
                    [
                        _expected_reduce(name, np.take(x, range(s, e), axis), axis)
                        for s, e in _slices(idx, shape[axis])
                    ],
                    axis=axis % len(shape),
                )
                _close(fn.reduceat(t, idx, axis=axis), expected, rtol=1e-6)
    y = _data((2,))
    _close(fn.outer(t, y), uf.outer(x, y))
    _close(fn.outer(y, t), uf.outer(y, x))


def _slices(idx, n):
    ends = [idx[i + 1] if idx[i + 1] > idx[i] else idx[i] + 1 for i in range(len(idx) - 1)] + [n]
    return list(zip(idx, ends))


def test_reduceat_matches_numpy_directly():
    x = _data((5, 3))
    for name in ("add", "multiply", "maximum", "minimum", "subtract", "divide"):
        for idx in ([0, 3, 1, 4], [4], [0, 0, 2], []):
            _close(
                getattr(ab, name).reduceat(ab.tensor(x), idx),
                getattr(np, name).reduceat(x, np.array(idx, int)),
            )


@pytest.mark.parametrize("dtype", [np.int64, bool, np.float32])
def test_integer_bool_float32_results_are_numpys(dtype):
    x = RNG.integers(0, 3, (4, 3)).astype(dtype)
    t = ab.tensor(x)
    for name in ("add", "multiply", "maximum", "logical_and", "logical_xor", "bitwise_or", "equal", "less"):
        uf = getattr(np, name)
        try:
            expected = uf.reduce(x, axis=0)
        except TypeError:
            continue
        _close(getattr(ab, name).reduce(t), expected, rtol=1e-6)
        _close(getattr(ab, name).accumulate(t, axis=1), uf.accumulate(x, axis=1), rtol=1e-6)
        _close(getattr(ab, name).outer(t, t[0]), uf.outer(x, x[0]), rtol=1e-6)
    _close(ab.add.reduce(t, dtype=np.float64), np.add.reduce(x, dtype=np.float64))


def test_attributes_are_numpys():
    for name in (
        "add",
        "subtract",
        "maximum",
        "logaddexp",
        "logical_and",
        "negative",
        "divmod",
        "true_divide",
    ):
        fn, uf = getattr(ab, name), getattr(np, name)
        assert (fn.nin, fn.nout, fn.nargs, fn.identity, fn.signature) == (
            uf.nin,
            uf.nout,
            uf.nargs,
            uf.identity,
            uf.signature,
        )
    assert ab.add.reduce.__doc__ and ab.add.at.__doc__


def test_constants_in_give_numpy_results():
    x = np.arange(6.0).reshape(2, 3)
    out = ab.add.reduce(x, axis=1)
    assert type(out) is np.ndarray
    np.testing.assert_array_equal(out, [3.0, 12.0])
    np.testing.assert_array_equal(ab.multiply.outer([1, 2], [3, 4]), [[3, 4], [6, 8]])
    y = x.copy()
    assert ab.add.at(y, [0, 0], 1.0) is None
    np.testing.assert_array_equal(y[0], [2.0, 3.0, 4.0])


def test_errors_are_numpys():
    t = ab.tensor(np.zeros((0, 3)), requires_grad=True)
    with pytest.raises(ValueError, match="identity"):
        ab.maximum.reduce(t)
    with pytest.raises(ValueError, match="reorderable"):
        ab.subtract.reduce(ab.tensor(np.ones((2, 2))), axis=(0, 1))
    with pytest.raises(ValueError, match="binary"):
        ab.negative.outer(t, t)
    with pytest.raises(ValueError):
        ab.add.accumulate(ab.tensor(np.ones((2, 2))), axis=(0, 1))


# --- gradients -----------------------------------------------------------------------------------
GRAD_NAMES = ["add", "subtract", "multiply", "divide", "maximum", "fmin", "logaddexp", "logaddexp2", "hypot"]
GRAD_NAMES += ["power", "arctan2"]


@pytest.mark.parametrize("name", GRAD_NAMES)
def test_method_gradients_gradcheck(name):
    fn = getattr(ab, name)
    x = ab.tensor(_data((3, 4)), requires_grad=True)
    y = ab.tensor(_data((2,)), requires_grad=True)
    mask = np.array([[True, False, True, True], [False, True, True, False], [True, True, False, True]])
    assert ab.gradcheck(lambda a: fn.reduce(a, axis=0), (x,))
    assert ab.gradcheck(lambda a: fn.reduce(a, axis=1, keepdims=True), (x,))
    assert ab.gradcheck(
        lambda a, i: fn.reduce(a, axis=0, initial=i, where=mask), (x, ab.tensor(1.5, requires_grad=True))
    )
    if fn.identity is not None or name in ("maximum", "fmin"):
        assert ab.gradcheck(lambda a: fn.reduce(a, axis=None), (x,))
    assert ab.gradcheck(lambda a: fn.accumulate(a, axis=1), (x,))
    assert ab.gradcheck(lambda a: fn.reduceat(a, [0, 2, 1, 3], axis=1), (x,))
    assert ab.gradcheck(lambda a, b: fn.outer(a, b), (x, y))
    assert ab.gradcheck(lambda a, b: fn.at(a, ([0, 2, 0], [1, 1, 1]), b[:1], inplace=False), (x, y))
    assert ab.gradgradcheck(lambda a: fn.reduce(a, axis=1), (x,))
    assert ab.gradgradcheck(lambda a: fn.accumulate(a, axis=0), (x,))


def test_unary_at_gradient_repeats():
    x = ab.tensor(_data((4,)), requires_grad=True)
    assert ab.gradcheck(lambda a: ab.exp.at(a, [1, 1, 3], inplace=False), (x,))
    out = ab.exp.at(x, [1, 1], inplace=False)
    np.testing.assert_allclose(out._data[1], np.exp(np.exp(x._data[1])))


def test_gradients_match_torch():
    x = _data((4, 5))
    a, ta = ab.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    w = _data((4, 5))
    (ab.multiply.accumulate(a, axis=1) * w).sum().backward()
    (torch.cumprod(ta, 1) * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(a.grad, ta.grad.numpy(), rtol=1e-10)
    a.grad = None
    ta.grad = None
    (ab.maximum.accumulate(a, axis=0) * w).sum().backward()
    (torch.cummax(ta, 0).values * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(a.grad, ta.grad.numpy(), rtol=1e-10)
    u, v = _data((4,)), _data((3,))
    au, av = ab.tensor(u, requires_grad=True), ab.tensor(v, requires_grad=True)
    tu, tv = torch.tensor(u, requires_grad=True), torch.tensor(v, requires_grad=True)
    g = _data((4, 3))
    ab.multiply.outer(au, av).backward(g)
    torch.outer(tu, tv).backward(torch.tensor(g))
    np.testing.assert_allclose(au.grad, tu.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(av.grad, tv.grad.numpy(), rtol=1e-12)


def test_add_at_and_reduceat_match_torch_scatters():
    x, b = _data((5, 2)), _data((4, 2))
    idx = np.array([0, 3, 0, 0])
    a, ab_ = ab.tensor(x, requires_grad=True), ab.tensor(b, requires_grad=True)
    ta, tb = torch.tensor(x, requires_grad=True), torch.tensor(b, requires_grad=True)
    w = _data((5, 2))
    out = ab.add.at(a, idx, ab_, inplace=False)
    expected = ta.index_put((torch.tensor(idx),), tb, accumulate=True)
    np.testing.assert_allclose(out._data, expected.detach().numpy(), rtol=1e-12)
    (out * w).sum().backward()
    (expected * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(ab_.grad, tb.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(a.grad, ta.grad.numpy(), rtol=1e-12)
    # reduceat with increasing indices is a segment sum: torch's index_add by segment id
    seg = ab.add.reduceat(ab_, [0, 1, 3])
    tseg = torch.zeros(3, 2, dtype=torch.float64).index_add(0, torch.tensor([0, 1, 1, 2]), tb)
    np.testing.assert_allclose(seg._data, tseg.detach().numpy(), rtol=1e-12)


# --- numpy's own ufunc methods on Tensors -------------------------------------------------------
def test_numpy_methods_on_tensors_record():
    x = _data((3, 4))
    t = ab.tensor(x, requires_grad=True)
    for call in (
        lambda a: np.add.outer(a, a[0]),
        lambda a: np.multiply.outer(a[:, 0], a[0]),
        lambda a: np.add.reduceat(a, [0, 2], axis=1),
        lambda a: np.maximum.accumulate(a, axis=1),
        lambda a: np.logaddexp.reduce(a, axis=0),
        lambda a: np.hypot.accumulate(a),
        lambda a: np.add.reduce(a, axis=0, where=x > 1, initial=0.5),
    ):
        out = call(t)
        assert isinstance(out, ab.Tensor) and out.requires_grad
        np.testing.assert_allclose(out._data, call(x), rtol=1e-12)
        assert ab.gradcheck(call, (t,))


def test_numpy_at_on_tensor_is_an_inplace_write():
    x = _data((4,))
    leaf = ab.tensor(x, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf"):
        np.add.at(leaf, [0, 0], 1.0)
    y = leaf * 1.0
    before = y._version
    v = ab.tensor(np.array([2.0, 3.0]), requires_grad=True)
    assert np.multiply.at(y, [1, 1], v) is None
    assert y._version > before
    np.testing.assert_allclose(y._data, x * [1, 6, 1, 1])
    y.sum().backward()
    np.testing.assert_allclose(leaf.grad, [1, 6, 1, 1])
    np.testing.assert_allclose(v.grad, [x[1] * 3, x[1] * 2])
    z = leaf * 2.0
    s = (z * z).sum()  # reads z before the write: backward must refuse
    ab.add.at(z, [0], 1.0)
    with pytest.raises(RuntimeError):
        s.backward()


def test_at_into_ndarray_refuses_a_grad_tensor():
    with pytest.raises(TypeError, match="gradient"):
        np.add.at(np.zeros(3), [0], ab.tensor([1.0], requires_grad=True))
    with pytest.raises(TypeError, match="gradient"):
        ab.add.at(np.zeros(3), [0], ab.tensor([1.0], requires_grad=True))


def test_out_tensor_and_reduce_where():
    x = _data((3, 4))
    t = ab.tensor(x, requires_grad=True)
    out = ab.zeros(4)
    ab.add.reduce(t, axis=0, out=out, where=x > 1)
    np.testing.assert_allclose(out._data, np.add.reduce(x, axis=0, where=x > 1))
    out.sum().backward()
    np.testing.assert_allclose(t.grad, (x > 1).astype(float))


def test_function_call_cost_is_unchanged():
    """The methods are attributes of the same function objects: autobp.add is still a function."""
    assert type(ab.add).__name__ == "function" and ab.add.reduce is ab.add.reduce
    assert functools.reduce(ab.add, [1, 2, 3]) == 6


def test_frompyfunc_methods_record_and_match_numpys_object_results():
    def f(a, b):
        return a * b + 1.0

    ours, theirs = ab.frompyfunc(f, 2, 1), np.frompyfunc(f, 2, 1)
    assert ours == ab.frompyfunc(f, 2, 1) and hash(ours) == hash(ab.frompyfunc(f, 2, 1))
    assert ours != ab.frompyfunc(f, 2, 1, identity=0)
    x = _data((3, 4))
    t = ab.tensor(x, requires_grad=True)
    obj = x.astype(object)
    for got, expected in (
        (ours.reduce(t, axis=1), theirs.reduce(obj, axis=1)),
        (ours.accumulate(t, axis=0), theirs.accumulate(obj, axis=0)),
        (ours.reduceat(t, [0, 2, 1], axis=1), theirs.reduceat(obj, [0, 2, 1], axis=1)),
        (ours.outer(t[0], t[1]), theirs.outer(obj[0], obj[1])),
    ):
        _close(got, expected.astype(float))
    u = x.copy()
    theirs.at(u, [0, 0], x[1])
    _close(ours.at(t, [0, 0], t[1], inplace=False), u)
    assert ab.gradcheck(lambda a: ours.reduce(a, axis=0), (t,))
    assert ab.gradcheck(lambda a: ours.at(a, [0, 0], a[1], inplace=False), (t,))


def test_initial_none_and_empty_other_axes_follow_numpy():
    x = _data((3, 4))
    t = ab.tensor(x, requires_grad=True)
    _close(ab.add.reduce(t, axis=0, initial=None), np.add.reduce(x, axis=0, initial=None))
    with pytest.raises(ValueError, match="initial"):  # None: no identity, so where= needs a number
        ab.add.reduce(t, axis=0, initial=None, where=x > 1)
    e = ab.tensor(np.zeros((0, 3)), requires_grad=True)
    for name in ("subtract", "hypot", "maximum"):
        got = getattr(ab, name).reduce(e, axis=1)
        assert got.shape == (0,) and got.requires_grad
        assert getattr(ab, name).accumulate(e, axis=1).shape == (0, 3)
    _close(ab.add.reduce(e, axis=0), np.zeros(3))
    _close(ab.maximum.reduce(e, axis=0, initial=-1.0), np.full(3, -1.0))


def test_lists_holding_tensors_record():
    """A list of Tensors is one recorded Tensor (numpy's method would take the bare values)."""
    x = _data((2,))
    t = ab.tensor(x, requires_grad=True)
    out = ab.add.reduce([t, t * 2.0])
    assert isinstance(out, ab.Tensor) and out.requires_grad
    _close(out, x * 3)
    assert ab.gradcheck(lambda a: ab.multiply.outer([a[0], 1.0], a), (t,))
    assert ab.gradcheck(lambda a: ab.subtract.accumulate([a, a * a]), (t,))
    assert ab.gradcheck(lambda a: ab.add.reduce(np.ones(3), initial=a[0]), (t,))


def test_accumulate_reduceat_take_axis_none_on_1d():
    x = _data((5,))
    t = ab.tensor(x)
    for name in ("add", "hypot", "subtract"):
        fn, uf = getattr(ab, name), getattr(np, name)
        _close(fn.accumulate(t, axis=None), uf.accumulate(x, axis=None))
        _close(fn.reduceat(t, [0, 3], axis=None), uf.reduceat(x, [0, 3], axis=None))
    with pytest.raises(ValueError):  # numpy's: several axes on a 2-d array
        ab.add.accumulate(ab.tensor(np.ones((2, 2))), axis=None)
