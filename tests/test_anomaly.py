"""Anomaly mode: NaN/inf in a forward result or a gradient raises, naming the op, the shapes and the
line of user code that created the op; outside the mode nothing is checked or recorded."""

import gc

import numpy as np
import pytest

import autobp
from autobp import Function, Tensor, Value
from autobp._graph import hooks
from autobp.anomaly import AnomalyError, _traces, creation_trace, detect_anomaly, is_anomaly_enabled

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy's own divide/invalid notes


def line_of(text):
    """The line number of ``text`` in this file, so the test does not hard-code it."""
    with open(__file__) as f:
        hits = [n for n, line in enumerate(f, 1) if text in line and "line_of" not in line]
    assert len(hits) == 1, hits
    return f"line {hits[0]}"


def sqrt_times_zero(x):
    return (x.sqrt() * 0).sum()  # MARK-sqrt: d sqrt at 0 is inf, times 0 is nan


def test_nan_gradient_names_op_input_shapes_and_creation_line():
    x = Tensor(np.array([[0.0, 1.0, 4.0]]), requires_grad=True)
    with detect_anomaly():
        y = sqrt_times_zero(x)
        with pytest.raises(AnomalyError) as info:
            y.backward()
    msg = str(info.value)
    for words in ("'sqrt'", "input 0", "(1, 3)", "1 nan", __file__, (line_of("MARK-sqrt"))):
        assert words in msg, msg
    assert "autobp/tensor.py" not in msg  # the trace shows the user's frames only


def test_without_anomaly_mode_the_same_program_is_silent_and_nothing_is_recorded():
    x = Tensor(np.array([0.0, 1.0]), requires_grad=True)
    y = sqrt_times_zero(x)
    assert creation_trace(y) is None
    y.backward()
    assert np.isnan(x.grad[0]) and x.grad[1] == 0.0
    assert hooks.on_make is None and hooks.on_rule is None


def test_non_finite_forward_result_names_op_shapes_and_call_site():
    x = Tensor(np.array([[1.0, -1.0], [0.0, 2.0]]), requires_grad=True)
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        x.log()  # MARK-log
    msg = str(info.value)
    for words in ("'log'", "(2, 2)", "1 nan", "1 -inf", "float64", (line_of("MARK-log"))):
        assert words in msg, msg


def test_forward_error_says_when_an_input_already_held_nan():
    x = Tensor(np.array([np.nan, 1.0]), requires_grad=True)
    y = Tensor(np.ones((3, 2)))
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        _ = y * x
    msg = str(info.value)
    assert "'mul'" in msg and "(3, 2), (2,) [already holding 1 nan]" in msg, msg


def test_forward_checks_also_cover_constants_and_can_be_turned_off():
    with detect_anomaly(), pytest.raises(AnomalyError, match="'div_scalar'"):  # x / c: one input
        Tensor([1.0]) / 0.0
    x = Tensor(np.array([0.0, 2.0]), requires_grad=True)
    with detect_anomaly(check_forward=False):
        masked = autobp.where(x.data > 1, x, -np.inf).logsumexp()  # -inf on purpose: allowed
        masked.backward()
    np.testing.assert_allclose(x.grad, [0.0, 1.0])
    with detect_anomaly(check_forward=False):
        y = sqrt_times_zero(x)
        with pytest.raises(AnomalyError, match="'sqrt'"):  # gradients are still checked
            y.backward()


def test_finite_programs_give_the_same_gradients_under_anomaly_mode():
    rng = np.random.default_rng(0)
    w0, x0 = rng.standard_normal((3, 4)), rng.standard_normal((5, 3))

    def run():
        w = Tensor(w0, requires_grad=True)
        loss = autobp.nn.functional.cross_entropy(Tensor(x0) @ w, np.array([0, 1, 2, 3, 0]))
        loss.backward()
        return loss.item(), w.grad

    plain = run()
    with detect_anomaly():
        checked = run()
    assert plain[0] == checked[0]
    np.testing.assert_array_equal(plain[1], checked[1])


