"""autobp.vectorize on Tensors checks what numpy's np.vectorize checks (the number of outputs, each
output's core dimensions against the signature) instead of returning wrongly shaped results, passes
non-numeric arguments (None, strings) through as numpy does, and records gradients through
signatures, broadcasting and excluded arguments (oracles: numpy, torch, autobp.gradcheck)."""

from __future__ import annotations

import numpy as np
import pytest

import autobp

torch = pytest.importorskip("torch")


def leaf(a):
    return autobp.Tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def both_raise(np_call, ab_call, exc=ValueError):
    with pytest.raises(exc):
        np_call()
    with pytest.raises(exc):
        ab_call()


def test_wrong_number_of_outputs_raises_as_numpy():
    z = np.zeros((2, 2))
    sig = "(n,m),(m,k)->(n,k),()"
    both_raise(
        lambda: np.vectorize(np.dot, signature=sig)(z, z),
        lambda: autobp.vectorize(autobp.dot, signature=sig)(autobp.asarray(z), autobp.asarray(z)),
    )
    sig3 = "(),()->(),(),()"
    both_raise(
        lambda: np.vectorize(lambda *a: a, signature=sig3)(1.0, 2.0),
        lambda: autobp.vectorize(lambda *a: a, signature=sig3)(autobp.asarray(1.0), autobp.asarray(2.0)),
    )


def test_output_core_dimensions_are_checked_as_numpy():
    z22 = np.zeros((2, 2))
    both_raise(  # two result axes where the signature declares one
        lambda: np.vectorize(np.dot, signature="(n,m),(m,k)->(n)")(z22, z22),
        lambda: autobp.vectorize(autobp.dot, signature="(n,m),(m,k)->(n)")(
            autobp.asarray(z22), autobp.asarray(z22)
        ),
    )
    a, b = np.zeros((2, 3)), np.zeros((3, 4))
    with pytest.raises(ValueError, match="inconsistent size for core dimension 'n'"):
        np.vectorize(np.dot, signature="(n,m),(m,k)->(n,n)")(a, b)
    with pytest.raises(ValueError, match="inconsistent size for core dimension 'n'"):
        autobp.vectorize(autobp.dot, signature="(n,m),(m,k)->(n,n)")(autobp.asarray(a), autobp.asarray(b))


def test_results_of_changing_count_are_refused():
    f = autobp.vectorize(lambda x: (x, x) if float(x) > 0 else x)
    with pytest.raises(ValueError, match="wrong number of outputs"):
        f(autobp.asarray([1.0, -1.0]))


def test_not_enough_dimensions_names_the_shape():
    f = autobp.vectorize(autobp.dot, signature="(n,m),(m,k)->(n,k)")
    with pytest.raises(ValueError, match=r"shape \(2,\) does not have enough dimensions"):
        f(autobp.zeros(2), autobp.zeros((2, 2)))
    with pytest.raises(TypeError, match="wrong number of positional arguments"):
        f(autobp.zeros((3, 2)))


def test_none_and_string_arguments_pass_through_as_numpy():
    fn = lambda x, y: x if y is None else x + y  # noqa: E731
    x = np.arange(4.0)
    want = np.vectorize(fn)(x, None)
    got = autobp.vectorize(fn)(autobp.asarray(x), None)
    np.testing.assert_array_equal(np.asarray(got), want)
    sign = lambda x, s: x if s == "+" else -x  # noqa: E731
    labels = np.array(["+", "-", "+", "-"])
    want = np.vectorize(sign)(x, labels)
    xt = leaf(x)
    got = autobp.vectorize(sign)(xt, labels)
    np.testing.assert_array_equal(np.asarray(got.detach()), want)
    got.sum().backward()
    np.testing.assert_array_equal(np.asarray(xt.grad), [1.0, -1.0, 1.0, -1.0])
    with pytest.raises(ValueError, match="Cannot pass None"):
        autobp.vectorize(fn, signature="(k),(k)->(k)")(autobp.asarray(x), None)


def test_excluded_validation():
    with pytest.raises(TypeError, match="can only exclude"):
        autobp.vectorize(lambda x: x, excluded={1.5})
    with pytest.raises(ValueError, match="contains negative numbers"):
        autobp.vectorize(lambda x: x, excluded={-1})


def test_signature_matmat_gradient_against_torch():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(5, 2, 3)), rng.normal(size=(1, 3, 4))
    at, bt = leaf(a), leaf(b)
    out = autobp.vectorize(autobp.dot, signature="(n,m),(m,k)->(n,k)")(at, bt)
    w = rng.normal(size=(5, 2, 4))
    (out * autobp.asarray(w)).sum().backward()
    ta = torch.tensor(a, requires_grad=True)
    tb = torch.tensor(b, requires_grad=True)
    tout = torch.matmul(ta, tb)
    (tout * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(np.asarray(out.detach()), tout.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(at.grad), ta.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(bt.grad), tb.grad.numpy(), rtol=1e-12)


def test_two_outputs_and_broadcast_gradcheck():
    def center(v):
        m = autobp.mean(v)
        return m, v - m

    f = autobp.vectorize(center, signature="(n)->(),(n)")
    x = leaf(np.random.default_rng(1).normal(size=(2, 3)))
    assert autobp.gradcheck(lambda t: f(t)[0] * 2.0 + f(t)[1].sum(axis=-1), (x,))
    g = autobp.vectorize(lambda v, s: v * s + s**2, signature="(n),()->(n)")
    y = leaf([[0.5], [-1.5]])  # one scale per row, broadcast over the core axis
    assert autobp.gradcheck(lambda t, u: g(t, u), (x, y))


def test_excluded_keyword_with_tensor():
    def f(x, y, func=autobp.add):
        assert x.ndim == y.ndim == 0
        return func(x, y)

    fv = autobp.vectorize(f, excluded=(2, "func"))
    x, y = np.arange(4.0), 2.0
    np.testing.assert_allclose(np.asarray(fv(autobp.asarray(x), y, func=autobp.power)), x**y)
    np.testing.assert_allclose(np.asarray(fv(autobp.asarray(x), y, autobp.multiply)), x * y)
