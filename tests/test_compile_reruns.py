"""autobp.compile re-running op calls: values computed from the step's inputs by data-dependent
ops (comparisons, masks, sorts, nonzero, argsort-driven and tensor indices, in-place writes) are
computed again on every call, equal to eager's bit for bit; reading a value in the step's own code
(data-dependent control flow) falls back to eager with a warning, or raises under strict=True."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autobp
from autobp import Tensor
from autobp.compile import CompileError
from autobp.optim import SGD

rng = np.random.default_rng(7)

# each program: loss(w, X, I) with w a parameter (5,), X a float input (5,), I an integer input (3,)
PROGRAMS = {
    "comparison mask": lambda w, X, I: (w * (X > 0)).sum(),
    "where on a mask": lambda w, X, I: autobp.where(X > 0, w * X, w * w).sum(),
    "boolean-mask indexing": lambda w, X, I: ((w * X)[X > 0] ** 2).sum(),
    "argsort-driven indexing": lambda w, X, I: (w[autobp.argsort(X)] * X).sum(),
    "sort of computed values": lambda w, X, I: (autobp.sort(w * X) * Tensor(np.arange(5.0))).sum(),
    "nonzero": lambda w, X, I: (w[autobp.nonzero(X > 0)] ** 2).sum(),
    "integer tensor index": lambda w, X, I: (w[I] * w[I]).sum(),
    "max and argmax": lambda w, X, I: (w * X).max() + w[(w * X).argmax()],
    "cumsum, clip, softmax": lambda w, X, I: (autobp.cumsum(w * X, 0).clip(-1, 1).softmax(0) * X).sum(),
    "in-place writes": lambda w, X, I: _in_place(w, X),
    "setitem with a mask": lambda w, X, I: _masked_setitem(w, X),
    "a value used before an in-place write": lambda w, X, I: _used_before(w, X),
}


def _used_before(w, X):
    m = X * 2.0  # no gradient: the writes below go into its array
    s = m + 1.0  # computed from m's value before them
    m.mul_(X)
    m[X > 0] = 0.5
    y = w * s
    y[1:3] = w[:2] * m[:2]  # with a gradient: y becomes another node
    return (y * m).sum()


def _in_place(w, X):
    h = w * 1.0
    h[0] = 0.0
    h.mul_(X)
    m = X * 2.0  # no gradient: written into its array
    m.add_(1.0)
    return (h * m).sum()


def _masked_setitem(w, X):
    h = w * X
    h[X < 0] = 0.0
    return (h * h).sum()


def _inputs():
    return rng.uniform(-1, 1, 5), rng.integers(0, 5, 3)


# values whose shape follows the data: a call that makes another shape than recorded traces again
RESHAPING = {"boolean-mask indexing", "nonzero"}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_data_dependent_ops_are_recomputed_from_new_inputs(name):
    fn = PROGRAMS[name]
    w0 = rng.uniform(-1, 1, 5)
    x0, i0 = _inputs()

    def make():
        w = Tensor(w0.copy(), requires_grad=True)
        X, I = Tensor(x0.copy()), Tensor(i0.copy(), dtype=np.int64)
        return w, X, I, SGD([w], lr=0.1)

    (wa, Xa, Ia, opt_a), (wb, Xb, Ib, opt_b) = make(), make()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no eager fallback
        step = autobp.compile(lambda: fn(wb, Xb, Ib), optimizer=opt_b, strict=name not in RESHAPING)
        for call in range(5):
            opt_a.zero_grad()
            wa.grad = None
            want = fn(wa, Xa, Ia)
            want.backward()
            opt_a.step()
            got = step()
            assert got == want.item(), f"{name}, call {call}"
            np.testing.assert_array_equal(wa.grad, wb.grad, err_msg=f"{name}, call {call}")
            np.testing.assert_array_equal(wa.data, wb.data, err_msg=f"{name}, call {call}")
            x, i = _inputs()  # new input values for the next call, written in place
            Xa.data[...], Xb.data[...] = x, x
            Ia.data[...], Ib.data[...] = i, i
    assert "RERUN" in step.source  # the data-dependent ops are called again, not replayed


def test_a_composite_op_is_re_run_as_one_call_with_all_its_nodes():
    x = Tensor(np.linspace(-1, 1, 12).reshape(3, 4))
    w = Tensor(np.ones(4), requires_grad=True)
    step = autobp.compile(lambda: autobp.trace(x * w) ** 2, strict=True)
    assert step() == step() == (x.data[0, 0] + x.data[1, 1] + x.data[2, 2]) ** 2
    line = next(ln for ln in step.source.splitlines() if "RERUN" in ln and "#" in ln)
    assert "trace: transpose, getitem, sum" in line  # one call, the three nodes it made
    t = float(x.data[0, 0] + x.data[1, 1] + x.data[2, 2])
    np.testing.assert_array_equal(w.grad, 2 * t * np.append(x.data.diagonal(), 0.0))


def test_a_data_dependent_shape_under_strict_names_the_op():
    X = Tensor(np.array([1.0, -1.0, 2.0]))
    w = Tensor(np.ones(3), requires_grad=True)
    step = autobp.compile(lambda: (w * X)[X > 0].sum(), strict=True)
    assert step() == 3.0
    X.data[...] = [1.0, 1.0, 1.0]
    shapes = r"_getitem made a value of shape \(3,\) float64, recorded \(2,\) float64"
    with pytest.raises(CompileError, match=shapes):
        step()


def test_reading_a_computed_value_in_the_step_falls_back_with_a_warning():
    x = Tensor(np.array([1.0, -2.0, 3.0]))
    w = Tensor(np.ones(3), requires_grad=True)

    def loss():
        s = (w * x).sum()
        return s * 2.0 if s.item() > 0 else s * 3.0  # a Python branch on a value

    step = autobp.compile(loss)
    with pytest.warns(RuntimeWarning, match=r"Tensor\.item \(data-dependent control flow\)"):
        assert step() == 4.0
    x.data[...] = [-1.0, -2.0, -3.0]
    assert step() == -18.0  # eager: the other branch is taken
    np.testing.assert_array_equal(w.grad, [-3.0, -6.0, -9.0])
    with pytest.raises(CompileError, match="data-dependent control flow"):
        autobp.compile(loss, strict=True)()


def test_reading_a_constant_is_not_data_dependent():
    w = Tensor(np.ones(3), requires_grad=True)

    def loss():
        n = Tensor(np.array(3.0))  # made in the step from constants only
        return (w * float(n)).sum()

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        step = autobp.compile(loss, strict=True)
        assert step() == 9.0 and step() == 9.0
