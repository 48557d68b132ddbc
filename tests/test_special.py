"""autobp.special beyond the op table: the re-exported names (erf family, xlogy, expit, logit, psi)
against scipy, PyTorch's gradient of xlog1py at x = 0, logsumexp's sign, and clear errors."""

import numpy as np
import pytest
import scipy.special as sc

import autobp
import autobp.special as sp
from autobp import Tensor

from .helpers import check_gradients

X = np.linspace(-0.95, 0.95, 7)


@pytest.mark.parametrize(
    "ours, theirs, x",
    [
        (sp.erf, sc.erf, X * 2),
        (sp.erfc, sc.erfc, X * 2),
        (sp.erfinv, sc.erfinv, X),
        (sp.expit, sc.expit, X * 4),
        (sp.logit, sc.logit, (X + 1) / 2),
        (sp.psi, sc.psi, X + 2),
        (sp.log1p, np.log1p, X),
    ],
)
def test_reexported_functions_match_scipy_with_gradients(ours, theirs, x):
    np.testing.assert_allclose(ours(x).data, theirs(x), rtol=1e-9, atol=1e-15)
    check_gradients(ours, x)


def test_xlogy_is_zero_at_x_zero_and_differentiable_elsewhere():
    x, y = np.array([0.0, 1.5, -2.0]), np.array([0.0, 2.0, 0.5])
    np.testing.assert_array_equal(sp.xlogy(x, y).data, sc.xlogy(x, y))
    check_gradients(sp.xlogy, x[1:], y[1:])


def test_xlog1py_at_x_zero_follows_torch():
    torch = pytest.importorskip("torch")
    x, y = np.array([0.0, 0.0, 1.0]), np.array([-1.0, 2.0, 0.5])
    xs, ys = Tensor(x, requires_grad=True), Tensor(y, requires_grad=True)
    sp.xlog1py(xs, ys).sum().backward()
    tx, ty = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    torch.special.xlog1py(tx, ty).sum().backward()
    np.testing.assert_array_equal(sp.xlog1py(x, y).data, sc.xlog1py(x, y))
    np.testing.assert_allclose(xs.grad, tx.grad.numpy())
    np.testing.assert_allclose(ys.grad, ty.grad.numpy())


def test_logsumexp_return_sign_of_a_negative_sum():
    a, b = np.array([0.0, 1.0]), np.array([1.0, -2.0])
    out, sign = sp.logsumexp(a, b=b, return_sign=True)
    eout, esign = sc.logsumexp(a, b=b, return_sign=True)
    assert sign.item() == esign == -1.0
    np.testing.assert_allclose(out.data, eout)
    check_gradients(lambda a, b: sp.logsumexp(a, b=b, return_sign=True)[0], a, b)


def test_softmax_default_axis_is_all_elements_as_scipy():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(sp.softmax(x), sc.softmax(x), rtol=1e-12)
    assert abs(sp.softmax(x).sum() - 1) < 1e-12


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: sp.multigammaln(np.array([0.5]), 3), r"> \(d-1\)/2"),
        (lambda: sp.multigammaln(2.0, 0), "positive integer"),
        (lambda: sp.polygamma(-1, 2.0), ">= 0"),
        (lambda: sp.polygamma(1.5, 2.0), "integers"),
    ],
)
def test_bad_arguments_raise_clearly(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_special_functions_are_declared_in_their_namespace():
    from autobp.ops import DECLS

    assert DECLS["gammaln"].namespace == "autobp.special"
    assert DECLS["special_logsumexp"].fn is sp.logsumexp.__wrapped__  # under its plain wrapper
    assert not hasattr(autobp, "gammaln")  # found as autobp.special.gammaln, not autobp.gammaln
