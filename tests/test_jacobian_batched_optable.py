"""The batched backward row by row against one backward per row, for every case of the op table:
a rule listed as batch-polymorphic (or given an adapter) that is wrong with a leading batch axis
makes these fail. Plain pass, recording pass (create_graph), and the pass through a gradient's graph
(Hessians)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autobp
from autobp import Tensor
from autobp.functional import hessian, jacobian

from . import opcases  # noqa: F401  fills CASES
from .optable import CASES

GRAD = [c for c in CASES if c.grad and not c.complex]  # jacobian is for real inputs (complex: gradcheck)
ids = lambda c: c.id  # noqa: E731


def _float_outputs(case):
    """``case.fn`` with only its differentiable float outputs (a tuple, or the one Tensor)."""

    def fn(*ts):
        out = case.fn(*ts)
        items = list(out) if isinstance(out, (tuple, list)) else [out]
        kept = tuple(o for o in items if o.dtype.kind == "f")
        return kept[0] if len(kept) == 1 else kept

    return fn


def _arrays(result):
    items = result if isinstance(result, tuple) else (result,)
    flat = []
    for it in items:
        flat.extend(_arrays(it) if isinstance(it, tuple) else [np.asarray(it.data)])
    return flat


def _both(compute):
    """``compute(vectorize)`` for both settings, or None when the looped reference itself raises (an
    op whose backward refuses those inputs): then the batched one must raise too."""
    try:
        loop = compute(False)
    except (ValueError, NotImplementedError, np.linalg.LinAlgError) as err:
        with pytest.raises(type(err)):
            compute(True)
        return None
    return loop, compute(True)


def _assert_same(loop, batched):
    for k, (a, b) in enumerate(zip(_arrays(loop), _arrays(batched))):
        assert a.shape == b.shape, f"block {k}: {b.shape} vs the loop's {a.shape}"
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-11, equal_nan=True, err_msg=f"block {k}")


@pytest.mark.parametrize("case", GRAD, ids=ids)
@settings(max_examples=2)
@given(data=st.data())
def test_batched_jacobian_equals_row_loop(case, data):
    xs = data.draw(case.inputs)
    fn = _float_outputs(case)
    pair = _both(lambda v: jacobian(fn, tuple(Tensor(x) for x in xs), vectorize=v))
    if pair:
        _assert_same(*pair)


@pytest.mark.parametrize("case", GRAD, ids=ids)
@settings(max_examples=1)
@given(data=st.data())
def test_recorded_batched_jacobian_equals_row_loop(case, data):
    """create_graph=True: the batched rules run on Tensors with the recording ops; the Jacobian and
    the gradient of a weighted sum of it agree with the loop's."""
    xs = data.draw(case.inputs)
    fn = _float_outputs(case)

    def compute(vectorize):
        ts = [Tensor(x, requires_grad=True) for x in xs]
        jac = jacobian(fn, tuple(ts), create_graph=True, vectorize=vectorize)
        rng = np.random.default_rng(1)
        total = sum(
            ((b * rng.standard_normal(b.shape)).sum() for b in _tensors(jac) if b.requires_grad), Tensor(0.0)
        )
        grads = autobp.grad(total, ts, allow_unused=True) if total.requires_grad else [None] * len(ts)
        return tuple(_tensors(jac)) + tuple(
            Tensor(np.zeros(t.shape)) if g is None else g for t, g in zip(ts, grads)
        )

    pair = _both(compute)
    if pair:
        _assert_same(*pair)


def _tensors(result):
    items = result if isinstance(result, tuple) else (result,)
    out = []
    for it in items:
        out.extend(_tensors(it) if isinstance(it, tuple) else [it])
    return out


@pytest.mark.parametrize("case", [c for c in GRAD if c.second_order], ids=ids)
@settings(max_examples=1)
@given(data=st.data())
def test_batched_hessian_equals_row_loop(case, data):
    """The batched pass through the graph a create_graph backward recorded (reverse-over-reverse)."""
    xs = data.draw(case.inputs)
    fn = _float_outputs(case)

    def scalar(*ts):
        out = fn(*ts)
        items = out if isinstance(out, tuple) else (out,)
        rng = np.random.default_rng(2)
        return sum(((o * rng.standard_normal(o.shape)).sum() for o in items), Tensor(0.0))

    pair = _both(lambda v: hessian(scalar, tuple(Tensor(x) for x in xs), vectorize=v))
    if pair:
        _assert_same(*pair)
