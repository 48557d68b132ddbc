"""torch.special's names in autobp.special: values equal PyTorch's at ordinary and edge points
(0, negatives, infinities, nan), gradients where PyTorch has them, and the derivatives autobp adds
where it has none (against the classical identities and scipy)."""

import numpy as np
import pytest
import scipy.special as sc

import autobp
import autobp.special as sp

torch = pytest.importorskip("torch")

_EDGES = np.array([-np.inf, -30.0, -2.0, -0.5, 0.0, 1e-320, 0.5, 2.0, 30.0, 800.0, np.inf, np.nan])

_UNARY = [
    "bessel_j0",
    "bessel_j1",
    "bessel_y0",
    "bessel_y1",
    "modified_bessel_i0",
    "modified_bessel_i1",
    "modified_bessel_k0",
    "modified_bessel_k1",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
    "spherical_bessel_j0",
    "airy_ai",
    "entr",
    "erfcx",
    "exp2",
    "expm1",
    "sinc",
    "round",
]


@pytest.mark.parametrize("name", _UNARY)
def test_values_match_torch_at_edges(name):
    with np.errstate(all="ignore"):
        ours = getattr(sp, name)(autobp.tensor(_EDGES)).data
    theirs = getattr(torch.special, name)(torch.tensor(_EDGES)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0, equal_nan=True)


@pytest.mark.parametrize("name", ["bessel_j0", "modified_bessel_k1", "airy_ai", "chebyshev_polynomial_t"])
def test_float32_stays_float32(name):
    x = autobp.tensor(np.array([0.3, 0.7], dtype=np.float32))
    out = getattr(sp, name)(x) if "polynomial" not in name else getattr(sp, name)(x, 3)
    assert out.dtype == np.float32


def test_round_takes_decimals():
    x = np.array([0.125, 2.5, -1.375, 3.14159])
    np.testing.assert_array_equal(
        sp.round(autobp.tensor(x), decimals=2).data, torch.special.round(torch.tensor(x), decimals=2).numpy()
    )


def _grad(fn, xs):
    x = autobp.tensor(np.asarray(xs, dtype=float), requires_grad=True)
    fn(x).sum().backward()
    return x.grad


_X = np.array([0.3, 0.9, 1.7, 3.2, 6.5])


def test_bessel_derivatives_where_torch_has_none():
    np.testing.assert_allclose(_grad(sp.bessel_j0, _X), -sc.j1(_X), rtol=1e-12)
    np.testing.assert_allclose(_grad(sp.bessel_y0, _X), -sc.y1(_X), rtol=1e-12)
    np.testing.assert_allclose(_grad(sp.modified_bessel_i0, _X), sc.i1(_X), rtol=1e-12)
    np.testing.assert_allclose(_grad(sp.modified_bessel_k0, _X), -sc.k1(_X), rtol=1e-12)
    np.testing.assert_allclose(_grad(sp.modified_bessel_k1, _X), sc.kvp(1, _X), rtol=1e-10)
    np.testing.assert_allclose(
        _grad(sp.scaled_modified_bessel_k1, _X), sc.kvp(1, _X) * np.exp(_X) + sc.k1e(_X)
    )
    np.testing.assert_allclose(_grad(sp.spherical_bessel_j0, _X), sc.spherical_jn(0, _X, derivative=True))
    np.testing.assert_allclose(_grad(sp.airy_ai, _X - 3.0), sc.airy(_X - 3.0)[1], rtol=1e-12)
    assert _grad(sp.spherical_bessel_j0, [0.0])[0] == 0.0  # -j_1(0)


def test_entr_gradient_matches_torch_at_zero_and_negatives():
    x = np.array([-1.0, 0.0, 2.0])
    t = torch.tensor(x, requires_grad=True)
    torch.special.entr(t).sum().backward()
    np.testing.assert_array_equal(_grad(sp.entr, x), t.grad.numpy())


