"""numpy behaviours found missing or wrong by running JAX's lax_numpy_test against autobp: numpy is the
oracle for values, dtypes and shapes; gradients are checked by autobp.gradcheck."""

import numpy as np
import pytest

import autobp
from autobp import Tensor

RNG = np.random.default_rng(0)


# --- pad: numpy's value modes -------------------------------------------------------------------
@pytest.mark.parametrize(
    "mode,kw",
    [
        ("mean", {}),
        ("mean", {"stat_length": 2}),
        ("maximum", {"stat_length": (1, 3)}),
        ("minimum", {"stat_length": ((1, 2), (3, 1))}),
        ("median", {"stat_length": None}),
        ("linear_ramp", {}),
        ("linear_ramp", {"end_values": (1.5, -2.0)}),
        ("linear_ramp", {"end_values": ((1, 2), (3.0, 4.0))}),
    ],
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
@pytest.mark.parametrize("pad_width", [1, (2, 0), ((1, 2), (3, 1))])
def test_pad_value_modes_match_numpy(mode, kw, dtype, pad_width):
    x = (RNG.normal(size=(3, 4)) * 3).astype(dtype)
    expected = np.pad(x, pad_width, mode=mode, **kw)
    got = autobp.pad(Tensor(x), pad_width, mode=mode, **kw)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    tol = 1e-6 if dtype == np.float32 else 1e-13  # float32: numpy and autobp may differ by an ulp
    np.testing.assert_allclose(got.data, expected, rtol=tol, atol=tol)


def test_pad_empty_mode_keeps_the_input_in_the_middle():
    x = np.arange(6.0).reshape(2, 3)
    got = autobp.pad(x, ((2, 3), (3, 1)), mode="empty")
    assert got.shape == np.pad(x, ((2, 3), (3, 1)), mode="empty").shape
    np.testing.assert_array_equal(np.asarray(got)[2:-3, 3:-1], x)


@pytest.mark.parametrize(
    "mode,kw",
    [
        ("mean", {"stat_length": 2}),
        ("maximum", {}),
        ("minimum", {"stat_length": (1, 3)}),
        ("median", {}),
        ("linear_ramp", {"end_values": (1.0, -2.0)}),
    ],
)
def test_pad_value_modes_gradients(mode, kw):
    x = Tensor(RNG.normal(size=(3, 4)), requires_grad=True)
    f = lambda t: autobp.pad(t, ((1, 2), (2, 1)), mode=mode, **kw)  # noqa: E731
    assert autobp.gradcheck(f, (x,))
    if mode != "median":
        assert autobp.gradgradcheck(f, (x,))


def test_pad_rejects_other_modes_keywords_as_numpy():
    for mode, key in [("constant", "end_values"), ("edge", "stat_length"), ("mean", "constant_values")]:
        with pytest.raises(ValueError, match=f"unsupported keyword arguments for mode '{mode}'"):
            np.pad(np.arange(3), 1, mode, **{key: 0})
        with pytest.raises(ValueError, match=f"unsupported keyword arguments for mode '{mode}'"):
            autobp.pad(Tensor(np.arange(3.0)), 1, mode, **{key: 0})


def test_pad_zero_stat_length_refused_for_max_as_numpy():
    with pytest.raises(ValueError, match="stat_length of 0"):
        np.pad(np.arange(3.0), 1, "maximum", stat_length=0)
    with pytest.raises(ValueError, match="stat_length of 0"):
        autobp.pad(Tensor(np.arange(3.0)), 1, "maximum", stat_length=0)


# --- creation: numpy's positional dtype and array shapes -----------------------------------------
@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("shape", [2, (), (2,), (3, 0), np.array((4, 5, 6), dtype=np.int32), np.array(4)])
@pytest.mark.parametrize("dtype", [np.int8, np.float32, bool, "complex64"])
def test_factories_take_numpys_positional_dtype(name, shape, dtype):
    expected = getattr(np, name)(shape, dtype)
    got = getattr(autobp, name)(shape, dtype)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    if name != "empty":
        np.testing.assert_array_equal(got.data, expected)


def test_factories_keep_pytorch_sizes():
    assert autobp.zeros(2, 3).shape == (2, 3) and autobp.ones(2, 3, 4).shape == (2, 3, 4)
    with pytest.raises(TypeError, match="dtype twice"):
        autobp.zeros(2, np.int8, dtype=np.int16)


# --- joining ---------------------------------------------------------------------------------------
def test_concatenate_and_stack_of_an_array_iterate_its_first_axis():
    x = RNG.normal(size=(3, 4, 2))
    np.testing.assert_array_equal(np.asarray(autobp.concatenate(x, axis=1)), np.concatenate(x, axis=1))
    np.testing.assert_array_equal(np.asarray(autobp.stack(x, axis=-1)), np.stack(x, axis=-1))
    t = Tensor(x, requires_grad=True)
    assert autobp.gradcheck(lambda a: autobp.concatenate(a, axis=None) * 2.0, (t,))
    with pytest.raises(ValueError):
        autobp.concatenate(np.float64(1.0))


@pytest.mark.parametrize("fn", ["stack", "hstack", "vstack"])
def test_stacking_dtype_and_casting_as_numpy(fn):
    xs = [RNG.normal(size=(2, 3)).astype(np.float32), np.arange(6, dtype=np.int32).reshape(2, 3)]
    got = getattr(autobp, fn)(xs, dtype=np.float64)
    expected = getattr(np, fn)(xs, dtype=np.float64)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got.data, expected)
    with pytest.raises(TypeError):
        getattr(np, fn)(xs, dtype=np.int32)
    with pytest.raises(TypeError, match="same_kind"):
        getattr(autobp, fn)(xs, dtype=np.int32)
    got = getattr(autobp, fn)(xs, dtype=np.int32, casting="unsafe")
    np.testing.assert_array_equal(got.data, getattr(np, fn)(xs, dtype=np.int32, casting="unsafe"))


