"""Where calculus leaves a choice, the elementwise ops and activations give PyTorch's values: at
kinks, ties, zeros, poles and infinities, each point checked against torch (forward and every
input's gradient), and numpy's sign and rounding conventions against numpy."""

import numpy as np
import pytest

import autobp
from autobp import Tensor
from autobp.nn import functional as F
from autobp.ops.binary import divide_rounded

torch = pytest.importorskip("torch")
TF = torch.nn.functional
tf = torch.nn.functional
inf, nan = np.inf, np.nan


def _against_torch(ours, theirs, *columns, rtol=1e-12):
    """Apply both to float64 leaves made from ``columns`` (one array per input); values and every
    input's gradient (of the sum) must agree, NaN and infinities included."""
    cols = [np.asarray(c, dtype=np.float64) for c in columns]
    ts = [Tensor(c, requires_grad=True) for c in cols]
    tts = [torch.tensor(c, requires_grad=True) for c in cols]
    out, tout = ours(*ts), theirs(*tts)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=rtol, atol=0, equal_nan=True)
    out.sum().backward()
    tout.sum().backward()
    for i, (t, tt) in enumerate(zip(ts, tts)):
        g = np.zeros(t.shape) if t.grad is None else t.grad
        tg = np.zeros(t.shape) if tt.grad is None else tt.grad.numpy()
        np.testing.assert_allclose(g, tg, rtol=rtol, atol=0, equal_nan=True, err_msg=f"input {i} at {cols}")


def _grid(a, b):
    """Every pair of the points in a and b, as two columns."""
    aa, bb = np.meshgrid(np.asarray(a, float), np.asarray(b, float))
    return aa.ravel(), bb.ravel()


# --- kinks of one-input ops ------------------------------------------------------------------------
KINKS = [
    ("sign", autobp.sign, torch.sign, [-1.0, -0.0, 0.0, 2.0]),
    ("abs", autobp.abs, torch.abs, [-1.0, -0.0, 0.0, 2.0]),
    ("sqrt", autobp.sqrt, torch.sqrt, [0.0, 1e-300, 4.0]),
    ("rsqrt", autobp.rsqrt, torch.rsqrt, [0.0, 4.0]),
    ("arcsin", autobp.arcsin, torch.asin, [-1.0, 1.0, 0.0]),
    ("arccos", autobp.arccos, torch.acos, [-1.0, 1.0, 0.0]),
    ("arccosh", autobp.arccosh, torch.acosh, [1.0, 2.0]),
    ("arctanh", autobp.arctanh, torch.atanh, [-1.0, 1.0]),
    ("erfinv", autobp.erfinv, torch.erfinv, [-1.0, 1.0, 0.0]),
    ("logit", autobp.logit, torch.logit, [0.0, 1.0, -0.5, 1.5, 0.5]),
    (
        "logit-eps",
        lambda x: autobp.logit(x, eps=0.25),
        lambda x: torch.logit(x, eps=0.25),
        [0.0, 0.25, 0.75, 1.0],
    ),
    ("sinc", autobp.sinc, torch.sinc, [0.0, -0.0, 1.0, 2.0]),
    ("nan_to_num", autobp.nan_to_num, torch.nan_to_num, [nan, inf, -inf, 1.5]),
    ("floor", autobp.floor, torch.floor, [-1.5, -1.0, 0.0, 1.0, 2.5]),
    ("ceil", autobp.ceil, torch.ceil, [-1.5, -1.0, 0.0, 1.0, 2.5]),
    ("trunc", autobp.trunc, torch.trunc, [-1.5, -1.0, 0.0, 1.0, 2.5]),
    ("fix", autobp.fix, torch.fix, [-1.5, -0.5, 0.5, 1.5]),
    # halves round to even in numpy and torch alike
    ("round", autobp.round, torch.round, [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5]),
    ("relu", autobp.relu, torch.relu, [-1.0, 0.0, 1.0]),
    ("relu6", F.relu6, tf.relu6, [-1.0, 0.0, 3.0, 6.0, 7.0]),
    ("hardtanh", F.hardtanh, tf.hardtanh, [-2.0, -1.0, 0.0, 1.0, 2.0]),
    ("hardsigmoid", F.hardsigmoid, tf.hardsigmoid, [-4.0, -3.0, 0.0, 3.0, 4.0]),
    ("hardswish", F.hardswish, tf.hardswish, [-4.0, -3.0, 0.0, 3.0, 4.0]),
    ("leaky_relu", F.leaky_relu, tf.leaky_relu, [-1.0, 0.0, -0.0, 1.0]),
    ("elu", lambda x: F.elu(x, 2.0), lambda x: tf.elu(x, 2.0), [-1.0, 0.0, 1.0, -800.0, 800.0]),
    ("celu", lambda x: F.celu(x, 2.0), lambda x: tf.celu(x, 2.0), [-1.0, 0.0, 1.0]),
    ("selu", F.selu, tf.selu, [-1.0, 0.0, 1.0]),
    ("softshrink", F.softshrink, tf.softshrink, [-0.5, 0.5, 0.0, 1.0, nan]),
    ("hardshrink", F.hardshrink, tf.hardshrink, [-0.5, 0.5, 0.0, 1.0, nan]),
    ("threshold", lambda x: F.threshold(x, 1.0, 5.0), lambda x: tf.threshold(x, 1.0, 5.0), [0.0, 1.0, 2.0]),
    ("softplus", F.softplus, tf.softplus, [-800.0, 0.0, 20.0, 20.000001, 800.0]),
    ("softplus-beta", lambda x: F.softplus(x, 2.0, 10.0), lambda x: tf.softplus(x, 2.0, 10.0), [5.0, 5.1]),
    ("logsigmoid", F.logsigmoid, tf.logsigmoid, [-800.0, 0.0, 800.0]),
    ("silu", F.silu, tf.silu, [-800.0, 0.0, 800.0]),
    ("mish", F.mish, tf.mish, [-800.0, 0.0, 800.0]),
    ("gelu", F.gelu, tf.gelu, [-40.0, 0.0, 40.0]),
]