def test_zeta_gradient_in_q_matches_torch():
    x, q = np.array([2.0, 3.5, 1.5]), np.array([1.0, 0.4, 2.5])
    tq = torch.tensor(q, requires_grad=True)
    torch.special.zeta(torch.tensor(x), tq).sum().backward()
    aq = autobp.tensor(q, requires_grad=True)
    sp.zeta(x, aq).sum().backward()
    np.testing.assert_allclose(aq.grad, tq.grad.numpy(), rtol=1e-12)
    tx = torch.tensor(x, requires_grad=True)  # torch has no x-derivative; autobp's is tested in
    with pytest.raises(RuntimeError, match="not implemented"):  # tests/test_zeta_x_derivative.py
        torch.special.zeta(tx, torch.tensor(q)).sum().backward()
    np.testing.assert_allclose(sp.zeta(x).data, sc.zeta(x, 1.0))  # Riemann's when q is omitted


_POLYS = [
    "chebyshev_polynomial_t",
    "chebyshev_polynomial_u",
    "chebyshev_polynomial_v",
    "chebyshev_polynomial_w",
    "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
    "hermite_polynomial_h",
    "hermite_polynomial_he",
    "laguerre_polynomial_l",
    "legendre_polynomial_p",
]


@pytest.mark.parametrize("name", _POLYS)
@pytest.mark.parametrize("n", [-2, 0, 1, 2, 5, 9, 2.7])
def test_polynomial_values_match_torch(name, n):
    x = np.array([-2.0, -1.0, -0.3, 0.0, 0.25, 0.5, 1.0, 1.7, 3.0])
    ours = getattr(sp, name)(autobp.tensor(x), n).data
    theirs = getattr(torch.special, name)(torch.tensor(x), n).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name", _POLYS)
def test_polynomial_tensor_degrees_broadcast_like_torch(name):
    x = np.array([[-0.4], [0.6], [1.3]])
    n = np.array([0, 1, 3, 6])
    ours = getattr(sp, name)(autobp.tensor(x), autobp.tensor(n)).data
    theirs = getattr(torch.special, name)(torch.tensor(x), torch.tensor(n)).numpy()
    assert ours.shape == (3, 4)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_polynomial_derivatives_are_the_classical_ones():
    x = np.array([-0.9, -0.2, 0.4, 0.95])
    n = 5
    np.testing.assert_allclose(
        _grad(lambda t: sp.chebyshev_polynomial_t(t, n), x), n * sc.eval_chebyu(n - 1, x)
    )
    np.testing.assert_allclose(
        _grad(lambda t: sp.hermite_polynomial_h(t, n), x), 2 * n * sc.eval_hermite(n - 1, x)
    )
    np.testing.assert_allclose(
        _grad(lambda t: sp.legendre_polynomial_p(t, n), x),
        n * (x * sc.eval_legendre(n, x) - sc.eval_legendre(n - 1, x)) / (x * x - 1),
    )
    # at the ends of [-1, 1], where U_n' = ((n+1) T_{n+1} - x U_n) / (x^2 - 1) is 0/0: U_n'(1) = n(n+1)(n+2)/3
    np.testing.assert_allclose(
        _grad(lambda t: sp.chebyshev_polynomial_u(t, n), [1.0]), [n * (n + 1) * (n + 2) / 3]
    )


def test_polynomial_bad_inputs_raise_clearly():
    with pytest.raises(ValueError, match=r"chebyshev_polynomial_t: x of shape \(3,\) and n of shape \(2,\)"):
        sp.chebyshev_polynomial_t(autobp.tensor([0.1, 0.2, 0.3]), np.array([1, 2]))
    with pytest.raises(TypeError, match="hermite_polynomial_h: real input expected"):
        sp.hermite_polynomial_h(autobp.tensor([1j]), 2)
    with pytest.raises(ValueError, match="spherical_jn: the order n must be a Python integer >= 0"):
        sp.spherical_jn(-1, autobp.tensor([0.5]))