# --- methods ---------------------------------------------------------------------------------------
def test_transpose_method_with_none_reverses_axes():
    x = RNG.normal(size=(2, 3, 4))
    assert Tensor(x).transpose(None).shape == x.transpose(None).shape
    np.testing.assert_array_equal(Tensor(x).transpose(None).data, x.transpose(None))


def test_compress_method_as_numpy():
    x = RNG.normal(size=(3, 4))
    for cond, axis in [([True, False, True], 0), ([0, 1, 1, 0], 1), ([1, 0, 1], None)]:
        np.testing.assert_array_equal(Tensor(x).compress(cond, axis=axis).data, x.compress(cond, axis=axis))
    t = Tensor(x, requires_grad=True)
    assert autobp.gradcheck(lambda a: a.compress([1, 0, 1, 1], axis=1), (t,))


# --- integer dtypes kept where numpy keeps them ------------------------------------------------------
@pytest.mark.parametrize("name", ["cumsum", "cumprod", "nancumsum", "nancumprod"])
@pytest.mark.parametrize("dtype", [None, np.int32, np.int8, np.uint16, np.float32])
def test_scans_honour_dtype(name, dtype):
    x = np.arange(1, 13, dtype=np.int32).reshape(3, 4)
    expected = getattr(np, name)(x, axis=1, dtype=dtype)
    got = getattr(autobp, name)(Tensor(x), axis=1, dtype=dtype)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got.data, expected)


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.uint8, np.uint32, np.bool_, np.float32])
def test_vecdot_keeps_small_integer_dtypes(dtype):
    x = (np.arange(40) * 37 % 255).astype(dtype).reshape(4, 10)
    with np.errstate(over="ignore"):
        expected = np.vecdot(x, x[::-1])
        got = autobp.vecdot(x, x[::-1])
    assert np.asarray(got).dtype == expected.dtype
    np.testing.assert_array_equal(np.asarray(got), expected)


def test_item_with_indices_as_numpy():
    x = RNG.normal(size=(3, 4))
    t = Tensor(x)
    for args in [(5,), (1, 2), ((2, 3),), (-1,)]:
        assert t.item(*args) == x.item(*args)
    assert Tensor([7.5]).item() == 7.5
    with pytest.raises(IndexError):
        x.item(20)
    with pytest.raises(IndexError, match="shape"):
        t.item(20)
    with pytest.raises(ValueError):
        t.item()


def test_where_takes_any_condition_by_its_truth_value():
    cond = np.array([0.0, 1.5, -2.0, 0.0])
    x, y = RNG.normal(size=4), RNG.normal(size=4)
    np.testing.assert_array_equal(np.asarray(autobp.where(cond, x, y)), np.where(cond, x, y))
    tx = Tensor(x, requires_grad=True)
    assert autobp.gradcheck(lambda a: autobp.where(np.array([0, 3, 1, 0]), a, 2.0 * a), (tx,))


def test_take_mode_none_is_raise():
    x = np.arange(5.0)
    got = autobp.take(x, [1, -1], mode=None)
    np.testing.assert_array_equal(np.asarray(got), np.take(x, [1, -1], mode=None))
    with pytest.raises(IndexError):
        np.take(x, [7], mode=None)
    with pytest.raises(IndexError):
        autobp.take(Tensor(x), [7], mode=None)


@pytest.mark.parametrize("shape", [1.5, (2, 1.5), [np.float64(2.0)]])
def test_float_sizes_refused_as_numpy(shape):
    with pytest.raises(TypeError):
        np.zeros(shape)
    with pytest.raises(TypeError, match="integer"):
        autobp.zeros(shape)
    with pytest.raises(TypeError, match="integer"):
        autobp.ones(shape)


