"""Every derivative rule against central finite differences, with hypothesis shapes and values.

``CASES`` maps each op in the rule table to the test that exercises it; a rule
without a case fails ``test_every_rule_has_a_gradient_test``.
"""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autobp
from autobp import Tensor
from autobp.ops.indexing import normalize_index as _normalize_index
from autobp.ops.indexing import scatter_add
from autobp.rules import RULES
from autobp.testing import arrays, axes, broadcastable_pair, kink_free, shapes, single_axis

from .helpers import check_gradients

CASES: set = set()
# ops whose gradients are tested elsewhere, with where
ELSEWHERE = {
    "function": "tests/test_function.py (custom autobp.Function)",
    "ldl_factor": "tests/test_linalg_ldl.py (no derivative, as in torch: the rule raises)",
    "ldl_solve": "tests/test_linalg_ldl.py (no derivative, as in torch: the rule raises)",
    "cholesky_solve": "tests/test_cholesky_solve_grad.py (gradcheck to second order, torch's values)",
    "param_grad": "tests/test_special_jax_scipy.py (gradcheck of gammainc/gammaincc/hyp1f1/hyp2f1 in their "
    "shape parameters; first order only, the rule raises)",
    "logsumexp_complex": "tests/test_scipy_jax_logsumexp.py (gradcheck, closed form; first order only)",
    "zeta_dx": "tests/test_zeta_x_derivative.py (zeta's x-derivatives of order n: gradgradcheck in x and q)",
    "as_strided": "tests/test_view_ops_suite11.py (gradcheck and gradgradcheck, torch's gradients)",
    "view_as_complex": "tests/test_view_ops_suite11.py (gradcheck and gradgradcheck, torch's gradients)",
}


def case(*ops):
    CASES.update(ops)
    return lambda f: f


def pair(lo=-3.0, hi=3.0, lo2=None, hi2=None):
    return broadcastable_pair().flatmap(
        lambda s: st.tuples(
            arrays(s[0], lo=lo, hi=hi),
            arrays(s[1], lo=lo if lo2 is None else lo2, hi=hi if hi2 is None else hi2),
        )
    )


@case("add", "sub", "mul")
@given(pair(), st.sampled_from(["add", "sub", "mul"]))
def test_broadcast_arithmetic(ab, op):
    fn = {"add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y}[op]
    check_gradients(fn, *ab)


@case("div")
@given(pair(lo2=0.5, hi2=3.0), st.booleans())
def test_div(ab, negate):
    a, b = ab
    check_gradients(lambda x, y: x / y, a, -b if negate else b, rtol=1e-5, atol=1e-5)


@case("pow")
@given(pair(lo=0.5, hi=2.0, lo2=-2.0, hi2=2.0))
def test_pow_tensor_exponent(ab):
    check_gradients(lambda x, y: x**y, *ab, atol=1e-5)


SCALAR_FORMS = {
    "add_scalar": lambda x, c: x + c,
    "sub_scalar": lambda x, c: x - c,
    "rsub_scalar": lambda x, c: c - x,
    "mul_scalar": lambda x, c: c * x,
    "div_scalar": lambda x, c: x / c,
    "rdiv_scalar": lambda x, c: c / x,
}


@case(*SCALAR_FORMS)
@given(arrays(lo=0.3, hi=2.0), st.sampled_from(sorted(SCALAR_FORMS)), st.sampled_from([2, -3, 0.5, -1.7]))
def test_scalar_operand_forms(a, op, c):
    fn = SCALAR_FORMS[op]
    assert fn(autobp.tensor(a, requires_grad=True), c).grad_fn == op
    check_gradients(lambda x: fn(x, c), a, atol=1e-5)


@case("pow_scalar")
@given(arrays(lo=0.3, hi=2.0), st.sampled_from([2, 3, 0.5, -1, 1.5, -0.5]))
def test_pow_scalar(a, p):
    check_gradients(lambda x: x**p, a, atol=1e-5)


@case("neg", "exp", "tanh", "sigmoid")
@given(arrays(), st.sampled_from(["neg", "exp", "tanh", "sigmoid"]))
def test_smooth_unary(a, op):
    check_gradients(lambda x: getattr(x, op)() if op != "neg" else -x, a, atol=1e-5)


@case("log", "sqrt")
@given(arrays(lo=0.2, hi=4.0), st.sampled_from(["log", "sqrt"]))
def test_positive_domain_unary(a, op):
    check_gradients(lambda x: getattr(x, op)(), a, atol=1e-5)


@case("relu", "abs")
@given(arrays(), st.sampled_from(["relu", "abs"]))
def test_kinked_unary_away_from_kink(a, op):
    assume(kink_free(a))
    check_gradients(lambda x: getattr(x, op)(), a)


def test_relu_passes_the_gradient_only_where_its_input_is_positive():
    """Subgradient 0 at the kink, for -0.0 and 0.0 alike, and for inputs below it."""
    x = autobp.tensor([-2.0, -0.0, 0.0, 1e-300, 3.0], requires_grad=True)
    (x.relu() * autobp.tensor([1.0, 2.0, 3.0, 4.0, 5.0])).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 0.0, 4.0, 5.0])


