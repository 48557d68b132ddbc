"""scipy.special's ufuncs called on Tensors (``scipy.special.erf(t)``) record on the graph through the
autobp.special function of the same name, or raise; they never drop the gradient silently."""

import warnings

import numpy as np
import pytest
import scipy.special as sc

import autobp
import autobp.special as sp

_SHARED = sorted(n for n in dir(sc) if isinstance(getattr(sc, n), np.ufunc) and hasattr(sp, n))


def test_most_everyday_names_are_shared():
    assert {"erf", "expit", "gammaln", "xlogy", "ndtri", "i0e", "kv", "gammainc"} <= set(_SHARED)


@pytest.mark.parametrize("name", _SHARED)
def test_scipy_ufunc_on_a_tensor_gives_scipys_values_as_a_tensor(name):
    u = getattr(sc, name)
    data = np.array([0.3, 0.7, 1.6])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = u(*[data] * u.nin)
        got = u(*[autobp.tensor(data)] * u.nin)
    want, got = (want, got) if isinstance(want, tuple) else ((want,), (got,))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert isinstance(g, autobp.Tensor)
        np.testing.assert_allclose(g.data, w, rtol=1e-12, equal_nan=True)


def test_gradients_flow_through_scipy_ufuncs():
    x = autobp.tensor([0.2, 0.9, 2.5], requires_grad=True)
    y = sc.erf(x) * sc.expit(x) + sc.gammaln(x)
    assert y.requires_grad
    y.sum().backward()
    x2 = autobp.tensor([0.2, 0.9, 2.5], requires_grad=True)
    (sp.erf(x2) * sp.expit(x2) + sp.gammaln(x2)).sum().backward()
    np.testing.assert_array_equal(x.grad, x2.grad)
    assert autobp.gradcheck(lambda a, b: sc.xlogy(a, b) + sc.kv(1.5, b), (x, x2))


def test_a_scipy_ufunc_without_an_autobp_op_refuses_naming_scipy():
    name = next(n for n in dir(sc) if isinstance(getattr(sc, n), np.ufunc) and not hasattr(sp, n))
    u = getattr(sc, name)
    with pytest.raises(TypeError, match=f"scipy.special.{name} on a Tensor"):
        u(*[autobp.tensor([0.5], requires_grad=True)] * u.nin)


def test_out_ndarray_with_a_gradient_refuses_naming_scipy():
    with pytest.raises(TypeError, match=r"scipy.special.erf\(\.\.\., out=<ndarray>\)"):
        sc.erf(autobp.tensor([0.5], requires_grad=True), out=np.empty(1))


def test_yn_truncates_a_fractional_order_as_scipy():
    n, x = np.array([0.3, 2.7, -1.5, 2.0]), np.array([1.5, 1.5, 0.8, 3.0])
    with pytest.warns(RuntimeWarning, match="truncated to an integer"):
        want = sc.yn(n, x)
    with pytest.warns(RuntimeWarning, match="truncated to an integer"):
        got = sp.yn(n, x)
    np.testing.assert_allclose(got.data, want, rtol=1e-13)
    np.testing.assert_allclose(sp.yn(2, x).data, sc.yn(2, x), rtol=1e-13)
