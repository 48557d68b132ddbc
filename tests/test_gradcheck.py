"""gradcheck / gradgradcheck: right functions pass, planted mistakes are caught and located."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autobp
from autobp import Function, GradcheckError, NonDifferentiableWarning, Tensor, Value, gradcheck, gradgradcheck
from autobp.testing import broadcastable_tensors, shapes, tensors, tie_free_tensors

from .functions import Cube, DetachedCube, HalfCube


def _unravel(flat, shape):
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def _error(fn, inputs, check=gradcheck, **kw):
    with pytest.raises(GradcheckError) as info:
        check(fn, inputs, **kw)
    return info.value


class MatMul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return g @ b.T, a.T @ g


class MatMulTransposed(MatMul):
    """Transposes b's gradient: the shape still fits when b is square."""

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return g @ b.T, (a.T @ g).T


class FlipOne(Function):
    """y = 2x, with backward negating one element (ctx.k, a flat index)."""

    @staticmethod
    def forward(ctx, x, k):
        ctx.k, ctx.shape = k, x.shape
        return 2 * x

    @staticmethod
    def backward(ctx, g):
        sign = np.ones(ctx.shape).reshape(-1)
        sign[ctx.k] = -1
        return g * 2 * sign.reshape(ctx.shape), None


class AddRowWrong(Function):
    """x (n, m) + y (1, m): y's gradient keeps only the first row instead of summing the rows."""

    @staticmethod
    def forward(ctx, x, y):
        return x + y

    @staticmethod
    def backward(ctx, g):
        return g, g[:1]


class AddRowUnreduced(AddRowWrong):
    """Forgets to reduce y's gradient at all: a shape error, never a silent sum."""

    @staticmethod
    def backward(ctx, g):
        return g, g


@st.composite
def square_matmul_inputs(draw):
    n = draw(st.integers(2, 3))
    rows = draw(st.integers(1, 3))
    return draw(tensors((rows, n), lo=0.5, hi=2.0)), draw(tensors((n, n)))  # a != 0: J_b is not symmetric


# --- right functions pass ---------------------------------------------------------------------------
@given(broadcastable_tensors(max_side=3))
def test_compositions_of_builtin_ops_pass(pair):
    x, y = pair
    assert gradcheck(lambda a, b: ((a * b).tanh() + (a - b).exp() / 3, (a * a + 1).log()), (x, y))


@given(tensors(shape=shapes(max_side=3), lo=-1.5, hi=1.5))
def test_a_right_custom_function_passes_first_and_second_order(x):
    assert gradcheck(Cube.apply, x)
    assert gradgradcheck(Cube.apply, x)


@given(tie_free_tensors(shape=shapes(min_dims=1, max_side=3)))
def test_builtin_second_derivatives_pass_gradgradcheck(x):
    def f(t):
        return (t.softmax(-1) * t).sum(-1) + t.max(-1) * t.tanh().sum(-1)

    assert gradgradcheck(f, x)


def test_inputs_that_do_not_require_grad_and_non_tensor_arguments_are_not_checked():
    x, y = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, 4.0])
    assert gradcheck(lambda a, b, k: AddRowWrong.apply(a, b) * k, (x, y, 2.0))  # y's gradient is wrong


# --- planted mistakes are caught and located --------------------------------------------------------
@given(tensors(shape=shapes(min_dims=1, max_side=3), lo=0.5, hi=2.0))
def test_off_by_a_factor_names_every_diagonal_entry_and_the_factor(x):
    err = _error(HalfCube.apply, x)
    assert len(err.mismatches) == x.size
    assert all(m.input == 0 and m.output == 0 and m.input_index == m.output_index for m in err.mismatches)
    for m in err.mismatches:
        assert m.numerical == pytest.approx(3 * x.data[m.input_index] ** 2, rel=1e-6)
    assert "output 0 (shape" in err.report and f"input 0 (shape {x.shape}, float64)" in err.report
    assert "analytical = 0.6667 x numerical" in err.report


@given(square_matmul_inputs())
def test_a_transposed_gradient_is_located_in_the_right_input(ab):
    a, b = ab
    assert gradcheck(MatMul.apply, (a, b))
    err = _error(MatMulTransposed.apply, (a, b))
    assert err.mismatches and {m.input for m in err.mismatches} == {1}
    assert "w.r.t. input 1" in err.report and "w.r.t. input 0" not in err.report
    assert "last two axes swapped" in err.report


