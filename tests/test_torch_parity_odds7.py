"""PyTorch parity of small corners found by held-out runs: max/min gradients at NaN and ties,
relu-family zero signs, tensor normal, conv dtype checks, integer index_add wrap-around, ..."""

import warnings

import numpy as np
import pytest

import autobp as ab

torch = pytest.importorskip("torch")

NAN = float("nan")
A = [NAN, 1.0, 2.0, NAN, 3.0, 0.5, -1.0, 4.0]
B = [1.0, NAN, 2.0, NAN, 1.0, 0.5, 2.0, 4.0]
W = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0]


def _both(vals):
    return ab.tensor(vals, requires_grad=True), torch.tensor(vals, dtype=torch.float64, requires_grad=True)


def _same(ours, theirs):
    np.testing.assert_array_equal(np.asarray(ours), theirs.detach().numpy())


@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin"])
def test_extremum_gradients_at_nan_and_ties_first_and_second_order(name):
    (a, ta), (b, tb) = _both(A), _both(B)
    w, tw = ab.tensor(W), torch.tensor(W, dtype=torch.float64)
    # inputs through a square so that the second derivative is not identically zero
    y = getattr(ab, name)(a * a, b * 3.0)
    ty = getattr(torch, name)(ta * ta, tb * 3.0)
    _same(y.detach(), ty)
    ga, gb = ab.grad((y * w).sum(), (a, b), create_graph=True)
    tga, tgb = torch.autograd.grad((ty * tw).sum(), (ta, tb), create_graph=True)
    _same(ga.detach(), tga)
    _same(gb.detach(), tgb)
    h = ab.grad((ga * w).sum() + (gb * w).sum(), (a, b), allow_unused=True, materialize_grads=True)
    tout = (tga * tw).sum() + (tgb * tw).sum()
    th = torch.autograd.grad(tout, (ta, tb), allow_unused=True, materialize_grads=True)
    for ours, theirs in zip(h, th):
        _same(ours, theirs)


@pytest.mark.parametrize("bounds", ["both", "min", "max", "crossed"])
def test_clamp_tensor_bounds_gradients_at_nan_and_ties(bounds):
    x, tx = _both(A)
    lo, tlo = _both(B)
    hi_vals = [5.0, 5.0, 2.0, 5.0, NAN, 0.5, 2.0, 0.0] if bounds != "crossed" else [0.0] * 8
    hi, thi = _both(hi_vals)
    kw = {"both": ("min", "max"), "min": ("min",), "max": ("max",), "crossed": ("min", "max")}[bounds]
    ours = {"min": lo, "max": hi}
    theirs = {"min": tlo, "max": thi}
    y = ab.clamp(x, **{k: ours[k] for k in kw})
    ty = torch.clamp(tx, **{k: theirs[k] for k in kw})
    _same(y.detach(), ty)
    wrt = [x] + [ours[k] for k in kw]
    twrt = [tx] + [theirs[k] for k in kw]
    tw = torch.tensor(W, dtype=torch.float64)
    for g, tg in zip(ab.grad((y * ab.tensor(W)).sum(), wrt), torch.autograd.grad((ty * tw).sum(), twrt)):
        _same(g, tg)


def test_clamp_tensor_bounds_x_below_equal_bounds_gets_no_gradient():
    for vals in ([0.0, 1.0, 1.0], [2.0, 1.0, 1.0], [1.0, 1.0, 1.0]):
        ours = [ab.tensor(v, requires_grad=True) for v in vals]
        theirs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in vals]
        got = ab.grad(ab.clamp(*ours), ours)
        want = torch.autograd.grad(torch.clamp(*theirs), theirs)
        assert [float(g) for g in got] == [float(g) for g in want]


ZEROS = [-0.0, 0.0, -1.0, 1.0, -0.3, 0.3, 7.0]


@pytest.mark.parametrize(
    "name", ["relu", "relu_", "relu6", "hardtanh", "leaky_relu", "elu", "celu", "selu", "hardshrink"]
)
def test_relu_family_zero_signs_and_gradients_at_zero_match_torch(name):
    import autobp.nn.functional as F

    tF = torch.nn.functional
    x, tx = _both(ZEROS)
    if name == "relu_":
        y, ty = F.relu(x * 1.0, inplace=True), tF.relu(tx * 1.0, inplace=True)
    else:
        y, ty = getattr(F, name)(x), getattr(tF, name)(tx)
    got, want = np.asarray(y.detach()), ty.detach().numpy()
    np.testing.assert_array_equal(got, want)
    want_sign = np.signbit(want)
    if name in ("relu", "relu_"):  # relu(-0.0) is +0.0 (numpy's maximum; see the next test)
        want_sign &= np.asarray(ZEROS) != 0
    np.testing.assert_array_equal(np.signbit(got), want_sign)
    (g,), (tg,) = ab.grad(y.sum(), [x]), torch.autograd.grad(ty.sum(), [tx])
    np.testing.assert_array_equal(np.asarray(g), tg.numpy())


