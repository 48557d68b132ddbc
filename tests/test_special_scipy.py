"""The scipy.special functions added for jax.scipy.special's coverage at their special points (0,
branch points, lmbda = 0), their refusals (derivatives in integer or shape arguments, complex input to
real-only functions, bad orders) and the constants-in-constants-out rule; values from scipy."""

import numpy as np
import pytest
import scipy.special as sc

from autobp import Tensor, gradcheck, gradgradcheck
from autobp import special as sp
from autobp.func import grad as grad_func

from .helpers import check_gradients


def _grad(fn, x):
    t = Tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    fn(t).sum().backward()
    return t.grad


def test_plain_arrays_give_scipys_kind_of_result():
    x = np.array([0.5, 1.5])
    for ours, theirs in ((sp.exp1, sc.exp1), (sp.dawsn, sc.dawsn), (sp.ellipk, sc.ellipk)):
        got = ours(x)
        assert type(got) is np.ndarray and got.dtype == np.float64
        np.testing.assert_array_equal(got, theirs(x))
    si, ci = sp.sici(x)
    assert type(si) is np.ndarray and np.array_equal(ci, sc.sici(x)[1])
    assert isinstance(sp.exp1(1.0), np.floating)
    w = sp.lambertw(x)
    assert w.dtype == np.complex128 and np.array_equal(w, sc.lambertw(x))
    np.testing.assert_array_equal(sp.bernoulli(6), sc.bernoulli(6))
    assert sp.comb(10, 3, exact=True) == 120 and sp.factorial(5, exact=True) == 120


def test_derivatives_at_special_points():
    assert _grad(lambda t: sp.sici(t)[0], [0.0])[0] == 1.0  # sin(x)/x -> 1
    assert _grad(lambda t: sp.shichi(t)[0], [0.0])[0] == 1.0
    assert _grad(sp.spence, [1.0])[0] == -1.0  # log(z)/(1 - z) -> -1
    assert gradgradcheck(sp.spence, [Tensor(np.array([1.0, 1.0005, 0.9993]), requires_grad=True)])
    assert gradgradcheck(
        sp.kolmogorov, [Tensor(np.array([0.02, 0.5, 0.999, 1.001, 2.0]), requires_grad=True)]
    )
    np.testing.assert_allclose(_grad(lambda t: sp.lambertw(t).real, [0.0]), [1.0])
    np.testing.assert_allclose(_grad(sp.ellipk, [0.0]), [np.pi / 8], rtol=1e-14)
    np.testing.assert_allclose(_grad(sp.ellipe, [0.0]), [-np.pi / 8], rtol=1e-14)
    # the Taylor branches near m = 0 join the closed forms
    for m in (1e-6, -3e-5, 2e-4):
        assert gradcheck(sp.ellipk, [Tensor(np.array([m]), requires_grad=True)])
        assert gradcheck(
            lambda p, q: sp.ellipkinc(p, q),
            [Tensor(np.array([0.7]), requires_grad=True), Tensor(np.array([m]), requires_grad=True)],
        )
        assert gradcheck(
            lambda p, q: sp.ellipeinc(p, q),
            [Tensor(np.array([0.7]), requires_grad=True), Tensor(np.array([m]), requires_grad=True)],
        )
    x = np.array([0.5, 2.0])
    np.testing.assert_allclose(_grad(lambda l: sp.boxcox(x, l), [0.0, 0.0]), np.log(x) ** 2 / 2, rtol=1e-14)
    y = np.array([-0.4, 0.8])
    np.testing.assert_allclose(
        _grad(lambda l: sp.inv_boxcox(y, l), [0.0, 0.0]), -np.exp(y) * y**2 / 2, rtol=1e-14
    )
    for lm in (1e-9, 1e-4, 0.3):
        check_gradients(lambda a, b: sp.boxcox(a, b), x, np.full(2, lm))
        check_gradients(lambda a, b: sp.inv_boxcox(a, b), y, np.full(2, lm))


def test_entropy_functions_at_the_domain_edge_as_jax():
    x = Tensor(np.array([0.0, 0.0, 1.0]), requires_grad=True)
    y = Tensor(np.array([2.0, 0.0, 3.0]), requires_grad=True)
    out = sp.kl_div(x, y)
    np.testing.assert_array_equal(out.data, sc.kl_div(x.data, y.data))
    out.sum().backward()
    np.testing.assert_allclose(x.grad, [0.0, 0.0, np.log(1 / 3)])
    np.testing.assert_allclose(y.grad, [1.0, 1.0, 1 - 1 / 3])
    x2 = Tensor(np.array([0.0, 2.0]), requires_grad=True)
    sp.rel_entr(x2, np.array([1.0, 4.0])).sum().backward()
    np.testing.assert_allclose(x2.grad, [0.0, np.log(0.5) + 1])