@case("clip")
@given(arrays(), st.floats(-2, 0), st.floats(0, 2))
def test_clip(a, lo, hi):
    assume(kink_free(a, (lo, hi)))
    check_gradients(lambda x: x.clip(lo, hi), a)


@case("maximum")
@given(pair())
def test_maximum_and_minimum(ab):
    a, b = ab
    assume(kink_free(np.subtract(a, b)))
    check_gradients(autobp.maximum, a, b)
    check_gradients(autobp.minimum, a, b)


@case("where")
@given(broadcastable_pair().flatmap(lambda s: st.tuples(hnp.arrays(bool, s[0]), arrays(s[1]), arrays(s[0]))))
def test_where(cab):
    cond, a, b = cab
    check_gradients(lambda x, y: autobp.where(cond, x, y), a, b)


MATMUL_SHAPES = [
    ((3,), (3,)),
    ((3,), (3, 2)),
    ((2, 3), (3,)),
    ((2, 3), (3, 4)),
    ((4, 2, 3), (3,)),
    ((3,), (4, 3, 2)),
    ((4, 2, 3), (4, 3, 2)),
    ((4, 2, 3), (3, 2)),
    ((2, 3), (4, 3, 2)),
    ((1, 2, 3), (5, 3, 2)),
    ((2, 1, 2, 3), (3, 3, 2)),
]


@case("matmul")
@given(st.sampled_from(MATMUL_SHAPES).flatmap(lambda s: st.tuples(arrays(s[0]), arrays(s[1]))))
def test_matmul_all_rank_combinations(ab):
    check_gradients(lambda x, y: x @ y, *ab, atol=1e-5)


@st.composite
def reduction_case(draw, min_dims=0, unique=False):
    shape = draw(shapes(min_dims=min_dims))
    elements = st.floats(-3, 3, allow_nan=False) if not unique else None
    if unique:  # distinct values: no ties, so max/min are differentiable there
        n = int(np.prod(shape))
        a = draw(st.permutations(range(n))).__iter__()
        a = np.array(list(a), dtype=np.float64).reshape(shape) * 0.1
    else:
        a = draw(hnp.arrays(np.float64, shape, elements=elements))
    return a, draw(axes(len(shape))), draw(st.booleans())


@case("sum", "mean", "logsumexp")
@given(reduction_case(), st.sampled_from(["sum", "mean", "logsumexp"]))
def test_reductions_over_any_axes(case_, op):
    a, axis, keep = case_
    assume(op != "mean" or a.size)
    check_gradients(lambda x: getattr(x, op)(axis=axis, keepdims=keep), a, atol=1e-5)


@case("max", "min")
@given(reduction_case(unique=True), st.sampled_from(["max", "min"]))
def test_max_min_without_ties(case_, op):
    a, axis, keep = case_
    check_gradients(lambda x: getattr(x, op)(axis=axis, keepdims=keep), a)


@case("softmax", "log_softmax")
@given(
    shapes(min_dims=1).flatmap(lambda s: st.tuples(arrays(s), single_axis(len(s)))),
    st.sampled_from(["softmax", "log_softmax"]),
)
def test_softmax_family(case_, op):
    a, axis = case_
    check_gradients(lambda x: getattr(x, op)(axis=axis), a, atol=1e-5)