def test_relu_of_negative_zero_is_positive_zero_on_every_spelling():
    """A deliberate difference: PyTorch's relu is x < 0 ? 0 : x (-0.0 stays -0.0), autobp's numpy's
    maximum(x, 0) (+0.0), one pass instead of two: np.where made the mlp and checkpoint steps 14%
    slower. The values compare equal; only the zero's sign differs."""
    z = ab.tensor([-0.0])
    for y in (ab.relu(z), z.relu(), ab.nn.ReLU()(z), ab.nn.functional.relu(z), z.data.relu()):
        got = np.asarray(y)
        assert got[0] == torch.relu(torch.tensor([-0.0]))[0].item() == 0.0
        assert not np.signbit(got)[0]


@pytest.mark.parametrize("shapes", [((3,), (4,)), ((2, 3), (3, 2)), ((5, 1, 2), (4, 3))])
def test_normal_tensor_mean_std_broadcast_errors_as_torch(shapes):
    m, s = shapes
    with pytest.raises(RuntimeError) as want:
        torch.normal(torch.zeros(m), torch.ones(s))
    with pytest.raises(RuntimeError) as got:
        ab.normal(ab.zeros(m), ab.ones(s))
    assert str(want.value) in str(got.value)


def test_normal_tensor_mean_std_shapes_dtypes_and_out_as_torch():
    for m, s in [((2, 1), (3,)), ((3,), ())]:
        want = torch.normal(torch.zeros(m), torch.ones(s))
        got = ab.normal(ab.zeros(m), ab.ones(s, dtype=ab.float32) if s else ab.tensor(1.0, dtype=ab.float32))
        assert got.shape == tuple(want.shape)
    for md, sd in [(torch.float32, torch.float64), (torch.float64, torch.float32)]:
        want = torch.normal(torch.zeros(3, dtype=md), torch.ones(3, dtype=sd)).dtype
        got = ab.normal(ab.zeros(3, dtype=str(md)[6:]), ab.ones(3, dtype=str(sd)[6:])).dtype
        assert str(got) == str(want)[6:]
    out = ab.empty(4, 2, dtype=ab.float64)
    tout = torch.empty(4, 2, dtype=torch.float64)
    res = ab.normal(ab.zeros(4, 1, dtype=ab.float32), ab.ones(2, dtype=ab.float32), out=out)
    tres = torch.normal(torch.zeros(4, 1), torch.ones(2), out=tout)
    assert (res is out) == (tres is tout) and str(res.dtype) == str(tres.dtype)[6:]
    ab.manual_seed(0)
    big = ab.normal(ab.full((20000,), 3.0), ab.full((20000,), 0.5), out=ab.empty(20000))
    assert abs(float(big.mean()) - 3.0) < 0.02 and abs(float(big.std()) - 0.5) < 0.02
    with pytest.raises(RuntimeError):
        torch.normal(torch.zeros(3), -torch.ones(3))
    with pytest.raises(RuntimeError, match="std >= 0.0"):
        ab.normal(ab.zeros(3), -ab.ones(3))


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("xdt,wdt", [("int64", "float64"), ("int32", "float32"), ("float64", "int64")])
def test_conv_refuses_integer_input_with_float_weight_as_torch(nd, xdt, wdt):
    import autobp.nn.functional as F

    shape, ksize = (1, 1) + (4,) * nd, (1, 1) + (2,) * nd
    tconv, conv = getattr(torch.nn.functional, f"conv{nd}d"), getattr(F, f"conv{nd}d")
    with pytest.raises(RuntimeError):
        tconv(torch.ones(shape, dtype=getattr(torch, xdt)), torch.ones(ksize, dtype=getattr(torch, wdt)))
    with pytest.raises(RuntimeError, match=rf"Input type \({xdt}\) and weight type \({wdt}\)"):
        conv(ab.ones(shape, dtype=xdt), ab.ones(ksize, dtype=wdt))


