"""gradcheck's PyTorch keywords ``nondet_tol``, ``check_undefined_grad``, ``check_grad_dtypes``,
``check_batched_grad`` (and ``fast_mode``), and its always-on check that backward multiplies by the
output gradients: each verdict compared with torch.autograd.gradcheck on the same function."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import autobp
from autobp import _gradcheck_options

torch = pytest.importorskip("torch")

KEYWORDS = ("nondet_tol", "check_undefined_grad", "check_grad_dtypes", "check_batched_grad", "fast_mode")


def _functions(lib):
    """Custom Functions with a defect (or none), written alike for both libraries."""

    class Noisy(lib.autograd.Function):  # backward differs from run to run by ~1e-12, relatively
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            jitter = np.random.default_rng().uniform(-1e-12, 1e-12, size=tuple(g.shape))
            return g * 2 * (1 + lib.tensor(jitter, dtype=g.dtype))

    class IgnoresGrad(lib.autograd.Function):  # right for the seed 1, but not multiplied by it
        @staticmethod
        def forward(ctx, x):
            return x.sum()

        @staticmethod
        def backward(ctx, g):
            return lib.ones(3, dtype=lib.float64)

    class Float32Grad(lib.autograd.Function):  # a float32 gradient for a float64 input
        @staticmethod
        def forward(ctx, x):
            return x * 3

        @staticmethod
        def backward(ctx, g):
            return (g * 3).to(lib.float32)

    class TwoOutputs(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x, x * 3  # (autobp's forward gets arrays: plain operators only)

        @staticmethod
        def backward(ctx, ga, gb):
            (x,) = ctx.saved_tensors
            return ga * 2 * x + gb * 3

    return {
        "noisy": Noisy.apply,
        "ignores": IgnoresGrad.apply,
        "f32": Float32Grad.apply,
        "two": TwoOutputs.apply,
        "composite": lambda x: ((x.sin() * x).cumsum(0), (x * x).softmax(0)),
    }


def _verdict(lib, name, **kw):
    check = autobp.gradcheck if lib is autobp else torch.autograd.gradcheck
    x = lib.tensor([0.5, 1.0, 2.0], dtype=lib.float64, requires_grad=True)
    try:
        return check(_functions(lib)[name], (x,), **kw), ""
    except Exception as e:  # GradcheckError in both
        assert type(e).__name__ == "GradcheckError", e
        return False, str(e)


CASES = [
    ("noisy", {}, "Backward is not reentrant"),
    ("noisy", {"nondet_tol": 1e-8}, None),
    ("noisy", {"nondet_tol": 1e-8, "fast_mode": True}, None),
    ("ignores", {}, "backward not multiplied by grad_output"),
    ("ignores", {"check_undefined_grad": False}, "backward not multiplied by grad_output"),
    ("f32", {}, None),
    ("f32", {"check_grad_dtypes": True}, None),  # both engines cast a Function's gradient back
    ("two", {"check_undefined_grad": True, "check_batched_grad": True}, None),
    ("composite", {"check_batched_grad": True, "check_grad_dtypes": True}, None),
    ("composite", {"fast_mode": True, "check_batched_grad": True}, None),
]


@pytest.mark.parametrize(("name", "kw", "words"), CASES, ids=[f"{n}-{sorted(k)}" for n, k, _ in CASES])
def test_verdicts_and_reasons_match_torch(name, kw, words):
    ours, theirs = _verdict(autobp, name, **kw), _verdict(torch, name, **kw)
    assert ours[0] == theirs[0], (ours, theirs)
    if words is not None:
        assert words in theirs[1] and words in ours[1], (ours[1], theirs[1])
    assert _verdict(autobp, name, raise_exception=False, **kw)[0] == ours[0]


def test_gradgradcheck_takes_the_keywords_as_torch():
    for lib, check in ((autobp, autobp.gradgradcheck), (torch, torch.autograd.gradgradcheck)):
        x = lib.tensor([0.5, 1.0, 2.0], dtype=lib.float64, requires_grad=True)
        fn = lambda x: (x.sin() * x.exp()).cumsum(0)  # noqa: E731
        assert check(fn, (x,), nondet_tol=0.0, check_undefined_grad=True, check_batched_grad=True)
        assert check(fn, (x,), check_grad_dtypes=True, fast_mode=True)


def test_keywords_and_defaults_are_torchs():
    for ours, theirs in (
        (autobp.gradcheck, torch.autograd.gradcheck),
        (autobp.gradgradcheck, torch.autograd.gradgradcheck),
    ):
        a, t = inspect.signature(ours).parameters, inspect.signature(theirs).parameters
        for name in KEYWORDS:
            assert a[name].default == t[name].default and a[name].kind is inspect.Parameter.KEYWORD_ONLY


def test_a_wrong_batched_pass_is_reported(monkeypatch):
    real = _gradcheck_options.batched_backward

    def off_by_a_bit(*args, **kwargs):
        return [None if g is None else g * (1 + 1e-3) for g in real(*args, **kwargs)]

    monkeypatch.setattr(_gradcheck_options, "batched_backward", off_by_a_bit)
    x = autobp.tensor([0.5, 1.0, 2.0], requires_grad=True)
    assert autobp.gradcheck(lambda x: x.sin(), x)  # not asked for: not checked
    with pytest.raises(autobp.GradcheckError, match="failed while testing batched gradient computation"):
        autobp.gradcheck(lambda x: x.sin(), x, check_batched_grad=True)


def test_a_gradient_of_another_dtype_is_reported(monkeypatch):
    real = _gradcheck_options.functional._grads

    def as_float32(*args, **kwargs):
        return [autobp.Tensor(np.asarray(g.data, dtype=np.float32)) for g in real(*args, **kwargs)]

    x = autobp.tensor([0.5, 1.0, 2.0], requires_grad=True)
    monkeypatch.setattr(_gradcheck_options.functional, "_grads", as_float32)
    with pytest.raises(autobp.GradcheckError, match="Gradient has dtype mismatch.*float32.*float64"):
        autobp.gradcheck(lambda x: x.sin(), x, check_grad_dtypes=True)


def test_a_negative_nondet_tol_is_refused():
    with pytest.raises(ValueError, match="nondet_tol"):
        autobp.gradcheck(lambda x: x.sin(), autobp.tensor([1.0], requires_grad=True), nondet_tol=-1.0)
