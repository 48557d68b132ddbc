"""The generic op tests: every case of the op table (tests/opcases/) against central finite
differences, PyTorch, numpy, second order, float32 and non-contiguous inputs; and the check that
every declared op has a case."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autobp
from autobp import Tensor, gradcheck, gradgradcheck
from autobp.ops import DECLS

from . import opcases  # noqa: F401  fills CASES
from .optable import CASES

try:
    import torch
except ImportError:
    if os.environ.get("CI"):
        raise
    torch = None

EXAMPLES = 8  # per case and test: 1,300 cases share the suite's time budget (about 10 minutes on 2 cores)
GRAD = [c for c in CASES if c.grad]
ids = lambda c: c.id  # noqa: E731


def _items(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _leaves(xs, dtype=np.float64, complex_=False):
    if complex_:
        dtype = np.complex64 if dtype == np.float32 else np.complex128
    return [Tensor(np.array(x, dtype=dtype), requires_grad=True, dtype=dtype) for x in xs]


def _real(o):
    """A real tensor to build a loss from: the real part of a complex output (PyTorch's convention)."""
    return o.real if o.dtype.kind == "c" else o


@pytest.mark.parametrize("case", GRAD, ids=ids)
@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_gradient_matches_finite_differences(case, data):
    xs = data.draw(case.inputs)
    assert gradcheck(case.fn, _leaves(xs, complex_=case.complex), atol=case.atol, rtol=case.rtol)


@pytest.mark.parametrize("case", [c for c in GRAD if c.second_order], ids=ids)
@settings(max_examples=EXAMPLES // 2)
@given(data=st.data())
def test_second_order_matches_finite_differences(case, data):
    xs = data.draw(case.inputs)
    assert gradgradcheck(case.fn, _leaves(xs, complex_=case.complex), atol=case.atol, rtol=case.rtol)


@pytest.mark.parametrize("case", [c for c in GRAD if c.noncontiguous], ids=ids)
@settings(max_examples=EXAMPLES // 2)
@given(data=st.data())
def test_gradient_on_non_contiguous_views(case, data):
    """The op applied to negative-stride views (every axis reversed) of its inputs."""
    xs = data.draw(case.inputs)
    flipped = [np.flip(x) for x in xs]

    def on_views(*ts):
        views = [t[(slice(None, None, -1),) * t.ndim] for t in ts]
        assert all(v.ndim == 0 or v.size < 2 or not v._data.flags.c_contiguous for v in views)
        return case.fn(*views)

    assert gradcheck(on_views, _leaves(flipped, complex_=case.complex), atol=case.atol, rtol=case.rtol)


@pytest.mark.skipif(torch is None, reason="torch is not installed (optional oracle)")
@pytest.mark.parametrize("case", [c for c in CASES if c.torch_fn is not None], ids=ids)
@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_matches_torch(case, data):
    """Forward values and every input's gradient equal PyTorch's (float64)."""
    xs = data.draw(case.inputs)
    ts = _leaves(xs, complex_=case.complex)
    kind = torch.complex128 if case.complex else torch.float64
    tts = [torch.tensor(np.array(x), dtype=kind, requires_grad=case.grad) for x in xs]
    ours, theirs = _items(case.fn(*ts)), _items(case.torch_fn(*tts))
    assert len(ours) == len(theirs), (len(ours), len(theirs))
    rng = np.random.default_rng(0)
    loss_ours, loss_theirs = 0.0, 0.0
    for k, (o, t) in enumerate(zip(ours, theirs)):
        t_np = t.detach().resolve_conj().numpy()
        assert o.shape == tuple(t_np.shape), f"output {k}: shape {o.shape} vs torch {tuple(t_np.shape)}"
        if o.dtype.kind not in "fc":
            np.testing.assert_array_equal(o.data, t_np, err_msg=f"output {k}")
            continue
        assert (o.dtype.kind == "c") == t.is_complex(), f"output {k}: dtype {o.dtype} vs torch {t.dtype}"
        np.testing.assert_allclose(o.data, t_np, rtol=1e-7, atol=1e-10, equal_nan=True, err_msg=f"output {k}")
        if case.grad and o.requires_grad:
            w = rng.standard_normal(o.shape)
            if o.dtype.kind == "c":  # a complex weight: the loss Re(sum(out * w)) sees both parts
                w = w + 1j * rng.standard_normal(o.shape)
            loss_ours = loss_ours + _real(o * w).sum()
            loss_theirs = loss_theirs + (t * torch.tensor(w)).real.sum()
    if not case.grad or isinstance(loss_ours, float):
        return
    loss_ours.backward()
    if loss_theirs.requires_grad:
        loss_theirs.backward()
    for i, (t, tt) in enumerate(zip(ts, tts)):
        g = np.zeros(t.shape) if t.grad is None else t.grad
        tg = (
            np.zeros(t.shape) if tt.grad is None else tt.grad.resolve_conj().numpy()
        )  # torch may give a lazy conj
        np.testing.assert_allclose(g, tg, rtol=1e-7, atol=1e-10, equal_nan=True, err_msg=f"input {i}")


_SUBNORMAL = 1e3 * np.finfo(np.float64).tiny


@pytest.mark.parametrize("case", [c for c in CASES if c.numpy_fn is not None], ids=ids)
@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_forward_matches_numpy(case, data):
    """Values and dtypes equal numpy's, on float64 inputs and (``ints``) on integer ones."""
    xs = data.draw(case.inputs)
    kinds = [np.float64] + ([np.int64] if case.ints else [])
    for dtype in kinds:
        arrays = [np.round(x).astype(dtype) for x in xs] if dtype is np.int64 else list(xs)
        with np.errstate(all="ignore"):
            expected = _items(case.numpy_fn(*arrays))
            ours = _items(case.fn(*[Tensor(a, dtype=a.dtype) for a in arrays]))
        assert len(ours) == len(expected)
        for k, (o, e) in enumerate(zip(ours, expected)):
            e = np.asarray(e)
            assert o.dtype == e.dtype, (
                f"{dtype.__name__} inputs, output {k}: dtype {o.dtype}, numpy {e.dtype}"
            )
            # atol: below the smallest normal float a result keeps few bits, so another (equally
            # right) order of operations differs by more than rtol there (einsum of 3 operands)
            np.testing.assert_allclose(
                o.data, e, rtol=1e-12, atol=_SUBNORMAL, equal_nan=True, err_msg=f"output {k}"
            )


@pytest.mark.parametrize("case", [c for c in GRAD if c.float32], ids=ids)
@settings(max_examples=3)
@given(data=st.data())
def test_float32_stays_float32(case, data):
    """float32 stays float32, and complex64 stays complex64 (its real results float32)."""
    xs = data.draw(case.inputs)
    ts = _leaves(xs, np.float32, complex_=case.complex)
    outs = [o for o in _items(case.fn(*ts)) if o.dtype.kind in "fc"]
    assert outs and all(o.dtype in (np.float32, np.complex64) for o in outs), [o.dtype for o in outs]
    sum((_real(o * 1.0).sum() for o in outs if o.requires_grad), Tensor(np.float32(0))).backward()
    for i, t in enumerate(ts):
        assert t.grad is None or t.grad.dtype == t.dtype, (
            f"input {i}: grad dtype {t.grad.dtype}, input {t.dtype}"
        )


def test_every_declared_op_has_a_case():
    covered = {op for c in CASES for op in c.ops}
    missing = sorted(set(DECLS) - covered)
    assert not missing, f"declared ops with no entry in tests/opcases/: {missing}"


def test_every_case_names_declared_ops():
    unknown = sorted({op for c in CASES for op in c.ops} - set(DECLS))
    assert not unknown, f"op-table cases name ops nobody declared: {unknown}"


def test_cases_of_differentiable_ops_check_gradients():
    """An op that says it is differentiable is covered by at least one gradient case."""
    graded = {op for c in GRAD for op in c.ops}
    lacking = sorted(n for n, d in DECLS.items() if d.differentiable and n not in graded)
    assert not lacking, f"differentiable ops whose cases check no gradient: {lacking}"


def test_a_planted_wrong_rule_fails_the_table(monkeypatch):
    from autobp.rules import RULES

    monkeypatch.setitem(RULES, "exp", lambda F, g, out, xs, ctx, need: (g * out * 1.01,))
    (c,) = [c for c in CASES if c.id == "exp"]
    with pytest.raises(autobp.GradcheckError):
        gradcheck(c.fn, _leaves([np.array([0.5, -1.0])]))