def test_conv_integer_input_and_weight_still_computes_as_torch():
    import autobp.nn.functional as F

    x, w = np.arange(10).reshape(1, 2, 5), np.arange(12).reshape(2, 2, 3)
    want = torch.nn.functional.conv1d(torch.tensor(x), torch.tensor(w)).numpy()
    got = F.conv1d(ab.tensor(x), ab.tensor(w))
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(np.asarray(got), want)
    with pytest.raises(RuntimeError, match=r"bias type \(float64\)"):
        F.conv1d(ab.tensor(x), ab.tensor(w), ab.ones(2))


@pytest.mark.parametrize(
    "dtype,alphas",
    [
        ("uint8", [-1, 3, 1, -255, -256, 255, 256, 2.7, -1.5, True]),
        ("int8", [-128, 128, -129, 200, -3, 2]),
        ("int16", [-1, 300, 40000]),
        ("int64", [4, -(2**40)]),
    ],
)
def test_index_add_integer_alpha_wraps_or_refuses_as_torch(dtype, alphas):
    info = np.iinfo(dtype)
    x = np.array([5, info.max, info.min, 0, 7], dtype)
    src = np.array([info.max, 100 % info.max, 1, info.max // 3, 2], dtype)
    idx = np.array([0, 1, 2, 3, 0])
    for alpha in alphas:
        try:
            want = torch.tensor(x).index_add(0, torch.tensor(idx), torch.tensor(src), alpha=alpha).numpy()
        except RuntimeError:
            with pytest.raises(RuntimeError, match="without overflow"):
                ab.tensor(x).index_add(0, ab.tensor(idx), ab.tensor(src), alpha=alpha)
            continue
        got = ab.tensor(x).index_add(0, ab.tensor(idx), ab.tensor(src), alpha=alpha)
        assert got.dtype == want.dtype, alpha
        np.testing.assert_array_equal(np.asarray(got), want, err_msg=str(alpha))
        inplace = ab.tensor(x)
        inplace.index_add_(0, ab.tensor(idx), ab.tensor(src), alpha=alpha)
        np.testing.assert_array_equal(np.asarray(inplace), want, err_msg=str(alpha))


def test_scatter_add_integer_wraps_as_torch():
    x, src, idx = np.array([250, 3], np.uint8), np.array([10, 255, 7], np.uint8), np.array([0, 1, 0])
    want = torch.tensor(x).scatter_add(0, torch.tensor(idx), torch.tensor(src)).numpy()
    got = ab.tensor(x).scatter_add(0, ab.tensor(idx), ab.tensor(src))
    np.testing.assert_array_equal(np.asarray(got), want)


@pytest.mark.parametrize("fn", ["isclose", "allclose"])
@pytest.mark.parametrize("which", ["rtol", "atol"])
def test_isclose_refuses_a_tolerance_that_requires_grad_as_torch(fn, which):
    a, b = [1.0, 2.0], [1.05, 2.0]
    with pytest.raises(TypeError) as want:
        getattr(torch, fn)(torch.tensor(a), torch.tensor(b), **{which: torch.tensor(0.1, requires_grad=True)})
    with pytest.raises(TypeError) as got:
        getattr(ab, fn)(ab.tensor(a), ab.tensor(b), **{which: ab.tensor(0.1, requires_grad=True)})
    assert str(want.value) in str(got.value)
    # a 0-d tensor without a gradient is a number to both
    want_ok = getattr(torch, fn)(torch.tensor(a), torch.tensor(b), **{which: torch.tensor(0.1)})
    got_ok = getattr(ab, fn)(ab.tensor(a), ab.tensor(b), **{which: ab.tensor(0.1)})
    np.testing.assert_array_equal(np.asarray(got_ok), np.asarray(want_ok))


def test_as_subclass_shares_data_and_passes_gradients_as_torch():
    class Sub(ab.Tensor):
        pass

    class TSub(torch.Tensor):
        pass

    a = ab.tensor([1.0, 2.0], requires_grad=True)
    ta = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    b, tb = a.as_subclass(Sub), ta.as_subclass(TSub)
    assert type(b) is Sub and isinstance(b, ab.Tensor)
    assert b.requires_grad == tb.requires_grad and b.is_leaf == tb.is_leaf
    (b * ab.tensor([3.0, 4.0])).sum().backward()
    (tb * torch.tensor([3.0, 4.0], dtype=torch.float64)).sum().backward()
    np.testing.assert_array_equal(np.asarray(a.grad), ta.grad.numpy())
    x, tx = ab.zeros(3), torch.zeros(3)
    y, ty = x.as_subclass(Sub), tx.as_subclass(TSub)
    y[0] = 5.0
    ty[0] = 5.0
    np.testing.assert_array_equal(np.asarray(x), tx.numpy())
    with pytest.raises(TypeError, match="does not inherit from Tensor"):
        tx.as_subclass(int)
    with pytest.raises(TypeError, match="does not inherit from Tensor"):
        x.as_subclass(int)


@pytest.mark.parametrize("p", [1, 2, 3, 5])
def test_mvlgamma_outside_scipys_domain_as_torch(p):
    vals = [0.4, 1.0, 0.9, -1.5, -0.25, 3.0, 7.5]
    x, tx = _both(vals)
    y, ty = ab.mvlgamma(x, p), torch.mvlgamma(tx, p)
    np.testing.assert_allclose(np.asarray(y.detach()), ty.detach().numpy(), rtol=1e-12)
    finite = torch.isfinite(ty).detach().numpy()
    (g,) = ab.grad((y * ab.tensor(finite.astype(float))).sum(), [x])
    (tg,) = torch.autograd.grad((ty * torch.tensor(finite, dtype=torch.float64)).sum(), [tx])
    np.testing.assert_allclose(np.asarray(g)[finite], tg.numpy()[finite], rtol=1e-10)
    np.testing.assert_allclose(np.asarray(x.detach().mvlgamma(p)), ty.detach().numpy(), rtol=1e-12)
    if p > 1:  # scipy's spelling keeps scipy's domain
        with pytest.raises(ValueError):
            ab.special.multigammaln(x.detach(), p)


def test_mvlgamma_argument_errors_as_torch():
    with pytest.raises(RuntimeError, match="greater than or equal to 1"):
        torch.mvlgamma(torch.tensor([3.0]), 0)
    with pytest.raises(RuntimeError, match="greater than or equal to 1"):
        ab.mvlgamma(ab.tensor([3.0]), 0)
    with pytest.raises(TypeError):
        torch.mvlgamma(torch.tensor([3.0]), 1.5)
    with pytest.raises(TypeError, match="must be int"):
        ab.mvlgamma(ab.tensor([3.0]), 1.5)
    assert str(ab.mvlgamma(ab.tensor([3.0], dtype=ab.float32), 2).dtype) == "float32"


@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
@pytest.mark.parametrize("form", ["function", "method", "inplace"])
def test_addc_deprecated_value_second_overload_as_torch(name, form):
    vals = ([1.0, -2.0, 0.5], [1.0, 2.0, 3.0], [2.0, 4.0, -8.0])

    def call(lib, x, t1, t2):
        if form == "function":
            return getattr(lib, name)(x, 0.5, t1, t2)
        if form == "method":
            return getattr(x, name)(0.5, t1, t2)
        return getattr(x.clone(), name + "_")(0.5, t1, t2)

    with warnings.catch_warnings():  # torch warns once per process (so maybe not here)
        warnings.simplefilter("ignore")
        want = call(torch, *(torch.tensor(v, dtype=torch.float64) for v in vals))
    with pytest.warns(UserWarning, match=f"This overload of {name}_? is deprecated"):
        got = call(ab, *(ab.tensor(v) for v in vals))
    np.testing.assert_allclose(np.asarray(got), want.numpy(), rtol=1e-15)
    # the same numbers as the current spelling, gradients included
    x, t1, t2 = (ab.tensor(v, requires_grad=True) for v in vals)
    with pytest.warns(UserWarning):
        out = getattr(ab, name)(x, 0.5, t1, t2)
    grads = ab.grad(out.sum(), [x, t1, t2])
    tx, tt1, tt2 = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in vals)
    tgrads = torch.autograd.grad(getattr(torch, name)(tx, tt1, tt2, value=0.5).sum(), [tx, tt1, tt2])
    for g, tg in zip(grads, tgrads):
        np.testing.assert_allclose(np.asarray(g), tg.numpy(), rtol=1e-14)
    with pytest.raises(TypeError):
        getattr(ab, name)(ab.tensor(vals[0]), ab.tensor(vals[1]), ab.tensor(vals[2]), ab.tensor(vals[0]))