@pytest.mark.parametrize("name, ours, theirs, points", KINKS, ids=[k[0] for k in KINKS])
def test_one_input_ops_at_their_special_points_match_torch(name, ours, theirs, points):
    # PyTorch's hardsigmoid gradient is the float32 constant 1/6 even in float64 (3e-8 off)
    rtol = 1e-7 if name == "hardsigmoid" else 1e-12
    with np.errstate(all="ignore"):
        _against_torch(ours, theirs, points, rtol=rtol)


def test_sign_of_nan_is_nan_as_numpy_says():
    assert np.isnan(autobp.sign(Tensor([nan])).item()) and np.isnan(np.sign(nan))  # torch.sign(nan) is 0


def test_piecewise_constant_ops_have_a_zero_gradient_that_is_itself_differentiable():
    x = Tensor([0.3, 1.0, -2.5], requires_grad=True)
    for f in (autobp.sign, autobp.floor, autobp.ceil, autobp.round, autobp.trunc, autobp.fix):
        (g,) = autobp.grad(f(x).sum(), [x], create_graph=True)
        np.testing.assert_array_equal(g.data, 0.0)
        assert (f(x) * x).sum().requires_grad  # recorded, as PyTorch records them


# --- two-input ops ---------------------------------------------------------------------------------
def test_remainder_and_fmod_follow_torch_at_jumps_and_with_negative_operands():
    a, b = _grid([-4.0, -3.0, -2.5, -1.0, -0.0, 0.0, 1.0, 2.5, 3.0, 4.0], [-2.0, -1.5, 1.5, 2.0])
    _against_torch(autobp.remainder, torch.remainder, a, b)
    _against_torch(autobp.fmod, torch.fmod, a, b)
    _against_torch(lambda x, y: x % y, lambda x, y: x % y, a, b)