@given(st.data())
def test_a_wrong_sign_in_one_element_is_reported_at_that_element(data):
    x = data.draw(tensors(shape=shapes(min_dims=1, max_side=4), lo=0.5, hi=2.0))
    k = data.draw(st.integers(0, x.size - 1))
    err = _error(lambda t: FlipOne.apply(t, k), x)
    (m,) = err.mismatches
    assert m.input_index == _unravel(k, x.shape) and m.output_index == _unravel(k, x.shape)
    assert (m.analytical, m.numerical) == (pytest.approx(-2.0), pytest.approx(2.0))
    assert f"input element {m.input_index}: analytical -2, numerical 2" in err.report


@given(st.integers(2, 4), st.integers(1, 3))
def test_a_gradient_wrong_under_broadcasting_is_located(n, m):
    x, y = Tensor(np.ones((n, m)), requires_grad=True), Tensor(np.zeros((1, m)), requires_grad=True)
    err = _error(AddRowWrong.apply, (x, y))
    assert {mm.input for mm in err.mismatches} == {1}
    # each output row i >= 1 depends on y but got no gradient for it
    assert sorted(mm.output_index for mm in err.mismatches) == [(i, j) for i in range(1, n) for j in range(m)]
    assert all(mm.analytical == 0 and mm.numerical == pytest.approx(1.0) for mm in err.mismatches)
    # a backward that raises: its error propagates as it is (PyTorch's gradcheck does not catch it)
    with pytest.raises(
        RuntimeError, match=rf"gradient for input 1 has shape \({n}, {m}\), but input 1 has shape \(1, {m}\)"
    ):
        gradcheck(AddRowUnreduced.apply, (x, y))


def test_a_wrong_output_of_several_is_named():
    def f(t):
        return t * 2, HalfCube.apply(t)

    err = _error(f, Tensor([1.0, 2.0], requires_grad=True))
    assert {m.output for m in err.mismatches} == {1} and "output 1 (shape (2,))" in err.report


def test_raise_exception_false_returns_false():
    assert gradcheck(HalfCube.apply, Tensor([1.0], requires_grad=True), raise_exception=False) is False


# --- kinks --------------------------------------------------------------------------------------------
def test_a_kink_is_reported_as_not_differentiable_not_as_a_gradient_failure():
    x = Tensor([-1.0, 0.0, 2.0], requires_grad=True)
    with pytest.warns(NonDifferentiableWarning, match=r"not differentiable at input 0, element \(1,\)"):
        assert gradcheck(lambda t: t.relu(), x)


class BadRelu(Function):
    """Gradient 5 at the kink: outside the one-sided derivatives [0, 1]."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.maximum(x, 0)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * autobp.where(x > 0, 1.0, autobp.where(x == 0, 5.0, 0.0))


def test_a_value_outside_the_one_sided_derivatives_at_a_kink_fails():
    err = _error(BadRelu.apply, Tensor([-1.0, 0.0, 2.0], requires_grad=True))
    (m,) = err.mismatches
    assert m.kink and m.input_index == (1,) and m.one_sided == (pytest.approx(1.0), pytest.approx(0.0))
    assert "not differentiable here (one-sided derivatives 1 and 0)" in err.report


class SteepSquare(Function):
    """f = 1000 x^2, smooth, with its gradient off by 5e-4: inside the band eps * f'' of the one-sided
    differences at x = 0, so only the check that a kink's jump does not shrink with the step catches it."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 1000 * x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (2000 * x + 5e-4)


def test_high_curvature_is_not_mistaken_for_a_kink():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        err = _error(SteepSquare.apply, Tensor([0.0], requires_grad=True))
    (m,) = err.mismatches
    assert not m.kink and m.analytical == pytest.approx(5e-4)


def test_ties_in_max_are_kinks_where_the_split_gradient_is_accepted():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # max's half-half split matches the central difference
        assert gradcheck(lambda t: t.max(), Tensor([1.0, 1.0, -1.0], requires_grad=True))


# --- float32 ------------------------------------------------------------------------------------------
@given(tensors(shape=shapes(max_side=3), dtype=np.float32, lo=-2.0, hi=2.0))
def test_float32_inputs_are_checked_with_float64_numerics(x):
    assert gradcheck(lambda t: (t.tanh() * t).exp(), x)


def test_float32_numerics_in_float32_alone_would_fail():
    x = np.array([0.3, -1.2, 0.7], dtype=np.float32)
    step = np.float32(1e-6)
    central = ((x + step) ** 3 - (x - step) ** 3) / (2 * step)
    assert not np.allclose(central, 3 * x.astype(np.float64) ** 2, rtol=1e-3, atol=1e-5)
    assert gradcheck(Cube.apply, Tensor(x, requires_grad=True))