@case("reshape")
@given(shapes())
def test_reshape_flatten_squeeze_expand(shape):
    a = np.random.default_rng(1).standard_normal(shape)
    check_gradients(lambda x: x.reshape(-1), a)
    check_gradients(lambda x: x.expand_dims(0).squeeze(0), a)
    check_gradients(lambda x: x.expand_dims(-1) * x.reshape(*shape, 1), a)


@case("transpose")
@given(shapes(min_dims=1).flatmap(lambda s: st.tuples(arrays(s), st.permutations(range(len(s))))))
def test_transpose(case_):
    a, perm = case_
    check_gradients(lambda x: x.transpose(*perm), a)
    check_gradients(lambda x: x.T, a)


@case("broadcast_to")
@given(broadcastable_pair().flatmap(lambda s: st.tuples(arrays(s[0]), st.just(s[1]))))
def test_broadcast_to(case_):
    a, other = case_
    target = np.broadcast_shapes(a.shape, other)
    check_gradients(lambda x: x.broadcast_to(target), a)


@case("astype")
def test_astype_round_trip():
    x = Tensor(np.array([1.5, -2.0], dtype=np.float32), requires_grad=True)
    y = (x.astype(np.float64) * 3).sum()
    y.backward()
    assert x.grad.dtype == np.float32 and np.all(x.grad == 3)
    w = Tensor(np.array([0.25, -4.0]), requires_grad=True)  # float64 -> float32 -> float64
    (w.astype(np.float32) * np.float32(2)).sum().backward()
    assert w.grad.dtype == np.float64 and np.all(w.grad == 2)


@st.composite
def index_case(draw):
    shape = draw(shapes(min_dims=1, min_side=2))
    a = draw(arrays(shape))
    kind = draw(st.sampled_from(["slice", "int_array", "mask", "mixed"]))
    if kind == "slice":
        idx = (slice(None, None, -1), Ellipsis, None)
    elif kind == "int_array":  # repeated indices must accumulate
        idx = np.array(draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=1, max_size=6)))
    elif kind == "mask":
        idx = draw(hnp.arrays(bool, shape))
    else:
        idx = (
            (draw(st.integers(0, shape[0] - 1)), Ellipsis)
            if len(shape) == 1
            else (slice(1, None), np.array([0, 0, -1]) % shape[1])
        )
    return a, idx


@case("getitem", "scatter_add")
@given(index_case())
def test_indexing(case_):
    a, idx = case_
    check_gradients(lambda x: x[idx], a)
    # scatter_add is getitem's adjoint: check it directly too
    picked = a[idx]
    check_gradients(lambda g: scatter_add(g, _normalize_index(idx), a.shape), picked)


@case("linear")
@given(st.integers(1, 3), st.integers(1, 3), st.sampled_from([(), (2,), (3, 2)]), st.booleans(), st.data())
def test_linear(n_in, n_out, lead, with_bias, data):
    # leading shapes (), (N,) and (B, N): the weight's gradient sums over all of them
    x = data.draw(arrays((*lead, n_in)))
    w = data.draw(arrays((n_out, n_in)))
    args = (x, w) + ((data.draw(arrays((n_out,))),) if with_bias else ())
    check_gradients(lambda *ts: autobp.ops.linear(*ts), *args)
    ts = [Tensor(a) for a in args]  # the same value as the three-node form, bit for bit
    unfused = ts[0] @ ts[1].T + (ts[2] if with_bias else 0.0)
    np.testing.assert_array_equal(autobp.ops.linear(*ts).data, unfused.data)


@case("nll")
@given(st.integers(1, 5), st.integers(1, 4), st.sampled_from(["mean", "sum"]), st.booleans(), st.data())
def test_nll(n, classes, reduction, batched, data):
    shape = (n, classes) if batched else (classes,)
    logp = data.draw(arrays(shape))
    t = np.array(data.draw(st.lists(st.integers(0, classes - 1), min_size=n, max_size=n)))
    t = t if batched else t[0]
    check_gradients(lambda x: autobp.nn.functional.nll_loss(x, t, reduction), logp)
    # the fused node equals the three-node form it replaces, bit for bit
    x = Tensor(logp)
    index = (np.arange(n), t) if batched else (int(t),)
    unfused = -x[index]
    unfused = unfused.mean() if reduction == "mean" else unfused.sum()
    assert autobp.nn.functional.nll_loss(x, t, reduction).item() == unfused.item()