def test_remainder_takes_the_divisors_sign_and_fmod_the_dividends_as_numpy():
    a = Tensor([7.0, -7.0, 7.0, -7.0])
    b = Tensor([3.0, 3.0, -3.0, -3.0])
    np.testing.assert_array_equal(autobp.remainder(a, b).data, [1.0, 2.0, -2.0, -1.0])
    np.testing.assert_array_equal((a % b).data, np.remainder(a.data, b.data))
    np.testing.assert_array_equal(autobp.fmod(a, b).data, [1.0, -1.0, 1.0, -1.0])
    np.testing.assert_array_equal((a // b).data, [2.0, -3.0, -3.0, 2.0])
    q, r = divmod(a, b)
    np.testing.assert_array_equal(q.data * b.data + r.data, a.data)


def test_floor_divide_is_a_constant_and_keeps_integers():
    x = Tensor([7.0, -7.0], requires_grad=True)
    assert not (x // 2.0).requires_grad
    i = Tensor(np.array([7, -7], dtype=np.int32), dtype=np.int32)
    assert (i // 2).dtype == np.floor_divide(i.data, 2).dtype
    np.testing.assert_array_equal((i // 2).data, [3, -4])
    np.testing.assert_array_equal((7 // Tensor(np.array([2, -2]), dtype=np.int64)).data, [3, -4])


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_divide_rounded_matches_torch_div_with_rounding_mode(mode):
    a, b = _grid([-7.0, -6.0, -0.5, 0.0, 0.5, 6.0, 7.0], [-2.0, 2.0, 0.75])
    _against_torch(
        lambda x, y: divide_rounded(x, y, mode), lambda x, y: torch.div(x, y, rounding_mode=mode), a, b
    )
    ints = Tensor(np.array([-7, 7, -6]), dtype=np.int64), Tensor(np.array([2, 2, -4]), dtype=np.int64)
    expected = torch.div(torch.tensor([-7, 7, -6]), torch.tensor([2, 2, -4]), rounding_mode=mode)
    out = divide_rounded(*ints, mode)
    assert out.dtype == np.int64
    np.testing.assert_array_equal(out.data, expected.numpy())
    with pytest.raises(ValueError, match="rounding_mode"):
        divide_rounded(a, b, "round")


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_divide_rounded_by_a_python_number_keeps_integer_dtype_as_torch(mode):
    # a Python number operand reaches numpy as given (weak promotion); it used to crash the trunc path
    x = Tensor(np.array([-5, 5, -7, 0], dtype=np.int32), dtype=np.int32)
    for got, want in [
        (
            x.div(2, rounding_mode=mode),
            torch.tensor([-5, 5, -7, 0], dtype=torch.int32).div(2, rounding_mode=mode),
        ),
        (
            divide_rounded(7, x[1:3], mode),
            torch.div(7, torch.tensor([5, -7], dtype=torch.int32), rounding_mode=mode),
        ),
        (
            x.div(2.0, rounding_mode=mode),
            torch.tensor([-5, 5, -7, 0], dtype=torch.int32).div(2.0, rounding_mode=mode),
        ),
    ]:
        np.testing.assert_array_equal(got.data, want.numpy())
        assert got.dtype.kind == {torch.int32: "i", torch.float32: "f"}[want.dtype]


def test_arctan2_and_hypot_at_the_origin_match_torch():
    y, x = _grid([-0.0, 0.0, 1.0], [-0.0, 0.0, -1.0])
    _against_torch(autobp.arctan2, torch.atan2, y, x)  # gradient 0 at (0, 0)
    _against_torch(autobp.hypot, torch.hypot, y, x)  # gradient NaN at (0, 0)


def test_logaddexp_with_infinite_operands_matches_torch():
    a, b = _grid([-inf, inf, 0.0, -800.0], [-inf, inf, 0.0, 800.0])
    with np.errstate(all="ignore"):
        _against_torch(autobp.logaddexp, torch.logaddexp, a, b)
        _against_torch(autobp.logaddexp2, torch.logaddexp2, a, b)


def test_xlogy_at_x_zero_matches_torch():
    x, y = _grid([0.0, 1.5], [0.0, -1.0, nan, inf, 2.0])
    with np.errstate(all="ignore"):
        _against_torch(autobp.xlogy, torch.xlogy, x, y)


def test_copysign_fmax_fmin_float_power_at_zeros_ties_and_nan_match_torch():
    with np.errstate(all="ignore"):
        _against_torch(
            autobp.copysign, torch.copysign, *_grid([-2.0, -0.0, 0.0, 2.0], [-1.0, -0.0, 0.0, 1.0])
        )
        ties = _grid([1.0, nan, -2.0], [1.0, nan, 3.0])
        _against_torch(autobp.fmax, torch.fmax, *ties)
        _against_torch(autobp.fmin, torch.fmin, *ties)
        _against_torch(autobp.float_power, torch.float_power, *_grid([0.0, 2.0], [-1.0, 0.0, 0.5, 2.0]))


def test_lerp_at_its_ends_is_exact_like_torch():
    s, e = _grid([1e-3, -5.0], [3.0, 1e8])
    for w in (0.0, 0.5, 1.0):
        _against_torch(lambda a, b, w=w: autobp.lerp(a, b, w), lambda a, b, w=w: torch.lerp(a, b, w), s, e)


def test_prelu_and_normalize_edges_match_torch():
    x = np.array([[-1.0, 0.0, 2.0], [0.0, 0.0, 0.0]])
    _against_torch(lambda a: F.normalize(a, dim=1), lambda a: tf.normalize(a, dim=1), x)  # zero row: 1/eps
    _against_torch(F.prelu, tf.prelu, x.reshape(2, 3, 1), [0.25, -0.5, 2.0])
    with pytest.raises(ValueError, match=r"prelu: weight of shape \(2,\)"):
        F.prelu(Tensor(np.ones((2, 3))), Tensor([0.1, 0.2]))
    with pytest.raises(ValueError, match="even length"):
        F.glu(Tensor(np.ones((2, 3))))


# --- dtypes and errors -------------------------------------------------------------------------------
def test_integer_inputs_keep_numpys_result_dtypes():
    i = Tensor(np.array([-2, 0, 3], dtype=np.int32), dtype=np.int32)
    for f, npf in [
        (autobp.sin, np.sin),
        (autobp.square, np.square),
        (autobp.sign, np.sign),
        (autobp.floor, np.floor),
        (autobp.round, np.round),
        (autobp.erf, None),
    ]:
        expected = np.float64 if npf is None else npf(i.data).dtype
        assert f(i).dtype == expected, (f.__name__, f(i).dtype, expected)
    b = Tensor(np.array([True, False]), dtype=bool)
    assert (b & True).dtype == bool and (~b).tolist() == [False, True]


def test_bitwise_operators_refuse_float_tensors_naming_the_dtypes():
    x = Tensor([1.0, 2.0])
    for op in (lambda: x & x, lambda: x | 1, lambda: 1 ^ x, lambda: ~x):
        with pytest.raises(TypeError, match="float64"):
            op()
    with pytest.raises(ValueError, match=r"\(2,\) float64 and \(3,\) float64"):
        autobp.logical_and(x, Tensor([1.0, 2.0, 3.0]))


def test_binary_ops_name_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match=r"hypot: shapes \(2,\) and \(3,\)"):
        autobp.hypot(Tensor([1.0, 2.0]), Tensor([1.0, 2.0, 3.0]))


def test_inplace_activations_chain_like_torch():
    # inplace=True writes into the input, as PyTorch: refused on a leaf that requires grad, and on a
    # non-leaf each call overwrites the previous one's output
    x = Tensor([-1.0, 0.5, 7.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf"):
        F.relu6(x, inplace=True)
    t = torch.tensor([-1.0, 0.5, 7.0], dtype=torch.float64, requires_grad=True)
    h, th = x * 1.0, t * 1.0
    y = F.relu6(h, inplace=True) + F.leaky_relu(h, 0.1, inplace=True) + F.elu(h, inplace=True)
    ty = TF.relu6(th, inplace=True) + TF.leaky_relu(th, 0.1, inplace=True) + TF.elu(th, inplace=True)
    np.testing.assert_array_equal(y.data, ty.detach().numpy())
    np.testing.assert_array_equal(h.data, th.detach().numpy())
    # leaky_relu_'s saved output was overwritten by elu_: both refuse to compute a wrong gradient
    with pytest.raises(RuntimeError, match="modified"):
        y.sum().backward()
    with pytest.raises(RuntimeError, match="modified"):
        ty.sum().backward()
    h, th = x * 1.0, t * 1.0
    F.elu(F.leaky_relu(F.relu6(h, inplace=True), 0.1), inplace=True).sum().backward()
    TF.elu(TF.leaky_relu(TF.relu6(th, inplace=True), 0.1), inplace=True).sum().backward()
    np.testing.assert_array_equal(x.grad, t.grad.numpy())


def test_clip_with_lower_bound_above_upper_is_the_upper_bound_as_numpy_and_torch():
    # numpy computes minimum(maximum(x, lo), hi) and PyTorch's clamp the same: hi everywhere, and
    # PyTorch's gradient (x inside [lo, hi], an empty interval) is 0 everywhere
    a = np.array([-1.0, 0.5, 2.0, 3.0, 4.0], dtype=np.float32)
    x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    y, ty = x.clip(3, 0), t.clip(3, 0)
    np.testing.assert_array_equal(y.data, ty.detach().numpy())
    np.testing.assert_array_equal(y.data, np.clip(a, 3, 0))
    assert y.dtype == np.float32
    y.sum().backward()
    ty.sum().backward()
    np.testing.assert_array_equal(x.grad, t.grad.numpy())
    np.testing.assert_array_equal(
        autobp.clamp(x, min=1.5, max=-1.0).data, torch.clamp(t, min=1.5, max=-1.0).detach().numpy()
    )
