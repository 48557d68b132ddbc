"""Operator fixes found by JAX's lax_numpy_operators_test and NumpyGradTests: Python's operator
protocol, numpy 2's complex sign/rint/round, logaddexp's dtype with a Python number, sinc's
derivatives near and at 0 (mpmath/maths as the oracle, torch.sgn for the complex sign's gradient)."""

import math
import operator

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")

BINARY = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "lt", "le", "gt", "ge", "matmul"]


class _Everything:
    """Answers every operator itself, in both positions."""


class _Nothing:
    """Declines every operator (returns NotImplemented)."""


for _n in BINARY + ["eq", "ne"]:
    setattr(_Everything, f"__{_n}__", lambda self, other: self)
    setattr(_Nothing, f"__{_n}__", lambda self, other: NotImplemented)
    if _n not in ("eq", "ne", "lt", "le", "gt", "ge"):
        setattr(_Everything, f"__r{_n}__", lambda self, other: self)
        setattr(_Nothing, f"__r{_n}__", lambda self, other: NotImplemented)


@pytest.mark.parametrize("name", BINARY + ["eq", "ne"])
def test_binary_operators_defer_to_unknown_operands(name):
    op = getattr(operator, name)
    t = autobp.ones(3)
    other = _Everything()
    assert op(t, other) is other and op(other, t) is other
    nothing = _Nothing()
    if name == "eq":
        assert op(t, nothing) is False and op(nothing, t) is False
    elif name == "ne":
        assert op(t, nothing) is True and op(nothing, t) is True
    else:
        with pytest.raises(TypeError):
            op(t, nothing)
        with pytest.raises(TypeError):
            op(nothing, t)


def test_known_operands_unchanged():
    t = autobp.asarray(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(np.asarray(t + [1, 2, 3]), [2, 4, 6])
    np.testing.assert_array_equal(np.asarray(t * np.float32(2)), [2, 4, 6])
    with pytest.raises(TypeError):
        t + {}


Z = np.array([1 + 2j, 0j, -3 + 0.5j, 0.2 - 0.7j, -1.5 - 2.5j])


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_sign_rint_round_as_numpy(dtype):
    z = (Z * 1.37).astype(dtype)
    for name, args in (("sign", ()), ("rint", ()), ("round", (1,))):
        got = getattr(autobp, name)(autobp.asarray(z), *args)
        expected = getattr(np, name)(z, *args)
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-6)


def test_complex_sign_gradient_is_torch_sgn():
    z = Z[Z != 0]
    g = np.array([0.3 - 1j, 2 + 0.1j, -1 + 1j, 0.5j])
    t = autobp.tensor(z, requires_grad=True)
    autobp.sign(t).backward(autobp.asarray(g))
    tt = torch.tensor(z, requires_grad=True)
    torch.sgn(tt).backward(torch.tensor(g))
    np.testing.assert_allclose(np.asarray(t.grad), tt.grad.numpy(), rtol=1e-12)
    assert autobp.gradcheck(lambda u: autobp.sign(u), (autobp.tensor(z, requires_grad=True),))


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_logaddexp_python_number_keeps_dtype(dtype):
    x = np.linspace(-1, 1, 5).astype(dtype)
    for a, b in ((autobp.asarray(x), 1.5), (1.5, autobp.asarray(x))):
        got = autobp.logaddexp(a, b)
        expected = np.logaddexp(x, 1.5)
        assert got.dtype == expected.dtype == dtype
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-3)


def _sinc_derivative(x: float, k: int) -> float:
    """k-th derivative of sin(pi x)/(pi x) from its Maclaurin series (exact for |x| <= 1)."""
    total = 0.0
    for n in range(k // 2, 40):
        p = 2 * n
        if p < k:
            continue
        c = (-1) ** n * math.pi**p / math.factorial(p + 1)
        total += c * math.factorial(p) / math.factorial(p - k) * x ** (p - k)
    return total


@pytest.mark.parametrize("x", [0.0, 1e-8, -1e-5, 0.003, 0.0999, 0.1001, 0.6])
def test_sinc_derivatives_near_and_at_zero(x):
    f = autobp.sinc
    for k in range(1, 5):
        f = autobp.func.grad(f)
        expected = _sinc_derivative(x, k)
        np.testing.assert_allclose(float(f(x)), expected, rtol=1e-10, atol=1e-13)


def test_sinc_gradient_float32_and_torch_away_from_zero():
    x = np.array([0.3, -2.5, 0.05, 1.7], dtype=np.float32)
    t = autobp.tensor(x, requires_grad=True)
    autobp.sinc(t).sum().backward()
    tt = torch.tensor(x, requires_grad=True)
    torch.sinc(tt).sum().backward()
    assert t.grad.dtype == np.float32
    np.testing.assert_allclose(np.asarray(t.grad), tt.grad.numpy(), rtol=2e-5)


@pytest.mark.parametrize("index", [([],), ([], 0), ([], []), [], ([[], []],)])
def test_empty_list_index_selects_nothing_as_numpy(index):
    x = np.arange(12.0).reshape(3, 4)
    got = autobp.asarray(x)[index]
    expected = x[index]
    assert got.shape == expected.shape and got.dtype == expected.dtype
    t = autobp.tensor(x, requires_grad=True)
    t[index].sum().backward()
    np.testing.assert_array_equal(np.asarray(t.grad), np.zeros_like(x))