@case("cross_entropy")
@given(
    st.integers(1, 5),
    st.integers(1, 4),
    st.sampled_from(["mean", "sum"]),
    st.booleans(),
    st.sampled_from([np.float64, np.float32]),
    st.data(),
)
def test_cross_entropy(n, classes, reduction, batched, dtype, data):
    shape = (n, classes) if batched else (classes,)
    logits = data.draw(arrays(shape))
    t = np.array(data.draw(st.lists(st.integers(0, classes - 1), min_size=n, max_size=n)))
    t = t if batched else t[0]
    check_gradients(lambda x: autobp.nn.functional.cross_entropy(x, t, reduction), logits)
    # the fused node equals log_softmax + nll, value and gradient bit for bit, in either float type
    fused, unfused = (Tensor(logits.astype(dtype), requires_grad=True) for _ in range(2))
    loss = autobp.nn.functional.cross_entropy(fused, t, reduction)
    assert loss._op == "cross_entropy"
    other = autobp.nn.functional.nll_loss(unfused.log_softmax(axis=-1), t, reduction)
    assert loss.item() == other.item() and loss.dtype == other.dtype == dtype
    loss.backward()
    other.backward()
    assert fused.grad.dtype == dtype
    np.testing.assert_array_equal(fused.grad, unfused.grad)


def test_a_distinct_index_scatters_by_assignment_with_the_same_result():
    from autobp._numpy_ops import DistinctIndex, scatter_add

    rows, cols = np.arange(5), np.array([2, 0, 2, 1, 2])
    g = np.random.default_rng(1).standard_normal(5)
    expected = np.zeros((5, 3))
    np.add.at(expected, (rows, cols), g)
    np.testing.assert_array_equal(scatter_add(g, DistinctIndex((rows, cols)), (5, 3)), expected)


def test_repeated_indices_accumulate():
    x = Tensor(np.arange(4.0), requires_grad=True)
    x[np.array([1, 1, 1, 3])].sum().backward()
    np.testing.assert_array_equal(x.grad, [0, 3, 0, 1])


@case("concatenate", "stack")
@given(shapes(min_dims=1), st.integers(1, 3), st.data())
def test_concatenate_and_stack(shape, n, data):
    axis = data.draw(single_axis(len(shape)))
    parts = [data.draw(arrays(shape)) for _ in range(n)]
    check_gradients(lambda *ts: autobp.concatenate(ts, axis=axis), *parts)
    check_gradients(lambda *ts: autobp.stack(ts, axis=axis), *parts)


def test_every_rule_has_a_gradient_test():
    """Each rule is exercised here, elsewhere (named), or by the op table's gradient cases."""
    from autobp.ops import DECLS

    from . import opcases  # noqa: F401  fills the op table
    from .optable import CASES as TABLE

    tabled = {r for c in TABLE if c.grad for op in c.ops for r in DECLS[op].rules}
    missing = sorted(set(RULES) - CASES - tabled - set(ELSEWHERE))
    assert not missing, f"ops without a finite-difference test: {missing}"


def test_a_planted_wrong_rule_is_caught(monkeypatch):
    monkeypatch.setitem(RULES, "tanh", lambda F, g, out, xs, ctx, need: (g * (1 - out),))
    with pytest.raises(AssertionError):
        check_gradients(lambda x: x.tanh(), np.array([0.3, -1.2]))


def test_max_ties_share_the_gradient():
    x = Tensor([1.0, 3.0, 3.0, 0.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [0, 0.5, 0.5, 0])


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_family_is_stable_at_extremes(op):
    x = Tensor([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]], requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        y = getattr(x, op)(axis=1)
        (y * Tensor([[1.0, 2.0, 3.0], [1.0, 0.0, 0.0]])).sum().backward()
    assert np.all(np.isfinite(y.data)) and np.all(np.isfinite(x.grad))
    if op == "softmax":
        np.testing.assert_allclose(y.data[0], [1, 0, 0], atol=1e-300)
        np.testing.assert_allclose(y.data[1], [1 / 3] * 3)
    else:
        np.testing.assert_allclose(y.data[0], [0, -2000, -1000])
    lse = Tensor([1000.0, 1000.0]).logsumexp()
    assert lse.item() == pytest.approx(1000 + np.log(2))