def test_tobytes_as_numpy():
    v = np.arange(12, dtype=np.int32).reshape(3, 4)
    for order in ["C", "F"]:
        assert Tensor(v).tobytes(order) == v.tobytes(order)
    assert Tensor(v.T).tobytes() == np.ascontiguousarray(v.T).tobytes()


def test_sinc_derivatives_at_zero_are_exact():
    # sinc(x) = 1 - (pi x)^2/6 + (pi x)^4/120 - ...: derivatives at 0 are 0, -pi^2/3, 0, pi^4/5
    import autobp.func as F

    fs = [autobp.sinc]
    for _ in range(4):
        fs.append(F.grad(fs[-1]))
    got = [float(f(0.0)) for f in fs[1:]]
    np.testing.assert_allclose(got, [0.0, -(np.pi**2) / 3, 0.0, np.pi**4 / 5], rtol=1e-13, atol=1e-13)
    x = Tensor(np.array([0.0, 1e-9, -0.3, 2.5]), requires_grad=True)
    assert autobp.gradcheck(autobp.sinc, (x,)) and autobp.gradgradcheck(autobp.sinc, (x,))


@pytest.mark.parametrize("mode", ["reflect", "symmetric"])
@pytest.mark.parametrize("pad_width", [1, (2, 0), ((1, 2), (3, 1)), 7])
@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex128])
def test_pad_odd_reflection_as_numpy(mode, pad_width, dtype):
    x = (RNG.normal(size=(3, 4)) * 3).astype(dtype)
    expected = np.pad(x, pad_width, mode=mode, reflect_type="odd")
    got = autobp.pad(Tensor(x), pad_width, mode=mode, reflect_type="odd")
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_allclose(got.data, expected, rtol=1e-12, atol=1e-12)


def test_pad_odd_reflection_gradients():
    x = Tensor(RNG.normal(size=(3, 4)), requires_grad=True)
    f = lambda t: autobp.pad(t, ((4, 2), (1, 5)), mode="reflect", reflect_type="odd")  # noqa: E731
    assert autobp.gradcheck(f, (x,)) and autobp.gradgradcheck(f, (x,))


@pytest.mark.parametrize("mode,kw", [("linear_ramp", {"end_values": 10.0}), ("mean", {}), ("maximum", {})])
@pytest.mark.parametrize("dtype", [np.int32, np.float64])
def test_pad_value_modes_of_zero_d_inputs(mode, kw, dtype):
    x = dtype(7)
    expected = np.pad(x, ((1, 2),), mode=mode, **kw)
    got = autobp.pad(Tensor(np.asarray(x)), ((1, 2),), mode=mode, **kw)
    np.testing.assert_array_equal(np.asarray(got), expected)


_ARR = np.arange(6).reshape((2, 3))


@pytest.mark.parametrize(
    "build",
    [
        lambda m: m.r_["-1", _ARR, _ARR],
        lambda m: m.r_["0,2", [1, 2, 3], [4, 5, 6]],
        lambda m: m.r_["1,2,0", [1, 2, 3], [4, 5, 6]],
        lambda m: m.r_["0,4,-2", [1, 2, 3], [4, 5, 6]],
        lambda m: m.r_["c", [1, 2, 3], [4, 5, 6]],
        lambda m: m.c_["0,2,0", [1, 2, 3], [4, 5, 6]],
        lambda m: m.c_["0,4,-1", [1, 2, 3], [4, 5, 6]],
        lambda m: m.c_[np.array([[1, 2, 3]]), 0, 0, np.array([[4, 5, 6]])],
        lambda m: m.r_[-1:1:6j, [0] * 3, 5, 6],
        lambda m: m.c_[1:4, np.array([7, 8, 9])],
    ],
)
def test_r_c_directives_as_numpy(build):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        expected = np.asarray(build(np))
    got = np.asarray(build(autobp))
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected)


def test_r_directive_differentiable_and_refusals():
    t = Tensor(RNG.normal(size=3), requires_grad=True)
    assert autobp.gradcheck(lambda a: autobp.r_["0,2", a, 2.0 * a], (t,))
    with pytest.raises(ValueError):
        autobp.r_["asdfgh", [1, 2, 3]]
    with pytest.raises(ValueError):
        autobp.r_[[1, 2], "0,2"]


@pytest.mark.parametrize("name", ["nancumsum", "nancumprod"])
@pytest.mark.parametrize("dtype", [np.int32, np.int8, np.float32])
def test_nan_scans_replace_nan_before_the_dtype_cast(name, dtype):
    x = np.array([[np.nan, 1.5, 2.0], [3.0, np.nan, -1.0]])
    expected = getattr(np, name)(x, axis=1, dtype=dtype)
    got = getattr(autobp, name)(Tensor(x), axis=1, dtype=dtype)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got.data, expected)