class Cube32(Cube):
    """Computes in float32 whatever it is given, so the numerical side cannot move to float64."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x**3).astype(np.float32)


def test_a_failure_on_float32_inputs_says_how_the_numbers_were_made():
    x = Tensor(np.array([0.5, 1.5], dtype=np.float32), requires_grad=True)
    assert gradcheck(Cube32.apply, x)
    err = _error(HalfCube.apply, x)
    assert "numerical side ran on float64 copies" in err.report and "use float64 inputs" in err.report

    class HalfCube32(Cube32, HalfCube):
        forward = Cube32.forward
        backward = HalfCube.backward

    err = _error(HalfCube32.apply, x)
    assert "numerical side ran in low precision with eps=0.001" in err.report


# --- fast mode -----------------------------------------------------------------------------------------
def test_fast_mode_passes_right_functions_and_locates_wrong_ones():
    rng = np.random.default_rng(7)  # not gradcheck's seed: its random u would equal a, making a^T u symmetric
    a = Tensor(rng.standard_normal((3, 4)), requires_grad=True)
    b = Tensor(rng.standard_normal((4, 4)), requires_grad=True)
    assert gradcheck(MatMul.apply, (a, b), fast_mode=True)
    err = _error(MatMulTransposed.apply, (a, b), fast_mode=True)
    assert {m.input for m in err.mismatches} == {1} and "fast mode flagged input 1" in err.report


# --- second order ----------------------------------------------------------------------------------------
@given(tensors(shape=shapes(max_side=3), lo=0.5, hi=2.0))
def test_gradgradcheck_catches_a_wrong_second_derivative_that_gradcheck_passes(x):
    assert gradcheck(DetachedCube.apply, x)
    err = _error(DetachedCube.apply, x, check=gradgradcheck)
    assert {m.input for m in err.mismatches} == {0}  # w.r.t. x; the grad_outputs entries are right
    assert all(m.analytical == 0 for m in err.mismatches)
    assert "the gradient of input 0" in err.report and "w.r.t. input 0" in err.report
    assert "the analytical derivative is 0 at every differing entry" in err.report


def test_gradgradcheck_uses_given_grad_outputs_and_checks_their_shape():
    x = Tensor([1.0, 2.0], requires_grad=True)
    assert gradgradcheck(Cube.apply, x, grad_outputs=np.array([0.5, -1.0]))
    with pytest.raises(ValueError, match=r"grad_outputs for output 0 has shape \(3,\)"):
        gradgradcheck(Cube.apply, x, grad_outputs=np.ones(3))


# --- what else gradcheck checks --------------------------------------------------------------------------
class ScribblesOnInput(Cube):
    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        out = grad * 3 * x**2
        x.data[...] = 0.0
        return out


class Jittery(Cube):
    calls = 0

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        Jittery.calls += 1
        return grad * 3 * x**2 * (1 + 1e-12 * Jittery.calls)


def test_a_backward_that_modifies_its_input_is_reported():
    err = _error(ScribblesOnInput.apply, Tensor([1.0, 2.0], requires_grad=True))
    # either gradcheck's own check or the engine's version counter (on the next backward) says so
    assert "backward modified input 0 in place" in err.report or (
        "input 0 of op 'function'" in err.report and "was modified" in err.report
    )


def test_a_backward_that_is_not_repeatable_is_reported():
    err = _error(Jittery.apply, Tensor([1.0, 2.0], requires_grad=True))
    assert not err.mismatches  # the values are right to 1e-12
    assert "a second backward gave a different gradient for input 0" in err.report


def test_edge_shapes_and_outputs_that_are_not_differentiable():
    assert gradcheck(lambda t: t * 2, Tensor(np.zeros((0, 3)), requires_grad=True))
    assert gradgradcheck(lambda t: t.exp(), Tensor(1.5, requires_grad=True))
    x = Tensor([1.0, 2.0], requires_grad=True)
    assert gradcheck(lambda t: (t * 2, Tensor(np.array([1, 2])), Tensor(np.ones(3))), x)
    assert gradgradcheck(lambda t, k: t**3 * k, (x, 2.0))


def test_no_input_requiring_grad_is_an_error():
    with pytest.raises(ValueError, match="no input requires grad"):
        gradcheck(Cube.apply, Tensor([1.0]))


# --- Value functions ---------------------------------------------------------------------------------------
@given(st.floats(-2, 2), st.floats(0.1, 2))
def test_value_functions_are_checked_too(a, b):
    assert gradcheck(lambda x, y: (x * y).tanh() + y.log() * x**2, (Value(a), Value(b)))


class HalfSquare(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x


def test_a_wrong_value_custom_op_is_located():
    err = _error(lambda x, y: x + HalfSquare.apply(y), (Value(1.0), Value(3.0)))
    (m,) = err.mismatches
    assert m.input == 1 and (m.analytical, m.numerical) == (pytest.approx(3.0), pytest.approx(6.0))