def test_huber_gradient_is_the_clipped_residual_and_scipys_cases():
    r = np.array([-3.0, -0.5, 0.2, 2.5])
    np.testing.assert_allclose(_grad(lambda t: sp.huber(1.0, t), r), np.clip(r, -1, 1))
    np.testing.assert_array_equal(sp.huber(-1.0, r), sc.huber(-1.0, r))
    np.testing.assert_array_equal(
        sp.pseudo_huber(np.array([0.0, -1.0, 1.0]), 0.0), sc.pseudo_huber([0.0, -1.0, 1.0], 0.0)
    )
    np.testing.assert_allclose(sp.pseudo_huber(1.5, r), sc.pseudo_huber(1.5, r), rtol=1e-15)


def test_comb_and_factorial_outside_their_range_are_zero_with_zero_gradient():
    n = Tensor(np.array([5.0, 2.0, -1.0]), requires_grad=True)
    out = sp.comb(n, np.array([2.0, 3.0, 1.0]))
    np.testing.assert_array_equal(out.data, sc.comb([5.0, 2.0, -1.0], [2.0, 3.0, 1.0]))
    out.sum().backward()
    assert n.grad[1] == 0 and n.grad[2] == 0 and np.isfinite(n.grad[0])
    np.testing.assert_allclose(sp.comb(4.0, 2.0, repetition=True), sc.comb(4, 2, repetition=True))
    np.testing.assert_array_equal(sp.factorial(np.array([-2.0, 0.0, 3.5])), sc.factorial([-2.0, 0.0, 3.5]))


def test_no_silent_zero_for_shape_and_order_arguments():
    a = Tensor(np.array([0.7]), requires_grad=True)
    with pytest.raises(NotImplementedError, match="hyp1f1"):  # first order in a exists, second does not
        grad_func(grad_func(lambda t: sp.hyp1f1(t, 1.5, 0.3)))(0.7)
    with pytest.raises(NotImplementedError, match="order"):
        sp.kv(a, 2.0).sum().backward()
    with pytest.raises(NotImplementedError, match="gdtr"):
        sp.gdtr(1.0, a, 2.0).sum().backward()
    with pytest.raises(NotImplementedError, match="expn"):
        sp.expn(Tensor(np.array([1.0]), requires_grad=True), 2.0).sum().backward()


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="real input"):
        sp.exp1(Tensor(np.array([1.0 + 1.0j])))
    with pytest.raises(ValueError, match="integers"):
        sp.sph_harm_y(1.5, 0, 0.3, 0.2)
    with pytest.raises(ValueError, match="not differentiable"):
        sp.sph_harm_y(Tensor(np.array([2.0]), requires_grad=True), 0, 0.3, 0.2)
    with pytest.raises(ValueError, match="branch k"):
        sp.lambertw(1.0, k=0.5)
    with pytest.raises(ValueError, match="broadcast"):
        sp.hyp2f1(np.ones(2), 1.0, 2.0, np.ones(3))


def test_complex_functions_follow_torchs_convention():
    torch = pytest.importorskip("torch")
    z = np.array([0.3 + 0.4j, -1.2 + 0.8j])
    t = Tensor(z, requires_grad=True)
    out = sp.wofz(t)
    np.testing.assert_array_equal(out.data, sc.wofz(z))
    w = np.array([0.5 - 1j, 2.0 + 0.3j])
    (out * w).real.sum().backward()
    d = -2 * z * sc.wofz(z) + 2j / np.sqrt(np.pi)
    # torch's rule for a holomorphic f: grad = conj(f') * g with g = conj(w) for loss Re(sum(out w))
    np.testing.assert_allclose(t.grad, np.conj(d) * np.conj(w), rtol=1e-13)
    tz = torch.tensor(z, requires_grad=True)
    (torch.exp(tz) * torch.tensor(w)).real.sum().backward()  # the same convention on a torch op
    np.testing.assert_allclose(tz.grad.numpy(), np.conj(np.exp(z)) * np.conj(w), rtol=1e-13)


def test_sph_harm_is_sph_harm_y_with_jaxs_argument_order():
    theta, phi = np.array([0.3, 2.0]), np.array([1.1, 0.4])
    np.testing.assert_array_equal(sp.sph_harm(1, 3, theta, phi), sc.sph_harm_y(3, 1, phi, theta))
    t = Tensor(theta, requires_grad=True)
    sp.sph_harm_y(3, -2, t, phi).imag.sum().backward()
    eps = 1e-6
    fd = (sc.sph_harm_y(3, -2, theta + eps, phi) - sc.sph_harm_y(3, -2, theta - eps, phi)).imag / (2 * eps)
    np.testing.assert_allclose(t.grad, fd, rtol=1e-6)