@pytest.mark.parametrize(
    "bad_grad",
    [lambda g: g * np.nan, lambda g: np.full((2, 2), np.nan)],
    ids=["with autobp ops", "as an ndarray"],
)
def test_custom_function_is_named_by_its_class(bad_grad):
    class LeakyNaN(Function):
        @staticmethod
        def forward(ctx, x):
            return 2 * x

        @staticmethod
        def backward(ctx, grad):
            return bad_grad(grad)

    x = Tensor(np.ones((2, 2)), requires_grad=True)
    with detect_anomaly():
        y = LeakyNaN.apply(x).sum()  # MARK-function
        with pytest.raises(AnomalyError) as info:
            y.backward()
    msg = str(info.value)
    assert "'function LeakyNaN'" in msg and "4 nan" in msg and (line_of("MARK-function")) in msg, msg


def test_gradients_built_with_create_graph_are_checked_too():
    x = Tensor(np.array([0.0, 1.0]), requires_grad=True)
    with detect_anomaly():
        (g,) = autobp.grad((x * x).sum(), x, create_graph=True)  # finite: 2x
        np.testing.assert_array_equal(g.data, [0.0, 2.0])
        y = x.sqrt().sum()
        with pytest.raises(AnomalyError, match=r"'sqrt'.*1 \+inf"):
            autobp.grad(y, x, create_graph=True)  # d sqrt at 0 = +inf


def test_value_graphs_gradients_are_checked_without_a_creation_trace():
    big = Value(1e200)
    with detect_anomaly():
        z = (big * big) * 0.0  # the forward overflows to inf; d z / d 0.0 = inf
        with pytest.raises(AnomalyError) as info:
            z.backward()
    msg = str(info.value)
    assert "'mul'" in msg and "input 1" in msg and "1 +inf" in msg and "not recorded" in msg, msg


def test_nesting_decorating_and_errors_restore_the_previous_hooks():
    made = []

    def outer_make(t, op, parents):
        made.append(op)

    hooks.on_make = outer_make
    try:
        with detect_anomaly():
            inner_make = hooks.on_make
            Tensor([1.0]).exp()
            assert made == ["exp"]  # a hook installed before (e.g. a trace recording) still runs
            with detect_anomaly(check_forward=False):
                assert hooks.on_make is not inner_make
            assert hooks.on_make is inner_make and is_anomaly_enabled()
            with pytest.raises(AnomalyError), detect_anomaly():
                Tensor([0.0]).log()
            assert hooks.on_make is inner_make
        assert hooks.on_make is outer_make and hooks.on_rule is None
    finally:
        hooks.on_make = None

    @detect_anomaly()
    def checked(t):
        assert is_anomaly_enabled()
        return t.log()

    with pytest.raises(AnomalyError, match="'log'"):
        checked(Tensor([-1.0]))
    checked(Tensor([2.0]))  # a decorator can be called again: the state is per call
    assert not is_anomaly_enabled() and hooks.on_make is None


def test_records_live_only_as_long_as_their_tensors():
    x = Tensor(np.ones(2), requires_grad=True)
    gc.collect()  # records of earlier tests' garbage must not vanish in the middle of the count
    before = len(_traces)
    with detect_anomaly():
        kept = x * 2
        for _ in range(50):
            _ = (x * 3).sum()
        assert creation_trace(kept) is not None
        assert creation_trace(x) is None  # leaves are made by the user, not by an op
        del _
    assert len(_traces) == before + 1
    del kept
    assert len(_traces) == before


@pytest.mark.parametrize(
    "op, fn, value",
    [
        ("arcsin", lambda x: autobp.arcsin(x), 1.0),  # the derivative 1/sqrt(1 - x^2) is inf at 1
        ("log1p", lambda x: autobp.log1p(x), -1.0),  # -inf forward
        ("arctanh", lambda x: autobp.arctanh(x), 1.0),
    ],
)
def test_anomaly_mode_covers_the_declared_ops(op, fn, value):
    """The anomaly hooks see every op, the vocabulary's included: a non-finite result names it."""
    x = Tensor(np.array([0.2, value]), requires_grad=True)
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        (fn(x) * 0.0).sum().backward()
    assert f"'{op}'" in str(info.value), str(info.value)
